/*
 * tests/runtime/ports/arm32/hostile.S — hostile C-ABI code for the ARMv7 tests.
 * AAPCS: r4-r11 (r9 = m and r10 = g included) and d8-d15 callee-saved, SP 8-aligned at
 * every call of a public function; everything else is ours to clobber, and the
 * callee-saved ones too once saved.  QEMU does not care about SP alignment, so the
 * entries check it themselves.  d16-d31 are touched only where the CPU has them.
 */
#include "gm_abi.h"
#include "port.h"
#include "../../hostile.h"

	.fpu	neon

#define HWCAP_VFPD32 (1 << 19)
#define AT_HWCAP 16

/* Garbage (0xbad0_kk_nn) in r1-r12 and lr (r9, r10 included); r0 and sp kept. */
.macro POISON_CORE k
	MOV32	r1, (0xbad00001 + ((\k) << 8))
	add	r2, r1, #1;  add r3, r1, #2;  add r4, r1, #3;  add r5, r1, #4
	add	r6, r1, #5;  add r7, r1, #6;  add r8, r1, #7;  add r9, r1, #8
	add	r10, r1, #9; add r11, r1, #10; add r12, r1, #11; add lr, r1, #12
.endm

/* Garbage in d0-d15 and, where present, d16-d31 (r1-r12 as the source). */
.macro POISON_FP
	vmov	d0, r1, r2;   vmov d1, r2, r3;   vmov d2, r3, r4;   vmov d3, r4, r5
	vmov	d4, r5, r6;   vmov d5, r6, r7;   vmov d6, r7, r8;   vmov d7, r8, r9
	vmov	d8, r9, r10;  vmov d9, r10, r11; vmov d10, r11, r12; vmov d11, r12, r1
	vmov	d12, r1, r3;  vmov d13, r2, r4;  vmov d14, r3, r5;  vmov d15, r4, r6
	LDA	r12, gm_hostile_have_d32
	ldr	r12, [r12]
	cmp	r12, #0
	beq	98f
	vmov	d16, r1, r2;  vmov d17, r2, r3;  vmov d18, r3, r4;  vmov d19, r4, r5
	vmov	d20, r5, r6;  vmov d21, r6, r7;  vmov d22, r7, r8;  vmov d23, r8, r9
	vmov	d24, r9, r10; vmov d25, r10, r11; vmov d26, r11, r1; vmov d27, r1, r3
	vmov	d28, r2, r4;  vmov d29, r3, r5;  vmov d30, r4, r6;  vmov d31, r5, r7
98:
.endm

/* Everything: core registers, then FP from them. */
.macro POISON_ALL k
	POISON_CORE \k
	POISON_FP
	POISON_CORE \k
.endm

/* *ra += 1, atomically (exclusive monitor loop; scratch rt, rf). */
.macro ATOMIC_INC ra, rt, rf
97:	ldrex	\rt, [\ra]
	add	\rt, \rt, #1
	strex	\rf, \rt, [\ra]
	cmp	\rf, #0
	bne	97b
.endm

/* int gm_hostile_entry(struct hostile_ctx *ctx) — r0 = ctx.
 * Frame: r4-r11, lr, d8-d15 (restored: the C ABI), then an 8-aligned area of its own
 * (the body gets a good stack even when we did not): 0 = ctx, 4 = sp to return to,
 * 8 = the body's result. */
TEXT(gm_hostile_entry)
	tst	sp, #7				/* AAPCS: SP 8-aligned at the call */
	beq	1f
	add	r1, r0, #HX_MISALIGNED
	ATOMIC_INC r1, r2, r3
