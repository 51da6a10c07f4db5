#!/bin/sh
# scripts/xreport.sh — make report: one report across boards (gm xreport),
# with its gnuplot plots, written whole or not at all.
#   RUNS      run folders, or folders holding them (extracted LAVA results)
#   BASELINE  the board the ratio table divides by (default: the first)
#   OUT       the report folder (default RESULTS/report-<UTC time>)
set -u
GM_PROG=report
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
: "${GM:?}"
[ -n "${RUNS:-}" ] || die "give RUNS=\"<run folders or extracted LAVA results>...\""
out=${OUT:-${RESULTS:-results}/report-$(date -u +%Y%m%dT%H%M%SZ)}
[ ! -e "$out" ] || die "$out exists already"
mkdir -p "$(dirname "$out")" || exit 2
tmp=$(dirname "$out")/.partial-report-$$
gm_on_exit 'rm -rf "$tmp"'
# shellcheck disable=SC2086
"$GM" xreport ${BASELINE:+--baseline "$BASELINE"} --out "$tmp" $RUNS || exit 2
if command -v gnuplot >/dev/null 2>&1; then
	(cd "$tmp/plots" && gnuplot all.gp) >"$tmp/plots/gnuplot.log" 2>&1 ||
		{ say "gnuplot failed:"; tail -n 5 "$tmp/plots/gnuplot.log" >&2; exit 2; }
	echo "report: $(ls "$tmp"/plots/*.png | wc -l) plots"
else
	say "gnuplot is not installed: plots/*.gp and *.dat are written, no PNG (apt-get install gnuplot-nox)"
fi
mv "$tmp" "$out" || exit 2
tmp=""
sed -n '/^boards:/,/^flags:/p' "$out/report.txt" | sed '$d'
echo "report: $out (report.txt, merged.csv, series.csv, ratio.csv, plots/)"
