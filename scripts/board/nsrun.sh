#!/bin/sh
# scripts/board/nsrun.sh CMD... — run CMD as root of a private user + mount + pid
# namespace, uids and gids 0..65535 mapped 1:1, with a binfmt_misc of its own.
#
# Why: a foreign-arch root filesystem (mmdebstrap --arch=arm64 on x86-64) runs its
# maintainer scripts through qemu-user, which needs binfmt_misc.  Since Linux 6.7 each
# user namespace can mount its own binfmt_misc instance, so the registration lives and
# dies with this namespace: the host's binfmt setup is never touched.
#
# Environment: QEMU_USER_DIR (folder holding qemu-aarch64-static, qemu-arm-static);
# NSRUN_BINFMT=arm64,armhf (which to register).  Must be started as root (writing the
# 1:1 uid map of a child namespace needs CAP_SETUID in this one; no newuidmap needed).
set -eu
[ "$(id -u)" = 0 ] || { echo "nsrun: must run as root (maps uids 0..65535 1:1)" >&2; exit 2; }
[ $# -ge 1 ] || { echo "usage: nsrun.sh CMD..." >&2; exit 2; }

if [ "${NSRUN_INSIDE:-}" = 1 ]; then
	# Second stage, inside the namespace: our own binfmt_misc, then the command.
	unset NSRUN_INSIDE
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || {
		echo "nsrun: cannot mount a private binfmt_misc (needs Linux >= 6.7; this is $(uname -r))" >&2; exit 1; }
	elf='\x7f\x45\x4c\x46'
	mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
	for a in $(echo "${NSRUN_BINFMT:-}" | tr ',' ' '); do
		case $a in
		arm64) n=qemu-aarch64; q=qemu-aarch64-static; magic="$elf"'\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00' ;;
		armhf) n=qemu-arm; q=qemu-arm-static; magic="$elf"'\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00' ;;
		*) echo "nsrun: no binfmt for '$a'" >&2; exit 2 ;;
		esac
		[ -x "${QEMU_USER_DIR:?}/$q" ] || { echo "nsrun: $QEMU_USER_DIR/$q missing" >&2; exit 1; }
		# F: the interpreter is opened now, so it is found from inside any chroot.
		# The name is Debian's (qemu-<cpu>): mmdebstrap looks for it and its F flag.
		printf ':%s:M::%s:%s:%s:OPF' "$n" "$magic" "$mask" "$QEMU_USER_DIR/$q" \
			>/proc/sys/fs/binfmt_misc/register
	done
	exec "$@"
fi

fifo=$(mktemp -u "${TMPDIR:-/tmp}/gm-nsrun.XXXXXX")
mkfifo "$fifo"
# The child waits on the fifo until its uid/gid maps are written, then execs again (so
# it gets root's capabilities in the namespace) into the second stage above.
NSRUN_INSIDE=1 unshare --user --mount --pid --fork --mount-proc --propagation private \
	sh -c 'read _ <"$0"; rm -f "$0"; exec "$@"' "$fifo" "$0" "$@" &
pid=$!
me=$(readlink /proc/self/ns/user)
i=0
while [ "$(readlink "/proc/$pid/ns/user" 2>/dev/null || echo "$me")" = "$me" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "nsrun: the namespace did not appear" >&2; kill "$pid" 2>/dev/null; rm -f "$fifo"; exit 1; }
	sleep 0.05
done
echo '0 0 65536' >"/proc/$pid/uid_map"
echo '0 0 65536' >"/proc/$pid/gid_map"
echo go >"$fifo"
wait "$pid"
