#!/bin/sh
# scripts/compare/pair-link.sh OUT K SIDE_A SIDE_B DRIVER [SLOTS] — one gmpair binary holding
# SLOTS copies of each side, every copy at its own place (many layouts in one process).
#
# SIDE_A, SIDE_B: the build folders (<O>/<arch>) of the two sides, each holding
# side/side-L<j>.o (j = 1..4, make pair-side PAIR_LAYOUTS="1 2 3 4"; a side built with fewer
# uses what it has) and obj/core/tls_so_{ie,gd,desc}.pic.o; DRIVER: the build folder holding
# obj/bench/host/pair.o and obj/bench/host/machine.o (make pair-driver).
# Environment: CC, CXX, CROSS_COMPILE (as make passes them), ARCH_CFLAGS.
#
# Copy n of side s has every global symbol (its own and its TLS objects') renamed gm<s><n>_,
# so the copies are independent runtimes in one process; each side's shared object
# (libgmtlsA.so, libgmtlsB.so) holds its copies' TLS code of every model, renamed the same way.  K seeds the placement: the
# order of the copies in the link (shuffled, A and B mixed), the offset into a page at which
# a slot's two copies' code and data start (a multiple of 16 bytes below 4 KiB, the same for
# A and B: other cache sets, fetch and branch-predictor alignments from slot to slot), and
# which of the side's assembled layouts (transitions
# padded differently relative to each other, -DGM_LAYOUT) a copy uses.  Slot 0 is the same in
# every binary: linked first, unpadded (gmpair measures the machine's canary there, so the
# canary does not move with the layouts).
# Writes OUT/L<K>/gmpair, its libraries beside it, and OUT/L<K>/layout.txt: per copy, its
# offsets and assembled layout, and the address of every transition of both sides.
# GM_KEEP_OBJ=1 keeps the link's working files (OUT/L<K>/obj) for a look.
set -eu
out=$1 k=$2 sa=$3 sb=$4 drv=$5 slots=${6:-1}
X=${CROSS_COMPILE:-}
CC=${CC:-${X}gcc}
CXX=${CXX:-${X}g++}
GM_PROG=pair-link
. "$(dirname "$0")/../lib.sh"
case $slots in ''|*[!0-9]*|0) die "SLOTS=$slots: a positive number" ;; esac
[ "$slots" -le 512 ] || die "SLOTS=$slots: at most 512"
w="$out/L$k"
rm -rf "$w"
mkdir -p "$w/obj"

# a reproducible stream of pseudo-random numbers from K: one per line, "n value"
rand_stream() { awk -v k="$1" -v n="$2" 'BEGIN { x = (k * 7919 + 12345) % 2147483647;
	for (i = 0; i < n; i++) { x = (x * 48271) % 2147483647; print x } }'; }

# The copies are made in parallel; objects without debug information (the binary holds
# hundreds of copies); one shared object per side holds its copies' TLS code, all models.
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
for s in A B; do
	b=$([ $s = A ] && echo "$sa" || echo "$sb")
	nobj=0
	for j in 1 2 3 4; do
		[ -f "$b/side/side-L$j.o" ] || continue
		${X}objcopy --strip-debug "$b/side/side-L$j.o" "$w/obj/base-$s$nobj.o"
		nobj=$((nobj + 1))
	done
	[ "$nobj" -gt 0 ] || die "$b/side/side-L1.o is missing (make pair-side in that side's tree)"
	${X}ld -r -o "$w/obj/tls-$s.o" "$b/obj/core/tls_so_ie.pic.o" "$b/obj/core/tls_so_gd.pic.o" \
		"$b/obj/core/tls_so_desc.pic.o" || die "side $s: its TLS objects do not combine"
	${X}objcopy --strip-debug "$w/obj/tls-$s.o"
	${X}nm -g --defined-only "$w/obj/base-${s}0.o" "$w/obj/tls-$s.o" | awk 'NF == 3 { print $3 }' | sort -u >"$w/syms-$s"
	grep -qx gm_side_main "$w/syms-$s" || die "side $s has no gm_side_main: not a gmbench side"
	# The copies of one side object are kept between links (a compare repeated, the BASE
	# side of several compares): OUT/copies/<side letter>-<hash of its objects>/.
	key=$(cat "$w"/obj/base-$s*.o "$w/obj/tls-$s.o" | sha256sum | cut -c1-16)
	c="$out/copies/$s-$key"
	mkdir -p "$c"
	touch "$c"
	eval "cache_$s=\$c"
	# per slot not yet copied: the rename map and the two objcopy jobs
	awk -v s="$s" -v n="$slots" -v d="$w/obj" -v c="$c" -v nobj="$nobj" '
		{ sym[NR] = $1 }
		END { for (i = 0; i < n; i++) {
			t = c "/tls-" s i ".o"; o = c "/side-" s i ".o"
			have = (getline x < t) >= 0 && (getline x < o) >= 0
			close(t); close(o)
			if (have) continue
			f = d "/map-" s i
			for (k = 1; k in sym; k++) print sym[k], "gm" s i "_" sym[k] > f
			close(f)
			printf "%s/map-%s%d %s/base-%s%d.o %s/side-%s%d.o\n", d, s, i, d, s, i % nobj, c, s, i
			printf "%s/map-%s%d %s/tls-%s.o %s/tls-%s%d.o\n", d, s, i, d, s, c, s, i } }' \
		"$w/syms-$s" >"$w/obj/jobs-$s"
	awk -v s="$s" -v n="$slots" -v nobj="$nobj" 'BEGIN { for (i = 0; i < n; i++) print i, "L" (i % nobj + 1) }' >"$w/obj/src-$s"
