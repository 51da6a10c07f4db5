#!/bin/bash
# scripts/test-compare-e2e.sh — make compare end to end on the host (make test runs it):
# bad inputs fail with a message and leave nothing; two runs compare; two builds of the
# same revision build, run interleaved and compare.  Behaviour only: no timing asserted.
set -uo pipefail
MAKE=${MAKE:-make}
O=${O:-build}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
ok() { echo "ok - compare/$1"; }
bad() { echo "not ok - compare/$1"; }
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

# the whole pipeline on a tiny filter: two worktree builds, interleaved runs
if $MAKE --no-print-directory -s compare O="$O" RESULTS="$res" BASE=HEAD NEW=HEAD REPS=2 QUICK=1 \
	FILTER='^tls/read_tp/le$' >"$res/.out2" 2>&1; then
	d=$(readlink -f "$res/latest-compare")
	n=$(ls "$d"/runs/*.json 2>/dev/null | wc -l)
	if grep -q 'tls/read_tp/le' "$d/compare.txt" && [ "$n" = 4 ]; then
		ok "revisions: BASE=HEAD NEW=HEAD built twice, ran A B B A, compared ($n run files kept)"
	else
		bad "revisions: unexpected output ($n run files)"
	fi
	if git worktree list | grep -q "$O/compare/src"; then bad "revisions: worktrees left behind"
	else ok "revisions: temporary worktrees removed, the user's tree untouched"; fi
else
	bad "revisions: make compare BASE=HEAD NEW=HEAD failed: $(tail -n 5 "$res/.out2" | tr '\n' ' ')"
fi
