/*
 * tests/runtime/ports/arm64/hostile.S — hostile C-ABI code for the AArch64 tests.
 * AAPCS64: x19-x29 and the low halves of v8-v15 callee-saved, SP 16-aligned at all
 * times; everything else, x28 (g) included once saved, is ours to clobber.  x18 (the
 * platform register) is left alone.  QEMU user mode does not fault a misaligned SP,
 * so the entries check it themselves.
 */
#include "gm_abi.h"
#include "port.h"
#include "../../hostile.h"

#define POISON_BASE(k) (0xbad0000000000000 + ((k) << 8))

/* Garbage in x1-x17, x19-x30 and all of v0-v31 (x0 and sp kept). */
.macro POISON_REGS k
	MOV64	x1, POISON_BASE(\k)
	add	x2, x1, #2;   add x3, x1, #3;   add x4, x1, #4;   add x5, x1, #5
	add	x6, x1, #6;   add x7, x1, #7;   add x8, x1, #8;   add x9, x1, #9
	add	x10, x1, #10; add x11, x1, #11; add x12, x1, #12; add x13, x1, #13
	add	x14, x1, #14; add x15, x1, #15; add x16, x1, #16; add x17, x1, #17
	add	x19, x1, #19; add x20, x1, #20; add x21, x1, #21; add x22, x1, #22
	add	x23, x1, #23; add x24, x1, #24; add x25, x1, #25; add x26, x1, #26
	add	x27, x1, #27
	add	x28, x1, #28		/* g: garbage */
	add	x29, x1, #29; add x30, x1, #30
	POISON_FP
.endm

/* Garbage in all of v0-v31, both halves (x1-x17 as the source). */
.macro POISON_FP
	dup	v0.2d, x1;   dup v1.2d, x2;   dup v2.2d, x3;   dup v3.2d, x4
	dup	v4.2d, x5;   dup v5.2d, x6;   dup v6.2d, x7;   dup v7.2d, x8
	dup	v8.2d, x9;   dup v9.2d, x10;  dup v10.2d, x11; dup v11.2d, x12
	dup	v12.2d, x13; dup v13.2d, x14; dup v14.2d, x15; dup v15.2d, x16
	dup	v16.2d, x17; dup v17.2d, x1;  dup v18.2d, x2;  dup v19.2d, x3
	dup	v20.2d, x4;  dup v21.2d, x5;  dup v22.2d, x6;  dup v23.2d, x7
	dup	v24.2d, x8;  dup v25.2d, x9;  dup v26.2d, x10; dup v27.2d, x11
	dup	v28.2d, x12; dup v29.2d, x13; dup v30.2d, x14; dup v31.2d, x15
.endm

/* Save / restore every callee-saved register (x19-x30, d8-d15) in 160 bytes at sp. */
.macro SAVE_CALLEE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
.endm
.macro RESTORE_CALLEE
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
.endm

/* *(long *)xa += 1, atomically (exclusive monitor loop; scratch xt, wf). */
.macro ATOMIC_INC xa, xt, wf
99:	ldxr	\xt, [\xa]
	add	\xt, \xt, #1
	stxr	\wf, \xt, [\xa]
	cbnz	\wf, 99b
.endm

/* int gm_hostile_entry(struct hostile_ctx *ctx) — x0 = ctx. */
TEXT(gm_hostile_entry)
	mov	x9, sp			/* AAPCS64: SP 16-aligned at every public interface */
	tst	x9, #15
	b.eq	1f
	add	x10, x0, #HX_MISALIGNED
	ATOMIC_INC x10, x11, w12
