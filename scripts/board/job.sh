#!/bin/sh
# scripts/board/job.sh — what a gmbench board image does at boot (make board copies it
# to the 9p share as job.sh; /sbin/gm-board-init runs it as root and powers off).
#
# The share (/mnt/host) holds job.env (ARCH JOB ICOUNT KERNEL FILTER), checkout.tar (a
# clean checkout of the commit under test, with .git), gbench-src.tar (Debian's source
# of Google Benchmark: the guest has no network) and maybe cache/gbench-<arch>.tar (a
# Google Benchmark built in an earlier boot).  Everything the job writes goes to
# /mnt/host/out: progress lines (also on the console, "board-guest: ..."), one log per
# stage, counters.txt, results.tar (the run folders `make bench` wrote), the Google
# Benchmark it built, and rc (one "stage=exit code" per line, "done" last).
#
# The job runs the README's own commands in the checkout, natively: `make test`,
# `make bench QUICK=1` (narrowed by FILTER when one is given).  JOB=smoke runs `make all`,
# the counter and runtime test binaries and a short gmbench instead (make test-board).
S=/mnt/host
OUT=$S/out
mkdir -p "$OUT"
. "$S/job.env"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
MAKEFLAGS="" GBENCH_JOBS="$(nproc)"
export MAKEFLAGS GBENCH_JOBS
progress() { echo "board-guest: $*" >/dev/console; echo "$*" >>"$OUT/progress"; }
rc() { echo "$1=$2" >>"$OUT/rc"; }
: >"$OUT/rc"

progress "booted: $(uname -srm), $(nproc) cpu(s), $(awk '/MemTotal/ {print int($2/1024) " MB"}' /proc/meminfo); userland $(dpkg --print-architecture)"
{
	echo "# machine as the guest sees it"
	uname -a
	echo "device tree model: $(tr -d '\0' </proc/device-tree/model 2>/dev/null)"
	echo "device tree compatible: $(tr '\0' ' ' </proc/device-tree/compatible 2>/dev/null)"
	grep -m4 -E '^(model name|Processor|CPU implementer|CPU part|CPU architecture|Features)' /proc/cpuinfo
	echo "kuser helpers: $( [ "$(dpkg --print-architecture)" = armhf ] && echo 'checked by make test (read_tp/kuser)' || echo 'n/a (64-bit userland)')"
	echo "perf_event_paranoid: $(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)"
	echo "perf_user_access: $(cat /proc/sys/kernel/perf_user_access 2>/dev/null || echo 'absent (not an arm64 kernel, or older than 5.17)')"
	echo "PMU: $(ls /sys/bus/event_source/devices/ 2>/dev/null | tr '\n' ' ')"
	echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
	echo "cmdline: $(cat /proc/cmdline)"
} >"$OUT/machine.txt" 2>&1

# ---- the checkout, on the guest's own disk (9p is slow for builds)
progress "stage unpack: the checkout and Google Benchmark's source"
cd /root && rm -rf gmbench && mkdir gmbench && cd gmbench || exit 1
if ! tar xf "$S/checkout.tar" || ! mkdir -p build/gbench || ! tar xf "$S/gbench-src.tar" -C build/gbench; then
	rc unpack 1; progress "unpack failed"; exit 1
fi
arch=$(scripts/hostarch.sh)
[ "$arch" = "$ARCH" ] || { rc unpack 1; progress "hostarch.sh says $arch, expected $ARCH"; exit 1; }
if [ -f "$S/cache/gbench-$arch.tar" ]; then
	tar xf "$S/cache/gbench-$arch.tar" -C build/gbench && progress "Google Benchmark for $arch from the cache (built natively in an earlier boot)"
fi
rc unpack 0
progress "checkout $(git describe --always --dirty --abbrev=12 2>/dev/null) unpacked; scripts/hostarch.sh says $arch"

# ---- build, then what the counter backends say on this kernel
progress "stage build: make all (library and test binaries, native gcc)"
make all >"$OUT/build.log" 2>&1
r=$?; rc build $r
progress "build exit $r"

ua_set() { [ -w /proc/sys/kernel/perf_user_access ] && echo "$1" >/proc/sys/kernel/perf_user_access; }
if [ $r -eq 0 ]; then
	progress "stage counters: test_counter with perf_user_access=0 and =1 (every backend: chosen, or why not)"
	{
		for ua in 0 1; do
			if [ -f /proc/sys/kernel/perf_user_access ]; then
				ua_set $ua
				echo "## perf_user_access=$(cat /proc/sys/kernel/perf_user_access)"
			else
				echo "## no /proc/sys/kernel/perf_user_access (32-bit ARM kernel)"
			fi
			build/$arch/tests/test_counter
			echo "## test_counter exit $?"
			[ -f /proc/sys/kernel/perf_user_access ] || break
		done
	} >"$OUT/counters.txt" 2>&1
	rc counters 0
	grep -E '^(ok|unavailable) - .*backend|^# ' "$OUT/counters.txt" | sed 's/^/board-guest:   /' >/dev/console
fi
# From here on, what a board owner would set for the best counter: user-space reads.
ua_set 1

# Google Benchmark, natively (~20x a host build under TCG): its own stage, and into the
# share at once, so a later boot reuses it even if this one runs out of time.
if [ "$JOB" != test ] && [ ! -f "build/gbench/$arch/.stamp" ]; then
	progress "stage gbench: Google Benchmark from Debian's source, Release, native (cached for later boots)"
	make "build/gbench/$arch/lib/libbenchmark.a" >"$OUT/gbench.log" 2>&1
	r=$?; rc gbench $r
	progress "gbench exit $r"
	[ $r -eq 0 ] && tar cf "$OUT/gbench-$arch.tar.tmp" -C build/gbench "$arch" && sync &&
		mv "$OUT/gbench-$arch.tar.tmp" "$OUT/gbench-$arch.tar" && sync
fi

run_step() { # name command...
	name=$1; shift
	progress "stage $name: $*"
	"$@" >"$OUT/$name.log" 2>&1
	r=$?
	rc "$name" $r
	progress "$name exit $r: $(grep -E '^[0-9]+ passed, [0-9]+ failed|^bench: results in' "$OUT/$name.log" | tail -n 1)"
}
case $JOB in
test|both) run_step test make test ;;
esac
# FILTER (any JOB with a bench) narrows the benchmarks; '$$' reaches make bench as '$'
# (make would expand a single '$' on its command line).
set --
[ -n "${FILTER:-}" ] && set -- FILTER="$(printf '%s' "$FILTER" | sed 's/\$/$$/g')"
case $JOB in
bench|both) run_step bench make bench QUICK=1 "$@" ;;
smoke)
	run_step runtime "build/$arch/tests/test_runtime"
	run_step bench make bench QUICK=1 "$@"
	;;
esac

# ---- bring back: run folders, test logs, the Google Benchmark build
progress "stage collect: results and logs to the share"
mkdir -p "$OUT/build-logs"
cp build/*.test.log "$OUT/build-logs/" 2>/dev/null
# only what this boot wrote: the committed reference runs stay out
runs=$(cd results 2>/dev/null && ls -d gmboard-* 2>/dev/null)
[ -n "$runs" ] && tar cf "$OUT/results.tar" -C results $runs
if [ ! -f "$S/cache/gbench-$arch.tar" ] && [ ! -f "$OUT/gbench-$arch.tar" ] && [ -f "build/gbench/$arch/.stamp" ]; then
	tar cf "$OUT/gbench-$arch.tar" -C build/gbench "$arch"	# built by make test
fi
sync
echo "done" >>"$OUT/rc"
progress "job done"
