/*
 * amd64/cgo.S — Go -> C (asmcgocall) and C -> Go (crosscall2, cgocallback).
 *
 * Stack alignment strategies for the C call (variants, see core/variants.c):
 *   mask   - dynamic: and $~15, %rsp (what Go does)
 *   static - frames sized from a known invariant, no mask: g0->sched.sp is always
 *            8 mod 16 (as an SP just after a CALL), crosscall2 is entered 8 mod 16
 *   none   - the natural frame, alignment forgotten: exists only so the tests can
 *            show they catch a misaligned C call
 */
#include "gm_abi.h"
#include "port.h"

/* int asmcgocall(int (*fn)(void *), void *arg) — Go side.
 * rdi = fn, rsi = arg, r14 = g.  Switch to m->g0's stack unless already on g0 or
 * gsignal, record the goroutine's sp/pc/bp in g->sched (for callbacks), set g = g0
 * in r14 and in TLS, call fn(arg) with a C-aligned SP, switch back.
 * g0 frame: 0(%rsp) = goroutine sp, 8(%rsp) = goroutine g. */
.macro ASMCGOCALL name, align
TEXT(\name)
	movq	%rdi, %rax		/* rax = fn */
	movq	%rsi, %rdi		/* rdi = arg: C's first argument */
	movq	%rsp, %rdx		/* rdx = caller's sp (at our return address) */
	movq	G_M(%r14), %r8		/* r8 = m */
	movq	M_G0(%r8), %rsi		/* rsi = g0 */
	cmpq	%rsi, %r14
	je	2f
	cmpq	M_GSIGNAL(%r8), %r14
	je	2f
	/* gosave into g->sched: where cgocallback puts a callback's frames */
	movq	(%rsp), %rcx
	movq	%rcx, G_SCHED+GOBUF_PC(%r14)
	leaq	8(%rsp), %rcx
	movq	%rcx, G_SCHED+GOBUF_SP(%r14)
	movq	%rbp, G_SCHED+GOBUF_BP(%r14)
	movq	%r14, %rcx		/* rcx = goroutine g */
	movq	%rsi, %r14		/* g = g0 */
	movq	%r14, TLS_G_LE		/* C code, callbacks, signals: g0 */
	movq	G_SCHED+GOBUF_SP(%r14), %rsp	/* g0 stack, 8 mod 16 */
.ifc \align,mask
	subq	$16, %rsp
	andq	$~15, %rsp
.endif
.ifc \align,static
	subq	$24, %rsp		/* 8 mod 16 - 24 = 0 mod 16 */
.endif
.ifc \align,none
	subq	$16, %rsp		/* two words, still 8 mod 16: misaligned */
.endif
	movq	%rcx, 8(%rsp)
	movq	%rdx, 0(%rsp)
	PROBE	PR_ASMCGOCALL_ONG0
	call	*%rax			/* eax = fn(arg) */
	PROBE	PR_ASMCGOCALL_BACK
	movq	8(%rsp), %r14		/* g = goroutine g (C may have clobbered r14) */
	movq	0(%rsp), %rsp		/* back on the goroutine stack */
	movq	%r14, TLS_G_LE
	ret
2:	/* already on g0 or gsignal: stay on this stack; its alignment is unknown */
	subq	$16, %rsp
.ifnc \align,none
	andq	$~15, %rsp
.endif
	movq	%r14, 8(%rsp)
	movq	%rdx, 0(%rsp)
	call	*%rax
	movq	8(%rsp), %r14
	movq	0(%rsp), %rsp
	ret
END(\name)
.endm

ASMCGOCALL gm_asmcgocall, static
ASMCGOCALL gm_asmcgocall_mask, mask
ASMCGOCALL gm_asmcgocall_static, static
ASMCGOCALL gm_asmcgocall_none, none

/* void gm_cgocallback(void (*fn)(void *), void *arg) — reached from crosscall2 with
 * r14 = g as TLS had it (m->g0 while C runs under asmcgocall; NULL on a thread gmbench
 * did not create).  With no g, gm_needm first lends this thread an extra m (r14 = its
 * g0), and gm_dropm takes it back on the way out (Go's needm/dropm).  On the g0
 * stack: save g0->sched.sp and lower it below this frame (so a nested asmcgocall does
 * not overwrite us), switch to m->curg's stack below its saved sched.sp, run
 * gm_cgocallbackg(fn, arg) there, restore curg->sched and g0->sched.sp, return on g0.
 * g0 frame: -8(%rbp) = 1 if needm lent the m, -16(%rbp) = old g0->sched.sp.
 * curg frame: 0 = old sched.sp, 8 = old sched.pc. */
TEXT(gm_cgocallback)
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	$0			/* -8(%rbp): no dropm unless needm ran */
	testq	%r14, %r14
	jz	9f			/* no g: a thread gmbench did not create */
