#!/bin/sh
# tests/peers/run.sh — the peers' tests (make test-peers).  Behaviour only: no timing is
# asserted.  One line per case: "ok - ...", "not ok - ...", or "unavailable - ..." where
# a peer cannot be built here (with the reason); exit 1 if any case failed.
#
# Environment (bench/rules.mk sets it): GM (the gm tool), RUN (emulator
# prefix), ARCH, PEERS_TEST_BIN (C switch tests), PEERS_GO_TEST (Go peers' test binary),
# PEERS_BOOST (Boost status folder), BENCH_BIN (gmbench, where the port is built).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fx=$here/fixtures
: "${GM:?}"
RUN=${RUN:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

ok() { echo "ok - peers: $*"; }
nok() { echo "not ok - peers: $*"; fails=$((fails + 1)); }
check() { # CONDITION-STATUS DESCRIPTION [DETAIL]
	if [ "$1" -eq 0 ]; then ok "$2"; else nok "$2${3:+: $3}"; fi
}
fresh() { rm -rf "$work/run"; cp -r "$fx/run" "$work/run"; }
table_row() { # PAIR-PATTERN REGEX DESCRIPTION: the ratio table's line for the pair matches
	line=$(grep "$1" "$work/run/peers.txt")
	echo "$line" | grep -q "$2"
	check $? "$3" "$line"
}
leftovers() { find "$work/run" -name '.*.tmp.*' | wc -l; }

# ---------------------------------------------------------------- the C-side switches
if [ -n "${PEERS_TEST_BIN:-}" ] && [ -x "$PEERS_TEST_BIN" ]; then
	# shellcheck disable=SC2086
	$RUN "$PEERS_TEST_BIN" > "$work/cpeers.out" 2>&1
	rc=$?
	cat "$work/cpeers.out"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$work/cpeers.out"; then
		nok "the C switch test binary failed (exit $rc): $(tail -n 1 "$work/cpeers.out")"
	fi
	fails=$((fails + $(grep -c '^not ok' "$work/cpeers.out")))
else
	nok "the C switch test binary was not built (${PEERS_TEST_BIN:-unset})"
fi

# ---------------------------------------------------------------- Go output -> bench.json
fresh
before=$(cksum < "$work/run/bench.json")
"$GM" peers go "$work/run" "$fx/go-amd64.txt" --toolchain="go1.19 fixture" > "$work/out" 2>&1
check $? "gm peers go merges fixture Go output" "$(cat "$work/out")"
n=$(grep -c '"run_name": "peer/cgocall/go"' "$work/run/bench.json")
check $((n != 8)) "3 repetitions of BenchmarkCgoCall become 3 entries + 5 aggregates named peer/cgocall/go" "found $n"
n=$(grep -c '"run_name": "peer/callback/go"' "$work/run/bench.json")
check $((n != 8)) "the -GOMAXPROCS suffix is dropped (BenchmarkCallback-2 -> peer/callback/go)" "found $n"
grep -q '"name": "peer/chanpingpong/go_median"' "$work/run/bench.json"
check $? "aggregates are named as Google Benchmark names them (peer/chanpingpong/go_median)"
grep -q '"label": "go test -bench: ns/op only, Go has no cycle counter"' "$work/run/bench.json"
check $? "the Go entries say they are ns only"
grep -q '"gm_peers_go": "go1.19 fixture; go test -bench' "$work/run/bench.json"
check $? "the context records the Go toolchain and method"
if grep -A14 '"name": "peer/cgocall/go_median"' "$work/run/bench.json" | grep -q '"real_time": 41.0'; then
	ok "median of 40, 42, 41 ns/op is 41 ns/op"
else
	nok "median of 40, 42, 41 ns/op is 41 ns/op"
fi
grep -q '"ticks"' "$work/run/bench.json" && ! grep -A16 '"run_name": "peer/gosched/go"' "$work/run/bench.json" | grep -q '"ticks"\|"cycles"'
check $? "no cycles or ticks on the Go entries"
"$GM" peers go "$work/run" "$fx/go-amd64.txt" > /dev/null 2>&1
n=$(grep -c '"run_name": "peer/cgocall/go"' "$work/run/bench.json")
check $((n != 8)) "merging again replaces the Go entries (idempotent)" "found $n"
n=$(grep -c '"run_name": "switch/gosave+gogo/savegm/manual_time"' "$work/run/bench.json")
check $((n != 8)) "gmbench's own entries are kept" "found $n"
check "$(leftovers)" "no temporary file is left behind"
if [ -x "$GM" ]; then
	"$GM" report "$work/run" > "$work/out" 2>&1
	check $? "gm report reads the merged bench.json" "$(tail -n 2 "$work/out")"
	grep -q '^peer/cgocall  *go  *41.00 ns' "$work/run/summary.txt"
	check $? "gm report's summary shows the Go row in ns" "$(grep peer/cgocall "$work/run/summary.txt")"
fi

# ---------------------------------------------------------------- bad input
bad() { # FILE EXPECTED-MESSAGE DESCRIPTION
	fresh
	before=$(cksum < "$work/run/bench.json")
	"$GM" peers go "$work/run" "$1" > "$work/out" 2>&1
	rc=$?
	after=$(cksum < "$work/run/bench.json")
	if [ $rc -eq 2 ] && grep -q "^gm peers: .*$2" "$work/out" && [ "$before" = "$after" ] && [ "$(leftovers)" = 0 ]; then
		ok "$3: exit 2, '$(head -n 1 "$work/out")', bench.json untouched"
	else
		nok "$3: exit $rc (want 2), message '$(head -n 1 "$work/out")' (want '$2'), bench.json $([ "$before" = "$after" ] && echo untouched || echo CHANGED)"
	fi
}
bad "$fx/go-empty.txt" "empty" "empty Go output"
bad "$fx/go-garbage.txt" "no benchmark result lines" "garbage instead of Go output"
bad "$fx/go-nobench.txt" "no benchmark result lines" "go test output without benchmarks"
bad "$fx/go-badnum.txt" "bad value" "a benchmark line with a malformed number"
bad "$fx/go-fail.txt" "reported a failure" "go test reporting a failure"
bad "$fx/go-arm64.txt" "mismatched" "arm64 Go output merged into an amd64 run"
bad "$work/no-such-file.txt" "No such file" "a missing Go output file"
fresh
sed 's/"gm_port": "amd64"/"gm_port": "arm32"/' "$fx/run/bench.json" > "$work/run/bench.json"
sed 's/^goarch: amd64/goarch: arm/' "$fx/go-amd64.txt" > "$work/go-arm.txt"
"$GM" peers go "$work/run" "$work/go-arm.txt" > "$work/out" 2>&1
check $? "Go's goarch arm is gmbench's arm32 port" "$(cat "$work/out")"
mkdir -p "$work/notrun"
echo '{"benchmarks": [' > "$work/notrun/bench.json"
"$GM" peers go "$work/notrun" "$fx/go-amd64.txt" > "$work/out" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$work/notrun/bench.json")" = '{"benchmarks": [' ] && grep -q '^gm peers: ' "$work/out"
check $? "a truncated bench.json: exit 2 with a message, nothing written" "exit $rc: $(head -n 1 "$work/out")"
echo '{"context": {}, "benchmarks": []}' > "$work/notrun/bench.json"
"$GM" peers go "$work/notrun" "$fx/go-amd64.txt" > "$work/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'not a gmbench run' "$work/out"
check $? "a Google Benchmark file that is not a gmbench run: exit 2" "exit $rc: $(head -n 1 "$work/out")"

