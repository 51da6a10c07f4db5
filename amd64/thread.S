/*
 * amd64/thread.S — entry of a new OS thread into the Go side (crosscall_arm2's job).
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_thread_entry(void (*fn)(void), struct gm_m *m, struct gm_g *g) — C ABI,
 * called by the C-side pthread start routine.  rdi = fn, rsi = m, rdx = g (m->g0).
 * Saves the callee-saved registers, sets r14 = g, stores g and m in the TLS slot
 * (save_gm), calls fn() on this stack with a C-aligned SP, restores, returns. */
TEXT(gm_thread_entry)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp		/* entered 8 mod 16; 6 pushes + 8: aligned */
	movq	%rdx, %r14		/* g = g0 of the new m */
	movq	%r14, TLS_G_LE		/* save_gm */
	movq	%rsi, TLS_M_LE
	xorl	%ebp, %ebp		/* outermost Go-side frame */
	call	*%rdi
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
END(gm_thread_entry)

/* int gm_enter_goside(int (*fn)(void *), void *arg) — C ABI.  rdi = fn, rsi = arg.
 * Runs Go-side fn(arg) for a C caller (a host starting a runtime on this thread, maybe
 * inside another runtime's C call).  Go-side code never preserves r14 (g is reserved),
 * so every callee-saved register is saved here and restored after; eax = fn's result. */
TEXT(gm_enter_goside)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp		/* entered 8 mod 16; 6 pushes + 8: aligned */
	movq	%rdi, %rax
	movq	%rsi, %rdi		/* rdi = arg */
	call	*%rax
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
END(gm_enter_goside)

	.section .note.GNU-stack,"",@progbits
