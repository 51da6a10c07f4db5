/*
 * arm/arm32/switch.S — goroutine context switches: gosave, gogo, gogocall, mcall, goexit.
 *
 * Go-side entry points (called through goside.h's clobber-list wrappers):
 *   r10 = g, r9 = m on entry and exit; r0-r2 = arguments; r0 = result.
 *   Everything else but sp and the C frame pointer (GM_FP, kept in gobuf.bp) is dead.
 *   lr = the caller's return address (bit 0 set when the caller is Thumb code).
 */
#include "gm_abi.h"
#include "port.h"

/* uintptr gm_gosave(struct gm_gobuf *buf)
 * r0 = buf.  Saves the caller's sp, pc (our return address), g and frame pointer;
 * gobuf.lr = 0 (nothing live in lr at a call site).  Returns 0; a later
 * gogo(buf, v) makes it return v. */
TEXT(gm_gosave)
	str	sp, [r0, #GOBUF_SP]
	str	lr, [r0, #GOBUF_PC]
	str	g, [r0, #GOBUF_G]
	str	GM_FP, [r0, #GOBUF_BP]
	mov	r1, #0
	str	r1, [r0, #GOBUF_LR]
	mov	r0, #0
	bx	lr
END(gm_gosave)

/* void gm_gogo(struct gm_gobuf *buf, uintptr ret)
 * r0 = buf, r1 = value gosave returns.  Restores g, m = g->m, sp, frame pointer, lr
 * and jumps to pc (bx: the resumed code may be Thumb); r12 = buf->ctxt (the model's
 * closure-context register).  Does not touch TLS: the "no-cgo" switch, valid only
 * while no C code can hold garbage in r9/r10. */
TEXT(gm_gogo)
	ldr	g, [r0, #GOBUF_G]		/* g = buf->g */
	ldr	m, [g, #G_M]			/* m = g->m */
	ldr	sp, [r0, #GOBUF_SP]
	ldr	GM_FP, [r0, #GOBUF_BP]
	ldr	lr, [r0, #GOBUF_LR]
	ldr	r12, [r0, #GOBUF_CTXT]
	ldr	r2, [r0, #GOBUF_PC]
	mov	r0, r1				/* r0 = ret */
	bx	r2
END(gm_gogo)

/* void gm_gogo_savegm(struct gm_gobuf *buf, uintptr ret)
 * The seed's gogo: as gm_gogo, but first stores the new g and its m in the thread's
 * TLS slot (cgo_save_gm on every switch), so C code, callbacks and signals find them. */
TEXT(gm_gogo_savegm)
	ldr	g, [r0, #GOBUF_G]		/* g = buf->g */
	ldr	m, [g, #G_M]			/* m = g->m */
	SAVE_GM r2, r3				/* TLS g, m */
	ldr	sp, [r0, #GOBUF_SP]
	ldr	GM_FP, [r0, #GOBUF_BP]
	ldr	lr, [r0, #GOBUF_LR]
	ldr	r12, [r0, #GOBUF_CTXT]
	ldr	r2, [r0, #GOBUF_PC]
	mov	r0, r1
	bx	r2
	TLS_POOL
END(gm_gogo_savegm)

/* void gm_gogocall(struct gm_gobuf *buf, void (*fn)(void))
 * r0 = buf, r1 = fn.  Restores g and m (saving both to TLS), sp and the frame
 * pointer, then enters fn with lr = buf->pc: fn "returns" into buf->pc.  Starts
 * goroutines (pc = gm_goexit).  buf->sp must be 8-aligned: fn is entered as called. */
TEXT(gm_gogocall)
	ldr	g, [r0, #GOBUF_G]		/* g = buf->g */
	ldr	m, [g, #G_M]			/* m = g->m */
	SAVE_GM r2, r3
	ldr	sp, [r0, #GOBUF_SP]
	ldr	GM_FP, [r0, #GOBUF_BP]
	ldr	r12, [r0, #GOBUF_CTXT]
	ldr	lr, [r0, #GOBUF_PC]		/* fake return address */
	bx	r1
	TLS_POOL
END(gm_gogocall)

/* void gm_mcall(void (*fn)(struct gm_g *))
 * r0 = fn.  Saves the caller's state in g->sched, switches to m->g0 (register and
 * TLS; m is unchanged) and its stack (g0->sched.sp, 4 mod 8), and calls fn(old g)
 * with the old g pushed: 8-aligned for the C ABI.  fn must not return. */
TEXT(gm_mcall)
	mov	r1, g				/* r1 = g (the caller) */
	str	sp, [g, #G_SCHED+GOBUF_SP]
	str	lr, [g, #G_SCHED+GOBUF_PC]
	str	g, [g, #G_SCHED+GOBUF_G]
	str	GM_FP, [g, #G_SCHED+GOBUF_BP]
	mov	r3, #0
	str	r3, [g, #G_SCHED+GOBUF_LR]
	ldr	r2, [m, #M_G0]			/* r2 = g0 */
	cmp	r2, g
	beq	1f				/* mcall on g0: a bug */
	mov	g, r2				/* g = g0 */
	SAVE_G	r3, r12
	ldr	sp, [g, #G_SCHED+GOBUF_SP]	/* 4 mod 8 */
	mov	GM_FP, #0			/* end of the frame-pointer chain */
	str	r1, [sp, #-4]!			/* 0 mod 8: aligned for the call */
	mov	r3, r0
	mov	r0, r1				/* fn(old g) */
	blx	r3
	bl	gm_badmcall2			/* fn returned */
1:	bic	sp, sp, #7			/* the reporter is C: aligned */
	bl	gm_badmcall
	udf	#0
	TLS_POOL
END(gm_mcall)

/* gm_goexit: the return address of every goroutine's entry function.
 * Entered with sp as gogocall left it (8-aligned): call the Go-side gm_goexit1,
 * which mcalls the scheduler and never returns. */
TEXT(gm_goexit)
	bl	gm_goexit1
	udf	#0
END(gm_goexit)

/* ------------------------------------------------------------------ the 2012 seed
 * runtime·gosave, gogo, gogocall and mcall as the seed's asm_arm.s has them (docs/seed.md
 * names the source of each sequence).  The gobuf is 2012's three words {sp, pc, g}
 * (the first three of today's).  Arguments come in r0-r2 where 5c passed them at
 * 0(FP), 4(FP): a load from the frame becomes a register move or nothing.  These save
 * no frame pointer and no lr; their call sites name both dead (port.h GM_GOCALL3_SEED).
 * m (r9) belongs to the thread: no switch changes it. */

/* void gm_gosave_seed(struct gm_gobuf *buf) — r0 = buf.  sp, pc (= lr), g. */
TEXT(gm_gosave_seed)
	str	sp, [r0, #GOBUF_SP]
	str	lr, [r0, #GOBUF_PC]
	str	g, [r0, #GOBUF_G]
	bx	lr				/* r0 still = buf */
END(gm_gosave_seed)

/* void gm_gogo_seed(struct gm_gobuf *buf, uintptr ret) — r0 = buf, r1 = ret.
 * g = buf->g, then cgo_save_gm (when set) stores g and m at TP+8 / TP+12; r0 = ret,
 * sp, and a jump to pc.  The helper runs on the old stack; it clobbers r0 and lr. */
TEXT(gm_gogo_seed)
	mov	r2, r0				/* r2 = buf (2012: MOVW 0(FP), R1) */
	ldr	g, [r2, #GOBUF_G]		/* g = buf->g */
	ldr	r3, [g]				/* make sure g != nil */
	SEED_LDPTR r3, gm_cgo_save_gm, 1	/* r3 = cgo_save_gm */
	cmp	r3, #0				/* if in cgo, save g and m */
	blxne	r3
	mov	r0, r1				/* r0 = ret (2012: MOVW 4(FP), R0) */
	ldr	sp, [r2, #GOBUF_SP]
	ldr	pc, [r2, #GOBUF_PC]		/* interworks: the resumed code may be Thumb */
	SEED_PTR_LIT gm_cgo_save_gm, 1
END(gm_gogo_seed)

/* void gm_gogocall_seed(struct gm_gobuf *buf, void (*fn)(void)) — r0 = buf, r1 = fn.
 * As gogo, then enters fn with lr = buf->pc: fn "returns" there (goroutine start:
 * pc = gm_goexit).  The stored 2013 source also loads a closure context into R7
 * (8(FP)); the model's goroutine start passes none: left out. */
TEXT(gm_gogocall_seed)
	mov	r3, r0				/* r3 = buf (2012: MOVW 0(FP), R3; fn is in r1) */
	ldr	g, [r3, #GOBUF_G]
	ldr	r0, [g]				/* make sure g != nil */
	SEED_LDPTR r0, gm_cgo_save_gm, 2
	cmp	r0, #0
	blxne	r0				/* TLS g, m; clobbers r0, lr */
	ldr	sp, [r3, #GOBUF_SP]
	ldr	lr, [r3, #GOBUF_PC]
	mov	pc, r1				/* MOVW R1, PC: interworks on ARMv7 */
	SEED_PTR_LIT gm_cgo_save_gm, 2
END(gm_gogocall_seed)

/* void gm_mcall_seed(void (*fn)(struct gm_g *)) — r0 = fn.  Saves the caller in
 * g->sched (three words), switches to g0 and its stack and calls fn(old g).  No TLS
 * write: TLS g stays the old goroutine until the next gogo.  The old g goes in r0 (the
 * model's fn is GCC C) and at 4(SP) as 2012 passed it; the frame is 12 bytes where 2012
 * had 8, so that fn is entered 8-aligned (g0->sched.sp is 4 mod 8, GM_G0_SP_BIAS). */
TEXT(gm_mcall_seed)
	str	sp, [g, #G_SCHED+GOBUF_SP]
	str	lr, [g, #G_SCHED+GOBUF_PC]
	str	g, [g, #G_SCHED+GOBUF_G]
	mov	r1, r0				/* r1 = fn (2012: MOVW fn+0(FP), R0) */
	mov	r0, g				/* r0 = old g (2012: MOVW g, R1) */
	ldr	g, [m, #M_G0]			/* g = g0 (register only) */
	cmp	g, r0
	bleq	gm_badmcall			/* mcall on g0 */
	ldr	sp, [g, #G_SCHED+GOBUF_SP]
	sub	sp, sp, #12
	str	r0, [sp, #4]
	blx	r1
	bl	gm_badmcall2			/* fn returned */
	udf	#0
END(gm_mcall_seed)

	.section .note.GNU-stack,"",%progbits