# ---------------------------------------------------------------- the ratio table
fresh
grep -v Gosched "$fx/go-amd64.txt" > "$work/go-nogosched.txt"
"$GM" peers go "$work/run" "$work/go-nogosched.txt" > /dev/null 2>&1
"$GM" peers unavailable "$work/run" "the fixture has no Go for it" peer/gosched/go > "$work/out" 2>&1
check $? "gm peers unavailable records a reason" "$(cat "$work/out")"
"$GM" peers table "$work/run" --run-name=results/fixture/run > "$work/table.out" 2>&1
check $? "gm peers table runs on a fixture run folder" "$(tail -n 2 "$work/table.out")"
for f in peers.txt peers.json peers.dat; do
	[ -s "$work/run/$f" ]
	check $? "the table writes $f"
done
cmp -s "$work/table.out" "$work/run/peers.txt"
check $? "the table printed is peers.txt"
grep -q '^run: results/fixture/run$' "$work/run/peers.txt"
check $? "the table names the run folder it belongs to"
table_row 'switch/gosave+gogo/savegm.*peer/switch/setjmp' '10.00 ticks.*5.00 ticks.* 2x$' \
	"gosave+gogo 10 ticks vs setjmp 5 ticks: ratio 2x in ticks"
table_row 'cgocall/cgocall/gotoday.*peer/call/plain-indirect' ' 10x$' \
	"cgocall 30 ticks vs plain indirect call 3 ticks: ratio 10x"
