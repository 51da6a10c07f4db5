#!/bin/bash
# tests/probes/run.sh — PROBES=1 behaviour for one port (make test-arch runs it):
#  - without PROBES=1 no transition object refers to the probe ring (no probe code at all);
#  - a PROBES=1 binary writes edges.csv / edges-summary.csv with the expected edges of
#    asmcgocall (C-level edges on every port; the in-transition edges where the port's
#    assembly has probes), and nothing half-written.
# Env: ARCH, PORTDIR (e.g. amd64), OBJ (normal build's port objects), BIN (PROBES=1
# gmbench), RUN (emulator prefix or empty), NM.
set -uo pipefail
port=$ARCH; [ "$ARCH" = arm ] && port=arm32
GM_TEST_PREFIX="$port probes/"
. "$(dirname "$0")/../lib.sh"

refs=$(for o in "$OBJ"/*.o; do $NM "$o" | grep -c gm_probe_ringp; done | awk '{ s += $1 } END { print s + 0 }')
if [ "${refs:-0}" = 0 ]; then ok "absent: no transition object of the normal build refers to the probe ring"
else bad "absent: $refs probe references in $OBJ without PROBES=1"; fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export GM_EMULATOR=${RUN%% *}
if ! $RUN "$BIN" --filter='^cgocall/asmcgocall/static$' --benchmark_repetitions=1 \
	--benchmark_min_time=0.001 --probes-out="$out" >"$out/log" 2>&1; then
	bad "run: gmbench --probes-out failed: $(tail -n 3 "$out/log" | tr '\n' ' ')"
	exit 0
fi
s="$out/edges-summary.csv"
if [ -s "$s" ] && [ -s "$out/edges.csv" ] && ! ls "$out"/.edges* >/dev/null 2>&1; then
	ok "files: edges.csv and edges-summary.csv written, no temporary left"
else
	bad "files: edges files missing or a temporary left behind"
fi
want="go-call>asmcgocall-on-g0 asmcgocall-on-g0>in-c in-c>asmcgocall-c-returned asmcgocall-c-returned>go-back total"
have_asm=$(grep -c 'asmcgocall-on-g0' "$s" || true)
if [ "$have_asm" = 0 ]; then
	# a port without in-transition probes still has the C-level edges
	want="go-call>in-c in-c>go-back total"
fi
missing=""
for e in $want; do grep -q "^cgocall/asmcgocall/static,$e," "$s" || missing="$missing $e"; done
n=$(awk -F, '$2 == "total" { print $4 }' "$s")
if [ -z "$missing" ] && [ "${n:-0}" -gt 1000 ]; then
	ok "edges: asmcgocall split into $(echo $want | wc -w) edges ($([ "$have_asm" = 0 ] && echo 'C-level only: no probes in this port'"'"'s assembly' || echo 'including the stack switch inside the assembly')), $n operations"
else
	bad "edges: missing [$missing ] or too few operations (${n:-0})"
fi
