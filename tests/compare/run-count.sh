#!/bin/sh
# tests/compare/run-count.sh GM — gm compare count on made-up make pathlen /
# make predict / timing results (make test-compare; cheap): no change gives one line, a
# change gives its rows and routines, counts that differ between a side's two runs are
# reported and never give an exact delta, the timing kind sits beside the count, the
# prediction kind is labelled, and bad input fails with a message and writes nothing.
set -u
G=${1:?usage: run-count.sh GM}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-count-test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - count/$*"; pass=$((pass + 1)); }
notok() { echo "not ok - count/$*"; fail=$((fail + 1)); }
t() { if eval "$2" >/dev/null 2>&1; then ok "$1"; else notok "$1"; fi; }

# pl FILE ARCH GOSAVE_SWITCH GOSAVE_GO2012 [SWITCH_TOTAL_OVERRIDE]: a small pathlen.json
pl() {
	sw=$((30 + $3)); cg=$((200 + $4)); [ -n "${5:-}" ] && sw=$5
	cat >"$1" <<JSON
{"kind": "gmbench-pathlen", "arch": "$2", "port": "$2", "method": "qemu-aarch64 version 7.2, -singlestep -d nochain,exec: made up", "k": 16, "reps": 2,
 "cases": [
  {"name": "counter/empty/batch", "instructions_per_op": 0, "exact": true, "symbols": {}},
  {"name": "switch/gosave+gogo/nosave", "instructions_per_op": $sw, "exact": true, "symbols": {"run_direct": 12, "gm_gogo": 6, "partner": 12, "gm_gosave": $3}},
  {"name": "cgocall/cgocall/go2012", "instructions_per_op": $cg, "exact": true, "symbols": {"gm_cgocall_go2012": 150, "entersyscall_2012": 50, "gm_gosave": $4}},
  {"name": "tls/read_tp/le", "instructions_per_op": 5, "exact": true, "symbols": {"gm_tlsloop_le": 5}}
 ],
 "unavailable": [{"name": "tls/read_tp/rdfsbase", "why": "CPU lacks FSGSBASE"}]}
JSON
}
pl "$tmp/a1.json" arm64 6 6; pl "$tmp/a2.json" arm64 6 6
pl "$tmp/b1.json" arm64 7 7; pl "$tmp/b2.json" arm64 7 7

# --- nothing changed: one line, no table
"$G" compare count --out "$tmp/same" "$tmp/a1.json" "$tmp/a2.json" -- "$tmp/a1.json" "$tmp/a2.json" >"$tmp/same.txt" 2>&1
t "same: exit 0" "[ -f '$tmp/same/compare.json' ]"
t "same: one line says no counted path changed" "grep -q '^no counted path changed: 4 rows' '$tmp/same.txt' && ! grep -q '^name ' '$tmp/same.txt'"
t "same: counted twice, every count identical" "grep -q '^counted twice on each side.*every count identical' '$tmp/same.txt'"
t "same: compare.json says so (kinds [count], no_counted_path_changed)" \
  "grep -q '\"no_counted_path_changed\": true' '$tmp/same/compare.json' && grep -q '\"kinds\": \\[' '$tmp/same/compare.json'"

# --- one instruction more in gm_gosave
"$G" compare count --out "$tmp/chg" "$tmp/a1.json" "$tmp/a2.json" -- "$tmp/b1.json" "$tmp/b2.json" >"$tmp/chg.txt" 2>&1
t "change: 2 of 4 rows changed" "grep -q '^2 of 4 rows changed' '$tmp/chg.txt'"
t "change: the switch row: 36 -> 37, +1, in gm_gosave" "grep -Eq '^switch/gosave\\+gogo/nosave +36 +37 +\\+1  gm_gosave \\+1$' '$tmp/chg.txt'"
t "change: the go2012 row: +1 in gm_gosave" "grep -Eq '^cgocall/cgocall/go2012 +206 +207 +\\+1  gm_gosave \\+1$' '$tmp/chg.txt'"
t "change: unchanged rows are not listed" "! grep -q '^tls/read_tp/le' '$tmp/chg.txt' && ! grep -q '^counter/empty' '$tmp/chg.txt'"
t "change: compare.json rows are of kind count, with symbols_delta" \
  "grep -c '\"kind\": \"count\"' '$tmp/chg/compare.json' | grep -qx 4 && grep -q '\"gm_gosave\": 1' '$tmp/chg/compare.json'"
