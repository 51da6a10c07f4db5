#!/bin/sh
# tests/lava/run.sh — the LAVA pieces that run without a lab, in seconds: the board-side
# result parser on make test / stats.csv fixtures (a failed make test, a truncated log,
# bad rows), the checksummed log blocks and their host-side extractor (a LAVA log with
# console noise; truncated, damaged, missing-line and bad-checksum logs: each a clear
# error and nothing written), case names within LAVA's limits, and gmbench.sh itself on
# a stand-in gmbench tree (two commits, an A/B pair interleaved A B B A, result lines,
# blocks, upload to a file:// URL).  make test-lava; make test and make lava-check run it.
GM_TEST_PREFIX="lava/"
. "$(dirname "$0")/../lib.sh"
T=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$T/../.." && pwd)
L=$top/lava/automated
P=$L/linux/gmbench/gmbench-parse.sh
B=$L/linux/gmbench/gmbench-blocks.sh
X=$top/lava/host/gmbench-extract.sh
F=$T/fixtures
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# ---- make test's lines -> cases
"$P" tests "$F/make-test-ok.log" "" 0 >"$t/r" 2>"$t/e"; rc=$?
check "parser: a passing make test gives exit 0 and no message" '[ $rc = 0 ] && [ ! -s "$t/e" ]'
check "parser: ok/unavailable lines are pass/skip cases named up to the first ': '" \
	'grep -qx "test.amd64_switch.gosave_gogo.savegm pass" "$t/r" && grep -qx "test.amd64_callback.crosscall2.fp skip" "$t/r"'
check "parser: a test name's temporary path stays in the log, not in the case name" \
	'grep -qx "test.report.garbage_input pass" "$t/r" && ! grep -q tmp "$t/r"'
check "parser: make-test pass" 'grep -qx "make-test pass" "$t/r"'
"$P" tests "$F/make-test-failed.log" a 2 >"$t/r" 2>"$t/e"; rc=$?
check "parser: a failed make test: its cases fail, make-test fails, exit 0 (results, not an error)" \
	'[ $rc = 0 ] && grep -qx "a.test.arm64_cgocall.asmcgocall.mask fail" "$t/r" && grep -qx "a.make-test fail" "$t/r"'
check "parser: a failed make test names the failures and the exit status" \
	'grep -q "make test: 2 failed" "$t/e" && grep -q "arm64 callback/crosscall2/le" "$t/e" && grep -q "exited 2" "$t/e"'
"$P" tests "$F/make-test-truncated.log" "" 0 >"$t/r" 2>"$t/e"; rc=$?
check "parser: a truncated make test log: exit 2, 'truncated' with the last line, make-test fail" \
	'[ $rc = 2 ] && grep -q "is truncated: no closing" "$t/e" && grep -q "last line: .*not ok - arm64 callback" "$t/e" && grep -qx "make-test fail" "$t/r"'
{ cat "$F/make-test-ok.log"; echo "  ok - extra: a line the count does not know"; echo "3 passed, 0 failed"; } >"$t/mis.log"
"$P" tests "$t/mis.log" "" 0 >"$t/r" 2>"$t/e"; rc=$?
check "parser: counts that do not add up are an error" '[ $rc = 2 ] && grep -q "does not add up" "$t/e"'
"$P" tests "$t/nonexistent.log" "" 0 >"$t/r" 2>"$t/e"; rc=$?
check "parser: a missing log is an error naming it" '[ $rc = 2 ] && grep -q "nonexistent.log: cannot read" "$t/e"'

# ---- stats.csv -> one measurement per case
"$P" bench "$F/stats-good.csv" "" >"$t/r" 2>"$t/e"; rc=$?
check "parser: stats.csv: the median in the counter's unit and in ns, one measurement each" \
	'[ $rc = 0 ] && grep -qx "tls.save_load_gm.le pass 12.250000 cycles" "$t/r" && grep -qx "tls.save_load_gm.le.ns pass 6.805560 ns" "$t/r"'
