#!/bin/sh
# scripts/peers-boost.sh ARCH TRIPLE OUTDIR — make Boost.Context available to the
# peers (bench/side/gcc_fcontext.cc) for ARCH, or say why it cannot be.
#
# Writes (each only when its content changes, so make rebuilds only what it must):
#   OUTDIR/status          "ok <what>" or "unavailable <why>" (one line)
#   OUTDIR/why.h           #define CPEER_NO_BOOST "<why>" when unavailable, empty when ok
#   OUTDIR/include/boost   -> the build machine's Boost headers (arch-independent)
#   OUTDIR/lib/libboost_context.a   the target's static library (with jump_fcontext)
# Native: Debian's libboost-context-dev (scripts/deps.sh boost installs it).
# Cross: the target's libboost-context1.74-dev .deb, fetched with `apt-get download`
# through a private apt configuration for that architecture (the system's sources,
# lists, dpkg database and foreign architectures stay untouched; apt verifies the .deb
# against Debian's signed index) and unpacked with dpkg-deb -x.  No multiarch needed.
# Always exits 0 once it has written a status: an unavailable peer is a row that says
# why, not a failed build.
set -u
GM_PROG=peers-boost
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || { echo "usage: $0 ARCH TRIPLE OUTDIR" >&2; exit 2; }
ARCH=$1 TRIPLE=$2 OUT=$3
mkdir -p "$OUT/include" "$OUT/lib"
OUT=$(cd "$OUT" && pwd)
hostarch=$(gm_hostarch)

put() { # FILE CONTENT: replace FILE only when CONTENT differs
	printf '%s\n' "$2" > "$1.tmp.$$"
	if cmp -s "$1.tmp.$$" "$1"; then rm -f "$1.tmp.$$"; else mv "$1.tmp.$$" "$1"; fi
}
ok() {
	put "$OUT/why.h" "/* Boost.Context available: $1 */"
	put "$OUT/status" "ok $1"
	echo "peers: Boost.Context for $ARCH: $1" >&2
	exit 0
}
unavailable() {
	esc=$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')
	put "$OUT/why.h" "#define CPEER_NO_BOOST \"$esc\""
	put "$OUT/status" "unavailable $1"
	rm -f "$OUT/lib/libboost_context.a"
	echo "peers: Boost.Context for $ARCH unavailable: $1" >&2
	exit 0
}

if [ -f "$OUT/status" ] && [ -f "$OUT/lib/libboost_context.a" ] && [ -e "$OUT/include/boost" ] &&
   grep -q '^ok ' "$OUT/status"; then
	exit 0
fi

hdr=/usr/include/boost/context/detail/fcontext.hpp
[ -f "$hdr" ] || unavailable "the Boost.Context headers are not installed on the build machine (apt-get install libboost-context-dev)"
ln -sfn /usr/include/boost "$OUT/include/boost"
hver=$(dpkg-query -W -f='${Version}' libboost1.74-dev 2>/dev/null || echo unknown)

if [ "$ARCH" = "$hostarch" ]; then
	lib=/usr/lib/$TRIPLE/libboost_context.a
	[ -f "$lib" ] || unavailable "libboost_context.a is not installed (apt-get install libboost-context-dev)"
	cp "$lib" "$OUT/lib/libboost_context.a.tmp" && mv "$OUT/lib/libboost_context.a.tmp" "$OUT/lib/libboost_context.a"
	ok "Boost.Context $hver, Debian libboost-context-dev ($ARCH, installed)"
fi

case $ARCH in
arm) debarch=armhf ;;
arm64) debarch=arm64 ;;
amd64) debarch=amd64 ;;
*) unavailable "no Debian architecture known for ARCH=$ARCH" ;;
esac
command -v apt-get >/dev/null 2>&1 || unavailable "apt-get is not available to fetch libboost-context1.74-dev:$debarch"
command -v dpkg-deb >/dev/null 2>&1 || unavailable "dpkg-deb is not available to unpack libboost-context1.74-dev:$debarch"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || unavailable "no Debian archive keyring ($keyring) to verify libboost-context1.74-dev:$debarch"
apt=$OUT/apt
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/dl"
echo "deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main" > "$apt/sources.list"
set -- -q -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Dir::State::status=/dev/null \
	-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
	-o APT::Sandbox::User=root -o APT::Architecture="$debarch" -o APT::Architectures::="$debarch"
echo "peers: fetching libboost-context1.74-dev:$debarch from Debian (bookworm) for the Boost.Context peer" >&2
if ! apt-get "$@" update > "$apt/log" 2>&1; then
	last=$(grep -v '^ *$' "$apt/log" | tail -n 1)
	rm -rf "$apt"
	unavailable "could not read Debian's package index for $debarch (apt-get update: $last)"
fi
if ! (cd "$apt/dl" && apt-get "$@" download "libboost-context1.74-dev:$debarch") >> "$apt/log" 2>&1; then
	last=$(grep -v '^ *$' "$apt/log" | tail -n 1)
	rm -rf "$apt"
	unavailable "could not download libboost-context1.74-dev:$debarch from Debian ($last)"
fi
deb=$(find "$apt/dl" -name "*.deb" | head -n 1)
mkdir -p "$apt/x"
if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$apt/x" 2>>"$apt/log"; then
	rm -rf "$apt"
	unavailable "could not unpack libboost-context1.74-dev:$debarch"
fi
ver=$(dpkg-deb -f "$deb" Version)
lib=$apt/x/usr/lib/$TRIPLE/libboost_context.a
if [ ! -f "$lib" ]; then
	rm -rf "$apt"
	unavailable "libboost-context1.74-dev:$debarch $ver has no usr/lib/$TRIPLE/libboost_context.a"
fi
cp "$lib" "$OUT/lib/libboost_context.a"
rm -rf "$apt"
ok "Boost.Context $ver, Debian libboost-context1.74-dev:$debarch (static library, fetched with apt-get download); headers $hver from the build machine"
