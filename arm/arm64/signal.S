/*
 * arm/arm64/signal.S — the signal trampoline.
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_sigtramp(int sig, siginfo_t *info, void *uctx) — C ABI, from the kernel
 * (through sa_sigaction), on the sigaltstack that is m->gsignal's stack, SP 16-aligned.
 * The signal may have landed in C code holding garbage in x28, so g is reloaded from
 * TLS (load_g).  The handler runs with g = m->gsignal (register and TLS); then the
 * interrupted TLS g and x28 are put back.  w0/x1/x2 pass through; x3 = the
 * interrupted g (NULL on a thread gmbench did not create). */
TEXT(gm_sigtramp)
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x19, x28, [sp, #16]
	TLS_LOAD_G x19			/* x19 = interrupted g (load_g) */
	mov	x3, x19
	cbz	x19, 1f
	ldr	x9, [x19, #G_M]		/* x9 = m */
	ldr	x28, [x9, #M_GSIGNAL]	/* g = gsignal */
	TLS_SAVE_G x28, x9
	PROBE	PR_SIGTRAMP_GOTG
1:	bl	gm_sighandler
	cbz	x19, 2f
	TLS_SAVE_G x19, x9		/* TLS g = the interrupted g again */
2:	ldp	x19, x28, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
END(gm_sigtramp)

	.section .note.GNU-stack,"",%progbits
