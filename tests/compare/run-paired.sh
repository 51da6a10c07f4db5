#!/bin/sh
# run-paired.sh GM — gm compare paired on made-up gmpair processes whose answer
# is known: a change in every layout, a null change whose sign follows the layout, a
# benchmark with two modes that follow a canary state, a floor; and bad input.
# POSIX sh + awk.  Prints ok/not ok lines and "compare-paired: N passed, M failed".
set -u
BIN=$1
pass=0 fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/gmcompare-paired.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
ok() { pass=$((pass + 1)); echo "ok - compare-paired/$1"; }
nok() { fail=$((fail + 1)); echo "not ok - compare-paired/$1"; }

# gen LAYOUT PROC SLOW_STATE: one process's file.  24 pairs per case, a small
# deterministic wobble.  Cases:
#   x/slower   new = old x 1.10 in every process
#   x/null     new = old x (1.02 in odd layouts, 0.98 in even ones): a layout effect
#   x/modes    old 14 in processes of the slow state, 8.5 elsewhere; new = 9 everywhere
#              (the change removes a penalty that only the slow state has)
#   x/floor    old and new about 0
#   x/noisy    new = old x 0.90 in process 1 and x 1.04 in process 2 of every layout:
#              all six layouts a little faster, but by less than their processes differ
#   x/lean     new = old x 1.08 in layouts 1-5, x 0.99 in layout 6: one layout short
#   x/wild     new = old x 1.20 and x 0.85 in the two processes of odd layouts, x 0.80
#              and x 1.15 in even ones: the layouts split, the processes disagree by 35%
#   x/small    new = old x 1.02 everywhere: all six layouts agree on an effect below the
#              3% (--min-effect) a verdict needs
# The ssb canary is 14 in the slow state, 2.4 elsewhere.
gen() {
	awk -v L="$1" -v P="$2" -v S="$3" 'BEGIN {
		ssb = S ? 14.2 : 2.4
		printf "{\n\"gmpair\": 1, \"layout\": %d, \"seed\": %d, \"counter\": \"tsc\", \"unit\": \"ticks\",\n", L, L * 10 + P
		printf "\"machine\": {\"cpu_measured\": 1, \"core_measured\": \"test\", \"warnings\": []},\n"
		printf "\"canary\": ["
		for (r = 0; r < 3; r++) printf "%s{\"rep\": %d, \"a\": [50.2, 26.6, %g], \"b\": [50.2, 26.6, %g]}", (r ? "," : ""), r, ssb, ssb
		printf "],\n\"cases\": [\n"
		n = split("x/slower x/null x/modes x/floor x/noisy x/lean x/small x/wild", names, " ")
		for (c = 1; c <= n; c++) {
			printf "%s {\"name\": \"%s\", \"unit\": \"ticks\", \"batch\": 1000, \"pairs\": [", (c > 1 ? ",\n" : ""), names[c]
			for (i = 0; i < 24; i++) {
				w = 1 + ((i * 7 + L * 3 + P) % 5 - 2) * 0.002
				if (names[c] == "x/slower") { a = 20 * w; b = a * 1.10 }
				else if (names[c] == "x/null") { a = 30 * w; b = a * (L % 2 ? 1.02 : 0.98) }
				else if (names[c] == "x/modes") { a = (S ? 14 : 8.5) * w; b = 9 * w }
				else if (names[c] == "x/noisy") { a = 40 * w; b = a * (P == 1 ? 0.90 : 1.04) }
				else if (names[c] == "x/lean") { a = 25 * w; b = a * (L < 6 ? 1.08 : 0.99) }
				else if (names[c] == "x/small") { a = 35 * w; b = a * 1.02 }
				else if (names[c] == "x/wild") { a = 45 * w; b = a * (L % 2 ? (P == 1 ? 1.20 : 0.85) : (P == 1 ? 0.80 : 1.15)) }
				else { a = (i % 3 - 1) * 0.001; b = ((i + 1) % 3 - 1) * 0.001 }
				printf "%s[%g,%g,%g,%g,%d,%d]", (i ? "," : ""), a, b, a / 2, b / 2, i % 2, int(i / 8)
			}
			printf "]}"
		}
		printf "\n]\n}\n"
	}' >"$T/L$1-p$2.json"
}
for L in 1 2 3 4 5 6; do
	for P in 1 2; do
		# the slow state in layouts 1-3, process 1 only: states that do not follow layouts
		S=0; [ "$L" -le 3 ] && [ "$P" = 1 ] && S=1
		gen "$L" "$P" "$S"
	done
