#!/bin/sh
# scripts/hostid.sh [--explain|--aliases] ARCH [RUN] — the folder name of this machine's
# results (for make and the board rig; scripts call gm_hostid from scripts/lib.sh, which
# decides): <hostname>[-<board model>]-<ARCH>-<fingerprint>[-qemu].
#   --explain   what the id is made of (the inputs' names, never their values)
#   --aliases   the folders under RESULTS (default results) holding this machine's earlier
#               results: the id before the fingerprint, and the same fingerprint under an
#               earlier hostname (docs/machine.md#the-host-id)
# GM_SYSROOT=<dir> reads the machine from a made-up root (the tests).
GM_PROG=hostid
. "$(dirname "$0")/lib.sh"
case ${1:-} in
--explain|--aliases) what=$1; shift ;;
-*) die "usage: scripts/hostid.sh [--explain|--aliases] ARCH [RUN]" ;;
*) what= ;;
esac
[ -n "${1:-}" ] || die "usage: scripts/hostid.sh [--explain|--aliases] ARCH [RUN]"
id=$(gm_hostid "$@") || exit 2
case $what in
'') echo "$id" ;;
--explain)
	echo "id: $id"
	echo "readable part: $(gm_host_readable "$1") (hostname, the device tree's board model where there is one, the port)"
	echo "fingerprint: $(gm_host_fingerprint 2>/dev/null), the first 8 hex digits of a salted SHA-256 of:"
	gm_host_inputs | sed 's/^\(machine-id\|board-serial\|dmi-product-uuid\)=.*/  \1 (its value is not shown)/; s/^cpu=/  cpu: /'
	gm_host_inputs | grep -q '^\(board-serial\|dmi-product-uuid\)=' ||
		echo "  (no board serial in the device tree and no DMI product UUID every user can read)"
	[ -n "${2:-}" ] && echo "emulated (RUN=$2): -qemu at the end, so emulated runs never mix with this machine's own"
	echo "before the fingerprint (issue 23) the id was: $(gm_hostid_legacy "$@")"
	;;
--aliases)
	res=${RESULTS:-results}
	fp=$(gm_host_fingerprint 2>/dev/null) sfx=""
	[ -n "${2:-}" ] && sfx=-qemu
	legacy=$(gm_hostid_legacy "$@")
	[ -d "$res/$legacy" ] && echo "$res/$legacy"
	for d in "$res"/*-"$1-$fp$sfx"; do
		[ -d "$d" ] && [ "$(basename "$d")" != "$id" ] && echo "$d"
	done
	true
	;;
esac
