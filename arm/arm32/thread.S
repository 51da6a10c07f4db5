/*
 * arm/arm32/thread.S — entry of a new OS thread into the Go side (crosscall_arm2's job).
 */
#include "gm_abi.h"
#include "port.h"

/* void gm_thread_entry(void (*fn)(void), struct gm_m *m, struct gm_g *g) — C ABI,
 * called by the C-side pthread start routine.  r0 = fn, r1 = m, r2 = g (m->g0).
 * Saves the callee-saved registers and lr (ten words with ip as padding: SP stays
 * 8-aligned), sets r10 = g, r9 = m, stores both in the TLS slot (save_gm), calls fn()
 * on this stack, restores, returns. */
TEXT(gm_thread_entry)
	push	{r4-r11, ip, lr}
	mov	g, r2				/* g = g0 of the new m */
	mov	m, r1				/* m */
	SAVE_GM	r2, r3
	mov	GM_FP, #0			/* outermost Go-side frame */
	blx	r0
	pop	{r4-r11, ip, pc}
	TLS_POOL
END(gm_thread_entry)

/* int gm_enter_goside(int (*fn)(void *), void *arg) — C ABI.  r0 = fn, r1 = arg.
 * Runs Go-side fn(arg) for a C caller (a host starting a runtime on this thread, maybe
 * inside another runtime's C call).  Go-side code never preserves r9 (m) and r10 (g),
 * so r4-r11 are saved here (ip pads to an 8-aligned SP) and restored; r0 = result. */
TEXT(gm_enter_goside)
	push	{r4-r11, ip, lr}
	mov	ip, r0
	mov	r0, r1				/* r0 = arg */
	blx	ip
	pop	{r4-r11, ip, pc}
END(gm_enter_goside)

/* void gm_thread_entry_seed(void (*fn)(void), struct gm_m *m, struct gm_g *g) — the
 * seed's crosscall_arm2 (runtime/cgo/gcc_arm.S), C ABI.  Saves r4-r11, ip, lr (ten
 * words: SP stays 8-aligned), sets r10 = g and r9 = m, stores both through
 * cgo_tls_set_gm (called directly, as the seed did), calls fn with mov lr, pc; mov pc
 * (ARMv7 interworks), restores.  The model's argument order (fn, m, g) where the seed
 * had (fn, g, m): the same two moves.  The frame pointer is not cleared (today's
 * entry does). */
TEXT(gm_thread_entry_seed)
	push	{r4-r11, ip, lr}
	mov	g, r2				/* g */
	mov	m, r1				/* m */
	mov	r3, r0				/* save fn: cgo_tls_set_gm clobbers r0 */
	bl	gm_cgo_tls_set_gm_seed		/* TLS g, m at TP+8, TP+12 */
	mov	lr, pc
	mov	pc, r3				/* fn() */
	pop	{r4-r11, ip, pc}
END(gm_thread_entry_seed)

	.section .note.GNU-stack,"",%progbits
