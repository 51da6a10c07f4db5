#!/bin/sh
# gmbench-parse.sh — turn gmbench's outputs into result lines (see
# ../../utils/gm-send-to-lava.sh for the format).  sh + awk only: it runs on the board.
#
#   gmbench-parse.sh tests LOG TAG RC    make test's output -> one case per "ok - X" (pass),
#                                        "not ok - X" (fail), "unavailable - X" (skip), named
#                                        by X up to its first ": " (the details stay in the log),
#                                        TAG.make-test from the exit status RC and the
#                                        closing "N passed, N failed" line
#   gmbench-parse.sh bench STATS TAG     a run's stats.csv -> TAG.<benchmark> with the
#                                        median in the counter's unit, TAG.<benchmark>.ns
#                                        with the median in ns: one measurement per case
#
# Result lines go to stdout.  A problem with the input (a truncated log, counts that do
# not add up, a stats.csv without its columns or with a non-number) is a line on stderr
# naming the file, a failing case on stdout, and exit status 2.
set -u
. "$(dirname "$0")/../../lib/gm-sh-lib"

usage() { echo "usage: $0 tests LOG TAG RC | bench STATS.CSV TAG" >&2; exit 2; }
[ $# -ge 3 ] || usage

# Case names go through gm_case_name (sh) in one pass: awk prints "RAWNAME<TAB>rest".
name_lines() {
	while IFS='	' read -r raw rest; do
		printf '%s %s\n' "$(gm_case_name "$raw")" "$rest"
	done
}

case $1 in
tests)
	[ $# -eq 4 ] || usage
	log=$2 tag=$3 rc=$4
	[ -r "$log" ] || { echo "gmbench: error: make test log $log: cannot read it" >&2; echo "$(gm_case_name "${tag:+$tag.}make-test") fail"; exit 2; }
	tmp=$(mktemp) || exit 2
	# Names repeat across sections (the same check in each port): later ones get _2, _3.
	awk -v tag="$tag" -v err="$tmp" '
	{ sub(/\r$/, ""); if (NF) last = $0 }
	/^[ \t]*(ok|not ok|unavailable) - / {
		line = $0; sub(/^[ \t]*/, "", line)
		if (line ~ /^ok - /) { r = "pass"; sub(/^ok - /, "", line); np++ }
		else if (line ~ /^not ok - /) { r = "fail"; sub(/^not ok - /, "", line); nf++; failed = failed (nf <= 5 ? "\n  " line : "") }
		else { r = "skip"; sub(/^unavailable - /, "", line) }
		# make test prints "NAME: details"; the details (counts, temporary paths) stay in the log
		if ((i = index(line, ": ")) > 0) line = substr(line, 1, i - 1)
		sub(/[ \t]+$/, "", line)
		key = (tag != "" ? tag "." : "") "test." line
		if (seen[key]++) key = key "_" seen[key]
		printf "%s\t%s\n", key, r
		next
	}
	# the closing line, alone or after one "word:" (a section of make test prints that)
	/^([A-Za-z0-9_.-]+: )?[0-9]+ passed, [0-9]+ failed/ {
		closing = $0; c = $0; sub(/^[A-Za-z0-9_.-]+: /, "", c); split(c, cw, /[ ,]+/); cp = cw[1] + 0; cf = cw[3] + 0
	}
	END {
		if (closing == "") {
			printf "make test log is truncated: no closing \"N passed, N failed\" line (%d ok, %d not ok read; last line: %s)\n", np, nf, substr(last, 1, 120) > err
		} else if (cp != np || cf != nf) {
			printf "make test log does not add up: it closes with \"%s\" but holds %d ok and %d not ok lines\n", closing, np, nf > err
		} else if (nf > 0) {
			printf "make test: %d failed:%s%s\n", nf, failed, (nf > 5 ? "\n  ..." : "") > err
		}
	}' "$log" | name_lines
	verdict=pass status=0
	if [ -s "$tmp" ]; then
		if grep -q '^make test: [0-9]* failed' "$tmp"; then
			sed 's/^/gmbench: /' "$tmp" >&2
		else
			sed "s|^|gmbench: error: $log: |" "$tmp" >&2
			status=2
		fi
		verdict=fail
	fi
	[ "$rc" = 0 ] || { verdict=fail; echo "gmbench: make test exited $rc" >&2; }
	rm -f "$tmp"
	echo "$(gm_case_name "${tag:+$tag.}make-test") $verdict"
	exit $status
	;;
bench)
	[ $# -eq 3 ] || usage
	csv=$2 tag=$3
	[ -r "$csv" ] || { echo "gmbench: error: $csv: cannot read it" >&2; echo "$(gm_case_name "${tag:+$tag.}stats") fail"; exit 2; }
	tmp=$(mktemp) || exit 2
	awk -F, -v tag="$tag" -v err="$tmp" '
	function num(s) { return s ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ || s ~ /^-?\.[0-9]+([eE][-+]?[0-9]+)?$/ }
	NR == 1 {
		pre = (tag != "" ? tag "." : "")
		for (i = 1; i <= NF; i++) col[$i] = i
		if (!("benchmark" in col) || !("unit" in col) || !("median" in col) || !("median_ns" in col)) {
			printf "not a gmbench stats.csv: the header lacks benchmark, unit, median or median_ns (it reads: %s)\n", substr($0, 1, 120) > err
			exit
		}
		next
	}
	{ sub(/\r$/, "") }
	NF == 0 { next }
	{
		b = $(col["benchmark"]); u = $(col["unit"]); m = $(col["median"]); mn = $(col["median_ns"])
		if (b == "" || u == "" || !num(m) || !num(mn)) {
			printf "line %d is not a result row (benchmark \"%s\", unit \"%s\", median \"%s\", median_ns \"%s\")\n", NR, b, u, m, mn > err
			printf "%s%s\tfail\n", pre, b
			next
		}
		rows++
		printf "%s%s\tpass %.6f %s\n", pre, b, m, u
		printf "%s%s.ns\tpass %.6f ns\n", pre, b, mn
	}
	END { if (rows == 0 && NR > 0) printf "no result rows\n" > err; if (NR == 0) printf "empty file\n" > err }' "$csv" | name_lines
	status=0
	if [ -s "$tmp" ]; then
		sed "s|^|gmbench: error: $csv: |" "$tmp" >&2
		echo "$(gm_case_name "${tag:+$tag.}stats") fail"
		status=2
	fi
	rm -f "$tmp"
	exit $status
	;;
*) usage ;;
esac
