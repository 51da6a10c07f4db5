#!/bin/sh
# tests/xreport/run.sh GM — make report on made-up run folders: keys and
# repetitions, medians, flags in every table and plot, ratios only of like units, A/B
# revisions as boards, LAVA-extracted layouts, and bad input (a message, exit 2, no
# report folder).
G=$1
T=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$T/../.." && pwd)
M=$T/mkrun.sh
pass=0 fail=0
ok() { echo "ok - xreport/$1"; pass=$((pass + 1)); }
bad() { echo "not ok - xreport/$1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# three boards: a Pi 4 (cycles, ondemand, throttled), an Ampere server (cycles), a QEMU
# guest from a LAVA job (ticks, emulated); the guest's runs sit in a LAVA-extracted layout
"$M" "$t/runs/pi4" host=pi port=arm64 unit=cycles counter=perf core=Cortex-A72 gov=ondemand throttled=327685 scale=2 nsper=0.667
"$M" "$t/runs/altra" host=altra port=arm64 unit=cycles counter=perf core=Neoverse-N1 scale=1 nsper=0.333 warn="steal time: 3%"
"$M" "$t/lava/set-1/20260101T000000Z-aaaaaaaaaaaa" host=gmboard-arm64 model=linux,dummy-virt lavaemu=yes unit=ticks counter=cntvct core=unknown scale=0.5 nsper=16
RUNS="$t/runs/pi4 $t/runs/altra $t/lava"
GM=$G RUNS="$RUNS" BASELINE=altra-arm64 OUT="$t/rep" sh "$top/scripts/xreport.sh" >"$t/out" 2>&1; rc=$?
R=$t/rep/report.txt
check "three boards (one from an extracted LAVA set) make one report" '[ $rc = 0 ] && [ -s "$R" ] && grep -q "^gmbench cross-board report: 3 board(s), 3 run(s), 12 series" "$R"'
check "merged.csv: one row per repetition (3 boards x 4 benchmarks x 5)" '[ "$(($(wc -l <"$t/rep/merged.csv") - 1))" = 60 ]'
check "merged.csv: keyed by board, core, counter, benchmark with the per-repetition canaries" \
	'head -n 1 "$t/rep/merged.csv" | grep -q "^board,core,counter,unit,benchmark,.*canary_add,canary_call,canary_ssb,cycles_per_tick,ticks_per_ns,emulated,flags$"'
check "series: the median of 5 repetitions (10..14 x 2 = 24 cycles on the Pi)" \
	'grep -q "^pi-arm64,Cortex-A72,perf,cycles,tls/read_tp/le,5,24," "$t/rep/series.csv"'
check "flags: the Pi is G (ondemand) and T (firmware throttle bits)" 'grep -q "^  pi-arm64  port arm64, revision aaaaaaaaaaaa, flags GT$" "$R"'
check "flags: the QEMU board is E (board.json: qemu-system), named by its device-tree model" \
	'grep -q "^  linux-dummy-virt-arm64 .*flags E$" "$R" && grep -q "E emulated: yes: qemu-system" "$R"'
check "flags: other warnings are W and listed" 'grep -q "flags W$" "$R" && grep -q "W steal time: 3%" "$R"'
check "every transition table row carries the board's flags and emulated yes/no" \
	'awk "/^== tls\/read_tp/,/^$/" "$R" | grep "^linux-dummy-virt" | grep -q " yes  *E$" && awk "/^== tls\/read_tp/,/^$/" "$R" | grep "^pi-arm64" | grep -q " no  *GT$"'
check "tables: the median in the board's own unit, and ns/op" \
	'awk "/^== tls\/read_tp/,/^$/" "$R" | grep "^linux-dummy" | grep -q "6 ticks .* 96 "'
check "ratio: ns by ns, and cycles by cycles where both count cycles" \
	'grep "^tls/read_tp/le " "$R" | grep -q "4.01 ns, 2 cycles"'
check "ratio: cycles against ticks are never divided (ns only)" \
	'grep "^tls/read_tp/le " "$R" | grep -q " 24 ns  " && ! grep "^tls/read_tp/le " "$R" | grep -q "ticks"'
check "ratio.csv: the native ratio is empty for ticks" 'grep "^tls/read_tp/le,linux-dummy-virt-arm64" "$t/rep/ratio.csv" | grep -q ",24.02[0-9]*,,,E,W$"'
check "plots: grouped bars per transition, titled per board with flags" \
	'grep -q "title \"pi-arm64 \[GT\]\"" "$t/rep/plots/transition-tls-read_tp.gp" && grep -q "E = emulated" "$t/rep/plots/transition-tls-read_tp.gp"'
check "plots: per-board variant comparisons in the board's own unit, EMULATED in the title" \
	'grep -q "linux-dummy-virt-arm64 \[E\]: tls variants, median ticks/op .*EMULATED" "$t/rep/plots/board-linux-dummy-virt-arm64-tls.gp"'
if command -v gnuplot >/dev/null 2>&1; then
	check "plots: gnuplot drew every plot (3 boards x 2 suites + 2 transitions)" '[ "$(ls "$t"/rep/plots/*.png | wc -l)" = 8 ]'
else
	echo "unavailable - xreport/plots drawn: gnuplot is not installed"
fi
check "no temporary folder left beside the report" '[ -z "$(ls -A "$t" | grep partial)" ]'

# an A/B job: the same board, two revisions -> two boards, board@rev
"$M" "$t/ab/a1" host=pi core=Cortex-A72 rev=1111111111111111 scale=1
"$M" "$t/ab/b1" host=pi core=Cortex-A72 rev=2222222222222222 scale=1.5
"$M" "$t/ab/b2" host=pi core=Cortex-A72 rev=2222222222222222 scale=1.5
"$G" xreport --baseline pi-arm64@111111111111 --out "$t/abrep" "$t/ab" >"$t/out" 2>&1; rc=$?
check "A/B: each revision of one board is its own board, rounds pooled (10 repetitions for B)" \
	'[ $rc = 0 ] && grep -q "^pi-arm64@222222222222,Cortex-A72,perf,cycles,tls/read_tp/le,10," "$t/abrep/series.csv"'
check "A/B: B against A is 1.5 in ns and in cycles" 'grep "^tls/read_tp/le " "$t/abrep/report.txt" | grep -q "1.5 ns, 1.5 cycles"'

# a floor around 0 (counter/empty/batch): no CV, and nothing is divided by it
fl="counter/empty/batch tls/read_tp/le"
"$M" "$t/fl/x" host=x benches="$fl"
"$M" "$t/fl/y" host=y benches="$fl" scale=2
"$G" xreport --baseline x-arm64 --out "$t/flrep" "$t/fl" >"$t/out" 2>&1; rc=$?
check "a floor around 0: no CV, and no ratio against it" \
	'[ $rc = 0 ] && grep "^counter/empty/batch " "$t/flrep/report.txt" | grep -q "baseline ~0: a floor" && awk "/^== counter\/empty/,/^$/" "$t/flrep/report.txt" | grep "^x-arm64" | grep -q " - "'

# bad input: a message, exit 2, no report folder
badcase() { # name expected-message inputs...
	n=$1 msg=$2; shift 2
	"$G" xreport --out "$t/bad-$n" "$@" >"$t/out" 2>&1; rc=$?
	check "bad input: $n: exit 2, '$msg', nothing written" '[ $rc = 2 ] && grep -q "$msg" "$t/out" && [ ! -e "$t/bad-$n" ]'
}
mkdir -p "$t/empty"
badcase "a folder that is not a run" "holds none" "$t/empty"
badcase "a folder that does not exist" "no such folder" "$t/nothing"
cp -r "$t/runs/pi4" "$t/trunc" && head -c 900 "$t/runs/pi4/bench.json" >"$t/trunc/bench.json"
badcase "a truncated bench.json" "corrupted or not JSON" "$t/runs/altra" "$t/trunc"
cp -r "$t/runs/pi4" "$t/noctx" && rm "$t/noctx/context.json"
badcase "a run without context.json" "no context.json" "$t/noctx"
cp -r "$t/runs/pi4" "$t/badctx" && echo '{"gm_port": "arm64"' >"$t/badctx/context.json"
badcase "a corrupted context.json" "corrupted or not JSON" "$t/badctx"
"$M" "$t/other" host=x benches="tls/read_tp/le switch/gosave+gogo/savegm"
badcase "runs of different benchmark sets" "different benchmark sets" "$t/runs/altra" "$t/other"
cp -r "$t/runs/pi4" "$t/agg" && awk '!/"run_type": "iteration"/' "$t/runs/pi4/bench.json" | sed 's/^,//' >"$t/agg/bench.json"
"$G" xreport --out "$t/bad-agg" "$t/agg" >"$t/out" 2>&1; rc=$?
check "bad input: no repetitions: exit 2, nothing written" '[ $rc = 2 ] && [ ! -e "$t/bad-agg" ] && grep -q "no repetitions\|corrupted" "$t/out"'
"$G" xreport --baseline no-such-board --out "$t/bad-base" "$t/runs/pi4" >"$t/out" 2>&1; rc=$?
check "bad input: an unknown baseline lists the boards" '[ $rc = 2 ] && grep -q "no board .no-such-board.; the boards are: pi-arm64" "$t/out" && [ ! -e "$t/bad-base" ]'
# issue 22: numbers no statistic can take, and optional files that exist but cannot be read
cp -r "$t/runs/pi4" "$t/huge" && sed '0,/"cycles": [0-9.]*/s//"cycles": 1e308/' "$t/runs/pi4/bench.json" >"$t/huge/bench.json"
badcase "a repetition of 1e308 cycles (CI and CV would be inf)" "out of range" "$t/huge"
cp -r "$t/runs/pi4" "$t/repix" && sed '0,/"repetition_index": 0/s//"repetition_index": 1e308/' "$t/runs/pi4/bench.json" >"$t/repix/bench.json"
badcase "a repetition_index of 1e308" "is not a repetition's number" "$t/repix"
cp -r "$t/runs/pi4" "$t/thr" && sed 's/"throttled": [0-9]*/"throttled": 1e308/' "$t/runs/pi4/machine.json" >"$t/thr/machine.json"
badcase "throttled 1e308 in machine.json" "is not the firmware's flag word" "$t/thr"
cp -r "$t/runs/altra" "$t/mdir" && rm "$t/mdir/machine.json" && mkdir "$t/mdir/machine.json"
badcase "machine.json that is a folder (not absent)" "machine.json: corrupted" "$t/mdir"
cp -r "$t/runs/altra" "$t/bloop" && ln -s board.json "$t/bloop/board.json"
badcase "board.json that is a symlink loop (not absent)" "board.json: corrupted" "$t/bloop"
cp -r "$t/runs/altra" "$t/noix" && sed 's/"repetition_index": [0-9]*, //' "$t/runs/altra/bench.json" >"$t/noix/bench.json"
"$G" xreport --out "$t/noixrep" "$t/noix" >"$t/out" 2>&1; rc=$?
check "no repetition_index (older Google Benchmark): repetitions numbered 0..4 in merged.csv" \
	'[ $rc = 0 ] && [ "$(grep ",tls/read_tp/le," "$t/noixrep/merged.csv" | cut -d, -f10 | sort -u | tr -d "\n")" = 01234 ]'
GM=$G RUNS="$t/runs/altra $t/trunc" OUT="$t/rep2" sh "$top/scripts/xreport.sh" >"$t/out" 2>&1; rc=$?
check "make report on bad input leaves no report and no partial folder" '[ $rc = 2 ] && [ ! -e "$t/rep2" ] && [ -z "$(ls -A "$t" | grep partial)" ]'
GM=$G RUNS="$t/runs/altra" OUT="$t/rep" sh "$top/scripts/xreport.sh" >"$t/out" 2>&1; rc=$?
check "make report never overwrites a report" '[ $rc = 2 ] && grep -q "exists already" "$t/out"'
# two VMs called vm: the host id (hostid.sh's fingerprint) makes two boards, and the core
# column tells a Zen 1 from a Zen 5 though both say "AMD EPYC"; a run older than the host
# id is named as before (host-port) and takes its core's identity from machine.json
"$M" "$t/vms/z1" host=vm port=amd64 unit=ticks counter=tsc core="AMD EPYC" hostid=vm-amd64-1a2b3c4d \
	coreid="AuthenticAMD family 23 model 1 stepping 2"
"$M" "$t/vms/z5" host=vm port=amd64 unit=ticks counter=tsc core="AMD EPYC" hostid=vm-amd64-5e6f7a8b \
	coreid="AuthenticAMD family 26 model 2 stepping 1"
"$M" "$t/vms/old" host=vm port=amd64 unit=ticks counter=tsc core="AMD EPYC" cpuid="family 23 model 1"
GM=$G RUNS="$t/vms" OUT="$t/vmrep" sh "$top/scripts/xreport.sh" >"$t/out" 2>&1; rc=$?
check "two machines with one hostname: two boards named by their host ids, the older run by host-port" \
	'[ $rc = 0 ] && grep -q "^gmbench cross-board report: 3 board(s)" "$t/vmrep/report.txt" &&
	 grep -q "^vm-amd64-1a2b3c4d,\"\{0,1\}AMD EPYC \[AuthenticAMD family 23 model 1 stepping 2\]" "$t/vmrep/series.csv" &&
	 grep -q "^vm-amd64-5e6f7a8b,\"\{0,1\}AMD EPYC \[AuthenticAMD family 26 model 2 stepping 1\]" "$t/vmrep/series.csv"'
check "report.txt's tables show the whole core identity (never cut)" \
	'grep -q "^vm-amd64-5e6f7a8b  *AMD EPYC \[AuthenticAMD family 26 model 2 stepping 1\] tsc " "$t/vmrep/report.txt"'
check "a run without gm_core_id: the core's identity from machine.json (AMD EPYC [family 23 model 1])" \
	'grep -q "^vm-amd64,\"\{0,1\}AMD EPYC \[family 23 model 1\]" "$t/vmrep/series.csv"'
echo "xreport: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
