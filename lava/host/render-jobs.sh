#!/bin/sh
# render-jobs.sh OUTDIR BOARD... — LAVA job definitions for gmbench (make lava-jobs).
#
# Each BOARD names lava/jobs/boards/BOARD.conf (its device type, template and defaults);
# the job is lava/jobs/templates/<template>.yaml.in filled from the environment:
#   REV=<ref>                 the revision to measure (default HEAD), or
#   BASE=<ref> NEW=<ref>      an A/B pair measured in one job, ROUNDS alternating rounds
#   KIT=<file>... KIT_URL=<url>...   board kits (make kit ARCH=<port>) instead of a build on
#                             the board: the local files (for their SHA-256) and where the
#                             lab fetches them (a URL ending in / gets each file's name);
#                             two kits make an A/B pair.  Or KIT_URL= with KIT_SHA256=.
#   REPO=<git url>            where the lab clones gmbench (default: this checkout's origin)
#   TARGET TEST_TARGET FILTER REPS QUICK CPU GOVERNOR ROUNDS GBENCH_DIR UPLOAD_URL
#                             passed to the test definition (lava/automated/linux/gmbench)
#   JOB_MINUTES TEST_MINUTES  timeouts; and each board's own variables (its .conf lists them)
# Revisions are resolved to full commit ids here, so the job measures exactly them.
# Writes OUTDIR/<board>.yaml (…-ab.yaml for a pair) and OUTDIR/gmboot.tar (the QEMU
# boot scripts, lava/qemu/).  A missing variable or revision is an error naming it, and
# nothing is written for that board.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
GM_PROG=lava-jobs GM_ERROR_WORD=1
. "$(dirname "$0")/../../scripts/lib.sh"
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR BOARD..." >&2; exit 2; }
out=$1; shift
mkdir -p "$out" || die "cannot create $out"

resolve() { # a revision -> its full commit id, or an error
	git -C "$top" rev-parse -q --verify "$1^{commit}" 2>/dev/null ||
		die "$2=$1 is not a commit in $top (git fetch it first; the job pins exact commit ids)"
}
BASE=${BASE:-} NEW=${NEW:-} REV=${REV:-}
if [ -n "$BASE$NEW" ]; then
	[ -n "$BASE" ] && [ -n "$NEW" ] || die "an A/B pair needs both BASE= and NEW="
	[ -z "$REV" ] || die "give REV= or BASE= NEW=, not both"
	base_id=$(resolve "$BASE" BASE) || exit 2
	new_id=$(resolve "$NEW" NEW) || exit 2
	export BASE="$base_id" NEW="$new_id" REV_PARAM="" ROUNDS="${ROUNDS:-2}"
	export TESTDEF_REV="${TESTDEF_REV:-$new_id}"
	export REVISIONS="$(printf '%.12s' "$base_id") (A) vs $(printf '%.12s' "$new_id") (B), ${ROUNDS} rounds"
	suffix=-ab
	title="$(printf '%.12s vs %.12s' "$base_id" "$new_id")"
else
	rev_id=$(resolve "${REV:-HEAD}" REV) || exit 2
	export REV_PARAM="" BASE="" NEW="" ROUNDS="${ROUNDS:-}"
	export TESTDEF_REV="${TESTDEF_REV:-$rev_id}"
	export REVISIONS="$(printf '%.12s' "$rev_id")"
	suffix=""
	title=$(printf '%.12s' "$rev_id")
fi
# board kits: each URL and SHA-256 pinned here, so the job runs exactly the kit named
KIT=${KIT:-} KIT_URL=${KIT_URL:-} KIT_SHA256=${KIT_SHA256:-}
if [ -n "$KIT$KIT_URL" ]; then
	[ -z "$BASE$NEW" ] || die "give kits (KIT=, KIT_URL=) or BASE= NEW=, not both (two kits make an A/B pair)"
	[ -n "$KIT_URL" ] || die "KIT= needs KIT_URL=: where the lab fetches the kit (a URL ending in / gets the file name)"
	nk=$(echo $KIT_URL | wc -w)
	if [ -n "$KIT" ]; then
		[ "$nk" = "$(echo $KIT | wc -w)" ] || [ "$nk" = 1 ] || die "KIT_URL=: one URL, or one per kit"
		urls="" sums=""
		i=0
		for k in $KIT; do
			i=$((i + 1))
			[ -f "$k" ] || die "KIT=$k: no such file (make kit ARCH=<port> makes one)"
			tar tzf "$k" 2>/dev/null | grep -q '^[^/]*/run.sh$' || die "KIT=$k is not a gmbench kit (make kit makes one)"
			if [ "$nk" = 1 ]; then u=$KIT_URL; else u=$(echo $KIT_URL | cut -d' ' -f$i); fi
			case $u in */) u=$u$(basename "$k") ;; esac
			urls="$urls $u" sums="$sums $(sha256sum <"$k" | cut -d' ' -f1)"
		done
		KIT_URL=${urls# } KIT_SHA256=${sums# }
	else
		[ -n "$KIT_SHA256" ] || die "KIT_URL= needs KIT_SHA256= (or KIT=<the local file> to compute it): the job checks what it fetched"
		[ "$(echo $KIT_SHA256 | wc -w)" = "$nk" ] || die "KIT_SHA256=: one sum per URL in KIT_URL="
		case $KIT_URL in */|*/\ *) die "KIT_URL=$KIT_URL names a folder: without KIT= give each kit's URL" ;; esac
	fi
	REVISIONS=$(for u in $KIT_URL; do basename "$u" .tar.gz; done | sed 's/^gmbench-kit-//' | tr '\n' ' ' | sed 's/ $//; s/ / vs /')
	title=$REVISIONS
	[ "$(echo $KIT_URL | wc -w)" = 1 ] || { suffix=-ab; ROUNDS=${ROUNDS:-2}; }
	export REVISIONS ROUNDS
