#!/bin/sh
# scripts/compare/pair-link.sh OUT K SIDE_A SIDE_B DRIVER — one gmpair binary for layout K.
#
# SIDE_A, SIDE_B: the build folders (<O>/<arch>) of the two sides, each holding
# side/side-L<K>.o and obj/core/tls_so_{ie,gd,desc}.pic.o (make pair-side); DRIVER: the
# build folder holding obj/bench/host/pair.o and obj/bench/host/machine.o (make pair-driver).
# Environment: CC, CXX, CROSS_COMPILE (as make passes them), ARCH_CFLAGS.
#
# Every global symbol a side defines (its own and its TLS objects') is renamed with the
# side's prefix, gmA_ or gmB_, so the two sides are two independent runtimes in one
# process; their TLS-model shared objects are renamed the same way.  The layout K also
# decides the link order (A first when K is even) and the padding placed before each
# side's code and data (a multiple of 16 bytes below 4 KiB, from K).  Writes
# OUT/L<K>/gmpair, its libraries beside it, and OUT/L<K>/layout.txt (the order, the
# paddings and the address of every transition of both sides, for the record).
set -eu
out=$1 k=$2 sa=$3 sb=$4 drv=$5
X=${CROSS_COMPILE:-}
CC=${CC:-${X}gcc}
CXX=${CXX:-${X}g++}
w="$out/L$k"
rm -rf "$w"
mkdir -p "$w"
GM_PROG=pair-link
. "$(dirname "$0")/../lib.sh"

# pseudo-random from the layout and a salt, as a shell integer in [0, mod)
pick() { awk -v k="$1" -v s="$2" -v m="$3" 'BEGIN { x = (k * 7919 + s * 104729 + 12345) % 2147483647;
	for (i = 0; i < 3; i++) x = (x * 48271) % 2147483647; print x % m }'; }

for s in A B; do
	b=$([ $s = A ] && echo "$sa" || echo "$sb")
	obj="$b/side/side-L$k.o"
	[ -f "$obj" ] || die "$obj is missing (make pair-side PAIR_LAYOUTS=$k in that side's tree)"
	{
		${X}nm -g --defined-only "$obj"
		for m in ie gd desc; do ${X}nm -g --defined-only "$b/obj/core/tls_so_$m.pic.o"; done
	} | awk 'NF == 3 { print $3 }' | sort -u | awk -v p="gm${s}_" '{ print $1, p $1 }' >"$w/syms-$s.map"
	grep -q '^gm_side_main ' "$w/syms-$s.map" || die "side $s ($obj) has no gm_side_main: not a gmbench side"
	${X}objcopy --redefine-syms="$w/syms-$s.map" "$obj" "$w/side-$s.o"
	for m in ie gd desc; do
		${X}objcopy --redefine-syms="$w/syms-$s.map" "$b/obj/core/tls_so_$m.pic.o" "$w/tls-$m-$s.pic.o"
		$CC ${ARCH_CFLAGS:-} -shared -Wl,-soname,libgmtls$s-$m.so -o "$w/libgmtls$s-$m.so" "$w/tls-$m-$s.pic.o"
	done
	salt=$([ $s = A ] && echo 1 || echo 2)
	text=$(( $(pick "$k" "$salt" 256) * 16 ))
	data=$(( $(pick "$k" "$((salt + 2))" 256) * 16 ))
	printf '\t.text\n\t.rept %d\n\t.byte 0\n\t.endr\n\t.data\n\t.rept %d\n\t.byte 0\n\t.endr\n\t.section .note.GNU-stack,"",%%progbits\n' \
		"$text" "$data" >"$w/pad-$s.S"
	$CC ${ARCH_CFLAGS:-} -c -o "$w/pad-$s.o" "$w/pad-$s.S"
	echo "side $s: $text bytes of padding before its code, $data before its data" >>"$w/layout.txt"
done
if [ $((k % 2)) = 0 ]; then
	order="A B"
else
	order="B A"
fi
objs=""
for s in $order; do objs="$objs $w/pad-$s.o $w/side-$s.o"; done
libs=""
for s in A B; do for m in ie gd desc; do libs="$libs -lgmtls$s-$m"; done; done
# shellcheck disable=SC2086
$CXX ${ARCH_CFLAGS:-} -o "$w/gmpair" "$drv/obj/bench/host/pair.o" "$drv/obj/bench/host/machine.o" $objs \
	-L"$w" $libs -Wl,--export-dynamic-symbol=gmA_gm_tls -Wl,--export-dynamic-symbol=gmB_gm_tls \
	-Wl,-rpath,'$ORIGIN' -lpthread -lm
{
	echo "layout $k: link order $order"
	echo "transitions (address, symbol):"
	${X}nm -n "$w/gmpair" | awk '$3 ~ /^gm[AB]_gm_(asmcgocall|crosscall2|cgocallback|gogo|gosave|mcall|sigtramp|thread_entry)/ { print "  " $1, $3 }'
} >>"$w/layout.txt"
echo "$w/gmpair"
