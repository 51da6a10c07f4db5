/*
 * arm/arm64/cgo.S — Go -> C (asmcgocall) and C -> Go (crosscall2, cgocallback).
 *
 * Stack alignment strategies for the C call (variants, see variants.c):
 *   static - frames sized in multiples of 16 from a known invariant, no mask:
 *            g0->sched.sp is always 16-aligned (what today's Go does on arm64)
 *   mask   - dynamic: round down to 16 with `and` through a scratch register
 *            (AArch64 cannot `and` sp with itself)
 *   none   - a natural frame of an odd number of words, alignment forgotten: exists
 *            only so the tests can show they catch a misaligned C call.  QEMU user
 *            mode runs it; real hardware may raise SIGBUS on its first SP-relative
 *            access, which is the point.
 */
#include "gm_abi.h"
#include "port.h"

/* int asmcgocall(int (*fn)(void *), void *arg) — Go side.
 * x0 = fn, x1 = arg, x28 = g, x29 = caller's fp, x30 = return address.  Switch to
 * m->g0's stack unless already on g0 or gsignal, record the goroutine's sp/pc/fp in
 * g->sched (for callbacks), set g = g0 in x28 and in TLS, call fn(arg), switch back.
 * g0 frame (static/mask, 32 bytes): 0 = x29, 8 = x30 (a frame record linking the C
 * frames to the goroutine's), 16 = goroutine g, 24 = goroutine sp.
 * (none, 24 bytes): 0 = x30, 8 = goroutine g, 16 = goroutine sp; x29 is left to C,
 * which preserves it. */
