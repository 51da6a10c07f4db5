#!/bin/bash
# tests/compare/run-count-e2e.sh — make compare's count kind end to end on one port
# (make test-compare-count; make test runs it for every port): BASE=HEAD against
# tests/fixtures/gosave-1insn-<arch>.patch, which adds ONE instruction to gm_gosave.
# check_count derives the expected rows and deltas from BASE's own per-routine counts
# (a case running gm_gosave s instructions per op calls it s/L times, L = its body) and
# checks that exactly those rows changed, by exactly that, all of it in gm_gosave, and
# nothing else did; on ARM also that only gm_gosave's path is predicted, per core.
# FILTER keeps it short: the rows that run gm_gosave and a few that do not.
# Environment (from make): ARCH PORT O MAKE OBJDUMP CHECK.
GM_TEST_PREFIX=""
. "$(dirname "$0")/../lib.sh"
set -uo pipefail
: "${ARCH:?}" "${PORT:?}" "${CHECK:?}"
MAKE=${MAKE:-make}
O=${O:-build}
OBJDUMP=${OBJDUMP:-objdump}
command -v "$OBJDUMP" >/dev/null 2>&1 || OBJDUMP=objdump
res=$(mktemp -d "${TMPDIR:-/tmp}/gm-count-e2e.XXXXXX")
# a build folder of its own: make test may run the ports (and the host's compare tests)
# side by side, and two compares must not build into one $O/compare
O2=$O/count-e2e-$ARCH
trap 'rm -rf "$res" "$O2"' EXIT
fixture=tests/fixtures/gosave-1insn-$ARCH.patch
filter='^(switch/gosave|cgocall/cgocall/(bare|go2012)|callback/go-c-go/go2012|tls/read_tp/le|cgocall/asmcgocall/mask)'
predict=0
case $ARCH in arm|arm64) predict=1 ;; esac

t0=$(date +%s)
# RESULTS relative, as the default 'results' is: the count step runs make in each side's tree
rel=$(realpath --relative-to=. "$res")
if $MAKE --no-print-directory -s compare ARCH="$ARCH" O="$O2" MODE=count BASE=HEAD NEW="$fixture" \
	FILTER="$filter" RESULTS="$rel" >"$res/.out" 2>&1; then
	ok "$ARCH: make compare MODE=count BASE=HEAD NEW=$fixture ($(( $(date +%s) - t0 )) s)"
	d=$(readlink -f "$res/latest-compare")
	L=$("$OBJDUMP" -d --disassemble=gm_gosave "$O2/compare/build-a/$ARCH/obj/$PORT/switch.o" 2>/dev/null |
		grep -cE '^ +[0-9a-f]+:'$'\t')
	"$CHECK" "$d" gm_gosave "$L" "$predict" >"$res/.check" 2>&1
	cat "$res/.check"
	pass=$((pass + $(grep -c '^ok - ' "$res/.check"))) fail=$((fail + $(grep -c '^not ok - ' "$res/.check")))
	grep -q '^not ok\|^ok' "$res/.check" || notok "$ARCH: check_count printed nothing"
	if grep -q '^counted twice on each side .*: every count identical' "$d/compare.txt" &&
		grep -q 'gm_gosave +1' "$d/compare.txt" && grep -q '^name .*where (routines' "$d/compare.txt"; then
		ok "$ARCH: compare.txt says it counted twice, and where the delta falls (gm_gosave +1)"
	else
		notok "$ARCH: compare.txt lacks the count table: $(sed -n '/^== count/,+4p' "$d/compare.txt" | tr '\n' ' ')"
	fi
	if [ "$predict" = 1 ]; then
		if [ "$(grep -vc '^same	' "$d/predict/paths.tsv")" = 1 ] && grep -q '^changed	'"$ARCH"'	gm_gosave$' "$d/predict/paths.tsv" &&
			grep -q 'STATIC PREDICTION, NOT A MEASUREMENT' "$d/compare.txt" && grep -q '^models (which llvm-mca model stands in' "$d/compare.txt"; then
			ok "$ARCH: of $(wc -l <"$d/predict/paths.tsv") routines only gm_gosave's path changed; predictions labelled, models named"
		else
			notok "$ARCH: predicted paths: $(grep -v '^same' "$d/predict/paths.tsv" | tr '\n' ' ')"
		fi
	fi
	if command -v gnuplot >/dev/null 2>&1; then
		if [ -s "$d/plots/compare-count.png" ] && [ -s "$d/plots/compare-count.svg" ]; then ok "$ARCH: the count delta plot (PNG, SVG)"
		else notok "$ARCH: no count delta plot"; fi
	fi
else
	notok "$ARCH: make compare MODE=count failed: $(tail -n 5 "$res/.out" | tr '\n' ' ')"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
