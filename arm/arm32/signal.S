/*
 * arm/arm32/signal.S — the signal trampoline.
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_sigtramp(int sig, siginfo_t *info, void *uctx) — C ABI, from the kernel
 * (through sa_sigaction), on the sigaltstack that is m->gsignal's stack, SP 8-aligned.
 * The signal may have landed in C code holding garbage in r9/r10, so g and m are
 * reloaded from TLS (the seed's cgo_load_gm in runtime.sigtramp).  The handler runs
 * with r10 = m->gsignal (register and TLS) and r9 = m; then the interrupted TLS g is
 * put back, and r9/r10 (callee-saved) are restored for the interrupted code by the
 * pop (the kernel restores the rest from the signal frame).
 * r0-r2 pass through; r3 = the interrupted g (NULL on a thread gmbench did not create).
 * Frame: r4 (= interrupted g across the call), r9, r10, lr: four words, aligned. */
TEXT(gm_sigtramp)
	push	{r4, r9, r10, lr}
	LOAD_GM	r4, r12				/* r10 = interrupted g, r9 = m (load_gm) */
	mov	r4, g
	mov	r3, g
	cmp	g, #0
	cmpne	m, #0
	beq	1f
	ldr	g, [m, #M_GSIGNAL]		/* g = gsignal */
	SAVE_G	r12, lr
1:	bl	gm_sighandler
	cmp	r4, #0
	beq	2f
	mov	g, r4
	SAVE_G	r0, r1				/* TLS g = the interrupted g again */
2:	pop	{r4, r9, r10, pc}
	TLS_POOL
END(gm_sigtramp)

/* void gm_sigtramp_seed(int sig, siginfo_t *info, void *uctx) — the seed's
 * runtime·sigtramp (sys_linux_arm.s), C ABI from the kernel on the sigaltstack.
 * Saves sig (load_gm clobbers r0), loads g and m through cgo_load_gm, keeps that g in
 * the frame and passes it as the interrupted g, runs the handler with g = m->gsignal in
 * the register only (TLS keeps the goroutine: while C runs under asmcgocall_seed that
 * is the goroutine that called C, not g0), restores g.  r9/r10 of the interrupted code
 * come back from the signal frame with sigreturn.
 * Frame: 5l's was 24 bytes + lr (28: SP 4 mod 8); 32 here, since the handler is GCC C.
 * 5c passed sig, info, uctx, g at 4..16(SP); the model passes them in r0-r3 (sig is
 * reloaded from its slot, info and uctx are still in r1, r2).  Not in 2012 (its
 * "TODO: badsignal if m=0"): no gsignal switch on a thread without m. */
TEXT(gm_sigtramp_seed)
	str	lr, [sp, #-32]!
	str	r0, [sp, #4]			/* sig */
	SEED_LDPTR r0, gm_cgo_load_gm, 1
	cmp	r0, #0
	blxne	r0				/* r10 = TLS g, r9 = TLS m */
	mov	r3, g				/* r3 = the interrupted g, as TLS names it */
	str	g, [sp, #20]			/* save g */
	cmp	m, #0
	ldrne	g, [m, #M_GSIGNAL]		/* g = m->gsignal */
	ldr	r0, [sp, #4]			/* sig */
	bl	gm_sighandler
	ldr	g, [sp, #20]			/* restore g */
	ldr	pc, [sp], #32
	SEED_PTR_LIT gm_cgo_load_gm, 1
END(gm_sigtramp_seed)

	.section .note.GNU-stack,"",%progbits
