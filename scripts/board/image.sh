#!/bin/sh
# scripts/board/image.sh DEBARCH OUTDIR — the kernel, initrd and ext4 root image of a
# gmbench "board in a box" (make board-image calls it; make board uses the result).
#
#   DEBARCH  arm64 (kernel linux-image-arm64) or armhf (kernel linux-image-armmp-lpae)
#   OUTDIR   e.g. build/board/bookworm/arm64; on success it holds
#              vmlinuz     the Debian kernel
#              initrd.img  a small initramfs (MODULES=list: virtio, ext4, 9p only)
#              root.img    raw ext4 root file system (boot it with -snapshot: it stays clean)
#              manifest.txt  release, mirror, kernel, every package with its version
#              .stamp      the recipe hash; a changed recipe rebuilds
#
# Only Debian packages: mmdebstrap builds the root file system for the foreign
# architecture; its maintainer scripts run under qemu-user-static (taken with
# `apt-get download` + `dpkg -x`, never installed) registered in a private binfmt_misc
# (scripts/board/nsrun.sh), so the host's binfmt setup is untouched.  mke2fs -d makes
# the image without a loop mount.  Must run as root (the namespace maps uids 1:1).
#
# Environment: BOARD_RELEASE (default bookworm), BOARD_MIRROR (default
# http://deb.debian.org/debian), BOARD_TOOLS (where qemu-user-static is unpacked,
# default OUTDIR/../tools), BOARD_EXTRA_PACKAGES (added to the list), BOARD_PROFILE
# (full, the default; remote: the run-time image of make test-remote), BOARD_KERNEL=none
# (a userland only, no kernel nor initrd: ARCH=arm's armhf root on the arm64 kernel of
# make test-remote, whose initrd loads what the virt machine needs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
GM_PROG=board-image GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
. "$(dirname "$0")/../lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 arm64|armhf OUTDIR" >&2; exit 2; }
DEBARCH=$1
OUT=$2
RELEASE=${BOARD_RELEASE:-bookworm}
MIRROR=${BOARD_MIRROR:-http://deb.debian.org/debian}
case $DEBARCH in
arm64) KPKG=linux-image-arm64 QEMU_CPU=aarch64 ;;
armhf) KPKG=linux-image-armmp-lpae QEMU_CPU=arm ;;
*) die "DEBARCH=$DEBARCH: use arm64 or armhf" ;;
esac
for c in mmdebstrap arch-test mke2fs unshare dpkg-deb apt-get flock; do
	command -v "$c" >/dev/null 2>&1 || die "$c not found (make board-deps installs: qemu-system-arm mmdebstrap arch-test device-tree-compiler e2fsprogs)"
done

# What the image must hold so that the README's commands run natively with no network:
# `make test` (build, pathlen under qemu-user, predict with llvm-mca, the peers with Go
# and Boost, gnuplot) and `make bench` (Google Benchmark is built from its Debian source,
# which make board copies in), plus perf and what the init and the job use; openssh-server
# and virtio_net for make test-remote (the guest as a board reached over SSH).
PACKAGES="$KPKG initramfs-tools kmod
gcc g++ make binutils libc6-dev libjansson-dev cmake dpkg-dev libpfm4-dev git
gnuplot-nox linux-perf valgrind golang-go llvm qemu-user libboost-context-dev
mount iproute2 procps psmisc xz-utils file openssh-server ${BOARD_EXTRA_PACKAGES:-}"
# BOARD_PROFILE=remote (make test-remote): a board that builds nothing, only what the
# programs built elsewhere need at run time and the SSH server that receives them
if [ "${BOARD_PROFILE:-full}" = remote ]; then
	PACKAGES="$KPKG initramfs-tools kmod mount iproute2 procps openssh-server libstdc++6 libpfm4 ${BOARD_EXTRA_PACKAGES:-}"
fi
# no kernel: the kernel package and its initramfs are most of the time under qemu-user
NOKERNEL=0
if [ "${BOARD_KERNEL:-}" = none ]; then
	NOKERNEL=1
	PACKAGES=$(echo " $PACKAGES " | sed "s/ $KPKG / /; s/ initramfs-tools / /; s/ kmod / /")
