#!/bin/sh
# tests/profile/run.sh — scripts/profile.sh (make profile) on a stand-in perf and gmbench:
# a suite whose samples hit no transition symbol (the thread suite: thread creation is the
# kernel's time) is reported and the run is kept; a FILTER that matches nothing is a
# message and leaves nothing.  Seconds; runs no real profile.
GM_TEST_PREFIX="profile/"
. "$(dirname "$0")/../lib.sh"
set -u
gm_test_tmp gmprofile
mkdir -p "$T/bin"

# gmbench: two suites; the filter it ran with goes to its output (perf record keeps it)
cat >"$T/bin/gmbench" <<'EOF'
#!/bin/sh
case "$*" in
*--list*) case "$*" in *--filter=nomatch*) exit 0 ;; esac
	printf 'cgocall/asmcgocall/mask\tcycles\nthread/start/newm\tcycles\n'; exit 0 ;;
esac
for a; do case $a in --filter=*) echo "ran ${a#--filter=}" ;; esac; done
EOF
# perf: no PMU (hardware events <not supported>); record writes the suite into perf.data;
# report finds gm_asmcgocall_mask in the cgocall suite and only kernel symbols in the thread suite
cat >"$T/bin/perf" <<'EOF'
#!/bin/sh
cmd=$1; shift
case $cmd in
--version) echo "perf version 6.1.0 (stand-in)" ;;
stat)
	case "$*" in *-x,*) for e in cycles instructions branches branch-misses L1-icache-load-misses iTLB-load-misses; do
		echo "<not supported>,,$e,0,100.00,," >&2; done; exit 0 ;; esac
	out=""; while [ $# -gt 0 ] && [ "$1" != -- ]; do [ "$1" = -o ] && out=$2; shift; done; shift
	echo "     12.34 msec task-clock" >"$out"; "$@" ;;
record)
	out=""; while [ $# -gt 0 ] && [ "$1" != -- ]; do [ "$1" = -o ] && out=$2; shift; done; shift
	"$@" >"$out" ;;
report)
	in=""; while [ $# -gt 0 ]; do [ "$1" = -i ] && in=$2; shift; done
	echo "# Samples: 1K of event 'cpu-clock'"
	if grep -q '^ran \^cgocall/' "$in"; then
		printf '    61.00%%  [.] gm_asmcgocall_mask\n    20.00%%  [.] gm_cgocall_bare\n'
	else
		printf '    78.00%%  [k] clone3\n    12.00%%  [k] finish_task_switch\n'
	fi ;;
annotate) echo "annotate of $*" ;;
esac
EOF
# id: as root, so the test does not depend on kernel.perf_event_paranoid here
printf '#!/bin/sh\necho 0\n' >"$T/bin/id"
chmod +x "$T/bin/"*

prof() { # log env...
	log=$1; shift
	(cd "$top" && env PATH="$T/bin:$PATH" BENCH_BIN="$T/bin/gmbench" ARCH=amd64 RUN= O="$T/o" PROFILES="$T/p" "$@" \
		bash scripts/profile.sh) >"$T/$log" 2>&1
}
prof out
rc=$?
d=$(readlink -f "$T/p/latest" 2>/dev/null)
check "a suite without a transition symbol does not end the run (exit 0, the run kept)" \
	'[ $rc -eq 0 ] && [ -f "$d/INDEX.txt" ] && [ -z "$(ls -a "$T/p"/*/ | grep partial)" ]' ||
	sed 's/^/    /' "$T/out"
t "it is reported: 'no samples in a transition: thread'" "grep -q '^profile: no samples in a transition: thread' '$T/out'"
t "with the suite's top entry, in the INDEX and the suite's folder" \
	"grep -q 'no-transition.txt: no samples in a transition symbol: .*top entry of report.txt: 78.00% \[k\] clone3' '$d/INDEX.txt' &&
	 [ -f '$d/thread/no-transition.txt' ] && [ ! -e '$d/thread/annotate-clone3.txt' ]"
t "the other suite keeps its annotations (gm_asmcgocall_mask, gm_cgocall_bare)" \
	"[ -s '$d/cgocall/annotate-gm_asmcgocall_mask.txt' ] && [ -s '$d/cgocall/annotate-gm_cgocall_bare.txt' ] && [ ! -e '$d/cgocall/no-transition.txt' ]"

prof out2 FILTER=nomatch
rc=$?
check "a FILTER that matches nothing: exit 1 with a message, nothing left" \
	'[ $rc -eq 1 ] && grep -q "no benchmark matches FILTER=nomatch" "$T/out2" && [ -z "$(find "$T/p" -name ".partial*")" ]' ||
	sed 's/^/    /' "$T/out2"

gm_tests_done profile
