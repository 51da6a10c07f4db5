#!/bin/bash
# scripts/remote/run.sh bench|test|compare|probe — make bench|test|compare HOST=user@host[:port]:
# built here, run on the board over SSH, judged here (docs/remote.md).
#
# Environment (make passes it): HOST, SSH_OPTS (e.g. "-i ~/.ssh/board"), ARCH when given
# (checked against the board's), REMOTE_DIR (the board's folder for runs, default
# .cache/gmbench-remote under the login's home), MAKE, O, and the target's own variables
# (FILTER QUICK REPS LABEL RESULTS CPU for bench; those of make compare).
#
#   probe    print the board's port (amd64, arm or arm64) and what was read to decide it
#   bench    build the board's port here, copy the binaries, run scripts/bench.sh with
#            GM_EXEC=scripts/remote/exec.sh (gmbench, its machine record and the latency
#            pass run on the board; the report and plots are made here), filed under
#            RESULTS/<the board's host id>/ like a local run
#   test     the port's tests built here, run there; ends with "N passed, N failed"
#   compare  make compare with its pairing (or gmbench) runs on the board
#
# One SSH connection per run (a control master), a fresh folder on the board per run,
# removed at the end; a folder left by a run that died is removed by the next one.
set -uo pipefail
GM_PROG=remote GM_DIE_STATUS=1 GM_ERROR_WORD=1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/ssh.sh"
cd "$here/../.." || exit 1
what=${1:-}
case $what in bench|test|compare|probe) ;; *) die "usage: run.sh bench|test|compare|probe (HOST=user@host[:port])" ;; esac
: "${HOST:?HOST=user@host[:port]}"
MAKE=${MAKE:-make}
O=${O:-build}
export GM_REMOTE_OPTS=${SSH_OPTS:-}
rm_parse "$HOST"
root=${REMOTE_DIR:-.cache/gmbench-remote}

# ---------------------------------------------------------------- the connection
ctl=$(mktemp -d "${TMPDIR:-/tmp}/gm-ssh.XXXXXX") || die "mktemp failed"
export GM_REMOTE_CTL=$ctl/c
rdir=""
close() {
	if [ -n "$rdir" ]; then
		rm_ssh "rm -rf $(rm_quote "$rdir")" </dev/null >/dev/null 2>&1 || say "could not remove $rdir on the board"
	fi
	rm_ssh -O exit >/dev/null 2>&1
	rm -rf "$ctl"
}
gm_on_exit close
# ControlPersist: the master outlives idle stretches (the builds here between runs
# there) and still leaves by itself, an hour after its last use, if this script is
# killed outright; without it each ssh below would connect anew
rm_ssh -f -N -o ControlMaster=yes -o ControlPersist=3600 2>"$ctl/err" </dev/null || rm_fail "$ctl/err" "connecting"

# ---------------------------------------------------------------- what the board is
# The userland decides the port (as gm_hostarch does here): the ELF class and machine
# of the board's /bin/sh, with the kernel's uname -m and getconf LONG_BIT beside it.
# The board's host id is made here from its hostname, model and fingerprint; the
# fingerprint's functions (scripts/lib.sh) run there, on its own files.
probe=$( { sed -n '/^gm_host_inputs() {/,/^}/p; /^gm_host_fingerprint() {/,/^}/p' "$here/../lib.sh"
	cat <<'PROBE'
echo "fingerprint=$(gm_host_fingerprint 2>/dev/null)"
echo "uname=$(uname -m)"
echo "kernel=$(uname -sr)"
echo "longbit=$(getconf LONG_BIT 2>/dev/null)"
echo "elfclass=$(od -An -tx1 -j4 -N1 /bin/sh 2>/dev/null | tr -d ' ')"
echo "elfmachine=$(od -An -tx1 -j18 -N1 /bin/sh 2>/dev/null | tr -d ' ')"
echo "hostname=$(hostname 2>/dev/null || uname -n)"
echo "model=$( { tr -d '\0' </proc/device-tree/model; } 2>/dev/null)"
echo "paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)"
echo "bootid=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
for c in tar sha256sum od df find mktemp; do command -v $c >/dev/null 2>&1 || echo "missing=$c"; done
PROBE
	} | rm_ssh 'sh -s' 2>"$ctl/err") || rm_fail "$ctl/err" "reading the board's machine"
