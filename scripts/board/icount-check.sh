#!/bin/sh
# scripts/board/icount-check.sh BENCH_JSON — make board ICOUNT=1's test of the perf
# backend: count the same transitions with make pathlen (QEMU user mode, exact) on this
# host, from the same clean checkout the guest built (PATHLEN_TREE), and compare them
# with the guest's perf cycles and instructions per op (gm icount; tolerance and why: in
# docs/tools/icount.md).  Writes ICOUNT_CHECK_OUT; exit 1 when a check fails.
# Environment: ARCH, PATHLEN_TREE, GM, ICOUNT_CHECK_OUT, MAKE; FILTER (the job's:
# make pathlen reads it from the environment and counts only those cases).
set -u
: "${ARCH:?}" "${PATHLEN_TREE:?}" "${GM:?}" "${ICOUNT_CHECK_OUT:?}"
bench=$1
out=$ICOUNT_CHECK_OUT
# absolute: make -C would resolve a relative RESULTS inside the tree
tree=$(cd "$PATHLEN_TREE" && pwd) || { echo "icount-check: no tree $PATHLEN_TREE" >&2; exit 1; }
{
	echo "# make pathlen ARCH=$ARCH PL_GO=0${FILTER:+ FILTER=$FILTER} in a clean clone of the commit the guest ran ($(git -C "$tree" rev-parse --short=12 HEAD))"
	# MAKEFLAGS cleared: make board's own command line (O=, JOB=, ...) is not for this make
	if ! MAKEFLAGS='' FILTER="${FILTER:-}" nice -n 10 ${MAKE:-make} -C "$tree" --no-print-directory pathlen ARCH="$ARCH" PL_GO=0 \
		RESULTS="$tree/pl-results" >"$tree/pathlen.log" 2>&1; then
		echo "not ok - make pathlen ARCH=$ARCH ran: $(tail -n 3 "$tree/pathlen.log" | tr '\n' ' ')"
		echo "0 passed, 1 failed"
		exit 1
	fi
	pl=$(readlink -f "$tree/pl-results/latest-pathlen")/pathlen.json
	"$GM" icount "$bench" "$pl"
} >"$out" 2>&1
rc=$?
[ -f "$tree/pl-results/latest-pathlen/pathlen.txt" ] && cp "$tree/pl-results/latest-pathlen/pathlen.txt" "$(dirname "$out")/pathlen.txt"
[ -f "$tree/pl-results/latest-pathlen/pathlen.json" ] && cp "$tree/pl-results/latest-pathlen/pathlen.json" "$(dirname "$out")/pathlen.json"
exit $rc