table_row 'cgocall/cgocall/gotoday.*peer/cgocall/go' '41.00 ns .*0.281x (ns)$' \
	"cgocall vs Go's cgo call is taken in ns (11.54 ns / 41 ns)"
table_row 'switch/reschedule/savegm.*peer/switch/boost-fcontext' 'unavailable: Boost.Context not available (fixture: "quoted"; with a semicolon)$' \
	"a peer registered unavailable says why (reason with quotes and a semicolon)"
table_row 'switch/reschedule/savegm.*peer/gosched/go' 'unavailable: the fixture has no Go for it$' \
	"a Go peer recorded unavailable says why"
table_row 'tls/read_tp/rdfsbase' "unavailable: gmbench's tls/read_tp/rdfsbase: the CPU lacks FSGSBASE; rdfsbase would fault$" \
	"a gmbench variant unavailable in the run says why"
n=$(grep -c 'tls/read_tp/.*peer/load/plain' "$work/run/peers.txt")
check $((n != 3)) "every tls/read_tp variant of the run (2 measured + 1 unavailable) is paired with the plain load" "found $n"
grep -q '"ratio": 2.0' "$work/run/peers.json" && grep -q '"basis": "ns"' "$work/run/peers.json" &&
	grep -q '"available": false' "$work/run/peers.json"
check $? "peers.json holds the ratios, their basis and the unavailable pairs"
grep -q '"switch/gosave+gogo/savegm vs switch/setjmp" 2 ticks ""' "$work/run/peers.dat"
check $? "peers.dat holds the ratio for the plot"
"$GM" peers go "$work/run" "$fx/go-amd64.txt" > /dev/null 2>&1
"$GM" peers table "$work/run" > /dev/null 2>&1
grep 'switch/reschedule/savegm.*peer/gosched/go' "$work/run/peers.txt" | grep -q 'x (ns)$'
check $? "once Go has run, its unavailable note is dropped"
rm -f "$work/run/peers.txt"
echo '{"context": {"gm_port": "amd64", "gm_counter_unit": "ticks"}, "benchmarks": []}' > "$work/run/bench.json"
"$GM" peers table "$work/run" > "$work/out" 2>&1
rc=$?
[ $rc -eq 2 ] && [ ! -e "$work/run/peers.txt" ] && [ "$(leftovers)" = 0 ]
check $? "a run without benchmarks: exit 2, no table written" "exit $rc: $(head -n 1 "$work/out")"

