#!/bin/sh
# run-paired.sh GM — gm compare paired (and plan, verdicts) on made-up gmpair processes
# whose answer is known; the per-host state record; bad input.
# POSIX sh + awk.  Prints ok/not ok lines and "compare-paired: N passed, M failed".
set -u
BIN=$1
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/gmcompare-paired.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
ok() { pass=$((pass + 1)); echo "ok - compare-paired/$1"; }
nok() { fail=$((fail + 1)); echo "not ok - compare-paired/$1"; }
check() { # NAME COMMAND...: ok when the command succeeds
	n=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$n"; else nok "$n"; fi
}

# gen FILE PROC SLOTS SSB: one process of SLOTS layouts, 2 pairs per layout and case, its
# own binary (layout = PROC).  A layout multiplies B by its own placement factor (a
# deterministic pseudo-random draw, sd about 6%), a pair by a noise of about 2%.  Cases:
#   x/slower   B = A x 1.06 (and placement, noise)
#   x/null     B = A (placement, noise): no change
#   x/state    B = A x 1.12 where the ssb canary is 14 (the slow state), x 1.00 elsewhere
#   x/wide     B = A x 1.03, placement sd about 60%: cannot be resolved
#   x/patho    B = A x 1.05 exactly, but 1 in 8 layouts at x 0.20 (a pathological place)
#   x/floor    A and B about 0
#   x/tiny     B = A x 1.008, almost no noise: a real change inside the 2% margin
gen() {
	awk -v F="$1" -v P="$2" -v S="$3" -v ssb="$4" 'BEGIN {
		seed = P * 7919 + 17
		printf "{\n\"gmpair\": 1, \"layout\": %d, \"seed\": %d, \"counter\": \"tsc\", \"unit\": \"ticks\", \"slots\": %d,\n", P, seed, S
		printf "\"seconds\": {\"start\": 0.4, \"measure\": 0.2},\n"
		printf "\"machine\": {\"cpu_measured\": 1, \"core_measured\": \"test\", \"warnings\": []},\n\"canary\": ["
		for (r = 0; r < 3; r++) printf "%s{\"rep\": %d, \"a\": [50.2, 26.6, %g], \"b\": [50.2, 26.6, %g]}", (r ? "," : ""), r, ssb, ssb
		printf "],\n\"cases\": [\n"
		n = split("x/slower x/null x/state x/wide x/patho x/floor x/tiny", names, " ")
		for (c = 1; c <= n; c++) {
			printf "%s {\"name\": \"%s\", \"unit\": \"ticks\", \"batch\": 1000, \"pairs\": [", (c > 1 ? ",\n" : ""), names[c]
			for (s = 0; s < S; s++) {
				lay = exp(0.06 * gauss())
				for (i = 0; i < 2; i++) {
					a = 20 * exp(0.01 * gauss()); b = a * lay * exp(0.02 * gauss())
					if (names[c] == "x/slower") b *= 1.06
					else if (names[c] == "x/state") b *= (ssb > 10 ? 1.12 : 1.00)
					else if (names[c] == "x/wide") b *= 1.03 * lay ^ 9
					else if (names[c] == "x/patho") b = a * (s % 8 == 0 ? 0.20 : 1.05)
					else if (names[c] == "x/floor") { a = (i - 0.5) * 0.001; b = -a }
					else if (names[c] == "x/tiny") b = a * 1.008 * exp(0.002 * gauss())
					printf "%s[%g,%g,%g,%g,%d,%d,%d]", (s || i ? "," : ""), a, b, a / 2, b / 2, i, 0, s
				}
			}
			printf "]}"
		}
		printf "\n],\n\"pair_fields\": [\"a\", \"b\", \"a_ns\", \"b_ns\", \"b_first\", \"rep\", \"slot\"]\n}\n"
	}
	function rnd() { seed = (seed * 48271) % 2147483647; return seed / 2147483647 }
	function gauss() { return sqrt(-2 * log(rnd() + 1e-12)) * cos(6.283185307 * rnd()) }' >"$1"
}
for p in 1 2 3 4; do
	gen "$T/one-P$p.json" "$p" 48 2.4
	# two machine states: processes 1 and 2 slow (ssb 14), 3 and 4 fast
	gen "$T/two-P$p.json" "$p" 48 "$([ $p -le 2 ] && echo 14.2 || echo 2.4)"
done

"$BIN" compare paired --states "$T/states.json" --run-id one --out "$T/one" "$T"/one-P*.json >"$T/one.txt" 2>"$T/one.err" ||
	nok "one state: runs ($(cat "$T/one.err"))"