.macro ASMCGOCALL name, align
TEXT(\name)
	mov	x9, x0			/* x9 = fn */
	mov	x0, x1			/* x0 = arg: C's first argument */
	mov	x10, sp			/* x10 = caller's sp */
	ldr	x11, [x28, #G_M]	/* x11 = m */
	ldr	x12, [x11, #M_G0]	/* x12 = g0 */
	cmp	x12, x28
	b.eq	2f
	ldr	x13, [x11, #M_GSIGNAL]
	cmp	x13, x28
	b.eq	2f
	/* gosave into g->sched: where cgocallback puts a callback's frames */
	stp	x10, x30, [x28, #G_SCHED+GOBUF_SP]
	str	x29, [x28, #G_SCHED+GOBUF_BP]
	mov	x13, x28		/* x13 = goroutine g */
	mov	x28, x12		/* g = g0 */
	TLS_SAVE_G x28, x14		/* C code, callbacks, signals: g0 */
	ldr	x14, [x28, #G_SCHED+GOBUF_SP]	/* x14 = g0 stack, 16-aligned */
.ifc \align,static
	sub	sp, x14, #32		/* 0 mod 16 - 32: aligned */
.endif
.ifc \align,mask
	sub	x14, x14, #32
	and	x14, x14, #~15
	mov	sp, x14
.endif
.ifc \align,none
	sub	sp, x14, #24		/* three words: 8 mod 16, misaligned */
	str	x30, [sp, #0]
	stp	x13, x10, [sp, #8]
.else
	stp	x29, x30, [sp, #0]
	stp	x13, x10, [sp, #16]
	mov	x29, sp
.endif
	PROBE	PR_ASMCGOCALL_ONG0
	blr	x9			/* w0 = fn(arg) */
	PROBE	PR_ASMCGOCALL_BACK		/* x0 = C's result: preserved */
.ifc \align,none
	ldr	x30, [sp, #0]
	ldp	x28, x10, [sp, #8]	/* g = goroutine g (C may have left anything in x28) */
.else
	ldp	x29, x30, [sp, #0]
	ldp	x28, x10, [sp, #16]
.endif
	mov	sp, x10			/* back on the goroutine stack */
	TLS_SAVE_G x28, x9
	ret
2:	/* already on g0 or gsignal: stay on this stack (x10 = sp, x28 = g) */
.ifc \align,none
	sub	sp, sp, #24
	str	x30, [sp, #0]
	stp	x28, x10, [sp, #8]
.else
	sub	x14, x10, #32
	and	x14, x14, #~15
	mov	sp, x14
	stp	x29, x30, [sp, #0]
	stp	x28, x10, [sp, #16]
	mov	x29, sp
.endif
	blr	x9
.ifc \align,none
	ldr	x30, [sp, #0]
	ldp	x28, x10, [sp, #8]
.else
	ldp	x29, x30, [sp, #0]
	ldp	x28, x10, [sp, #16]
.endif
	mov	sp, x10
	ret
END(\name)
.endm

ASMCGOCALL gm_asmcgocall, static
ASMCGOCALL gm_asmcgocall_mask, mask
ASMCGOCALL gm_asmcgocall_static, static
ASMCGOCALL gm_asmcgocall_none, none

/* void gm_cgocallback(void (*fn)(void *), void *arg) — reached from crosscall2 with
 * x0 = fn, x1 = arg, x28 = g as TLS had it (m->g0 while C runs under asmcgocall; NULL
 * on a thread gmbench did not create).  With no g, gm_needm first lends this thread an
 * extra m (x28 = its g0), and gm_dropm takes it back on the way out (Go's needm/dropm).
 * On the g0 stack: save g0->sched.sp and lower it below this frame (so a nested
 * asmcgocall does not overwrite us), switch to m->curg's stack below its saved
 * sched.sp, run gm_cgocallbackg(fn, arg) there, restore curg->sched and
 * g0->sched.sp, return on g0.
 * g0 frame (32): 0 = x29, 8 = x30, 16 = old g0->sched.sp, 24 = 1 if needm lent the m.
 * curg frame (32): 0 = curg sched.bp, 8 = curg sched.pc (a frame record: the callback
 * unwinds into the goroutine's cgocall site, as in Go), 16 = curg sched.sp,
 * 24 = our g0 frame. */
TEXT(gm_cgocallback)
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	str	xzr, [x29, #24]		/* no dropm unless needm ran */
	cbz	x28, 9f			/* no g: a thread gmbench did not create */
1:	ldr	x8, [x28, #G_M]		/* x8 = m */
	ldr	x9, [x8, #M_G0]		/* x9 = g0 */
	cmp	x9, x28
	b.ne	8f			/* callbacks come from C code running on g0 */
	ldr	x10, [x8, #M_CURG]
	cbz	x10, 7f			/* ... that a goroutine's cgocall entered */
	ldr	x10, [x9, #G_SCHED+GOBUF_SP]
	str	x10, [x29, #16]		/* old g0->sched.sp */
	mov	x10, sp
	and	x10, x10, #~15		/* keep the invariant even if crosscall2 did not */
	str	x10, [x9, #G_SCHED+GOBUF_SP]
	/* switch to curg */
	ldr	x28, [x8, #M_CURG]	/* g = m->curg */
	TLS_SAVE_G x28, x11
	ldp	x10, x11, [x28, #G_SCHED+GOBUF_SP]	/* x10 = curg's saved sp, x11 = pc */
	ldr	x12, [x28, #G_SCHED+GOBUF_BP]		/* x12 = curg's saved fp */
	sub	x13, x10, #32
	and	x13, x13, #~15		/* below the goroutine's live frames, aligned */
	mov	sp, x13
	stp	x12, x11, [sp, #0]
	stp	x10, x29, [sp, #16]
	mov	x29, sp
	PROBE	PR_CGOCALLBACK_ONCURG
	bl	gm_cgocallbackg		/* x0 = fn, x1 = arg; runs fn on curg */
	/* still on curg (x28), sp = the curg frame */
	ldp	x12, x11, [sp, #0]
	ldp	x10, x9, [sp, #16]	/* x9 = our g0 frame */
	stp	x10, x11, [x28, #G_SCHED+GOBUF_SP]	/* restore curg->sched.sp, pc */
	str	x12, [x28, #G_SCHED+GOBUF_BP]
	ldr	x8, [x28, #G_M]
	ldr	x28, [x8, #M_G0]	/* g = g0 */
	TLS_SAVE_G x28, x11
	mov	sp, x9			/* back on g0, our frame */
	mov	x29, x9
	PROBE	PR_CGOCALLBACK_BACKG0
	ldr	x10, [sp, #16]
	str	x10, [x28, #G_SCHED+GOBUF_SP]	/* restore g0->sched.sp */
	ldr	x10, [sp, #24]
	cbnz	x10, 6f
	ldp	x29, x30, [sp], #32
	ret
6:	mov	x10, sp
	and	x10, x10, #~15
	mov	sp, x10			/* gm_dropm is C */
	bl	gm_dropm		/* x28 = 0, TLS empty, the m back on the extra list */
	mov	sp, x29
	ldp	x29, x30, [sp], #32
	ret
	/* misuse: aligned calls of the reporters, which print and exit */
7:	mov	x10, sp
	and	x10, x10, #~15
	mov	sp, x10
	bl	gm_badcgocallback_nocurg
	brk	#0
8:	mov	x10, sp
	and	x10, x10, #~15
	mov	sp, x10
	mov	x0, x28
	bl	gm_badcgocallback_notg0
	brk	#0
9:	sub	x10, x29, #16
	and	x10, x10, #~15
	mov	sp, x10			/* gm_needm is C; no red zone: sp first */
	stp	x0, x1, [sp]		/* fn, arg */
	bl	gm_needm		/* x28 = the lent m's g0, in TLS too (or the message) */
	ldp	x0, x1, [sp]
	mov	sp, x29			/* the frame of the path with g */
	mov	x10, #1
	str	x10, [x29, #24]		/* dropm on the way out */
	b	1b
END(gm_cgocallback)

/* void crosscall2(void (*fn)(void *), void *arg) — C ABI, called by C code.
 * x0 = fn, x1 = arg.  Saves the AAPCS64 callee-saved registers x19-x30 (the Go side
 * treats every register as scratch), in the fp variant also d8-d15 (as today's Go
 * does), loads g from the thread's TLS slot (C may have left anything in x28) with
 * the variant's access, calls gm_cgocallback.
 * Frame: 0 = x29, 8 = x30 (frame record), 16..95 = x19-x28, [96..159 = d8-d15],
 * [none: 96 = arg: 13 words, not a multiple of 16].
 * tls: le (mrs tpidr_el0 + local-exec offset, inline), call (C function through
 * gm_tls_slot_fn: IE/GD/descriptor/pthread/...). */
.macro CROSSCALL2 name, tls, align, fp
.ifc \fp,fp
	.set	.Lframe, 160
.else
.ifc \align,none
	.set	.Lframe, 104
.else
	.set	.Lframe, 96
.endif
.endif
TEXT(\name)
	stp	x29, x30, [sp, #-.Lframe]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
.ifc \fp,fp
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
.endif
.ifc \align,mask
	mov	x9, sp
	and	x9, x9, #~15
	mov	sp, x9			/* x29 keeps the frame */
.endif
.ifc \tls,le
	TLS_LOAD_G x28			/* g from TLS */
.endif
.ifc \tls,call
	mov	x19, x0			/* keep fn (and arg) across the C call */
.ifc \align,none
	str	x1, [sp, #96]
.else
	mov	x20, x1
.endif
	adrp	x9, gm_tls_slot_fn
	ldr	x9, [x9, #:lo12:gm_tls_slot_fn]
	blr	x9			/* x0 = &slot (a C function: needs alignment) */
	ldr	x28, [x0, #TLS_G]
	mov	x0, x19
.ifc \align,none
	ldr	x1, [sp, #96]
.else
	mov	x1, x20
.endif
.endif
	PROBE	PR_CROSSCALL2_GOTG
	bl	gm_cgocallback		/* x0 = fn, x1 = arg, x28 = g */
.ifc \align,mask
	mov	sp, x29
.endif
.ifc \fp,fp
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
.endif
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #.Lframe
	ret
END(\name)
.endm

CROSSCALL2 gm_crosscall2, le, static, nofp
CROSSCALL2 gm_crosscall2_le, le, static, nofp
CROSSCALL2 gm_crosscall2_fp, le, static, fp
CROSSCALL2 gm_crosscall2_call, call, static, nofp
CROSSCALL2 gm_crosscall2_mask, call, mask, nofp
CROSSCALL2 gm_crosscall2_static, call, static, nofp
CROSSCALL2 gm_crosscall2_none, call, none, nofp

	.section .note.GNU-stack,"",%progbits
