#!/bin/sh
# setup.sh O — what make lava-check and make lava-smoke need from Debian, with the
# system's apt setup and services left alone:
#   - lava-dispatcher (lava-run), u-boot-tools (mkimage), android-sdk-libsparse-utils
#     and fastboot (a fastboot job's validation looks for them): installed (no services);
#   - lava-server's device-type templates: `apt-get download` + `dpkg -x` into
#     O/lava/server (lava-server itself is not installed: no database, no web server);
#   - in.tftpd from tftpd-hpa, the same way into O/lava/tftpd (a U-Boot/TFTP job's
#     validation looks for it; installing the package would start a TFTP server).
# Prints the two folders' paths as shell assignments (LAVA_TEMPLATES=, LAVA_TFTPD=).
set -eu
O=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/scripts/deps.sh" lava >&2
unpack() { # package folder
	[ -f "$2/.stamp" ] && return 0
	rm -rf "$2" "$2.dl" && mkdir -p "$2.dl"
	(cd "$2.dl" && apt-get -q download "$1" >/dev/null 2>&1) ||
		{ apt-get -q update >/dev/null 2>&1 || true; (cd "$2.dl" && apt-get -q download "$1" >/dev/null); } ||
		{ echo "lava: error: apt-get download $1 failed" >&2; exit 1; }
	dpkg -x "$2.dl"/*.deb "$2.tmp" && mv "$2.tmp" "$2" && basename "$2.dl"/*.deb >"$2/.stamp"
	rm -rf "$2.dl"
}
unpack lava-server "$O/lava/server"
unpack tftpd-hpa "$O/lava/tftpd"
T=$(cd "$O/lava/server/usr/share/lava-server/device-types" && pwd)
D=$(cd "$O/lava/tftpd/usr/sbin" && pwd)
[ -f "$T/qemu.jinja2" ] || { echo "lava: error: no qemu.jinja2 in $T" >&2; exit 1; }
echo "LAVA_TEMPLATES=$T"
echo "LAVA_TFTPD=$D"
