#!/bin/sh
# tests/machine/run.sh TEST_MACHINE — the machine's description and state (bench/host/machine.c)
# on made-up machines, GOVERNOR= set and restored on every exit path (scripts/governor.sh
# through scripts/bench.sh, Ctrl-C included), all on a fake sysfs: nothing on this
# machine is touched.
GM_TEST_PREFIX="machine/"
. "$(dirname "$0")/../lib.sh"
T=$1
BIN=${2:-}	# gmbench for the host: the real pinning (optional)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# ---- a big.LITTLE board: 4 x Cortex-A53 (cpu0-3) + 2 x Cortex-A72 (cpu4-5)
mk_board() { # dir
	d=$1
	mkdir -p "$d/sys/devices/system/cpu" "$d/proc/self"
	echo 0-5 >"$d/sys/devices/system/cpu/possible"
	echo 0-5 >"$d/sys/devices/system/cpu/online"
	: >"$d/proc/cpuinfo"
	for c in 0 1 2 3 4 5; do
		mkdir -p "$d/sys/devices/system/cpu/cpu$c/cpufreq"
		if [ $c -lt 4 ]; then part=0xd03 cap=485 max=1416000; else part=0xd08 cap=1024 max=1800000; fi
		echo $cap >"$d/sys/devices/system/cpu/cpu$c/cpu_capacity"
		echo $max >"$d/sys/devices/system/cpu/cpu$c/cpufreq/cpuinfo_max_freq"
		echo $max >"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_max_freq"
		echo 408000 >"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_min_freq"
		echo $max >"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_cur_freq"
		echo performance >"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor"
		echo "ondemand userspace powersave performance schedutil" \
			>"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_available_governors"
		printf 'processor\t: %d\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: %s\nCPU revision\t: 4\n\n' \
			$c $part >>"$d/proc/cpuinfo"
	done
	mkdir -p "$d/sys/class/thermal/thermal_zone0"
	echo cpu-thermal >"$d/sys/class/thermal/thermal_zone0/type"
	echo 45000 >"$d/sys/class/thermal/thermal_zone0/temp"
	printf 'cpu  1000 0 500 90000 0 0 0 0 0 0\n' >"$d/proc/stat"
	for c in 0 1 2 3 4 5; do printf 'cpu%d 100 0 50 15000 0 0 0 0 0 0\n' $c >>"$d/proc/stat"; done
	echo '1234 (gmbench) R 1 1234 1234 0 -1 4194304 100 0 0 0 100 20 0 0 20 0 1 0 100 1000 100 0' >"$d/proc/self/stat"
}

mk_board "$t/b"
GM_SYSFS="$t/b/sys" GM_PROCFS="$t/b/proc" "$T" cpus >"$t/out" 2>&1
grep -q '^cpu 0: Cortex-A53 \[0x41:0xd03 r0p4\] capacity 485' "$t/out" && grep -q '^cpu 5: Cortex-A72 ' "$t/out" &&
	ok "core types named from MIDR implementer/part (Cortex-A53, Cortex-A72)" || bad "core types: $(cat "$t/out")"
grep -q '^default 5: CPU 5: Cortex-A72, the fastest kind' "$t/out" &&
	ok "the default CPU is a big core (highest capacity), never silently a LITTLE one" || bad "default: $(grep default "$t/out")"
grep -q '^types 3 5$' "$t/out" && ok "one CPU per core type for CPU=all-types (3: A53, 5: A72)" ||
	bad "types: $(grep types "$t/out")"

# ---- an x86 VM: all alike
mkdir -p "$t/x/sys/devices/system/cpu" "$t/x/proc"
echo 0-1 >"$t/x/sys/devices/system/cpu/possible"
for c in 0 1; do
	printf 'processor\t: %d\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nstepping\t: 2\nmicrocode\t: 0x8001250\n\n' $c
done >"$t/x/proc/cpuinfo"
GM_SYSFS="$t/x/sys" GM_PROCFS="$t/x/proc" "$T" cpus >"$t/out" 2>&1
grep -q '^cpu 1: AMD EPYC \[AuthenticAMD family 23 model 1 stepping 2\]' "$t/out" && grep -q '^default 1: .*all allowed CPUs are alike' "$t/out" &&
	ok "x86: the model name, and vendor, family, model and stepping (a VM's 'AMD EPYC' alone names no CPU); all alike: the highest-numbered CPU" ||
	bad "x86: $(cat "$t/out")"

