/*
 * arm/arm64/thread.S — entry of a new OS thread into the Go side (crosscall_arm2's job).
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_thread_entry(void (*fn)(void), struct gm_m *m, struct gm_g *g) — C ABI,
 * called by the C-side pthread start routine.  x0 = fn, x1 = m, x2 = g (m->g0).
 * Saves the callee-saved registers (the Go side may use them all), sets x28 = g,
 * stores g and m in the TLS slot (save_gm), calls fn() on this stack with SP
 * 16-aligned (entered aligned, 96-byte frame), restores, returns. */
TEXT(gm_thread_entry)
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x28, x2			/* g = g0 of the new m */
	TLS_SAVE_GM x28, x1, x9		/* save_gm: TLS {g, m} */
	mov	x29, #0			/* outermost Go-side frame */
	blr	x0
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
END(gm_thread_entry)

/* int gm_enter_goside(int (*fn)(void *), void *arg) — C ABI.  x0 = fn, x1 = arg.
 * Runs Go-side fn(arg) for a C caller (a host starting a runtime on this thread, maybe
 * inside another runtime's C call).  Go-side code never preserves x28 (g is reserved),
 * so x19-x29 are saved here and restored after; w0 = fn's result. */
TEXT(gm_enter_goside)
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x9, x0
	mov	x0, x1			/* x0 = arg */
	blr	x9
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
END(gm_enter_goside)

	.section .note.GNU-stack,"",%progbits
