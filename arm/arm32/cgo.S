/*
 * arm/arm32/cgo.S — Go -> C (asmcgocall) and C -> Go (crosscall2, cgocallback).
 *
 * Stack alignment strategies for the C call (variants, see variants.c); AAPCS wants
 * SP 8-aligned at a public call, g0->sched.sp is kept 4 mod 8 (GM_G0_SP_BIAS):
 *   mask   - dynamic: bic sp, sp, #7 (the seed and today's Go)
 *   static - frames sized from the invariant, no mask: 4 mod 8 - 12 = 0 mod 8
 *   over   - bic sp, sp, #15: 16-byte over-alignment, for NEON :128 hints on the stack
 *   none   - the natural frame, alignment forgotten: exists only so the tests can
 *            show they catch a misaligned C call
 */
#include "gm_abi.h"
#include "port.h"

/* int asmcgocall(int (*fn)(void *), void *arg) — Go side.
 * r0 = fn, r1 = arg, r10 = g, r9 = m, lr = return address.  Switch to m->g0's stack
 * unless already on g0 or gsignal, record the goroutine's sp/pc/fp in g->sched (for
 * callbacks), set g = g0 in r10 and in TLS, call fn(arg) with an aligned SP, switch
 * back (r10 = g, r9 = g->m, TLS g = g).  m does not change: TLS m stays.
 * g0 frame: 0 = return address, 4 = goroutine sp, 8 = goroutine g. */
