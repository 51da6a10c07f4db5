#!/bin/sh
# gm-send-to-lava.sh RESULT_FILE — hand gmbench's results to LAVA, or print them.
#
# RESULT_FILE holds one result per line (the shape Linaro's test-definitions use):
#   NAME RESULT                      a pass/fail/skip case (make test's lines)
#   NAME RESULT MEASUREMENT UNITS    one measurement per case (a benchmark's median)
#   lava-test-set start|stop NAME    group the cases that follow
#   reference NAME RESULT URL        a link to where the result files went
# Inside a LAVA test shell each becomes lava-test-case / lava-test-set /
# lava-test-reference; run by hand (ssh) they are printed, so the same script serves both.
set -u
. "$(dirname "$0")/../lib/gm-sh-lib"

[ $# -eq 1 ] || { echo "usage: $0 RESULT_FILE" >&2; exit 2; }
[ -r "$1" ] || gm_die "no result file $1 (the run stopped before writing it)"
lava=0
gm_have_lava && lava=1
n=0 bad=0
while read -r a b c d e; do
	[ -n "$a" ] || continue
	case $a in '#'*) continue ;; esac
	if [ "$a" = lava-test-set ]; then
		if [ "$lava" = 1 ] && command -v lava-test-set >/dev/null 2>&1; then
			lava-test-set "$b" "$c"
		else
			echo "gmbench: set $b $c"
		fi
		continue
	fi
	if [ "$a" = reference ]; then
		if [ "$lava" = 1 ] && command -v lava-test-reference >/dev/null 2>&1; then
			lava-test-reference "$b" --result "$c" --reference "$d"
		else
			echo "gmbench: reference $b $c $d"
		fi
		continue
	fi
	case $b in pass|fail|skip|unknown) ;; *) echo "gmbench: ignoring a malformed result line: $a $b $c $d" >&2; bad=$((bad + 1)); continue ;; esac
	n=$((n + 1))
	if [ -n "$c" ]; then
		if [ "$lava" = 1 ]; then
			lava-test-case "$a" --result "$b" --measurement "$c" --units "${d:-none}"
		else
			echo "gmbench: case $a $b $c ${d:-}"
		fi
	elif [ "$lava" = 1 ]; then
		lava-test-case "$a" --result "$b"
	else
		echo "gmbench: case $a $b"
	fi
done <"$1"
echo "gmbench: $n result(s) from $1$( [ "$lava" = 1 ] && echo ' sent to LAVA' || echo ' (no LAVA here: printed)')"
[ "$bad" -eq 0 ]
