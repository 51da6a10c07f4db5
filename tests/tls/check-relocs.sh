#!/bin/sh
# tests/tls/check-relocs.sh READELF LIBDIR ARCH — prove that libgmtls-*.so really
# uses the TLS access models it is named after: global-dynamic through
# __tls_get_addr (DTPMOD/DTPOFF relocations) and descriptors (TLSDESC relocations),
# not sequences the linker relaxed away.  Prints one ok/not ok line per model.
set -eu
readelf=$1 dir=$2 arch=$3
port=$arch; [ "$arch" = arm ] && port=arm32
case "$arch" in
amd64) gd='R_X86_64_DTPMOD64' desc='R_X86_64_TLSDESC' ie='R_X86_64_TPOFF64' ;;
arm)   gd='R_ARM_TLS_DTPMOD32' desc='R_ARM_TLS_DESC' ie='R_ARM_TLS_TPOFF32' ;;
arm64) gd='R_AARCH64_TLS_DTPMOD' desc='R_AARCH64_TLSDESC' ie='R_AARCH64_TLS_TPREL' ;;
esac
check() { # model reloc
	so=$dir/libgmtls-$1.so
	if ! relocs=$($readelf -rW "$so" 2>&1); then
		echo "not ok - $port tls/relocs/$1: cannot read $so"
		return
	fi
	if echo "$relocs" | grep -q "$2.*gm_tls"; then
		extra=""
		if [ "$1" = gd ]; then
			if $readelf -sW --dyn-syms "$so" | grep -q '__tls_get_addr'; then
				extra=" and imports __tls_get_addr"
			else
				echo "not ok - $port tls/relocs/$1: $so has $2 but does not import __tls_get_addr"
				return
			fi
		fi
		echo "ok - $port tls/relocs/$1: $(basename "$so") has $2 against gm_tls$extra"
	else
		echo "not ok - $port tls/relocs/$1: no $2 against gm_tls in $(basename "$so") (the linker relaxed the model?)"
	fi
}
check gd "$gd"
check desc "$desc"
check ie "$ie"
