#!/bin/sh
# gmbench.sh — run gmbench on this board, with or without LAVA (by hand over ssh too).
#
# Records the board, builds each revision in its own clone (or takes board kits made
# elsewhere by `make kit`, and builds nothing), runs `make test` and/or `make bench` (a
# kit's run.sh test / run.sh bench: the same runner, scripts/bench.sh), reports every benchmark's median and every test as result lines
# (output/result.txt; ../../utils/gm-send-to-lava.sh hands them to LAVA), prints each
# run folder's small files into the log as checksummed blocks, and uploads the whole
# output to a URL if one is given.
#
#   -t TARGET   bench | test | both (default bench)
#   -T MAKETGT  the make target for TARGET=test (default test)
#   -f FILTER   benchmark regex (make bench FILTER=)      -r REPS  repetitions
#   -q 1        make bench QUICK=1                         -c CPU   make bench CPU=
#   -g GOV      make bench GOVERNOR= (e.g. performance)
#   -R REVS     revision(s) to measure, space separated (default HEAD of the source)
#   -a BASE -b NEW   an A/B pair: both revisions in this one job, interleaved
#   -n ROUNDS   rounds of runs; the order of the revisions alternates each round
#               (A B, B A, ...): default 2 for an A/B pair, 1 otherwise
#   -u URL      upload the output (a tarball) with curl -T; default: the LAVA job secret
#               GMBENCH_UPLOAD_URL, or none.  Only the URL without credentials or query
#               is recorded.
#   -k KITS     board kits instead of revisions (make kit ARCH=<port> on a build machine):
#               paths or http(s)/file URLs, space separated; two make an A/B pair
#   -K SUMS     their SHA-256 sums, in the same order (a kit that does not match is a
#               failing case and is not run)
#   -s SRC      the gmbench git repository (default: the one this script is in)
#   -G DIR      a build/gbench folder to seed every clone with (a Google Benchmark built
#               or fetched before: an offline board needs it)
#   -o OUTPUT   where results go (default ./output)
#   -w WORK     where the clones are built (default OUTPUT/../work)
#
# Exit status: 0 when every step ran (failing tests are results, not errors); 1 when a
# revision could not be checked out, built or measured (reported as failing cases too).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/gm-sh-lib"

TARGET=bench MAKETGT=test FILTER="" REPS="" QUICK="" CPU="" GOVERNOR="" REVS="" BASE="" NEW=""
ROUNDS="" URL="" SRC="" GBENCH="" OUTPUT="$(pwd)/output" WORK="" KITS="" SUMS=""
usage() { sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
while getopts "t:T:f:r:q:c:g:R:a:b:n:u:s:G:o:w:k:K:h" opt; do
	case $opt in
	t) TARGET=$OPTARG ;; T) MAKETGT=$OPTARG ;; f) FILTER=$OPTARG ;; r) REPS=$OPTARG ;;
	q) QUICK=$OPTARG ;; c) CPU=$OPTARG ;; g) GOVERNOR=$OPTARG ;; R) REVS=$OPTARG ;;
	a) BASE=$OPTARG ;; b) NEW=$OPTARG ;; n) ROUNDS=$OPTARG ;; u) URL=$OPTARG ;;
	s) SRC=$OPTARG ;; G) GBENCH=$OPTARG ;; o) OUTPUT=$OPTARG ;; w) WORK=$OPTARG ;;
	k) KITS=$OPTARG ;; K) SUMS=$OPTARG ;;
	*) usage ;;
	esac
done
case $TARGET in bench|test|both) ;; *) gm_die "-t $TARGET: use bench, test or both" ;; esac
case $REPS in ''|*[!0-9]*) [ -z "$REPS" ] || gm_die "-r $REPS: a number" ;; esac
case $QUICK in ''|0|1|false|true) ;; *) gm_die "-q $QUICK: use 0 or 1" ;; esac
[ "$QUICK" = true ] && QUICK=1
[ "$QUICK" = false ] && QUICK=0
if [ -n "$BASE$NEW" ]; then
	[ -n "$BASE" ] && [ -n "$NEW" ] || gm_die "an A/B pair needs both -a BASE and -b NEW"
	[ -z "$REVS" ] || gm_die "give either -R REVS or -a BASE -b NEW, not both"
	REVS="$BASE $NEW"
	ROUNDS=${ROUNDS:-2}
