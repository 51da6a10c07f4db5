#!/bin/sh
# tests/report/run.sh GMREPORT — the run-folder report tool: the files it writes, Go
# benchmark format, and bad input (a message, exit 2, nothing half-written).
G=$1
F=$(dirname "$0")/fixtures
pass=0 fail=0
ok() { echo "ok - report/$1"; pass=$((pass + 1)); }
bad() { echo "not ok - report/$1"; fail=$((fail + 1)); }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

mkdir "$t/run" && cp "$F/bench.json" "$t/run/"
if "$G" "$t/run" >"$t/out" 2>&1; then
	for f in bench.txt context.json summary.txt stats.csv; do
		[ -s "$t/run/$f" ] && ok "writes $f" || bad "writes $f"
	done
	grep -q '^BenchmarkTls/read_tp/le [0-9]* [0-9.e+-]* ns/op [0-9.e+-]* ticks/op$' "$t/run/bench.txt" &&
		ok "bench.txt in Go benchmark format (name, iterations, ns/op, ticks/op)" || bad "bench.txt format"
	[ "$(grep -c '^BenchmarkTls/read_tp/le ' "$t/run/bench.txt")" = 3 ] &&
		ok "one bench.txt line per repetition" || bad "one line per repetition"
	grep -q 'counter tsc (ticks)' "$t/run/summary.txt" && ok "summary names the counter and its unit" ||
		bad "summary counter and unit"
	ls "$t/run"/.*.tmp* >/dev/null 2>&1 && bad "temporary files left" || ok "no temporary files left"
else
	bad "report on a good run: $(cat "$t/out")"
fi

# a bare NaN (Google Benchmark's CV of 0/0) is not JSON: refused as is, read once fixed
mkdir "$t/nan" && cp "$F/bench-nan.json" "$t/nan/bench.json"
"$G" "$t/nan" >"$t/out" 2>&1 && bad "raw NaN refused" || ok "a bare NaN is refused as invalid JSON (exit $?)"
scripts/json-nan-to-null.sh "$t/nan/bench.json"
"$G" "$t/nan" >"$t/out" 2>&1 && ok "after json-nan-to-null.sh the run reads" || bad "NaN fix: $(cat "$t/out")"

for case in missing empty truncated garbage notgb; do
	d="$t/$case"
	mkdir "$d"
	case $case in
	missing) ;;
	empty) : >"$d/bench.json" ;;
	truncated) head -c 300 "$F/bench.json" >"$d/bench.json" ;;
	garbage) echo 'not json at all' >"$d/bench.json" ;;
	notgb) echo '{"foo": 1}' >"$d/bench.json" ;;
	esac
	"$G" "$d" >"$t/out" 2>"$t/err"
	rc=$?
	left=$(ls "$d" | grep -v '^bench.json$' | head -1)
	if [ $rc = 2 ] && grep -q '^gmreport: ' "$t/err" && [ -z "$left" ] && [ ! -s "$t/out" ]; then
		ok "$case input: exit 2, '$(head -c 70 "$t/err")', nothing written"
	else
		bad "$case input: exit $rc, left '$left'"
	fi
done
echo "report: $pass passed, $fail failed"
[ $fail = 0 ]