# ---- states before/after
judge() { "$T" judge "$t/b" "$t/a" 5 2>"$t/json"; }
reset_after() { rm -rf "$t/a"; cp -r "$t/b" "$t/a"; }
reset_after
judge >"$t/out"
grep -q '^0 warnings' "$t/out" && ok "a quiet run on the performance governor: no warning" || bad "quiet: $(cat "$t/out")"
grep -q '"core_measured": "Cortex-A72"' "$t/json" && grep -q '"core_id": "0x41:0xd08 r0p4"' "$t/json" &&
	grep -q '"governor": "performance"' "$t/json" &&
	grep -q '"cpu-thermal": 45000' "$t/json" && ok "the state JSON names the core, governor and temperatures" ||
	bad "state json: $(cat "$t/json")"

echo ondemand >"$t/b/sys/devices/system/cpu/cpu5/cpufreq/scaling_governor"
reset_after
echo 1200000 >"$t/a/sys/devices/system/cpu/cpu5/cpufreq/scaling_cur_freq"
judge >"$t/out"
grep -q "governor of CPU 5 is 'ondemand', not 'performance'" "$t/out" && ok "governor not performance: WARNING" ||
	bad "governor warning: $(cat "$t/out")"
grep -q 'clock of CPU 5 moved during the run: 1800 -> 1200 MHz' "$t/out" && ok "a frequency change: WARNING" ||
	bad "frequency warning: $(cat "$t/out")"
echo performance >"$t/b/sys/devices/system/cpu/cpu5/cpufreq/scaling_governor"

reset_after
echo 1500000 >"$t/a/sys/devices/system/cpu/cpu5/cpufreq/scaling_max_freq"
mkdir -p "$t/a/sys/class/thermal/cooling_device0"
echo cpufreq-cpu4 >"$t/a/sys/class/thermal/cooling_device0/type"
echo 2 >"$t/a/sys/class/thermal/cooling_device0/cur_state"
judge >"$t/out"
grep -q 'CPU 5 is capped at 1500 of its 1800 MHz after the run' "$t/out" &&
	grep -q 'thermal throttling: CPU cooling devices active after the run (cpufreq-cpu4=2)' "$t/out" &&
	ok "thermal throttling (cooling device, capped maximum): WARNINGs" || bad "throttling: $(cat "$t/out")"

reset_after
mkdir -p "$t/b/sys/devices/platform/soc/soc:firmware" "$t/a/sys/devices/platform/soc/soc:firmware"
echo 0 >"$t/b/sys/devices/platform/soc/soc:firmware/get_throttled"
echo 40000 >"$t/a/sys/devices/platform/soc/soc:firmware/get_throttled"
judge >"$t/out"
grep -q 'Raspberry Pi firmware: during the run it was throttled' "$t/out" &&
	ok "Raspberry Pi firmware throttle flags that appeared during the run: WARNING" || bad "rpi flags: $(cat "$t/out")"
echo 5 >"$t/a/sys/devices/platform/soc/soc:firmware/get_throttled"
judge >"$t/out"
grep -q 'Raspberry Pi firmware flags after the run: under-voltage, throttled' "$t/out" &&
	ok "Raspberry Pi under-voltage and throttling now: WARNING" || bad "rpi now: $(cat "$t/out")"
rm -rf "$t/b/sys/devices/platform"

# steal and competing load: cpu5 advanced by 1000 ticks; self by 400
reset_after
sed -i "s/^cpu5 .*/cpu5 600 0 150 15300 0 0 0 100 0 0/" "$t/a/proc/stat"
sed -i 's/ 100 20 0 0 20 / 400 120 0 0 20 /' "$t/a/proc/self/stat"
judge >"$t/out"
grep -q 'steal time: the hypervisor ran something else 10% of the time on CPU 5' "$t/out" &&
	ok "steal time above a few percent: WARNING" || bad "steal: $(cat "$t/out")"
grep -q 'competing load: other processes or interrupts used 20% of CPU 5' "$t/out" &&
	ok "other processes on the measured CPU: WARNING (busy minus our own time)" || bad "competing: $(cat "$t/out")"
reset_after
for c in 0 1 2 3 4; do sed -i "s/^cpu$c .*/cpu$c 600 0 50 15500 0 0 0 0 0 0/" "$t/a/proc/stat"; done
judge >"$t/out"
grep -q 'competing load on the other CPUs: 50% busy' "$t/out" && ok "load on the other CPUs: WARNING" ||
	bad "others: $(cat "$t/out")"

