#!/bin/sh
# tests/report/run.sh GM — gm report, the run-folder report: the files it writes, Go
# benchmark format, and bad input (a message, exit 2, nothing half-written).
G=$1
F=$(dirname "$0")/fixtures
pass=0 fail=0
ok() { echo "ok - report/$1"; pass=$((pass + 1)); }
bad() { echo "not ok - report/$1"; fail=$((fail + 1)); }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

mkdir "$t/run" && cp "$F/bench.json" "$t/run/"
if "$G" report "$t/run" >"$t/out" 2>&1; then
	for f in bench.txt context.json summary.txt stats.csv; do
		[ -s "$t/run/$f" ] && ok "writes $f" || bad "writes $f"
	done
	grep -q '^BenchmarkTls/read_tp/le [0-9]* [0-9.e+-]* ns/op [0-9.e+-]* ticks/op$' "$t/run/bench.txt" &&
		ok "bench.txt in Go benchmark format (name, iterations, ns/op, ticks/op)" || bad "bench.txt format"
	[ "$(grep -c '^BenchmarkTls/read_tp/le ' "$t/run/bench.txt")" = 3 ] &&
		ok "one bench.txt line per repetition" || bad "one line per repetition"
	grep -q 'counter tsc (ticks)' "$t/run/summary.txt" && ok "summary names the counter and its unit" ||
		bad "summary counter and unit"
	ls "$t/run"/.*.tmp* >/dev/null 2>&1 && bad "temporary files left" || ok "no temporary files left"
else
	bad "report on a good run: $(cat "$t/out")"
fi

# the machine's state named against a per-host record (make bench sets GM_STATES)
R=$(dirname "$0")/../../results/reference/vm-amd64-epyc/20261130T045343Z-8c1499042164-ref-cpu1
if [ -f "$R/bench.json" ]; then
	mkdir "$t/st" && cp "$R/bench.json" "$R/machine.json" "$t/st/" 2>/dev/null
	GM_STATES="$t/states.json" GM_STATES_ID=first "$G" report "$t/st" >/dev/null 2>&1
	GM_STATES="$t/states.json" GM_STATES_ID=second "$G" report "$t/st" >"$t/st.out" 2>&1
	grep -q '^machine state: S1 (ssb 2.43, add 50.2, call 27.4 ticks/op; seen in 2 of 2 runs and compares on this host)$' "$t/st.out" &&
		grep -q '"last": "second"' "$t/states.json" && ok "a run names its machine state from the host's record" ||
		bad "state line: $(grep -i state "$t/st.out")"
	"$G" report "$t/st" | grep -q '^machine state' && bad "a state line without a record" || ok "no record, no state line"
fi

grep -q '^BenchmarkCounter/empty/' "$t/run/bench.txt" &&
	bad "counter/empty/batch in bench.txt (a floor around 0 breaks benchstat's geomean)" ||
	ok "counter/empty/batch is left out of bench.txt"
grep -q '^counter/empty' "$t/run/summary.txt" && ok "counter/empty/batch stays in the summary" ||
	bad "counter/empty/batch missing from the summary"

# Google Benchmark's bare NaN (a CV of 0/0): read as it is, and the file is left alone
# (Google Benchmark's own tools/compare.py reads NaN, not null)
mkdir "$t/nan" && cp "$F/bench-nan.json" "$t/nan/bench.json"
if "$G" report "$t/nan" >"$t/out" 2>&1; then
	cmp -s "$F/bench-nan.json" "$t/nan/bench.json" && ok "a bare NaN is read and bench.json is left as written" ||
		bad "bench.json was rewritten"
else
	bad "a bare NaN: $(cat "$t/out")"
fi
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$t/nan/bench.json" 2>"$t/err" &&
		ok "Python's json (what Google Benchmark's compare.py uses) reads bench.json" ||
		bad "Python's json cannot read bench.json: $(cat "$t/err")"
fi

# the core's identity (machine.json's core_id, since issue 23) beside its type
mkdir "$t/coreid" && cp "$F/bench-canary.json" "$t/coreid/bench.json" &&
	sed 's/"core_measured": "Cortex-A72"/&, "core_id": "0x41:0xd08 r0p3"/' "$F/machine.json" >"$t/coreid/machine.json"
if "$G" report "$t/coreid" >"$t/out" 2>&1 && grep -q '^machine: CPU 1 (Cortex-A72 \[0x41:0xd08 r0p3\]), pinned' "$t/coreid/summary.txt"; then
	ok "the summary names the core's identity (implementer:part, variant, revision) beside its type"
else
	bad "core identity: $(grep '^machine' "$t/coreid/summary.txt" 2>/dev/null) $(cat "$t/out")"
fi

