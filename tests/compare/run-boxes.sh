#!/bin/bash
# tests/compare/run-boxes.sh GM — compare-boxes (scripts/plot/plot.sh compare) at 1, 2, 10
# and 40 rows of a made-up samples.csv, read back from the SVG gnuplot draws: every box
# inside the frame, one tic per row, and each row's old (blue) box just left of its tic
# and its new (orange) box just right of it, nearer to that tic than to any other.
GM_TEST_PREFIX="compare/boxes: "
. "$(dirname "$0")/../lib.sh"
set -u
G=${1:?usage: run-boxes.sh GM}
command -v gnuplot >/dev/null 2>&1 || { unavailable "gnuplot is not installed"; exit 0; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-boxes-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fx=$(dirname "$0")/fixtures

for n in 1 2 10 40; do
	d="$tmp/c$n"
	mkdir -p "$d"
	"$G" compare --out "$d" "$fx/old.json" "$fx/new.json" >/dev/null 2>&1
	# n rows, names of several lengths, the new side 1 to 4 times the old
	awk -v n="$n" 'BEGIN { srand(n); print "side,benchmark,unit,value"
		for (b = 1; b <= n; b++) { name = (b % 2 ? "callback/go-c-go/gotoday/" : "tls/x/") b; base = 50 + 40 * rand(); f = 1 + 3 * rand()
			for (r = 0; r < 8; r++) { printf "A,%s,cycles,%g\n", name, base * (0.95 + 0.1 * rand())
				printf "B,%s,cycles,%g\n", name, base * f * (0.95 + 0.1 * rand()) } } }' >"$d/samples.csv"
	if ! GM="$G" scripts/plot/plot.sh compare "$d" >"$tmp/plot$n.log" 2>&1 || [ ! -s "$d/plots/compare-boxes.svg" ]; then
		notok "$n rows: compare-boxes.svg is drawn: $(tail -n 2 "$tmp/plot$n.log" | tr '\n' ' ')"
		continue
	fi
	# one SVG element per line: gnuplot wraps a long path's points onto the next line,
	# wherever the line fills up (a box's corners can straddle the break)
	tr '\n' ' ' <"$d/plots/compare-boxes.svg" | sed 's/</\n</g' >"$tmp/svg$n"
	# frame (the last closed black rectangle), tics (translate(x,...) before a name), and the
	# centres of the blue (plot 1) and orange (plot 2) boxes
	awk -v n="$n" '
	function rects(line, arr,   i, t, m, k) {	# "M a,b L c,b L c,d L a,d L a,b Z": centre x
		m = split(line, t, /[ \t]+/)
		for (i = 1; i + 5 <= m; i++)
			if (t[i] ~ /^d?=?.?M[0-9.]+,/ && t[i + 5] ~ /^Z/) {
				a = t[i]; sub(/.*M/, "", a); split(a, p1, ","); c = t[i + 1]; sub(/^L/, "", c); split(c, p2, ",")
				arr[++arr[0]] = (p1[1] + p2[1]) / 2
			}
	}
	/<g id="gnuplot_plot_1"/ { g = 1 } /<g id="gnuplot_plot_2"/ { g = 2 } /<g id="gnuplot_plot_3"/ { g = 0 }
	g == 1 && /<path/ { rects($0, blue) }
	g == 2 && /<path/ { rects($0, orange) }
	g && /<path/ { s = $0; while (match(s, /[ML][0-9.]+,/)) { x = substr(s, RSTART + 1, RLENGTH - 2) + 0
		if (!nx++ || x > maxx) maxx = x; if (nx == 1 || x < minx) minx = x; s = substr(s, RSTART + RLENGTH) } }
	/stroke=.black.  d=.M[0-9.]+,[0-9.]+ L[0-9.]+,[0-9.]+ L[0-9.]+,[0-9.]+ L[0-9.]+,[0-9.]+ L[0-9.]+,[0-9.]+ Z/ {
		s = $0; sub(/.*d=.M/, "", s); split(s, q, /[ ,L]+/); left = q[1] + 0; right = q[5] + 0 }
	/rotate\(35\)/ { s = $0; sub(/.*translate\(/, "", s); split(s, q, ","); tx = q[1] + 0; want = 1; next }
	want && /<text>/ { tic[++nt] = tx; want = 0 }
	END {
		fail = 0
		if (blue[0] != n || orange[0] != n) { printf "not ok - compare/boxes: %d rows: %d old and %d new boxes drawn\n", n, blue[0], orange[0]; exit }
		printf "%s - compare/boxes: %d rows: %d boxes each side\n", "ok", n, n
		if (nt != n) printf "not ok - compare/boxes: %d rows: %d tics, one per row\n", n, nt
		else printf "ok - compare/boxes: %d rows: one named tic per row\n", n
		if (minx < left || maxx > right) printf "not ok - compare/boxes: %d rows: the boxes span x %.1f..%.1f, outside the frame %.1f..%.1f\n", n, minx, maxx, left, right
		else printf "ok - compare/boxes: %d rows: every box and whisker inside the frame (%.1f..%.1f in %.1f..%.1f)\n", n, minx, maxx, left, right
		# the pair of each tic: old just left, new just right, each nearer this tic than any other
		half = n > 1 ? (tic[2] - tic[1]) / 2 : (right - left) / 2
		for (k = 1; k <= n && nt == n; k++) {
			tk = tic[k] + 1.87	# the label starts 1.87 px left of its tic mark
			if (!(blue[k] < tk && tk - blue[k] < half && orange[k] > tk && orange[k] - tk < half)) {
				printf "not ok - compare/boxes: %d rows: row %d: old box at %.1f, new at %.1f, its tic at %.1f\n", n, k, blue[k], orange[k], tk; fail = 1 }
		}
		if (nt == n && !fail) printf "ok - compare/boxes: %d rows: each row'"'"'s old and new boxes side by side around its own tic\n", n
	}' "$tmp/svg$n" >"$tmp/check$n.txt"
	cat "$tmp/check$n.txt"
	pass=$((pass + $(grep -c '^ok - ' "$tmp/check$n.txt")))
	fail=$((fail + $(grep -c '^not ok - ' "$tmp/check$n.txt")))
done
# a samples.csv with no row both sides share draws no boxes and does not fail the plots
d="$tmp/one-sided"; mkdir -p "$d"
"$G" compare --out "$d" "$fx/old.json" "$fx/new.json" >/dev/null 2>&1
printf 'side,benchmark,unit,value\nA,x/y,cycles,5\nA,x/y,cycles,6\n' >"$d/samples.csv"
t "a one-sided samples.csv: the other plots are drawn, no empty box plot" \
  "GM='$G' scripts/plot/plot.sh compare '$d' && [ -s '$d/plots/compare-delta.png' ] && [ ! -e '$d/plots/compare-boxes.png' ]"
gm_tests_done compare/boxes
