# tests/remote/expect.sh — sourced by tests/remote/run.sh and tests/remote/kit.sh.
#   expect NAME WANT-EXIT(0|fail) PATTERN CMD...   run CMD; "ok - <prefix>NAME" when its exit
#       is as wanted and its output matches PATTERN, else "not ok" with the exit and the
#       output's last lines (all of it kept in $T/last.out); counts into passes and fails.
# EXPECT_PREFIX is put before each name.
passes=${passes:-0} fails=${fails:-0}
expect() {
	name=$1 want=$2 pat=$3; shift 3
	out=$("$@" 2>&1); rc=$?
	printf '%s\n' "$out" >"$T/last.out"
	if { [ "$want" = 0 ] && [ $rc = 0 ]; } || { [ "$want" = fail ] && [ $rc != 0 ]; }; then
		if printf '%s\n' "$out" | grep -q -- "$pat"; then echo "ok - ${EXPECT_PREFIX:-}$name"; passes=$((passes + 1)); return 0; fi
	fi
	echo "not ok - ${EXPECT_PREFIX:-}$name: exit $rc, wanted $want and /$pat/; got: $(printf '%s\n' "$out" | tail -n 3 | tr '\n' '|')"
	fails=$((fails + 1))
	return 1
}
