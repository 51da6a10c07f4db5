#!/bin/sh
# scripts/plot/pathlen.sh RESULTDIR — charts of a `make pathlen` or `make predict` result
# folder (PNG through pngcairo and SVG; gnuplot-nox 5.4 works headless):
#   pathlen.dat -> pathlen.png/.svg: instructions per transition, gmbench vs Go (and the
#                  2012 seed's sequence, on the arm port)
#   predict.dat -> predict-<arch>.png/.svg: predicted cycles per transition per core
# (static predictions, labelled as such on the chart).
set -eu
GM_PROG=plot-pathlen
. "$(dirname "$0")/../lib.sh"
dir=${1:?usage: scripts/plot/pathlen.sh RESULTDIR}
[ -d "$dir" ] || die "$dir is not a folder"
command -v gnuplot >/dev/null 2>&1 || { say "gnuplot not found (Debian: apt-get install gnuplot-nox)"; exit 1; }
gp=$(cd "$(dirname "$0")" && pwd)
made=0
if [ -s "$dir/pathlen.dat" ]; then
	port=$(sed -n '1s/^# \([^:]*\):.*/\1/p' "$dir/pathlen.dat")
	# a seed column only where the port has the 2012 seed's sequence (arm)
	seed=0
	grep -q '^# transition gmbench seed go' "$dir/pathlen.dat" && seed=1
	# the counter rows are the method's floor, not transitions
	grep -v '^"counter/' "$dir/pathlen.dat" >"$dir/.pathlen-plot.dat"
	for fmt in png svg; do
		gnuplot -e "dat='$dir/.pathlen-plot.dat'; out='$dir/pathlen'; port='${port:-?}'; fmt='$fmt'; seed=$seed" "$gp/pathlen.gp"
	done
	rm -f "$dir/.pathlen-plot.dat"
	made=$((made + 2))
fi
if [ -s "$dir/predict.dat" ]; then
	# one data set per arch: "# arch NAME" then "# symbol cpu1 cpu2 ..." then rows
	idx=0
	# "llvm-mca 19.1.7" from the first line (files from before it was recorded: "llvm-mca")
	mca=$(sed -n '1s/.*\(llvm-mca [0-9][0-9.]*\).*/\1/p' "$dir/predict.dat")
	for arch in $(sed -n 's/^# arch //p' "$dir/predict.dat"); do
		hdr=$(awk -v a="$arch" '$0 == "# arch " a { getline; print; exit }' "$dir/predict.dat")
		ncpu=$(echo "$hdr" | awk '{ print NF - 2 }')
		# gnuplot's columnheader needs a header row: make a per-arch file
		awk -v a="$arch" 'BEGIN { on = 0 } /^# arch / { on = ($3 == a); next }
			on && /^# symbol/ { sub(/^# /, ""); print; next } on && NF { print }' "$dir/predict.dat" >"$dir/.predict-$arch.dat"
		for fmt in png svg; do
			gnuplot -e "dat='$dir/.predict-$arch.dat'; idx=0; arch='$arch'; ncpu=$ncpu; mca='${mca:-llvm-mca}'; out='$dir/predict-$arch'; fmt='$fmt'" "$gp/predict.gp"
		done
		rm -f "$dir/.predict-$arch.dat"
		idx=$((idx + 1))
		made=$((made + 2))
	done
fi
[ "$made" -gt 0 ] || { say "no pathlen.dat or predict.dat in $dir"; exit 1; }
echo "plot-pathlen: $made charts in $dir"
