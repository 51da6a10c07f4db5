#!/bin/bash
# scripts/compare.sh — compare two runtime versions, benchstat-style (make compare).
#
#   make compare BASE=<git ref> NEW=<git ref | patch file | worktree>
#       builds both sides in their own build folders from git worktrees under
#       $O/compare/ (the user's tree is not touched), runs them interleaved
#       A B B A A B ... REPS times each (default 10), compares with gmcompare
#       (NEW=worktree: the working tree's uncommitted changes to tracked files;
#        NEW=<file>: a patch applied on top of BASE)
#   make compare OLD=results/<a> NEW=results/<b>
#       compares two existing runs (folders holding bench.json, or JSON files)
#
# Environment (from make): O, ARCH, RUN, GMCOMPARE, GMREPORT, REPS, ALPHA, FILTER, QUICK,
# METRIC, LABEL, RESULTS, MAKE.  Output: RESULTS/<host-id>/compare-<stamp>[-label]/
# (compare.txt, compare.json, samples.csv, plots), written under a temporary name and
# renamed when complete; RESULTS/latest-compare points at it.
set -euo pipefail

die() { echo "compare: $*" >&2; exit 2; }
say() { echo "compare: $*" >&2; }

: "${GMCOMPARE:?}" "${GMREPORT:?}" "${ARCH:?}"
O=${O:-build}
MAKE=${MAKE:-make}
RUN=${RUN:-}
RESULTS=${RESULTS:-results}
REPS=${REPS:-10}
ALPHA=${ALPHA:-0.05}
QUICK=${QUICK:-0}
case $REPS in ''|*[!0-9]*|0) die "REPS must be a positive number" ;; esac
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
		[ -f "$1/bench.json" ] || die "$1 has no bench.json (not a gmbench run folder)"
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
	files_a=("$a"); files_b=("$b")
	desc_a="$OLD"; desc_b="$NEW"
else
	[ -n "${BASE:-}" ] && [ -n "${NEW:-}" ] || die "usage: make compare BASE=<git ref> NEW=<git ref|patch file|worktree>  or  make compare OLD=<run> NEW=<run>"
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
	if [ "$NEW" = worktree ] || [ "$NEW" = WORKTREE ] || [ "$NEW" = . ]; then
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
		desc_b="$BASE + $(basename "$NEW")"
	else
		new=$(git -C "$top" rev-parse --verify --quiet "$NEW^{commit}") || die "NEW=$NEW is not a git revision, a patch file or 'worktree'"
		mkwt new "$new"; side_b=$wt_path
		desc_b="$NEW ($(git -C "$top" rev-parse --short=12 "$new"))"
	fi
	label=${LABEL:-$(printf '%s-vs-%s' "$BASE" "$(basename "$NEW")" | tr -c 'A-Za-z0-9._+-' '-')}
	# Both sides build with this checkout's Google Benchmark (same library, built once).
	gb="$absO/gbench/$ARCH"
	for s in a b; do
		src=$([ $s = a ] && echo "$side_a" || echo "$side_b")
		say "building side $s ($([ $s = a ] && echo "$desc_a" || echo "$desc_b"))"
		$MAKE --no-print-directory -C "$src" ARCH="$ARCH" O="$absO/compare/build-$s" \
			GBENCH_PREFIX="$gb" bench-build >"$tmp/build-$s.log" 2>&1 || {
			tail -n 20 "$tmp/build-$s.log" >&2; die "side $s does not build"; }
	done
	bin_a="$absO/compare/build-a/$ARCH/bin/gmbench"
	bin_b="$absO/compare/build-b/$ARCH/bin/gmbench"
	args=(--benchmark_repetitions=1 --benchmark_out_format=json)
	[ "$QUICK" = 1 ] && args+=(--quick)
	[ -n "${FILTER:-}" ] && args+=("--filter=$FILTER")
	[ -n "$RUN" ] && export GM_EMULATOR="${RUN%% *}"
	files_a=(); files_b=()
	# A B, then B A, then A B...: neither side always runs first (a warm-up or a
	# frequency ramp would otherwise favour one side every time)
	for i in $(seq 1 "$REPS"); do
		order="a b"; [ $((i % 2)) = 0 ] && order="b a"
		for s in $order; do
			bin=$([ $s = a ] && echo "$bin_a" || echo "$bin_b")
			say "run $i/$REPS side $s"
			$RUN "$bin" "${args[@]}" --benchmark_out="$tmp/$s-$i.json" >"$tmp/$s-$i.log" 2>&1 || {
				tail -n 20 "$tmp/$s-$i.log" >&2; die "side $s failed on run $i"; }
			if [ $s = a ]; then files_a+=("$tmp/a-$i.json"); else files_b+=("$tmp/b-$i.json"); fi
		done
	done
fi

name="compare-$stamp-$label"
{
	echo "A (old): $desc_a"
	echo "B (new): $desc_b"
	echo "arch: $ARCH${RUN:+ (emulated: $RUN; timings are not hardware figures)}"
	echo "machine: $("$GMREPORT" --context-line "${files_a[0]}" 2>/dev/null || echo unknown)"
	echo
} >"$tmp/header.txt"
"$GMCOMPARE" "${metric[@]}" --alpha "$ALPHA" --out "$tmp" "${files_a[@]}" -- "${files_b[@]}" >"$tmp/table.txt" ||
	die "gmcompare failed (see above); nothing was kept"
cat "$tmp/header.txt" "$tmp/table.txt" >"$tmp/compare.tmp" && mv "$tmp/compare.tmp" "$tmp/compare.txt"
rm -f "$tmp/table.txt" "$tmp/header.txt"
"$GMREPORT" --samples "${files_a[@]}" -- "${files_b[@]}" >"$tmp/samples.csv" 2>/dev/null || rm -f "$tmp/samples.csv"
mkdir -p "$tmp/runs"
for f in "${files_a[@]}" "${files_b[@]}"; do
	case $f in "$tmp"/*) mv "$f" "$tmp/runs/" ;; esac
done
rm -f "$tmp"/*.log
if command -v gnuplot >/dev/null 2>&1 && [ -x scripts/plot.sh ]; then
	scripts/plot.sh compare "$tmp" >/dev/null 2>&1 || say "plots failed (the comparison itself is complete)"
fi
mv "$tmp" "$dir/$name"
ln -sfn "$hostid/$name" "$RESULTS/.latest-compare.$$" && mv -T "$RESULTS/.latest-compare.$$" "$RESULTS/latest-compare"
cat "$dir/$name/compare.txt"
echo
echo "compare: results in $dir/$name; $RESULTS/latest-compare points there"