# ---------------------------------------------------------------- the chart
if command -v gnuplot > /dev/null 2>&1; then
	fresh
	"$GM" peers unavailable "$work/run" "no Go in this fixture" peer/cgocall/go peer/callback/go peer/gosched/go \
		peer/chanpingpong/go > /dev/null 2>&1
	"$GM" peers table "$work/run" > /dev/null 2>&1
	sh "$top/scripts/plot/peers.sh" "$work/run" > "$work/out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ -s "$work/run/peers.png" ] && [ -s "$work/run/peers.svg" ] &&
		grep -q 'unavailable: no Go in this fixture' "$work/run/peers.svg"
	check $? "plot-peers.sh draws peers.png and peers.svg, with the unavailable rows" "exit $rc: $(tail -n 2 "$work/out")"
	rm -f "$work/run/peers.dat"
	sh "$top/scripts/plot/peers.sh" "$work/run" > "$work/out" 2>&1
	check $(($? == 0)) "plot-peers.sh without peers.dat fails with a message" "$(cat "$work/out")"
else
	echo "unavailable - peers: the ratio chart: gnuplot is not installed (apt-get install gnuplot-nox)"
fi

# ---------------------------------------------------------------- the real-Go peers
if [ -n "${PEERS_GO_TEST:-}" ] && [ -x "$PEERS_GO_TEST" ]; then
	# shellcheck disable=SC2086
	$RUN "$PEERS_GO_TEST" -test.run=. -test.bench='^$' -test.v > "$work/go.out" 2>&1
	rc=$?
	sed -n 's/^--- PASS: \([A-Za-z0-9_]*\).*/ok - peers: Go: \1/p; s/^--- FAIL: \([A-Za-z0-9_]*\).*/not ok - peers: Go: \1/p' \
		"$work/go.out"
	fails=$((fails + $(grep -c '^--- FAIL' "$work/go.out")))
	npass=$(grep -c '^--- PASS' "$work/go.out")
	if [ $rc -ne 0 ] || [ "$npass" -lt 3 ]; then
		nok "the Go peers' tests (exit $rc, $npass passed): $(tail -n 1 "$work/go.out")"
	fi
	# the benchmarks run and their output converts (tiny benchtime: behaviour, not speed)
	# shellcheck disable=SC2086
	$RUN "$PEERS_GO_TEST" -test.run='^$' -test.bench=. -test.benchtime=200x -test.count=1 -test.cpu=1 \
		> "$work/gobench.out" 2>&1
	rc=$?
	n=$(grep -c '^Benchmark.* ns/op' "$work/gobench.out")
	[ $rc -eq 0 ] && [ "$n" -eq 5 ]
	check $? "the 5 Go peer benchmarks run ($ARCH)" "exit $rc, $n results: $(tail -n 1 "$work/gobench.out")"
	mkdir -p "$work/gorun"
	port=$ARCH
	[ "$ARCH" = arm ] && port=arm32	# gmbench's name of the ARMv7 port; Go calls it arm
	sed "s/\"gm_port\": \"amd64\"/\"gm_port\": \"$port\"/" "$fx/run/bench.json" > "$work/gorun/bench.json"
	"$GM" peers go "$work/gorun" "$work/gobench.out" > "$work/out" 2>&1
	check $? "their real output converts and merges into a $ARCH run" "$(cat "$work/out")"
else
	why="not built"
	[ -n "${PEERS_GO_TEST:-}" ] && [ -s "$PEERS_GO_TEST.why" ] && why=$(cat "$PEERS_GO_TEST.why")
	echo "unavailable - peers: the real-Go peers for $ARCH: $why"
fi

# ---------------------------------------------------------------- gmbench registers the peers
if [ -n "${BENCH_BIN:-}" ] && [ -x "$BENCH_BIN" ]; then
	# shellcheck disable=SC2086
	GM_PEERS=1 $RUN "$BENCH_BIN" --list --filter='^peer/' > "$work/list" 2>&1
	rc=$?
	n=$(grep -c '^peer/' "$work/list")
	[ $rc -eq 0 ] && [ "$n" -eq 5 ]
	check $? "GM_PEERS=1 gmbench --list registers the 5 C peers" "exit $rc, $n: $(tr '\n' ' ' < "$work/list")"
	# shellcheck disable=SC2086
	$RUN "$BENCH_BIN" --list > "$work/list" 2>&1
	! grep -q '^peer/' "$work/list"
	check $? "without GM_PEERS=1 gmbench registers no peer"
fi

[ "$fails" -eq 0 ]
