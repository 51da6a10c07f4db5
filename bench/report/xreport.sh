#!/bin/sh
# bench/report/xreport.sh — make report: one report across boards (bench/report/gmxreport.c),
# with its gnuplot plots, written whole or not at all.
#   RUNS      run folders, or folders holding them (extracted LAVA results)
#   BASELINE  the board the ratio table divides by (default: the first)
#   OUT       the report folder (default RESULTS/report-<UTC time>)
set -u
: "${GMXREPORT:?}"
[ -n "${RUNS:-}" ] || { echo "report: give RUNS=\"<run folders or extracted LAVA results>...\"" >&2; exit 2; }
out=${OUT:-${RESULTS:-results}/report-$(date -u +%Y%m%dT%H%M%SZ)}
[ ! -e "$out" ] || { echo "report: $out exists already" >&2; exit 2; }
mkdir -p "$(dirname "$out")" || exit 2
tmp=$(dirname "$out")/.partial-report-$$
trap 'rm -rf "$tmp"' EXIT
trap 'echo "report: interrupted; nothing was kept" >&2; exit 130' INT TERM HUP
# shellcheck disable=SC2086
"$GMXREPORT" ${BASELINE:+--baseline "$BASELINE"} --out "$tmp" $RUNS || exit 2
if command -v gnuplot >/dev/null 2>&1; then
	(cd "$tmp/plots" && gnuplot all.gp) >"$tmp/plots/gnuplot.log" 2>&1 ||
		{ echo "report: gnuplot failed:" >&2; tail -n 5 "$tmp/plots/gnuplot.log" >&2; exit 2; }
	echo "report: $(ls "$tmp"/plots/*.png | wc -l) plots"
else
	echo "report: gnuplot is not installed: plots/*.gp and *.dat are written, no PNG (apt-get install gnuplot-nox)" >&2
fi
mv "$tmp" "$out" || exit 2
trap - EXIT
sed -n '/^boards:/,/^flags:/p' "$out/report.txt" | sed '$d'
echo "report: $out (report.txt, merged.csv, series.csv, ratio.csv, plots/)"