done

if "$BIN" compare paired --out "$T/out" "$T"/L*.json >"$T/table" 2>"$T/err"; then
	ok "12 processes, 6 layouts: compared (exit 0)"
else
	nok "paired compare failed: $(cat "$T/err")"
fi
grep -q '^mode: paired in-process .*12 processes; 6 layouts' "$T/table" && ok "the output names the mode" ||
	nok "mode line: $(head -n1 "$T/table")"
grep -q '^x/slower .* +10.00% .*slower (p=0.031, 6 of 6 layouts)' "$T/table" &&
	ok "a change in every layout: slower, +10.00%, p=0.031 (all 6 layouts)" || nok "slower row: $(grep x/slower "$T/table")"
grep -q '^x/null .* ~ (p=0\.[0-9]*; 3 slower, 3 faster of 6 layouts)' "$T/table" &&
	ok "a layout effect of either sign: ~ (3 slower, 3 faster)" || nok "null row: $(grep x/null "$T/table")"
grep -q '^x/null .*-2.0%..+2.0%' "$T/table" && ok "the layouts' range is shown (-2.0%..+2.0%)" ||
	nok "layout range: $(grep x/null "$T/table")"
grep -q "^x/noisy .* ~ (p=0.031, 6 of 6 layouts faster, but -[0-9.]*% is within the processes' own spread of 1[34].[0-9]%: not resolved)" "$T/table" &&
	ok "all layouts one way by less than the processes' spread: not resolved, no verdict" || nok "noisy row: $(grep x/noisy "$T/table")"
grep -q '^x/lean .* ~ leaning slower (p=0.062; 5 slower, 1 faster of 6 layouts)' "$T/table" &&
	ok "one layout short of significance: ~ leaning slower" || nok "lean row: $(grep x/lean "$T/table")"
grep -q '^x/small .* ~ (p=0.031, 6 of 6 layouts slower, but below the 3% a verdict needs)' "$T/table" &&
	ok "an effect below --min-effect (default 3%): no verdict" || nok "small row: $(grep x/small "$T/table")"
"$BIN" compare paired --min-effect 1 "$T"/L*.json 2>/dev/null | grep -q '^x/small .* slower (p=0.031, 6 of 6 layouts)' &&
	ok "--min-effect 1: the same 2% effect is called slower" || nok "--min-effect 1 did not call x/small slower"
"$BIN" compare paired --min-effect lots "$T"/L*.json >/dev/null 2>"$T/me.err"; rc=$?
[ $rc = 2 ] && grep -q 'min-effect must be a percentage' "$T/me.err" && ok "--min-effect lots: exit 2, a clear message" ||
	nok "--min-effect lots: exit $rc: $(cat "$T/me.err")"
grep -q "^x/wild .* ~ (p=[0-9.]*; [0-9] slower, [0-9] faster of 6 layouts; the processes of a layout disagree by 3[0-9].[0-9]%: not resolved)" "$T/table" &&
	ok "processes that disagree by more than the smallest verdict: not resolved, not a plain ~" || nok "wild row: $(grep x/wild "$T/table")"
grep -q '^x/null .* ~ (p=' "$T/table" && ! grep -q '^x/null .*not resolved' "$T/table" &&
	ok "a quiet row with no effect stays a plain ~" || nok "null row became: $(grep x/null "$T/table")"
# compare.json, one benchmark object per line: its name, then its fields
tr -d ' \n' <"$T/out/compare.json" | sed 's/{"name":/\n&/g' >"$T/flat"
grep '^{"name":"x/noisy"' "$T/flat" | grep -q '"unresolved":true' &&
	grep '^{"name":"x/lean"' "$T/flat" | grep -q '"leaning":"slower"' &&
	ok "compare.json: unresolved and leaning" || nok "compare.json lacks unresolved/leaning"
