#!/bin/sh
# build-gbench.sh - build a Release, static Google Benchmark for one target arch.
#
# usage: scripts/build-gbench.sh ARCH PREFIX
#   ARCH   amd64 | arm | arm64
#   PREFIX install dir, e.g. build/gbench/arm64
#
# The source is Debian bookworm's source package `benchmark` (1.7.1), fetched
# once with a private apt configuration into $(dirname PREFIX)/src and shared
# by all arches.  Objects go to $(dirname PREFIX)/obj-ARCH.  On success PREFIX
# holds include/benchmark/benchmark.h, lib/libbenchmark.a, buildinfo.txt and
# .stamp; if .stamp already exists the script exits 0 at once.
#
# Environment:
#   CROSS_COMPILE  cross tool prefix for arm/arm64 (default arm-linux-gnueabihf-
#                  or aarch64-linux-gnu-)
#   GBENCH_JOBS    parallel build jobs (default 2)
set -eu
GM_PROG=gbench GM_DIE_STATUS=1 GM_ERROR_WORD=1 GM_SAY_FD=1
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 amd64|arm|arm64 PREFIX" >&2; exit 2; }
ARCH=$1
PREFIX_ARG=$2
JOBS=${GBENCH_JOBS:-2}

. "$(dirname "$0")/debsrc.sh"
# The Debian triplet and CMake's processor name; the cross g++ package and QEMU follow.
gm_port_toolchain "$ARCH"
CROSS_PKG=g++-$(printf %s "$TRIPLET" | tr _ -)
QEMU=qemu-$SYSPROC

if [ -f "$PREFIX_ARG/.stamp" ]; then
    say "$ARCH already built in $PREFIX_ARG (rm -rf it to rebuild)"
    exit 0
fi

mkdir -p "$PREFIX_ARG"
PREFIX=$(cd "$PREFIX_ARG" && pwd)
TOP=$(dirname "$PREFIX")            # e.g. build/gbench
SRC=$TOP/src
OBJ=$TOP/obj-$ARCH
APTDIR=$TOP/apt

# ---------------------------------------------------------------- packages
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    SUDO=none
fi

APT_UPDATED=no
# install PKG...: returns non-zero on failure (caller decides whether fatal)
apt_install() {
    if [ "$SUDO" = none ]; then
        echo "gbench: missing package(s): $*; as root run:" >&2
        echo "    apt-get install -y --no-install-recommends $*" >&2
        return 1
    fi
    say "installing $*"
    # a busy apt (unattended-upgrades after boot): wait for dpkg's lock as deps.sh does
    lockwait="-o DPkg::Lock::Timeout=${GM_APT_WAIT:-600}"
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get $lockwait install -y -q --no-install-recommends "$@" >/dev/null; then
        [ $APT_UPDATED = yes ] && return 1
        say "apt-get install failed; running apt-get update and retrying"
        $SUDO apt-get update -q >/dev/null || return 1
        APT_UPDATED=yes
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get $lockwait install -y -q --no-install-recommends "$@" >/dev/null || return 1
    fi
}
need() {  # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    apt_install "$2" || die "cannot install $2 (needed for $1)"
    command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}

need cmake cmake
need make make
need dpkg-source dpkg-dev
need apt-get apt
need flock util-linux
if [ -z "$CROSS" ]; then
    need gcc gcc
    need g++ g++
    CC=gcc
    CXX=g++
    # libpfm is optional: only for native builds
    if [ ! -f /usr/include/perfmon/pfmlib.h ]; then
        apt_install libpfm4-dev || say "libpfm4-dev not available, building without libpfm"
    fi
    if [ -f /usr/include/perfmon/pfmlib.h ]; then PFM=ON; else PFM=OFF; fi
else
    CC=${CROSS}gcc
    CXX=${CROSS}g++
    if [ -n "${CROSS_COMPILE:-}" ]; then
        command -v "$CXX" >/dev/null 2>&1 || die "$CXX not found (CROSS_COMPILE=$CROSS_COMPILE)"
    else
        need "$CXX" "$CROSS_PKG"
    fi
    command -v "$CC" >/dev/null 2>&1 || die "$CC not found"
    need "$QEMU" qemu-user
    PFM=OFF
fi

# ---------------------------------------------------------------- source
# Shared by every arch (several may be built at once: the fetch is serialised).
mkdir -p "$TOP"
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || apt_install debian-archive-keyring || die "no Debian archive keyring"
gm_debsrc_fetch benchmark "$SRC" "$APTDIR"
# GBENCH_FETCH_ONLY=1: only the source (make board copies it into a guest without network)
[ "${GBENCH_FETCH_ONLY:-}" = 1 ] && exit 0

