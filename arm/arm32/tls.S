/*
 * arm/arm32/tls.S — read_tp variants written in assembly.  Each gm_slot_* returns the
 * address of this thread's gm_tls slot (C ABI), so every variant can be checked
 * against every other and timed the same way.  The compiler-made variants (local-exec,
 * initial-exec, global-dynamic, descriptors) and pthread are C: core/tls*.c.
 * The executable's slot offset is the link-time constant gm_tls(tpoff) (TLS_POOL).
 */
#include "gm_abi.h"
#include "port.h"

/* mrc: TPIDRURO, the thread pointer the kernel keeps for each thread (ARMv6K+). */
TEXT(gm_slot_mrc)
	TLS_SLOT r0, r1
	bx	lr
	TLS_POOL
END(gm_slot_mrc)

/* kuser: call the kernel user helper __kuser_get_tls (clobbers only r0; on CPUs with
 * TPIDRURO the kernel made it mrc; bx lr).  Its page may not exist (kernels without
 * CONFIG_KUSER_HELPERS): gm_probe_kuser first. */
TEXT(gm_slot_kuser)
	mov	r12, lr				/* the helper keeps r12 */
	KUSER_GET_TLS_ADDR r1
	blx	r1				/* r0 = thread pointer */
	ldr	r1, 9f
	add	r0, r0, r1
	bx	r12
	TLS_POOL
END(gm_slot_kuser)

/* The seed's __aeabi_read_tp (runtime/cgo/gcc_linux_arm.c, a naked function):
 * tail-jump into the helper, which returns to our caller with r0 = thread pointer.
 * Clobbers only r0 (the __aeabi_read_tp contract).  The two nops are the seed's padding
 * after the jump; they never run. */
TEXT(gm_kuser_read_tp)
	mvn	r0, #0xf000			/* 0xffff0fff */
	sub	pc, r0, #31			/* 0xffff0fe0: __kuser_get_tls */
	nop
	nop
END(gm_kuser_read_tp)

/* ---- the 2012 seed's TLS protocol (docs/seed.md) ----
 * cgo_tls_set_gm / cgo_tls_get_gm, naked in the seed: "g (R10) at 8(TP), m (R9) at
 * 12(TP)".  Called from Go-side assembly (gogo, gogocall, crosscall2, sigtramp, the
 * thread entry) with any SP; clobber r0 and lr only (the kernel helper clobbers r0).
 * TP+8 is gm_tls.g: core/tls.c puts gm_tls first in the executable's TLS block and
 * gm_probe_seed checks it. */