fi
if [ -n "$KITS" ]; then
	[ -z "$REVS$BASE$NEW" ] || gm_die "give either kits (-k) or revisions (-R, -a/-b), not both"
	[ -z "$SUMS" ] || [ "$(echo $SUMS | wc -w)" = "$(echo $KITS | wc -w)" ] ||
		gm_die "-K: one SHA-256 per kit ($(echo $KITS | wc -w) kits, $(echo $SUMS | wc -w) sums)"
	[ "$(echo $KITS | wc -w)" = 1 ] || ROUNDS=${ROUNDS:-2}
fi
ROUNDS=${ROUNDS:-1}
case $ROUNDS in ''|*[!0-9]*|0) gm_die "-n $ROUNDS: a number >= 1" ;; esac
[ -n "$SRC" ] || SRC=$(cd "$here/../../../.." && pwd)
[ -n "$KITS" ] || [ -f "$SRC/Makefile" ] && [ -d "$SRC/core" ] || gm_die "$SRC is not a gmbench source tree (-s SRC)"
mkdir -p "$OUTPUT" || gm_die "cannot create $OUTPUT"
OUTPUT=$(cd "$OUTPUT" && pwd)
WORK=${WORK:-$(dirname "$OUTPUT")/work}
# with kits nothing is built here: no compiler, make or git needed
if [ -n "$KITS" ]; then need="awk tar sha256sum"; else need="make awk git"; fi
for c in $need; do command -v $c >/dev/null 2>&1 || gm_die "$c is not installed"; done
RESULT=$OUTPUT/result.txt
: >"$RESULT"
mkdir -p "$OUTPUT/logs" "$OUTPUT/runs" "$WORK" || exit 1
status=0
res() { echo "$*" >>"$RESULT"; }

# ---------------------------------------------------------------- the board
"$here/gmbench-board.sh" "$OUTPUT" || gm_die "cannot record the board"
gm_info "board:"
sed 's/^/  /' "$OUTPUT/board.txt"
res "$(gm_case_name board-recorded) pass"

