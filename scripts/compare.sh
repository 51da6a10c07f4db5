#!/bin/bash
# scripts/compare.sh — compare two runtime versions, benchstat-style (make compare).
#
#   make compare BASE=<git ref> NEW=<git ref | patch file | worktree> [ARCH=...] [MODE=...]
#       builds both sides in their own build folders from git worktrees under
#       $O/compare/ (the user's tree is not touched; NEW=worktree: the working tree's
#       uncommitted changes to tracked files; NEW=<file>: a patch applied on BASE), then
#       gives the kinds of result MODE asks for (default: timing on the host's own port,
#       count on a foreign one; MODE=both: both, side by side):
#       count      make pathlen on both builds, each counted twice (two processes):
#                  exact instructions per operation old/new, the delta and the routines
#                  it falls in; on ARM ports (PREDICT=1, the default there) also llvm-mca
#                  predictions per named core of every routine whose path changed
#       timing     PAIRED (default, where both sides can be paired): both sides linked
#                  into one gmpair binary per layout (LAYOUTS, default 6: code and stack
#                  placements), PROCS processes per layout (default 2), each alternating
#                  A and B batches REPS x PAIRS times (default 10 x 8) on one pinned CPU;
#                  gmcompare --paired gives verdicts from the paired ratios, agreeing
#                  across layouts.  PAIRED=0 (or a side too old to be paired): process
#                  level, the two gmbench binaries run interleaved A B B A A B ... REPS
#                  times each (default 10)
#   make compare OLD=results/<a> NEW=results/<b>
#       compares two existing runs (folders holding bench.json, or JSON files; or two
#       make pathlen folders holding pathlen.json: a count comparison, counted once)
#
# Environment (from make): O, ARCH, RUN, GMCOMPARE, GMREPORT, GMPATHLEN, REPS, ALPHA, MIN_EFFECT (paired: %),
# FILTER, QUICK, METRIC, LABEL, RESULTS, MAKE, CPU, PAIRED, LAYOUTS, PROCS, PAIRS, MODE,
# PREDICT, CC, CXX, CROSS_COMPILE, ARCH_CFLAGS.  Output: RESULTS/<host-id>/compare-
# <stamp>[-label]/ (compare.txt, compare.json with every row's kind, samples.csv or
# pairs/, count/, predict/, plots), written under a temporary name and renamed when
# complete; RESULTS/latest-compare points at it.  The output says which mode produced
# the verdicts, and every WARNING about the machine's state.
set -euo pipefail

die() { echo "compare: $*" >&2; exit 2; }
say() { echo "compare: $*" >&2; }

: "${GMCOMPARE:?}" "${GMREPORT:?}" "${ARCH:?}"
O=${O:-build}
MAKE=${MAKE:-make}
RUN=${RUN:-}
RESULTS=${RESULTS:-results}
# absolute: the count and predict steps run make and scripts inside each side's source tree
RESULTS=$(mkdir -p "$RESULTS" && cd "$RESULTS" && pwd) || { echo "compare: cannot create RESULTS=$RESULTS" >&2; exit 2; }
REPS=${REPS:-}
ALPHA=${ALPHA:-0.05}
MIN_EFFECT=${MIN_EFFECT:-3}
QUICK=${QUICK:-0}
CPU=${CPU:-auto}
PAIRED=${PAIRED:-1}
LAYOUTS=${LAYOUTS:-6}
PROCS=${PROCS:-}
PAIRS=${PAIRS:-8}
GMPATHLEN=${GMPATHLEN:-$O/host/bin/gmpathlen}
hostarch=$("$(dirname "$0")/hostarch.sh")
if [ -n "${VARIANTS:-}" ]; then
	case ${MODE:-timing} in
	timing) ;;
	*) die "VARIANTS= pairs two variants of one build in time; their exact counts are in make pathlen (MODE=$MODE does not apply)" ;;
	esac
	MODE=timing
