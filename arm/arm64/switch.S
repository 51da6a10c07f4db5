/*
 * arm/arm64/switch.S — goroutine context switches: gosave, gogo, gogocall, mcall, goexit.
 *
 * Go-side entry points (called through goside.h's clobber-list wrappers):
 *   x28 = g on entry and exit; x0, x1 = arguments; x0 = result; x30 = return address.
 *   Everything else but sp and x29 (kept in gobuf.bp) is dead.
 */
#include "gm_abi.h"
#include "port.h"

/* uintptr gm_gosave(struct gm_gobuf *buf)
 * x0 = buf.  Saves the caller's sp (bl pushes nothing: sp as it is), pc = lr = x30
 * (the link register at the save point), g and x29.  Returns 0; a later
 * gogo(buf, v) makes it return v. */
TEXT(gm_gosave)
	mov	x9, sp
	stp	x9, x30, [x0, #GOBUF_SP]	/* sp, pc */
	stp	x28, x30, [x0, #GOBUF_G]	/* g, lr */
	str	x29, [x0, #GOBUF_BP]
	mov	x0, #0
	ret
END(gm_gosave)

/* void gm_gogo(struct gm_gobuf *buf, uintptr ret)
 * x0 = buf, x1 = value gosave returns.  Restores g, sp, x29, lr and jumps to pc;
 * x26 = buf->ctxt (Go's arm64 closure-context register).  Does not touch TLS: the
 * "no-cgo" switch, valid only while no C code can hold garbage in x28. */
TEXT(gm_gogo)
	ldp	x9, x10, [x0, #GOBUF_SP]	/* x9 = sp, x10 = pc */
	ldp	x28, x30, [x0, #GOBUF_G]	/* g = buf->g, lr */
	ldp	x26, x29, [x0, #GOBUF_CTXT]	/* ctxt, fp */
	mov	sp, x9
	mov	x0, x1
	PROBE	PR_GOGO_JUMP
	br	x10
END(gm_gogo)

/* void gm_gogo_savegm(struct gm_gobuf *buf, uintptr ret)
 * The seed's gogo: as gm_gogo, but first stores the new g and its m in the thread's
 * TLS slot (save_g on every switch, as Go's gogo does with cgo), so C code,
 * callbacks and signals find them. */
TEXT(gm_gogo_savegm)
	ldp	x28, x30, [x0, #GOBUF_G]	/* g = buf->g, lr */
	ldr	x11, [x28, #G_M]		/* x11 = g->m */
	TLS_SAVE_GM x28, x11, x12		/* save_gm: TLS {g, m} */
	ldp	x9, x10, [x0, #GOBUF_SP]	/* x9 = sp, x10 = pc */
	ldp	x26, x29, [x0, #GOBUF_CTXT]
	mov	sp, x9
	mov	x0, x1
	PROBE	PR_GOGO_JUMP
	br	x10
END(gm_gogo_savegm)

/* void gm_gogocall(struct gm_gobuf *buf, void (*fn)(void))
 * x0 = buf, x1 = fn.  Restores g (saving g/m to TLS), sp and x29, then enters fn
 * with x30 = buf->pc: fn "returns" into buf->pc.  Starts goroutines: pc = gm_goexit.
 * buf->sp must be 16-aligned: fn is entered as after a bl from there. */
TEXT(gm_gogocall)
	ldr	x28, [x0, #GOBUF_G]		/* g = buf->g */
	ldr	x11, [x28, #G_M]
	TLS_SAVE_GM x28, x11, x12
	ldp	x9, x30, [x0, #GOBUF_SP]	/* x9 = sp, lr = buf->pc (fake return address) */
	ldp	x26, x29, [x0, #GOBUF_CTXT]
	mov	sp, x9
	br	x1
END(gm_gogocall)

/* void gm_mcall(void (*fn)(struct gm_g *))
 * x0 = fn, x28 = g.  Saves the caller's state in g->sched, switches to m->g0
 * (register and TLS) and its stack (g0->sched.sp, 16-aligned), and calls fn(old g)
 * with x29 = 0 (the frame chain ends on g0).  fn must not return: it gogo's somewhere. */
TEXT(gm_mcall)
	mov	x9, sp
	stp	x9, x30, [x28, #G_SCHED+GOBUF_SP]	/* sched.sp, sched.pc */
	stp	x28, x30, [x28, #G_SCHED+GOBUF_G]	/* sched.g, sched.lr */
	str	x29, [x28, #G_SCHED+GOBUF_BP]
	mov	x10, x28			/* x10 = old g */
	ldr	x11, [x28, #G_M]		/* x11 = m */
	ldr	x12, [x11, #M_G0]		/* x12 = g0 */
	cmp	x12, x28
	b.eq	1f				/* mcall on g0: a bug */
	mov	x28, x12			/* g = g0 */
	TLS_SAVE_G x28, x13
	ldr	x9, [x28, #G_SCHED+GOBUF_SP]
	mov	sp, x9				/* g0 stack */
	mov	x29, #0
	mov	x9, x0				/* x9 = fn */
	mov	x0, x10				/* fn(old g) */
	PROBE	PR_MCALL_ONG0
	blr	x9
	bl	gm_badmcall2			/* fn returned */
1:	mov	x9, sp
	and	x9, x9, #~15			/* the reporter is C: aligned */
	mov	sp, x9
	bl	gm_badmcall
	brk	#0
END(gm_mcall)

/* gm_goexit: the return address of every goroutine's entry function.
 * Entered with sp = stack_hi as gogocall left it (16-aligned) and x28 = g: call the
 * Go-side gm_goexit1, which mcalls the scheduler and never returns. */
TEXT(gm_goexit)
	bl	gm_goexit1
	brk	#0
END(gm_goexit)

	.section .note.GNU-stack,"",%progbits
