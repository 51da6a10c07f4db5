# scripts/compare/timing.sh — make compare's timing stage (sourced by compare.sh, which sets
# the sides, the options and the staging folder $tmp; see compare.sh's header).
# timing: paired (both sides linked into one gmpair binary per layout, alternating A and
# B batches) where both sides can be paired, else process level (the two gmbench
# binaries run interleaved).

compare_timing() {
	mode=none
	if [ "$want_timing" = 1 ]; then
	$MAKE --no-print-directory -C "$top" ARCH="$ARCH" O="$O" bench-build >"$tmp/build-top.log" 2>&1 || {
		tail -n 20 "$tmp/build-top.log" >&2; die "the benchmark does not build in this checkout"; }
	# Both sides build with this checkout's Google Benchmark (same library, built once).
	gb="$absO/gbench/$ARCH"
	sides="a b"
	[ -n "${VARIANTS:-}" ] && sides=a	# one build, both sides
	for s in $sides; do
		src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
		say "building side $s ($([ $s = a ] && echo "$desc_a" || echo "$desc_b"))"
		$MAKE --no-print-directory -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
			GBENCH_PREFIX="$gb" bench-build >"$tmp/build-$s.log" 2>&1 || {
			tail -n 20 "$tmp/build-$s.log" >&2; die "side $s does not build"; }
	done
	bin_a="$absO/compare/build-a/$ARCH/bin/gmbench"
	bin_b="$absO/compare/build-b/$ARCH/bin/gmbench"
	build_b="$absO/compare/build-b/$ARCH"
	[ -n "${VARIANTS:-}" ] && bin_b=$bin_a build_b="$absO/compare/build-a/$ARCH"
	[ -n "$RUN" ] && export GM_EMULATOR="${RUN%% *}"
	# make compare HOST= (scripts/remote/): the pairs and gmbench runs go to the board
	run_on=${GM_PAIR_EXEC:-$RUN}
	# Paired where both sides know how to be a side (bench/rules.mk); else process level.
	mode=process
	why_process="PAIRED=0"
	if [ "$PAIRED" = 1 ]; then
		mode=paired
		for src in "$side_a" "$side_b"; do
			if ! side_can "$src" pair-side; then
				mode=process
				why_process="$(git -C "$src" rev-parse --short=12 HEAD) predates paired sides (bench/rules.mk)"
			fi
		done
	fi
	layouts=$(seq 1 "$LAYOUTS" | tr '\n' ' ')
	if [ $mode = paired ]; then
		for s in $sides; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			say "side $s as a pair side, $LAYOUTS layouts"
			$MAKE --no-print-directory -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
				GBENCH_PREFIX="$gb" PAIR_LAYOUTS="$layouts" pair-side >"$tmp/pair-$s.log" 2>&1 || {
				tail -n 20 "$tmp/pair-$s.log" >&2; die "side $s: make pair-side failed"; }
		done
		$MAKE --no-print-directory -C "$top" ARCH="$ARCH" O="$absO/compare/driver" pair-driver \
			>"$tmp/driver.log" 2>&1 || { tail -n 20 "$tmp/driver.log" >&2; die "the pair driver does not build"; }
		for k in $layouts; do
			$MAKE --no-print-directory -C "$top" ARCH="$ARCH" pair-link PAIR_OUT="$absO/compare/pair" \
				PAIR_K="$k" PAIR_A="$absO/compare/build-a/$ARCH" PAIR_B="$build_b" \
				PAIR_DRIVER="$absO/compare/driver/$ARCH" >"$tmp/link-$k.log" 2>&1 || {
				tail -n 20 "$tmp/link-$k.log" >&2; die "linking the pair binary of layout $k failed"; }
		done
		mkdir -p "$tmp/pairs"
		args=(--reps="$REPS" --pairs="$PAIRS" --cpu="$CPU")
		[ "$QUICK" = 1 ] && args+=(--quick)
		[ -n "${FILTER:-}" ] && args+=("--filter=$FILTER")
		[ -n "${VARIANTS:-}" ] && args+=("--variants=$vlist")
		# processes: every layout once, then again (a drift in time spreads over the layouts)
		total=$((LAYOUTS * PROCS)) i=0
		for p in $(seq 1 "$PROCS"); do
			for k in $layouts; do
				i=$((i + 1))
				# the stack placement of this layout: goroutine stacks and the second g0
				skew_a=$(( (k * 2654435761 % 4096) / 16 * 16 ))
				skew_b=$(( (k * 40503 + 1024) % 4096 / 16 * 16 ))
				g0=$(( (k * 97 + 13) % 256 * 16 ))
				# which runtime is started first (outer) and which link order: both alternate
				outer=$([ $(( (k / 2) % 2 )) = 0 ] && echo A || echo B)
				lorder=$([ $((k % 2)) = 0 ] && echo AB || echo BA)
				say "process $i/$total: layout $k (A and B in one process)"
				$run_on "$absO/compare/pair/L$k/gmpair" "${args[@]}" --layout="$k" --seed="$((k * 1000 + p))" \
					--skew-a="$skew_a" --skew-b="$skew_b" --g0-offset="$g0" --outer="$outer" --order="$lorder" \
					--out="$tmp/pairs/L$k-p$p.json" >"$tmp/pair-L$k-p$p.log" 2>&1 || {
					tail -n 20 "$tmp/pair-L$k-p$p.log" >&2; die "gmpair failed (layout $k, process $p)"; }
			done
		done
		for k in $layouts; do cp "$absO/compare/pair/L$k/layout.txt" "$tmp/pairs/layout-L$k.txt"; done
	else
		args=(--benchmark_repetitions=1 --benchmark_out_format=json)
		[ "$QUICK" = 1 ] && args+=(--quick)
		[ -n "${FILTER:-}" ] && args+=("--filter=$FILTER")
		files_a=(); files_b=()
		# A B, then B A, then A B...: neither side always runs first (a warm-up or a
		# frequency ramp would otherwise favour one side every time)
		for i in $(seq 1 "$REPS"); do
			order="a b"; [ $((i % 2)) = 0 ] && order="b a"
			for s in $order; do
				bin=$([ $s = a ] && echo "$bin_a" || echo "$bin_b")
				say "run $i/$REPS side $s"
				# pinned, with the machine's state, where that side's gmbench can (older ones cannot)
				st=()
				$run_on "$bin" --help 2>&1 | grep -q -- --state-out &&
					st=(--cpu="$CPU" --state-out="$tmp/$s-$i.machine.json")
				$run_on "$bin" "${args[@]}" "${st[@]}" --benchmark_out="$tmp/$s-$i.json" >"$tmp/$s-$i.log" 2>&1 || {
					tail -n 20 "$tmp/$s-$i.log" >&2; die "side $s failed on run $i"; }
				if [ $s = a ]; then files_a+=("$tmp/a-$i.json"); else files_b+=("$tmp/b-$i.json"); fi
			done
		done
	fi
	fi	# want_timing
}
