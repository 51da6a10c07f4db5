/*
 * tests/runtime/ports/amd64/hostile.S — hostile C-ABI code for the x86-64 tests.
 * SysV: rbx, rbp, r12-r15 callee-saved; everything else, r14 (g) included, is ours to
 * clobber after saving what the ABI says.
 */
#include "gm_abi.h"
#include "port.h"
#include "../../hostile.h"

#define POISON(r, k) movabsq $(0xbad0000000000000 + (k)), r

.macro POISON_SCRATCH
	POISON(%rax, 1); POISON(%rcx, 2); POISON(%rdx, 3); POISON(%rsi, 4)
	POISON(%r8, 5); POISON(%r9, 6); POISON(%r10, 7); POISON(%r11, 8)
	movq	%rax, %xmm0; movq %rcx, %xmm1; movq %rdx, %xmm2; movq %rsi, %xmm3
	movq	%r8, %xmm4; movq %r9, %xmm5; movq %r10, %xmm6; movq %r11, %xmm7
	movq	%rax, %xmm8; movq %rcx, %xmm9; movq %rdx, %xmm10; movq %rsi, %xmm11
	movq	%r8, %xmm12; movq %r9, %xmm13; movq %r10, %xmm14; movq %r11, %xmm15
.endm

/* int gm_hostile_entry(struct hostile_ctx *ctx) — rdi = ctx. */
TEXT(gm_hostile_entry)
	leaq	8(%rsp), %rax		/* SP before the CALL must be 16-aligned */
	testq	$15, %rax
	jz	1f
	lock incq HX_MISALIGNED(%rdi)
1:	incq	HX_CALLS(%rdi)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rbp		/* frame; rbp is restored from the push above */
	andq	$~15, %rsp		/* the body gets a good stack even when we did not */
	subq	$16, %rsp
	movq	%rdi, 0(%rsp)		/* ctx */
	POISON(%rbx, 0x11); POISON(%r12, 0x12); POISON(%r13, 0x13)
	POISON(%r14, 0x14)		/* g: garbage */
	POISON(%r15, 0x15)
	POISON_SCRATCH
	movq	0(%rsp), %rdi
	call	*HX_BODY(%rdi)		/* eax = body(ctx) */
	movl	%eax, 8(%rsp)
	POISON(%rbx, 0x21); POISON(%r12, 0x22); POISON(%r13, 0x23)
	POISON(%r14, 0x24); POISON(%r15, 0x25)
	POISON_SCRATCH
	movl	8(%rsp), %eax
	movq	%rbp, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
END(gm_hostile_entry)

#define PAT(k) (0x5eed000000000000 + ((k) << 8) + (k))

/* long gm_hostile_crosscall2(void *xc2, void (*fn)(void *), void *arg) */
TEXT(gm_hostile_crosscall2)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp		/* entered 8 mod 16: aligned for the call */
	movq	%rdi, %rax		/* rax = crosscall2 variant */
	movq	%rsi, %rdi		/* rdi = fn */
	movq	%rdx, %rsi		/* rsi = arg */
	movabsq	$PAT(1), %rbx
	movabsq	$PAT(2), %rbp
	movabsq	$PAT(3), %r12
	movabsq	$PAT(4), %r13
	movabsq	$PAT(5), %r14		/* g: garbage, must come back unchanged */
	movabsq	$PAT(6), %r15
	POISON(%rcx, 0x31); POISON(%rdx, 0x32)
	POISON(%r8, 0x33); POISON(%r9, 0x34); POISON(%r10, 0x35); POISON(%r11, 0x36)
	call	*%rax
	xorl	%eax, %eax
.macro CHK reg, k, bit
	movabsq	$PAT(\k), %rcx
	cmpq	%rcx, \reg
	je	1f
	orq	$(1 << \bit), %rax
1:
.endm
	CHK %rbx, 1, 0
	CHK %rbp, 2, 1
	CHK %r12, 3, 2
	CHK %r13, 4, 3
	CHK %r14, 5, 4
	CHK %r15, 6, 5
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
END(gm_hostile_crosscall2)

/* int gm_hostile_spin(struct hostile_ctx *ctx) — garbage in every register but rdi
 * (ctx) and rsp while signals arrive. */
TEXT(gm_hostile_spin)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	POISON(%rbx, 0x41); POISON(%rbp, 0x42); POISON(%r12, 0x43); POISON(%r13, 0x44)
	POISON(%r14, 0x45); POISON(%r15, 0x46)
	POISON_SCRATCH
1:	incq	HX_SPINS(%rdi)
	pause
	cmpq	$0, HX_STOP(%rdi)
	je	1b
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	xorl	%eax, %eax
	ret
END(gm_hostile_spin)

/* void *gm_hostile_slot_checked(void) — counts misaligned entries, then is gm_slot_le. */
TEXT(gm_hostile_slot_checked)
	leaq	8(%rsp), %rax
	testq	$15, %rax
	jz	1f
	lock incq gm_hostile_slot_misaligned(%rip)
1:	jmp	gm_slot_le
END(gm_hostile_slot_checked)

TEXT(gm_hostile_clobber_fp)
	POISON_SCRATCH
	ret
END(gm_hostile_clobber_fp)

	.data
	.p2align 3
	.globl gm_hostile_slot_misaligned
gm_hostile_slot_misaligned:
	.quad 0

	.section .note.GNU-stack,"",@progbits
