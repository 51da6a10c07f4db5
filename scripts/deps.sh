#!/bin/sh
# scripts/deps.sh NEED... — make sure what a target needs is installed.
#
# NEED is a capability, mapped to Debian packages: cc, cross-arm, cross-arm64, qemu,
# jansson, gnuplot, perf, cmake, pfm, go, boost, valgrind, llvm, git,
# board, lava, ssh, ccache.  Missing packages
# are installed with apt-get when we are root (or through sudo without a password);
# otherwise we stop and print the exact command to run.  Never skips silently.
#
# Right after boot apt is often busy (unattended-upgrades, apt-daily): when another
# process holds apt's or dpkg's lock we say who, wait for it (GM_APT_WAIT seconds, default
# 600), then install; when the wait runs out we stop with a clear error.  apt-get waits
# for the dpkg locks itself (DPkg::Lock::Timeout) but not for the package lists' lock of
# `apt-get update`, so we also watch the locks ourselves (/proc/locks).  Every path is
# asked from apt-config, so APT_CONFIG (tests/deps/run.sh: a scratch apt root) moves them
# all together.
set -eu
GM_PROG=deps
. "$(dirname "$0")/lib.sh"

wait_s=${GM_APT_WAIT:-600}
case $wait_s in ''|*[!0-9]*) die "GM_APT_WAIT must be a number of seconds" ;; esac

STATUS=/var/lib/dpkg/status LISTS=/var/lib/apt/lists/ ARCHIVES=/var/cache/apt/archives/
if command -v apt-config >/dev/null 2>&1; then
	eval "$(apt-config shell STATUS Dir::State::status/f LISTS Dir::State::lists/d ARCHIVES Dir::Cache::archives/d)"
fi
ADMINDIR=$(dirname "$STATUS")

pkgs=""
add() { for p in "$@"; do dpkg-query --admindir="$ADMINDIR" -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs="$pkgs $p"; done; }

for need in "$@"; do
	case "$need" in
	cc)          add gcc g++ make binutils ;;
	git)         add git ca-certificates ;;
	cross-arm)   add gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libc6-dev-armhf-cross ;;
	cross-arm64) add gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross ;;
	cross-amd64) add gcc-x86-64-linux-gnu g++-x86-64-linux-gnu libc6-dev-amd64-cross ;;
	qemu)        add qemu-user ;;
	jansson)     add libjansson-dev ;;
	gnuplot)     add gnuplot-nox ;;
	perf)        add linux-perf ;;
	cmake)       add cmake dpkg-dev ;;
	pfm)         add libpfm4-dev ;;
	valgrind)    add valgrind ;;
	# llvm: the newest llvm-N the archive offers (Debian 12: llvm-19 and later), whose
	# llvm-mca models more cores (predict.sh uses the newest); Debian's default llvm (14 on
	# Debian 12) only when the archive names no llvm-N
	llvm)        v=$(apt-cache pkgnames llvm- 2>/dev/null | grep -E '^llvm-[0-9]+$' | sort -t- -k2 -n | tail -n1)
	             add "${v:-llvm}" ;;
	go)          add golang-go ;;
	boost)       add libboost-context-dev ;;
	ssh)         add openssh-client openssh-server ;;
	ccache)      add ccache ;;
	board)       add qemu-system-arm mmdebstrap arch-test device-tree-compiler e2fsprogs ;;
	lava)        add lava-dispatcher u-boot-tools android-sdk-libsparse-utils fastboot openssh-client python3-jinja2 python3-yaml ;;
	*) echo "deps.sh: unknown need '$need'" >&2; exit 2 ;;
	esac
done

[ -z "$pkgs" ] && exit 0
echo "deps: installing:$pkgs"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	say "missing Debian packages:$pkgs"
	say "run:  sudo apt-get update && sudo apt-get install -y$pkgs"
	exit 1
fi