# ---------------------------------------------------------------- the kits
letters="a b c d e f g h i j k l m n o p q r s t u v w x y z"
# getkit SRC DEST: a kit's tarball from a path, file:// or http(s) URL
getkit() {
	case $1 in
	http://*|https://*)
		if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 3 -o "$2" "$1"
		elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1"
		else echo "neither curl nor wget is installed (apt-get install curl)"; return 1; fi ;;
	file://*) cp "${1#file://}" "$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
i=0
for kit in $KITS; do
	i=$((i + 1))
	[ "$i" -le 26 ] || gm_die "at most 26 kits in one job"
	L=$(echo $letters | cut -d' ' -f$i)
	want=$(echo $SUMS | cut -d' ' -f$i -s)
	[ "$i" = 1 ] && [ -z "$want" ] && want=$(echo $SUMS | cut -d' ' -f1)
	kd=$WORK/kit-$L
	rm -rf "$kd" && mkdir -p "$kd" || gm_die "cannot create $kd"
	public=$(gm_url_public "$kit")
	gm_info "kit $L: $public"
	if ! err=$(getkit "$kit" "$kd/kit.tar.gz" 2>&1); then
		gm_warn "kit $L: cannot fetch $public: $err"; res "$(gm_case_name "kit-$L") fail"; status=1; continue
	fi
	have=$(sha256sum <"$kd/kit.tar.gz" | cut -d' ' -f1)
	if [ -n "$want" ] && [ "$have" != "$want" ]; then
		gm_warn "kit $L: $public has SHA-256 $have, the job expects $want: a different or damaged kit, not run"
		res "$(gm_case_name "kit-$L") fail"; status=1; continue
	fi
	[ -n "$want" ] || gm_warn "kit $L: no SHA-256 given (-K): the kit's own SHA256SUMS are checked, the tarball is not"
	top=$(tar tzf "$kd/kit.tar.gz" 2>/dev/null | sed -n 1p | cut -d/ -f1)
	if [ -z "$top" ] || ! tar xzf "$kd/kit.tar.gz" -C "$kd" 2>"$OUTPUT/logs/kit-$L.log" || [ ! -x "$kd/$top/run.sh" ]; then
		gm_warn "kit $L: $public is not a gmbench kit tarball (make kit makes one)"; res "$(gm_case_name "kit-$L") fail"; status=1; continue
	fi
	if ! "$kd/$top/run.sh" check >>"$OUTPUT/logs/kit-$L.log" 2>&1; then
		gm_warn "kit $L: $(tail -n 3 "$OUTPUT/logs/kit-$L.log")"; res "$(gm_case_name "kit-$L") fail"; status=1; continue
	fi
	krev=$(sed -n 's/^rev=//p' "$kd/$top/KIT") kfull=$(sed -n 's/^commit=//p' "$kd/$top/KIT")
	eval "rev_$L=\$krev full_$L=\$kfull ok_$L=1 kit_$L=\$kd/\$top"
	gm_info "kit $L: $top (rev $krev, $(sed -n 's/^port=//p' "$kd/$top/KIT"), built $(sed -n 's/^built=//p' "$kd/$top/KIT"))"
	res "$(gm_case_name "kit-$L") pass"
done

# ---------------------------------------------------------------- the revisions
[ -n "$REVS" ] || [ -n "$KITS" ] || REVS=HEAD
nrev=$(echo $REVS $KITS | wc -w)
i=0
for rev in $REVS; do
	i=$((i + 1))
	[ "$i" -le 26 ] || gm_die "at most 26 revisions in one job"
	L=$(echo $letters | cut -d' ' -f$i)
	wt=$WORK/$L
	rm -rf "$wt"
	if git -C "$SRC" rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then
		:
	elif git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		gm_info "revision $rev is not in $SRC: fetching it from its origin"
		git -C "$SRC" fetch -q origin "$rev" 2>"$OUTPUT/logs/fetch-$L.log" &&
			git -C "$SRC" rev-parse -q --verify FETCH_HEAD >/dev/null 2>&1 && rev=$(git -C "$SRC" rev-parse FETCH_HEAD) || {
			gm_warn "revision $rev is neither in $SRC nor fetchable from its origin (see logs/fetch-$L.log)"
			res "$(gm_case_name "checkout-$L") fail"; status=1; continue
		}
	elif [ "$rev" = HEAD ] && [ "$nrev" = 1 ]; then
		gm_warn "$SRC has no git history: measuring the tree as it is"
	else
		gm_warn "$SRC has no git history, so revision $rev cannot be checked out (give LAVA's test definition history: true)"
		res "$(gm_case_name "checkout-$L") fail"; status=1; continue
	fi
	if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
		git clone -q --shared --no-checkout "$SRC" "$wt" &&
			git -C "$wt" -c advice.detachedHead=false checkout -q --detach "$rev" 2>"$OUTPUT/logs/checkout-$L.log" || {
			gm_warn "cannot check out $rev (logs/checkout-$L.log)"; res "$(gm_case_name "checkout-$L") fail"; status=1; continue
		}
		full=$(git -C "$wt" rev-parse HEAD)
	else
		mkdir -p "$wt" && (cd "$SRC" && tar cf - --exclude=./build --exclude=./results --exclude=./lava/automated/linux/gmbench/output .) | (cd "$wt" && tar xf -) || gm_die "cannot copy $SRC"
		full=unknown
	fi
	[ -z "$GBENCH" ] || { mkdir -p "$wt/build" && cp -a "$GBENCH" "$wt/build/gbench"; } || gm_die "cannot copy $GBENCH"
	# A Google Benchmark built for an earlier revision serves the later ones.
	[ -d "$wt/build/gbench" ] || [ ! -d "$WORK/a/build/gbench" ] || { mkdir -p "$wt/build" && cp -a "$WORK/a/build/gbench" "$wt/build/gbench"; }
	eval "rev_$L=\$rev full_$L=\$full ok_$L=1"
	gm_info "revision $L: $rev ($full) in $wt"
	res "$(gm_case_name "checkout-$L") pass"
done
sides=""
for L in $letters; do eval "[ \"\${ok_$L:-}\" = 1 ]" && sides="$sides $L"; done
[ -n "$sides" ] || { gm_warn "no kit or revision could be set up (see above)"; status=1; }
# Case names: no prefix when one revision runs once (stable names a lab charts across
# jobs), else the revision's letter (and the round).
prefix() { if [ "$nrev" = 1 ] && [ "$ROUNDS" = 1 ]; then echo ""; else echo "$1."; fi; }

# ---------------------------------------------------------------- make test
if [ "$TARGET" != bench ]; then
	for L in $sides; do
		eval "rev=\$rev_$L"
		p=$(prefix "$L"); tag=${p%.}; [ -n "$tag" ] || tag=gmbench
		eval "kd=\${kit_$L:-}"
		if [ -n "$kd" ]; then
			gm_info "[$L] the kit's tests ($rev): log in logs/make-test-$L.log"
			"$kd/run.sh" test >"$OUTPUT/logs/make-test-$L.log" 2>&1
		else
			gm_info "[$L] make $MAKETGT ($rev): log in logs/make-test-$L.log"
			make -C "$WORK/$L" --no-print-directory "$MAKETGT" >"$OUTPUT/logs/make-test-$L.log" 2>&1
		fi
		rc=$?
		tail -n 3 "$OUTPUT/logs/make-test-$L.log" | sed 's/^/  /'
		[ -n "$p" ] && res "lava-test-set start $(gm_case_name "test-$L")"
		"$here/gmbench-parse.sh" tests "$OUTPUT/logs/make-test-$L.log" "${p%.}" "$rc" >>"$RESULT"
		[ -n "$p" ] && res "lava-test-set stop $(gm_case_name "test-$L")"
	done
fi

# ---------------------------------------------------------------- make bench, interleaved
if [ "$TARGET" != test ]; then
	benchargs() { # the make variables, each a separate word even with spaces in FILTER
		# make expands '$' in a command-line variable ('$|' in a regex is make's own):
		# '$$' reaches make bench as '$'
		set -- FILTER="$(printf '%s' "$FILTER" | sed 's/\$/$$/g')"
		[ -z "$REPS" ] || set -- "$@" REPS="$REPS"
		[ -z "$QUICK" ] || set -- "$@" QUICK="$QUICK"
		[ -z "$CPU" ] || set -- "$@" CPU="$CPU"
		[ -z "$GOVERNOR" ] || set -- "$@" GOVERNOR="$GOVERNOR"
		printf '%s\n' "$@"
	}
	# build every side first, so that the measured rounds do nothing else
	built=""
	for L in $sides; do
		eval "kd=\${kit_$L:-}"
		if [ -n "$kd" ]; then built="$built $L"; continue; fi	# a kit is built already
		gm_info "[$L] building (make bench-build, and the PROBES=1 build): log in logs/build-$L.log"
		if make -C "$WORK/$L" --no-print-directory deps bench-build >"$OUTPUT/logs/build-$L.log" 2>&1 &&
			make -C "$WORK/$L" --no-print-directory PROBES=1 bench-build >>"$OUTPUT/logs/build-$L.log" 2>&1; then
			built="$built $L"
			res "$(gm_case_name "build-$L") pass"
			# later sides reuse the Google Benchmark just built
			for M in $sides; do [ -d "$WORK/$M/build/gbench" ] || cp -a "$WORK/$L/build/gbench" "$WORK/$M/build/gbench" 2>/dev/null; done
		else
			gm_warn "[$L] the build failed; last lines:"; tail -n 15 "$OUTPUT/logs/build-$L.log" | sed 's/^/  /' >&2
			res "$(gm_case_name "build-$L") fail"; status=1
		fi
	done
	r=0
	while [ "$r" -lt "$ROUNDS" ] && [ -n "$built" ]; do
		r=$((r + 1))
		order=$built
		[ $((r % 2)) = 0 ] && order=$(printf '%s\n' $built | sort -r | tr '\n' ' ')
		for L in $order; do
			eval "rev=\$rev_$L"
			tag=$L$r
			p=""; [ "$nrev" = 1 ] && [ "$ROUNDS" = 1 ] || p="$tag."
			raw=$OUTPUT/raw/$tag
			rm -rf "$raw"
			gm_info "[$tag] round $r of $ROUNDS: make bench ($rev): log in logs/bench-$tag.log"
			eval "kd=\${kit_$L:-}"
			if [ -n "$kd" ]; then
				# the kit's run.sh takes the values as they are (no make in between)
				"$kd/run.sh" bench LABEL="$tag" RESULTS="$raw" FILTER="$FILTER" ${REPS:+REPS="$REPS"} \
					${QUICK:+QUICK="$QUICK"} ${CPU:+CPU="$CPU"} ${GOVERNOR:+GOVERNOR="$GOVERNOR"} >"$OUTPUT/logs/bench-$tag.log" 2>&1
			else
				benchargs | { set --; while IFS= read -r a; do set -- "$@" "$a"; done
					make -C "$WORK/$L" --no-print-directory bench LABEL="$tag" RESULTS="$raw" "$@"; } >"$OUTPUT/logs/bench-$tag.log" 2>&1
			fi
			rc=$?
			# the run folders this make bench wrote: one, or one per core type (CPU=all-types)
			found=0
			for run in "$raw"/*/*/; do
				[ -f "$run/stats.csv" ] || continue
				found=$((found + 1))
			done
			if [ "$rc" != 0 ] || [ "$found" = 0 ]; then
				gm_warn "[$tag] make bench failed (exit $rc); last lines:"; tail -n 15 "$OUTPUT/logs/bench-$tag.log" | sed 's/^/  /' >&2
				res "$(gm_case_name "${p}bench") fail"; status=1
				continue
			fi
			for run in "$raw"/*/*/; do
				[ -f "$run/stats.csv" ] || continue
				name=$(basename "$run")
				# CPU=all-types labels each run <tag>-<core>-cpu<N>: that goes into its case names
				sub=${name##*-"$tag"}
				[ "$sub" = "$name" ] && sub=""
				if [ -z "$sub" ]; then q=$p
				elif [ -n "$p" ]; then q="$tag$sub."
				else q="${sub#-}."
				fi
				rm -rf "$OUTPUT/runs/$name"
				cp -a "$run" "$OUTPUT/runs/$name" || { res "$(gm_case_name "${q}copy") fail"; status=1; continue; }
				cp "$OUTPUT/board.json" "$OUTPUT/runs/$name/board.json"
				sed -n '1,5p' "$OUTPUT/runs/$name/summary.txt" | sed 's/^/  /'
				[ -n "$q" ] && res "lava-test-set start $(gm_case_name "${q%.}-$rev")"
				"$here/gmbench-parse.sh" bench "$OUTPUT/runs/$name/stats.csv" "${q%.}" >>"$RESULT" || status=1
				[ -n "$q" ] && res "lava-test-set stop $(gm_case_name "${q%.}-$rev")"
				echo "$name" >>"$OUTPUT/runs.list"
			done
			rm -rf "$raw"
		done
	done
fi

# ---------------------------------------------------------------- the files back
if [ -s "$OUTPUT/runs.list" ]; then
	set_id=$(printf '%s-%s' "$(hostname 2>/dev/null || echo board)" "$(date -u +%Y%m%dT%H%M%SZ)" | tr -c 'A-Za-z0-9._-' '-')
	set --
	while read -r name; do
		for f in bench.json context.json machine.json stats.csv summary.txt board.json; do
			[ -f "$OUTPUT/runs/$name/$f" ] && set -- "$@" "$name/$f"
		done
	done <"$OUTPUT/runs.list"
	gm_info "the run folders' small files follow as checksummed blocks (set $set_id); on the host: lava/host/gmbench-extract.sh LOG DEST"
	if "$here/gmbench-blocks.sh" "$set_id" "$OUTPUT/runs" "$@"; then
		res "$(gm_case_name files-in-log) pass"
	else
		res "$(gm_case_name files-in-log) fail"; status=1
	fi
fi
[ -n "$URL" ] || { gm_source_secrets; URL=${GMBENCH_UPLOAD_URL:-}; }
if [ -n "$URL" ]; then
	public=$(gm_url_public "$URL")
	tarball=$OUTPUT/gmbench-$(hostname 2>/dev/null || echo board)-$(date -u +%Y%m%dT%H%M%SZ).tar.gz
	(cd "$OUTPUT" && tar czf "$tarball" board.json board.txt result.txt logs runs) 2>/dev/null
	if ! command -v curl >/dev/null 2>&1; then
		gm_warn "curl is not installed: no upload"; res "$(gm_case_name upload) fail"
	elif curl -fsS --retry 3 -T "$tarball" "$URL" >"$OUTPUT/logs/upload.log" 2>&1; then
		case $public in */) public=$public$(basename "$tarball") ;; esac
		gm_info "uploaded $(basename "$tarball") to $public"
		res "reference $(gm_case_name upload) pass $public"
	else
		gm_warn "the upload to $public failed: $(tail -n 1 "$OUTPUT/logs/upload.log")"
		res "$(gm_case_name upload) fail"
	fi
else
	res "$(gm_case_name upload) skip"
fi
res "$(gm_case_name gmbench-run) $([ "$status" = 0 ] && echo pass || echo fail)"
gm_info "results: $RESULT ($(grep -c . "$RESULT") lines), run folders in $OUTPUT/runs"
exit $status
