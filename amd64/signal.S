/*
 * amd64/signal.S — the signal trampoline.
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_sigtramp(int sig, siginfo_t *info, void *uctx) — C ABI, from the kernel
 * (through sa_sigaction), on the sigaltstack that is m->gsignal's stack.
 * The signal may have landed in C code holding garbage in r14, so g is reloaded from
 * TLS (load_gm).  The handler runs with g = m->gsignal (register and TLS); then the
 * interrupted TLS g and r14 are put back.  edi/rsi/rdx pass through; rcx = the
 * interrupted g (NULL on a thread gmbench did not create). */
TEXT(gm_sigtramp)
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%r14
	pushq	%rbx			/* entered 8 mod 16; 3 pushes: aligned */
	movq	TLS_G_LE, %rbx		/* rbx = interrupted g (load_gm) */
	movq	%rbx, %rcx
	testq	%rbx, %rbx
	jz	1f
	movq	G_M(%rbx), %rax		/* rax = m */
	movq	M_GSIGNAL(%rax), %r14	/* g = gsignal */
	movq	%r14, TLS_G_LE
	PROBE	PR_SIGTRAMP_GOTG
1:	call	gm_sighandler
	testq	%rbx, %rbx
	jz	2f
	movq	%rbx, TLS_G_LE		/* TLS g = the interrupted g again */
2:	popq	%rbx
	popq	%r14
	popq	%rbp
	ret
END(gm_sigtramp)

	.section .note.GNU-stack,"",@progbits
