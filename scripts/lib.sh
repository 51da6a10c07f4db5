# scripts/lib.sh — what gmbench's scripts share (POSIX sh; sourced, never run).
#
#   GM_PROG=compare . "$(dirname "$0")/lib.sh"      # before sourcing: the message prefix
#
# Messages (every script speaks the same way):
#   say MSG...      "PROG: MSG" on stderr (GM_SAY_FD=1: on stdout, for scripts whose
#                   stdout is the terminal's progress and not a result)
#   die MSG...      "PROG: [error: ]MSG" on stderr, then exit GM_DIE_STATUS (default 2: bad
#                   input or request; scripts whose failures are build or run failures set 1).
#                   GM_ERROR_WORD=1 puts "error: " after the prefix.
# Cleanup: gm_on_exit CMD adds CMD to what runs when the script exits, however it exits;
#   INT/TERM/HUP say "interrupted; nothing was kept" and exit 130 (the staged run folder,
#   like every temporary, is removed by the exit cleanup).
# Run folders (a result is complete or absent):
#   gm_stage DIR TAG       make DIR/.partial-TAG<stamp>-<pid> and set gm_staged to it;
#                          it is removed on exit unless committed
#   gm_commit DIR NAME [RESULTS LINK HOSTID]
#                          rename the staged folder to DIR/NAME; with RESULTS, LINK and
#                          HOSTID also point RESULTS/LINK at HOSTID/NAME (atomically)
# Machine: gm_hostid ARCH [RUN]   the folder name of this machine's results
#          gm_hostid_of HOSTNAME MODEL ARCH [RUN]   the same for another machine
#          gm_hostarch            the port that runs natively here
#          gm_top                 the checkout's top folder (where this library lives)

: "${GM_PROG:=$(basename "$0" .sh)}"
: "${GM_DIE_STATUS:=2}"
: "${GM_SAY_FD:=2}"
gm_lib=$(cd "$(dirname "$0")" && while [ ! -f scripts/lib.sh ] && [ "$PWD" != / ]; do cd ..; done && pwd)

say() { if [ "$GM_SAY_FD" = 1 ]; then echo "$GM_PROG: $*"; else echo "$GM_PROG: $*" >&2; fi; }
die() { echo "$GM_PROG: ${GM_ERROR_WORD:+error: }$*" >&2; exit "$GM_DIE_STATUS"; }
gm_top() { echo "$gm_lib"; }

# ---- cleanup on every exit path
gm_exit_cmds=""
gm_on_exit() {
	gm_exit_cmds="$1
$gm_exit_cmds"
	trap 'gm_run_exit' EXIT
	trap 'echo "$GM_PROG: interrupted; nothing was kept" >&2; exit 130' INT TERM HUP
}
gm_run_exit() {
	gm_rc=$?
	trap - EXIT
	# last registered first, as a stack unwinds; a cleanup that fails must not change
	# the script's exit status (set -e is still on inside this trap)
	while IFS= read -r gm_c; do
		if [ -n "$gm_c" ]; then eval "$gm_c" || true; fi
	done <<GM_EXIT_CMDS
$gm_exit_cmds
GM_EXIT_CMDS
	exit "$gm_rc"
}

# ---- run folders
gm_staged=""
gm_stage() { # DIR TAG
	gm_staged="$1/.partial-$2$(date -u +%Y%m%dT%H%M%SZ)-$$"
	mkdir -p "$gm_staged" || die "cannot create $gm_staged"
	gm_on_exit '[ -z "$gm_staged" ] || rm -rf "$gm_staged"'
}
gm_commit() { # DIR NAME [RESULTS LINK HOSTID]
	mv "$gm_staged" "$1/$2" || die "cannot rename $gm_staged to $1/$2"
	gm_staged=""
	if [ $# -ge 5 ]; then
		ln -sfn "$5/$2" "$3/.$4.$$" && mv -T "$3/.$4.$$" "$3/$4"
	fi
}

# ---- the machine
gm_hostarch() {
	# The userland decides, not the kernel: Raspberry Pi OS 32-bit on a 64-bit kernel
	# says aarch64 in uname but builds and runs armhf programs.
	gm_a=$(dpkg --print-architecture 2>/dev/null || true)
	[ -n "$gm_a" ] || gm_a=$({ cc -dumpmachine || gcc -dumpmachine; } 2>/dev/null | cut -d- -f1)
	[ -n "$gm_a" ] || gm_a=$(uname -m)
	case $gm_a in
	amd64|x86_64) echo amd64 ;;
	arm64|aarch64) echo arm64 ;;
	armhf|arm|armv7*|armv8l) echo arm ;;
	*) echo "$gm_a" ;;
	esac
}
gm_hostid() { # ARCH [RUN]
	gm_hostid_of "$(hostname 2>/dev/null || echo host)" \
		"$( { tr -d '\0' </proc/device-tree/model; } 2>/dev/null || true)" "$@"
}
gm_hostid_of() { # HOSTNAME MODEL ARCH [RUN]
	# <hostname>[-<board model>]-<ARCH>[-qemu], with anything odd turned into '-'.  RUN
	# non-empty (an emulator prefix) marks emulated runs, which never mix with hardware.
	# scripts/remote/ passes a board's hostname and model, read over SSH.
	gm_h=${1:-host}
	[ -n "$2" ] && gm_h="$gm_h-$2"
	gm_id=$(printf '%s-%s' "$gm_h" "$3" | tr -c 'A-Za-z0-9._-' '-' | sed 's/--*/-/g; s/-$//')
	[ -n "${4:-}" ] && gm_id="$gm_id-qemu"
	echo "$gm_id"
}
