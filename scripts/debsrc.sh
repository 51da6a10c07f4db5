# scripts/debsrc.sh — sourced by the scripts that build a library from Debian's source
# package for a port (build-gbench.sh: Google Benchmark; build-jansson.sh: jansson for a
# board's gm).  Needs lib.sh (say, die) first.
#
#   gm_debsrc_fetch PACKAGE SRC APTDIR   the bookworm source package unpacked in SRC, once:
#                                        a private apt configuration in APTDIR (the system's
#                                        sources, lists and caches stay untouched); apt checks
#                                        the checksums against the signed Release file.  Callers
#                                        building several ports at once are serialised.
#   gm_port_toolchain ARCH               sets TRIPLET (Debian's), SYSPROC (CMake's processor)
#                                        and CROSS (the tool prefix: CROSS_COMPILE when given,
#                                        none for this machine's own port)
#   gm_cmake_toolchain FILE CC CXX SYSPROC SYSROOT [EMULATOR]   a CMake toolchain file for
#                                        a cross build against SYSROOT (the Debian cross
#                                        toolchain's /usr/<triplet>), with the emulator that
#                                        runs its try-run programs

gm_debsrc_fetch() {
	_pkg=$1 _src=$2 _apt=$3
	mkdir -p "$(dirname "$_src")" "$_apt"
	exec 9>"$_apt/.lock"
	flock 9
	if [ ! -f "$_src/.stamp" ]; then
		rm -rf "$_src"
		say "fetching Debian source package '$_pkg' (bookworm)"
		mkdir -p "$_apt/lists/partial" "$_apt/cache/archives/partial"
		_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
		[ -f "$_keyring" ] || die "no Debian archive keyring ($_keyring): apt-get install debian-archive-keyring"
		echo "deb-src [signed-by=$_keyring] http://deb.debian.org/debian bookworm main" >"$_apt/sources.list"
		set -- -q -o Dir::Etc::SourceList="$_apt/sources.list" \
			-o Dir::Etc::SourceParts=/dev/null \
			-o Dir::State::Lists="$_apt/lists" \
			-o Dir::Cache="$_apt/cache" \
			-o Dir::State::status=/dev/null \
			-o APT::Sandbox::User=root
		# the lists once: a second package fetched later reuses them
		ls "$_apt/lists/"*Sources* >/dev/null 2>&1 || apt-get "$@" update >/dev/null || die "apt-get update (deb-src) failed"
		rm -rf "$_apt/dl.$_pkg"; mkdir -p "$_apt/dl.$_pkg"
		(cd "$_apt/dl.$_pkg" && apt-get "$@" source --download-only "$_pkg/bookworm" >/dev/null) ||
			{ apt-get "$@" update >/dev/null && (cd "$_apt/dl.$_pkg" && apt-get "$@" source --download-only "$_pkg/bookworm" >/dev/null); } ||
			die "apt-get source $_pkg failed"
		_dsc=$(ls "$_apt/dl.$_pkg/${_pkg}"_*.dsc)
		[ -f "$_dsc" ] || die "no .dsc of $_pkg downloaded"
		_tmp=$_src.tmp.$$
		rm -rf "$_tmp"; mkdir -p "$_tmp"
		dpkg-source -q --require-strong-checksums -x "$_dsc" "$_tmp/s" >/dev/null 2>&1 ||
			dpkg-source -x "$_dsc" "$_tmp/s" >/dev/null || die "dpkg-source -x $_dsc failed"
		basename "$_dsc" .dsc | sed "s/^${_pkg}_//" >"$_tmp/s/.debian-version"
		touch "$_tmp/s/.stamp"
		mv "$_tmp/s" "$_src"
		rm -rf "$_tmp" "$_apt/dl.$_pkg"
		say "source unpacked in $_src"
	fi
	flock -u 9
	exec 9>&-
}

gm_port_toolchain() { # ARCH
	case $1 in
	amd64) TRIPLET=x86_64-linux-gnu SYSPROC=x86_64 ;;
	arm) TRIPLET=arm-linux-gnueabihf SYSPROC=arm ;;
	arm64) TRIPLET=aarch64-linux-gnu SYSPROC=aarch64 ;;
	*) die "unknown ARCH '$1' (want amd64, arm or arm64)" ;;
	esac
	if [ "$(gm_hostarch)" = "$1" ]; then
		CROSS=${CROSS_COMPILE-}
	elif [ "$1" = amd64 ]; then
		CROSS=${CROSS_COMPILE:-$TRIPLET-}	# an empty CROSS_COMPILE too
	else
		CROSS=${CROSS_COMPILE-$TRIPLET-}
	fi
}

gm_cmake_toolchain() { # FILE CC CXX SYSPROC SYSROOT [EMULATOR]
	_sysroot=$5
	cat >"$1" <<TC
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR $4)
set(CMAKE_C_COMPILER $2)
set(CMAKE_CXX_COMPILER $3)
set(CMAKE_FIND_ROOT_PATH $_sysroot)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
TC
	[ -z "${6:-}" ] || echo "set(CMAKE_CROSSCOMPILING_EMULATOR $6;-L;$_sysroot)" >>"$1"
}
