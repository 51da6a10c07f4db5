#!/bin/sh
# tests/pathlen/tools.sh GM — gm pathlen's modes on made-up inputs, no QEMU and no build
# of a port (make test-compare and tests/san run it; tests/pathlen/run.sh needs a port):
# report, check and same-counts on a two-case run, and the bad inputs of issue 22 (a
# folder for a trace, counts beyond 2^53, case sets that differ, many repeated regions).
set -u
G=${1:?usage: tools.sh GM}
case $G in /*) ;; *) G=$(pwd)/$G ;; esac
GM_TEST_PREFIX="pathlen-tools: "
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-pltools.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# two cases, K = 16: counter/empty is 0 per op, tls/read_tp/le 5 (80 more over 16 ops)
printf 'case\tcounter/empty/batch\tcounter\tempty\tbatch\t-\tcaller\t1\ncase\ttls/read_tp/le\ttls\tread_tp\tle\t-\tcaller\t1\n' >cases.tsv
printf 'region\tcounter/empty/batch\t16\nregion\tcounter/empty/batch\t32\nregion\ttls/read_tp/le\t16\nregion\ttls/read_tp/le\t32\n' >gm.labels
printf 'R 0 100 0\nS m 100 main\nR 1 100 0\nS m 100 main\nR 2 180 0\nS m 100 main\nS m 80 gm_tlsloop_le\nR 3 260 0\nS m 100 main\nS m 160 gm_tlsloop_le\n' >gm.counts
rep() { # OUT [extra arguments...]: gm pathlen report on the fixture
	o=$1; shift
	"$G" pathlen report --arch amd64 --port amd64 --k 16 --reps 1 --method made-up --cases cases.tsv \
		--gm gm.labels gm.counts m --json "$o.json" --txt "$o.txt" "$@"
}
t "report: tls/read_tp/le is 5 instructions per op, exact" \
	"rep a && grep -q '\"instructions_per_op\": 5' a.json && '$G' pathlen check a.json"
t "same-counts: a run against itself passes" "'$G' pathlen same-counts a.json a.json"

# issue 22: same-counts printed "not ok" for a case set that differs, yet exited 0
printf 'case\tcounter/empty/batch\tcounter\tempty\tbatch\t-\tcaller\t1\n' >one.tsv
"$G" pathlen report --arch amd64 --port amd64 --k 16 --reps 1 --method made-up --cases one.tsv \
	--gm gm.labels gm.counts m --json b.json --txt b.txt >/dev/null 2>&1
"$G" pathlen same-counts b.json a.json >out.txt 2>&1; rc=$?
check "same-counts: the other run has an extra case: not ok and a non-zero exit" \
	"[ $rc != 0 ] && grep -q '^not ok .*different number of cases' out.txt"

# refuse (exit 2, a message, nothing written)
refused() { # WHAT MESSAGE COMMAND...: exit 2, MESSAGE on stderr, no x.json/x.txt/temporary
	w=$1 m=$2; shift 2
	rm -f x.json x.txt; "$@" >out.txt 2>err.txt; rc=$?
	if [ $rc = 2 ] && grep -q "$m" err.txt && [ ! -e x.json ] && [ ! -e x.txt ] && ! ls -A | grep -q '\.tmp\.'; then
		ok "$w: exit 2, '$(head -c 80 err.txt)'"
	else
		notok "$w: exit $rc, $(head -c 120 err.txt)"
	fi
}
mkdir adir
refused "qemu: a folder for the trace is no empty trace" "cannot read it" sh -c "'$G' pathlen qemu <adir"
refused "mca-input: a folder on stdin" "cannot read it" sh -c "'$G' pathlen mca-input <adir"
refused "report: --cases that is a folder" "cannot read it" rep x --cases adir
sed 's/^R 3 260 0$/R 3 18446744073709551615 0/' gm.counts >huge.counts
refused "report: a count beyond 2^53 (the K/2K difference overflowed)" "beyond 2^53" \
	"$G" pathlen report --arch amd64 --port amd64 --k 16 --method m --cases cases.tsv \
	--gm gm.labels huge.counts m --json x.json --txt x.txt
refused "report: --k that is not a whole number" "whole number" \
	"$G" pathlen report --arch amd64 --port amd64 --k 1e9 --method m --cases cases.tsv \
	--gm gm.labels gm.counts m --json x.json --txt x.txt

# quadratic growth: 20,000 regions of one case grew their arrays one element at a time
# (minutes of CPU under the sanitizers); geometric growth takes well under a second.  A
# CPU-time limit (not wall time: the machine may be loaded) of 30 s tells them apart.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "region\ttls/read_tp/le\t%d\n", i % 2 ? 32 : 16 }' >big.labels
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "R %d %d 0\nS m %d gm_tlsloop_le\n", i, i % 2 ? 260 : 180, i % 2 ? 160 : 80 }' >big.counts
printf 'case\ttls/read_tp/le\ttls\tread_tp\tle\t-\tcaller\t1\n' >c1.tsv
t "report: 20,000 regions of one case in under 30 s of CPU (arrays grow geometrically)" \
	"(ulimit -t 30; '$G' pathlen report --arch amd64 --port amd64 --k 16 --method m --cases c1.tsv \
	  --gm big.labels big.counts m --json big.json --txt big.txt) && grep -q '\"instructions_per_op\": 5' big.json"
gm_tests_done pathlen-tools
