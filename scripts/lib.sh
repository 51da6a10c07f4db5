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
gm_lib_package() { # LIB: the Debian package that has a shared library a program needs at run time
	case $1 in
	libstdc++.so.*) echo libstdc++6 ;; libgcc_s.so.*) echo libgcc-s1 ;;
	libpfm.so.4) echo libpfm4 ;; libjansson.so.4) echo libjansson4 ;;
	libc.so.6|libm.so.6|libpthread.so.0|libdl.so.2|ld-linux*) echo libc6 ;;
	*) echo "(the package with $1)" ;;
	esac
}
gm_newest_llvm() { # TOOL: llvm-TOOL-N of the newest N installed (Debian installs several side
	# by side; newer llvm-mca versions model more cores), else llvm-TOOL, else nothing
	for gm_v in $(seq 40 -1 10); do
		command -v "llvm-$1-$gm_v" >/dev/null 2>&1 && { echo "llvm-$1-$gm_v"; return 0; }
	done
	command -v "llvm-$1" >/dev/null 2>&1 && echo "llvm-$1"
	return 0
}
# ---- the machine's id: <readable part>-<fingerprint>[-qemu] (docs/machine.md#the-host-id).
# Every input is read under $GM_SYSROOT (default /), so the tests can hand in made-up machines.
gm_host_readable() { # ARCH: <hostname>[-<board model>]-<ARCH>, anything odd turned into '-'
	gm_h=$(cat "${GM_SYSROOT:-}/proc/sys/kernel/hostname" 2>/dev/null || true)
	[ -n "$gm_h" ] || [ -n "${GM_SYSROOT:-}" ] || gm_h=$(uname -n 2>/dev/null || true)
	[ -n "$gm_h" ] || gm_h=host
	gm_m=$( { tr -d '\0' <"${GM_SYSROOT:-}/proc/device-tree/model"; } 2>/dev/null || true)
	[ -n "$gm_m" ] && gm_h="$gm_h-$gm_m"
	printf '%s-%s' "$gm_h" "$1" | tr -c 'A-Za-z0-9._-' '-' | sed 's/--*/-/g; s/-$//'
}
# The fingerprint's inputs, one "name=value" line each (values never leave this function
# but hashed).  Only what every user can read and what a reboot keeps: the machine-id, the
# board's serial (device tree) or the DMI product UUID where it is world-readable (it is
# root-only on most PCs: a root and a user run must get one id), and the CPU identity
# per core type (not its MHz, flags or microcode, which change under a running system).
gm_host_inputs() {
	gm_r=${GM_SYSROOT:-}
	for gm_f in "$gm_r/etc/machine-id" "$gm_r/var/lib/dbus/machine-id"; do
		gm_v=$(tr -d ' \n' 2>/dev/null <"$gm_f" || true)
		case $gm_v in ''|uninitialized) continue ;; esac
		echo "machine-id=$gm_v"
		break
	done
	gm_v=$( { tr -d '\0' <"$gm_r/proc/device-tree/serial-number"; } 2>/dev/null || true)
	if [ -n "$gm_v" ]; then
		echo "board-serial=$gm_v"
	elif gm_v=$(cat "$gm_r/sys/class/dmi/id/product_uuid" 2>/dev/null) && [ -n "$gm_v" ] &&
		case $(stat -Lc %A "$gm_r/sys/class/dmi/id/product_uuid" 2>/dev/null) in ???????r*) true ;; *) false ;; esac; then
		case $gm_v in *[1-9a-eA-E]*) echo "dmi-product-uuid=$gm_v" ;; esac   # all 0s or Fs: a placeholder
	fi
	awk -F'\t*: *' '
		function out() { if (k != "") print "cpu=" k; k = "" }
		/^processor[ \t]*:/ { out(); next }
		/^(vendor_id|cpu family|model|stepping|model name|CPU implementer|CPU variant|CPU part|CPU revision)[ \t]*:/ {
			k = k (k == "" ? "" : "; ") $1 " " $2 }
		END { out() }' "$gm_r/proc/cpuinfo" 2>/dev/null | sort -u
}
# gm_host_fingerprint: 8 hex digits of a SHA-256 over the inputs (salted, so the id tells
# nothing about the machine-id, which must not be published in clear); a missing input
# is said on stderr, never an empty fingerprint
gm_host_fingerprint() {
	gm_in=$(gm_host_inputs)
	case $gm_in in *machine-id=*) ;; *)
		echo "hostid: no machine-id (/etc/machine-id, /var/lib/dbus/machine-id): the id's fingerprint comes from $(
			case $gm_in in *board-serial=*|*dmi-product-uuid=*) echo "the board's serial and the CPU" ;; *cpu=*) echo "the CPU alone" ;;
			*) echo "nothing (no serial, no /proc/cpuinfo either)" ;; esac
		): two alike machines with one hostname share it (systemd-machine-id-setup makes one)" >&2 ;;
	esac
	case $gm_in in *cpu=*) ;; *) echo "hostid: /proc/cpuinfo unreadable: no CPU identity in the fingerprint" >&2 ;; esac
	printf 'gmbench host id 1\n%s\n' "$gm_in" | sha256sum | cut -c1-8
}
gm_hostid() { # ARCH [RUN]
	# RUN non-empty (an emulator prefix) marks emulated runs, which never mix with hardware
	gm_id="$(gm_host_readable "$1")-$(gm_host_fingerprint)"
	[ -n "${2:-}" ] && gm_id="$gm_id-qemu"
	echo "$gm_id"
}
gm_hostid_of() { # HOSTNAME MODEL ARCH FINGERPRINT: another machine's id from what it told us
	# (scripts/remote/ reads a board's hostname, model and gm_host_fingerprint over SSH)
	gm_h=${1:-host}
	[ -n "$2" ] && gm_h="$gm_h-$2"
	printf '%s-%s\n' "$(printf '%s-%s' "$gm_h" "$3" | tr -c 'A-Za-z0-9._-' '-' | sed 's/--*/-/g; s/-$//')" "${4:-nofingerprint}"
}
gm_hostid_legacy() { # ARCH [RUN]: the id before the fingerprint (issue 23): the readable part alone
	gm_id=$(gm_host_readable "$1")
	[ -n "${2:-}" ] && gm_id="$gm_id-qemu"
	echo "$gm_id"
}
