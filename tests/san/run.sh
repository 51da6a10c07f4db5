#!/bin/bash
# tests/san/run.sh — build the host port and the host tools with AddressSanitizer +
# UndefinedBehaviorSanitizer (in $O/san) and run their tests; every result line is
# tagged [asan+ubsan].  Leak checking is off: g's, m's and their stacks live as long as
# the process by design.
set -euo pipefail
O=${O:-build}
MAKE=${MAKE:-make}
ARCH=${ARCH:?}
S="$O/san"
tag() { sed -u -E 's/^(ok|not ok|unavailable) - /\1 - [asan+ubsan] /'; }
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
# "counter": the counter's known-answer tests alone (tests/run.sh runs them apart,
# once nothing else runs; TEST_COUNTER_APART=1 leaves them out of the main run)
if [ "${1:-}" = counter ]; then
	$MAKE --no-print-directory O="$S" SAN=1 ARCH="$ARCH" "$S/$ARCH/tests/test_counter" >/dev/null
	"$S/$ARCH/tests/test_counter" | tag
	exit
fi
$MAKE --no-print-directory O="$S" SAN=1 ARCH="$ARCH" all "$S/host/bin/gm" "$S/host/bin/test_stats" >/dev/null
"$S/$ARCH/tests/test_runtime" -n 20000 | tag
if [ "${TEST_COUNTER_APART:-0}" != 1 ]; then "$S/$ARCH/tests/test_counter" | tag; fi
"$S/host/bin/test_stats" | tag
sh tests/compare/run.sh "$S/host/bin/gm" tests/compare/fixtures | tag
sh tests/compare/run-paired.sh "$S/host/bin/gm" | tag
sh tests/compare/run-count.sh "$S/host/bin/gm" | tag
sh tests/pathlen/tools.sh "$S/host/bin/gm" | tag
# the fuzz slice (the fuzzer itself is built without sanitizers, by make test-prep)
$MAKE --no-print-directory O="$O" "$O/host/bin/gm-fuzz" >/dev/null
FUZZ_RUNS=${FUZZ_RUNS:-74} sh tests/fuzz/run.sh "$O/host/bin/gm-fuzz" "$S/host/bin/gm" san | tag
sh tests/report/run.sh "$S/host/bin/gm" | tag
sh tests/xreport/run.sh "$S/host/bin/gm" | tag
