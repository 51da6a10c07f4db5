#!/bin/bash
# scripts/bench.sh — run the benchmark binary and file its results (make bench calls this).
#
# Environment (make passes them): BIN gmbench binary, GM host tool, ARCH, RUN
# (emulator prefix, empty on hardware), FILTER (regex), QUICK (1 = short), REPS
# (repetitions, default 10), LABEL (appended to the run folder), RESULTS (default results),
# CPU (auto: the fastest kind; a number; none: not pinned; all-types: one run per core
# type, each labelled with its core), GOVERNOR (e.g. performance: set for the run on the
# measured CPU, as root, and restored on every exit path).
#
# A run goes to RESULTS/<host-id>/.partial-<stamp>/ and is renamed to
# RESULTS/<host-id>/<stamp>-<git-rev>[-<label>]/ only when complete; RESULTS/latest
# points at it.  An interrupted or failed run leaves no half-written result folder.
set -euo pipefail
GM_PROG=bench
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

: "${BIN:?}" "${GM:?}" "${ARCH:?}"
RUN=${RUN:-}
RESULTS=${RESULTS:-results}
QUICK=${QUICK:-0}
REPS=${REPS:-}
[ -n "$REPS" ] || { [ "$QUICK" = 1 ] && REPS=3 || REPS=10; }
case $REPS in ''|*[!0-9]*) die "REPS must be a number" ;; esac

CPU=${CPU:-auto}
GOVERNOR=${GOVERNOR:-}
hostid=${GM_HOSTID:-$(gm_hostid "$ARCH" "${RUN:-}")}
# what runs the binaries: the emulator (RUN), scripts/remote/exec.sh (HOST=) or nothing
EXEC=${GM_EXEC:-$RUN}
# GM_REV: the revision a board kit was built from (it has no git history)
rev=${GM_REV:-$(git describe --always --dirty --abbrev=12 2>/dev/null || echo norev)}
dir="$RESULTS/$hostid"
# gmbench records the id in context.json (gm_host_id): make report names the board by it
export GM_HOST_ID="$hostid"
legacy=$(gm_hostid_legacy "$ARCH" "${RUN:-}")
[ ! -d "$dir" ] && [ -d "$RESULTS/$legacy" ] &&
	say "this machine's results now go to $dir (its id has a fingerprint: docs/machine.md#the-host-id); its earlier runs stay in $RESULTS/$legacy"
govsave=""
# the governor is the measured machine's: on the board for HOST= (GM_EXEC), not under QEMU
GOVEXEC=${GM_EXEC:-}
gm_on_exit '[ -z "$govsave" ] || $GOVEXEC scripts/governor.sh restore "$govsave" || true'

# The CPUs to measure: one, or one of each core type (CPU=all-types).
cpulist=$($EXEC "$BIN" --list-cpus) || { say "$BIN --list-cpus failed"; exit 1; }
case $CPU in
all-types) cpus=$(printf '%s\n' "$cpulist" | awk -F'\t' '/\ttype-representative/ { sub(/^cpu /, "", $1); print $1 }') ;;
auto|"")   cpus=$(printf '%s\n' "$cpulist" | awk -F'\t' '/\tdefault/ { sub(/^cpu /, "", $1); print $1 }') ;;
none)      cpus=none ;;
*[!0-9]*)  die "CPU=$CPU: use a CPU number, auto, none or all-types" ;;
*)         cpus=$CPU ;;
esac
[ -n "$cpus" ] || { say "no CPU to measure (gmbench --list-cpus found none allowed)"; exit 1; }
if [ -n "$GOVERNOR" ]; then
	[ "$cpus" != none ] || die "GOVERNOR= needs a pinned CPU (not CPU=none)"
	if [ -n "${GM_GOVERNOR_SAVE:-}" ]; then
		govsave=$GM_GOVERNOR_SAVE	# HOST=: a path on the board, in the run's folder there
	else
		govsave=$(mktemp "${TMPDIR:-/tmp}/gmbench-governor.XXXXXX")
		rm -f "$govsave"
	fi
fi
ntypes=$(printf '%s\n' $cpus | wc -l)
if [ "$CPU" = all-types ]; then
	say "CPU=all-types: $ntypes core type(s), one run each: CPU $(echo $cpus | sed 's/ /, /g')"
fi

for cpu in $cpus; do
core=$(printf '%s\n' "$cpulist" | awk -F'\t' -v c="cpu $cpu" '$1 == c { print $2 }')
label=${LABEL:-}
if [ "$CPU" = all-types ]; then
	label="${label:+$label-}$(printf '%s' "$core" | tr -c 'A-Za-z0-9' '-' | sed 's/--*/-/g; s/-$//')-cpu$cpu"
fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="$stamp-$rev${label:+-$label}"
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._+-' '-')
gm_stage "$dir" ""
tmp=$gm_staged
if [ -n "$GOVERNOR" ]; then
	$GOVEXEC scripts/governor.sh set "$GOVERNOR" "$cpu" "$govsave" || exit 2
fi

args="--benchmark_repetitions=$REPS --benchmark_enable_random_interleaving=true"
args="$args --benchmark_display_aggregates_only=true --benchmark_out_format=json"
args="$args --benchmark_out=$tmp/bench.json --cpu=$cpu --state-out=$tmp/machine.json"
if [ "$QUICK" = 1 ]; then args="$args --quick"; fi
if [ "${PROBES:-0}" = 1 ]; then
	args="$args --probes-out=$tmp"
	say "PROBES=1 build: the timings include the probes' own cost; per-edge latencies go to edges.csv"
fi

if [ -n "$RUN" ]; then
	export GM_EMULATOR="${RUN%% *}"
	echo "bench: WARNING: $ARCH runs under $GM_EMULATOR (user-mode emulation): the timings" \
	     "below are emulation timings, NOT hardware figures. For ARM numbers without a" \
	     "board use exact instruction counts (make pathlen ARCH=$ARCH)." >&2
fi
say "$REPS repetitions per benchmark, randomly interleaved, on CPU $cpu${core:+ ($core)}; results go to $dir/$name"
filter=()
if [ -n "${FILTER:-}" ]; then filter=("--filter=$FILTER"); fi
# The terminal gets gmbench's messages and one progress line per benchmark (stderr);
# console.txt gets those and Google Benchmark's console rows (stdout), in order.
: >"$tmp/console.txt"
if ! $EXEC "$BIN" $args --progress "${filter[@]}" 2>&1 >>"$tmp/console.txt" | tee -a "$tmp/console.txt" >&2; then
	say "the benchmark binary failed (see above); nothing was kept"
	exit 1
fi
echo
# bench.json stays as Google Benchmark wrote it (its own tools read it); gmbench's
# readers take its bare NaN (a CV of 0/0) as null
# a run on hardware names the machine's state against the host's record (gm report); a
# QUICK run's three canaries stay out of it
states=""
[ -n "${RUN:-}" ] || [ "${QUICK:-0}" = 1 ] || states="${STATES:-$dir/states.json}"
if ! [ -s "$tmp/bench.json" ] || ! GM_STATES="$states" GM_STATES_ID="$name" "$GM" report "$tmp"; then
	say "the run did not complete; nothing was kept"
	exit 1
fi
# ---- PEERS (bench/rules.mk, docs/peers.md) ------------------------------------
# make bench PEERS=1 / make peers: real Go (go test -bench) right after gmbench, merged
# into this run's bench.json, then the ratio table (peers.txt, peers.json) and chart.
if [ "${PEERS:-0}" = 1 ]; then
	# the Go test binary runs where gmbench ran: under the emulator, or on the board
	if ! RUN="$EXEC" REPS="$REPS" QUICK="$QUICK" GM="$GM" PEERS_RUN_NAME="$dir/$name" \
		PEERS_CPU="$([ "$cpu" = none ] || echo "$cpu")" scripts/peers.sh "$tmp"; then
		say "the peers step failed; nothing was kept"
		exit 1
	fi
fi
# ---- end PEERS ----------------------------------------------------------------------
# Latency distributions: a normal run takes them from the PROBES build's latency pass
# (its own binary, so the timings above stay probe-free); a PROBES=1 run has them already.
if [ "${PROBES:-0}" != 1 ] && [ -n "${PROBES_BIN:-}" ] && [ -x "$PROBES_BIN" ]; then
	if $EXEC "$PROBES_BIN" --probes-only "--probes-out=$tmp" "--cpu=$cpu" "${filter[@]}" >"$tmp/probes.log" 2>&1; then
		say "per-edge latencies from the PROBES build in edges.csv, edges-summary.csv"
	else
		say "the latency pass failed (see probes.log); the timings are complete"
	fi
fi
if [ "${GM_NOPLOTS:-0}" = 1 ]; then
	say "no plots here: make plots RUN=<the run folder> makes them where the folder lands"
elif command -v gnuplot >/dev/null 2>&1; then
	GM="$GM" scripts/plot/plot.sh run "$tmp" >/dev/null || say "plots failed (the results are complete)"
else
	say "gnuplot not installed: no plots (apt-get install gnuplot-nox, then make plots)"
fi
gm_commit "$dir" "$name" "$RESULTS" latest "$hostid"
if [ -n "$GOVERNOR" ]; then
	$GOVEXEC scripts/governor.sh restore "$govsave"
fi
echo
echo "bench: results in $dir/$name (bench.json, bench.txt, context.json, machine.json, summary.txt, stats.csv$( [ -d "$dir/$name/plots" ] && echo ", plots/")); $RESULTS/latest points there"
done