fi
if [ -z "${MODE:-}" ]; then
	# the host's own port can be timed; a foreign one runs under emulation: count it
	if [ "$ARCH" = "$hostarch" ]; then MODE=timing; else MODE=count; fi
fi
case $MODE in
timing) want_timing=1 want_count=0 ;;
count) want_timing=0 want_count=1 ;;
both) want_timing=1 want_count=1 ;;
*) die "MODE=$MODE: use timing, count or both" ;;
esac
if [ -z "${PREDICT:-}" ]; then
	case $ARCH in arm|arm64) PREDICT=1 ;; *) PREDICT=0 ;; esac
fi
case $PREDICT in 0|1) ;; *) die "PREDICT=$PREDICT: use 1 or 0" ;; esac
[ "$want_count" = 1 ] || PREDICT=0
if [ -z "$REPS" ]; then [ "$QUICK" = 1 ] && REPS=3 || REPS=10; fi
if [ -z "$PROCS" ]; then [ "$QUICK" = 1 ] && PROCS=1 || PROCS=2; fi
for v in REPS LAYOUTS PROCS PAIRS; do
	case ${!v} in ''|*[!0-9]*|0) die "$v must be a positive number" ;; esac
done
case $CPU in auto|none|[0-9]*) ;; *) die "CPU=$CPU: a CPU number, auto or none (all-types is for make bench)" ;; esac
top=$(git rev-parse --show-toplevel 2>/dev/null) || die "not inside a git checkout"
absO=$(mkdir -p "$O" && cd "$O" && pwd)

