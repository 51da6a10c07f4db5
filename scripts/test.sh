#!/bin/sh
# scripts/test.sh ARCH... — run `make test-arch` for each port, keep each port's log in
# $O/<arch>/test.log, print a summary per port and one closing line "N passed, N failed".
# A port that cannot be built or run counts as failed (never skipped silently).
set -u
O=${O:-build}
MAKE=${MAKE:-make}
total_pass=0 total_fail=0 total_unavail=0
summary=""
for arch in "$@"; do
	mkdir -p "$O/$arch"
	log="$O/$arch/test.log"
	echo "== $arch: building and testing$( [ "$arch" != "$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')" ] && echo ' (under QEMU user mode)')"
	$MAKE --no-print-directory ARCH="$arch" O="$O" test-arch >"$log" 2>&1
	rc=$?
	grep -E '^(ok|not ok|unavailable) - ' "$log" | sed 's/^/  /'
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	u=$(grep -c '^unavailable - ' "$log")
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		# the build or the run itself failed: show why and count it
		echo "  not ok - $arch: 'make test-arch ARCH=$arch' failed (exit $rc); last lines of $log:"
		tail -n 15 "$log" | sed 's/^/    /'
		f=$((f + 1))
	fi
	summary="$summary
  $arch: $p passed, $f failed, $u unavailable"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_unavail=$((total_unavail + u))
done
echo "== summary$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
