#!/bin/bash
# scripts/compare/compare.sh — compare two runtime versions, benchstat-style (make compare).
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
#                  LAYOUTS times each (default 128 copies, each at its own code, data and
#                  stack placement) into a gmpair binary per process; each process
#                  alternates A and B batches on one pinned CPU, every pair in the next
#                  layout of a shuffled cycle.  A pilot process visits each layout twice;
#                  gm compare plan then spends the time left of BUDGET (seconds of the
#                  whole compare; default 60 with FILTER=, 300 without) on pairs per
#                  layout and processes (PAIRS per repetition and PROCS fix them instead);
#                  gm compare paired gives each row's effect with its interval from the
#                  levels' variances (layout, process, pair).  PAIRED=0 (or a side too old to be paired): process
#                  level, the two gmbench binaries run interleaved A B B A A B ... REPS
#                  times each (default 10)
#   make compare OLD=results/<a> NEW=results/<b>
#       compares two existing runs (folders holding bench.json, or JSON files; or two
#       make pathlen folders holding pathlen.json: a count comparison, counted once)
#
# Environment (from make): O, ARCH, RUN, GM (the host tool), REPS, ALPHA, MIN_EFFECT (paired: %),
# FILTER, QUICK, METRIC, LABEL, RESULTS, STATES (the per-host record of machine states,
# default RESULTS/<host-id>/states.json), MAKE, CPU, PAIRED, LAYOUTS, PROCS, PAIRS, MODE,
# PREDICT, CC, CXX, CROSS_COMPILE, ARCH_CFLAGS.  Output: RESULTS/<host-id>/compare-
# <stamp>[-label]/ (compare.txt, compare.json with every row's kind, samples.csv or
# pairs/, count/, predict/, plots), written under a temporary name and renamed when
# complete; RESULTS/latest-compare points at it.  The output says which mode produced
# the verdicts, and every WARNING about the machine's state.
#
# The stages are in this folder, one file each, sourced here: count.sh, predict.sh,
# timing.sh and report.sh; pair-link.sh links one gmpair binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
GM_PROG=compare
# shellcheck source=../lib.sh
. "$here/../lib.sh"
for stage in count predict timing report; do
	# shellcheck disable=SC1090
	. "$here/$stage.sh"
done

: "${GM:?}" "${ARCH:?}"
O=${O:-build}
MAKE=${MAKE:-make}
RUN=${RUN:-}
RESULTS=${RESULTS:-results}
# absolute: the count and predict steps run make and scripts inside each side's source tree
RESULTS=$(mkdir -p "$RESULTS" && cd "$RESULTS" && pwd) || die "cannot create RESULTS=$RESULTS"
REPS=${REPS:-}
ALPHA=${ALPHA:-0.05}
MIN_EFFECT=${MIN_EFFECT:-2}
QUICK=${QUICK:-0}
CPU=${CPU:-auto}
PAIRED=${PAIRED:-1}
LAYOUTS=${LAYOUTS:-128}
PROCS=${PROCS:-}
PAIRS=${PAIRS:-}
BUDGET=${BUDGET:-}
hostarch=$(gm_hostarch)
t_begin=$(date +%s)
# the sides build in parallel on the CPUs this process may use (none is measuring yet)
MAKE_JOBS=-j$(nproc 2>/dev/null || echo 2)
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
# QUICK: a smoke run (layouts, processes and pairs fixed and few)
if [ "$QUICK" = 1 ]; then
	: "${REPS:=2}" "${PROCS:=2}" "${PAIRS:=8}"
	[ "$LAYOUTS" = 128 ] && LAYOUTS=8
fi
[ -n "$REPS" ] || REPS=8
if [ -z "$BUDGET" ]; then [ -n "${FILTER:-}" ] && BUDGET=60 || BUDGET=300; fi
case $BUDGET in
''|*[!0-9.]*|*.*.*|.) die "BUDGET=$BUDGET: a number of seconds (the whole compare's time)" ;;
esac
awk -v b="$BUDGET" 'BEGIN { exit !(b > 0) }' || die "BUDGET=$BUDGET: a number of seconds above 0"
for v in REPS LAYOUTS ${PROCS:+PROCS} ${PAIRS:+PAIRS}; do
	case ${!v} in ''|*[!0-9]*|0) die "$v must be a positive number" ;; esac
done
[ "$PAIRED" = 1 ] && [ -n "$PROCS" ] && [ "$PROCS" -lt 2 ] &&
	die "PROCS=$PROCS: a paired compare needs two processes at least (the process level of the interval)"
case $CPU in auto|none|[0-9]*) ;; *) die "CPU=$CPU: a CPU number, auto or none (all-types is for make bench)" ;; esac
top=$(git rev-parse --show-toplevel 2>/dev/null) || die "not inside a git checkout"
absO=$(mkdir -p "$O" && cd "$O" && pwd)
# both sides are built from scratch in fresh worktrees at every compare: through one
# ccache (when installed; the Makefile's CCACHE=1) unchanged sources cost a cache hit
export CCACHE=${CCACHE:-1} CCACHE_DIR=${CCACHE_DIR:-$absO/compare/ccache}

hostid=${GM_HOSTID:-$(gm_hostid "$ARCH" "${RUN:-}")}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir="$RESULTS/$hostid"
mkdir -p "$dir"
worktrees=()
remove_worktrees() {
	for w in "${worktrees[@]}"; do git -C "$top" worktree remove --force "$w" >/dev/null 2>&1 || true; done
}
gm_on_exit remove_worktrees
gm_on_exit 'rmdir "$dir" 2>/dev/null || true'	# only if this run created it and left it empty
gm_stage "$dir" compare-
tmp=$gm_staged

# side_can SRC FEATURE: can the side's tree do FEATURE (a word of `make features`)?  A
# revision from before that target is recognised by the files it had.
side_can() {
	local f
	if f=$($MAKE -s --no-print-directory -C "$1" features 2>/dev/null); then
		[[ " $f " == *" $2 "* ]]
		return
	fi
	case $2 in
	pathlen) grep -q '^pathlen:' "$1/profiles/rules.mk" 2>/dev/null ;;
	pair-side) grep -q '^GM_PAIR_SIDE := 1' "$1/bench/pair/rules.mk" 2>/dev/null ;;
	*) return 1 ;;
	esac
}

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
	ka=$("$GM" kind "$a") kb=$("$GM" kind "$b")
	if [ "$ka" = pathlen ] || [ "$kb" = pathlen ]; then
		[ "$ka" = "$kb" ] || die "OLD=$OLD and NEW=$NEW are not the same kind of result (one make pathlen, one timing run)"
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
	compare_count
	compare_predict
	compare_timing
fi

compare_report
