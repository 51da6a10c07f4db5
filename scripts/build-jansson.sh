#!/bin/sh
# build-jansson.sh ARCH PREFIX — a static jansson for one port, so that gm (the report
# tool) can be built for a board here: the board kit (make kit) and LAVA's ssh jobs run
# gm report on the board, and nothing is built there.
#
# The source is Debian bookworm's source package `jansson`, fetched once with a private
# apt configuration into $(dirname PREFIX)/src; objects in $(dirname PREFIX)/obj-ARCH.
# On success PREFIX holds include/jansson.h, lib/libjansson.a, buildinfo.txt and .stamp;
# with .stamp there the script exits 0 at once.  CROSS_COMPILE as for build-gbench.sh.
set -eu
GM_PROG=jansson GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/debsrc.sh"

[ $# -eq 2 ] || { echo "usage: $0 amd64|arm|arm64 PREFIX" >&2; exit 2; }
ARCH=$1
gm_port_toolchain "$ARCH"
if [ -f "$2/.stamp" ]; then exit 0; fi
CC=${CROSS}gcc
command -v "$CC" >/dev/null 2>&1 || die "$CC not found (scripts/deps.sh cross-$ARCH installs it)"
for c in cmake dpkg-source flock; do command -v $c >/dev/null 2>&1 || die "$c not found (scripts/deps.sh cmake)"; done
mkdir -p "$2"
PREFIX=$(cd "$2" && pwd)
TOP=$(dirname "$PREFIX")
SRC=$TOP/src OBJ=$TOP/obj-$ARCH

gm_debsrc_fetch jansson "$SRC" "$TOP/apt"

rm -rf "$OBJ"
mkdir -p "$OBJ"
set -- -S "$SRC" -B "$OBJ" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
	-DCMAKE_INSTALL_LIBDIR=lib -DJANSSON_BUILD_SHARED_LIBS=OFF -DJANSSON_BUILD_DOCS=OFF \
	-DJANSSON_WITHOUT_TESTS=ON -DJANSSON_EXAMPLES=OFF -DJANSSON_COVERAGE=OFF
if [ -n "$CROSS" ]; then
	gm_cmake_toolchain "$OBJ/toolchain.cmake" "$CC" "${CROSS}g++" "$SYSPROC" "/usr/$TRIPLET"
	set -- "$@" -DCMAKE_TOOLCHAIN_FILE="$OBJ/toolchain.cmake"
else
	set -- "$@" -DCMAKE_C_COMPILER="$CC"
fi
say "configuring $ARCH (static)"
cmake "$@" >"$OBJ/configure.log" 2>&1 || { tail -n 30 "$OBJ/configure.log" >&2; die "cmake configure failed (log: $OBJ/configure.log)"; }
say "building $ARCH"
cmake --build "$OBJ" -j "${GBENCH_JOBS:-2}" >"$OBJ/build.log" 2>&1 || { tail -n 30 "$OBJ/build.log" >&2; die "build failed (log: $OBJ/build.log)"; }
cmake --install "$OBJ" >"$OBJ/install.log" 2>&1 || { tail -n 30 "$OBJ/install.log" >&2; die "install failed"; }
[ -f "$PREFIX/include/jansson.h" ] && [ -f "$PREFIX/lib/libjansson.a" ] || die "jansson.h or libjansson.a not installed in $PREFIX"
cat >"$PREFIX/buildinfo.txt" <<INFO
version: Debian source package jansson $(cat "$SRC/.debian-version")
arch: $ARCH
compiler: $("$CC" --version | sed -n 1p)
INFO
touch "$PREFIX/.stamp"
say "$ARCH done: $PREFIX"