t "change: count.csv for the plots" "grep -qx 'switch/gosave+gogo/nosave,36,37,1,1,1' '$tmp/chg/count.csv'"
t "change: no timing rows, so no timing column" "! grep -q 'timing:' '$tmp/chg.txt'"
# ln(37/36) + ln(207/206) + ln(5/5) over 3 rows (counter/empty counts 0: left out): +1.0805%
t "change: the geomean over the rows counted on both sides, exact" \
  "grep -q '^geomean of new/old over the 3 rows counted on both sides: +1.081% (exact counts: no interval)' '$tmp/chg.txt' && grep -q '\"geomean_rows\": 3' '$tmp/chg/compare.json'"

# --- a side whose two runs differ: said, and the delta is not exact
pl "$tmp/b2x.json" arm64 7 7 38
"$G" compare count --out "$tmp/rep" "$tmp/a1.json" "$tmp/a2.json" -- "$tmp/b1.json" "$tmp/b2x.json" >"$tmp/rep.txt" 2>&1
t "repeat: the header says some counts differ" "grep -q 'SOME COUNTS DIFFER' '$tmp/rep.txt'"
t "repeat: the row is marked ! and explained" \
  "grep -Eq '^switch/gosave\\+gogo/nosave .* !\\+1 ' '$tmp/rep.txt' && grep -q '^! switch/gosave+gogo/nosave: NEW counted 37 in one run and 38 in the other' '$tmp/rep.txt'"
t "repeat: compare.json: not exact, not repeatable" \
  "grep -q '\"not_repeatable\": 1' '$tmp/rep/compare.json' && grep -q '\"new_runs\": \\[' '$tmp/rep/compare.json'"

# --- the timing kind beside the count
cat >"$tmp/timing.json" <<'JSON'
{"tool": "gmcompare", "format_version": 2, "mode": "paired", "unit": "ticks", "counter": "tsc", "alpha": 0.05, "layouts": 6,
 "benchmarks": [
  {"name": "switch/gosave+gogo/nosave", "old": {"median": 14.0}, "new": {"median": 14.5}, "kind": "timing-paired", "delta_pct": 3.5, "p": 0.031, "significant": true},
  {"name": "cgocall/cgocall/go2012", "old": {"median": 60.0}, "new": {"median": 60.1}, "kind": "timing-paired", "delta_pct": 0.2, "p": 0.56, "significant": false},
  {"name": "tls/read_tp/le", "old": {"median": 1.0}, "new": {"median": 1.1}, "kind": "timing-paired", "delta_pct": 9.0, "p": 0.031, "significant": true}
 ]}
JSON
"$G" compare count --timing "$tmp/timing.json" --out "$tmp/both" "$tmp/a1.json" "$tmp/a2.json" -- "$tmp/b1.json" "$tmp/b2.json" >"$tmp/both.txt" 2>&1
t "both: a slower row reads '+1 instruction, +0.49 ticks (+3.5%), p=0.031: slower'" \
  "grep -q 'timing: +1 instruction, +0.49 ticks (+3.5%), p=0.031: slower' '$tmp/both.txt'"
t "both: a change timing does not resolve reads '~ (... hidden by the out-of-order core ...)'" \
  "grep -q 'timing: +1 instruction, ~ (p=0.56: hidden by the out-of-order core' '$tmp/both.txt'"