1:	movq	G_M(%r14), %r8		/* r8 = m */
	movq	M_G0(%r8), %rcx		/* rcx = g0 */
	cmpq	%rcx, %r14
	jne	8f			/* callbacks come from C code running on g0 */
	cmpq	$0, M_CURG(%r8)
	je	7f			/* ... that a goroutine's cgocall entered */
	pushq	G_SCHED+GOBUF_SP(%rcx)	/* -16(%rbp) = old g0->sched.sp */
	leaq	-8(%rsp), %rax
	andq	$~15, %rax
	addq	$8, %rax		/* keep the invariant: 8 mod 16 */
	movq	%rax, G_SCHED+GOBUF_SP(%rcx)
	/* switch to curg */
	movq	M_CURG(%r8), %r14	/* g = m->curg */
	movq	%r14, TLS_G_LE
	movq	G_SCHED+GOBUF_SP(%r14), %rax	/* rax = curg's saved sp */
	movq	G_SCHED+GOBUF_PC(%r14), %r9	/* r9  = curg's saved pc */
	leaq	-16(%rax), %rsp
	andq	$~15, %rsp		/* below the goroutine's live frames, C-aligned */
	movq	%rax, 0(%rsp)
	movq	%r9, 8(%rsp)
	PROBE	PR_CGOCALLBACK_ONCURG
	call	gm_cgocallbackg		/* rdi = fn, rsi = arg; runs fn on curg */
	/* still on curg (r14) */
	movq	0(%rsp), %rax
	movq	%rax, G_SCHED+GOBUF_SP(%r14)
	movq	8(%rsp), %rax
	movq	%rax, G_SCHED+GOBUF_PC(%r14)
	/* back on g0's stack before g is g0: once dropm puts the m back on the extra list,
	 * another thread may run on this curg stack at once */
	leaq	-16(%rbp), %rsp		/* rsp = our g0 frame, -16(%rbp) on top */
	movq	G_M(%r14), %r8
	movq	M_G0(%r8), %r14		/* g = g0 */
	movq	%r14, TLS_G_LE
	PROBE	PR_CGOCALLBACK_BACKG0
	movq	-16(%rbp), %rax
	movq	%rax, G_SCHED+GOBUF_SP(%r14)	/* restore g0->sched.sp */
	cmpq	$0, -8(%rbp)
	jne	6f
	leave
	ret
6:	andq	$~15, %rsp		/* gm_dropm is C; rsp is still in our g0 frame */
	call	gm_dropm		/* r14 = 0, TLS empty, the m back on the extra list */
	leave
	ret
	/* misuse: C-aligned calls of the reporters, which print and exit */
7:	andq	$~15, %rsp
	call	gm_badcgocallback_nocurg
	ud2
8:	movq	%r14, %rdi
	andq	$~15, %rsp
	call	gm_badcgocallback_notg0
	ud2
9:	pushq	%rdi			/* -16(%rbp) = fn */
	pushq	%rsi			/* -24(%rbp) = arg */
	andq	$~15, %rsp
	call	gm_needm		/* r14 = the lent m's g0, in TLS too (or the message) */
	movq	-16(%rbp), %rdi
	movq	-24(%rbp), %rsi
	leaq	-8(%rbp), %rsp		/* the frame of the path with g */
	movq	$1, -8(%rbp)		/* dropm on the way out */
	jmp	1b
END(gm_cgocallback)

/* void crosscall2(void (*fn)(void *), void *arg) — C ABI, called by C code.
 * rdi = fn, rsi = arg.  Saves the SysV callee-saved registers (the Go side treats every
 * register as scratch), loads g from the thread's TLS slot (C may have left anything in
 * r14) with the variant's access, calls gm_cgocallback.
 * Entered 8 mod 16; six pushes leave it 8 mod 16.
 * tls: le (%fs:gm_tls@tpoff), fs0 (TCB self-pointer then offset), rdfsbase, call
 * (C function through gm_tls_slot_fn: IE/GD/descriptor/pthread/...). */
.macro CROSSCALL2 name, tls, align
TEXT(\name)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.ifc \align,static
	subq	$8, %rsp		/* 8 mod 16 - 8: aligned */
.endif
.ifc \align,mask
	movq	%rsp, %rbp
	andq	$~15, %rsp
.endif
.ifc \tls,le
	movq	TLS_G_LE, %r14		/* g from TLS */
.endif
.ifc \tls,fs0
	movq	%fs:0, %rax		/* rax = thread pointer (TCB self-pointer) */
	movq	gm_tls@tpoff+TLS_G(%rax), %r14
.endif
.ifc \tls,rdfsbase
	rdfsbase %rax			/* rax = thread pointer; needs CR4.FSGSBASE */
	movq	gm_tls@tpoff+TLS_G(%rax), %r14
.endif
.ifc \tls,call
	movq	%rdi, %rbx		/* keep fn, arg across the C call */
	movq	%rsi, %r12
	call	*gm_tls_slot_fn(%rip)	/* rax = &slot (a C function: needs alignment) */
	movq	TLS_G(%rax), %r14
	movq	%rbx, %rdi
	movq	%r12, %rsi
.endif
	PROBE	PR_CROSSCALL2_GOTG
	call	gm_cgocallback
.ifc \align,static
	addq	$8, %rsp
.endif
.ifc \align,mask
	movq	%rbp, %rsp
.endif
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
END(\name)
.endm

CROSSCALL2 gm_crosscall2, le, static
CROSSCALL2 gm_crosscall2_le, le, static
CROSSCALL2 gm_crosscall2_fs0, fs0, static
CROSSCALL2 gm_crosscall2_rdfsbase, rdfsbase, static
CROSSCALL2 gm_crosscall2_call, call, static
CROSSCALL2 gm_crosscall2_mask, call, mask
CROSSCALL2 gm_crosscall2_static, call, static
CROSSCALL2 gm_crosscall2_none, call, none

	.section .note.GNU-stack,"",@progbits