val() { printf '%s\n' "$probe" | sed -n "s/^$1=//p" | sed -n 1p; }
missing=$(printf '%s\n' "$probe" | sed -n 's/^missing=//p' | tr '\n' ' ')
[ -z "$missing" ] || die "the board lacks $missing(needed to copy and check files): apt-get install coreutils tar findutils"
uname_m=$(val uname) longbit=$(val longbit) class=$(val elfclass) mach=$(val elfmachine)
case $class:$mach in
02:3e) barch=amd64 bits="ELF64 x86-64" ;;
02:b7) barch=arm64 bits="ELF64 AArch64" ;;
01:28) barch=arm bits="ELF32 ARM" ;;
*) barch="" bits="ELF class $class machine 0x$mach" ;;
esac
case $uname_m in
x86_64) kok=amd64 ;;
aarch64|arm64) kok="arm64 arm" ;;
armv7*|armv8l) kok=arm ;;
*) kok="" ;;
esac
if [ -z "$barch" ] || [ -z "$kok" ] || [[ " $kok " != *" $barch "* ]]; then
	die "unknown arch on $GM_REMOTE_TARGET: uname -m says '$uname_m', /bin/sh is $bits, getconf LONG_BIT ${longbit:-?}: gmbench has ports for x86_64 (amd64), aarch64 (arm64) and 32-bit ARMv7 userlands (arm)"
fi
note=""
if [ "$barch" = arm ] && [ "$uname_m" != "${uname_m#aarch64}" ]; then
	note=" (a 32-bit userland on a 64-bit kernel: the arm port, as on Raspberry Pi OS 32-bit)"
fi
if [ -n "${ARCH:-}" ] && [ "$ARCH" != "$barch" ]; then
	die "wrong arch: $GM_REMOTE_TARGET runs the $barch port (uname -m $uname_m, /bin/sh $bits)$note, not ARCH=$ARCH: leave ARCH= out, or name the right board"
fi
export GM_REMOTE_BOOT=$(val bootid)
hostid=$(gm_hostid_of "$(val hostname)" "$(val model)" "$barch" "$(val fingerprint)")
say "board $GM_REMOTE_TARGET:$GM_REMOTE_PORT: $(val hostname)$( [ -n "$(val model)" ] && echo " ($(val model))"), $(val kernel) $uname_m, userland $bits, getconf LONG_BIT ${longbit:-?}: ARCH=$barch$note"
if [ "$what" = probe ]; then echo "$barch"; exit 0; fi

# ---------------------------------------------------------------- the run's folder on the board
# Folders of earlier runs from this machine whose process is gone are removed first: a
# rerun starts clean. The name carries this machine and the pid that owns it.
me=$(hostname 2>/dev/null | tr -d '\n' | tr -c 'A-Za-z0-9.-' '-')
old=$(rm_ssh "ls -1 $(rm_quote "$root") 2>/dev/null" </dev/null) || true
rdir=$(rm_ssh "mkdir -p $(rm_quote "$root") && mktemp -d $(rm_quote "$root/run-$me-$$-XXXXXX")" </dev/null 2>"$ctl/err") ||
	rm_fail "$ctl/err" "creating the run's folder"
