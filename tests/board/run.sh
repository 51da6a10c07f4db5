#!/bin/sh
# tests/board/run.sh — make test-board: the board-in-a-box rig tested end to end.
#
#  - bad requests are refused with a message and a non-zero exit (an unknown ARCH, the
#    32-bit kernel with the 64-bit userland, a bad JOB), before anything is built;
#  - a guest that cannot finish in TIMEOUT makes make board fail, and its folder says so;
#  - the arm64 guest (Debian's arm64 kernel, -icount shift=0) builds natively, passes
#    its test binaries, picks the perf backend with user-space reads, labels its run
#    emulated-system, and its perf cycles and instructions per op equal make pathlen's
#    exact counts (gm icount; the tolerance and why are in docs/tools/icount.md).
# The images are built on first use (~20-40 min each here) and cached.  Prints
# "ok - ..." / "not ok - ..." lines and "N passed, N failed"; exit 1 on a failure.
# Environment: O, MAKE, GM, RESULTS, BOARD_RELEASE; BOARD_TEST_ARCHES (default
# "arm64"; "arm64 arm-arm64" adds the 32-bit userland on the arm64 kernel);
# BOARD_TEST_FILTER (the benchmarks the smoke runs and checks; default below).
GM_TEST_PREFIX="board: "
. "$(dirname "$0")/../lib.sh"
set -u
O=${O:-build}
MAKE=${MAKE:-make}
RESULTS=${RESULTS:-$O/board/test-results}
log=$O/board/test-board.log
mkdir -p "$O/board"
: >"$log"
mb() { $MAKE --no-print-directory board O="$O" RESULTS="$RESULTS" "$@" >>"$log" 2>&1; }

# ---- refusals: no image is built for these
t "ARCH=amd64 is refused" "! mb ARCH=amd64"
t "KERNEL=armmp with ARCH=arm64 is refused" "! mb ARCH=arm64 KERNEL=armmp"
t "JOB=nonsense is refused" "! mb ARCH=arm64 JOB=nonsense"
t "ICOUNT=2 is refused" "! mb ARCH=arm64 ICOUNT=2"
t "the refusals say why" "grep -q 'KERNEL=armmp is a 32-bit kernel' '$log' && grep -q 'JOB=nonsense: use' '$log'"

# Transitions made of gmbench's own code only: the guest's libc (pthread_getspecific,
# __tls_get_addr) is a newer Debian build than the host's cross libc pathlen counts.
filter=${BOARD_TEST_FILTER:-'^(counter/|tls/read_tp/(le|tpidr|ie|kuser)|switch/|cgocall/asmcgocall/|callback/crosscall2/le)'}
newest() { ls -dt "$RESULTS"/*-"$1"-qemu-system/*/ 2>/dev/null | head -n1; }
for what in ${BOARD_TEST_ARCHES:-arm64}; do
	case $what in
	arm64) arch=arm64 kernel=arm64 ;;
	arm-arm64) arch=arm kernel=arm64 ;;
	arm-armmp) arch=arm kernel=armmp ;;
	*) notok "BOARD_TEST_ARCHES: unknown '$what'"; continue ;;
	esac
	# ---- a timeout fails the target (the image is built here if it is not cached)
	echo "# $what: images (cached after the first build), then a guest stopped by TIMEOUT=20" >&2
	if mb ARCH=$arch KERNEL=$kernel JOB=smoke TIMEOUT=20; then
		notok "$what: a guest that cannot finish in TIMEOUT fails make board"
	else
		d=$(newest $arch)
		if [ -n "$d" ] && grep -q '^verdict: TIMEOUT' "$d/board.txt"; then
			ok "$what: a guest that cannot finish in TIMEOUT fails make board, and board.txt says TIMEOUT"
		else
			notok "$what: a guest stopped by TIMEOUT fails make board and says so ($(tail -n 2 "$log" | tr '\n' ' '))"
		fi
	fi
	# ---- the smoke job under -icount
	echo "# $what: smoke job under -icount shift=0 (build, tests, gmbench, perf vs pathlen)" >&2
	t0=$(date +%s)
	mb ARCH=$arch KERNEL=$kernel JOB=smoke ICOUNT=1 FILTER="$filter"
	rc=$?
	d=$(newest $arch)
	if [ -z "$d" ]; then
		notok "$what: make board ICOUNT=1 JOB=smoke left a result folder ($(tail -n 3 "$log" | tr '\n' ' '))"
		continue
	fi
	if [ $rc -eq 0 ]; then ok "$what: make board ICOUNT=1 JOB=smoke passes ($(($(date +%s) - t0)) s; $d)"
	else notok "$what: make board ICOUNT=1 JOB=smoke passes: $(sed -n 's/^verdict: //p' "$d/board.txt")"; fi
	t "$what: the guest ran the $arch userland on the $kernel kernel" \
	  "grep -q 'hostarch.sh says $arch$' '$d/progress' && grep -q '$( [ $kernel = arm64 ] && echo aarch64 || echo armv7l)' '$d/machine.txt'"
	t "$what: the guest's test_runtime passed" "grep -q '^runtime=0' '$d/rc'"
	t "$what: the counter probe lists every backend, chosen or refused with a reason" \
	  "grep -Eq '^(ok|unavailable) - .*counter/backend/perf' '$d/counters.txt' && grep -Eq '^(ok|unavailable) - .*counter/backend/clock' '$d/counters.txt'"
	t "$what: perf uses user-space reads with perf_user_access=1" \
	  "sed -n '/perf_user_access=1/,\$p' '$d/counters.txt' | grep -q 'backend/perf: .*user-space counter reads'"
	t "$what: with perf_user_access=0 perf says why it reads with read(2)" \
	  "sed -n '/perf_user_access=0/,/perf_user_access=1/p' '$d/counters.txt' | grep -q 'perf_user_access is 0'"
	if [ $arch = arm ]; then
		t "$what: pmccntr works after a perf event enabled user access (32-bit userland, arm64 kernel)" \
		  "sed -n '/perf_user_access=1/,\$p' '$d/counters.txt' | grep -q '^ok - .*backend/pmccntr: .*perf event'"
	fi
	t "$what: the run is labelled emulated-system" "grep -q '\"gm_emulated\": \"emulated system' $d/runs/*/*/context.json"
	t "$what: the run's summary says EMULATED" "grep -q 'EMULATED' $d/runs/*/*/summary.txt"
	t "$what: board.txt says emulated system, not a board" "grep -q 'EMULATED SYSTEM' '$d/board.txt'"
	if [ -f "$d/icount-check.txt" ]; then
		sed -n 's/^\(ok\|not ok\) - /\1 - board: '"$what"': icount: /p' "$d/icount-check.txt"
		pass=$((pass + $(grep -c '^ok - ' "$d/icount-check.txt")))
		fail=$((fail + $(grep -c '^not ok - ' "$d/icount-check.txt")))
	else
		notok "$what: the ICOUNT check ran (icount-check.txt)"
	fi
done
echo "board: log of the make board runs: $log"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
