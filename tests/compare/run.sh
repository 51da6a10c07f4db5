#!/bin/sh
# run.sh - end-to-end tests of gmcompare on the JSON fixtures.
#
# usage: tests/compare/run.sh GM FIXTURE_DIR
#   GM           path of the built gm binary (this script builds nothing)
#   FIXTURE_DIR  tests/compare/fixtures
#
# Prints "ok - ..." / "not ok - ..." per check, then exactly one line
# "compare: N passed, M failed"; exits 1 when M > 0 (2 on bad usage).
# POSIX sh only (runs on small boards too); needs grep, cmp, mktemp.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 GM FIXTURE_DIR" >&2
    exit 2
fi
BIN=$1
FX=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac

pass=0
fail=0
T=$(mktemp -d "${TMPDIR:-/tmp}/gmcompare-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' INT TERM

ok()  { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
# check DESC CMD...: ok if CMD succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

# run NAME ARGS...: run gm compare from the fixture dir (so file names are
# short), stdout/stderr to $T/NAME.{out,err}, status in $rc
run() {
    n=$1; shift
    ( cd "$FX" && exec "$BIN" compare "$@" ) >"$T/$n.out" 2>"$T/$n.err"
    rc=$?
}
# row NAME BENCH: the table line of BENCH in run NAME's stdout
row() { grep "^$2 " "$T/$1.out"; }
has() { grep -q -- "$2" "$T/$1.out"; }          # has NAME REGEX (stdout)
row_has() { row "$1" "$2" | grep -q -- "$3"; }  # row_has NAME BENCH REGEX
is_empty_dir() { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }

if [ ! -x "$BIN" ]; then
    nok "gm binary $BIN is executable"
    echo "compare: $pass passed, $fail failed"
    exit 1
fi

# ---- shifted vs unchanged (two-file form, default metric, --out) ----
mkdir "$T/shift.d"
run shift --out "$T/shift.d" old.json new.json
check "shift: exit status 0" [ "$rc" -eq 0 ]
check "shift: nothing on stderr" [ ! -s "$T/shift.err" ]
check "shift: default metric is cycles (header cycles/op)" \
    has shift '^name  *old cycles/op  *new cycles/op  *delta$'
check "shift: shifted benchmark significant, negative delta" \
    row_has shift 'BM_Shifted/64' ' -9\.99%  (p=0\.000 n=10+10)$'
check "shift: unchanged benchmark shows ~" \
    row_has shift 'BM_Same/64' ' ~  (p=[0-9.]* n=10+10)$'
check "shift: aggregate rows ignored (medians, n=10+10)" \
    row_has shift 'BM_Shifted/64' '^BM_Shifted/64  *1002 ± 0\.4%  *901\.5 ± 0\.6% '
check "shift: geomean row, with its interval" row_has shift geomean ' -5\.12%  \[-5\.7%, -4\.5%\] (95% interval'
check "shift: note line" has shift \
    '^2 benchmarks compared, 1 significant at alpha=0.05; with 2 comparisons expect about 0.1 false positives$'
check "shift: only-in-OLD note" has shift '^only in OLD (not compared): BM_OldOnly$'
check "shift: only-in-NEW note" has shift '^only in NEW (not compared): BM_NewOnly$'
check "shift: --out wrote exactly compare.txt and compare.json" \
    [ "$(ls -A "$T/shift.d" | tr '\n' ' ')" = "compare.json compare.txt " ]
check "shift: compare.txt equals stdout" cmp -s "$T/shift.out" "$T/shift.d/compare.txt"
check "shift: compare.json has metric, counts, p-method, geomean" sh -c '
    j=$1
    grep -q "\"metric\": \"cycles\"" "$j" && grep -q "\"comparisons\": 2" "$j" &&
    grep -q "\"significant\": 1," "$j" && grep -q "\"p_method\": \"exact\"" "$j" &&
    grep -q "\"geomean\": {" "$j" && grep -q "\"ci_exact\": true" "$j" &&
    grep -q "\"old_files\": \[" "$j" && grep -q "\"old.json\"" "$j"' sh "$T/shift.d/compare.json" 2>/dev/null

# ---- reversed: sign flips ----
run rev new.json old.json
check "reversed: shifted benchmark significant, positive delta" \
    row_has rev 'BM_Shifted/64' ' +11\.09%  (p=0\.000 n=10+10)$'
check "reversed: unchanged benchmark shows ~" row_has rev 'BM_Same/64' ' ~  (p='

# ---- null comparison: same data on both sides ----
mkdir "$T/null.d"
run null --out "$T/null.d" old.json old.json
check "null: exit status 0" [ "$rc" -eq 0 ]
check "null: every benchmark row shows ~" sh -c '
    rows=$(grep -c "^BM_" "$1"); tilde=$(grep "^BM_" "$1" | grep -c " ~  (p=1\.000 ")
    [ "$rows" -eq 3 ] && [ "$tilde" -eq 3 ]' sh "$T/null.out"
check "null: none significant" has null '^3 benchmarks compared, 0 significant at alpha=0.05'
check "null: geomean delta +0.00%" row_has null geomean ' +0\.00%  \['
check "null: compare.json significant 0" grep -q '"significant": 0,' "$T/null.d/compare.json" 2>/dev/null

# ---- several files per side with -- ----
run multi old_part1.json old_part2.json -- new_part1.json new_part2.json
check "multi-file: exit status 0" [ "$rc" -eq 0 ]
check "multi-file: samples pooled across files = same table as single files" \
    cmp -s "$T/multi.out" "$T/shift.out"

# ---- metrics and units ----
run time --metric time old.json new.json
check "--metric time: header ns/op" has time '^name  *old ns/op  *new ns/op  *delta$'
check "--metric time: shifted significant, negative" row_has time 'BM_Shifted/64' ' -9\.99%  (p=0\.000'
run ticks --metric=ticks old.json new.json
check "--metric=ticks: header ticks/op" has ticks 'old ticks/op  *new ticks/op'
run tdef ticks_old.json ticks_new.json
check "default metric falls back to ticks without cycles" has tdef 'old ticks/op  *new ticks/op'
run tpart old.json nocycles.json
check "default metric is ticks when one row lacks cycles" has tpart 'old ticks/op  *new ticks/op'
run unit --metric time old.json old_us.json
check "time_unit us converted to ns: no difference" sh -c '
    [ "$(grep -c "^BM_" "$1")" -eq 3 ] && [ "$(grep "^BM_" "$1" | grep -c " ~  ")" -eq 3 ] &&
    grep -q "^geomean .* +0\.00%  \[" "$1"' sh "$T/unit.out"
check "time_unit us: medians shown in ns" row_has unit 'BM_Shifted/64' '333\.8 ± 0\.4%  *333\.8 ± 0\.4%'

# ---- small samples, exact p, alpha ----
run small small_old.json small_new.json
check "n=3+3 fully separated: exact p=0.100, ~ at alpha 0.05" \
    row_has small BM_Small ' ~  (p=0\.100 n=3+3)$'
check "n<6: CI marked with ! and footnote" sh -c '
    grep "^BM_Small " "$1" | grep -q "%!" && grep -q "^! fewer than 6 samples" "$1"' sh "$T/small.out"
run alpha --alpha 0.2 small_old.json small_new.json
check "--alpha 0.2: p=0.1 now significant, +19.80%" row_has alpha BM_Small ' +19\.80%  (p=0\.100 n=3+3)$'
check "--alpha 0.2: note uses alpha" has alpha '1 significant at alpha=0.2; with 1 comparison expect about 0.2 false positives$'
run help --help
check "--help: exit 0 and usage" sh -c '[ "$1" -eq 0 ] && grep -q "^usage: gm compare" "$2"' sh "$rc" "$T/help.out"

# ---- errors: exit 2, "gm compare: " message, nothing written ----
# bad NAME MSG-REGEX ARGS...
bad() {
    n=$1; msg=$2; shift 2
    mkdir "$T/$n.d"
    run "$n" --out "$T/$n.d" "$@"
    check "$n: exit status 2" [ "$rc" -eq 2 ]
    check "$n: message on stderr" sh -c 'head -n 1 "$1" | grep -q -- "^gm compare: .*$2"' sh "$T/$n.err" "$msg"
    check "$n: nothing on stdout, nothing in --out DIR" sh -c '[ ! -s "$1" ] && [ -d "$2" ] && [ -z "$(ls -A "$2")" ]' sh "$T/$n.out" "$T/$n.d"
}
bad missing       'cannot open'                 old.json does-not-exist.json
bad empty         'empty file'                  empty.json new.json
bad truncated     'invalid JSON'                old.json truncated.json
bad malformed     'invalid JSON'                malformed.json new.json
bad no-array      'no "benchmarks" array'       old.json nobench.json
bad no-common     'no benchmark in common'      old.json other.json
bad no-metric     'no numeric "cycles"'         --metric cycles old.json nocycles.json
bad no-counter    'no numeric "instructions"'   --metric instructions old.json new.json
bad alpha-range   'alpha'                       --alpha 1.5 old.json new.json
bad alpha-nan     'alpha'                       --alpha abc old.json new.json
bad unknown-opt   "unknown option '--bogus'"    --bogus old.json new.json
bad three-files   'need OLD.json NEW.json'      old.json new.json small_old.json
bad no-new        "no NEW file after '--'"      old.json --
bad reserved      'not a per-op counter'        --metric real_time old.json new.json
# --out DIR that does not exist yet: not created on error, created on success
run nodir --out "$T/nodir/sub" old.json empty.json
check "error with a new --out DIR: DIR not created" [ ! -e "$T/nodir" ]
run mkdir --out "$T/made/sub" old.json new.json
check "success with a new --out DIR: created with both files" \
    sh -c '[ -f "$1/compare.txt" ] && [ -f "$1/compare.json" ]' sh "$T/made/sub"
run optval old.json new.json --metric
check "--metric without a value: exit 2" [ "$rc" -eq 2 ]

echo "compare: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