done
# each copy is written under a temporary name: a copy present is complete
cat "$w/obj/jobs-A" "$w/obj/jobs-B" | xargs -r -P "$jobs" -n 3 sh -c "${X}objcopy --redefine-syms=\"\$0\" \"\$1\" \"\$2.tmp\" && mv \"\$2.tmp\" \"\$2\"" ||
	die "renaming the copies failed"
# a few side objects' copies are kept: the least recently used go
ls -1td "$out"/copies/*/ 2>/dev/null | tail -n +9 | while read -r old; do rm -rf "$old"; done
for s in A B; do
	eval "c=\$cache_$s"
	n=0 tls=""
	while [ "$n" -lt "$slots" ]; do tls="$tls $c/tls-$s$n.o"; n=$((n + 1)); done
	# shellcheck disable=SC2086
	$CC ${ARCH_CFLAGS:-} -shared -Wl,-soname,libgmtls$s.so -o "$w/libgmtls$s.so" $tls ||
		die "side $s: the shared object of its TLS code does not link"
done

# the slot table gmpair starts the copies from
{
	echo '/* generated by scripts/compare/pair-link.sh: the copies of each side in this binary */'
	echo 'struct gm_side_host;'
	echo 'typedef int gm_side_main_fn(const struct gm_side_host *);'
	n=0
	while [ "$n" -lt "$slots" ]; do
		echo "gm_side_main_fn gmA${n}_gm_side_main, gmB${n}_gm_side_main;"
		n=$((n + 1))
	done
	echo "const int gm_pair_nslots = $slots;"
	for s in A B; do
		printf 'gm_side_main_fn *const gm_pair_main_%s[] = {' "$(echo $s | tr AB ab)"
		n=0
		while [ "$n" -lt "$slots" ]; do printf ' gm%s%d_gm_side_main,' "$s" "$n"; n=$((n + 1)); done
		echo ' };'
	done
} >"$w/obj/slots.c"
$CC ${ARCH_CFLAGS:-} -c -o "$w/obj/slots.o" "$w/obj/slots.c"

# placement: per copy a link position, and per slot the offset into a page at which both of
# its copies' code start, and their data: A and B of one slot meet the same cache sets,
# fetch and branch-predictor alignments (a layout's effect on the two sides is then the
# same, and the pair sees the change, not where each side happened to land), while the
# slots spread over every offset.  All from K.  A padding object has no symbols, so one
# object serves every copy it fits; they are kept between links in OUT/pads-2 (page
# aligned, then the offset).
rand_stream "$k" $((slots * 6)) | awk -v n="$slots" '
	{ r[NR - 1] = $1 }
	END { for (i = 0; i < 2 * n; i++)
		if (i < 2)	# slot 0: the same place in every binary (its canary names the machine state)
			printf "%d %s 0 0 0\n", i - 2, (i % 2 ? "B" : "A")
		else	# a slot'"'"'s A and B copies: the same offsets in a page, drawn once per slot
			printf "%d %s %d %d %d\n", r[3*i], (i % 2 ? "B" : "A"), int(i / 2), r[6*int(i/2)+1] % 256 * 16, r[6*int(i/2)+2] % 256 * 16 }' >"$w/obj/order"
mkdir -p "$out/pads-2"
awk '{ print "t" $4; print "d" $5 }' "$w/obj/order" | sort -u | while read -r pad; do
	[ -f "$out/pads-2/$pad.o" ] && continue
	sec=$(case $pad in t*) echo .text ;; *) echo .data ;; esac)
	# a page boundary, then the offset: the copy after it starts that far into a page
	{
		printf '\t%s\n\t.balign 4096\n' "$sec"
		[ "${pad#?}" = 0 ] || printf '\t.skip %d\n' "${pad#?}"
		printf '\t.section .note.GNU-stack,"",%%progbits\n'
	} >"$w/obj/pad.S"
	$CC ${ARCH_CFLAGS:-} -c -o "$out/pads-2/$pad.o.tmp" "$w/obj/pad.S" && mv "$out/pads-2/$pad.o.tmp" "$out/pads-2/$pad.o"
done
objs=$(sort -n "$w/obj/order" | awk -v a="$cache_A" -v b="$cache_B" -v p="$out/pads-2" '
	{ print p "/t" $4 ".o", p "/d" $5 ".o", ($2 == "A" ? a : b) "/side-" $2 $3 ".o" }' | tr '\n' ' ')
libs="-lgmtlsA -lgmtlsB"
# shellcheck disable=SC2086
$CXX ${ARCH_CFLAGS:-} -o "$w/gmpair" "$drv/obj/bench/host/pair.o" "$drv/obj/bench/host/machine.o" "$w/obj/slots.o" \
	$objs -L"$w" $libs -Wl,--export-dynamic-symbol='gm[AB]*_gm_tls' -Wl,-rpath,'$ORIGIN' -lpthread -lm
{
	echo "layout seed $k: $slots slots, each a copy of side A and of side B"
	echo "copies in link order (side slot: offset of its code in a page, of its data, assembled layout):"
	sort -n "$w/obj/order" | awk -v d="$w/obj" '
		FILENAME != "-" { src[FILENAME ~ /src-A$/ ? "A" : "B", $1] = $2; next }
		{ print "  " $2 $3 ": " $4 " " $5 " " src[$2, $3] }' "$w/obj/src-A" "$w/obj/src-B" -
	echo "transitions (address, symbol):"
	${X}nm -n "$w/gmpair" | awk '$3 ~ /^gm[AB][0-9]+_gm_(asmcgocall|crosscall2|cgocallback|gogo|gosave|mcall|sigtramp|thread_entry)/ { print "  " $1, $3 }'
} >"$w/layout.txt"
[ -n "${GM_KEEP_OBJ:-}" ] || rm -rf "$w/obj"
echo "$w/gmpair"