1:	ldr	x11, [x0, #HX_CALLS]
	add	x11, x11, #1
	str	x11, [x0, #HX_CALLS]
	sub	sp, sp, #160
	SAVE_CALLEE
	mov	x9, sp			/* x9 = save area */
	and	x10, x9, #~15		/* the body gets a good stack even when we did not */
	sub	sp, x10, #32
	stp	x9, x0, [sp, #0]	/* save area, ctx */
	POISON_REGS 0x11
	ldr	x0, [sp, #8]
	ldr	x9, [x0, #HX_BODY]
	blr	x9			/* w0 = body(ctx) */
	str	w0, [sp, #16]
	POISON_REGS 0x21
	ldr	w0, [sp, #16]
	ldr	x9, [sp, #0]
	mov	sp, x9
	RESTORE_CALLEE
	add	sp, sp, #160
	ret
END(gm_hostile_entry)

#define PAT(k) (0x5eed000000000000 + ((k) << 8) + (k))

/* long gm_hostile_crosscall2(void *xc2, void (*fn)(void *), void *arg)
 * x19-x29 get PAT(1..11) (x28 = g: garbage that must come back), d8-d15 PAT(12..19);
 * the result has bit i set for each that came back changed: bits 0-10 x19-x29,
 * bits 11-18 d8-d15. */
TEXT(gm_hostile_crosscall2)
	sub	sp, sp, #160
	SAVE_CALLEE
	mov	x17, x0			/* x17 = crosscall2 variant */
	mov	x0, x1			/* x0 = fn */
	mov	x1, x2			/* x1 = arg */
	MOV64	x19, PAT(1)
	MOV64	x20, PAT(2)
	MOV64	x21, PAT(3)
	MOV64	x22, PAT(4)
	MOV64	x23, PAT(5)
	MOV64	x24, PAT(6)
	MOV64	x25, PAT(7)
	MOV64	x26, PAT(8)
	MOV64	x27, PAT(9)
	MOV64	x28, PAT(10)		/* g: garbage */
	MOV64	x29, PAT(11)		/* no frame pointer from here: sp-relative only */
	MOV64	x9, PAT(12);  fmov d8, x9
	MOV64	x9, PAT(13);  fmov d9, x9
	MOV64	x9, PAT(14);  fmov d10, x9
	MOV64	x9, PAT(15);  fmov d11, x9
	MOV64	x9, PAT(16);  fmov d12, x9
	MOV64	x9, PAT(17);  fmov d13, x9
	MOV64	x9, PAT(18);  fmov d14, x9
	MOV64	x9, PAT(19);  fmov d15, x9
	MOV64	x2, POISON_BASE(0x31)	/* scratch: garbage */
	add	x3, x2, #3;   add x4, x2, #4;   add x5, x2, #5;   add x6, x2, #6
	add	x7, x2, #7;   add x8, x2, #8;   add x9, x2, #9;   add x10, x2, #10
	add	x11, x2, #11; add x12, x2, #12; add x13, x2, #13; add x14, x2, #14
	add	x15, x2, #15; add x16, x2, #16
	blr	x17
	mov	x0, #0
.macro CHKX reg, k, bit
	MOV64	x9, PAT(\k)
	cmp	\reg, x9
	b.eq	1f
	orr	x0, x0, #(1 << \bit)
1:
.endm
.macro CHKD reg, k, bit
	MOV64	x9, PAT(\k)
	fmov	x10, \reg
	cmp	x10, x9
	b.eq	1f
	orr	x0, x0, #(1 << \bit)
1:
.endm
	CHKX x19, 1, 0
	CHKX x20, 2, 1
	CHKX x21, 3, 2
	CHKX x22, 4, 3
	CHKX x23, 5, 4
	CHKX x24, 6, 5
	CHKX x25, 7, 6
	CHKX x26, 8, 7
	CHKX x27, 9, 8
	CHKX x28, 10, 9
	CHKX x29, 11, 10
	CHKD d8, 12, 11
	CHKD d9, 13, 12
	CHKD d10, 14, 13
	CHKD d11, 15, 14
	CHKD d12, 16, 15
	CHKD d13, 17, 16
	CHKD d14, 18, 17
	CHKD d15, 19, 18
	RESTORE_CALLEE
	add	sp, sp, #160
	ret
END(gm_hostile_crosscall2)

/* int gm_hostile_spin(struct hostile_ctx *ctx) — garbage in every register but x0
 * (ctx), x18 and sp while signals arrive. */
TEXT(gm_hostile_spin)
	sub	sp, sp, #160
	SAVE_CALLEE
	POISON_REGS 0x41
1:	ldr	x9, [x0, #HX_SPINS]
	add	x9, x9, #1
	str	x9, [x0, #HX_SPINS]
	yield
	ldr	x9, [x0, #HX_STOP]
	cbz	x9, 1b
	RESTORE_CALLEE
	add	sp, sp, #160
	mov	w0, #0
	ret
END(gm_hostile_spin)

/* void *gm_hostile_slot_checked(void) — counts misaligned entries, then is gm_slot_le. */
TEXT(gm_hostile_slot_checked)
	mov	x9, sp
	tst	x9, #15
	b.eq	1f
	adrp	x10, gm_hostile_slot_misaligned
	add	x10, x10, #:lo12:gm_hostile_slot_misaligned
	ATOMIC_INC x10, x11, w12
1:	b	gm_slot_le
END(gm_hostile_slot_checked)

/* Go code owns every FP/SIMD register: trash them all (d8-d15 included), as Go code may. */
TEXT(gm_hostile_clobber_fp)
	MOV64	x1, POISON_BASE(0x51)
	add	x2, x1, #2;   add x3, x1, #3;   add x4, x1, #4;   add x5, x1, #5
	add	x6, x1, #6;   add x7, x1, #7;   add x8, x1, #8;   add x9, x1, #9
	add	x10, x1, #10; add x11, x1, #11; add x12, x1, #12; add x13, x1, #13
	add	x14, x1, #14; add x15, x1, #15; add x16, x1, #16; add x17, x1, #17
	POISON_FP
	ret
END(gm_hostile_clobber_fp)

	.data
	.p2align 3
	.globl gm_hostile_slot_misaligned
gm_hostile_slot_misaligned:
	.quad 0

	.section .note.GNU-stack,"",%progbits
