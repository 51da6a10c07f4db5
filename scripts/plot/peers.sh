#!/bin/sh
# scripts/plot/peers.sh RUNDIR — chart the ratio table of a PEERS=1 run:
# RUNDIR/peers.png and RUNDIR/peers.svg from RUNDIR/peers.dat (gm peers table writes it).
#
# One horizontal bar per gmbench/peer pair, on a log axis of gmbench / peer, drawn from
# 1: a bar to the left means gmbench's transition is cheaper than the peer, to the right
# dearer.  Pairs whose peer could not run are listed with the reason.  Needs gnuplot
# (Debian gnuplot-nox: pngcairo and svg terminals, headless).
set -eu
GM_PROG=plot-peers
. "$(dirname "$0")/../lib.sh"
dir=${1:-}
if [ -z "$dir" ] || [ ! -d "$dir" ]; then echo "usage: scripts/plot/peers.sh RUNDIR" >&2; exit 2; fi
dat=$dir/peers.dat
[ -s "$dat" ] || { say "$dat missing or empty (run gm peers table RUNDIR first)"; exit 1; }
command -v gnuplot >/dev/null 2>&1 || { say "gnuplot is not installed (apt-get install gnuplot-nox)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=$(grep -vc '^#' "$dat" || true)
[ "$n" -gt 0 ] || { say "$dat has no pairs"; exit 1; }
title=$(sed -n '1s/^# //p' "$dat" | sed 's/"/'"'"'/g')
# x range: cover every ratio and 1, with some room for the value labels
range=$(awk '!/^#/ && $0 !~ / missing / {
	# the 4th field after the quoted label: split on the quotes
	n = split($0, q, "\""); split(q[3], f, " "); r = f[1] + 0
	if (r > 0) { if (!lo || r < lo) lo = r; if (r > hi) hi = r }
} END {
	if (!lo) { lo = 1; hi = 1 }
	if (lo > 1) lo = 1; if (hi < 1) hi = 1
	printf "%g %g", lo / 4, hi * 4
}' "$dat")
xlo=${range% *} xhi=${range#* }
height=$((160 + 26 * n))

nan=$(grep -v '^#' "$dat" | grep -c ' missing ' || true)
unavail=""
[ "$nan" -gt 0 ] && unavail=", '' using (strcol(4) eq \"missing\" ? 1 : 1/0):1:(sprintf(\" unavailable: %s\", short(strcol(6)))):ytic(3) with labels left tc rgb '#aa3333'"

for term in png svg; do
	if [ $term = png ]; then t="pngcairo size 1400,$height font 'sans,10' noenhanced"; else t="svg size 1400,$height font 'sans,10' noenhanced"; fi
	gnuplot <<GP
set terminal $t
set output '$work/peers.$term'
set title "$title\ngmbench / peer, median per operation (log scale; left of 1: gmbench cheaper, right: dearer)"
set logscale x
set xrange [$xlo:$xhi]
set yrange [$n:-1]
set ytics scale 0
set grid xtics
set key off
set lmargin 58
set style fill solid 0.6 border -1
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb 'black' lw 1.5
set xlabel 'ratio gmbench / peer (colour: transition group)'
short(s) = strlen(s) > 64 ? substr(s, 1, 61)."..." : s
lab(r, b) = sprintf("%.3gx%s", r, b eq "ns" ? " (ns)" : "")
plot '$dat' using 4:1:((\$4 < 1) ? \$4 : 1):((\$4 < 1) ? 1 : \$4):(\$1 - 0.35):(\$1 + 0.35):(\$2 + 1):ytic(3) \
         with boxxyerror lc variable, \
     '' using ((\$4 >= 1) ? \$4 : 1/0):1:(lab(\$4, strcol(5))) with labels left offset 0.7,0, \
     '' using ((\$4 < 1) ? \$4 : 1/0):1:(lab(\$4, strcol(5))) with labels right offset -0.7,0$unavail
GP
done
mv "$work/peers.png" "$dir/peers.png"
mv "$work/peers.svg" "$dir/peers.svg"
echo "plot-peers: $dir/peers.png, $dir/peers.svg"
