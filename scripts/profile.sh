#!/bin/bash
# scripts/profile.sh — make profile: perf profiles of the benchmark suites.
#
# For each suite (or the benchmarks FILTER selects): perf stat with the hardware events
# that exist here (cycles, instructions, branches, branch-misses, L1-icache-load-misses,
# iTLB-load-misses) or, where there is no PMU, the software events (task-clock,
# context-switches, page-faults, cpu-migrations); perf record -g; perf report --stdio;
# perf annotate --stdio of every transition symbol the profile hit.  Google Benchmark's
# own --benchmark_perf_counters (libpfm) are added where the build has libpfm and a PMU
# exists.  Everything goes to PROFILES/<host-id>/<stamp>-<rev>/ with INDEX.txt, written
# under .partial-* and renamed when complete; PROFILES/latest points there.
#
# Environment (make passes it): BENCH_BIN, ARCH, RUN, FILTER, PROFILES, LABEL, O.
set -euo pipefail
GM_PROG=profile
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${BENCH_BIN:?}" "${ARCH:?}"
RUN=${RUN:-}
PROFILES=${PROFILES:-profiles}
O=${O:-build}

if ! command -v perf >/dev/null 2>&1 || ! perf --version >/dev/null 2>&1; then
	say "perf is not installed: apt-get install linux-perf (make deps does)"
	exit 1
fi
if [ -n "$RUN" ]; then
	echo "profile: ARCH=$ARCH runs under ${RUN%% *} here: perf would profile the emulator, not" \
	     "the transitions. Profile on the board itself (make profile there), or use" \
	     "make pathlen ARCH=$ARCH for exact instruction counts" >&2
	exit 1
fi
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 2)
if [ "$(id -u)" != 0 ] && [ "$paranoid" -gt 1 ]; then
	echo "profile: kernel.perf_event_paranoid is $paranoid: perf cannot profile user space as a" \
	     "normal user. Run: sudo sysctl kernel.perf_event_paranoid=1 (or lower), or run as root" >&2
	exit 1
fi

hostid=$(gm_hostid "$ARCH" "${RUN:-}")
rev=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=$(printf '%s-%s%s' "$stamp" "$rev" "${LABEL:+-$LABEL}" | tr -c 'A-Za-z0-9._+-' '-')
dir="$PROFILES/$hostid"
gm_stage "$dir" ""
tmp=$gm_staged