grep -q '^MACHINE STATES: the ssb canary fell into two clusters across processes: 2.4 ticks/op in 9 processes, 14.2 in 3' \
	"$T/table" && ok "a canary in two clusters across processes is named as two machine states" ||
	nok "states: $(grep -i state "$T/table")"
grep -A3 '^x/modes' "$T/table" | grep -q '^  ^ TWO MODES across processes: old 8.5 (9 processes) and 14 (3)' &&
	ok "two modes of the old side are reported, not pooled" || nok "modes: $(grep -A3 '^x/modes' "$T/table")"
grep -A3 '^x/modes' "$T/table" | grep -q '^  ^ per ssb-canary state: +5.9% (9 processes, canary 2.4), -35.7% (3, canary 14.2)' &&
	ok "the effect is given per machine state (+5.9% and -35.7%)" || nok "per state: $(grep -A3 '^x/modes' "$T/table")"
grep -q '^x/floor .*~0 floor: no ratio' "$T/table" && ok "a floor around 0 gets no ratio and no verdict" ||
	nok "floor: $(grep x/floor "$T/table")"
grep -q '"mode": "paired"' "$T/out/compare.json" && grep -q '"delta_pct_per_state"' "$T/out/compare.json" &&
	[ -s "$T/out/compare.txt" ] && ok "compare.json (mode paired, per-state deltas) and compare.txt written" ||
	nok "outputs in $T/out"

# fewer than 6 layouts: said so
"$BIN" compare paired "$T"/L1-p*.json "$T"/L2-p*.json >"$T/t2" 2>&1
grep -q '^NOTE: fewer than 6 layouts cannot reach p < 0.05' "$T/t2" && ok "fewer than 6 layouts: a NOTE says verdicts cannot be reached" ||
	nok "few layouts: $(tail -n 2 "$T/t2")"

# issue 22: a case with no pairs in any process is shown missing, never "nan ticks"
for f in "$T"/L1-p*.json "$T"/L2-p*.json; do
	awk '/"name": "x\/floor"/ { sub(/"pairs": \[.*\]/, "\"pairs\": []") } { print }' "$f" >"$T/np-$(basename "$f")"
done
"$BIN" compare paired "$T"/np-*.json >"$T/np" 2>&1
grep -q '^x/floor .*missing: no pairs in any process' "$T/np" && ! grep -qi 'nan\|inf' "$T/np" &&
	ok "a case without pairs reads 'missing: no pairs in any process', no nan" || nok "no pairs: $(grep x/floor "$T/np")"

# bad input: a message, exit 2, nothing written
bad_case() { # name expected args...
	n=$1 m=$2; shift 2
	rm -rf "$T/o2"
	"$BIN" compare paired --out "$T/o2" "$@" >"$T/o" 2>"$T/e"
	rc=$?
	if [ $rc = 2 ] && grep -q "$m" "$T/e" && [ ! -e "$T/o2" ] && [ ! -s "$T/o" ]; then
		ok "$n: exit 2, '$(head -c 80 "$T/e")', nothing written"
	else
		nok "$n: exit $rc, $(cat "$T/e")"
	fi
}
bad_case one-file "at least two processes" "$T/L1-p1.json"
echo '{"foo": 1}' >"$T/notpair.json"
bad_case not-gmpair "not a gmpair result" "$T/L1-p1.json" "$T/notpair.json"
head -c 200 "$T/L1-p1.json" >"$T/trunc.json"
bad_case truncated "trunc.json" "$T/L1-p1.json" "$T/trunc.json"
sed 's/"unit": "ticks",/"unit": "cycles",/' "$T/L2-p1.json" >"$T/cycles.json"
bad_case mixed-units "processes of different counters" "$T/L1-p1.json" "$T/cycles.json"
bad_case missing "cannot open" "$T/L1-p1.json" "$T/nonexistent.json"
echo "compare-paired: $pass passed, $fail failed"
[ $fail = 0 ]