row() { grep "^$1 " "$2"; }
row x/slower "$T/one.txt" | grep -q ' slower$' &&
	awk '$1 == "x/slower" { gsub(/[][%,]/, " "); if ($6 + 0 < 6 && $7 + 0 > 6) ok = 1 } END { exit !ok }' "$T/one.txt" &&
	ok "x6% change: slower, the interval holds +6%" || nok "x/slower: $(row x/slower "$T/one.txt")"
row x/null "$T/one.txt" | grep -q '~ no change beyond ±[0-9.]*%$' &&
	ok "no change: ~ with its bound" || nok "x/null: $(row x/null "$T/one.txt")"
row x/wide "$T/one.txt" | grep -q 'not resolved (this run resolves ±[0-9.]*%; ~ needs ±2%)' &&
	ok "placement spread far above the effect: not resolved, the resolvable effect named" ||
	nok "x/wide: $(row x/wide "$T/one.txt")"
row x/patho "$T/one.txt" | grep -q '+5.00% .* slower$' &&
	ok "a pathological layout in eight: trimmed, +5% slower" || nok "x/patho: $(row x/patho "$T/one.txt")"
row x/floor "$T/one.txt" | grep -q '~0 floor: no ratio' && ok "floor: no ratio" || nok "x/floor: $(row x/floor "$T/one.txt")"
row x/tiny "$T/one.txt" | grep -q '+0.8[0-9]% .* ~ no change beyond ±0.[89]% (slower by less: the interval excludes 0)$' &&
	ok "a real change inside MIN_EFFECT: ~ with its bound, and said to exclude 0" || nok "x/tiny: $(row x/tiny "$T/one.txt")"
grep -q '^machine state: S1 (ssb 2.4' "$T/one.txt" && ok "one state: named S1 from a new record" ||
	nok "state line: $(grep -i 'state' "$T/one.txt" | head -2)"
grep -q '^geomean .*\[' "$T/one.txt" && ok "geomean with its interval" || nok "no geomean row"
grep -q 'Benjamini-Hochberg' "$T/one.txt" && ok "the output names its false-discovery control" || nok "no BH line"
! grep -q 'leaning\|NOTE: fewer than' "$T/one.txt" && ok "no leaning, no hard-coded layout note" || nok "old rules printed"
grep -q '  ~ no change beyond ±' "$T/one.txt" && ! grep '  ~' "$T/one.txt" | grep -v '~0 floor' | grep -qv 'beyond ±' &&
	ok "every ~ carries its bound" || nok "a ~ without a bound"

# two states: every effect per state, never pooled
"$BIN" compare paired --min-effect 3 --states "$T/states.json" --run-id two --out "$T/two" "$T"/two-P*.json >"$T/two.txt" 2>&1 ||
	nok "two states: runs"
grep -q '^MACHINE STATES: state S2 (ssb 14.2' "$T/two.txt" && grep -q 'state S1 (ssb 2.4.*seen in 2 of 3 runs and compares' "$T/two.txt" &&
	ok "two states: the record names the new one S2 and keeps S1" || nok "two states: $(grep -i state "$T/two.txt" | head -3)"
row x/state@S2 "$T/two.txt" | grep -q ' slower$' && row x/state@S1 "$T/two.txt" | grep -q '~ no change beyond' &&
	ok "an effect only in one state: slower there, ~ in the other" ||
	nok "per state: $(row x/state@S2 "$T/two.txt"); $(row x/state@S1 "$T/two.txt")"
! grep -q '^x/state ' "$T/two.txt" && ok "never pooled across states" || nok "a pooled x/state row"

# two states whose canaries differ by 15% only (the old mode detector missed 12%): named apart
for p in 1 2 3 4; do gen "$T/near-P$p.json" "$p" 16 "$([ $p -le 2 ] && echo 2.40 || echo 2.76)"; done
"$BIN" compare paired --out "$T/near" "$T"/near-P*.json >"$T/near.txt" 2>&1 &&
	grep -q '^MACHINE STATES: state S1 (ssb 2.4,' "$T/near.txt" && grep -q 'state S2 (ssb 2.76,' "$T/near.txt" &&
	ok "canaries 15% apart: two states, without a record (labels of this compare)" ||
	nok "near states: $(grep -i state "$T/near.txt" | head -3)"

