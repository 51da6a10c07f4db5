#!/bin/sh
# scripts/deps.sh NEED... — make sure what a target needs is installed.
#
# NEED is a capability, mapped to Debian packages: cc, cross-arm, cross-arm64, qemu,
# jansson, gnuplot, perf, cmake, pfm, go, boost, valgrind, llvm.  Missing packages are installed with apt-get when
# we are root (or through sudo without a password); otherwise we stop and print the
# exact command to run.  Never skips silently.
set -eu

pkgs=""
add() { for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pkgs="$pkgs $p"; done; }

for need in "$@"; do
	case "$need" in
	cc)          add gcc g++ make binutils ;;
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
	llvm)        add llvm ;;
	go)          add golang-go ;;
	boost)       add libboost-context-dev ;;
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
	echo "deps: missing Debian packages:$pkgs" >&2
	echo "deps: run:  sudo apt-get update && sudo apt-get install -y$pkgs" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# apt-get update once per machine-day: a missing or stale list makes install fail.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
	$SUDO apt-get update -qq || true
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null; then
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
fi
