# scripts/compare/count.sh — make compare's count stage (sourced by compare.sh, which sets
# the sides, the options and the staging folder $tmp; see compare.sh's header).
# count: make pathlen on both builds, each counted twice (two processes): exact
# instructions per operation old/new, the delta and the routines it falls in.

compare_count() {
	if [ "$want_count" = 1 ]; then
		for s in a b; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			side_can "$src" pathlen ||
				die "side $s ($(git -C "$src" rev-parse --short=12 HEAD)) predates make pathlen: it cannot be counted (use MODE=timing)"
			say "building side $s for counting ($([ $s = a ] && echo "$desc_a" || echo "$desc_b"))"
			$MAKE --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" pathlen-build \
				>"$tmp/build-count-$s.log" 2>&1 || { tail -n 20 "$tmp/build-count-$s.log" >&2; die "side $s does not build"; }
		done
		# every side counted twice, in two processes: exact counts must repeat to the instruction
		mkdir -p "$tmp/count"
		count_files_a=() count_files_b=()
		for n in 1 2; do
			for s in a b; do
				src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
				say "count: side $s, run $n of 2 (make pathlen: exact instructions per operation)"
				$MAKE --no-print-directory -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" PL_GO=0 PL_PLOTS=0 \
					FILTER="${FILTER:-}" RESULTS="$tmp/count/run-$s$n" LABEL= pathlen >"$tmp/count-$s$n.log" 2>&1 || {
					tail -n 20 "$tmp/count-$s$n.log" >&2; die "counting side $s failed (run $n)"; }
				r=$(readlink -f "$tmp/count/run-$s$n/latest-pathlen") || die "counting side $s left no result (run $n)"
				cp "$r/pathlen.json" "$tmp/count/$s$n.json"
				cp "$r/pathlen.txt" "$tmp/count/$s$n.txt"
				rm -rf "$tmp/count/run-$s$n"
				if [ $s = a ]; then count_files_a+=("$tmp/count/a$n.json"); else count_files_b+=("$tmp/count/b$n.json"); fi
			done
		done
	fi
}
