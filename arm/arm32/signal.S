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

	.section .note.GNU-stack,"",%progbits
