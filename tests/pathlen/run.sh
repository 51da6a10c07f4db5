#!/bin/bash
# tests/pathlen/run.sh — make test-pathlen: the path-length counts are exact and stable
# (two runs give identical counts per operation), the output files have their shape,
# failures leave nothing half-written, and make predict's output is labelled and shaped
# and names the models llvm-mca really ran (tests/pathlen/models.sh).
# Prints "ok - ..." / "not ok - ..." lines and "N passed, N failed"; exit 1 on a failure.
# Environment: what scripts/rules.mk passes (ARCH PORT GM PL_DRIVER O ...); GM is the gm tool.
set -u
: "${ARCH:?}" "${GM:?}" "${PL_DRIVER:?}"
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
t() { if eval "$2" >/dev/null 2>&1; then ok "$1"; else notok "$1"; fi; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-pathlen-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PL_GO=0 PL_K=${PL_K:-16} PL_REPS=2 LABEL=

for run in 1 2; do
	if RESULTS="$tmp/r$run" scripts/pathlen.sh >"$tmp/run$run.log" 2>&1; then
		ok "$ARCH: make pathlen run $run completes"
	else
		notok "$ARCH: make pathlen run $run completes: $(tail -n 3 "$tmp/run$run.log" | tr '\n' ' ')"
	fi
done
j1=$(readlink -f "$tmp/r1/latest-pathlen" 2>/dev/null)/pathlen.json
j2=$(readlink -f "$tmp/r2/latest-pathlen" 2>/dev/null)/pathlen.json
for f in pathlen.json pathlen.txt pathlen.dat raw/gm.counts; do
	t "$ARCH: the run folder holds $f" "[ -s '$(dirname "$j1")/$f' ]"
done
t "$ARCH: latest-pathlen points at the run folder" "[ -L '$tmp/r1/latest-pathlen' ] && [ -d '$tmp/r1/latest-pathlen/' ]"
t "$ARCH: no .partial folder is left behind" "! find '$tmp/r1' -name '.partial*' | grep -q ."
if [ -s "$j1" ] && [ -s "$j2" ]; then
	"$GM" pathlen check "$j1" | sed "s/^\(.*\) - [^:]*pathlen.json: /\1 - $ARCH: pathlen.json: /" >"$tmp/check.txt"
	"$GM" pathlen same-counts "$j1" "$j2" | sed "s/^\(ok\|not ok\) - /\1 - $ARCH: stability: /" >>"$tmp/check.txt"
	cat "$tmp/check.txt"
	pass=$((pass + $(grep -c '^ok - ' "$tmp/check.txt")))
	fail=$((fail + $(grep -c '^not ok - ' "$tmp/check.txt")))
	t "$ARCH: pathlen.txt says the counts are not timings" "grep -qi 'not timings' '$(dirname "$j1")/pathlen.txt'"
	# the seed column: the 2012 seed is Linux/ARM code, built on the arm port only
	if [ "$ARCH" = arm ]; then
		t "$ARCH: pathlen.txt has the gmbench / seed / Go table" "grep -q 'seed 2012' '$(dirname "$j1")/pathlen.txt' && grep -q 'Go 1.19' '$(dirname "$j1")/pathlen.txt'"
		for tr in switch/gosave+gogo switch/reschedule cgocall/asmcgocall callback/crosscall2 callback/go-c-go signal/deliver thread/start tls/save+load_gm; do
			t "$ARCH: the seed column of $tr is the seed's own case" \
			  "awk -v t='$tr' '\$1 == t && \$5 == \"(seed)\" { f = 1 } END { exit !f }' '$(dirname "$j1")/pathlen.txt'"
		done
	else
		t "$ARCH: pathlen.txt has a gmbench / Go table and no seed column" "grep -q 'Go 1.19' '$(dirname "$j1")/pathlen.txt' && ! grep -q 'seed 2012' '$(dirname "$j1")/pathlen.txt' && grep -q '^No seed column' '$(dirname "$j1")/pathlen.txt'"
	fi
	t "$ARCH: known answer: asmcgocall costs more than the plain call it wraps" \
	  "awk '/^cgocall\\/asmcgocall/ {a=\$2} /^cgocall\\/plain/ {p=\$2} END {exit !(a > p && p > 0)}' '$(dirname "$j1")/pathlen.txt'"
else
	notok "$ARCH: pathlen.json of both runs exists"
fi

# failures keep nothing: a driver that cannot run, a report of missing files
if RESULTS="$tmp/bad" PL_DRIVER=/bin/false scripts/pathlen.sh >"$tmp/bad.log" 2>&1; then
	notok "$ARCH: a failing driver makes make pathlen fail"
else
	ok "$ARCH: a failing driver makes make pathlen fail"
fi
t "$ARCH: ... and leaves no result folder" "! find '$tmp/bad' -mindepth 2 -maxdepth 2 | grep -q ."
t "gm pathlen report rejects a missing counts file" "! '$GM' pathlen report --arch x --port x --k 16 --cases /nonexistent --gm /nonexistent /nonexistent m --json '$tmp/x.json' --txt '$tmp/x.txt'"
t "gm pathlen report wrote nothing then" "[ ! -e '$tmp/x.json' ] && [ ! -e '$tmp/x.txt' ]"
printf 'region\tcounter/empty/batch\t16\n' >"$tmp/short.labels"
: >"$tmp/short.counts"
t "gm pathlen report rejects counts that miss regions" "! '$GM' pathlen report --arch x --port x --k 16 --cases '$tmp/short.labels' --gm '$tmp/short.labels' '$tmp/short.counts' m --json '$tmp/y.json' --txt '$tmp/y.txt'"
t "gm pathlen check rejects a malformed file" "echo '{\"kind\": 1' >'$tmp/bad.json' && ! '$GM' pathlen check '$tmp/bad.json'"

# plots
if command -v gnuplot >/dev/null 2>&1 && [ -s "$j1" ]; then
	d=$(dirname "$j1")
	t "$ARCH: plot-pathlen makes pathlen.png and pathlen.svg" "scripts/plot/pathlen.sh '$d' && [ -s '$d/pathlen.png' ] && [ -s '$d/pathlen.svg' ]"
fi

# predict (static predictions): the ARM ports, or this one
parch=$ARCH
[ "$ARCH" = amd64 ] && parch=arm64
if [ "$parch" != "$ARCH" ] && [[ " ${GM_TEST_ARCHES:-} " == *" $parch "* ]]; then
	# make test's arm64 section predicts arm64 (in parallel with this one: building
	# build/arm64 from here too would race with it)
	echo "# make predict ARCH=$parch: done by this make test's $parch section"
elif [ -n "$(bash -c '. scripts/lib.sh && gm_newest_llvm mca')" ]; then	# llvm-mca-N or llvm's llvm-mca
	if RESULTS="$tmp/p" PREDICT_ARCHES=$parch scripts/predict.sh >"$tmp/predict.log" 2>&1; then
		ok "make predict ARCH=$parch completes"
		pj=$(readlink -f "$tmp/p/latest-predict")/predict.json
		"$GM" predict check "$pj" | sed "s/^\(.*\) - [^:]*predict.json: /\1 - $parch: predict.json: /" >"$tmp/pcheck.txt"
		cat "$tmp/pcheck.txt"
		pass=$((pass + $(grep -c '^ok - ' "$tmp/pcheck.txt")))
		fail=$((fail + $(grep -c '^not ok - ' "$tmp/pcheck.txt")))
		t "$parch: predict.txt says STATIC PREDICTION, NOT A MEASUREMENT" "grep -q 'STATIC PREDICTION, NOT A MEASUREMENT' '$(dirname "$pj")/predict.txt'"
		# the model named for each core is the one llvm-mca runs (the llvm-mca predict.sh used)
		mca=${LLVM_MCA:-$(bash -c '. scripts/lib.sh && gm_newest_llvm mca')}
		MCA=$mca PARCH=$parch tests/pathlen/models.sh "$(dirname "$pj")/predict.txt" >"$tmp/models.txt" 2>&1
		cat "$tmp/models.txt"
		pass=$((pass + $(grep -c '^ok - ' "$tmp/models.txt")))
		fail=$((fail + $(grep -c '^not ok - ' "$tmp/models.txt")))
	else
		notok "make predict ARCH=$parch completes: $(tail -n 3 "$tmp/predict.log" | tr '\n' ' ')"
	fi
else
	echo "unavailable - make predict: llvm-mca is not installed (Debian: llvm-N, or llvm)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