fi
export KIT_URL KIT_SHA256
# the lab's clone: this checkout's origin (a local path cannot be cloned by a lab)
if [ -z "${REPO:-}" ]; then
	REPO=$(git -C "$top" remote get-url origin 2>/dev/null || echo "$top")
	case $REPO in *://*|*@*:*) ;; *) echo "lava-jobs: WARNING: REPO=$REPO is a local path: a lab cannot clone it (give REPO=<git url>; make lava-smoke's local dispatcher can)" >&2 ;; esac
fi
export REPO
: "${TARGET:=bench}" "${TEST_TARGET:=test}" "${FILTER:=}" "${REPS:=}" "${QUICK:=}" "${CPU:=}" "${GOVERNOR:=}"
: "${GBENCH_DIR:=}" "${UPLOAD_URL:=}" "${JOB_MINUTES:=240}" "${TEST_MINUTES:=200}"
export TARGET TEST_TARGET FILTER REPS QUICK CPU GOVERNOR GBENCH_DIR UPLOAD_URL JOB_MINUTES TEST_MINUTES
case $TARGET in bench|test|both) ;; *) die "TARGET=$TARGET: use bench, test or both" ;; esac
for v in JOB_MINUTES TEST_MINUTES; do eval "x=\$$v"; case $x in ''|*[!0-9]*) die "$v=$x: a number of minutes" ;; esac; done

# the QEMU boot scripts, as the tar overlay the qemu template names
tar cf "$out/.gmboot.tar.tmp" -C "$top/lava/qemu" --owner=0 --group=0 --mode=755 ./gm-lava-rdinit ./gm-lava-init &&
	mv "$out/.gmboot.tar.tmp" "$out/gmboot.tar" || die "cannot write $out/gmboot.tar"

status=0
for board in "$@"; do
	conf=$top/lava/jobs/boards/$board.conf
	if [ ! -f "$conf" ]; then
		echo "lava-jobs: error: no board '$board' (lava/jobs/boards/ has: $(cd "$top/lava/jobs/boards" && ls | sed 's/\.conf$//' | tr '\n' ' '))" >&2
		status=2; continue
	fi
	dest=$out/$board$suffix.yaml
	(
		BOARD=$board
		. "$conf"
		export BOARD DESCRIPTION TEMPLATE DEVICE_TYPE
		for req in $REQUIRED; do
			ok=0
			for alt in $(echo "$req" | tr '|' ' '); do eval "[ -n \"\${$alt:-}\" ]" && ok=1; done
			if [ "$ok" = 0 ]; then
				first=${req%%|*}
				eval "h=\${HELP_$first:-}"
				die "board $board needs $(echo "$req" | sed 's/|/= or /g')= ($h)"
			fi
		done
		[ -z "${ROOTFS_PATH:-}" ] || export ROOTFS_DRIVE="-drive format=raw,file=$ROOTFS_PATH,if=virtio,snapshot=on"
		export JOB_NAME="gmbench $board $title"
		tpl=$top/lava/jobs/templates/$TEMPLATE.yaml.in
		[ -f "$tpl" ] || die "board $board: no template $TEMPLATE"
		# every variable a template may name, exported so awk sees it (empty when unset)
		for v in $(cat "$top"/lava/jobs/templates/*.yaml.in | grep -o '@\(Q:\)\{0,1\}[A-Z_0-9]*@' | tr -d '@' | sed 's/^Q://' | sort -u) \
			$(grep -ho '^#@if [A-Z_0-9]*' "$top"/lava/jobs/templates/*.yaml.in | cut -c6- | sort -u); do
			eval "export $v=\"\${$v:-}\""
		done
		awk -v tdir="$top/lava/jobs/templates" '
		function q(s) { gsub(/\047/, "\047\047", s); return "\047" s "\047" }
		function emit(file,   line, n, m, name, v, pre, post, keep, depth) {
			depth = 0; keep[0] = 1
			while ((getline line < file) > 0) {
				if (line ~ /^#@if [A-Z_0-9]+$/) { depth++; keep[depth] = keep[depth - 1] && ENVIRON[substr(line, 6)] != ""; continue }
				if (line ~ /^#@endif$/) { if (depth == 0) { print "unbalanced #@endif in " file > "/dev/stderr"; exit 3 } depth--; continue }
				if (!keep[depth]) continue
				if (line ~ /^@INCLUDE [^@]+@$/) { emit(tdir "/" substr(line, 10, length(line) - 10)); continue }
				out = ""
				while (match(line, /@(Q:)?[A-Z_0-9]+@/)) {
					name = substr(line, RSTART + 1, RLENGTH - 2)
					pre = substr(line, 1, RSTART - 1); post = substr(line, RSTART + RLENGTH)
					if (name ~ /^Q:/) { name = substr(name, 3); v = q(ENVIRON[name]) }
					else {
						v = ENVIRON[name]
						if (v == "") { printf "%s: @%s@ is empty (set %s=)\n", file, name, name > "/dev/stderr"; exit 3 }
					}
					out = out pre v; line = post
				}
				print out line
			}
			close(file)
			if (depth != 0) { print "unbalanced #@if in " file > "/dev/stderr"; exit 3 }
		}
		BEGIN { emit(ARGV[1]); ARGV[1] = "" }' "$tpl" >"$dest.tmp" || { rm -f "$dest.tmp"; die "board $board: the template could not be filled (above)"; }
		mv "$dest.tmp" "$dest"
		echo "lava-jobs: $dest ($DESCRIPTION; $REVISIONS)"
	) || status=2
done
exit $status
