#!/bin/bash
# tests/compare/e2e.sh — make compare end to end on the host (make test runs it):
# bad inputs fail with a message and leave nothing; two runs compare; two builds of the
# same revision build, run interleaved and compare.  Behaviour only: no timing asserted.
GM_TEST_PREFIX="compare/"
. "$(dirname "$0")/../lib.sh"
set -uo pipefail
MAKE=${MAKE:-make}
O=${O:-build}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
nothing_left() { [ -z "$(find "$res" -mindepth 1 -not -name '.*' 2>/dev/null | grep -v '/\.' | sed -n 1p)" ]; }

check_fail() { # name expected-message make-args...
	local name=$1 msg=$2; shift 2
	if out=$($MAKE --no-print-directory -s compare O="$O" RESULTS="$res" "$@" 2>&1); then
		bad "$name: succeeded, should have failed"
	elif ! grep -q "$msg" <<<"$out"; then
		bad "$name: no clear message (wanted '$msg'): $(tail -n 2 <<<"$out" | tr '\n' ' ')"
	elif ! nothing_left; then
		bad "$name: left files in the results folder"
	else
		ok "$name: refused with \"$(grep -m1 "$msg" <<<"$out" | sed 's/^compare: //')\", nothing written"
	fi
}
check_fail bad-base "not a git revision" BASE=no-such-ref-xyz NEW=HEAD
check_fail bad-patch "does not apply" BASE=HEAD NEW=tests/fixtures/not-a-patch.patch
check_fail missing-run "no such run folder" OLD=/nonexistent/run NEW=/nonexistent/run2
check_fail usage "usage" NEW=HEAD
check_fail bad-variants "is not X:Y" VARIANTS=cgocall/asmcgocall/mask
check_fail bad-budget "a number of seconds" BASE=HEAD NEW=HEAD BUDGET=soon
check_fail zero-budget "a number of seconds above 0" BASE=HEAD NEW=HEAD BUDGET=0
check_fail one-process "needs two processes" BASE=HEAD NEW=HEAD PROCS=1

f=tests/compare/fixtures
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" OLD=$f/old.json NEW=$f/new.json >"$res/.out" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	if [ -f "$d/compare.txt" ] && [ -f "$d/compare.json" ] && grep -q geomean "$d/compare.txt"; then
		ok "runs: two result files compared: compare.txt (with a geomean row) and compare.json written"
	else
		bad "runs: outputs missing in $d"
	fi
	if command -v gnuplot >/dev/null; then
		if [ -f "$d/plots/compare-delta.png" ] && [ -f "$d/plots/compare-delta.svg" ]; then ok "runs-plots: delta plot in PNG and SVG"
		else bad "runs-plots: no delta plot"; fi
	fi
else
	bad "runs: make compare OLD= NEW= failed: $(tail -n 3 "$res/.out" | tr '\n' ' ')"
fi

# the whole pipeline on a tiny filter: two worktree builds, both sides in one process as
# copies at many places (a pilot, the plan for a small BUDGET), and (MODE=both) their exact
# counts beside the timing
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" BASE=HEAD NEW=HEAD MODE=both REPS=2 LAYOUTS=4 BUDGET=5 \
	FILTER='^(tls/read_tp/le|cgocall/asmcgocall/mask)$' >"$res/.out2" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	n=$(ls "$d"/pairs/P*.json 2>/dev/null | wc -l)
	if grep -q '^mode: paired in-process: [0-9]* processes, each a binary of 4 layouts' "$d/compare.txt" &&
		grep -q '^tls/read_tp/le[ @]' "$d/compare.txt" && grep -q '^cgocall/asmcgocall/mask[ @]' "$d/compare.txt" && [ "$n" -ge 3 ]; then
		ok "paired: BASE=HEAD NEW=HEAD built twice, $n processes of 4 layouts each, compared"
	else
		bad "paired: unexpected output ($n pair files): $(head -n 12 "$d/compare.txt" | tr '\n' ' ')"
	fi
	if grep -q '^budget: BUDGET=5 s' "$d/compare.txt" && grep -q '^pilot: 8 pairs per benchmark' "$d/compare.txt" &&
		grep -q '^run: [0-9]* processes' "$d/compare.txt"; then
		ok "paired: a pilot process, then the plan for the budget, in the output"
	else
		bad "paired: no plan in the output: $(grep -i 'budget\|pilot\|run:' "$d/compare.txt" | tr '\n' ' ')"
	fi
	nm "$O/compare/pair/L1/gmpair" >"$res/.nm" 2>&1	# (grep -q on a pipe: SIGPIPE under pipefail)
	if grep -q ' T gmA0_gm_side_main$' "$res/.nm" && grep -q ' T gmB3_gm_side_main$' "$res/.nm" &&
		grep -q 'gmA0_gm_tls$' "$res/.nm" && grep -q 'gmB3_gm_tls$' "$res/.nm" &&
		! grep -q ' T gm_asmcgocall$' "$res/.nm" && ! grep -q ' T gmA4_' "$res/.nm"; then
		ok "paired: one binary, 2 x 4 independent runtimes (every side symbol renamed gmA<n>_/gmB<n>_, a TLS slot each)"
	else
		bad "paired: the pair binary does not hold the renamed copies"
	fi
	zcat "$d/pairs/layout-P1.txt.gz" >"$res/.lay" 2>/dev/null
	if grep -q '^layout seed 1: 4 slots' "$res/.lay" && grep -q '^  A0: 0 0 L1$' "$res/.lay" &&
		grep -q 'gmB2_gm_asmcgocall_mask' "$res/.lay" && grep -q '"slot_stack": \[' "$d/pairs/P1.json" &&
		grep -q '"pair_fields": \[.*"slot"\]' "$d/pairs/P1.json"; then
		ok "paired: every copy's placement (link order, paddings, addresses), its stack place, and each pair's layout are recorded"
	else
		bad "paired: layout not recorded"
	fi
	if grep -q '^WARNING' "$d/compare.txt" || grep -q '^machine state\|^MACHINE STATES' "$d/compare.txt"; then
		ok "paired: the output reports the machine's state"
	else
		bad "paired: no machine state in the output"
	fi
	if grep -q '^no counted path changed: 2 rows' "$d/compare.txt" && ! grep -q '^name .*where (routines' "$d/compare.txt" &&
		tr -d ' \n' <"$d/compare.json" | grep '"kinds":\["timing-paired","count"\]' >/dev/null; then
		ok "both: the same revision twice: one line 'no counted path changed'; compare.json holds timing-paired and count rows"
	else
		bad "both: unexpected count part: $(sed -n '/^== count/,$p' "$d/compare.txt" | sed -n 1,4p | tr '\n' ' ')"
	fi
	# two make pathlen folders compare as counts (here: the counts of that run)
	mkdir -p "$res/.pla" "$res/.plb"
	cp "$d/count/a1.json" "$res/.pla/pathlen.json" 2>/dev/null; cp "$d/count/b2.json" "$res/.plb/pathlen.json" 2>/dev/null
	if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" OLD="$res/.pla" NEW="$res/.plb" >"$res/.out5" 2>&1 &&
		c=$(readlink -f "$res/latest-compare")/compare.txt && grep -q '^counted once on each side' "$c" &&
		grep -q '^no counted path changed: 2 rows' "$c" && grep -q 'no timing: two make pathlen runs' "$c"; then
		ok "counts of runs: OLD= NEW= two make pathlen folders compare as counts (counted once each, said so)"
	else
		bad "counts of runs: OLD= NEW= pathlen folders: $(tail -n 3 "$res/.out5" | tr '\n' ' ')"
	fi
	# this checkout's own: every worktree of the repository is listed, and another one's
	# compare (build/compare/src too) is not ours (seen with several worktrees at once)
	if git worktree list | grep -F "$(cd "$O" && pwd)/compare/src" >/dev/null; then bad "paired: worktrees left behind"
	else ok "paired: temporary worktrees removed, the user's tree untouched"; fi