t "both: timing that moved with no count change is listed apart" \
  "grep -A1 '^timing moved where no instruction count did' '$tmp/both.txt' | grep -q '^tls/read_tp/le .*0 instructions'"
t "both: one compare.json with both kinds, each row named" \
  "grep -c '\"kind\": \"timing-paired\"' '$tmp/both/compare.json' | grep -qx 3 && grep -c '\"kind\": \"count\"' '$tmp/both/compare.json' | grep -qx 4 && grep -q '\"timing-paired\",' '$tmp/both/compare.json'"

# --- the prediction kind
cat >"$tmp/pa.json" <<'JSON'
{"kind": "gmbench-predict", "meta": {"llvm_mca": "LLVM version 14.0.6", "cores": [
  {"arch": "arm64", "core": "Cortex-A53", "boards": "Raspberry Pi 3", "class": "in-order", "mcpu": "cortex-a53", "model": "Cortex-A53", "own_mcpu": "cortex-a53", "own_model": "Cortex-A53", "note": ""},
  {"arch": "arm64", "core": "Cortex-A76", "boards": "Raspberry Pi 5", "class": "out-of-order", "mcpu": "cortex-a57", "model": "Cortex-A57", "own_mcpu": "cortex-a76", "own_model": "Cortex-A57", "note": ""}]},
 "results": [
 {"arch": "arm64", "cpu": "cortex-a53", "symbol": "gm_gosave", "instructions": 6, "cycles_one_pass": 10, "rthroughput": 3.0, "uncosted": [], "model": "Cortex-A53"},
 {"arch": "arm64", "cpu": "cortex-a57", "symbol": "gm_gosave", "instructions": 6, "cycles_one_pass": 9, "rthroughput": 5.0, "uncosted": [], "model": "Cortex-A57"}]}
JSON
cat >"$tmp/pb.json" <<'JSON'
{"kind": "gmbench-predict", "meta": {"llvm_mca": "LLVM version 14.0.6"}, "results": [
 {"arch": "arm64", "cpu": "cortex-a53", "symbol": "gm_gosave", "instructions": 7, "cycles_one_pass": 11, "rthroughput": 3.5, "uncosted": []},
 {"arch": "arm64", "cpu": "cortex-a57", "symbol": "gm_gosave", "instructions": 7, "cycles_one_pass": 9, "rthroughput": 5.0, "uncosted": ["dmb ish (found an unsupported instruction)"]}]}
JSON
printf 'changed\tarm64\tgm_gosave\nsame\tarm64\tgm_gogo\nsame\tarm64\tgm_mcall\n' >"$tmp/paths.tsv"
"$G" compare count --predict "$tmp/pa.json" "$tmp/pb.json" --paths "$tmp/paths.tsv" --out "$tmp/pred" \
	"$tmp/a1.json" -- "$tmp/b1.json" >"$tmp/pred.txt" 2>&1
t "predict: labelled STATIC PREDICTION, NOT A MEASUREMENT" "grep -q 'STATIC PREDICTION, NOT A MEASUREMENT' '$tmp/pred.txt'"
t "predict: 1 of 3 routines changed, 2 identical" "grep -q '^1 of 3 routines. paths changed; the other 2 are identical' '$tmp/pred.txt'"
t "predict: the in-order core's delta, with the model named" \
  "grep -Eq '^gm_gosave +Cortex-A53 model \\(-mcpu=cortex-a53\\) +6 -> 7 +10 -> 11 \\(\\+1\\)' '$tmp/pred.txt'"
t "predict: each core's stand-in is named as predict.json recorded it, with llvm-mca's version" \
  "grep -q '^  arm64: Cortex-A76 (Raspberry Pi 5; out-of-order): the Cortex-A57 model stands in (-mcpu=cortex-a57, llvm-mca 14.0.6); its -mcpu=cortex-a76 is the Cortex-A57 model' '$tmp/pred.txt' && grep -q '^  arm64: Cortex-A53 (Raspberry Pi 3; in-order): its own model, Cortex-A53' '$tmp/pred.txt'"
