# scripts/compare/timing.sh — make compare's timing stage (sourced by compare.sh, which sets
# the sides, the options and the staging folder $tmp; see compare.sh's header).
# timing: paired (both sides linked into one gmpair binary per layout, alternating A and
# B batches) where both sides can be paired, else process level (the two gmbench
# binaries run interleaved).

compare_timing() {
	mode=none
	if [ "$want_timing" = 1 ]; then
	$MAKE --no-print-directory $MAKE_JOBS -C "$top" ARCH="$ARCH" O="$O" bench-build >"$tmp/build-top.log" 2>&1 || {
		tail -n 20 "$tmp/build-top.log" >&2; die "the benchmark does not build in this checkout"; }
	# Both sides build with this checkout's Google Benchmark (same library, built once).
	gb="$absO/gbench/$ARCH"
	sides="a b"
	[ -n "${VARIANTS:-}" ] && sides=a	# one build, both sides
	for s in $sides; do
		src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
		say "building side $s ($([ $s = a ] && echo "$desc_a" || echo "$desc_b"))"
		$MAKE --no-print-directory $MAKE_JOBS -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
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
				$run_on "$bin" --help 2>&1 | grep -- --state-out >/dev/null &&
					st=(--cpu="$CPU" --state-out="$tmp/$s-$i.machine.json")
				$run_on "$bin" "${args[@]}" "${st[@]}" --benchmark_out="$tmp/$s-$i.json" >"$tmp/$s-$i.log" 2>&1 || {
					tail -n 20 "$tmp/$s-$i.log" >&2; die "side $s failed on run $i"; }
				if [ $s = a ]; then files_a+=("$tmp/a-$i.json"); else files_b+=("$tmp/b-$i.json"); fi
			done
		done
	fi
	fi	# want_timing
}

# Both sides as pair sides (four assembled layouts each) and the driver.
compare_pair_build() {
	local s src
	for s in $sides; do
		src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
		say "side $s as a pair side"
		$MAKE --no-print-directory $MAKE_JOBS -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
			GBENCH_PREFIX="$gb" PAIR_LAYOUTS="1 2 3 4" pair-side >"$tmp/pair-$s.log" 2>&1 || {
			tail -n 20 "$tmp/pair-$s.log" >&2; die "side $s: make pair-side failed"; }
	done
	$MAKE --no-print-directory -C "$top" ARCH="$ARCH" O="$absO/compare/driver" pair-driver \
		>"$tmp/driver.log" 2>&1 || { tail -n 20 "$tmp/driver.log" >&2; die "the pair driver does not build"; }
}

# compare_pair_link P: the binary of process P, LAYOUTS copies of each side placed from seed P
# (scripts/compare/pair-link.sh: the copies are made once, each link places them anew)
compare_pair_link() {
	$MAKE --no-print-directory -C "$top" ARCH="$ARCH" pair-link PAIR_OUT="$absO/compare/pair" \
		PAIR_K="$1" PAIR_SLOTS="$LAYOUTS" PAIR_A="$absO/compare/build-a/$ARCH" PAIR_B="$build_b" \
		PAIR_DRIVER="$absO/compare/driver/$ARCH" >"$tmp/link.log" 2>&1 || {
		tail -n 20 "$tmp/link.log" >&2; die "linking the pair binary of process $1 failed"; }
}

# compare_pair_process P PAIRS_PER_REP: one process of binary P, its own stack placements
# and seed; every pair in the next layout of a shuffled cycle
compare_pair_process() {
	local p=$1 args
	args=(--reps="$REPS" --pairs="$2" --cpu="$CPU" --batch-us=5)
	[ "$QUICK" = 1 ] && args+=(--quick)
	[ -n "${FILTER:-}" ] && args+=("--filter=$FILTER")
	[ -n "${VARIANTS:-}" ] && args+=("--variants=$vlist")
	$run_on "$absO/compare/pair/L$p/gmpair" "${args[@]}" --layout="$p" --seed="$((p * 7919 + 1))" \
		--out="$tmp/pairs/P$p.json" >"$tmp/pair-P$p.log" 2>&1 || {
		tail -n 20 "$tmp/pair-P$p.log" >&2; die "gmpair failed (process $p)"; }
	# every copy's placement (compressed: a few hundred lines per layout)
	gzip -c "$absO/compare/pair/L$p/layout.txt" >"$tmp/pairs/layout-P$p.txt.gz"
}

# The pilot (process 1: every layout visited twice per benchmark), the plan for the time
# left of BUDGET (gm compare plan), then the other processes.
compare_pair_run() {
	local p t0 tl n procs pairs plan
	mkdir -p "$tmp/pairs"
	say "linking gmpair 1: $LAYOUTS copies of each side, each at its own place (the copies are kept)"
	compare_pair_link 1
	# the second link reuses the copies: what one more process's binary costs
	t0=$(date +%s.%N)
	say "linking gmpair 2"
	compare_pair_link 2
	tl=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	procs=${PROCS:-}
	pairs=${PAIRS:-$(( (2 * LAYOUTS + REPS - 1) / REPS ))}
	say "process 1 (the pilot): $LAYOUTS layouts, $((pairs * REPS)) pairs per benchmark"
	compare_pair_process 1 "$pairs"
	if [ -z "$PAIRS" ] || [ -z "$PROCS" ]; then
		# kept back for the report: reading every process's pairs and drawing (about half a
		# second per benchmark on the Zen 5 VM's full suite)
		ncases=$(grep -c '"name":' "$tmp/pairs/P1.json" || true)
		left=$(awk -v b="$BUDGET" -v t="$(( $(date +%s) - t_begin ))" -v n="$ncases" 'BEGIN { printf "%d", b - t - 5 - n / 2 }')
		plan=$("$GM" compare plan --left "$left" --link "$tl" "$tmp/pairs/P1.json") || die "gm compare plan failed"
		n=$(echo "$plan" | awk 'NR == 1 { print $1 }')
		[ -n "$PROCS" ] || procs=$(echo "$plan" | awk 'NR == 1 { print $2 }')
		[ -n "$PAIRS" ] || pairs=$(( (n * LAYOUTS + REPS - 1) / REPS ))
		{
			echo "budget: BUDGET=$BUDGET s for the whole compare; $(( $(date +%s) - t_begin )) s spent before the plan"
			echo "$plan" | sed -n 2p
			echo "run: $procs processes; the others $((pairs * REPS)) pairs per benchmark each${PAIRS:+ (PAIRS given)}${PROCS:+ (PROCS given)}"
		} >"$tmp/pairs/plan.txt"
		say "$(sed -n 2p "$tmp/pairs/plan.txt")"
	else
		echo "run: PROCS=$PROCS processes of $((pairs * REPS)) pairs per benchmark (given; no plan)" >"$tmp/pairs/plan.txt"
	fi
	for p in $(seq 2 "$procs"); do
		say "process $p/$procs: $((pairs * REPS)) pairs per benchmark"
		[ "$p" = 2 ] || compare_pair_link "$p"
		compare_pair_process "$p" "$pairs"
	done
}
