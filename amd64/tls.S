/*
 * amd64/tls.S — read_tp variants written in assembly.  Each returns the address of
 * this thread's gm_tls slot (C ABI, clobbers rax only), so every variant can be
 * checked against every other and timed the same way.  The compiler-generated
 * variants (local-exec, initial-exec, global-dynamic, descriptors) are C: core/tls*.c.
 */
#include "gm_abi.h"
#include "port.h"

/* %fs:0 holds the TCB's self-pointer: the thread pointer (__builtin_thread_pointer). */
TEXT(gm_slot_fs0)
	movq	%fs:0, %rax
	leaq	gm_tls@tpoff(%rax), %rax
	ret
END(gm_slot_fs0)

/* rdfsbase reads the FS base register directly; the CPU must have FSGSBASE and the
 * kernel must have set CR4.FSGSBASE (Linux 5.9+), else #UD: probe first (core/tls.c). */
TEXT(gm_slot_rdfsbase)
	rdfsbase %rax
	leaq	gm_tls@tpoff(%rax), %rax
	ret
END(gm_slot_rdfsbase)

/* Raw thread-pointer reads, for the probe and the read_tp tests. */
TEXT(gm_tp_fs0)
	movq	%fs:0, %rax
	ret
END(gm_tp_fs0)

TEXT(gm_tp_rdfsbase)
	rdfsbase %rax
	ret
END(gm_tp_rdfsbase)

/* Batched loops for the benchmarks: n back-to-back reads of g through the variant's
 * inline sequence, so a one-instruction read is not hidden behind a call. */
TEXT(gm_tlsloop_le)		/* rdi = n */
	testq	%rdi, %rdi
	jz	2f
1:	movq	%fs:gm_tls@tpoff+TLS_G, %rax
	decq	%rdi
	jnz	1b
2:	ret
END(gm_tlsloop_le)

TEXT(gm_tlsloop_fs0)
	testq	%rdi, %rdi
	jz	2f
1:	movq	%fs:0, %rax
	movq	gm_tls@tpoff+TLS_G(%rax), %rax
	decq	%rdi
	jnz	1b
2:	ret
END(gm_tlsloop_fs0)

TEXT(gm_tlsloop_rdfsbase)
	testq	%rdi, %rdi
	jz	2f
1:	rdfsbase %rax
	movq	gm_tls@tpoff+TLS_G(%rax), %rax
	decq	%rdi
	jnz	1b
2:	ret
END(gm_tlsloop_rdfsbase)

/* Nothing per thread on x86-64: %fs is set up by the C library. */
TEXT(gm_tls_port_thread_init)
	ret
END(gm_tls_port_thread_init)

	.section .note.GNU-stack,"",@progbits
