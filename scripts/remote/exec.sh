#!/bin/sh
# scripts/remote/exec.sh PROG ARGS... — run one program of this checkout on the board, as
# if here: the prefix scripts use where they would use an emulator (GM_EXEC for
# scripts/bench.sh, RUN for the test scripts, GM_PAIR_EXEC for make compare's pairs).
# scripts/remote/run.sh opens the connection and exports it (see ssh.sh).
#
# PROG is copied to the run's folder on the board unless the same bytes are there already
# (sha256). Output options (--benchmark_out=, --state-out=, --probes-out=, --out=) are
# rewritten to the board's copy of their folder, which is emptied first, and copied back
# when the program succeeds: whole, checksummed files only. stdout and stderr are the
# program's; the exit status is its own, or 1 with a message when the connection is lost.
# The GM_ variables gmbench reads are passed on (with those named in GM_REMOTE_ENV_EXTRA);
# a shell script goes with its scripts/lib.sh.
set -u
GM_PROG=remote GM_DIE_STATUS=1 GM_ERROR_WORD=1
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ssh.sh"
: "${GM_REMOTE_TARGET:?run by scripts/remote/run.sh}" "${GM_REMOTE_DIR:?}" "${GM_REMOTE_CTL:?}"
[ $# -ge 1 ] || die "usage: exec.sh PROG ARGS..."
prog=$1
shift
[ -f "$prog" ] || die "$prog: no such program here"
rprog=$(rm_path "$prog")

# the arguments, with output paths moved to the board; the folders to bring back
args="" outs="" routs=""
for a; do
	case $a in
	--benchmark_out=*|--state-out=*|--probes-out=*|--out=*)
		opt=${a%%=*} p=${a#*=}
		if [ -d "$p" ]; then d=$p; else d=$(dirname "$p"); fi
		[ -d "$d" ] || die "$opt: the folder $d does not exist here"
		if [ -d "$p" ]; then rp=$(rm_path "$p"); else rp=$(rm_path "$d")/$(basename "$p"); fi
		outs="$outs$d
"
		routs="$routs $(rm_quote "$(rm_path "$d")")"
		a="$opt=$rp" ;;
	esac
	args="$args $(rm_quote "$a")"
done

# one round trip: the output folders emptied, the board's copy of PROG checked
err=$(mktemp)
gm_on_exit 'rm -f "$err"'
have=$(rm_ssh "${routs:+rm -rf $routs && mkdir -p $routs && }sha256sum $(rm_quote "$rprog") 2>/dev/null | cut -d' ' -f1; true" \
	</dev/null 2>"$err") || rm_fail "$err" "preparing $prog"
want=$(sha256sum <"$prog" | cut -d' ' -f1)
# with the program, the libraries of this checkout it loads through its RUNPATH (the
# TLS-model shared objects), at the same places relative to it
script=0
[ "$(head -c 2 "$prog")" = '#!' ] && [ -f "$(dirname "$prog")/lib.sh" ] && script=1
if [ "$have" != "$want" ] || [ "$script" = 1 ]; then
	set -- "$prog"
	[ "$script" = 0 ] || set -- "$@" "$(dirname "$prog")/lib.sh"
	for l in $(rm_libs "$prog" | sed -n 's/^own //p'); do set -- "$@" "$l"; done
	rm_put "$@"
fi

# the environment gmbench reads from its caller (the host id for context.json, the counter
# backend, SSBD, the peers) goes with it: ssh passes none of it.  Not GM_EMULATOR (the
# board is hardware) nor GM_COUNTER_CALIBRATION (gmpair's hand-over inside one process).
envs=""
for v in GM_HOST_ID GM_COUNTER GM_SSBD GM_PEERS ${GM_REMOTE_ENV_EXTRA:-}; do
	eval "isset=\${$v+y} val=\${$v-}"
	[ "$isset" = y ] && envs="$envs $(rm_quote "$v=$val")"
done

# GM_REMOTE_TASKSET=CPU: pinned on the board (a taskset here would pin ssh)
pin=""
if [ -n "${GM_REMOTE_TASKSET:-}" ]; then
	pin="if command -v taskset >/dev/null 2>&1; then set -- taskset -c $(rm_quote "$GM_REMOTE_TASKSET"); else echo 'remote: no taskset on the board (util-linux): $(basename "$prog") runs unpinned' >&2; set --; fi; "
fi
rc=0
# "$@" on the board: the taskset words, or none
rm_ssh "${pin}exec ${pin:+\"\$@\" }${envs:+env$envs }$(rm_quote "$rprog")$args" </dev/null || rc=$?
if [ "$rc" = 255 ] && ! rm_alive; then
	rm_lost "$(basename "$prog") ran"
fi
[ "$rc" = 0 ] || exit "$rc"
printf '%s' "$outs" | sort -u | while IFS= read -r d; do
	[ -n "$d" ] || continue
	rm_get "$(rm_path "$d")" "$d" || exit 1
done || exit 1
