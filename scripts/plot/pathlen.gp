# scripts/plot/pathlen.gp — path-length chart: exact instructions per operation per
# transition, gmbench vs the 2012 seed's sequence (arm only) vs real Go
# (scripts/plot/pathlen.sh).
# Variables: dat (pathlen.dat), out (file without extension), port, fmt (png|svg), seed
# (1: pathlen.dat has a seed column).
if (!exists("fmt")) fmt = "png"
if (!exists("seed")) seed = 0
if (fmt eq "svg") {
	set terminal svg size 1100,560 dynamic enhanced font "sans,11" background rgb "white"
	set output out.".svg"
} else {
	set terminal pngcairo size 1100,560 enhanced font "sans,10" background rgb "white"
	set output out.".png"
}
set datafile missing "-"
set title sprintf("%s: instructions per operation (exact counts under emulation, not timings)", port)
set ylabel "instructions / operation"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set grid ytics lc rgb "#dddddd"
set xtics rotate by -35 left noenhanced
set key top left
set yrange [0:*]
set logscale y 2
set yrange [1:*]
if (seed) {
	plot dat using 2:xtic(1) title "gmbench (Go-today variant)" lc rgb "#1f77b4", \
	     ''  using 3 title "seed 2012 (its own sequence)" lc rgb "#ff7f0e", \
	     ''  using 4 title "Go 1.19 (real runtime)" lc rgb "#2ca02c"
} else {
	plot dat using 2:xtic(1) title "gmbench (Go-today variant)" lc rgb "#1f77b4", \
	     ''  using 3 title "Go 1.19 (real runtime)" lc rgb "#2ca02c"
}