# compare.json and gm compare verdicts
grep -q '"verdict": "slower"' "$T/one/compare.json" && grep -q '"ci_low_pct"' "$T/one/compare.json" &&
	grep -q '"geomean": \[' "$T/one/compare.json" && grep -q '"bound_pct"' "$T/one/compare.json" &&
	ok "compare.json: verdicts, intervals, bounds, geomean" || nok "compare.json fields"
"$BIN" compare verdicts --prefix p,1, "$T/two/compare.json" >"$T/v.csv" 2>&1 &&
	grep -q '^p,1,x/state,S2,slower,' "$T/v.csv" && grep -q '^p,1,geomean,S1,' "$T/v.csv" &&
	ok "verdicts: a CSV row per row and state" || nok "verdicts: $(head -3 "$T/v.csv")"

# the plan: from a pilot's clock and spread
"$BIN" compare plan --left 30 --link 1 "$T/one-P1.json" >"$T/plan" 2>&1 &&
	awk 'NR == 1 { exit !($1 >= 1 && $1 <= 16 && $2 >= 3) }' "$T/plan" && grep -q '^pilot: 96 pairs' "$T/plan" &&
	ok "plan: pairs per layout and processes from the pilot" || nok "plan: $(cat "$T/plan")"
"$BIN" compare plan --left 0 --link 1 "$T/one-P1.json" | awk 'NR == 1 { exit !($2 == 3) } NR == 2 { exit !/over budget/ }' &&
	ok "plan: no time left still gives three processes, and says it is over budget" || nok "plan with nothing left"

# the state record: empty, corrupt, a directory
: >"$T/empty.json"
"$BIN" compare paired --states "$T/empty.json" "$T"/one-P*.json >"$T/e.txt" 2>&1 &&
	grep -q 'WARNING: the state record .* was empty: set aside' "$T/e.txt" && [ -f "$T/empty.json.corrupt" ] &&
	grep -q '"label": "S1"' "$T/empty.json" && ok "state record empty: set aside, started again, said" ||
	nok "empty record: $(head -3 "$T/e.txt")"
echo '{"states": [{"label": "S1", "add": "x"}]}' >"$T/bad.json"
"$BIN" compare paired --states "$T/bad.json" "$T"/one-P*.json 2>&1 | grep -q 'was corrupt: set aside' &&
	ok "state record corrupt: rebuilt with a warning" || nok "corrupt record"
mkdir -p "$T/dir.json"
if "$BIN" compare paired --states "$T/dir.json" --out "$T/dirout" "$T"/one-P*.json >"$T/d.txt" 2>&1; then
	nok "a directory as the state record is refused"
else
	[ ! -e "$T/dirout" ] && grep -q 'not a regular file' "$T/d.txt" && ok "a directory as the state record: refused, nothing written" ||
		nok "directory record: $(cat "$T/d.txt")"
fi

# a case without a single pair (it failed before any): said, no number printed
F=$(dirname "$0")/fixtures
"$BIN" compare paired --out "$T/np" "$F/nopairs-P1.json" "$F/nopairs-P2.json" >"$T/np.txt" 2>&1 &&
	grep -q '^x/none .* no pairs: nothing to compare$' "$T/np.txt" && ! grep -qi 'nan\|inf' "$T/np.txt" "$T/np/compare.json" &&
	ok "a case without pairs: said, no nan" || nok "no pairs: $(grep x/none "$T/np.txt")"

# bad input: a message, non-zero, nothing written
bad() { # NAME ARGS...
	n=$1; shift
	rm -rf "$T/badout"
	if "$BIN" compare "$@" >"$T/bad.out" 2>&1; then
		nok "$n (exit 0)"
	elif [ -s "$T/bad.out" ] && [ ! -e "$T/badout" ]; then ok "$n"
	else nok "$n: $(cat "$T/bad.out")"; fi
}
bad "one process only" paired --out "$T/badout" "$T/one-P1.json"
bad "--min-effect 0" paired --min-effect 0 --out "$T/badout" "$T"/one-P*.json
bad "--alpha 1" paired --alpha 1 --out "$T/badout" "$T"/one-P*.json
echo '{"gmpair": 1, "cases": [' >"$T/trunc.json"
bad "a truncated process file" paired --out "$T/badout" "$T/one-P1.json" "$T/trunc.json"
bad "plan: --left not a number" plan --left soon --link 1 "$T/one-P1.json"
bad "plan: a pilot without its clock" plan --left 10 --link 1 "$T/trunc.json"
bad "verdicts: a process-level compare.json" verdicts "$T/one-P1.json"

echo "compare-paired: $pass passed, $fail failed"
[ "$fail" = 0 ]
