# scripts/plot/predict.gp — predicted cycles per transition per core (llvm-mca):
# STATIC PREDICTION, NOT A MEASUREMENT (scripts/plot/pathlen.sh).
# Variables: dat (predict.dat), idx (gnuplot data-set index of one arch), arch, ncpu,
# mca (the llvm-mca version, "llvm-mca 19.1.7"), out (file without extension), fmt (png|svg).
if (!exists("fmt")) fmt = "png"
if (!exists("mca")) mca = "llvm-mca"
if (fmt eq "svg") {
	set terminal svg size 1200,600 dynamic enhanced font "sans,11" background rgb "white"
	set output out.".svg"
} else {
	set terminal pngcairo size 1200,600 enhanced font "sans,10" background rgb "white"
	set output out.".png"
}
set datafile missing "-"
set title sprintf("%s: predicted cycles per transition, one pass (%s; columns: -mcpu, see predict.txt for the core each stands in for) — STATIC PREDICTION, NOT A MEASUREMENT", arch, mca) noenhanced
set ylabel "predicted cycles (one pass)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set grid ytics lc rgb "#dddddd"
set xtics rotate by -40 left noenhanced font ",8"
set key top left noenhanced
set yrange [0:*]
set bmargin 9
plot for [c=2:ncpu+1] dat index idx using c:xtic(1) title columnheader(c)
