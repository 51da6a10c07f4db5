#!/bin/sh
# tests/runner/run.sh — make test's section scheduler (tests/run.sh) on a stand-in make
# whose sections pass or fail on request: a failing section's log is kept until that
# section passes again, its `not ok` lines are in the summary, a section that runs no
# test or exits non-zero without a `not ok` line fails.  Seconds; no build.
GM_TEST_PREFIX="runner/"
. "$(dirname "$0")/../lib.sh"
set -u
gm_test_tmp gmrunner

# the stand-in: its target is the first word that is not VAR=value or an option;
# FAKE_FAIL=<target> fails that one with a `not ok` line, FAKE_SILENT=<target> exits 1
# with no result line, FAKE_EMPTY=<target> succeeds without running a test
cat >"$T/make" <<'EOF'
#!/bin/sh
for a; do case $a in -*|*=*) ;; *) tgt=$a; break ;; esac; done
case $tgt in test-prep) exit 0 ;; esac
[ "$tgt" = "${FAKE_EMPTY:-}" ] && { echo "nothing here"; exit 0; }
[ "$tgt" = "${FAKE_SILENT:-}" ] && { echo "cc: internal compiler error (made up)"; exit 1; }
echo "ok - $tgt/one"
if [ "$tgt" = "${FAKE_FAIL:-}" ]; then echo "not ok - $tgt/two: made-up failure"; exit 1; fi
echo "ok - $tgt/two"
EOF
chmod +x "$T/make"
O=$T/o
runner() { # log env...: tests/run.sh amd64 with the stand-in make
	log=$1; shift
	(cd "$top" && env O="$O" MAKE="$T/make" GM_TEST_JOBS=6 GM_TEST_HEARTBEAT=0 "$@" bash tests/run.sh amd64) >"$T/$log" 2>&1
}
kept=$O/test-logs/failed

runner out1 FAKE_FAIL=test-report FAKE_SILENT=test-lava FAKE_EMPTY=test-deps
rc=$?
t "a failing section fails make test" "[ $rc -ne 0 ]"
t "its log is kept in test-logs/failed/report.log, with a header" \
	"grep -q '^# make test section report' '$kept/report.log' && grep -q '^not ok - test-report/two' '$kept/report.log'"
t "the summary repeats its not ok line and names the kept log" \
	"sed -n '/^== summary/,\$p' '$T/out1' | grep -q '^    not ok - test-report/two: made-up failure' &&
	 sed -n '/^== summary/,\$p' '$T/out1' | grep -q 'log kept in .*failed/report.log'"
t "passing sections keep no log" "[ ! -e '$kept/xreport.log' ] && [ ! -e '$kept/host.log' ]"
t "a section that exits non-zero without a not ok line fails, with its log's end" \
	"grep -q \"not ok - lava: 'make test-lava' failed (exit 1)\" '$T/out1' && grep -q 'internal compiler error' '$kept/lava.log'"
t "a section that ran no test has not passed" "grep -q \"not ok - deps: 'make test-deps' ran no test\" '$T/out1'"

runner out2 FAKE_FAIL=test-xreport
t "a later run where that section passes clears its kept log" "[ ! -e '$kept/report.log' ]"
t "and keeps the new failure's" "grep -q '^not ok - test-xreport/two' '$kept/xreport.log'"

runner out3 GM_TEST_HOST=0
rc=$?
t "a run of other sections passes and leaves an earlier failure kept" "[ $rc -eq 0 ] && [ -f '$kept/xreport.log' ]"
t "and the summary says so" "grep -q 'kept from an earlier run: .*failed/xreport.log' '$T/out3'"

gm_tests_done runner