# the machine's state and the canary: WARNING lines in the summary, machine in context.json
mkdir "$t/state" && cp "$F/bench-canary.json" "$t/state/bench.json" && cp "$F/machine.json" "$t/state/"
if "$G" report "$t/state" >"$t/out" 2>&1; then
	grep -q "^WARNING: the cpufreq governor of CPU 1 is 'ondemand'" "$t/state/summary.txt" &&
		ok "machine.json's warnings are WARNING lines of the summary" || bad "machine warnings in the summary"
	grep -q '^machine: CPU 1 (Cortex-A72), pinned; governor ondemand' "$t/state/summary.txt" &&
		ok "the summary names the measured CPU, its core and governor" || bad "machine line"
	grep -q '"core_measured": "Cortex-A72"' "$t/state/context.json" &&
		ok "context.json holds the machine's state" || bad "machine in context.json"
	grep -q '^WARNING: the machine.s state changed during the run: the ssb canary read 2.4 ticks/op in 3 repetitions and 14.3 in 3' \
		"$t/state/summary.txt" && ok "a two-mode canary is a WARNING with both modes" ||
		bad "two-mode canary: $(grep WARNING "$t/state/summary.txt")"
	grep -q '^WARNING: the core clock moved during the run' "$t/state/summary.txt" &&
		ok "a drift of cycles per tick across repetitions is a WARNING" || bad "cycles-per-tick drift warning"
	grep -q '^canary' "$t/run/summary.txt" && bad "no canary, yet a canary line" || true
	grep -q '^WARNING' "$t/run/summary.txt" && bad "a quiet run with warnings: $(grep WARNING "$t/run/summary.txt")" ||
		ok "a run without state or canary problems has no WARNING"
else
	bad "report with machine.json: $(cat "$t/out")"
fi
mkdir "$t/badstate" && cp "$F/bench.json" "$t/badstate/" && echo '{"cpu_measured": 1,' >"$t/badstate/machine.json"
"$G" report "$t/badstate" >"$t/out" 2>"$t/err"
rc=$?
[ $rc = 2 ] && grep -q 'machine.json' "$t/err" && [ ! -e "$t/badstate/summary.txt" ] &&
	ok "a corrupted machine.json: exit 2, '$(head -c 70 "$t/err")', nothing written" ||
	bad "corrupted machine.json: exit $rc"

# issue 22: a machine.json that exists but cannot be read is an error, never "no machine.json"
for kind in folder loop; do
	d="$t/m$kind"; mkdir "$d" && cp "$F/bench.json" "$d/"
	if [ $kind = folder ]; then mkdir "$d/machine.json"; else ln -s machine.json "$d/machine.json"; fi
	"$G" report "$d" >"$t/out" 2>"$t/err"; rc=$?
	[ $rc = 2 ] && grep -q 'machine.json' "$t/err" && [ -z "$(ls -A "$d" | grep -v '^bench.json$\|^machine.json$')" ] &&
		ok "machine.json that is a $kind: exit 2, '$(head -c 70 "$t/err")', nothing written" ||
		bad "machine.json that is a $kind: exit $rc, left: $(ls -A "$d" | tr '\n' ' ')"
done
# an error found after the outputs are open (an unknown time unit) leaves no temporary
d="$t/xs"; mkdir "$d" && sed 's/"time_unit": "ns"/"time_unit": "xs"/' "$F/bench.json" >"$d/bench.json"
"$G" report "$d" >"$t/out" 2>"$t/err"; rc=$?
[ $rc = 2 ] && grep -q "unknown time_unit 'xs'" "$t/err" && [ "$(ls -A "$d")" = bench.json ] &&
	ok "time_unit xs: exit 2, no temporaries left" || bad "time_unit xs: exit $rc, left: $(ls -A "$d" | tr '\n' ' ')"

for case in missing empty truncated garbage notgb; do
	d="$t/$case"
	mkdir "$d"
	case $case in
	missing) ;;
	empty) : >"$d/bench.json" ;;
	truncated) head -c 300 "$F/bench.json" >"$d/bench.json" ;;
	garbage) echo 'not json at all' >"$d/bench.json" ;;
	notgb) echo '{"foo": 1}' >"$d/bench.json" ;;
	esac
	"$G" report "$d" >"$t/out" 2>"$t/err"
	rc=$?
	left=$(ls "$d" | grep -v '^bench.json$' | head -1)
	if [ $rc = 2 ] && grep -q '^gm report: ' "$t/err" && [ -z "$left" ] && [ ! -s "$t/out" ]; then
		ok "$case input: exit 2, '$(head -c 70 "$t/err")', nothing written"
	else
		bad "$case input: exit $rc, left '$left'"
	fi
done
echo "report: $pass passed, $fail failed"
[ $fail = 0 ]
