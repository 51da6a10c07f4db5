#!/bin/sh
# tests/hostid/run.sh — scripts/hostid.sh on made-up machines (GM_SYSROOT=): one id per
# machine, the same across reboots, a clear fallback when inputs are missing, never an
# empty id, and the old folders found again.  Seconds; reads nothing of this machine.
GM_TEST_PREFIX="hostid/"
. "$(dirname "$0")/../lib.sh"
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
H="$top/scripts/hostid.sh"
T=$(mktemp -d "${TMPDIR:-/tmp}/gmhostid.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

pi4_cpu() { # MHZ: a Raspberry Pi 4's /proc/cpuinfo (4 x Cortex-A72 r0p3)
	for p in 0 1 2 3; do
		printf 'processor\t: %s\nBogoMIPS\t: %s\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\n' "$p" "$1"
		printf 'CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n'
	done
	printf 'Hardware\t: BCM2835\nRevision\t: c03114\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n'
}
epyc_cpu() { # FAMILY MODEL STEPPING MHZ MICROCODE: a 2-vCPU AMD EPYC VM
	for p in 0 1; do
		printf 'processor\t: %s\nvendor_id\t: AuthenticAMD\ncpu family\t: %s\nmodel\t\t: %s\nmodel name\t: AMD EPYC\n' "$p" "$1" "$2"
		printf 'stepping\t: %s\nmicrocode\t: %s\ncpu MHz\t\t: %s\nflags\t\t: fpu vme de pse tsc\nbogomips\t: 5200.00\n\n' "$3" "$5" "$4"
	done
}
# mk ROOT HOSTNAME MACHINE-ID|- MODEL|- : a made-up root (cpuinfo written by the caller)
mk() {
	mkdir -p "$1/etc" "$1/proc/sys/kernel" "$1/proc/sys/kernel/random"
	echo "$2" >"$1/proc/sys/kernel/hostname"
	[ "$3" = - ] || echo "$3" >"$1/etc/machine-id"
	if [ "$4" != - ]; then mkdir -p "$1/proc/device-tree"; printf '%s\0' "$4" >"$1/proc/device-tree/model"; fi
	cat /proc/sys/kernel/random/uuid >"$1/proc/sys/kernel/random/boot_id" 2>/dev/null || echo 1 >"$1/proc/sys/kernel/random/boot_id"
}
id() { GM_SYSROOT=$1 sh "$H" "$2" ${3:+"$3"} 2>"$T/err"; }
wellformed() { printf '%s\n' "$1" | grep -Eq '^[A-Za-z0-9._-]+-[0-9a-f]{8}(-qemu)?$'; }

# ---- two Raspberry Pi 4s with the image's hostname: one folder each
pimodel="Raspberry Pi 4 Model B Rev 1.4"
mk "$T/piA" raspberrypi 0b1c2d3e4f5a69788796a5b4c3d2e1f0 "$pimodel"; pi4_cpu 108.00 >"$T/piA/proc/cpuinfo"
mk "$T/piB" raspberrypi 9f8e7d6c5b4a39281706f5e4d3c2b1a0 "$pimodel"; pi4_cpu 108.00 >"$T/piB/proc/cpuinfo"
a=$(id "$T/piA" arm64) b=$(id "$T/piB" arm64)
check "two Pi 4s called raspberrypi get two ids ($a, $b)" \
	'[ -n "$a" ] && [ "$a" != "$b" ] && wellformed "$a" && wellformed "$b"'
check "the readable part is kept: raspberrypi-Raspberry-Pi-4-Model-B-Rev-1.4-arm64-<fingerprint>" \
	'case $a in raspberrypi-Raspberry-Pi-4-Model-B-Rev-1.4-arm64-????????) true ;; *) false ;; esac'
t "the machine-id is not in the id" "! echo '$a' | grep -q 0b1c2d3e"

# ---- a board serial tells apart two boards that were flashed from one image
mk "$T/piC" raspberrypi 0b1c2d3e4f5a69788796a5b4c3d2e1f0 "$pimodel"; pi4_cpu 108.00 >"$T/piC/proc/cpuinfo"
printf '10000000a1b2c3d4\0' >"$T/piC/proc/device-tree/serial-number"
c=$(id "$T/piC" arm64)
check "a cloned machine-id with another board serial: another id" '[ "$c" != "$a" ] && wellformed "$c"'

# ---- two VMs called vm, cloned from one image (one machine-id), Zen 1 and Zen 5: no device tree
mk "$T/zen1" vm 7d0e5a11c0ffee00d15ea5e0b0a7f00d -; epyc_cpu 23 1 2 2600.000 0x8001250 >"$T/zen1/proc/cpuinfo"
mk "$T/zen5" vm 7d0e5a11c0ffee00d15ea5e0b0a7f00d -; epyc_cpu 26 2 1 2600.000 0xb002116 >"$T/zen5/proc/cpuinfo"
z1=$(id "$T/zen1" amd64) z5=$(id "$T/zen5" amd64)
check "two VMs called vm, one image, a Zen 1 and a Zen 5 CPU: two ids ($z1, $z5)" \
	'[ "$z1" != "$z5" ] && wellformed "$z1" && case $z1 in vm-amd64-????????) true ;; *) false ;; esac'
mk "$T/zen5s" vm 7d0e5a11c0ffee00d15ea5e0b0a7f00d -; epyc_cpu 26 2 2 2600.000 0xb002116 >"$T/zen5s/proc/cpuinfo"
check "one stepping apart: another id" '[ "$(id "$T/zen5s" amd64)" != "$z5" ]'

# ---- one machine across a reboot: another boot id, clock, BogoMIPS, microcode; CPU blocks reordered
zr=$(id "$T/zen5" amd64)
cat /proc/sys/kernel/random/uuid >"$T/zen5/proc/sys/kernel/random/boot_id" 2>/dev/null || echo 2 >"$T/zen5/proc/sys/kernel/random/boot_id"
epyc_cpu 26 2 1 3701.223 0xb002119 | sed 's/bogomips.*/bogomips\t: 5191.31/; s/^flags.*/& ibpb stibp/' >"$T/zen5/proc/cpuinfo"
check "one machine keeps its id across a reboot (new clock, microcode, flags, boot id)" '[ "$(id "$T/zen5" amd64)" = "$zr" ]'
pi4_cpu 54.00 | awk 'BEGIN { RS = ""; ORS = "\n\n" } { b[NR] = $0 } END { for (i = NR; i >= 1; i--) print b[i] }' >"$T/piA/proc/cpuinfo"
check "and the Pi (another BogoMIPS, the blocks in another order)" '[ "$(id "$T/piA" arm64)" = "$a" ]'

# ---- big.LITTLE: every core type counts, the part and the revision too
mk "$T/bl1" rock 11111111111111111111111111111111 "Radxa ROCK 5B"
mk "$T/bl2" rock 11111111111111111111111111111111 "Radxa ROCK 5B"
bl() { # A76-REVISION
	for p in 0 1 2 3; do printf 'processor\t: %s\nCPU implementer\t: 0x41\nCPU variant\t: 0x2\nCPU part\t: 0xd05\nCPU revision\t: 0\n\n' $p; done
	for p in 4 5 6 7; do printf 'processor\t: %s\nCPU implementer\t: 0x41\nCPU variant\t: 0x4\nCPU part\t: 0xd0b\nCPU revision\t: %s\n\n' $p "$1"; done
}
bl 0 >"$T/bl1/proc/cpuinfo"; bl 1 >"$T/bl2/proc/cpuinfo"
check "big.LITTLE: the big cores' revision alone tells two boards apart" '[ "$(id "$T/bl1" arm64)" != "$(id "$T/bl2" arm64)" ]'

# ---- the DMI product UUID counts only where every user can read it (one id for root and users)
mk "$T/pc" pc 22222222222222222222222222222222 -; epyc_cpu 25 1 1 3000 0x1 >"$T/pc/proc/cpuinfo"
p0=$(id "$T/pc" amd64)
mkdir -p "$T/pc/sys/class/dmi/id"; echo 4c4c4544-0042-3510-8052-b4c04f564d32 >"$T/pc/sys/class/dmi/id/product_uuid"
chmod 0400 "$T/pc/sys/class/dmi/id/product_uuid"
check "a root-only DMI product UUID is left out: the same id as without it" '[ "$(id "$T/pc" amd64)" = "$p0" ]'
chmod 0444 "$T/pc/sys/class/dmi/id/product_uuid"
check "a world-readable one counts" '[ "$(id "$T/pc" amd64)" != "$p0" ]'
echo 00000000-0000-0000-0000-000000000000 >"$T/pc/sys/class/dmi/id/product_uuid"
check "an all-zero placeholder UUID is left out" '[ "$(id "$T/pc" amd64)" = "$p0" ]'

# ---- a hostname change: a new readable part, the same fingerprint; the old folder found again
hc=$(id "$T/zen1" amd64)
echo build-vm-7 >"$T/zen1/proc/sys/kernel/hostname"
hn=$(id "$T/zen1" amd64)
check "a renamed machine: a new id ($hn) with the same fingerprint" \
	'[ "$hn" != "$hc" ] && [ "${hn##*-}" = "${hc##*-}" ] && case $hn in build-vm-7-amd64-*) true ;; *) false ;; esac'
mkdir -p "$T/res/$hc/20261201T000000Z-abc" "$T/res/vm-amd64/20261101T000000Z-abc" "$T/res/other-amd64-0000abcd"
al=$(GM_SYSROOT="$T/zen1" RESULTS="$T/res" sh "$H" --aliases amd64 2>/dev/null | tr '\n' ' ')
check "--aliases finds the folder under the old hostname" 'echo "$al" | grep -q "/$hc "'
t "and leaves another machine's folder out" "! echo '$al' | grep -q other-amd64"
echo vm >"$T/zen1/proc/sys/kernel/hostname"
al=$(GM_SYSROOT="$T/zen1" RESULTS="$T/res" sh "$H" --aliases amd64 2>/dev/null | tr '\n' ' ')
check "--aliases finds the folder of the id before the fingerprint (vm-amd64), not the id itself" \
	'echo "$al" | grep -q "/vm-amd64 " && ! echo "$al" | grep -q "/$hc "'
ex=$(GM_SYSROOT="$T/zen1" sh "$H" --explain amd64 2>&1)
check "--explain names the inputs, shows no machine-id, and the id before the fingerprint" \
	'echo "$ex" | grep -q "^  machine-id (its value is not shown)" && ! echo "$ex" | grep -q 7d0e5a11 &&
	 echo "$ex" | grep -q "cpu: vendor_id AuthenticAMD; cpu family 23; model 1" && echo "$ex" | grep -q "was: vm-amd64$"'

# ---- emulated runs stay apart
e=$(id "$T/zen5" arm64 "qemu-aarch64 -L /usr/aarch64-linux-gnu")
check "an emulated run (RUN=qemu-aarch64 ...): its own id ($e)" \
	'wellformed "$e" && case $e in vm-arm64-*-qemu) true ;; *) false ;; esac && [ "$e" != "$(id "$T/zen5" arm64)" ]'

# ---- missing inputs: a clear fallback, never an empty id
mk "$T/nomid" vm - -; epyc_cpu 26 2 1 2600 0x1 >"$T/nomid/proc/cpuinfo"
n=$(id "$T/nomid" amd64)
check "no /etc/machine-id: an id ($n) and a message that says what it rests on" \
	'wellformed "$n" && grep -q "no machine-id (/etc/machine-id, /var/lib/dbus/machine-id): the id.s fingerprint comes from the CPU alone" "$T/err"'
mkdir -p "$T/nomid/var/lib/dbus"; echo 44444444444444444444444444444444 >"$T/nomid/var/lib/dbus/machine-id"
db=$(id "$T/nomid" amd64)
check "D-Bus's machine-id is used where /etc has none" '[ "$db" != "$n" ] && wellformed "$db" && [ ! -s "$T/err" ]'
echo uninitialized >"$T/nomid/etc/machine-id"
check "an 'uninitialized' /etc/machine-id (first boot) is not an id: D-Bus's is used" '[ "$(id "$T/nomid" amd64)" = "$db" ] && [ ! -s "$T/err" ]'
mk "$T/baddt" raspberrypi 55555555555555555555555555555555 -; pi4_cpu 108 >"$T/baddt/proc/cpuinfo"
mkdir -p "$T/baddt/proc/device-tree/model" "$T/baddt/proc/device-tree/serial-number"   # unreadable as files
d=$(id "$T/baddt" arm64)
check "an unreadable device tree: the hostname and the port ($d), no error" \
	'wellformed "$d" && case $d in raspberrypi-arm64-????????) true ;; *) false ;; esac && [ ! -s "$T/err" ]'
mkdir -p "$T/empty"
x=$(id "$T/empty" amd64)
check "nothing readable at all: still an id ($x), with both messages" \
	'wellformed "$x" && case $x in host-amd64-????????) true ;; *) false ;; esac &&
	 grep -q "comes from nothing" "$T/err" && grep -q "/proc/cpuinfo unreadable" "$T/err"'
mk "$T/odd" "my host/ü;rm -rf" 66666666666666666666666666666666 "Weird: board (rev 2)"
o=$(id "$T/odd" arm)
check "odd characters in hostname and model become '-' ($o)" 'wellformed "$o"'

# ---- bad use
if GM_SYSROOT="$T/zen5" sh "$H" >/dev/null 2>"$T/err"; then bad "no ARCH: accepted"
else check "no ARCH: refused with a usage line" 'grep -q "usage: scripts/hostid.sh" "$T/err"'; fi

gm_tests_done hostid