hostid=$("$(dirname "$0")/hostid.sh" "$ARCH" "${RUN:-}")
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir="$RESULTS/$hostid"
mkdir -p "$dir"
tmp="$dir/.partial-compare-$stamp-$$"
worktrees=()
cleanup() {
	rm -rf "$tmp"
	rmdir "$dir" 2>/dev/null || true	# only if this run created it and left it empty
	for w in "${worktrees[@]}"; do git -C "$top" worktree remove --force "$w" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'echo "compare: interrupted; nothing was kept" >&2; exit 130' INT TERM HUP
mkdir -p "$tmp"

json_of() { # a run folder or a JSON file -> the JSON file
	if [ -d "$1" ]; then
		[ -f "$1/pathlen.json" ] && { echo "$1/pathlen.json"; return; }
		[ -f "$1/bench.json" ] || die "$1 has no bench.json (not a gmbench run folder) and no pathlen.json (not a make pathlen folder)"
		echo "$1/bench.json"
	elif [ -f "$1" ]; then
		echo "$1"
	else
		die "$1: no such run folder or file"
	fi
}

metric=()
[ -n "${METRIC:-}" ] && metric=(--metric "$METRIC")

if [ -n "${OLD:-}" ]; then
	[ -n "${NEW:-}" ] || die "OLD= needs NEW= (two run folders)"
	a=$(json_of "$OLD"); b=$(json_of "$NEW")
	label=${LABEL:-runs}
	desc_a="$OLD"; desc_b="$NEW"
	ka=$(grep -c '"kind": *"gmbench-pathlen"' "$a" || true); kb=$(grep -c '"kind": *"gmbench-pathlen"' "$b" || true)
	if [ "$ka" != 0 ] || [ "$kb" != 0 ]; then
		[ "$ka" != 0 ] && [ "$kb" != 0 ] || die "OLD=$OLD and NEW=$NEW are not the same kind of result (one make pathlen, one timing run)"
		want_timing=0 want_count=1 PREDICT=0 mode=none
		mkdir -p "$tmp/count"
		cp "$a" "$tmp/count/a1.json"; cp "$b" "$tmp/count/b1.json"
		count_files_a=("$tmp/count/a1.json"); count_files_b=("$tmp/count/b1.json")
	else
		want_timing=1 want_count=0 PREDICT=0
		files_a=("$a"); files_b=("$b")
	fi
else
	if [ -n "${VARIANTS:-}" ]; then
		# two variants of one build: BASE (default HEAD) linked with itself, case X of one
		# side paired with case Y of the other
		[ -z "${NEW:-}" ] || die "VARIANTS= compares variants of one build: give BASE= (default HEAD), not NEW="
		[ "$PAIRED" = 1 ] || die "VARIANTS= is paired by nature (PAIRED=0 does not apply)"
		BASE=${BASE:-HEAD}
		vlist=""
		vfilter=""
		for v in $VARIANTS; do
			case $v in *:*) ;; *) die "VARIANTS: '$v' is not X:Y (two case names, e.g. cgocall/asmcgocall/mask:cgocall/asmcgocall/static)" ;; esac
			vlist="${vlist:+$vlist,}$v"
			for n in "${v%%:*}" "${v#*:}"; do
				vfilter="${vfilter:+$vfilter|}$(printf '%s' "$n" | sed 's/[][\.*^$+?(){}|/]/\\&/g')"
			done
		done
		FILTER="^($vfilter)\$"
	fi
	[ -n "${BASE:-}" ] && { [ -n "${NEW:-}" ] || [ -n "${VARIANTS:-}" ]; } ||
		die "usage: make compare BASE=<git ref> NEW=<git ref|patch file|worktree>  or  make compare OLD=<run> NEW=<run>  or  make compare VARIANTS='X:Y ...' [BASE=<ref>]"
	base=$(git -C "$top" rev-parse --verify --quiet "$BASE^{commit}") || die "BASE=$BASE is not a git revision"
	wt="$absO/compare/src"
	mkdir -p "$wt"
	mkwt() { # name commit -> $wt_path (not in a subshell: cleanup must know it)
		wt_path="$wt/$1-$$"
		worktrees+=("$wt_path")
		git -C "$top" worktree add --detach --force "$wt_path" "$2" >/dev/null 2>&1 || die "git worktree add $2 failed"
	}
	mkwt base "$base"; side_a=$wt_path
	desc_a="$BASE ($(git -C "$top" rev-parse --short=12 "$base"))"
	if [ -n "${VARIANTS:-}" ]; then
		side_b=$side_a
		desc_b="$desc_a, the other variant of each pair: ${VARIANTS}"
	elif [ "$NEW" = worktree ] || [ "$NEW" = WORKTREE ] || [ "$NEW" = . ]; then
		snap=$(git -C "$top" stash create 2>/dev/null || true)
		[ -n "$snap" ] || snap=$(git -C "$top" rev-parse HEAD)
		mkwt new "$snap"; side_b=$wt_path
		desc_b="working tree (tracked changes on $(git -C "$top" rev-parse --short=12 HEAD))"
	elif [ -f "$NEW" ]; then
		patch=$(cd "$(dirname "$NEW")" && pwd)/$(basename "$NEW")
		mkwt new "$base"; side_b=$wt_path
		git -C "$side_b" apply --check "$patch" 2>"$tmp/apply.err" || {
			sed 's/^/  /' "$tmp/apply.err" >&2
			die "patch $NEW does not apply to BASE=$BASE"; }
		git -C "$side_b" apply "$patch"
		rm -f "$tmp/apply.err"
		desc_b="$BASE + $(basename "$NEW")"
	else
		new=$(git -C "$top" rev-parse --verify --quiet "$NEW^{commit}") || die "NEW=$NEW is not a git revision, a patch file or 'worktree'"
		mkwt new "$new"; side_b=$wt_path
		desc_b="$NEW ($(git -C "$top" rev-parse --short=12 "$new"))"
	fi
	if [ -n "${VARIANTS:-}" ]; then
		label=${LABEL:-variants-$(printf '%s' "$BASE" | tr -c 'A-Za-z0-9._+-' '-')}
	else
		label=${LABEL:-$(printf '%s-vs-%s' "$BASE" "$(basename "$NEW")" | tr -c 'A-Za-z0-9._+-' '-')}
	fi
	# ---------------------------------------------------------------- count
	if [ "$want_count" = 1 ]; then
		for s in a b; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			grep -q '^pathlen:' "$src/profiles/rules.mk" 2>/dev/null ||
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
	# ---------------------------------------------------------------- prediction (ARM)
	predict_args=()
	if [ "$PREDICT" = 1 ]; then
		command -v llvm-mca >/dev/null 2>&1 || "$top/scripts/deps.sh" llvm >&2 ||
			die "llvm-mca is missing (Debian: llvm) and could not be installed; PREDICT=0 leaves the predictions out"
		[ -x "$GMPATHLEN" ] || die "$GMPATHLEN is missing (make builds it)"
		absG=$(cd "$(dirname "$GMPATHLEN")" && pwd)/$(basename "$GMPATHLEN")
		mkdir -p "$tmp/predict"
		# each routine's straight-line path as llvm-mca reads it, on both sides: the paths
		# that differ are the ones to predict (identical input, identical prediction)
		for s in a b; do
			src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
			(cd "$src" && env PREDICT_ARCHES="$ARCH" O="$absO/compare/build-$s" GMPATHLEN="$absG" MAKE="$MAKE" \
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
				printf '{"kind": "gmbench-predict", "label": "static prediction, not a measurement", "meta": {"llvm_mca": "%s"}, "results": []}\n' \
					"$(llvm-mca --version | grep -m1 -i version | sed 's/^ *//')" >"$tmp/predict/$s.json"
				continue
			fi
			say "prediction: side $s, llvm-mca per core for$mine"
			(cd "$src" && env PREDICT_ARCHES="$ARCH" O="$absO/compare/build-$s" GMPATHLEN="$absG" MAKE="$MAKE" \
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
	# ---------------------------------------------------------------- timing
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
	# Paired where both sides know how to be a side (bench/pair/rules.mk); else process level.
	mode=process
	why_process="PAIRED=0"
	if [ "$PAIRED" = 1 ]; then
		mode=paired
		for src in "$side_a" "$side_b"; do
			if ! grep -q '^GM_PAIR_SIDE := 1' "$src/bench/pair/rules.mk" 2>/dev/null; then
				mode=process
				why_process="$(git -C "$src" rev-parse --short=12 HEAD) predates paired sides (bench/pair/rules.mk)"
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
				$RUN "$absO/compare/pair/L$k/gmpair" "${args[@]}" --layout="$k" --seed="$((k * 1000 + p))" \
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
				$RUN "$bin" --help 2>&1 | grep -q -- --state-out &&
					st=(--cpu="$CPU" --state-out="$tmp/$s-$i.machine.json")
				$RUN "$bin" "${args[@]}" "${st[@]}" --benchmark_out="$tmp/$s-$i.json" >"$tmp/$s-$i.log" 2>&1 || {
					tail -n 20 "$tmp/$s-$i.log" >&2; die "side $s failed on run $i"; }
				if [ $s = a ]; then files_a+=("$tmp/a-$i.json"); else files_b+=("$tmp/b-$i.json"); fi
			done
		done
	fi
	fi	# want_timing
fi

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
if command -v gnuplot >/dev/null 2>&1 && [ -x scripts/plot.sh ]; then
	GMREPORT="$GMREPORT" scripts/plot.sh compare "$tmp" >/dev/null 2>&1 || say "plots failed (the comparison itself is complete)"
fi
mv "$tmp" "$dir/$name"
ln -sfn "$hostid/$name" "$RESULTS/.latest-compare.$$" && mv -T "$RESULTS/.latest-compare.$$" "$RESULTS/latest-compare"
cat "$dir/$name/compare.txt"
echo
echo "compare: results in $dir/$name; $RESULTS/latest-compare points there"