check "parser: 1.23456e+06 becomes a plain decimal" 'grep -qx "signal.deliver.sigtramp pass 1234560.000000 cycles" "$t/r"'
check "parser: 3 benchmarks give 6 cases" '[ "$(wc -l <"$t/r")" = 6 ]'
"$P" bench "$F/stats-bad.csv" b1 >"$t/r" 2>"$t/e"; rc=$?
check "parser: a non-number median: exit 2, the row named, a failing case" \
	'[ $rc = 2 ] && grep -q "line 3 is not a result row" "$t/e" && grep -qx "b1.cgocall.asmcgocall.mask fail" "$t/r" && grep -qx "b1.tls.save_load_gm.le pass 12.250000 cycles" "$t/r"'
"$P" bench "$F/stats-notours.csv" "" >"$t/r" 2>"$t/e"; rc=$?
check "parser: a CSV that is not a stats.csv: exit 2" '[ $rc = 2 ] && grep -q "not a gmbench stats.csv" "$t/e"'

# ---- case names within LAVA's limits
. "$L/lib/gm-sh-lib"
long=$(printf 'suite/transition/variant-with-a-very-long-name-%s' 0123456789 0123456789 0123456789)
n1=$(gm_case_name "$long/a") n2=$(gm_case_name "$long/b")
check "case names: at most 100 characters, no spaces, two long names stay apart" \
	'[ ${#n1} -le 100 ] && [ "$n1" != "$n2" ] && case "$n1$(gm_case_name "a b	c")" in *" "*|*"	"*) false ;; esac'
check "case names: '/' becomes '.', other characters '_'" '[ "$(gm_case_name "tls/save+load_gm/le x")" = tls.save_load_gm.le_x ]'
check "upload URL: credentials and query are not recorded" \
	'[ "$(gm_url_public "https://user:secret@lab.example/up/?token=abc#x")" = "https://lab.example/up/" ]'

# ---- blocks in a log and back
mkdir -p "$t/src/run1" "$t/src/run2"
cp "$F/stats-good.csv" "$t/src/run1/stats.csv"; cp "$F/make-test-ok.log" "$t/src/run1/summary.txt"
head -c 3000 /dev/urandom >"$t/src/run2/bench.json"    # binary: any byte survives
"$B" set-1 "$t/src" run1/stats.csv run1/summary.txt run2/bench.json >"$t/blocks" 2>"$t/e"
check "blocks: printed" '[ $? = 0 ] && grep -q "^GMBENCH-FILES-END set-1 3$" "$t/blocks"'
# as LAVA writes it: one JSON line per console line, with kernel messages in between
awk 'NR % 7 == 3 { print "{\"dt\": \"2026-01-01T00:00:00\", \"lvl\": \"target\", \"msg\": \"[  12.345] random: crng init done\"}" }
	{ print "{\"dt\": \"2026-01-01T00:00:00\", \"lvl\": \"target\", \"msg\": \"" $0 "\"}" }' "$t/blocks" >"$t/lava.log"
"$X" "$t/lava.log" "$t/out" >"$t/o" 2>"$t/e"; rc=$?
check "extract: a LAVA log with console noise gives the files back, byte for byte" \
	'[ $rc = 0 ] && cmp -s "$t/out/set-1/run1/stats.csv" "$F/stats-good.csv" && cmp -s "$t/out/set-1/run2/bench.json" "$t/src/run2/bench.json"'