fi
PACKAGES=$(echo $PACKAGES | tr ' ' ',')

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 8>"$OUT/.lock"
flock -n 8 || { say "another build of $OUT is running; waiting"; flock 8; }
work=$OUT/.partial
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
trap 'echo "board-image: interrupted; nothing was kept" >&2; exit 130' INT TERM HUP

# Hooks as files (mmdebstrap runs an executable hook with the root folder as $1).
cat >"$work/essential-hook" <<'HOOK'
#!/bin/sh
# Before the kernel is installed: a small initramfs.  Debian's default (MODULES=most)
# copies every module and takes ~26 min under emulation; list only what the virt
# machine needs to mount its root and the 9p share, and load those at boot.
set -e
mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
echo MODULES=list >"$1/etc/initramfs-tools/conf.d/gm-board"
cat >"$1/etc/initramfs-tools/hooks/gm-board" <<'EOF'
#!/bin/sh
case $1 in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
for m in virtio_pci virtio_mmio virtio_blk virtio_console virtio_net ext4 crc32c_generic 9pnet_virtio 9p; do
	force_load $m
done
EOF
chmod 755 "$1/etc/initramfs-tools/hooks/gm-board"
HOOK
cp "$here/guest-init.sh" "$work/gm-board-init"
cat >"$work/customize-hook" <<HOOK
#!/bin/sh
set -e
install -m 755 "\$(dirname "\$0")/gm-board-init" "\$1/sbin/gm-board-init"
echo gmboard-$DEBARCH >"\$1/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tgmboard-$DEBARCH\n' >"\$1/etc/hosts"
printf '/dev/vda / ext4 rw,relatime 0 1\n' >"\$1/etc/fstab"
# no network in the guest: apt must not try; deps.sh finds everything installed
rm -f "\$1/etc/apt/sources.list" "\$1"/etc/apt/sources.list.d/*
HOOK
chmod 755 "$work/essential-hook" "$work/customize-hook" "$work/gm-board-init"

# The recipe: what goes into the image.  A change in it rebuilds the image; a change
# elsewhere (comments, messages) does not.
recipe=$( { echo "$RELEASE $MIRROR $DEBARCH $PACKAGES"; [ "$NOKERNEL" = 0 ] || echo nokernel; cat "$work/essential-hook" "$work/customize-hook" "$work/gm-board-init"; } |
	sha256sum | cut -c1-16)
outputs="vmlinuz initrd.img root.img manifest.txt"
[ "$NOKERNEL" = 0 ] || outputs="root.img manifest.txt"
show() {
	say "$DEBARCH ($RELEASE) artefacts:"
	for f in $outputs; do echo "  $f: $OUT/$f"; done
	echo "  kernel: $(sed -n 's/^kernel: //p' "$OUT/manifest.txt")"
}
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$recipe" ] && [ -s "$OUT/root.img" ]; then
	say "$DEBARCH: cached (recipe $recipe)"
	show
	rm -rf "$work"
	exit 0
fi
# building (not using a cached image) needs root
[ "$(id -u)" = 0 ] || die "building the image must run as root (the build namespace maps uids 0..65535 1:1): sudo make board-image ARCH=..., then make board works as a user"
[ -f "$OUT/.stamp" ] && say "$DEBARCH: the recipe changed ($(cat "$OUT/.stamp") -> $recipe): rebuilding"
rm -f "$OUT/.stamp"

# ---------------------------------------------------------------- qemu-user-static
TOOLS=${BOARD_TOOLS:-$(dirname "$OUT")/tools}
QUS=$TOOLS/qemu-user-static
if [ ! -x "$QUS/usr/bin/qemu-$QEMU_CPU-static" ]; then
	say "fetching qemu-user-static with apt-get download (unpacked, not installed)"
	rm -rf "$QUS" "$TOOLS/dl" && mkdir -p "$TOOLS/dl"
	(cd "$TOOLS/dl" && apt-get -q download qemu-user-static >/dev/null 2>&1) ||
		{ apt-get -q update >/dev/null 2>&1 || true; (cd "$TOOLS/dl" && apt-get -q download qemu-user-static >/dev/null); } ||
		die "apt-get download qemu-user-static failed"
	dpkg -x "$TOOLS"/dl/qemu-user-static_*.deb "$QUS.tmp" && mv "$QUS.tmp" "$QUS"
	basename "$TOOLS"/dl/qemu-user-static_*.deb >"$QUS/VERSION"
	rm -rf "$TOOLS/dl"
fi

# ---------------------------------------------------------------- root file system
log=$OUT/build.log
: >"$log"


security="deb $MIRROR-security $RELEASE-security main"
case $MIRROR in */debian) security="deb ${MIRROR%/debian}/debian-security $RELEASE-security main" ;; esac
run_mmdebstrap() { # extra sources lines...
	rm -rf "$work/root"
	# only fds 0-2 open: dash in a hook fails with "Bad fd number" on inherited fds >= 10
	# (bash closes them: dash itself cannot name an fd >= 10)
	QEMU_USER_DIR=$QUS/usr/bin NSRUN_BINFMT=$DEBARCH bash -c \
		'for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec "$@"' closefds \
			nice -n 10 "$here/nsrun.sh" \
			mmdebstrap --mode=root --arch="$DEBARCH" --variant=apt --include="$PACKAGES" \
			--aptopt='APT::Install-Recommends "false"' \
			--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-include=/usr/share/doc/*/copyright' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			--essential-hook="$work/essential-hook" --customize-hook="$work/customize-hook" \
			"$RELEASE" "$work/root" "deb $MIRROR $RELEASE main" "deb $MIRROR $RELEASE-updates main" "$@" \
		>>"$log" 2>&1
}
t0=$(date +%s)
say "$DEBARCH: [1/3] mmdebstrap $RELEASE ($(echo "$PACKAGES" | tr ',' '\n' | grep -c .) packages and their dependencies; maintainer scripts under qemu-user: ~10-30 min); log: $log"
suites="$RELEASE $RELEASE-updates $RELEASE-security"
if ! run_mmdebstrap "$security"; then
	# Debian's armhf security index was once inconsistent: retry, then go without it
	say "$DEBARCH: mmdebstrap failed (tail of the log below); retrying once, then without $RELEASE-security"
	tail -n 5 "$log" | sed 's/^/    /'
	if ! run_mmdebstrap "$security"; then
		suites="$RELEASE $RELEASE-updates (WITHOUT $RELEASE-security: it failed, see build.log)"
		run_mmdebstrap || die "mmdebstrap failed; see $log"
	fi
fi
t1=$(date +%s)
root=$work/root
if [ "$NOKERNEL" = 0 ]; then
	kimg=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -n "$kimg" ] || die "no kernel in $root/boot"
	kver=${kimg##*/vmlinuz-}
	[ -s "$root/boot/initrd.img-$kver" ] || die "no initrd for $kver (initramfs-tools failed? see $log)"
	cp "$kimg" "$work/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