t "predict: no core is called 'its own model' from a table" "! grep -q 'Cortex-A76.*its own model' '$tmp/pred.txt'"
t "predict: an instruction the new side's model cannot cost is said" "grep -q 'not costed by this model (new side): \\[dmb ish' '$tmp/pred.txt'"
t "predict: counted once per side is said" "grep -q '^counted once on each side' '$tmp/pred.txt'"
t "predict: prediction rows in compare.json, labelled" \
  "grep -c '\"kind\": \"prediction\"' '$tmp/pred/compare.json' | grep -qx 2 && grep -q '\"label\": \"static prediction, not a measurement\"' '$tmp/pred/compare.json'"
sed 's/, "model": "Cortex-A5[37]"//; s/"cores": \[/"old_cores": [/' "$tmp/pa.json" >"$tmp/pa-old.json"
"$G" compare count --predict "$tmp/pa-old.json" "$tmp/pb.json" --paths "$tmp/paths.tsv" "$tmp/a1.json" -- "$tmp/b1.json" >"$tmp/pred-old.txt" 2>&1
t "predict: a predict.json without the models says the model was not recorded" \
  "grep -Eq '^gm_gosave +-mcpu=cortex-a53 \\(model not recorded\\)' '$tmp/pred-old.txt' && grep -q '^  not recorded' '$tmp/pred-old.txt'"
printf 'same\tarm64\tgm_gosave\nsame\tarm64\tgm_gogo\n' >"$tmp/paths-same.tsv"
"$G" compare count --predict "$tmp/pa.json" "$tmp/pa.json" --paths "$tmp/paths-same.tsv" "$tmp/a1.json" -- "$tmp/b1.json" >"$tmp/pred2.txt" 2>&1
t "predict: no path changed: one line" "grep -q '^no predicted path changed: the straight-line paths of all 2 routines' '$tmp/pred2.txt'"

# --- every timing row names its kind: process level (gmcompare OLD -- NEW)
fx=$(dirname "$0")/fixtures
if [ -f "$fx/old.json" ] && "$G" compare --out "$tmp/proc" "$fx/old.json" "$fx/new.json" >/dev/null 2>&1; then
	n=$(grep -c '"name":' "$tmp/proc/compare.json"); k=$(grep -c '"kind": "timing-process"' "$tmp/proc/compare.json")
	t "process level: each of the $n timing rows is of kind timing-process" "[ '$n' -gt 0 ] && [ '$n' = '$k' ]"
	"$G" compare count --timing "$tmp/proc/compare.json" --out "$tmp/proc2" "$tmp/a1.json" -- "$tmp/b1.json" >/dev/null 2>&1
	t "process level: merged with the count kind: kinds [timing-process, count]" \
	  "tr -d ' \n' <'$tmp/proc2/compare.json' | grep -q '\"kinds\":\[\"timing-process\",\"count\"\]'"
else
	notok "process level: gmcompare OLD -- NEW on tests/compare/fixtures failed"
fi