"$X" "$t/blocks" "$t/out" >"$t/o" 2>"$t/e"; rc=$?
check "extract: a set already extracted is not overwritten" '[ $rc = 2 ] && grep -q "exists already" "$t/e"'
"$X" "$t/blocks" "$t/plain" >"$t/o" 2>"$t/e"
check "extract: a plain console log (ssh) works too" '[ $? = 0 ] && cmp -s "$t/plain/set-1/run1/summary.txt" "$F/make-test-ok.log"'
bad_log() { # name file expected-message
	"$X" "$2" "$t/bad-$1" >"$t/o" 2>"$t/e"; rc=$?
	check "extract: $1: exit 2, '$3', nothing written" \
		'[ $rc = 2 ] && grep -q "$3" "$t/e" && [ -z "$(ls -A "$t/bad-$1" 2>/dev/null)" ]'
}
head -n 12 "$t/lava.log" >"$t/trunc.log"
bad_log "a truncated log" "$t/trunc.log" "is cut off"
sed 's/^\(GMBENCH-FILE set-1 1 run1\/stats.csv [^ ]* [0-9]*\) [0-9a-f]*/\1 0000000000000000000000000000000000000000000000000000000000000000/' "$t/blocks" >"$t/sum.log"
bad_log "a bad checksum" "$t/sum.log" "checksum mismatch"
awk '$1 == "GMB64" && $2 == "set-1.3" && $3 == 2 { next } { print }' "$t/blocks" >"$t/miss.log"
bad_log "a lost line" "$t/miss.log" "missing: 2"
awk '$1 == "GMB64" && $2 == "set-1.3" && $3 == 2 { $4 = "AAAA" substr($4, 5) } { print }' "$t/blocks" >"$t/dmg.log"
bad_log "a damaged line" "$t/dmg.log" "does not decode\|checksum mismatch"
grep -v '^GMBENCH-FILE set-1 2 ' "$t/blocks" >"$t/lost.log"
bad_log "a lost file header" "$t/lost.log" "a file was lost"
printf 'no blocks here\n' >"$t/none.log"
bad_log "a log without blocks" "$t/none.log" "holds no gmbench result files"
bad_log "a log that does not exist" "$t/nope.log" "cannot read"

# a real LAVA log: the blocks of a make lava-smoke job as lava-run 2023.01 logged them
"$X" "$F/lava-smoke-excerpt.log" "$t/real" >"$t/o" 2>"$t/e"; rc=$?
check "extract: a real lava-run log (make lava-smoke's) gives back a run folder labelled emulated" \
	'[ $rc = 0 ] && [ "$(find "$t/real" -type f | wc -l)" = 6 ] && grep -q "\"emulated\": \"yes: qemu-system" "$t"/real/*/*/board.json && grep -q "\"gm_port\": \"arm64\"" "$t"/real/*/*/context.json'
sed '/GMB64 [^ ]*\.4 2 /d' "$F/lava-smoke-excerpt.log" >"$t/real-cut.log"
bad_log "a real lava-run log with one line lost" "$t/real-cut.log" "missing: 2"

# ---- gmbench.sh on a stand-in tree: an A/B pair, interleaved, blocks, upload
fake=$t/fake
mkdir -p "$fake/core" "$fake/lava"
cp "$T/fake-gmbench.mk" "$fake/Makefile"
cp -a "$top/lava/automated" "$fake/lava/"
(cd "$fake" && git init -q && git config user.email t@t && git config user.name t &&
	echo 5 >value && git add -A && git commit -qm A && echo 7 >value && git commit -qam B) >/dev/null 2>&1
mkdir -p "$t/up"
(cd "$t" && ORDER_LOG="$t/order" "$fake/lava/automated/linux/gmbench/gmbench.sh" -t both -a HEAD~1 -b HEAD \
	-f '^tls/(le|ie)$|^x' -r 3 -u "file://$t/up/" -o "$t/job/output" >"$t/job.log" 2>&1); rc=$?
check "gmbench.sh: an A/B pair runs (exit 0)" '[ $rc = 0 ]'
check "gmbench.sh: rounds interleave A B, B A" '[ "$(cut -d" " -f1 "$t/order" | tr "\n" " ")" = "a1 b1 b2 a2 " ]'
check "gmbench.sh: make bench gets FILTER (with its '\$', which make would expand) and REPS" \
	'grep -qxF "a1 FILTER=^tls/(le|ie)\$|^x REPS=3 QUICK=" "$t/order"'
R=$t/job/output/result.txt
check "gmbench.sh: each side's make test cases, per revision" \
	'grep -qx "a.test.fake_tls.read_tp.le pass" "$R" && grep -qx "b.test.fake_cgocall.asmcgocall.mask fail" "$R" && grep -qx "b.make-test fail" "$R"'
