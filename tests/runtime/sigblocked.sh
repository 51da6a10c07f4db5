#!/bin/sh
# tests/runtime/sigblocked.sh TEST_RUNTIME — the signal and misuse cases when the parent (a CI
# runner, a shell, a supervisor) hands the process SIGUSR1/SIGUSR2 blocked and SIGCHLD
# ignored: both survive exec, and before test_runtime reset them the in-go signal case
# spun forever.
# Host port only (python3 sets the mask before exec; no python3: reported unavailable).
set -u
BIN=${1:?usage: tests/runtime/sigblocked.sh TEST_RUNTIME}
name="signals blocked by the parent: test_runtime unblocks them (no hang, all delivered)"
command -v python3 >/dev/null 2>&1 || { echo "unavailable - $name: no python3 to block them"; exit 0; }
out=$(timeout 120 python3 -c '
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2})
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$BIN" signal/sigtramp/ misuse/signal-install-chains/ 2>&1)
rc=$?
n=$(printf '%s\n' "$out" | grep -c '^ok - ')
if [ $rc = 0 ] && [ "$n" -ge 4 ] && ! printf '%s\n' "$out" | grep -q '^not ok'; then
	echo "ok - $name ($n cases)"
else
	echo "not ok - $name: exit $rc$([ $rc = 124 ] && echo ' (timed out)'); $(printf '%s\n' "$out" | grep -v '^ok' | tail -n 3)"
	exit 1
fi