else
	bad "paired: make compare BASE=HEAD NEW=HEAD failed: $(tail -n 5 "$res/.out2" | tr '\n' ' ')"
fi

# the process-level mode, still there for changes that cannot be paired
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" BASE=HEAD NEW=HEAD PAIRED=0 REPS=2 QUICK=1 \
	FILTER='^tls/read_tp/le$' >"$res/.out3" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	n=$(ls "$d"/runs/*-[0-9].json 2>/dev/null | wc -l)
	if grep -q '^mode: process level, unpaired (PAIRED=0)' "$d/compare.txt" && grep -q 'tls/read_tp/le' "$d/compare.txt" &&
		[ "$n" = 4 ]; then
		ok "process level: PAIRED=0 ran A B B A ($n run files kept) and says which mode gave the verdicts"
	else
		bad "process level: unexpected output ($n run files): $(head -n 6 "$d/compare.txt" | tr '\n' ' ')"
	fi
else
	bad "process level: make compare PAIRED=0 failed: $(tail -n 5 "$res/.out3" | tr '\n' ' ')"
fi

# two variants of one build, paired
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" VARIANTS='cgocall/asmcgocall/mask:cgocall/asmcgocall/static' \
	REPS=2 PAIRS=2 LAYOUTS=2 PROCS=2 QUICK=1 >"$res/.out5" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	grep -q '^cgocall/asmcgocall/mask:cgocall/asmcgocall/static[ @]' "$d/compare.txt" && grep -q '^mode: paired' "$d/compare.txt" &&
		ok "variants: mask and static of one build paired in one process, one row mask:static" ||
		bad "variants: $(head -n 14 "$d/compare.txt" | tr '\n' ' ')"
else
	bad "variants: make compare VARIANTS= failed: $(tail -n 5 "$res/.out5" | tr '\n' ' ')"
fi

# make sensitivity runs and writes its report (a benchmark of the harness: no verdict asserted)
if $MAKE --no-print-directory -s sensitivity O="$O" RESULTS="$res" REPEATS=1 QUICK=1 LAYOUTS=2 PROCS=2 REPS=2 PAIRS=2 \
	FILTER='^cgocall/asmcgocall/mask$' >"$res/.out4" 2>&1; then
	r=$(ls -d "$res"/*/sensitivity-*/ 2>/dev/null | sed -n 1p)
	if [ -n "$r" ] && grep -q '^== null' "$r/report.txt" && grep -q '^== add1' "$r/report.txt" &&
		grep -q '^== add2' "$r/report.txt" && grep -q '^== loaded' "$r/report.txt" && grep -q '^machine: ' "$r/report.txt" &&
		grep -q '^target (null: ' "$r/report.txt" && grep -q 'found in [01] of 1' "$r/report.txt" &&
		[ "$(grep -c '^null,1,cgocall/asmcgocall/mask,' "$r/report.csv")" -ge 1 ]; then
		ok "sensitivity: null, add1, add2 and loaded parts ran; report.txt (machine, power per row) and report.csv written"
	else
		bad "sensitivity: report incomplete: $(head -n 20 "$r/report.txt" 2>/dev/null | tr '\n' ' ')"
	fi
else
	bad "sensitivity: make sensitivity failed: $(tail -n 5 "$res/.out4" | tr '\n' ' ')"
fi