TEXT(gm_cgo_tls_set_gm_seed)
	push	{lr}
	bl	gm_kuser_read_tp		/* r0 = thread pointer */
	str	g, [r0, #SEED_TP_G]
	str	m, [r0, #SEED_TP_M]
	pop	{pc}
END(gm_cgo_tls_set_gm_seed)

TEXT(gm_cgo_tls_get_gm_seed)
	push	{lr}
	bl	gm_kuser_read_tp		/* r0 = thread pointer */
	ldr	g, [r0, #SEED_TP_G]
	ldr	m, [r0, #SEED_TP_M]
	pop	{pc}
END(gm_cgo_tls_get_gm_seed)

/* void gm_tlsloop_seed_gm(long n) — C ABI: n times cgo_save_gm then cgo_load_gm, each
 * through its pointer as gogo (save) and sigtramp (load) call them: the cost of the
 * seed's TLS protocol alone.  r9/r10 go out and come back unchanged; saved for C. */
TEXT(gm_tlsloop_seed_gm)
	push	{r4, r9, r10, lr}
	movs	r4, r0
	beq	2f
1:	SEED_LDPTR r3, gm_cgo_save_gm, 1
	blx	r3
	SEED_LDPTR r3, gm_cgo_load_gm, 2
	blx	r3
	subs	r4, r4, #1
	bne	1b
2:	pop	{r4, r9, r10, pc}
	SEED_PTR_LIT gm_cgo_save_gm, 1
	SEED_PTR_LIT gm_cgo_load_gm, 2
END(gm_tlsloop_seed_gm)

/* The seed's function pointers (runtime/cgo: "both cgo_tls_{get,set}_gm can be called
 * from runtime"; runtime/cgocall.c: filled in when cgo is linked).  Here always set. */
	.data
	.p2align 2
	.globl	gm_cgo_load_gm
	.type	gm_cgo_load_gm, %object
gm_cgo_load_gm:
	.word	gm_cgo_tls_get_gm_seed
	.size	gm_cgo_load_gm, 4
	.globl	gm_cgo_save_gm
	.type	gm_cgo_save_gm, %object
gm_cgo_save_gm:
	.word	gm_cgo_tls_set_gm_seed
	.size	gm_cgo_save_gm, 4
	.text

/* kuser-tail: the seed's route, through gm_kuser_read_tp. */
TEXT(gm_slot_kuser_tail)
	mov	r12, lr
	bl	gm_kuser_read_tp		/* r0 = thread pointer */
	ldr	r1, 9f
	add	r0, r0, r1
	bx	r12
	TLS_POOL
END(gm_slot_kuser_tail)

/* aeabi: glibc's __aeabi_read_tp (mrc; bx lr in armhf glibc), through the PLT. */
TEXT(gm_slot_aeabi)
	push	{r4, lr}			/* the PLT stub uses ip: lr goes on the stack */
	bl	__aeabi_read_tp
	ldr	r1, 9f
	add	r0, r0, r1
	pop	{r4, pc}
	TLS_POOL
END(gm_slot_aeabi)

/* tpidrurw: a slot of its own, the user-writable TPIDRURW, which holds this thread's
 * g (set by gm_tls_port_thread_init; m stays in gm_tls).  Returns that g. */
TEXT(gm_slot_tpidrurw)
	mrc	p15, 0, r0, c13, c0, 2
	bx	lr
END(gm_slot_tpidrurw)

/* void gm_tpidrurw_set(void *v): TPIDRURW = v (probe and per-thread init). */
TEXT(gm_tpidrurw_set)
	mcr	p15, 0, r0, c13, c0, 2
	bx	lr
END(gm_tpidrurw_set)

/* Raw thread-pointer reads, for the probes. */
TEXT(gm_tp_mrc)
	mrc	p15, 0, r0, c13, c0, 3
	bx	lr
END(gm_tp_mrc)

TEXT(gm_tp_kuser)
	mov	r12, lr
	KUSER_GET_TLS_ADDR r1
	blx	r1
	bx	r12
END(gm_tp_kuser)

/* Batched loops for the benchmarks: n back-to-back reads of g (into r3) through the
 * variant's inline sequence as crosscall2 uses it, offset literal load included, so a
 * one-instruction read is not hidden behind a call.  r0 = n. */
/* le: what GCC emits for a local-exec access with -mtp=cp15 (the same sequence as
 * mrc on this port; kept under its own name so tls/read_tp/le compares across ports). */
TEXT(gm_tlsloop_le)
TEXT(gm_tlsloop_mrc)
	cmp	r0, #0
	bxeq	lr
1:	mrc	p15, 0, r1, c13, c0, 3
	ldr	r2, 9f
	ldr	r3, [r1, r2]
	subs	r0, r0, #1
	bne	1b
	bx	lr
	TLS_POOL
END(gm_tlsloop_mrc)
END(gm_tlsloop_le)

TEXT(gm_tlsloop_kuser)
	push	{r4, r5, r6, lr}
	movs	r4, r0
	beq	2f
	KUSER_GET_TLS_ADDR r5
1:	blx	r5				/* r0 = thread pointer */
	ldr	r2, 9f
	ldr	r3, [r0, r2]
	subs	r4, r4, #1
	bne	1b
2:	pop	{r4, r5, r6, pc}
	TLS_POOL
END(gm_tlsloop_kuser)

TEXT(gm_tlsloop_kuser_tail)
	push	{r4, lr}
	movs	r4, r0
	beq	2f
1:	bl	gm_kuser_read_tp
	ldr	r2, 9f
	ldr	r3, [r0, r2]
	subs	r4, r4, #1
	bne	1b
2:	pop	{r4, pc}
	TLS_POOL
END(gm_tlsloop_kuser_tail)

TEXT(gm_tlsloop_aeabi)
	push	{r4, lr}
	movs	r4, r0
	beq	2f
1:	bl	__aeabi_read_tp
	ldr	r2, 9f
	ldr	r3, [r0, r2]
	subs	r4, r4, #1
	bne	1b
2:	pop	{r4, pc}
	TLS_POOL
END(gm_tlsloop_aeabi)

TEXT(gm_tlsloop_tpidrurw)
	cmp	r0, #0
	bxeq	lr
1:	mrc	p15, 0, r3, c13, c0, 2
	subs	r0, r0, #1
	bne	1b
	bx	lr
END(gm_tlsloop_tpidrurw)

	.section .note.GNU-stack,"",%progbits