# --- bad input: a message, exit 2, nothing written
bad() { # name message args...
	n=$1 m=$2; shift 2
	"$G" compare count --out "$tmp/bad-$n" "$@" >"$tmp/bad-$n.out" 2>"$tmp/bad-$n.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q "$m" "$tmp/bad-$n.err" && [ ! -s "$tmp/bad-$n.out" ] && [ ! -e "$tmp/bad-$n" ]; then
		ok "bad input: $n: exit 2, \"$(head -n1 "$tmp/bad-$n.err" | cut -c1-90)\", nothing written"
	else
		notok "bad input: $n (exit $rc): $(head -n2 "$tmp/bad-$n.err")"
	fi
}
echo '{"benchmarks": []}' >"$tmp/bench.json"
echo '{"kind": "gmbench-pathlen", "cases": [' >"$tmp/trunc.json"
pl "$tmp/x1.json" arm 6 6
printf 'moved\tarm64\tgm_gosave\n' >"$tmp/paths-bad.tsv"
bad missing "cannot\|No such" "$tmp/nonexistent.json" -- "$tmp/b1.json"
bad not-pathlen "not a make pathlen result" "$tmp/bench.json" -- "$tmp/b1.json"
bad truncated "not a readable pathlen.json" "$tmp/trunc.json" -- "$tmp/b1.json"
bad other-arch "both sides must be one port" "$tmp/a1.json" -- "$tmp/x1.json"
bad three-runs "at most two counts per side" "$tmp/a1.json" "$tmp/a2.json" "$tmp/a1.json" -- "$tmp/b1.json"
bad no-separator "needs OLD.json" "$tmp/a1.json" "$tmp/b1.json"
bad bad-paths "bad status" --paths "$tmp/paths-bad.tsv" "$tmp/a1.json" -- "$tmp/b1.json"
bad bad-timing "not a gmcompare compare.json" --timing "$tmp/a1.json" "$tmp/a1.json" -- "$tmp/b1.json"
bad bad-predict "not a make predict result" --predict "$tmp/a1.json" "$tmp/pb.json" "$tmp/a1.json" -- "$tmp/b1.json"
# issue 22: a prediction that llvm-mca left without a figure (make predict writes null)
# shows "-" and says so, never nan; what no make predict writes is refused
sed 's/"rthroughput": 3.5/"rthroughput": null/' "$tmp/pb.json" >"$tmp/pb-null.json"
"$G" compare count --predict "$tmp/pa.json" "$tmp/pb-null.json" "$tmp/a1.json" -- "$tmp/b1.json" >"$tmp/pnull.txt" 2>&1
t "predict: a null rthroughput reads '3.0 -> - (llvm-mca gave no figure)', no nan" \
  "grep -q '3.0 -> - (llvm-mca gave no figure)' '$tmp/pnull.txt' && ! grep -qi 'nan\|inf' '$tmp/pnull.txt'"
sed 's/"uncosted": \["dmb[^]]*\]/"uncosted": [7]/' "$tmp/pb.json" >"$tmp/pb-num.json"
bad predict-uncosted-number "uncosted holds a non-string" --predict "$tmp/pa.json" "$tmp/pb-num.json" "$tmp/a1.json" -- "$tmp/b1.json"
sed 's/"cycles_one_pass": 11/"cycles_one_pass": 1e308/' "$tmp/pb.json" >"$tmp/pb-big.json"
bad predict-huge "cycles_one_pass is not a count" --predict "$tmp/pa.json" "$tmp/pb-big.json" "$tmp/a1.json" -- "$tmp/b1.json"
sed 's/"old": {"median": 14.0}/"old": {}/' "$tmp/timing.json" >"$tmp/timing-noold.json"
bad timing-no-median "has a delta but no old and new median" --timing "$tmp/timing-noold.json" "$tmp/a1.json" -- "$tmp/b1.json"
mkdir -p "$tmp/paths-dir"
bad paths-folder "cannot read it" --paths "$tmp/paths-dir" "$tmp/a1.json" -- "$tmp/b1.json"
sed 's/"gm_gosave": 7}/"gm_gosave": -1e308}/' "$tmp/b1.json" >"$tmp/b1-huge.json"
bad pathlen-huge-symbol "is not a count" "$tmp/a1.json" -- "$tmp/b1-huge.json"
: >"$tmp/paths-empty.tsv"
"$G" compare count --predict "$tmp/pa.json" "$tmp/pb.json" --paths "$tmp/paths-empty.tsv" "$tmp/a1.json" -- "$tmp/b1.json" >"$tmp/pempty.txt" 2>&1
t "predict: a routine the paths file does not list is counted ('1 of 1', never '1 of 0')" \
  "grep -q '^1 of 1 routines. paths changed' '$tmp/pempty.txt'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