.macro ASMCGOCALL name, align
TEXT(\name)
	mov	r2, sp				/* r2 = caller sp */
	mov	r3, g				/* r3 = caller g */
	ldr	r12, [m, #M_G0]			/* r12 = g0 */
	cmp	g, r12
	beq	2f
	ldr	r4, [m, #M_GSIGNAL]
	cmp	g, r4
	beq	2f
	/* gosave into g->sched: where cgocallback puts a callback's frames */
	str	r2, [g, #G_SCHED+GOBUF_SP]
	str	lr, [g, #G_SCHED+GOBUF_PC]
	str	GM_FP, [g, #G_SCHED+GOBUF_BP]
	mov	g, r12				/* g = g0 */
	SAVE_G	r4, r5				/* C code, callbacks, signals: g0 */
	ldr	sp, [g, #G_SCHED+GOBUF_SP]	/* g0 stack, 4 mod 8 */
.ifc \align,mask
	sub	sp, sp, #12
	bic	sp, sp, #7
.endif
.ifc \align,static
	sub	sp, sp, #12			/* 4 mod 8 - 12 = 0 mod 8 */
.endif
.ifc \align,over
	sub	sp, sp, #12
	bic	sp, sp, #15
.endif
.ifc \align,none
	sub	sp, sp, #16			/* four words, still 4 mod 8: misaligned */
.endif
	str	r3, [sp, #8]
	str	r2, [sp, #4]
	str	lr, [sp, #0]
	mov	r4, r0
	mov	r0, r1				/* C's first argument */
	blx	r4				/* r0 = fn(arg) */
	ldr	lr, [sp, #0]
	ldr	g, [sp, #8]			/* g = goroutine g (C preserved r10, but */
	ldr	sp, [sp, #4]			/*  callbacks ran in between: the frame says) */
	ldr	m, [g, #G_M]			/* m = g->m */
	SAVE_G	r1, r2
	bx	lr
2:	/* already on g0 or gsignal: stay on this stack; its alignment is unknown */
	sub	sp, sp, #12
.ifc \align,over
	bic	sp, sp, #15
.else
.ifnc \align,none
	bic	sp, sp, #7
.endif
.endif
	str	r3, [sp, #8]
	str	r2, [sp, #4]
	str	lr, [sp, #0]
	mov	r4, r0
	mov	r0, r1
	blx	r4
	ldr	lr, [sp, #0]
	ldr	g, [sp, #8]
	ldr	sp, [sp, #4]
	ldr	m, [g, #G_M]
	bx	lr
	TLS_POOL
END(\name)
.endm

ASMCGOCALL gm_asmcgocall, mask
ASMCGOCALL gm_asmcgocall_mask, mask
ASMCGOCALL gm_asmcgocall_static, static
ASMCGOCALL gm_asmcgocall_over, over
ASMCGOCALL gm_asmcgocall_none, none

/* void gm_cgocallback(void (*fn)(void *), void *arg) — reached from crosscall2 with
 * r0 = fn, r1 = arg, r10 = g and r9 = m as TLS had them (g = m->g0 while C runs under
 * asmcgocall; g = NULL on a thread gmbench did not create), on the g0 stack.  With no
 * g, gm_needm first lends this thread an extra m (r10 = its g0, r9 = it), and gm_dropm
 * takes it back on the way out (Go's needm/dropm).  Go side: kills every register but
 * r9/r10/sp.  Saves g0->sched.sp and lowers it below this frame (keeping it 4 mod 8,
 * so a nested asmcgocall does not overwrite us), switches to m->curg's stack below its
 * saved sched.sp, runs gm_cgocallbackg(fn, arg) there (8-aligned), restores
 * curg->sched.sp/pc and g0->sched.sp, returns on g0 with r10 = g0 in the register and TLS.
 * g0 frame: 0 = old g0->sched.sp, 4 = 1 if needm lent the m (r12 until pushed),
 * 8 = return address; r4 = that frame across the call.
 * curg frame: 0 = old sched.sp, 4 = old sched.pc. */
TEXT(gm_cgocallback)
	mov	r12, #0				/* no dropm unless needm ran */
	cmp	g, #0
	beq	5f				/* no g: a thread gmbench did not create */
1:	ldr	r2, [m, #M_G0]			/* r2 = g0 */
	cmp	r2, g
	bne	8f				/* callbacks come from C code running on g0 */
	ldr	r3, [m, #M_CURG]
	cmp	r3, #0
	beq	7f				/* ... that a goroutine's cgocall entered */
	ldr	r3, [r2, #G_SCHED+GOBUF_SP]
	push	{r3, r12, lr}
	bic	r3, sp, #7
	sub	r3, r3, #4			/* below this frame, 4 mod 8 */
	str	r3, [r2, #G_SCHED+GOBUF_SP]
	mov	r4, sp				/* r4 = g0 frame (callee-saved in C) */
	/* switch to curg */
	ldr	g, [m, #M_CURG]			/* g = m->curg */
	SAVE_G	r3, r12
	ldr	r3, [g, #G_SCHED+GOBUF_SP]	/* r3 = curg's saved sp */
	ldr	r12, [g, #G_SCHED+GOBUF_PC]	/* r12 = curg's saved pc */
	sub	sp, r3, #8
	bic	sp, sp, #7			/* below the goroutine's live frames, aligned */
	str	r3, [sp, #0]
	str	r12, [sp, #4]
	bl	gm_cgocallbackg			/* r0 = fn, r1 = arg; runs fn on curg */
	/* still on curg (r10 = curg, r9 = m) */
	ldr	r3, [sp, #0]
	str	r3, [g, #G_SCHED+GOBUF_SP]
	ldr	r3, [sp, #4]
	str	r3, [g, #G_SCHED+GOBUF_PC]
	ldr	m, [g, #G_M]
	ldr	g, [m, #M_G0]			/* g = g0 */
	SAVE_G	r3, r12
	mov	sp, r4				/* our g0 frame */
	pop	{r3, r12, lr}
	str	r3, [g, #G_SCHED+GOBUF_SP]	/* restore g0->sched.sp */
	cmp	r12, #0
	bxeq	lr
	mov	r4, sp				/* gm_dropm is C: 8-aligned */
	bic	sp, sp, #7
	push	{r4, lr}
	bl	gm_dropm			/* r10 = 0, TLS empty, the m back on the extra list */
	pop	{r4, lr}
	mov	sp, r4
	bx	lr
	/* misuse: aligned calls of the reporters, which print and exit */
7:	bic	sp, sp, #7
	bl	gm_badcgocallback_nocurg
	udf	#0
8:	bic	sp, sp, #7
	mov	r0, g
	bl	gm_badcgocallback_notg0
	udf	#0
5:	push	{r0, r1, r4, lr}		/* fn, arg (label 9 is TLS_POOL's literal) */
	mov	r4, sp
	bic	sp, sp, #7
	bl	gm_needm			/* r10 = the lent m's g0, r9 = it, TLS too (or the message) */
	mov	sp, r4
	pop	{r0, r1, r4, lr}
	mov	r12, #1				/* dropm on the way out */
	b	1b
	TLS_POOL
END(gm_cgocallback)

/* void crosscall2(void (*fn)(void *), void *arg) — C ABI, called by C code.
 * r0 = fn, r1 = arg, SP 8-aligned; r9/r10 hold whatever C left there.  Saves r4-r11
 * and lr (the Go side treats every register as scratch), loads g AND m from the
 * thread's TLS slot with the variant's access (the seed's cgo_load_gm), calls
 * gm_cgocallback, restores.
 * tls:   mrc       TPIDRURO + the slot offset, inline
 *        kuser     call of __kuser_get_tls at 0xffff0fe0 (clobbers only r0)
 *        kusertail call of the seed's __aeabi_read_tp, which tail-jumps to the helper
 *        aeabi     call of glibc's __aeabi_read_tp
 *        tpidrurw  g from TPIDRURW (checked against the slot's g), m from the slot
 *        call      the C function in gm_tls_slot_fn (IE/GD/descriptor/pthread/...)
 * align: static    push of ten words (ip as padding): SP stays 8-aligned
 *        mask      nine words, then bic sp, sp, #7
 *        none      nine words: 4 mod 8 at the C call (test of the tests)
 * fp:    vfp       also save d8-d15 (vpush/vpop) */
.macro CROSSCALL2 name, tls, align, fp=novfp
TEXT(\name)
.ifc \align,static
	push	{r4-r11, ip, lr}
.else
	push	{r4-r11, lr}
.endif
.ifc \align,mask
	mov	r6, sp
	sub	sp, sp, #8
	bic	sp, sp, #7
	str	r6, [sp]			/* sp before the mask (cgocallback kills r6) */
.endif
.ifc \fp,vfp
	vpush	{d8-d15}
.endif
.ifc \tls,mrc
	LOAD_GM	r2, r3				/* g, m from TLS */
.endif
.ifc \tls,kuser
	mov	r2, r0				/* the helper clobbers r0 (and lr) only */
	KUSER_GET_TLS_ADDR r3
	blx	r3				/* r0 = thread pointer */
	ldr	r3, 9f
	add	r3, r0, r3
	ldr	g, [r3, #TLS_G]
	ldr	m, [r3, #TLS_M]
	mov	r0, r2
.endif
.ifc \tls,kusertail
	mov	r2, r0
	bl	gm_kuser_read_tp		/* r0 = thread pointer; r0 and lr clobbered */
	ldr	r3, 9f
	add	r3, r0, r3
	ldr	g, [r3, #TLS_G]
	ldr	m, [r3, #TLS_M]
	mov	r0, r2
.endif
.ifc \tls,aeabi
	mov	r4, r0				/* through the PLT: ip and lr die too, and the */
	mov	r5, r1				/*  lazy resolver follows the C ABI */
	bl	__aeabi_read_tp			/* r0 = thread pointer */
	ldr	r3, 9f
	add	r3, r0, r3
	ldr	g, [r3, #TLS_G]
	ldr	m, [r3, #TLS_M]
	mov	r0, r4
	mov	r1, r5
.endif
.ifc \tls,tpidrurw
	mrc	p15, 0, g, c13, c0, 2		/* g from TPIDRURW: this thread's g0 */
	TLS_SLOT r2, r3
	ldr	m, [r2, #TLS_M]			/* m from the slot */
	ldr	r3, [r2, #TLS_G]		/* TPIDRURW is right only while the slot says */
	cmp	r3, g				/*  the same: C entered through today's */
	movne	g, r3				/*  asmcgocall (slot g = g0).  Else the slot's g:
						 * NULL on a thread without g (needm), whatever
						 * TPIDRURW holds (a new thread inherits its
						 * creator's); a goroutine when C was entered
						 * through the seed's asmcgocall, which
						 * cgocallback's g0 check stops with a message */
.endif
.ifc \tls,call
	mov	r4, r0				/* keep fn, arg across the C call */
	mov	r5, r1
	LDA	r2, gm_tls_slot_fn
	ldr	r2, [r2]
	blx	r2				/* r0 = &slot (a C function: needs alignment) */
	ldr	g, [r0, #TLS_G]
	ldr	m, [r0, #TLS_M]
	mov	r0, r4
	mov	r1, r5
.endif
	bl	gm_cgocallback
.ifc \fp,vfp
	vpop	{d8-d15}
.endif
.ifc \align,mask
	ldr	sp, [sp]
.endif
.ifc \align,static
	pop	{r4-r11, ip, pc}
.else
	pop	{r4-r11, pc}
.endif
	TLS_POOL
END(\name)
.endm

CROSSCALL2 gm_crosscall2, mrc, static
CROSSCALL2 gm_crosscall2_mrc, mrc, static
CROSSCALL2 gm_crosscall2_kuser, kuser, static
CROSSCALL2 gm_crosscall2_kuser_tail, kusertail, static
CROSSCALL2 gm_crosscall2_aeabi, aeabi, static
CROSSCALL2 gm_crosscall2_tpidrurw, tpidrurw, static
CROSSCALL2 gm_crosscall2_call, call, static
CROSSCALL2 gm_crosscall2_fp, mrc, static, vfp
CROSSCALL2 gm_crosscall2_mask, call, mask
CROSSCALL2 gm_crosscall2_static, call, static
CROSSCALL2 gm_crosscall2_none, call, none

/* Today's Go crosscall2 (runtime/cgo/asm_arm.s), same job in its sequence: reserve
 * 72 bytes for d8-d15, store r0, r1, r3, r4-r12 with one stm and lr below them
 * (124 bytes: SP 4 mod 8, Go code does not care), store d8-d15 one by one, call
 * load_g (g only: today's Go has no m register; the model's r9 = g->m follows),
 * call cgocallback with fn/arg from the saved r0/r1, restore in reverse. */
#define GOXC2_D(k) (13*4 + 8*((k) - 7))		/* offset of d<k> from sp */
TEXT(gm_crosscall2_go)
	sub	sp, sp, #(8*9)
	push	{r0, r1, r3, r4-r12}
	str	lr, [sp, #-4]!
	vstr	d8, [sp, #GOXC2_D(8)]
	vstr	d9, [sp, #GOXC2_D(9)]
	vstr	d10, [sp, #GOXC2_D(10)]
	vstr	d11, [sp, #GOXC2_D(11)]
	vstr	d12, [sp, #GOXC2_D(12)]
	vstr	d13, [sp, #GOXC2_D(13)]
	vstr	d14, [sp, #GOXC2_D(14)]
	vstr	d15, [sp, #GOXC2_D(15)]
	bl	gm_load_g			/* r10 = g; clobbers r0, r11 */
	cmp	g, #0
	ldrne	m, [g, #G_M]			/* r9 = g->m */
	ldr	r0, [sp, #4]			/* fn */
	ldr	r1, [sp, #8]			/* arg */
	bl	gm_cgocallback
	vldr	d8, [sp, #GOXC2_D(8)]
	vldr	d9, [sp, #GOXC2_D(9)]
	vldr	d10, [sp, #GOXC2_D(10)]
	vldr	d11, [sp, #GOXC2_D(11)]
	vldr	d12, [sp, #GOXC2_D(12)]
	vldr	d13, [sp, #GOXC2_D(13)]
	vldr	d14, [sp, #GOXC2_D(14)]
	vldr	d15, [sp, #GOXC2_D(15)]
	ldr	lr, [sp], #4
	pop	{r0, r1, r3, r4-r12}
	add	sp, sp, #(8*9)
	bx	lr
END(gm_crosscall2_go)

/* Today's load_g: r10 = TLS g.  Clobbers r0 and r11, as Go's does. */
TEXT(gm_load_g)
	mrc	p15, 0, r0, c13, c0, 3		/* r0 = thread pointer */
	ldr	r11, 9f				/* r11 = the slot offset (Go: runtime.tlsg) */
	ldr	g, [r0, r11]
	bx	lr
	TLS_POOL
END(gm_load_g)

/* ------------------------------------------------------------------ the 2012 seed
 * asmcgocall, cgocallback and crosscall2 as the seed's protocol has them (docs/seed.md
 * names the source of each sequence).  TLS is neither written on the way into C nor on
 * the way back: while C runs, TLS g is the goroutine that called it, and a callback
 * loads that g (and m) in crosscall2 and does not look at it.  Arguments in registers
 * where 5c passed them in the frame; 5l's prologue/epilogue (lr saved below the frame)
 * written out.  The three go together: crosscall2_seed expects curg->sched as
 * asmcgocall_seed leaves it (sp 4 mod 8, see cgocallback_seed). */

/* What asmcgocall records as g->sched.pc (the stored source's return<>: a RET).  Never
 * run: cgocallback puts it where traceback would read the callback frame's return PC. */
TEXT(gm_seed_return)
	bx	lr
END(gm_seed_return)

/* int gm_asmcgocall_seed(int (*fn)(void *), void *arg) — runtime·asmcgocall.
 * r0 = fn, r1 = arg, r10 = g, r9 = m.  Unless already on g0: g->sched = {sp, return<>,
 * g} and g = g0 in the register only; then on g0's stack 24 bytes down and bic #7
 * (old g at 20, old sp at 16), fn(arg), back.  No gsignal check (2012 had none). */
TEXT(gm_asmcgocall_seed)
	str	lr, [sp, #-4]!			/* 5l: frame $0 but it calls, so lr is saved */
	mov	ip, r0				/* ip = fn  (2012: MOVW fn+0(FP), R1) */
	mov	r0, r1				/* r0 = arg (2012: MOVW arg+4(FP), R0) */
	mov	r2, sp				/* r2 = old sp */
	mov	r5, g				/* r5 = old g */
	ldr	r3, [m, #M_G0]
	cmp	r3, g
	beq	1f				/* on g0 already (thread start): no switch */
	str	sp, [g, #G_SCHED+GOBUF_SP]
	adr	r4, gm_seed_return
	str	r4, [g, #G_SCHED+GOBUF_PC]
	str	g, [g, #G_SCHED+GOBUF_G]
	mov	g, r3				/* g = g0; TLS g stays the goroutine */
	ldr	sp, [g, #G_SCHED+GOBUF_SP]
1:	sub	sp, sp, #24			/* now on a scheduling stack */
	bic	sp, sp, #7			/* alignment for the C ABI */
	str	r5, [sp, #20]			/* old g */
	str	r2, [sp, #16]			/* old sp */
	blx	ip				/* r0 = fn(arg) */
	ldr	g, [sp, #20]
	ldr	sp, [sp, #16]
	ldr	pc, [sp], #4			/* 5l's RET: pop the saved lr into pc */
END(gm_asmcgocall_seed)

/* void gm_cgocallback_seed(void (*fn)(void *), void *arg) — runtime·cgocallback.
 * From crosscall2_seed on the g0 stack: r0 = fn, r1 = arg, r9 = m and r10 = the g TLS
 * had (not used).  Pushes g0->sched.sp and sets it to sp (g0 frames of this callback
 * lie above it), switches to m->curg's stack below curg->sched.sp with curg->sched.pc
 * pushed there (so traceback sees the callback returning into the cgocall), calls
 * cgocallbackg_seed(fn, arg), restores curg->sched.{pc,sp}, returns on g0's stack with the
 * old g0->sched.sp back.  Go side: kills every register but r9, sp.
 * Frames: 2012 reserved 12 more bytes on each stack for cgocallbackg's three stack
 * arguments; here the arguments stay in r0/r1, so the g0 frame is lr and the curg frame
 * the pushed pc, which leaves g0->sched.sp 4 mod 8 (the model's GM_G0_SP_BIAS) and
 * cgocallbackg (GCC C, 5c in 2012) entered 8-aligned, given curg->sched.sp 4 mod 8.
 * Not in 2012 (it crashed, or ran on the wrong frames): the three checks, each a message
 * and exit 2 — no m (a thread gmbench did not create), no curg (C called from g0), and
 * curg->sched.pc not the seed's return<>: curg did not enter C through asmcgocall_seed
 * (today's asmcgocall records its caller's pc, leaves curg->sched.sp 8-aligned, so that
 * cgocallbackg would start 4 mod 8, and TLS g = g0, so that the callback would run with
 * TLS naming g0: the two protocols do not mix, docs/seed.md). */
TEXT(gm_cgocallback_seed)
	cmp	m, #0
	beq	8f				/* a thread gmbench did not create */
	str	lr, [sp, #-4]!			/* 5l prologue */
	ldr	r3, [m, #M_G0]
	ldr	r4, [r3, #G_SCHED+GOBUF_SP]
	str	r4, [sp, #-4]!			/* push the old g0->sched.sp */
	str	sp, [r3, #G_SCHED+GOBUF_SP]
	ldr	g, [m, #M_CURG]			/* g = m->curg (register only) */
	cmp	g, #0
	beq	9f				/* C was called from g0: no goroutine to run on */
	ldr	r4, [g, #G_SCHED+GOBUF_SP]	/* curg's stack, as asmcgocall left it */
	ldr	r5, [g, #G_SCHED+GOBUF_PC]
	adr	r6, gm_seed_return
	cmp	r5, r6
	bne	7f				/* not left by asmcgocall_seed: another protocol */
	str	r5, [r4, #-4]!			/* push gobuf.pc */
	mov	sp, r4
	bl	gm_cgocallbackg_seed		/* r0 = fn, r1 = arg; g = curg */
	ldr	r5, [sp]			/* restore curg->sched.pc and .sp */
	str	r5, [g, #G_SCHED+GOBUF_PC]
	add	r4, sp, #4
	str	r4, [g, #G_SCHED+GOBUF_SP]
	ldr	g, [m, #M_G0]			/* back to g0's stack */
	ldr	sp, [g, #G_SCHED+GOBUF_SP]
	ldr	r6, [sp]			/* pop the old g0->sched.sp */
	add	sp, sp, #4
	str	r6, [g, #G_SCHED+GOBUF_SP]
	ldr	pc, [sp], #4			/* 5l's RET */
	/* misuse: aligned calls of the reporters (C), which print and exit */
7:	bic	sp, sp, #7
	mov	r0, g
	bl	gm_badcgocallback_seed_mix
	udf	#0
8:	bic	sp, sp, #7
	bl	gm_badcgocallback_nog
	udf	#0
9:	bic	sp, sp, #7
	bl	gm_badcgocallback_seed_nocurg
	udf	#0
END(gm_cgocallback_seed)

/* void gm_crosscall2_seed(void (*fn)(void *), void *arg) — crosscall2 (cgo/gcc_arm.S), C
 * ABI.  Pushes r0-r2 with r4-r11, ip and lr (13 words: SP 4 mod 8, which 5c code did not
 * mind and the model's assembly does not either), loads g and m with a direct call of
 * cgo_tls_get_gm (gcc_arm.S was assembled into the same library as the helper, as
 * crosscall_arm2's direct call of cgo_tls_set_gm: no pointer, no nil check), then —
 * where the seed jumped to fn, the cgo-generated 5c wrapper that calls
 * runtime·cgocallback — calls cgocallback with fn/arg from the saved r0/r1, and pops
 * all 13 words (pc for lr).  No VFP saves. */
TEXT(gm_crosscall2_seed)
	push	{r0, r1, r2, r4-r11, ip, lr}
	bl	gm_cgo_tls_get_gm_seed		/* r10 = TLS g, r9 = TLS m; clobbers r0, lr */
	ldr	r0, [sp, #0]			/* fn */
	ldr	r1, [sp, #4]			/* arg */
	bl	gm_cgocallback_seed
	pop	{r0, r1, r2, r4-r11, ip, pc}
END(gm_crosscall2_seed)

	.section .note.GNU-stack,"",%progbits
