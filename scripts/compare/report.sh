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
		shopt -s nullglob
		states=("$tmp"/pairs/*.json "$tmp"/*.machine.json)
		shopt -u nullglob
		# the machine line (paired: from the first process), then every WARNING any
		# process wrote, once, with how many wrote it (gm compare header)
		if [ $mode = paired ]; then
			"$GM" compare header "${states[@]}"
			[ -f "$tmp/pairs/plan.txt" ] && cat "$tmp/pairs/plan.txt"
		elif [ $mode = process ]; then
			echo "machine: $("$GM" report context-line "${files_a[0]}" 2>/dev/null || echo unknown)"
			[ -n "${OLD:-}" ] || echo "mode: process level, unpaired ($why_process): each sample is one process of one side;" \
				"a hidden per-process state is not shared by the two sides"
			[ ${#states[@]} = 0 ] || "$GM" compare header "${states[@]}" | tail -n +2
		fi
		echo
	} >"$tmp/header.txt"
	: >"$tmp/table.txt"
	if [ $mode = paired ]; then
		# machine states are named against this host's record (STATES=, default
		# RESULTS/<host-id>/states.json); a QUICK smoke run's few canaries stay out of it
		record=()
		[ "$QUICK" = 1 ] || record=(--states "${STATES:-$dir/states.json}" --run-id "$name")
		"$GM" compare paired --alpha "$ALPHA" --min-effect "$MIN_EFFECT" "${record[@]}" \
			--out "$tmp" "$tmp"/pairs/P*.json >"$tmp/table.txt" ||
			die "gm compare failed (see above); nothing was kept"
	elif [ $mode = process ]; then
		"$GM" compare "${metric[@]}" --alpha "$ALPHA" --out "$tmp" "${files_a[@]}" -- "${files_b[@]}" >"$tmp/table.txt" ||
			die "gm compare failed (see above); nothing was kept"
	fi
	if [ "$want_count" = 1 ]; then
		# the count (and prediction) rows join the timing rows in one compare.json
		timing_args=()
		if [ $mode != none ]; then
			timing_args=(--timing "$tmp/compare.json")
			echo >>"$tmp/table.txt"
		fi
		"$GM" compare count "${timing_args[@]}" "${predict_args[@]}" --out "$tmp" \
			"${count_files_a[@]}" -- "${count_files_b[@]}" >>"$tmp/table.txt" ||
			die "gm compare count failed (see above); nothing was kept"
	fi
	cat "$tmp/header.txt" "$tmp/table.txt" >"$tmp/compare.tmp" && mv "$tmp/compare.tmp" "$tmp/compare.txt"
	rm -f "$tmp/table.txt" "$tmp/header.txt"
	if [ $mode = paired ]; then
		"$GM" report paired-samples "$tmp"/pairs/P*.json >"$tmp/samples.csv" 2>/dev/null || rm -f "$tmp/samples.csv"
	elif [ $mode = process ]; then
		"$GM" report samples "${files_a[@]}" -- "${files_b[@]}" >"$tmp/samples.csv" 2>/dev/null || rm -f "$tmp/samples.csv"
		mkdir -p "$tmp/runs"
		for f in "${files_a[@]}" "${files_b[@]}" "$tmp"/*.machine.json; do
			case $f in "$tmp"/*) [ -e "$f" ] && mv "$f" "$tmp/runs/" ;; esac
		done
	fi
	rm -f "$tmp"/*.log
	if command -v gnuplot >/dev/null 2>&1 && [ -x scripts/plot/plot.sh ]; then
		GM="$GM" scripts/plot/plot.sh compare "$tmp" >/dev/null 2>&1 || say "plots failed (the comparison itself is complete)"
	fi
	gm_commit "$dir" "$name" "$RESULTS" latest-compare "$hostid"
	cat "$dir/$name/compare.txt"
	echo
	echo "compare: results in $dir/$name; $RESULTS/latest-compare points there ($(( $(date +%s) - t_begin )) s in all)"

}
