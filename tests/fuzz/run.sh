#!/bin/sh
# tests/fuzz/run.sh FUZZ GM [BUILD-LABEL] — gm-fuzz on GM (docs/testing.md, "Fuzzing").
#
#   make test (slice):  FUZZ_RUNS=148 (default: 4 per target), a fixed seed: one "ok"/"not ok" line for the
#                       slice, and one "not ok" line per run that was not a clean refusal or a
#                       sane acceptance (with its replay command)
#   make fuzz:          FUZZ_RUNS=N or FUZZ_TIME=SEC, FUZZ_SEED=S; FUZZ_REPORT=FILE gets the
#                       report (runs per class and target, duration, machine); FUZZ_KEEP=DIR
#                       keeps the work folder of every failing run; FUZZ_FROM=I starts at run I
#                       (shards of one campaign)
# The corpus is made fresh from the fixtures by corpus.sh (under FUZZ_WORK, removed after).
set -u
F=${1:?usage: run.sh FUZZ GM [LABEL]} G=${2:?usage: run.sh FUZZ GM [LABEL]} label=${3:-normal}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $G in /*) ;; *) G=$(pwd)/$G ;; esac
case $F in /*) ;; *) F=$(pwd)/$F ;; esac
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gm-fuzz.XXXXXX")}
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
# the sanitizers stop at their first report, and say it on stderr (gm-fuzz reads it)
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1
if ! sh "$here/corpus.sh" "$G" "$work/corpus" >"$work/corpus.log" 2>&1; then
	echo "not ok - fuzz [$label]: the corpus could not be made: $(tail -n 3 "$work/corpus.log" | tr '\n' ' ')"
	exit 1
fi
set -- --gm "$G" --corpus "$work/corpus" --work "$work/w" --extract "$top/lava/host/gmbench-extract.sh" \
	--seed "${FUZZ_SEED:-22}" --build "$label" --timeout "${FUZZ_TIMEOUT:-10}"
if [ -n "${FUZZ_TIME:-}" ]; then set -- "$@" --time "$FUZZ_TIME"; else set -- "$@" --runs "${FUZZ_RUNS:-148}"; fi
[ -n "${FUZZ_KEEP:-}" ] && set -- "$@" --keep "$FUZZ_KEEP"
[ -n "${FUZZ_ONLY:-}" ] && set -- "$@" --only "$FUZZ_ONLY"
[ -n "${FUZZ_FROM:-}" ] && set -- "$@" --from "$FUZZ_FROM"
# the corpus itself first: every valid input accepted with finite output, or refused
# with a message (gm icount's made-up pair does not match)
if "$F" "$@" --seeds --report "$work/seeds.txt" >/dev/null 2>&1; then
	echo "ok - fuzz [$label]: the corpus's valid inputs, one run per target: no crash, no nan/inf, nothing partial"
else
	echo "not ok - fuzz [$label]: the corpus's valid inputs:"
	grep -E '^(crash|hang|partial|nonfinite|silent) ' "$work/seeds.txt" | sed 's/^/#   /'
fi
rep=${FUZZ_REPORT:-$work/report.txt}
"$F" "$@" --report "$rep" 2>"$work/fuzz.err"
rc=$?
if [ $rc = 0 ]; then
	echo "ok - fuzz [$label]: $(head -n 1 "$rep" | sed 's/^gm-fuzz report: //'): every run a clean refusal or a sane acceptance"
else
	[ -s "$rep" ] || { echo "not ok - fuzz [$label]: gm-fuzz failed (exit $rc): $(cat "$work/fuzz.err")"; exit 1; }
	sed -n '/^FAILED/,$p' "$rep" | sed 1d | while IFS= read -r l; do
		run=$(echo "$l" | sed -n 's/^[a-z]* *run \([0-9]*\),.*/\1/p')
		echo "not ok - fuzz [$label]: $l (replay: $F $* --replay $run)"
	done
	sed -n '3,/^total/p' "$rep" | sed 's/^/# /'
fi
[ $rc = 0 ]
