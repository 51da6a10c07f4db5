#!/bin/sh
# scripts/test.sh ARCH... — run `make test-arch` for each port, keep each port's log in
# $O/<arch>.test.log, then (unless GM_TEST_HOST=0) the host tools and an ASan+UBSan
# build; print a summary per section and one closing line "N passed, N failed".
# A port that cannot be built or run counts as failed (never skipped silently).
set -u
O=${O:-build}
MAKE=${MAKE:-make}
total_pass=0 total_fail=0 total_unavail=0
summary=""
hostarch=$("$(dirname "$0")/hostarch.sh")
run_section() { # name make-args...
	name=$1; shift
	log="$O/$name.test.log"
	mkdir -p "$O"
	$MAKE --no-print-directory O="$O" "$@" >"$log" 2>&1
	rc=$?
	grep -E '^(ok|not ok|unavailable) - ' "$log" 2>/dev/null | sed 's/^/  /'
	p=$(grep -c '^ok - ' "$log" 2>/dev/null); p=${p:-0}
	f=$(grep -c '^not ok - ' "$log" 2>/dev/null); f=${f:-0}
	u=$(grep -c '^unavailable - ' "$log" 2>/dev/null); u=${u:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  not ok - $name: 'make $*' failed (exit $rc); last lines of $log:"
		tail -n 15 "$log" 2>/dev/null | sed 's/^/    /'
		f=$((f + 1))
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# a section that ran no test has not passed
		echo "  not ok - $name: 'make $*' ran no test"
		f=1
	fi
	summary="$summary
  $name: $p passed, $f failed, $u unavailable"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_unavail=$((total_unavail + u))
}

for arch in "$@"; do
	echo "== $arch: building and testing$( [ "$arch" != "$hostarch" ] && echo ' (under QEMU user mode)')"
	run_section "$arch" ARCH="$arch" test-arch
done
if [ "${GM_TEST_HOST:-1}" = 1 ]; then
	echo "== host tools: gmcompare statistics and bad inputs"
	run_section host test-compare
	echo "== the run report tool"
	run_section report test-report
	echo "== the machine's description and state, GOVERNOR= (made-up machines)"
	run_section machine test-machine
	echo "== make compare end to end"
	run_section compare-e2e test-compare-e2e
	echo "== $hostarch and host tools again under ASan + UBSan"
	run_section sanitizers test-san
fi
echo "== summary$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
