# tests/lib.sh — what the test drivers share (POSIX sh; sourced, never run).
#
#   GM_TEST_PREFIX="board: " . "$(dirname "$0")/../lib.sh"
#
# Every section of make test is counted by its result lines (tests/run.sh), so every
# driver writes them the same way:
#   ok WHAT             "ok - <prefix>WHAT", counted in $pass
#   notok WHAT, bad     "not ok - <prefix>WHAT", counted in $fail
#   unavailable WHAT    "unavailable - <prefix>WHAT": cannot run here (say why in WHAT)
#   t WHAT CMD          ok when the shell text CMD succeeds (its output hidden), else notok
#   check WHAT CMD      the same, CMD's output shown
#   gm_tests_done [NAME]  "[NAME: ]N passed, N failed"; false when any failed
pass=0 fail=0
ok() { echo "ok - ${GM_TEST_PREFIX:-}$*"; pass=$((pass + 1)); }
notok() { echo "not ok - ${GM_TEST_PREFIX:-}$*"; fail=$((fail + 1)); }
bad() { notok "$@"; }
unavailable() { echo "unavailable - ${GM_TEST_PREFIX:-}$*"; }
t() { if eval "$2" >/dev/null 2>&1; then ok "$1"; else notok "$1"; fi; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
gm_tests_done() {
	echo "${1:+$1: }$pass passed, $fail failed"
	[ "$fail" = 0 ]
}
gm_test_tmp() { # NAME: $top (the checkout above tests/) and $T, a scratch folder removed at exit
	top=$(cd "$(dirname "$0")/../.." && pwd)
	T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 2
	trap 'rm -rf "$T"' EXIT
}
