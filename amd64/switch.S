/*
 * amd64/switch.S — goroutine context switches: gosave, gogo, gogocall, mcall, goexit.
 *
 * Go-side entry points (called through goside.h's clobber-list wrappers):
 *   r14 = g on entry and exit; rdi, rsi = arguments; rax = result.
 *   Everything else but rsp and rbp (kept in gobuf.bp) is dead.
 */
#include "gm_abi.h"
#include "port.h"

/* uintptr gm_gosave(struct gm_gobuf *buf)
 * rdi = buf.  Saves the caller's sp (as after our return), pc (our return address),
 * g and bp.  Returns 0; a later gogo(buf, v) makes it return v. */
TEXT(gm_gosave)
	movq	(%rsp), %rax		/* rax = caller's pc */
	movq	%rax, GOBUF_PC(%rdi)
	leaq	8(%rsp), %rax		/* rax = caller's sp once we have returned */
	movq	%rax, GOBUF_SP(%rdi)
	movq	%r14, GOBUF_G(%rdi)
	movq	%rbp, GOBUF_BP(%rdi)
	xorl	%eax, %eax
	ret
END(gm_gosave)

/* void gm_gogo(struct gm_gobuf *buf, uintptr ret)
 * rdi = buf, rsi = value gosave returns.  Restores g, sp, bp and jumps to pc;
 * rdx = buf->ctxt (Go's closure-context register).  Does not touch TLS: the
 * "no-cgo" switch, valid only while no C code can hold garbage in r14. */
TEXT(gm_gogo)
	movq	GOBUF_G(%rdi), %r14	/* g = buf->g */
	movq	GOBUF_SP(%rdi), %rsp
	movq	GOBUF_BP(%rdi), %rbp
	movq	GOBUF_CTXT(%rdi), %rdx
	movq	%rsi, %rax
	PROBE	PR_GOGO_JUMP
	jmp	*GOBUF_PC(%rdi)
END(gm_gogo)

/* void gm_gogo_savegm(struct gm_gobuf *buf, uintptr ret)
 * The seed's gogo: as gm_gogo, but first stores the new g and its m in the thread's
 * TLS slot (cgo_save_gm on every switch), so C code, callbacks and signals find them. */
TEXT(gm_gogo_savegm)
	movq	GOBUF_G(%rdi), %r14	/* g = buf->g */
	movq	G_M(%r14), %rcx		/* rcx = g->m */
	movq	%r14, TLS_G_LE		/* save_gm: TLS g */
	movq	%rcx, TLS_M_LE		/*          TLS m */
	movq	GOBUF_SP(%rdi), %rsp
	movq	GOBUF_BP(%rdi), %rbp
	movq	GOBUF_CTXT(%rdi), %rdx
	movq	%rsi, %rax
	PROBE	PR_GOGO_JUMP
	jmp	*GOBUF_PC(%rdi)
END(gm_gogo_savegm)

/* void gm_gogocall(struct gm_gobuf *buf, void (*fn)(void))
 * rdi = buf, rsi = fn.  Restores g (saving g/m to TLS), sp and bp, then calls fn
 * with buf->pc as its return address: fn "returns" into buf->pc.  Starts goroutines:
 * pc = gm_goexit.  buf->sp must be C-aligned (16): fn is entered as after a CALL. */
TEXT(gm_gogocall)
	movq	GOBUF_G(%rdi), %r14	/* g = buf->g */
	movq	G_M(%r14), %rcx
	movq	%r14, TLS_G_LE
	movq	%rcx, TLS_M_LE
	movq	GOBUF_SP(%rdi), %rsp
	movq	GOBUF_BP(%rdi), %rbp
	movq	GOBUF_CTXT(%rdi), %rdx
	pushq	GOBUF_PC(%rdi)		/* fake return address */
	jmp	*%rsi
END(gm_gogocall)

/* void gm_mcall(void (*fn)(struct gm_g *))
 * rdi = fn.  Saves the caller's state in g->sched, switches to m->g0 (register and
 * TLS) and its stack (g0->sched.sp, which is 8 mod 16 like an SP just after a CALL),
 * and calls fn(old g).  fn must not return: it gogo's somewhere. */
TEXT(gm_mcall)
	movq	%rdi, %r11		/* r11 = fn */
	movq	%r14, %rax		/* rax = g (the caller) */
	movq	(%rsp), %rcx
	movq	%rcx, G_SCHED+GOBUF_PC(%rax)
	leaq	8(%rsp), %rcx
	movq	%rcx, G_SCHED+GOBUF_SP(%rax)
	movq	%rbp, G_SCHED+GOBUF_BP(%rax)
	movq	%rax, G_SCHED+GOBUF_G(%rax)
	movq	G_M(%rax), %rcx		/* rcx = m */
	movq	M_G0(%rcx), %rsi	/* rsi = g0 */
	cmpq	%rsi, %rax
	je	1f			/* mcall on g0: a bug */
	movq	%rsi, %r14		/* g = g0 */
	movq	%r14, TLS_G_LE
	movq	G_SCHED+GOBUF_SP(%rsi), %rsp
	xorl	%ebp, %ebp		/* end of the frame-pointer chain */
	pushq	%rax			/* 8 mod 16 - 8: aligned for the CALL */
	movq	%rax, %rdi		/* fn(old g) */
	PROBE	PR_MCALL_ONG0
	call	*%r11
	call	gm_badmcall2		/* fn returned */
1:	andq	$~15, %rsp		/* the reporter is C: align (we were entered 8 mod 16) */
	call	gm_badmcall
	ud2
END(gm_mcall)

/* gm_goexit: the return address of every goroutine's entry function.
 * Entered with sp as gogocall left it plus 8, i.e. 16-aligned: call the Go-side
 * gm_goexit1, which mcalls the scheduler and never returns. */
TEXT(gm_goexit)
	call	gm_goexit1
	ud2
END(gm_goexit)

	.section .note.GNU-stack,"",@progbits