VERSION=$(sed -n 's/^project *(benchmark VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt" | head -n1)
DEBVER=$(cat "$SRC/.debian-version")
[ -n "$VERSION" ] || die "cannot read the version from $SRC/CMakeLists.txt"
# Debian's patch 0001 disables the git-tag version lookup and debian/rules passes
# -DGIT_VERSION instead; without it the library VERSION property is empty and
# configuring fails.

# ---------------------------------------------------------------- configure
rm -rf "$OBJ"
mkdir -p "$OBJ"
set -- -S "$SRC" -B "$OBJ" \
    -DCMAKE_BUILD_TYPE=Release \
    -DGIT_VERSION="$VERSION" \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DCMAKE_INSTALL_LIBDIR=lib \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED_LIBS=OFF \
    -DBENCHMARK_ENABLE_TESTING=OFF \
    -DBENCHMARK_ENABLE_GTEST_TESTS=OFF \
    -DBENCHMARK_ENABLE_INSTALL=ON \
    -DBENCHMARK_ENABLE_WERROR=OFF \
    -DBENCHMARK_ENABLE_LIBPFM=$PFM
if [ -n "$CROSS" ]; then
    sysroot=/usr/${CROSS%-}
    tc=$OBJ/toolchain.cmake
    gm_cmake_toolchain "$tc" "$CC" "$CXX" "$SYSPROC" "$sysroot" "$(command -v "$QEMU")"
    set -- "$@" -DCMAKE_TOOLCHAIN_FILE="$tc"
else
    set -- "$@" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX"
fi
say "configuring $ARCH (Release, libpfm $PFM)"
cmake "$@" > "$OBJ/configure.log" 2>&1 || { tail -n 30 "$OBJ/configure.log" >&2; die "cmake configure failed (log: $OBJ/configure.log)"; }

# ---------------------------------------------------------------- build, install
say "building $ARCH (-j$JOBS)"
cmake --build "$OBJ" -j "$JOBS" > "$OBJ/build.log" 2>&1 || { tail -n 30 "$OBJ/build.log" >&2; die "build failed (log: $OBJ/build.log)"; }
cmake --install "$OBJ" > "$OBJ/install.log" 2>&1 || { tail -n 30 "$OBJ/install.log" >&2; die "install failed"; }
[ -f "$PREFIX/include/benchmark/benchmark.h" ] || die "benchmark.h not installed"
[ -f "$PREFIX/lib/libbenchmark.a" ] || die "libbenchmark.a not installed"

# ---------------------------------------------------------------- check
say "checking $ARCH"
chk=$OBJ/check
mkdir -p "$chk"
cat > "$chk/check.cc" <<'EOF'
#include <benchmark/benchmark.h>
static void BM_Trivial(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(x += 1);
  }
}
BENCHMARK(BM_Trivial);
BENCHMARK_MAIN();
EOF
LIBS="-lbenchmark"
[ "$PFM" = ON ] && LIBS="$LIBS -lpfm"
LIBS="$LIBS -lpthread"
if [ -n "$CROSS" ]; then
    # shellcheck disable=SC2086
    "$CXX" -O2 -static -I"$PREFIX/include" "$chk/check.cc" -o "$chk/check" -L"$PREFIX/lib" $LIBS \
        > "$chk/compile.log" 2>&1 || { cat "$chk/compile.log" >&2; die "check program failed to compile"; }
    run="$QEMU -L $sysroot $chk/check"
else
    # shellcheck disable=SC2086
    "$CXX" -O2 -I"$PREFIX/include" "$chk/check.cc" -o "$chk/check" -L"$PREFIX/lib" $LIBS \
        > "$chk/compile.log" 2>&1 || { cat "$chk/compile.log" >&2; die "check program failed to compile"; }
    run="$chk/check"
fi
# shellcheck disable=SC2086
$run --benchmark_min_time=0.01 > "$chk/run.log" 2>&1 || { cat "$chk/run.log" >&2; die "check program failed to run"; }
grep -q 'BM_Trivial' "$chk/run.log" || { cat "$chk/run.log" >&2; die "check output lacks BM_Trivial"; }
if grep -q 'Library was built as DEBUG' "$chk/run.log"; then
    cat "$chk/run.log" >&2
    die "library reports a DEBUG build"
fi
say "check ok: $(grep 'BM_Trivial' "$chk/run.log" | tr -s ' ')"

# ---------------------------------------------------------------- record
if [ "$PFM" = ON ]; then
    pfmline="yes (link with: -lbenchmark -lpfm -lpthread)"
elif [ -n "$CROSS" ]; then
    pfmline="no (cross build; no libpfm for the target; link with: -lbenchmark -lpthread)"
else
    pfmline="no (libpfm4-dev headers not available; link with: -lbenchmark -lpthread)"
fi
cat > "$PREFIX/buildinfo.txt" <<EOF
version: $VERSION (Debian source package benchmark $DEBVER)
arch: $ARCH
build type: Release
libpfm: $pfmline
compiler: $("$CXX" --version | head -n1)
cxx: $(command -v "$CXX")
EOF
touch "$PREFIX/.stamp"
say "$ARCH done: $PREFIX"
