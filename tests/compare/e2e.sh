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
nothing_left() { [ -z "$(find "$res" -mindepth 1 -not -name '.*' 2>/dev/null | grep -v '/\.' | head -1)" ]; }

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

# the whole pipeline on a tiny filter: two worktree builds, both sides in one process,
# and (MODE=both) their exact counts beside the timing
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" BASE=HEAD NEW=HEAD MODE=both REPS=2 PAIRS=2 LAYOUTS=2 PROCS=1 \
	QUICK=1 FILTER='^(tls/read_tp/le|cgocall/asmcgocall/mask)$' >"$res/.out2" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	n=$(ls "$d"/pairs/L*.json 2>/dev/null | wc -l)
	if grep -q '^mode: paired in-process' "$d/compare.txt" && grep -q '^tls/read_tp/le ' "$d/compare.txt" &&
		grep -q '^cgocall/asmcgocall/mask ' "$d/compare.txt" && [ "$n" = 2 ]; then
		ok "paired: BASE=HEAD NEW=HEAD built twice, paired in one process per layout ($n pair files), compared"
	else
		bad "paired: unexpected output ($n pair files): $(head -n 12 "$d/compare.txt" | tr '\n' ' ')"
	fi
	nm "$O/compare/pair/L1/gmpair" >"$res/.nm" 2>&1	# (grep -q on a pipe: SIGPIPE under pipefail)
	if grep -q ' T gmA_gm_side_main$' "$res/.nm" && grep -q ' T gmB_gm_side_main$' "$res/.nm" &&
		grep -q 'gmA_gm_tls$' "$res/.nm" && grep -q 'gmB_gm_tls$' "$res/.nm" &&
		! grep -q ' T gm_asmcgocall$' "$res/.nm"; then
		ok "paired: one binary, two independent runtimes (every side symbol renamed gmA_/gmB_, two TLS slots)"
	else
		bad "paired: the pair binary does not hold two renamed sides"
	fi
	if grep -q '^layout 1: link order' "$d/pairs/layout-L1.txt" && grep -q 'gmA_gm_asmcgocall_mask' "$d/pairs/layout-L1.txt" &&
		grep -q '"stack_skew": {"a": [0-9]*, "b": [0-9]*}' "$d/pairs/L1-p1.json"; then
		ok "paired: each layout's code placement (link order, paddings, addresses) and stack skews are recorded"
	else
		bad "paired: layout not recorded"
	fi
	if grep -q '^WARNING' "$d/compare.txt" || grep -q '^machine state\|^MACHINE STATES' "$d/compare.txt"; then
		ok "paired: the output reports the machine's state"
	else
		bad "paired: no machine state in the output"
	fi
	if grep -q '^no counted path changed: 2 rows' "$d/compare.txt" && ! grep -q '^name .*where (routines' "$d/compare.txt" &&
		tr -d ' \n' <"$d/compare.json" | grep -q '"kinds":\["timing-paired","count"\]'; then
		ok "both: the same revision twice: one line 'no counted path changed'; compare.json holds timing-paired and count rows"
	else
		bad "both: unexpected count part: $(sed -n '/^== count/,$p' "$d/compare.txt" | head -n 4 | tr '\n' ' ')"
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
	if git worktree list | grep -qF "$(cd "$O" && pwd)/compare/src"; then bad "paired: worktrees left behind"
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
	REPS=2 PAIRS=2 LAYOUTS=2 PROCS=1 QUICK=1 >"$res/.out5" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	grep -q '^cgocall/asmcgocall/mask:cgocall/asmcgocall/static ' "$d/compare.txt" && grep -q '^mode: paired' "$d/compare.txt" &&
		ok "variants: mask and static of one build paired in one process, one row mask:static" ||
		bad "variants: $(head -n 14 "$d/compare.txt" | tr '\n' ' ')"
else
	bad "variants: make compare VARIANTS= failed: $(tail -n 5 "$res/.out5" | tr '\n' ' ')"
fi

# make sensitivity runs and writes its report (a benchmark of the harness: no verdict asserted)
if $MAKE --no-print-directory -s sensitivity O="$O" RESULTS="$res" REPEATS=1 QUICK=1 LAYOUTS=2 PROCS=1 REPS=2 PAIRS=2 \
	FILTER='^cgocall/asmcgocall/mask$' >"$res/.out4" 2>&1; then
	r=$(ls -d "$res"/*/sensitivity-*/ 2>/dev/null | head -n1)
	if [ -n "$r" ] && grep -q '^== null' "$r/report.txt" && grep -q '^== change' "$r/report.txt" &&
		grep -q '^== loaded' "$r/report.txt" && grep -q '^machine: ' "$r/report.txt" &&
		[ "$(grep -c '^null,1,cgocall/asmcgocall/mask,' "$r/report.csv")" = 1 ]; then
		ok "sensitivity: null, change and loaded parts ran; report.txt (with the machine) and report.csv written"
	else
		bad "sensitivity: report incomplete: $(head -n 20 "$r/report.txt" 2>/dev/null | tr '\n' ' ')"
	fi
else
	bad "sensitivity: make sensitivity failed: $(tail -n 5 "$res/.out4" | tr '\n' ' ')"
fi