export GM_REMOTE_DIR=$rdir
# GOVERNOR=: the old governors are saved in the run's folder on the board, so a run that
# lost its connection before restoring them leaves them where the next run finds them
export GM_GOVERNOR_SAVE=$rdir/governor.save
for d in $old; do
	case $d in "run-$me-"*) ;; *) continue ;; esac
	pid=${d#run-"$me"-}; pid=${pid%%-*}
	kill -0 "$pid" 2>/dev/null && continue
	if rm_ssh "test -s $(rm_quote "$root/$d/governor.save")" </dev/null 2>/dev/null; then
		say "$root/$d on the board: a run that did not finish left governors set ($(rm_ssh "tr '\n' ' ' <$(rm_quote "$root/$d/governor.save")" </dev/null)); putting them back"
		"$here/exec.sh" scripts/governor.sh restore "$root/$d/governor.save" || say "could not put them back (see above)"
	fi
	say "removing $root/$d on the board (left by a run that did not finish)"
	rm_ssh "rm -rf $(rm_quote "$root/$d")" </dev/null || true
done

# What the board's loader must find for a program built here: its NEEDED libraries,
# each named with the Debian package that has it.
check_libs() { # PROG...
	needed=$(for p; do rm_libs "$p" | sed -n 's/^sys //p'; done | sort -u | tr '\n' ' ')
	[ -n "$needed" ] || return 0
	lacking=$(rm_ssh 'sh -s' 2>/dev/null <<EOF
for l in $needed; do
	{ /sbin/ldconfig -p || ldconfig -p; } 2>/dev/null | grep -q "^[[:space:]]*\$l " && continue  # pipe-ok: run by the board's sh, no pipefail
	for d in /lib /usr/lib /lib/*-linux-gnu* /usr/lib/*-linux-gnu* /lib64 /usr/lib64; do [ -e "\$d/\$l" ] && continue 2; done
	echo "\$l"
done
EOF
) || true
	[ -z "$lacking" ] && return 0
	pkgs=$(for l in $lacking; do gm_lib_package "$l"; done | sort -u | tr '\n' ' ')
	die "the board lacks $(echo $lacking) at run time: apt-get install $pkgs"
}
case $(val paranoid) in
3|4) say "the board's kernel.perf_event_paranoid is $(val paranoid): the perf counter backends will be refused (sysctl -w kernel.perf_event_paranoid=2 allows user-space counting; the machine record says which backend was used)" ;;
esac

build() { # TARGETS... for the board's port, here
	say "building ARCH=$barch here: make $*"
	$MAKE --no-print-directory ARCH="$barch" O="$O" "$@" >"$O/remote-build-$barch.log" 2>&1 ||
		{ tail -n 20 "$O/remote-build-$barch.log" >&2; die "make ARCH=$barch $* failed here (log: $O/remote-build-$barch.log)"; }
}
makevar() { $MAKE -s --no-print-directory ARCH="$barch" O="$O" "print-$1"; }
mkdir -p "$O"
B=$O/$barch

case $what in
bench)
	# GOVERNOR=: scripts/governor.sh runs on the board (through exec.sh), set before and
	# restored after each run there
	export GM_GOVERNOR_ROOT_HINT="log in to the board as root (HOST=root@${HOST#*@})"
	export GM_REMOTE_ENV_EXTRA="GM_GOVERNOR_ROOT_HINT ${GM_REMOTE_ENV_EXTRA:-}"
	if [ "${PEERS:-0}" = 1 ]; then
		# the C peers in gmbench (GM_PEERS=1, passed on by exec.sh) and the real-Go test
		# binary, cross-built here (scripts/peers-go.sh) and run there by scripts/peers.sh
		build PEERS=1 deps bench-build peers-build
		export GM_PEERS=1 PEERS_GO_TEST=$(makevar PEERS_GO_TEST)
		[ ! -x "$PEERS_GO_TEST" ] || check_libs "$PEERS_GO_TEST"
	else
		build deps bench-build
	fi
	build PROBES=1 bench-build
	check_libs "$B/bin/gmbench" "$O/$barch-probes/bin/gmbench"
	[ "${GM_NOPLOTS:-0}" = 1 ] || scripts/deps.sh gnuplot || say "continuing without plots"
	BIN=$B/bin/gmbench PROBES_BIN=$O/$barch-probes/bin/gmbench GM=$O/host/bin/gm ARCH=$barch RUN="" \
		GM_EXEC="$here/exec.sh" GM_HOSTID="$hostid" scripts/bench.sh
	exit $?
	;;
test)
	build deps all
	build PROBES=1 bench-build
	check_libs "$B/tests/test_runtime" "$B/tests/test_counter" "$O/$barch-probes/bin/gmbench"
	log=$O/remote-test-$barch.log
	: >"$log"
	say "running the $barch tests on the board (log: $log)"
	# the port's own tests, each a program that prints ok / not ok lines
	for t in "$B/tests/test_runtime" "$B/tests/test_counter"; do
		"$here/exec.sh" "$t" 2>&1 | tee -a "$log" | grep -E '^(ok|not ok|unavailable) - '
		rc=${PIPESTATUS[0]}
		[ "$rc" = 0 ] || echo "not ok - $(basename "$t") on the board exited $rc" | tee -a "$log"
	done
	ARCH=$barch OBJ=$B/obj/$(makevar PORT) \
		BIN=$O/$barch-probes/bin/gmbench RUN="$here/exec.sh" NM="$(makevar CROSS_COMPILE)nm" tests/probes/run.sh 2>&1 | tee -a "$log" |
		grep -E '^(ok|not ok|unavailable) - '
	p=$(grep -c '^ok - ' "$log") f=$(grep -c '^not ok - ' "$log")
	echo "$p passed, $f failed (run on $GM_REMOTE_TARGET: ARCH=$barch, kernel $(val kernel))"
	[ "$f" = 0 ] && [ "$p" -gt 0 ]
	exit $?
	;;
compare)
	# timing by default (a foreign ARCH here means count under QEMU); RUN= empty: the board is hardware
	GM_PAIR_EXEC="$here/exec.sh" GM_HOSTID="$hostid" $MAKE --no-print-directory HOST= RUN= \
		MODE="${MODE:-timing}" ARCH="$barch" O="$O" compare
	exit $?
	;;
esac
