#!/bin/sh
# scripts/peers.sh RUNDIR — the peers step of `make bench PEERS=1` / `make peers`
# (scripts/bench.sh calls it on the run folder before it is renamed into place).
#
# 1. runs the real-Go peers (go test -bench, right after gmbench, same make invocation,
#    under QEMU for a foreign ARCH, on the board for HOST=) and merges their figures into RUNDIR/bench.json as
#    peer/{cgocall,callback,gosched,chanpingpong}/go (gm peers go); where Go cannot run,
#    records why (gm peers unavailable); the raw output is kept as RUNDIR/go-bench.txt
# 2. re-runs gm report quietly, so bench.txt, summary.txt and stats.csv hold the Go rows
# 3. writes and prints the ratio table: RUNDIR/peers.txt, peers.json (gm peers table)
# 4. plots the ratios: RUNDIR/peers.png, peers.svg (scripts/plot/peers.sh)
#
# Environment (bench/rules.mk exports it): GM (the host tool), PEERS_GO_TEST, RUN
# (emulator prefix), GM_EMULATOR, REPS, QUICK, FILTER; PEERS_RUN_NAME (the folder's final name).  Exit non-zero only when the run folder
# cannot be completed (gm peers or gm report failing on it).
set -u
GM_PROG=peers
. "$(dirname "$0")/lib.sh"
dir=${1:?usage: scripts/peers.sh RUNDIR}
: "${GM:?}"
RUN=${RUN:-}
QUICK=${QUICK:-0}
REPS=${REPS:-}
[ -n "$REPS" ] || { [ "$QUICK" = 1 ] && REPS=3 || REPS=10; }
GO_NAMES="peer/cgocall/go peer/callback/go peer/callbackcthread/go peer/gosched/go peer/chanpingpong/go"

go_unavailable() {
	# shellcheck disable=SC2086
	"$GM" peers unavailable "$dir" "$1" $GO_NAMES || exit 1
	say "the real-Go peers did not run: $1"
}

# Go's -test.benchtime is per benchmark per repetition (plus Go's own ramp-up).
bt=100ms
[ "$QUICK" = 1 ] && bt=20ms
# FILTER (gmbench's regex on benchmark names) selects the Go peers too.
gobench="" skipped=""
for pair in cgocall:CgoCall callback:Callback callbackcthread:CallbackCThread gosched:Gosched chanpingpong:ChanPingPong; do
	name="peer/${pair%%:*}/go"
	if [ -z "${FILTER:-}" ] || printf '%s\n' "$name" | grep -Eq -- "$FILTER"; then
		gobench="$gobench${gobench:+|}${pair#*:}"
	else
		skipped="$skipped $name"
	fi
done
if [ -n "$skipped" ]; then
	# shellcheck disable=SC2086
	"$GM" peers unavailable "$dir" "not selected by FILTER=$FILTER" $skipped || exit 1
	GO_NAMES=$(for n in $GO_NAMES; do case " $skipped " in *" $n "*) ;; *) echo "$n" ;; esac; done)
fi
gotest=${PEERS_GO_TEST:-}
if [ -z "$gobench" ]; then
	say "FILTER=$FILTER selects none of the real-Go peers"
elif [ -n "$gotest" ] && [ -x "$gotest" ]; then
	echo "peers: real Go ($(cat "$gotest.toolchain" 2>/dev/null || echo go)): go test -bench, $REPS repetitions of $bt, GOMAXPROCS=1" >&2
	# shellcheck disable=SC2086
	# on gmbench's CPU (PEERS_CPU; empty: not pinned), like gmbench itself
	pin=""
	case $RUN in
	*/remote/exec.sh) export GM_REMOTE_TASKSET="${PEERS_CPU:-}" ;;  # pinned there, not here
	*) [ -n "${PEERS_CPU:-}" ] && command -v taskset >/dev/null 2>&1 && pin="taskset -c $PEERS_CPU" ;;
	esac
	if $pin $RUN "$gotest" -test.run='^$' -test.bench="^Benchmark($gobench)\$" -test.benchtime=$bt -test.count="$REPS" -test.cpu=1 \
		> "$dir/go-bench.txt" 2>&1; then
		sed 's/^/  /' "$dir/go-bench.txt" >&2
		emu=""
		[ -n "${GM_EMULATOR:-}" ] && emu="running under $GM_EMULATOR (user-mode emulation)"
		if ! "$GM" peers go "$dir" "$dir/go-bench.txt" --toolchain="$(cat "$gotest.toolchain" 2>/dev/null || echo Go)" \
			--emulated="$emu"; then
			go_unavailable "the output of go test -bench could not be read (go-bench.txt; gm peers said why above)"
		fi
	else
		rc=$?
		sed 's/^/  /' "$dir/go-bench.txt" >&2
		go_unavailable "go test -bench failed (exit $rc): $(grep -v '^ *$' "$dir/go-bench.txt" | tail -n 1)"
	fi
else
	why="the Go test binary was not built"
	[ -n "$gotest" ] && [ -s "$gotest.why" ] && why=$(cat "$gotest.why")
	go_unavailable "$why"
fi

"$GM" report "$dir" > /dev/null || { say "gm report failed on the merged bench.json"; exit 1; }
echo
"$GM" peers table "$dir" --run-name="${PEERS_RUN_NAME:-$dir}" || exit 1
if command -v gnuplot > /dev/null 2>&1; then
	"$(dirname "$0")/plot/peers.sh" "$dir" > /dev/null 2>"$dir/.plot-peers.log" || { cat "$dir/.plot-peers.log" >&2; say "the ratio plot failed (the table is complete)"; }
	rm -f "$dir/.plot-peers.log"
else
	say "gnuplot not installed: no ratio plot (apt-get install gnuplot-nox, then scripts/plot/peers.sh RUNDIR)"
fi
