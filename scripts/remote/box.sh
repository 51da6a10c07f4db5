#!/bin/bash
# scripts/remote/box.sh — make test-remote ARCH=arm64|arm: HOST= against the board in a
# box.  Boots Debian's arm64 kernel under qemu-system (TCG) with the ARCH userland
# (ARCH=arm: armhf on the arm64 kernel, as Raspberry Pi OS 32-bit), its sshd reached
# through QEMU's user-mode network on 127.0.0.1:<port> with a key made for this run, then
# runs `make test HOST=root@127.0.0.1:<port>`, `make bench QUICK=1 HOST=...` and a real LAVA
# ssh job running the port's board kit (make lava-ssh), shuts the guest down and ends with
# "N passed, N failed".
#
# Environment: ARCH, O, MAKE, BOARD_RELEASE, FILTER (make bench's; default asmcgocall's
# variants: a TCG guest is slow), BOOT_TIMEOUT (s, default 1200), RESULTS (default $O/remote-box-results)
set -uo pipefail
GM_PROG=test-remote GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
cd "$here/../.." || exit 1
ARCH=${ARCH:?} O=${O:-build} MAKE=${MAKE:-make} RELEASE=${BOARD_RELEASE:-bookworm}
RESULTS=${RESULTS:-$O/remote-box-results}
FILTER=${FILTER-^cgocall/asmcgocall/}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1200}
case $ARCH in arm64) debarch=arm64 ;; arm) debarch=armhf ;; *) die "ARCH=$ARCH: use arm64 or arm" ;; esac
pass=0 fail=0
t() { # NAME RC
	if [ "$2" = 0 ]; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
secs() { echo $(( $(date +%s) - $1 ))s; }

t0=$(date +%s)
# the run-time image (BOARD_PROFILE=remote): no compiler on this board, nothing built
# there; ARCH=arm's armhf userland needs no kernel of its own (the arm64 image's boots it)
for a in $(printf '%s\n' arm64 "$debarch" | sort -u); do
	k=; [ "$a" = arm64 ] || k=none
	BOARD_KERNEL=$k BOARD_PROFILE=remote BOARD_RELEASE=$RELEASE scripts/board/image.sh "$a" "$O/board/$RELEASE/$a-remote" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" = 0 ] || { t "the $a image (log: $O/board/$RELEASE/$a-remote/build.log)" 1; finish; }
done
say "images ready ($(secs "$t0"))"
kdir=$O/board/$RELEASE/arm64-remote rdir=$O/board/$RELEASE/$debarch-remote

# ---- this run's key, known_hosts and share; the guest's job
run=$(mkdir -p "$O/remote-box" && mktemp -d "$(cd "$O/remote-box" && pwd)/$ARCH.XXXXXX")
share=$run/share
mkdir -p "$share/out"
ssh-keygen -q -t ed25519 -N '' -C "gmbench test-remote $ARCH" -f "$run/key" || die "ssh-keygen failed"
cp "$run/key.pub" "$share/authorized_keys"
# user-mode networking: the guest is 10.0.2.15, QEMU's gateway 10.0.2.2; the host's port
# forward listens on 127.0.0.1 only; romfile= empty: no PXE ROM (Debian's qemu-system-arm
# does not ship efi-virtio.rom, and the guest boots its kernel directly)
cat >"$share/job.sh" <<'EOF'
out=/mnt/host/out
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 ||
	echo "net failed: $(ip -o link | tr '\n' ' ')" >>$out/job.log
mkdir -p /root/.ssh /run/sshd && install -m 600 /mnt/host/authorized_keys /root/.ssh/authorized_keys
ssh-keygen -A >>$out/job.log 2>&1
/usr/sbin/sshd -E /tmp/sshd.log >>$out/job.log 2>&1 && echo ready >$out/ready || echo "sshd failed" >>$out/job.log
while [ ! -f /mnt/host/stop ]; do sleep 2; done
cat /tmp/sshd.log >>$out/job.log 2>/dev/null
EOF
port=""
for i in 1 2 3 4 5 6 7 8; do
	p=$(( 20000 + (RANDOM * 7 + i) % 40000 ))
	(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { port=$p; break; }
done
[ -n "$port" ] || die "no free port on 127.0.0.1"
qemu_args=(-M virt -cpu max,pauth-impdef=on -smp 2 -m 2G -kernel "$kdir/vmlinuz" -initrd "$kdir/initrd.img"
	-drive "file=$rdir/root.img,format=raw,if=virtio,snapshot=on"
	-virtfs "local,path=$share,mount_tag=host,security_model=none,id=host"
	-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:22" -device "virtio-net-pci,netdev=n0,romfile="
	-display none -monitor none -serial "file:$run/console.log" -no-reboot
	-append "console=ttyAMA0 root=/dev/vda rw init=/sbin/gm-board-init panic=-1 loglevel=4 net.ifnames=0")
qpid=""
stop_guest() {
	[ -n "$qpid" ] || return 0
	touch "$share/stop"
	for _ in $(seq 1 60); do kill -0 "$qpid" 2>/dev/null || break; sleep 1; done
	kill "$qpid" 2>/dev/null && say "the guest did not power off in 60 s: stopped"
	wait "$qpid" 2>/dev/null
	qpid=""
}
gm_on_exit stop_guest
tb=$(date +%s)
say "booting: qemu-system-aarch64, Debian's arm64 kernel, $debarch userland, sshd on 127.0.0.1:$port (console: $run/console.log)"
nice -n 10 qemu-system-aarch64 "${qemu_args[@]}" >"$run/qemu.log" 2>&1 &
qpid=$!
while [ ! -f "$share/out/ready" ] && kill -0 "$qpid" 2>/dev/null && [ $(( $(date +%s) - tb )) -lt "$BOOT_TIMEOUT" ]; do sleep 3; done
if [ ! -f "$share/out/ready" ]; then
	t "boot and sshd up in ${BOOT_TIMEOUT}s: $(tail -n 3 "$share/out/job.log" "$run/console.log" 2>/dev/null | tr '\n' ' ' | cut -c1-300)" 1
	finish
fi
t "boot and sshd up ($(secs "$tb"))" 0

HOST=root@127.0.0.1:$port
SSH_OPTS="-i $run/key -o UserKnownHostsFile=$run/known_hosts"
ts=$(date +%s)
$MAKE --no-print-directory test HOST="$HOST" SSH_OPTS="$SSH_OPTS" O="$O" 2>&1 | tee "$run/test.log" | sed 's/^/  /'
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$run/test.log" | tail -n 1)
t "make test HOST=$HOST ($(secs "$ts")): ${line:-no summary line}" "$rc"
ts=$(date +%s)
$MAKE --no-print-directory bench HOST="$HOST" SSH_OPTS="$SSH_OPTS" O="$O" QUICK=1 FILTER="$FILTER" RESULTS="$RESULTS" \
	2>&1 | tee "$run/bench.log" | sed 's/^/  /'
rc=${PIPESTATUS[0]}
t "make bench QUICK=1 FILTER='$FILTER' HOST=$HOST ($(secs "$ts"))" "$rc"
if [ "$rc" = 0 ]; then
	d=$(sed -n 's/^bench: results in \([^ ]*\) .*/\1/p' "$run/bench.log" | tail -n 1)
	grep -q '"gm_emulated": "emulated system' "$d/context.json" 2>/dev/null
	t "the run ($d) is labelled emulated-system (taken on the guest)" $?
fi
# LAVA's ssh device type on the same guest: a real job under lava-run (no lab) that runs
# the board kit, the runner make bench HOST= used above, with nothing built there
ts=$(date +%s)
HOST="$HOST" SSH_KEY="$run/key" O="$O" MAKE="$MAKE" FILTER="$FILTER" lava/host/ssh-job.sh 2>&1 | tee "$run/lava.log" | sed 's/^/  /'
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$run/lava.log" | tail -n 1)
t "make lava-ssh HOST=$HOST: a LAVA ssh job ran the $ARCH kit ($(secs "$ts")): ${line:-no summary line}" "$rc"
ts=$(date +%s)
stop_guest
t "shut down ($(secs "$ts")); whole run $(secs "$t0")" 0
rm -rf "$run"
finish
