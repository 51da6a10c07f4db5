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
	if [ $mode = paired ]; then
		compare_pair_build
		compare_pair_run
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
				$RUN "$bin" --help 2>&1 | grep -q -- --state-out &&
					st=(--cpu="$CPU" --state-out="$tmp/$s-$i.machine.json")
				$RUN "$bin" "${args[@]}" "${st[@]}" --benchmark_out="$tmp/$s-$i.json" >"$tmp/$s-$i.log" 2>&1 || {
					tail -n 20 "$tmp/$s-$i.log" >&2; die "side $s failed on run $i"; }
				if [ $s = a ]; then files_a+=("$tmp/a-$i.json"); else files_b+=("$tmp/b-$i.json"); fi
			done
		done
	fi
	fi	# want_timing
}

# Both sides as pair sides (four assembled layouts each), the driver, and a gmpair binary per
# process with LAYOUTS copies of each side, each binary its own placement of the copies
# (scripts/compare/pair-link.sh: the copies are made once, the links differ).
compare_pair_build() {
	local s src
	for s in $sides; do
		src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
		say "side $s as a pair side"
		$MAKE --no-print-directory -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
			GBENCH_PREFIX="$gb" PAIR_LAYOUTS="1 2 3 4" pair-side >"$tmp/pair-$s.log" 2>&1 || {
			tail -n 20 "$tmp/pair-$s.log" >&2; die "side $s: make pair-side failed"; }
	done
	$MAKE --no-print-directory -C "$top" ARCH="$ARCH" O="$absO/compare/driver" pair-driver \
		>"$tmp/driver.log" 2>&1 || { tail -n 20 "$tmp/driver.log" >&2; die "the pair driver does not build"; }
	local p
	for p in $(seq 1 "$PROCS"); do
		say "linking gmpair $p/$PROCS: $LAYOUTS copies of each side, each at its own place"
		$MAKE --no-print-directory -C "$top" ARCH="$ARCH" pair-link PAIR_OUT="$absO/compare/pair" \
			PAIR_K="$p" PAIR_SLOTS="$LAYOUTS" PAIR_A="$absO/compare/build-a/$ARCH" PAIR_B="$build_b" \
			PAIR_DRIVER="$absO/compare/driver/$ARCH" >"$tmp/link.log" 2>&1 || {
			tail -n 20 "$tmp/link.log" >&2; die "linking the pair binary failed"; }
	done
}

# PROCS processes, each of its own binary; each walks every layout (slot) PAIRS x REPS /
# LAYOUTS times per case, with its own stack placements, start order and seed.
compare_pair_run() {
	local p skew_a skew_b g0 outer
	mkdir -p "$tmp/pairs"
	args=(--reps="$REPS" --pairs="$PAIRS" --cpu="$CPU" --batch-us=5)
	[ "$QUICK" = 1 ] && args+=(--quick)
	[ -n "${FILTER:-}" ] && args+=("--filter=$FILTER")
	[ -n "${VARIANTS:-}" ] && args+=("--variants=$vlist")
	for p in $(seq 1 "$PROCS"); do
		skew_a=$(( (p * 2654435761 % 4096) / 16 * 16 ))
		skew_b=$(( (p * 40503 + 1024) % 4096 / 16 * 16 ))
		g0=$(( (p * 97 + 13) % 256 * 16 ))
		# which side's copy starts first in each slot alternates between processes
		outer=$([ $((p % 2)) = 1 ] && echo A || echo B)
		say "process $p/$PROCS: $LAYOUTS layouts, A and B in each"
		$RUN "$absO/compare/pair/L$p/gmpair" "${args[@]}" --layout="$p" --seed="$((p * 7919 + 1))" \
			--skew-a="$skew_a" --skew-b="$skew_b" --g0-offset="$g0" --outer="$outer" \
			--out="$tmp/pairs/P$p.json" >"$tmp/pair-P$p.log" 2>&1 || {
			tail -n 20 "$tmp/pair-P$p.log" >&2; die "gmpair failed (process $p)"; }
	done
	# every copy's placement, per process (compressed: a few hundred lines per layout)
	for p in $(seq 1 "$PROCS"); do gzip -c "$absO/compare/pair/L$p/layout.txt" >"$tmp/pairs/layout-P$p.txt.gz"; done
}
