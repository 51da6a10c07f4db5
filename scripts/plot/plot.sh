#!/bin/bash
# scripts/plot/plot.sh run RUNDIR | compare CMPDIR — gnuplot plots (PNG and SVG) into DIR/plots/.
#
# run:     per suite, the median per operation of every variant with its 95% CI
#          (bars with whiskers, from stats.csv); with probe data (edges.csv, a PROBES=1
#          run) per-transition latency percentile plots (HdrHistogram style, log x in
#          1/(1-p)) and log-y latency histograms of the worst cases
# compare: per-benchmark delta bars with the conservative interval of the delta, and
#          per-repetition box plots of both sides, normalised to the old median; with a
#          count comparison (count.csv) the exact instruction delta of every changed row
# Every plot is titled with the machine, the counter and the unit.  Needs gnuplot
# (Debian gnuplot-nox); awk does the data preparation so nothing else is needed on a board.
set -euo pipefail
GM_PROG=plot
. "$(dirname "$0")/../lib.sh"
mode=${1:-}; dir=${2:-}
[ -n "$mode" ] && [ -d "$dir" ] || { echo "usage: scripts/plot/plot.sh run RUNDIR | compare CMPDIR" >&2; exit 2; }
command -v gnuplot >/dev/null 2>&1 || { say "gnuplot is not installed (apt-get install gnuplot-nox)"; exit 1; }
GM=${GM:-build/host/bin/gm}
out="$dir/plots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plots"

# "gmbench amd64 on AMD EPYC, counter tsc (ticks)" -> the title's first line
title_of() {
	local f=$1/summary.txt
	if [ -f "$f" ]; then head -n 1 "$f" | sed 's/"/'"'"'/g'; else echo "gmbench"; fi
}

# the machine's state under the title: the first WARNING (and how many more) of a run's
# summary.txt or a comparison's compare.txt, or nothing
warn_of() {
	local f=$1 n
	[ -f "$f" ] || return 0
	n=$(grep -c '^WARNING\|^MACHINE STATES' "$f" || true)
	[ "$n" -gt 0 ] || return 0
	printf '\\n%s%s' "$(grep -m1 '^WARNING\|^MACHINE STATES' "$f" | cut -c1-150 | sed 's/"/'"'"'/g')" \
		"$([ "$n" -gt 1 ] && echo " (+$((n - 1)) more warnings, see $(basename "$f"))")"
}

# gp NAME SCRIPT [SIZE]: render SCRIPT (which plots to the current terminal) as PNG and
# SVG.  A plot gnuplot refuses is left out and named at the end; the others still publish.
failed=""
gp() {
	local name=$1 script=$2 size=${3:-1280,720}
	if ! { { echo "set terminal pngcairo size $size font 'sans,10' noenhanced"
		 echo "set output '$work/plots/$name.png'"; echo "$script"; } | gnuplot &&
	       { echo "set terminal svg size $size font 'sans,10' noenhanced"
		 echo "set output '$work/plots/$name.svg'"; echo "$script"; } | gnuplot; } 2>"$work/gp.err"; then
		sed 's/^/  /' "$work/gp.err" | tail -n 5 >&2
		rm -f "$work/plots/$name.png" "$work/plots/$name.svg"
		failed="$failed $name"
	fi
}