# The locks apt and dpkg take, in the order they take them.
LOCKS="$ADMINDIR/lock-frontend $ADMINDIR/lock ${LISTS%/}/lock ${ARCHIVES%/}/lock"

# lock_holder: "FILE PID (NAME)" for the first lock another process holds, or nothing.
# apt and dpkg use fcntl (POSIX) locks; /proc/locks names them by device and inode.
lock_holder() {
	for f in $LOCKS; do
		[ -e "$f" ] || continue
		set -- $(stat -L -c '%d %i' "$f" 2>/dev/null) || continue
		[ $# = 2 ] || continue
		id=$(printf '%02x:%02x:%s' $((($1 >> 8) & 0xfff)) $((($1 & 0xff) | (($1 >> 12) & 0xfff00))) "$2")
		pid=$(awk -v id="$id" '$2 != "->" && ($2 == "POSIX" || $2 == "OFDLCK") && $6 == id { print $5; exit }' /proc/locks 2>/dev/null)
		[ -n "$pid" ] || continue
		if [ "$pid" -gt 0 ] 2>/dev/null; then
			echo "$f, held by process $pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo '?'))"
		else
			echo "$f, held by another process"
		fi
		return 0
	done
}

start=$(date +%s)
deadline=$((start + wait_s))
left() { l=$((deadline - $(date +%s))); [ "$l" -gt 0 ] || l=0; echo "$l"; }

give_up() { # what
	say "gave up after $(($(date +%s) - start)) s: $1."
	echo "deps: another package manager (often unattended-upgrades right after boot) is still running;" \
	     "let it finish, or wait longer with GM_APT_WAIT=<seconds> (now $wait_s), then run make again." >&2
	exit 1
}

# wait_locks: return once no lock is held; stop with an error when the wait runs out.
wait_locks() {
	said=0 next=0
	while h=$(lock_holder); [ -n "$h" ]; do
		now=$(date +%s)
		[ "$now" -lt "$deadline" ] || give_up "$h"
		if [ "$said" = 0 ]; then
			echo "deps: apt/dpkg is busy: waiting up to $((deadline - now)) s for $h" \
			     "(GM_APT_WAIT=<seconds> sets the limit)"
			said=1 next=$((now + 30))
		elif [ "$now" -ge "$next" ]; then
			echo "deps: still waiting ($((now - start)) s) for $h"
			next=$((now + 30))
		fi
		sleep 1
	done
	if [ "$said" = 1 ]; then echo "deps: the lock is free after $(($(date +%s) - start)) s; going on"; fi
}

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# apt_get ARGS: apt-get with what is left of the wait for the dpkg locks (apt waits for
# those itself, which covers a process that takes them between our check and apt's);
# its errors are shown, and kept in $err to tell a lock from other failures.
apt_get() {
	set -- env LC_ALL=C DEBIAN_FRONTEND=noninteractive ${APT_CONFIG:+"APT_CONFIG=$APT_CONFIG"} \
		apt-get -o "DPkg::Lock::Timeout=$(left)" "$@"
	rc=0
	$SUDO "$@" >/dev/null 2>"$err" || rc=$?
	cat "$err" >&2
	return "$rc"
}
lock_error() { grep -Eq 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock' "$err"; }
# apt_get_waiting ARGS: apt-get, waiting again while another process wins the lock
apt_get_waiting() {
	while :; do
		wait_locks
		apt_get "$@" && return 0
		lock_error || return 1
		[ "$(left)" -gt 0 ] || give_up "apt-get $1 could not get apt's lock"
		sleep 1
	done
}

# apt-get update once per machine-day: a missing or stale list makes install fail.
if [ -z "$(find "$LISTS" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
	apt_get_waiting update -qq || true
fi
if ! apt_get_waiting install -y -qq --no-install-recommends $pkgs; then
	apt_get_waiting update -qq
	apt_get_waiting install -y -qq --no-install-recommends $pkgs || {
		say "apt-get install$pkgs failed (apt's message above)"; exit 1; }
fi
