#!/bin/sh
# /sbin/gm-board-init — PID 1 of a gmbench board image (scripts/board/image.sh installs
# it; the kernel runs it with init=/sbin/gm-board-init).
#
# It mounts the kernel file systems and the host's 9p share (mount tag "host") on
# /mnt/host, runs /mnt/host/job.sh (written by scripts/board/run.sh for each boot) with
# its output on the console, and powers the machine off.  It knows nothing about jobs,
# so changing what a job does needs no new image.  PID 1 must never exit (the kernel
# would panic), hence the loop at the end.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH HOME=/root TERM=dumb LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /run /tmp /mnt/host
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -o remount,rw / 2>/dev/null
hostname "$(cat /etc/hostname 2>/dev/null || echo gmboard)"
ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null
echo "gm-board-init: $(uname -srm), $(nproc) cpu(s)"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none host /mnt/host; then
	echo "gm-board-init: cannot mount the 9p share 'host' (modules: $(grep -c 9p /proc/modules) 9p loaded)"
elif [ ! -f /mnt/host/job.sh ]; then
	echo "gm-board-init: /mnt/host/job.sh missing: nothing to do"
else
	sh /mnt/host/job.sh </dev/console
	echo "gm-board-init: job exited $?"
fi
sync
umount /mnt/host 2>/dev/null
echo "gm-board-init: powering off"
echo o >/proc/sysrq-trigger
while :; do sleep 60; done