plot_run() {
	local title; title="$(title_of "$dir")$(warn_of "$dir/summary.txt")"
	[ -f "$dir/stats.csv" ] || { say "$dir/stats.csv missing (run gm report first)"; exit 1; }
	# one bar chart per suite and unit
	local suites
	suites=$(awk -F, 'NR > 1 { print $2 "," $5 }' "$dir/stats.csv" | sort -u)
	local su suite unit
	for su in $suites; do
		suite=${su%,*}; unit=${su#*,}
		awk -F, -v s="$suite" -v u="$unit" 'NR > 1 && $2 == s && $5 == u {
			printf "\"%s/%s\" %s %s %s\n", $3, $4, $7, $8, $9 }' "$dir/stats.csv" | sort >"$work/$suite-$unit.dat"
		[ -s "$work/$suite-$unit.dat" ] || continue
		# from 0, unless a median or interval reaches below it (the method's floor under load)
		local ymin=0
		awk '$2 < 0 || $3 < 0 { f = 1 } END { exit !f }' "$work/$suite-$unit.dat" && ymin='*'
		gp "variants-$suite-$unit" "
set title \"$title\n$suite: median $unit per operation, whiskers: 95% CI of the median over the repetitions\"
set ylabel '$unit per operation'
set style fill solid 0.5 border -1
set boxwidth 0.7
set xtics rotate by -35 left
set bmargin 9
set rmargin 12
set yrange [$ymin:*]
set grid ytics
set key off
plot '$work/$suite-$unit.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', \
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, 0 with lines lc rgb 'black' notitle"
	done
	# latency distributions from probes: edges.csv = benchmark,edge,unit,value (one row per op)
	if [ -f "$dir/edges.csv" ]; then
		# one pass splits it per benchmark (it holds 4000 rows per edge and benchmark:
		# scanning it whole for every benchmark took most of make bench's plotting time)
		mkdir -p "$work/edges"
		awk -F, -v d="$work/edges" 'NR > 1 { f = $1; gsub("/", "_", f); f = d "/" f ".csv"
			if (f != last) { if (last != "") close(last); last = f }
			print >>f }' "$dir/edges.csv"
		local b u f e
		for e in "$work"/edges/*.csv; do
			[ -s "$e" ] || continue
			f=$(basename "$e" .csv)
			IFS=, read -r b _ u _ <"$e"
			# percentile curves: one data block per edge (the whole operation, 'total', last),
			# x = 1/(1-p); and the body panel's y range: from the lowest value to a little above
			# the highest p95 of any edge, so a 1% tail of interrupts cannot flatten the median
			awk -F, '{ print ($2 == "total" ? 1 : 0), $2, $4 }' "$e" |
			sort -k1,1n -k2,2 -k3,3g |
			awk -v lim="$work/pct-$f.lim" '{ e[NR] = $2; v[NR] = $3 } END {
				i = 1; lo = ""; hi = ""; nb = 0
				while (i <= NR) {
					j = i; while (j <= NR && e[j] == e[i]) j++
					n = j - i; printf "\"%s\"\n", e[i]; nb++
					for (k = 0; k < n; k++) { p = (k + 0.5) / n; printf "%.6g %s\n", 1 / (1 - p), v[i + k]
						if (p <= 0.99 && (lo == "" || v[i + k] < lo)) lo = v[i + k]
						if (p >= 0.9 && v[i + k] > 0) pos = 1 }
					q = v[i + int(0.95 * (n - 1) + 0.5)]; if (hi == "" || q > hi) hi = q
					printf "\n\n"; i = j
				}
				if (lo > 0) lo = 0
				m = 0.2 * (hi < 0 ? -hi : hi); if (m < 0.1 * (hi - lo)) m = 0.1 * (hi - lo)
				hi = hi + m; if (hi <= lo) hi = lo + 1
				printf "%d %g %g %s\n", nb, lo - (hi - lo) * 0.03, hi, (pos ? "log" : "linear") >lim
			}' >"$work/pct-$f.dat"
			local nb ylo yhi tscale tail style
			read -r nb ylo yhi tscale <"$work/pct-$f.lim"
			# up to 12 edges in 12 colours, dash types cycling too; 'total' thick black
			local style="lw (i == $nb - 1 ? 3 : 1.6) lc rgb (i == $nb - 1 ? '#000000' : word(cols, i % 12 + 1)) dt 1 + (i == $nb - 1 || i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : 3)"
			# log y for the tail, unless no value there is above 0 (nothing to draw on log)
			if [ "$tscale" = log ]; then
				tail="set title 'tail: 90% to the maximum, log y (values <= 0 not drawn)'
set logscale y
set yrange [*:*]
plot for [i=0:$nb-1] '$work/pct-$f.dat' index i using 1:(\$2 > 0 ? \$2 : 1/0) with steps $style notitle"
			else
				tail="set title 'tail: 90% to the maximum (no value above 0: linear y)'
set yrange [*:*]
plot for [i=0:$nb-1] '$work/pct-$f.dat' index i using 1:2 with steps $style notitle"
			fi
			gp "latency-percentiles-$f" "
cols = '#0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00 #882255 #44AA99 #999933 #332288 #AA4499 #888888'
set multiplot title \"$title\n$b: latency of each edge per operation, in $u (the probe's own cost subtracted)\"
set logscale x
set grid
set xlabel 'percentile'
set ylabel '$u'
set tmargin at screen 0.85
set bmargin at screen 0.25
set lmargin at screen 0.07
set rmargin at screen 0.60
set title 'body: 0% to 99%, linear y to just above the highest p95 (higher: see the tail)'
set xrange [1:100]
set yrange [$ylo:$yhi]
set xtics ('0%%' 1, '50%%' 2, '75%%' 4, '90%%' 10, '95%%' 20, '99%%' 100)
set key at screen 0.5, 0.155 center top vertical maxrows 5 Left reverse samplen 4 width 2 box font ',9'
plot for [i=0:$nb-1] '$work/pct-$f.dat' index i using 1:2 with steps $style title columnheader(1)
set lmargin at screen 0.67
set rmargin at screen 0.97
set xrange [10:*]
set xtics ('90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
unset key
$tail
unset multiplot" 1280,800
			# log-y histogram of the whole operation (sum of its edges is the last edge 'total')
			awk -F, '$2 == "total" { print $4 }' "$e" >"$work/tot-$f.dat"
			if [ -s "$work/tot-$f.dat" ]; then
				local w
				w=$(sort -g "$work/tot-$f.dat" | awk '{ v[NR] = $1 } END { r = v[int(NR * 0.999) + (NR * 0.999 < 1)] - v[1]; w = r / 60; if (w <= 0) w = 1; print w }')
				gp "latency-histogram-$f" "
set title \"$title\n$b: whole operation, count per bin (log scale) — the tail shows the worst cases ($u)\"
set logscale y
set yrange [0.5:*]	# a bin holding one operation must still show
set xlabel '$u per operation'
set ylabel 'operations'
set style fill solid 0.6
set key off
bin(x) = $w * floor(x / $w)
set boxwidth $w absolute
plot '$work/tot-$f.dat' using (bin(\$1)):(1.0) smooth frequency with boxes lc rgb '#aa3377'"
			fi
		done
	fi
}

# the count kind of a comparison (count.csv from gm compare count): the exact delta in
# instructions per operation of every row that changed, or one line saying none did
plot_count() {
	local title=$1 port rows changed
	port=$(sed -n 's/^== count: .*, \([a-z0-9]*\) port;.*/\1/p' "$dir/compare.txt" | sed -n 1p)
	rows=$(awk 'END { print NR - 1 }' "$dir/count.csv")
	awk -F, 'NR > 1 && $5 == 1 && $4 != "-" { printf "\"%s\" %s %s\n", $1, $4, ($6 == 1 ? 1 : 0) }' "$dir/count.csv" >"$work/count.dat"
	changed=$(wc -l <"$work/count.dat")
	if [ "$changed" -eq 0 ]; then
		gp "compare-count" "