check "gmbench.sh: each run's medians, named by side and round, in sets" \
	'grep -qx "a1.tls.read_tp.le pass 5.000000 ticks" "$R" && grep -qx "b2.tls.read_tp.le.ns pass 7.000000 ns" "$R" && grep -q "^lava-test-set start b1-" "$R"'
check "gmbench.sh: the board is recorded" 'grep -qx "board-recorded pass" "$R" && [ -s "$t/job/output/board.json" ]'
"$X" "$t/job.log" "$t/back" >"$t/o" 2>"$t/e"; rc=$?
n=$(ls -d "$t"/back/*/*/ 2>/dev/null | wc -l)
check "gmbench.sh: its log gives back four run folders (small files only, board.json in each)" \
	'[ $rc = 0 ] && [ "$n" = 4 ] && [ -z "$(find "$t/back" -name edges.csv)" ] && [ "$(find "$t/back" -name board.json | wc -l)" = 4 ]'
check "gmbench.sh: B's stats came back as B measured them" \
	'grep -q ",7,1,2,0,7,1,2$" "$(ls "$t"/back/*/*-b1/stats.csv)"'
if command -v curl >/dev/null 2>&1; then
	check "gmbench.sh: the upload went to the URL and is referenced" \
		'ls "$t"/up/*.tar.gz >/dev/null 2>&1 && grep -q "^reference upload pass file://$t/up/gmbench-" "$R"'
else
	echo "unavailable - lava/gmbench.sh: the upload: curl is not installed here"
	check "gmbench.sh: without curl the upload is a failing case" 'grep -qx "upload fail" "$R"'
fi
"$L/utils/gm-send-to-lava.sh" "$R" >"$t/sent" 2>&1
check "send-to-lava: without LAVA the cases are printed" 'grep -q "^gmbench: case a1.tls.read_tp.le pass 5.000000 ticks$" "$t/sent"'
mkdir -p "$t/bin"
printf '#!/bin/sh\necho "lava-test-case $*" >>"%s/calls"\n' "$t" >"$t/bin/lava-test-case"
printf '#!/bin/sh\necho "lava-test-set $*" >>"%s/calls"\n' "$t" >"$t/bin/lava-test-set"
printf '#!/bin/sh\necho "lava-test-reference $*" >>"%s/calls"\n' "$t" >"$t/bin/lava-test-reference"
chmod +x "$t"/bin/*
PATH="$t/bin:$PATH" "$L/utils/gm-send-to-lava.sh" "$R" >/dev/null 2>&1
check "send-to-lava: under LAVA, lava-test-case with one measurement and its units" \
	'grep -qx "lava-test-case a1.tls.read_tp.le --result pass --measurement 5.000000 --units ticks" "$t/calls" && grep -qx "lava-test-case b.make-test --result fail" "$t/calls"'
check "send-to-lava: sets and the upload reference" \
	'grep -q "^lava-test-set start a1-" "$t/calls" && { ! command -v curl >/dev/null 2>&1 || grep -q "^lava-test-reference upload --result pass --reference file://" "$t/calls"; }'
(cd "$t" && ORDER_LOG="$t/order2" "$fake/lava/automated/linux/gmbench/gmbench.sh" -c all-types -o "$t/job3/output" >"$t/job3.log" 2>&1); rc=$?
R3=$t/job3/output/result.txt
check "gmbench.sh: CPU=all-types: a run folder per core type, each core in its case names" \
	'[ $rc = 0 ] && [ "$(wc -l <"$t/job3/output/runs.list")" = 2 ] && grep -qx "Cortex-A53-cpu0.tls.read_tp.le pass 7.000000 ticks" "$R3" && grep -qx "Cortex-A72-cpu4.tls.read_tp.le.ns pass 7.000000 ns" "$R3"'
(cd "$t" && "$fake/lava/automated/linux/gmbench/gmbench.sh" -R no-such-rev -o "$t/job2/output" >"$t/job2.log" 2>&1); rc=$?
check "gmbench.sh: a revision that does not exist: exit 1, a failing checkout case" \
	'[ $rc = 1 ] && grep -qx "checkout-a fail" "$t/job2/output/result.txt" && grep -qx "gmbench-run fail" "$t/job2/output/result.txt"'

echo "lava: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
