# scripts/compare/predict.sh — make compare's prediction stage (sourced by compare.sh, which sets
# the sides, the options and the staging folder $tmp; see compare.sh's header).
# prediction (ARM): each routine's straight-line path as llvm-mca reads it, on both sides;
# the routines whose paths differ are predicted per named core.

compare_predict() {
	predict_args=()
	if [ "$PREDICT" = 1 ]; then
		[ -n "$(gm_newest_llvm mca)" ] || "$top/scripts/deps.sh" llvm >&2 ||
			die "llvm-mca is missing (Debian: llvm) and could not be installed; PREDICT=0 leaves the predictions out"
		# the newest llvm-mca, the same on both sides (predict.sh names the model it ran per core)
		mca=$(gm_newest_llvm mca)
		[ -n "$mca" ] || die "llvm-mca is still missing after scripts/deps.sh llvm"
		export LLVM_MCA=$mca
		[ -x "$GM" ] || die "$GM is missing (make builds it)"
		absG=$(cd "$(dirname "$GM")" && pwd)/$(basename "$GM")
		mkdir -p "$tmp/predict"
		# each routine's straight-line path as llvm-mca reads it, on both sides: the paths
		# that differ are the ones to predict (identical input, identical prediction)
		for s in a b; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			(cd "$src" && env PREDICT_ARCHES="$ARCH" O="$absO/compare/build-$s" GM="$absG" MAKE="$MAKE" \
				RESULTS="$tmp/predict/in-run-$s" PREDICT_INPUTS="$tmp/predict/input-$s" "$top/scripts/predict.sh") \
				>"$tmp/predict-in-$s.log" 2>&1 || {
				tail -n 10 "$tmp/predict-in-$s.log" >&2; die "the llvm-mca inputs of side $s could not be made"; }
		done
		changed=""
		: >"$tmp/predict/paths.tsv"
		for f in $( (cd "$tmp/predict/input-a" && ls; cd "$tmp/predict/input-b" && ls) | sort -u); do
			sym=${f#"$ARCH"-}; sym=${sym%.s}
			if [ ! -f "$tmp/predict/input-b/$f" ]; then st=only-old
			elif [ ! -f "$tmp/predict/input-a/$f" ]; then st=only-new
			elif cmp -s "$tmp/predict/input-a/$f" "$tmp/predict/input-b/$f"; then st=same
			else st=changed
			fi
			printf '%s\t%s\t%s\n' "$st" "$ARCH" "$sym" >>"$tmp/predict/paths.tsv"
			[ $st = same ] || changed="$changed $sym"
		done
		for s in a b; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			mine=""
			for sym in $changed; do [ -f "$tmp/predict/input-$s/$ARCH-$sym.s" ] && mine="$mine $sym"; done
			if [ -z "$mine" ]; then
				# nothing to predict on this side: an empty result keeps the report's shape
				"$GM" predict empty --llvm-mca "$("$mca" --version | awk 'tolower($0) ~ /version/ && !n++ { sub(/^ +/, ""); print }')" \
					"$tmp/predict/$s.json"
				continue
			fi
			say "prediction: side $s, llvm-mca per core for$mine"
			(cd "$src" && env PREDICT_ARCHES="$ARCH" O="$absO/compare/build-$s" GM="$absG" MAKE="$MAKE" \
				PREDICT_SYMBOLS="$mine" PREDICT_PLOTS=0 RESULTS="$tmp/predict/run-$s" LABEL= "$top/scripts/predict.sh") \
				>"$tmp/predict-$s.log" 2>&1 || { tail -n 10 "$tmp/predict-$s.log" >&2; die "the prediction of side $s failed"; }
			r=$(readlink -f "$tmp/predict/run-$s/latest-predict")
			cp "$r/predict.json" "$tmp/predict/$s.json"
			cp "$r/predict.txt" "$tmp/predict/$s.txt"
			rm -rf "$tmp/predict/run-$s"
		done
		rm -rf "$tmp/predict/input-a" "$tmp/predict/input-b" "$tmp/predict/in-run-a" "$tmp/predict/in-run-b"
		predict_args=(--predict "$tmp/predict/a.json" "$tmp/predict/b.json" --paths "$tmp/predict/paths.tsv")
	fi
}