set title \"$title\nexact instructions per operation (${port:-?} port): count, not timing\"
set label 1 'no counted path changed: $rows rows, the same count on both sides' at graph 0.5, graph 0.5 center font 'sans,16'
set xrange [0:1]
set yrange [-1:1]
unset xtics
unset ytics
set border 0
plot 1/0 notitle"
		return
	fi
	gp "compare-count" "
set title \"$title\nexact delta in instructions per operation (${port:-?} port; count, not timing): $changed of $rows rows changed\"
set ylabel 'instructions per operation, new - old'
set style fill solid 0.6 border -1
set boxwidth 0.7
set xtics rotate by -35 left
set bmargin 9
set rmargin 12
set grid ytics
set key off
set offsets 0.5, 0.5, graph 0.12, graph 0.05
set yrange [*<0:0<*]
plot '$work/count.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', \
     '' using 0:2:(sprintf('%+g', \$2)) with labels offset 0, char 1, 0 with lines lc rgb 'black' notitle"
}

plot_compare() {
	[ -f "$dir/compare.json" ] || { say "$dir/compare.json missing"; exit 1; }
	local title
	title=$( { grep -m1 '^machine: ' "$dir/compare.txt" | sed 's/^machine: //'; echo; head -n 2 "$dir/compare.txt"; } 2>/dev/null | tr '\n' ' ' | sed 's/"/'"'"'/g')
	title="$title$(warn_of "$dir/compare.txt")"
	[ -f "$dir/count.csv" ] && plot_count "$title"
	local whiskers="conservative 95% interval" what="delta of the median"
	if [ "$("$GM" kind "$dir/compare.json")" = "compare paired" ]; then
		what="effect (trimmed mean over the layouts)"
		whiskers="its interval (95%; a discovery's at the FDR-adjusted level)"
	fi
	"$GM" report compare-csv "$dir/compare.json" >"$work/cmp.csv"
	# a comparison without timing rows (MODE=count) has nothing more to draw
	[ "$(wc -l <"$work/cmp.csv")" -gt 1 ] || return 0
	local unit
	unit=$(awk -F, 'NR == 2 { print $2 }' "$work/cmp.csv")
	awk -F, 'NR > 1 { printf "\"%s\" %s %s %s %s\n", $1, $9, $10, $11, $13 }' "$work/cmp.csv" >"$work/delta.dat"
	gp "compare-delta" "
set title \"$title\n$what ($unit), whiskers: $whiskers; red = significant\"
set ylabel 'delta %'
set style fill solid 0.6 border -1
set boxwidth 0.7
set xtics rotate by -35 left
set bmargin 9
set rmargin 12
set grid ytics
set key off
plot '$work/delta.dat' using 0:(\$5 > 0.5 ? \$2 : 1/0):xtic(1) with boxes lc rgb '#cc3311', \
     '' using 0:(\$5 > 0.5 ? 1/0 : \$2) with boxes lc rgb '#bbbbbb', \
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, 0 with lines lc rgb 'black' notitle"
	[ -f "$dir/samples.csv" ] && plot_boxes "$title"
	return 0
}

