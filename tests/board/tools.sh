#!/bin/sh
# tests/board/tools.sh GM — make board's host side without a guest (seconds; make
# test runs it): gm icount, the perf-vs-pathlen check, on made-up runs (agreeing, off by
# a few percent, the wrong counter, no instructions, the kuser helper's extra
# instruction, bad files), and scripts/board/run.sh refusing bad requests before it
# builds anything.  Prints ok/not ok lines and "N passed, N failed".
set -u
G=${1:?usage: tests/board/tools.sh GM}
pass=0 fail=0
ok() { echo "ok - board-tools: $*"; pass=$((pass + 1)); }
notok() { echo "not ok - board-tools: $*"; fail=$((fail + 1)); }
t() { if eval "$2" >/dev/null 2>&1; then ok "$1"; else notok "$1"; fi; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gm-board-tools.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# bench.json: COUNTER CYCLES_LE CYCLES_ASM INSTR(yes|no) CYCLES_KUSER
bench() {
	ins() { [ "$4" = yes ] && printf ', "instructions": %s' "$1"; }
	row() { # name cycles
		for r in 0 1 2; do
			printf '  {"name": "%s/manual_time", "run_name": "%s/manual_time", "run_type": "iteration", "repetition_index": %s, "cycles": %s%s},\n' \
				"$1" "$1" "$r" "$2" "$(ins "$2" x x "$3")"
		done
	}
	printf '{"context": {"gm_counter": "%s", "gm_port": "arm64", "gm_counter_desc": "made up", "gm_instructions": "made up"},\n "benchmarks": [\n' "$1"
	row tls/read_tp/le "$2" "$4"
	row cgocall/asmcgocall/static "$3" "$4"
	row tls/read_tp/kuser "$5" "$4"
	printf '  {"name": "tls/read_tp/le/manual_time_median", "run_name": "tls/read_tp/le/manual_time", "run_type": "aggregate", "aggregate_name": "median", "cycles": 999}\n ]}\n'
}
cat >"$tmp/pathlen.json" <<'J'
{"kind": "gmbench-pathlen", "port": "arm64", "cases": [
 {"source": "gmbench", "name": "tls/read_tp/le", "suite": "tls", "instructions_per_op": 5, "exact": true, "symbols": {"gm_tlsloop_le": 5}},
 {"source": "gmbench", "name": "cgocall/asmcgocall/static", "suite": "cgocall", "instructions_per_op": 42, "exact": true, "symbols": {}},
 {"source": "gmbench", "name": "tls/read_tp/kuser", "suite": "tls", "instructions_per_op": 6, "exact": true,
  "symbols": {"gm_tlsloop_kuser": 5, "(kuser helper page: QEMU emulates each helper call as 1 traced instruction; __kuser_get_tls is 2 on hardware)": 1}},
 {"source": "gmbench", "name": "signal/deliver/sigtramp", "suite": "signal", "instructions_per_op": 62, "exact": true, "symbols": {}},
 {"source": "go", "name": "cgocall", "suite": "go", "instructions_per_op": 432, "exact": false, "symbols": {}}
]}
J
bench perf 5.02 42.1 yes 7.0 >"$tmp/good.json"
t "gm icount: perf agreeing with pathlen passes" "'$G' icount '$tmp/good.json' '$tmp/pathlen.json' >'$tmp/good.out'"
t "gm icount: ... one ok per counter and transition, the kernel's suites left out" \
  "[ \$(grep -c '^ok - ' '$tmp/good.out') -eq 7 ] && grep -q '^# signal/deliver/sigtramp: left out' '$tmp/good.out'"
t "gm icount: the kuser helper's second instruction is expected" "grep -q 'kuser: perf cycles 7.00 per op vs pathlen 7.0' '$tmp/good.out'"
# Google Benchmark's bare NaN (a CV of 0/0) as it writes it
sed 's/"cycles": 999}/"cycles": 999, "real_time": NaN}/' "$tmp/good.json" >"$tmp/nan.json"
t "gm icount: a run with Google Benchmark's bare NaN is read" "grep -q NaN '$tmp/nan.json' && '$G' icount '$tmp/nan.json' '$tmp/pathlen.json'"
bench perf 5.02 44.5 yes 7.0 >"$tmp/off.json"
t "gm icount: 6% more cycles than instructions fails" "! '$G' icount '$tmp/off.json' '$tmp/pathlen.json' >'$tmp/off.out' && grep -q '^not ok - cgocall/asmcgocall/static: perf cycles' '$tmp/off.out'"
bench perf 5.02 42.1 yes 6.0 >"$tmp/kuser.json"
t "gm icount: a kuser helper counted as one instruction fails" "! '$G' icount '$tmp/kuser.json' '$tmp/pathlen.json'"
bench cntvct 5.02 42.1 yes 7.0 >"$tmp/cntvct.json"
t "gm icount: another backend than perf fails" "! '$G' icount '$tmp/cntvct.json' '$tmp/pathlen.json' >'$tmp/c.out' && grep -q 'not ok - the guest picked the perf backend' '$tmp/c.out'"
bench perf 5.02 42.1 no 7.0 >"$tmp/noins.json"
t "gm icount: a run without the instructions counter fails" "! '$G' icount '$tmp/noins.json' '$tmp/pathlen.json'"
sed 's/"tls\/read_tp\/le\|"cgocall\/asmcgocall\/static\|"tls\/read_tp\/kuser/"x/g' "$tmp/good.json" >"$tmp/none.json"
t "gm icount: nothing to compare fails" "! '$G' icount '$tmp/none.json' '$tmp/pathlen.json'"
echo '{"context": ' >"$tmp/trunc.json"
"$G" icount "$tmp/trunc.json" "$tmp/pathlen.json" >/dev/null 2>"$tmp/err"
t "gm icount: a truncated file is refused with exit 2 and a message" "[ $? -eq 2 ] && grep -q 'trunc.json' '$tmp/err'"
t "gm icount: a file that is not make pathlen's is refused" "! '$G' icount '$tmp/good.json' '$tmp/good.json' 2>/dev/null"
t "gm icount: a missing file is refused" "! '$G' icount '$tmp/missing.json' '$tmp/pathlen.json' 2>/dev/null"

# run.sh refuses bad requests before building anything
r() { env -i PATH="$PATH" HOME="${HOME:-/}" O="$tmp/o" RESULTS="$tmp/r" "$@" scripts/board/run.sh >"$tmp/r.out" 2>&1; }
t "make board: ARCH=amd64 is refused" "! r ARCH=amd64 && grep -q 'make board runs arm64 or arm' '$tmp/r.out'"
t "make board: KERNEL=armmp under the arm64 userland is refused" "! r ARCH=arm64 KERNEL=armmp && grep -q 'KERNEL=armmp is a 32-bit kernel' '$tmp/r.out'"
t "make board: an unknown JOB is refused" "! r ARCH=arm JOB=nonsense && grep -q 'JOB=nonsense: use' '$tmp/r.out'"
t "make board: ICOUNT=2 is refused" "! r ARCH=arm64 ICOUNT=2 && grep -q 'ICOUNT=2: use 0 or 1' '$tmp/r.out'"
t "make board: ICOUNT=1 with JOB=test (no bench run to check) is refused" "! r ARCH=arm64 ICOUNT=1 JOB=test && grep -q 'ICOUNT=1 checks the counts' '$tmp/r.out'"
t "make board: ... and nothing was built or written" "[ ! -e '$tmp/o' ] && [ ! -e '$tmp/r' ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
