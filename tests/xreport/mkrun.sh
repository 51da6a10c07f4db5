#!/bin/sh
# tests/xreport/mkrun.sh DIR key=value... — a made-up gmbench run folder for the report's
# tests (every figure in it is invented; nothing here was measured).
#   host=NAME port=arm64 unit=cycles counter=perf core=Cortex-A72 rev=REV gov=performance
#   throttled=-1 emulated=no model=MODEL (writes board.json) lavaemu=yes|no (board.json)
#   scale=1.0 (multiplies every value) nsper=0.5 (ns per unit) benches="suite/trans/var ..."
#   reps=5 warn="a warning"  hostid=ID (context.json's gm_host_id)  coreid=ID (gm_core_id)
#   cpuid=ID (machine.json's cpus[] entry of the measured CPU, as runs before gm_core_id)
set -eu
dir=$1; shift
host=vm port=arm64 unit=cycles counter=perf core=Cortex-A72 rev=aaaaaaaaaaaa gov=performance
throttled=-1 emulated=no model="" lavaemu=no scale=1.0 nsper=0.5 reps=5 warn="" hostid="" coreid="" cpuid=""
benches="tls/read_tp/le tls/read_tp/ie cgocall/asmcgocall/mask cgocall/asmcgocall/static"
for kv; do eval "${kv%%=*}=\${kv#*=}"; done
mkdir -p "$dir"
awk -v benches="$benches" -v unit="$unit" -v scale="$scale" -v nsper="$nsper" -v reps="$reps" -v host="$host" '
BEGIN {
	n = split(benches, b, " ")
	printf "{\n  \"context\": {\"host_name\": \"%s\"},\n  \"benchmarks\": [\n", host
	first = 1
	for (i = 1; i <= n; i++) {
		base = 10 * i
		for (r = 0; r < reps; r++) {
			v = (base + r) * scale          # reps: base, base+1, ...: the median is base + (reps-1)/2
			if (b[i] ~ /^counter\/empty/) v = (r - (reps - 1) / 2) * 0.01    # a floor around 0
			printf "%s    {\"name\": \"%s/manual_time\", \"run_name\": \"%s/manual_time\", \"run_type\": \"iteration\", \"repetitions\": %d, \"repetition_index\": %d, \"iterations\": 1000, \"real_time\": %.6f, \"cpu_time\": %.6f, \"time_unit\": \"ns\", \"%s\": %.6f, \"canary_add\": 64.0, \"canary_call\": 12.0, \"canary_ssb\": 2.0, \"cycles_per_tick\": 1.0, \"ticks_per_ns\": 1.0}", (first ? "" : ",\n"), b[i], b[i], reps, r, v * nsper, v * nsper, unit, v
			first = 0
		}
		printf ",\n    {\"name\": \"%s/manual_time_median\", \"run_name\": \"%s/manual_time\", \"run_type\": \"aggregate\", \"aggregate_name\": \"median\", \"real_time\": 1, \"time_unit\": \"ns\", \"%s\": NaN}", b[i], b[i], unit
	}
	printf "\n  ]\n}\n"
}' >"$dir/bench.json"
ws=""
[ -z "$warn" ] || ws="\"$warn\""
cat >"$dir/machine.json" <<J
{"cpu_measured": 1, "pinned": true, "core_measured": "$core",$([ -z "$cpuid" ] || printf '\n "cpus": [{"cpu": 0, "type": "%s", "id": "x"}, {"cpu": 1, "type": "%s", "id": "%s"}],' "$core" "$core" "$cpuid")
 "before": {"governor": "$gov", "throttled": $throttled, "cooling_active": 0},
 "after": {"governor": "$gov", "throttled": $throttled, "cooling_active": 0},
 "warnings": [$ws]}
J
cat >"$dir/context.json" <<J
{"host_name": "$host", "gm_port": "$port", "gm_counter": "$counter", "gm_counter_unit": "$unit",
 "gm_core_measured": "$core",$([ -z "$coreid" ] || printf ' "gm_core_id": "%s",' "$coreid")$([ -z "$hostid" ] || printf ' "gm_host_id": "%s",' "$hostid") "gm_emulated": "$emulated", "gm_git_rev": "$rev", "gm_governor": "$gov",
 "machine": $(cat "$dir/machine.json")}
J
if [ -n "$model" ]; then
	printf '{"model": "%s", "soc": "x", "emulated": "%s"}\n' "$model" "$([ "$lavaemu" = yes ] && echo 'yes: qemu-system (device tree compatible linux,dummy-virt)' || echo no)" >"$dir/board.json"
fi
