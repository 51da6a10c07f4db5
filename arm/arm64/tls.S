/*
 * arm/arm64/tls.S — read_tp sequences written in assembly.  On AArch64 the thread
 * pointer is a system register (tpidr_el0): `mrs` it and add gm_tls's link-time
 * offset, which is exactly the local-exec sequence (the `le` route).  The
 * compiler-generated variants (local-exec, initial-exec, global-dynamic, descriptors)
 * are C: core/tls*.c.
 */
#include "gm_abi.h"
#include "port.h"

/* &gm_tls by hand (C ABI, clobbers x0 only): what gm_slot_le compiles to. */
TEXT(gm_slot_tpidr)
	TLS_SLOT x0
	ret
END(gm_slot_tpidr)

/* The raw thread pointer. */
TEXT(gm_tp_tpidr)
	mrs	x0, tpidr_el0
	ret
END(gm_tp_tpidr)

/* Batched loop for the benchmarks: n back-to-back reads of g through the inline
 * sequence (mrs, add of the high offset bits, ldr with the low ones), so a
 * three-instruction read is not hidden behind a call.  x0 = n. */
TEXT(gm_tlsloop_le)
	cbz	x0, 2f
1:	TLS_LOAD_G x1
	subs	x0, x0, #1
	b.ne	1b
2:	ret
END(gm_tlsloop_le)

/* Nothing per thread on AArch64: tpidr_el0 is set up by the C library. */
TEXT(gm_tls_port_thread_init)
	ret
END(gm_tls_port_thread_init)

	.section .note.GNU-stack,"",%progbits