1:	ldr	r1, [r0, #HX_CALLS]
	add	r1, r1, #1
	str	r1, [r0, #HX_CALLS]
	push	{r4-r11, lr}
	vpush	{d8-d15}
	mov	r1, sp
	sub	sp, sp, #16
	bic	sp, sp, #7
	str	r0, [sp, #0]
	str	r1, [sp, #4]
	POISON_ALL 1				/* g, m and everything else: garbage */
	ldr	r0, [sp, #0]
	ldr	r12, [r0, #HX_BODY]
	blx	r12				/* r0 = body(ctx) */
	str	r0, [sp, #8]
	POISON_ALL 2
	ldr	r0, [sp, #8]
	ldr	sp, [sp, #4]
	vpop	{d8-d15}
	pop	{r4-r11, lr}
	/* scratch registers hold garbage on return, as C code may leave them */
	MOV32	r1, 0xbad00301
	mov	r2, r1; mov r3, r1; mov r12, r1
	bx	lr
END(gm_hostile_entry)

#define PAT(k)   (0x5eed0000 + ((k) << 8) + (k))
#define DPATLO(k) (0xd0d00000 + ((k) << 8) + (k))
#define DPATHI(k) (0x5eedd000 + (k))

/* long gm_hostile_crosscall2(void *xc2, void (*fn)(void *), void *arg)
 * r0 = crosscall2 variant, r1 = fn, r2 = arg.  Known patterns in r4-r11 (g and m
 * among them: garbage to the Go side, must come back unchanged) and d8-d15, garbage
 * in r3, r12 and d0-d7 (and d16-d31); calls xc2(fn, arg) 8-aligned; returns a mask of
 * what came back changed: bits 0-7 = r4-r11, bits 8-15 = d8-d15. */
TEXT(gm_hostile_crosscall2)
	push	{r4-r11, lr}			/* 9 words */
	vpush	{d8-d15}			/* + 64 bytes: 4 mod 8 */
	sub	sp, sp, #4			/* entered aligned: aligned again */
	mov	r12, r0				/* r12 = crosscall2 variant */
	mov	r0, r1				/* r0 = fn */
	mov	r1, r2				/* r1 = arg */
	MOV32	r2, 0xbad00401
	add	r3, r2, #1
	vmov	d0, r2, r3; vmov d1, r3, r2; vmov d2, r2, r2; vmov d3, r3, r3
	vmov	d4, r2, r3; vmov d5, r3, r2; vmov d6, r2, r2; vmov d7, r3, r3
	LDA	r4, gm_hostile_have_d32
	ldr	r4, [r4]
	cmp	r4, #0
	beq	1f
	vmov	d16, r2, r3; vmov d17, r3, r2; vmov d18, r2, r2; vmov d19, r3, r3
	vmov	d20, r2, r3; vmov d21, r3, r2; vmov d22, r2, r2; vmov d23, r3, r3
	vmov	d24, r2, r3; vmov d25, r3, r2; vmov d26, r2, r2; vmov d27, r3, r3
	vmov	d28, r2, r3; vmov d29, r3, r2; vmov d30, r2, r2; vmov d31, r3, r3
1:
.irp k, 8, 9, 10, 11, 12, 13, 14, 15
	MOV32	r2, DPATLO(\k)
	MOV32	r3, DPATHI(\k)
	vmov	d\k, r2, r3
.endr
	MOV32	r4, PAT(4)
	MOV32	r5, PAT(5)
	MOV32	r6, PAT(6)
	MOV32	r7, PAT(7)
	MOV32	r8, PAT(8)
	MOV32	r9, PAT(9)			/* m: garbage */
	MOV32	r10, PAT(10)			/* g: garbage */
	MOV32	r11, PAT(11)
	MOV32	r2, 0xbad00411
	mov	r3, r2
	blx	r12
	mov	r0, #0
.irp k, 4, 5, 6, 7, 8, 9, 10, 11
	MOV32	r1, PAT(\k)
	cmp	r\k, r1
	orrne	r0, r0, #(1 << (\k - 4))
.endr
.irp k, 8, 9, 10, 11, 12, 13, 14, 15
	vmov	r2, r3, d\k
	MOV32	r1, DPATLO(\k)
	cmp	r2, r1
	MOV32	r1, DPATHI(\k)
	cmpeq	r3, r1
	orrne	r0, r0, #(1 << \k)
.endr
	add	sp, sp, #4
	vpop	{d8-d15}
	pop	{r4-r11, pc}
END(gm_hostile_crosscall2)

/* int gm_hostile_spin(struct hostile_ctx *ctx) — garbage in every register but r0
 * (ctx) and sp while signals arrive; r1/r2 are the loop's own. */
TEXT(gm_hostile_spin)
	push	{r4-r11, lr}
	vpush	{d8-d15}
	POISON_ALL 5
1:	ldr	r1, [r0, #HX_SPINS]
	add	r1, r1, #1
	str	r1, [r0, #HX_SPINS]
	yield
	ldr	r2, [r0, #HX_STOP]
	cmp	r2, #0
	beq	1b
	vpop	{d8-d15}
	pop	{r4-r11, lr}
	mov	r0, #0
	bx	lr
END(gm_hostile_spin)

/* void *gm_hostile_slot_checked(void) — counts misaligned entries, then is gm_slot_le. */
TEXT(gm_hostile_slot_checked)
	tst	sp, #7
	beq	1f
	LDA	r0, gm_hostile_slot_misaligned
	ATOMIC_INC r0, r1, r2
1:	b	gm_slot_le
END(gm_hostile_slot_checked)

/* Go code owns every FP/SIMD register: trash them all (d8-d15 too), as Go code may. */
TEXT(gm_hostile_clobber_fp)
	push	{r4-r11, lr}
	POISON_CORE 6
	POISON_FP
	pop	{r4-r11, lr}
	MOV32	r0, 0xbad00601
	mov	r1, r0; mov r2, r0; mov r3, r0; mov r12, r0
	bx	lr
END(gm_hostile_clobber_fp)

/* Constructor: d16-d31 exist only with VFPv3-D32 / NEON (AT_HWCAP bit 19). */
TEXT(gm_hostile_init_d32)
	push	{r4, lr}
	mov	r0, #AT_HWCAP
	bl	getauxval
	tst	r0, #HWCAP_VFPD32
	movne	r0, #1
	moveq	r0, #0
	LDA	r1, gm_hostile_have_d32
	str	r0, [r1]
	pop	{r4, pc}
END(gm_hostile_init_d32)

/* gm_test_count_save_gm — a stand-in for the seed's cgo_save_gm pointer (tests that say
 * which transitions write TLS through it): counts the call in gm_test_save_gm_calls
 * (atomically), then goes on into cgo_tls_set_gm.  The helper's contract: r0, lr and the
 * flags die, everything else is kept (gogocall_seed keeps its gobuf and fn in r1/r3). */
TEXT(gm_test_count_save_gm)
	push	{r1, r2, r3, r12}
	LDA	r1, gm_test_save_gm_calls
	ATOMIC_INC r1, r2, r3
	pop	{r1, r2, r3, r12}
	b	gm_cgo_tls_set_gm_seed
END(gm_test_count_save_gm)

	.section .init_array, "aw", %init_array
	.p2align 2
	.word	gm_hostile_init_d32

	.data
	.p2align 2
	.globl	gm_hostile_slot_misaligned
	.type	gm_hostile_slot_misaligned, %object
gm_hostile_slot_misaligned:
	.word	0
	.size	gm_hostile_slot_misaligned, 4
	.globl	gm_hostile_have_d32
gm_hostile_have_d32:
	.word	0
	.globl	gm_test_save_gm_calls
	.type	gm_test_save_gm_calls, %object
gm_test_save_gm_calls:
	.word	0
	.size	gm_test_save_gm_calls, 4

	.section .note.GNU-stack,"",%progbits