else
	kver="none (BOARD_KERNEL=none: a userland for another image's kernel)"
fi
[ -x "$root/sbin/gm-board-init" ] || die "the init was not installed"

# ---------------------------------------------------------------- ext4 image
say "$DEBARCH: [2/3] ext4 image with mke2fs -d (no loop mount)"
used_mb=$(du -sm "$root" | cut -f1)
size_mb=$((used_mb + 4096))    # room for make test's and make bench's builds
mke2fs -q -t ext4 -L gmboard -d "$root" "$work/root.img" "${size_mb}M" >>"$log" 2>&1 || die "mke2fs failed; see $log"

# ---------------------------------------------------------------- manifest
say "$DEBARCH: [3/3] manifest"
{
	echo "release: $RELEASE"
	echo "suites: $suites"
	echo "mirror: $MIRROR"
	echo "arch: $DEBARCH"
	echo "kernel: $kver$( [ "$NOKERNEL" = 1 ] || echo " ($KPKG)")"
	echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm), $(mmdebstrap --version 2>/dev/null | head -n1), $(cat "$QUS/VERSION")"
	echo "recipe: $recipe"
	echo "root file system: ${used_mb} MB used, image ${size_mb} MB (sparse)"
	echo "mmdebstrap: $((t1 - t0)) s; total: $(($(date +%s) - t0)) s"
	echo "packages:"
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f '  ${Package} ${Version}\n'
} >"$work/manifest.txt"
for f in $outputs; do mv -f "$work/$f" "$OUT/$f"; done
rm -rf "$work"
trap - EXIT
echo "$recipe" >"$OUT/.stamp"
say "$DEBARCH: built in $(($(date +%s) - t0)) s (mmdebstrap $((t1 - t0)) s)"
show