# Which events exist: try the hardware set on a trivial command.
hw="cycles,instructions,branches,branch-misses,L1-icache-load-misses,iTLB-load-misses"
sw="task-clock,context-switches,page-faults,cpu-migrations"
probe=$(perf stat -x, -e "$hw" true 2>&1 >/dev/null || true)
avail=""
for e in ${hw//,/ }; do
	if echo "$probe" | grep -F ",$e" | grep -v -e '<not supported>' -e '<not counted>' >/dev/null; then
		avail="$avail,$e"
	fi
done
avail=${avail#,}
if [ -n "$avail" ]; then
	events="$avail,$sw"
	eventset="hardware ($avail) plus software ($sw): this machine has a PMU"
	recev="cycles"
else
	events="$sw"
	eventset="software only ($sw): no hardware PMU here (perf reports the hardware events <not supported>), so no cycle, instruction or cache-miss counts; perf record samples with cpu-clock"
	recev="cpu-clock"
fi
say "events: $eventset"

# Google Benchmark's perf counters: libpfm in the build and a PMU
gbinfo="$O/gbench/$ARCH/buildinfo.txt"
pfmargs=()
if grep -qs 'libpfm: yes' "$gbinfo" && [ -n "$avail" ]; then
	pfmargs=(--benchmark_perf_counters=CYCLES,INSTRUCTIONS)
	pfmnote="Google Benchmark --benchmark_perf_counters=CYCLES,INSTRUCTIONS (libpfm) added to each run"
elif grep -qs 'libpfm: yes' "$gbinfo"; then
	pfmnote="Google Benchmark was built with libpfm, but there is no PMU here: --benchmark_perf_counters not used"
else
	pfmnote="Google Benchmark was built without libpfm ($gbinfo): --benchmark_perf_counters not used (install libpfm4-dev and rebuild it)"
fi
say "$pfmnote"

# The suites, or the benchmarks FILTER selects (one profile each: at most 40)
if [ -n "${FILTER:-}" ]; then
	# (set -o pipefail: a grep that finds nothing must not end the script, it is an answer)
	targets=$("$BENCH_BIN" --list --filter="$FILTER" 2>/dev/null | awk 'NF && n++ < 40 { print $1 }')
	[ -n "$targets" ] || { say "no benchmark matches FILTER=$FILTER"; exit 1; }
	mode=benchmark
else
	targets=$("$BENCH_BIN" --list 2>/dev/null | awk -F/ 'NF >= 3 {print $1}' | awk '!seen[$0]++')
	mode=suite
fi

idx="$tmp/INDEX.txt"
{
	echo "gmbench profiles — $ARCH on $(hostname 2>/dev/null || echo host), $(uname -srm), git $rev, $stamp"
	echo "binary: $BENCH_BIN; perf $(perf --version | awk '{print $3}'); perf_event_paranoid=$paranoid"
	echo "events: $eventset"
	echo "$pfmnote"
	echo "one $mode per folder: stat.txt (perf stat), perf.data (perf record -g -e $recev),"
	echo "report.txt (perf report --stdio), annotate-<symbol>.txt (perf annotate --stdio of each"
	echo "transition symbol the samples hit), console.txt (the benchmark's output)."
	echo
} >"$idx"

for t in $targets; do
	safe=$(printf '%s' "$t" | tr -c 'A-Za-z0-9._+-' '_')
	d="$tmp/$safe"
	mkdir -p "$d"
	if [ $mode = suite ]; then re="^$t/"; else re="^$(printf '%s' "$t" | sed 's/[][\.*^$+?(){}|]/\\&/g')\$"; fi
	args=(--filter="$re" --benchmark_repetitions=1 "${pfmargs[@]}")
	say "$t"
	perf stat -e "$events" -o "$d/stat.txt" -- "$BENCH_BIN" "${args[@]}" >"$d/console.txt" 2>&1 ||
		say "WARNING: perf stat of $t failed (see $d/console.txt)"
	if perf record -q -g -e "$recev" -o "$d/perf.data" -- "$BENCH_BIN" "${args[@]}" >/dev/null 2>"$d/record.err"; then
		perf report --stdio -i "$d/perf.data" --sort symbol,dso 2>/dev/null >"$d/report.txt" || true
		# a suite whose samples hit no transition (thread creation: the kernel's time) is
		# a result, not a failure: under pipefail an empty grep would end the whole run
		syms=$( { perf report --stdio -i "$d/perf.data" --sort symbol -g none 2>/dev/null || true; } |
			{ grep -oE '\] (gm_asmcgocall[A-Za-z0-9_]*|gm_crosscall2[A-Za-z0-9_]*|gm_cgocallback[A-Za-z0-9_]*|gm_gogo[A-Za-z0-9_]*|gm_gosave|gm_mcall|gm_sigtramp|gm_thread_entry|gm_slot_[A-Za-z0-9_]*|gm_tlsloop_[A-Za-z0-9_]*|gm_cgocall[A-Za-z0-9_]*|gm_schedule|gm_gosched)' || true; } |
			awk '{print $2}' | sort -u)
		if [ -z "$syms" ]; then
			top=$(grep -vE '^#|^$' "$d/report.txt" 2>/dev/null | sed -n 1p | sed 's/^ *//' | tr -s ' ' | cut -c1-80 || true)
			echo "no samples in a transition symbol: the time of $t is elsewhere (the kernel, thread creation, the harness); the top entry of report.txt: ${top:-none}" >"$d/no-transition.txt"
			say "no samples in a transition: $t (see $safe/no-transition.txt)"
		fi
		for s in $syms; do
			perf annotate --stdio -i "$d/perf.data" "$s" >"$d/annotate-$s.txt" 2>/dev/null || rm -f "$d/annotate-$s.txt"
		done
		rm -f "$d/record.err"
	else
		echo "profile: WARNING: perf record of $t failed: $(tail -n 1 "$d/record.err")" >&2
	fi
	{
		echo "$safe/  ($mode $t)"
		for f in "$d"/*; do
			[ -e "$f" ] || continue
			b=$(basename "$f")
			case $b in
			stat.txt) echo "  stat.txt          perf stat: $(grep -E 'task-clock|cycles' "$f" | sed -n 1p | sed 's/^ *//' | tr -s ' ')" ;;
			report.txt) echo "  report.txt        perf report: top: $(grep -vE '^#|^$' "$f" | sed -n 1p | sed 's/^ *//' | tr -s ' ' | cut -c1-80)" ;;
			annotate-*) echo "  $b" ;;
			no-transition.txt) echo "  $b: $(cat "$f")" ;;
			*) echo "  $b" ;;
			esac
		done
	} >>"$idx"
done
gm_commit "$dir" "$name" "$PROFILES" latest "$hostid"
echo "profile: $dir/$name (INDEX.txt lists what is there); $PROFILES/latest points there"
