#!/bin/bash
# run.sh — gmbench's board kit (made by `make kit ARCH=<port>` on a build machine: see
# its KIT file).  Nothing here is built on this machine.
#
#   run.sh check                the kit's files against SHA256SUMS, its port against this
#                               machine's userland, and what the loader needs
#   run.sh bench [VAR=value...] make bench's runner (scripts/bench.sh) with this kit's
#                               binaries: FILTER= QUICK= REPS= CPU= GOVERNOR= LABEL=
#                               RESULTS= (default ./results); the run folder goes to
#                               RESULTS/<this machine's host id>/<stamp>-<rev>[-<label>]/
#                               with stats.csv and summary.txt from the kit's gm
#   run.sh test                 the port's tests (test_runtime, test_counter): ok / not ok
#                               lines, then "N passed, N failed"
#
# (Source: scripts/remote/kit-run.sh in gmbench; docs/remote.md#a-board-kit.)
set -uo pipefail
kit=$(cd "$(dirname "$0")" && pwd)
GM_PROG=kit GM_DIE_STATUS=2 GM_ERROR_WORD=1
. "$kit/scripts/lib.sh"
[ -f "$kit/KIT" ] || die "$kit/KIT is missing: not a whole kit (make kit ARCH=<port> makes one)"
port=$(sed -n 's/^port=//p' "$kit/KIT") rev=$(sed -n 's/^rev=//p' "$kit/KIT")
what=${1:-}
[ $# -eq 0 ] || shift

check() {
	command -v sha256sum >/dev/null 2>&1 || die "sha256sum is missing: apt-get install coreutils"
	bad=$(cd "$kit" && sha256sum -c --quiet SHA256SUMS 2>&1) ||
		die "the kit's files do not match SHA256SUMS (a damaged copy; fetch it again):
$bad"
	here=$(gm_hostarch)
	[ "$here" = "$port" ] || die "wrong arch: this kit is for the $port port, and this machine's userland is $here (uname -m $(uname -m)): make kit ARCH=$here"
	# what the loader cannot find, named with its package
	if ! out=$("$kit/bin/gmbench" --list-cpus 2>&1 >/dev/null); then
		libs=$(printf '%s\n' "$out" | sed -n 's/.*error while loading shared libraries: \([^:]*\):.*/\1/p' | sort -u)
		[ -z "$libs" ] || die "this machine lacks $(echo $libs) at run time: apt-get install $(for l in $libs; do gm_lib_package "$l"; done | sort -u | tr '\n' ' ')"
		die "bin/gmbench --list-cpus failed here: $out"
	fi
}

case $what in
check)
	check
	say "ok: $(basename "$kit") ($port, rev $rev) runs here"
	;;
bench)
	check
	FILTER="" QUICK="" REPS="" CPU="" GOVERNOR="" LABEL="" RESULTS=results
	for a; do
		case $a in
		FILTER=*|QUICK=*|REPS=*|CPU=*|GOVERNOR=*|LABEL=*|RESULTS=*) eval "${a%%=*}=\${a#*=}" ;;
		PEERS=*) die "$a: the kit has no Go peers (make bench PEERS=1 HOST=user@board builds and runs them)" ;;
		*) die "run.sh bench: unknown argument '$a' (FILTER= QUICK= REPS= CPU= GOVERNOR= LABEL= RESULTS=)" ;;
		esac
	done
	mkdir -p "$RESULTS" || die "cannot create RESULTS=$RESULTS"
	RESULTS=$(cd "$RESULTS" && pwd)
	cd "$kit" || exit 2
	# the same runner as make bench: bench.sh, with what the kit holds; plots are made
	# where the run folder lands (gnuplot is seldom on a board)
	BIN=bin/gmbench PROBES_BIN=probes/bin/gmbench GM=bin/gm ARCH=$port RUN="" GM_REV=$rev \
		GM_NOPLOTS=1 FILTER="$FILTER" QUICK="$QUICK" REPS="$REPS" CPU="$CPU" GOVERNOR="$GOVERNOR" \
		LABEL="$LABEL" RESULTS="$RESULTS" scripts/bench.sh
	;;
test)
	check
	p=0 f=0
	for t in "$kit/tests/test_runtime" "$kit/tests/test_counter"; do
		out=$("$t" 2>&1); rc=$?
		printf '%s\n' "$out"
		p=$((p + $(printf '%s\n' "$out" | grep -c '^ok - '))) f=$((f + $(printf '%s\n' "$out" | grep -c '^not ok - ')))
		[ "$rc" = 0 ] || { echo "not ok - $(basename "$t") exited $rc"; f=$((f + 1)); }
	done
	echo "$p passed, $f failed (kit $(basename "$kit"): ARCH=$port, kernel $(uname -sr))"
	[ "$f" = 0 ] && [ "$p" -gt 0 ]
	;;
*)
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0" >&2
	exit 2
	;;
esac
