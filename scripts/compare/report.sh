# scripts/compare/report.sh — make compare's report stage (sourced by compare.sh, which sets
# the sides, the options and the staging folder $tmp; see compare.sh's header).
# report: the header (what was compared, the machine, every WARNING once), the tables of
# every kind, samples and plots; then the staged folder is renamed into place.

compare_report() {
	name="compare-$stamp-$label"
	mode=${mode:-process}
	{
		echo "A (old): $desc_a"
		echo "B (new): $desc_b"
		case $mode in
		none) echo "arch: $ARCH (kinds: count$([ "$PREDICT" = 1 ] && echo ', prediction'); no timing: $([ -n "${OLD:-}" ] && echo 'two make pathlen runs' || echo "MODE=$MODE"))" ;;
		*) echo "arch: $ARCH${RUN:+ (emulated: $RUN; timings are not hardware figures)}" ;;
		esac
		if [ $mode = paired ]; then
			f1=$(ls "$tmp"/pairs/*.json | head -n1)
			echo "machine: CPU $(sed -n 's/^ *"cpu_measured": \([0-9-]*\),/\1/p' "$f1" | head -n1)" \
				"($(sed -n 's/^ *"core_measured": "\(.*\)",/\1/p' "$f1" | head -n1))," \
				"counter $(sed -n 's/^"counter": "\([^"]*\)",/\1/p' "$f1" | head -n1)," \
				"$(sed -n 's/^ *"gm_kernel": "\([^"]*\)".*/\1/p;s/.*"gm_kernel": "\([^"]*\)".*/\1/p' "$f1" | head -n1)"
		elif [ $mode = process ]; then
			echo "machine: $("$GMREPORT" --context-line "${files_a[0]}" 2>/dev/null || echo unknown)"
			[ -n "${OLD:-}" ] || echo "mode: process level, unpaired ($why_process): each sample is one process of one side;" \
				"a hidden per-process state is not shared by the two sides"
		fi
		# the machine's state: every WARNING any process wrote, once, with how many wrote it
		# (a kind's percentages shown as the largest any process wrote, so that "busy 37%"
		# and "busy 41%" count as one kind: "up to 41%")
		shopt -s nullglob
		states=("$tmp"/pairs/*.json "$tmp"/*.machine.json)
		shopt -u nullglob
		for f in "${states[@]}"; do
			sed -n '/"warnings": \[/,/\]/p' "$f" | sed -n 's/^ *"\(.*\)",\{0,1\}$/\1/p' | sort -u
		done | awk -v nproc="${#states[@]}" '
			{ key = $0; gsub(/[0-9][0-9.]*%/, "N%", key)
			  if (!(key in n)) order[++k] = key
			  n[key]++; line = $0; i = 0
			  while (match(line, /[0-9][0-9.]*%/)) {
				v = substr(line, RSTART, RLENGTH - 1) + 0; i++
				if (!((key, i) in mx) || v > mx[key, i]) mx[key, i] = v
				line = substr(line, RSTART + RLENGTH) } }
			END { for (j = 1; j <= k; j++) {
				key = order[j]; out = ""; rest = key; i = 0
				while ((p = index(rest, "N%")) > 0) {
					i++; out = out substr(rest, 1, p - 1) (n[key] > 1 ? "up to " : "") mx[key, i] "%"
					rest = substr(rest, p + 2) }
				printf "%d\tWARNING (%d of %d processes): %s\n", n[key], n[key], nproc, out rest } }' |
			sort -t "$(printf '\t')" -k1,1nr | cut -f2-
		echo
	} >"$tmp/header.txt"
	: >"$tmp/table.txt"
	if [ $mode = paired ]; then
		"$GMCOMPARE" --paired --alpha "$ALPHA" --min-effect "$MIN_EFFECT" --out "$tmp" "$tmp"/pairs/L*.json >"$tmp/table.txt" ||
			die "gmcompare failed (see above); nothing was kept"
	elif [ $mode = process ]; then
		"$GMCOMPARE" "${metric[@]}" --alpha "$ALPHA" --out "$tmp" "${files_a[@]}" -- "${files_b[@]}" >"$tmp/table.txt" ||
			die "gmcompare failed (see above); nothing was kept"
	fi
	if [ "$want_count" = 1 ]; then
		# the count (and prediction) rows join the timing rows in one compare.json
		timing_args=()
		if [ $mode != none ]; then
			timing_args=(--timing "$tmp/compare.json")
			echo >>"$tmp/table.txt"
		fi
		"$GMCOMPARE" --count "${timing_args[@]}" "${predict_args[@]}" --out "$tmp" \
			"${count_files_a[@]}" -- "${count_files_b[@]}" >>"$tmp/table.txt" ||
			die "gmcompare --count failed (see above); nothing was kept"
	fi
	cat "$tmp/header.txt" "$tmp/table.txt" >"$tmp/compare.tmp" && mv "$tmp/compare.tmp" "$tmp/compare.txt"
	rm -f "$tmp/table.txt" "$tmp/header.txt"
	if [ $mode = paired ]; then
		"$GMREPORT" --paired-samples "$tmp"/pairs/L*.json >"$tmp/samples.csv" 2>/dev/null || rm -f "$tmp/samples.csv"
	elif [ $mode = process ]; then
		"$GMREPORT" --samples "${files_a[@]}" -- "${files_b[@]}" >"$tmp/samples.csv" 2>/dev/null || rm -f "$tmp/samples.csv"
		mkdir -p "$tmp/runs"
		for f in "${files_a[@]}" "${files_b[@]}" "$tmp"/*.machine.json; do
			case $f in "$tmp"/*) [ -e "$f" ] && mv "$f" "$tmp/runs/" ;; esac
		done
	fi
	rm -f "$tmp"/*.log
	if command -v gnuplot >/dev/null 2>&1 && [ -x scripts/plot/plot.sh ]; then
		GMREPORT="$GMREPORT" scripts/plot/plot.sh compare "$tmp" >/dev/null 2>&1 || say "plots failed (the comparison itself is complete)"
	fi
	gm_commit "$dir" "$name" "$RESULTS" latest-compare "$hostid"
	cat "$dir/$name/compare.txt"
	echo
	echo "compare: results in $dir/$name; $RESULTS/latest-compare points there"

}