# compare-boxes: per benchmark of samples.csv (side,benchmark,unit,value), the old (A) and
# new (B) boxes side by side around the benchmark's tic, normalised to A's median.  The
# x range, the picture's width and the margins follow the rows and their names, so the
# last row's boxes stay inside the frame and every label sits under its own pair.
plot_boxes() {
	local title=$1 nb maxlen lastlen width rmargin bmargin tics
	# box.dat: side x q1 min max q3 median name, x = pair - 0.2 (A) or + 0.2 (B)
	# counter/empty reads 0 by design: nothing to normalise by
	awk -F, 'NR > 1 && $2 !~ /^counter\/empty/ { k = $2 SUBSEP $1; n[k]++; v[k, n[k]] = $4; if (!($2 in seen)) { seen[$2] = ++nb; name[nb] = $2 } }
	function q(k, f,   i, j, t, m) { m = n[k]; for (i = 1; i <= m; i++) a[i] = v[k, i]
		for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return a[int((m - 1) * f) + 1] }
	END { g = 0
		for (b = 1; b <= nb; b++) { ka = name[b] SUBSEP "A"; kb = name[b] SUBSEP "B"
			if (!n[ka] || !n[kb]) continue; base = q(ka, 0.5); if (base == 0) continue
			printf "A %g %g %g %g %g %g %s\n", g - 0.2, q(ka, .25) / base, q(ka, 0) / base, q(ka, 1) / base, q(ka, .75) / base, q(ka, .5) / base, name[b]
			printf "B %g %g %g %g %g %g %s\n", g + 0.2, q(kb, .25) / base, q(kb, 0) / base, q(kb, 1) / base, q(kb, .75) / base, q(kb, .5) / base, name[b]
			g++ } }' "$dir/samples.csv" >"$work/box.dat"
	nb=$(awk 'END { print NR / 2 }' "$work/box.dat")
	[ "$nb" -gt 0 ] || return 0
	# one tic per pair, at its centre, named by the benchmark
	names="$work/box.names"
	awk '$1 == "A" { n = $8; for (i = 9; i <= NF; i++) n = n " " $i; gsub(/["\\]/, "", n); print n }' "$work/box.dat" >"$names"
	tics=$(awk '{ printf "%s\"%s\" %d", (NR > 1 ? ", " : ""), $0, NR - 1 }' "$names")
	maxlen=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$names")
	lastlen=$(awk 'END { print length($0) + 0 }' "$names")
	# labels run down and to the right at 35 degrees: the last one needs cos(35) of its
	# length in the right margin, the longest sin(35) of it (in character heights) below
	rmargin=$(( (lastlen * 82 / 100) + 2 )); [ "$rmargin" -ge 6 ] || rmargin=6
	bmargin=$(( (maxlen * 30 / 100) + 4 ))
	width=$(( nb * 44 + 400 )); [ "$width" -ge 1280 ] || width=1280
	gp "compare-boxes" "
set title \"$title\nper-repetition values / old median: blue = old (A), orange = new (B), side by side under each name; box = quartiles, whiskers = min..max, black = median\"
set ylabel 'relative to the old median'
set xtics ($tics) rotate by -35 left
set xrange [-0.6:$nb - 0.4]
set bmargin $bmargin
set rmargin $rmargin
set grid ytics
set key off
set boxwidth 0.34 absolute
set style fill empty
plot '$work/box.dat' using (strcol(1) eq 'A' ? \$2 : 1/0):3:4:5:6 with candlesticks lc rgb '#4477aa' lw 1.5 whiskerbars, \
     '' using (strcol(1) eq 'B' ? \$2 : 1/0):3:4:5:6 with candlesticks lc rgb '#ee7733' lw 1.5 whiskerbars, \
     '' using 2:7:7:7:7 with candlesticks lc rgb 'black' lw 1.5, \
     1 with lines lc rgb '#999999' dt 2" "$width,720"
}

case $mode in
run) plot_run ;;
compare) plot_compare ;;
*) echo "usage: scripts/plot/plot.sh run RUNDIR | compare CMPDIR" >&2; exit 2 ;;
esac
# publish atomically: the old plots stay until the new set is complete
rm -rf "$out.new"
mv "$work/plots" "$out.new"
rm -rf "$out"
mv "$out.new" "$out"
ls "$out"
if [ -n "$failed" ]; then
	say "gnuplot could not draw:$failed (the other plots are in $out)"
	exit 1
fi