# ---- GOVERNOR= through scripts/governor.sh and scripts/bench.sh
reset_after
g="$t/b/sys/devices/system/cpu/cpu5/cpufreq/scaling_governor"
echo ondemand >"$g"
GM_SYSFS="$t/b/sys" scripts/governor.sh set performance 5 "$t/save" 2>"$t/err" && [ "$(cat "$g")" = performance ] &&
	GM_SYSFS="$t/b/sys" scripts/governor.sh restore "$t/save" 2>>"$t/err" && [ "$(cat "$g")" = ondemand ] &&
	[ ! -e "$t/save" ] && ok "governor.sh sets the governor and puts the old one back" || bad "governor.sh: $(cat "$t/err")"
GM_SYSFS="$t/b/sys" scripts/governor.sh set turbo 5 "$t/save" 2>"$t/err"
[ $? = 2 ] && grep -q "no governor 'turbo' (available: ondemand" "$t/err" && [ "$(cat "$g")" = ondemand ] &&
	ok "an unknown governor: exit 2, a message, nothing changed" || bad "unknown governor: $(cat "$t/err")"
GM_SYSFS="$t/x/sys" scripts/governor.sh set performance 1 "$t/save" 2>"$t/err"
[ $? = 2 ] && grep -q 'CPU 1 has no cpufreq' "$t/err" && ok "no cpufreq: exit 2 with a message" ||
	bad "no cpufreq: $(cat "$t/err")"

# bench.sh with GOVERNOR=performance, interrupted like a Ctrl-C (SIGINT to the process group)
cat >"$t/fakebench" <<'EOS'
#!/bin/sh
case "$1" in
--list-cpus) printf 'cpu 5\tCortex-A72\t-\tcapacity 1024\tmax_khz 1800000\tallowed\ttype-representative\tdefault\n'; exit 0 ;;
esac
: >"$MARK"
sleep 30
EOS
chmod +x "$t/fakebench"
MARK="$t/started" GM_SYSFS="$t/b/sys" BIN="$t/fakebench" GM=/bin/false ARCH=amd64 RESULTS="$t/results" \
	GOVERNOR=performance setsid scripts/bench.sh >"$t/bench.out" 2>&1 &
bpid=$!
i=0
while [ ! -e "$t/started" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
during=$(cat "$g")
kill -INT -- "-$bpid" 2>/dev/null
wait $bpid
rc=$?
left=$(find "$t/results" -name '.partial*' 2>/dev/null | head -1)
[ "$during" = performance ] && [ "$(cat "$g")" = ondemand ] && [ $rc != 0 ] && [ -z "$left" ] &&
	grep -q 'back to ondemand' "$t/bench.out" &&
	ok "make bench GOVERNOR=performance: set during the run, restored after Ctrl-C (exit $rc), no partial folder" ||
	bad "Ctrl-C restore: during=$during after=$(cat "$g") rc=$rc left=$left: $(cat "$t/bench.out")"

# ---- the real thing: gmbench pinned, its new m's on the same CPU, the state recorded
if [ -n "$BIN" ]; then
	"$BIN" --list-cpus >"$t/cpus" 2>&1 && grep -q '	default' "$t/cpus" && ok "gmbench --list-cpus names a default CPU" ||
		bad "--list-cpus: $(cat "$t/cpus")"
	cpu=$(awk -F'\t' 'NR == 1 { sub(/^cpu /, "", $1); print $1 }' "$t/cpus")
	if "$BIN" --quick --cpu="$cpu" --filter='^thread/start/newm$' --benchmark_repetitions=1 \
		--state-out="$t/state.json" >"$t/run" 2>&1; then
		grep -q "\"cpu_measured\": $cpu," "$t/state.json" && grep -q '"pinned": true' "$t/state.json" &&
			grep -q '"warnings": \[' "$t/state.json" && ! grep -q 'ERROR\|error_message' "$t/run" &&
			ok "gmbench --cpu=$cpu: pinned, its new m's ran on CPU $cpu (thread/start/newm checks), state written" ||
			bad "pinned run: $(tail -n 3 "$t/run")"
	else
		bad "gmbench --cpu=$cpu failed: $(tail -n 3 "$t/run")"
	fi
	"$BIN" --quick --cpu=9999 --filter='^counter/empty' >"$t/run" 2>&1
	rc=$?
	[ $rc = 2 ] && grep -q 'not an online CPU' "$t/run" && ok "gmbench --cpu=9999: exit 2, a clear message" ||
		bad "--cpu=9999: exit $rc: $(tail -n 2 "$t/run")"
fi

echo "machine: $pass passed, $fail failed"
[ $fail = 0 ]
