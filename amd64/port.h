/*
 * amd64/port.h — x86-64 register conventions of the gmbench model.
 *
 *   g   = r14  (as Go's ABIInternal since Go 1.17).  m is reached through g->m.
 *   TLS = %fs: the slot gm_tls holds {g, m}; the executable reaches it local-exec
 *         (%fs:gm_tls@tpoff).
 *   Go side: every register except r14 (g), rsp and rbp (frame pointer, saved in
 *   gobuf.bp as Go does) is dead across a transition; C side: SysV (rbx, rbp,
 *   r12-r15 callee-saved; no callee-saved vector registers).
 *
 * Go-side translation units are built with -ffixed-r14 -mno-red-zone
 * -fno-omit-frame-pointer: the red zone would be overwritten by the CALL inside the
 * wrappers' inline assembly, and rbp is kept as the frame pointer.
 */
#ifndef GM_PORT_H
#define GM_PORT_H

#define GM_PORT "amd64"

/* g0->sched.sp is kept at this many bytes below C alignment, as an SP just after a
 * CALL (Go's own frames do not keep the C alignment): the alignment strategies
 * have something to fix.  16 - 8. */
#define GM_G0_SP_BIAS 8

#ifdef __ASSEMBLER__

#define g %r14

/* make compare LAYOUTS=k assembles the transitions once per layout with -DGM_LAYOUT=id:
 * each function then starts 0, 16, 32 or 48 bytes later, a different amount per function
 * and layout, so code placement is varied and recorded rather than left to chance. */
#ifdef GM_LAYOUT
#define GM_LAYOUT_PAD .ifndef gm_layout_n; .set gm_layout_n, 0; .endif; \
	.set gm_layout_n, gm_layout_n + 1; .rept (((GM_LAYOUT) * 97 + gm_layout_n * 31) % 4) * 16; .byte 0; .endr
#else
#define GM_LAYOUT_PAD
#endif
#define TEXT(name) .text; .p2align 4; GM_LAYOUT_PAD; .globl name; .type name, @function; name:
#define END(name) .size name, .-name

/* TLS slot words, local-exec from the executable. */
#define TLS_G_LE %fs:gm_tls@tpoff+TLS_G
#define TLS_M_LE %fs:gm_tls@tpoff+TLS_M

/* PROBE id: in a PROBES=1 build, append {rdtsc, id} to the thread's probe ring
 * (core/probe.h).  Preserves every register; clobbers the flags, so never place it
 * between a compare and its branch.  Empty otherwise. */
#include "probe.h"
#ifdef GM_PROBES
.macro PROBE id
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	movq	%fs:gm_probe_ringp@tpoff, %rcx
	testq	%rcx, %rcx
	jz	9999f
	lfence
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	PRING_POS(%rcx), %rdx
	incq	PRING_POS(%rcx)
	andq	$(GM_PROBE_CAP - 1), %rdx
	shlq	$4, %rdx
	leaq	PRING_RECS(%rcx,%rdx), %rcx
	movq	%rax, 0(%rcx)
	movq	$\id, 8(%rcx)
9999:	popq	%rdx
	popq	%rcx
	popq	%rax
.endm
#else
.macro PROBE id
.endm
#endif

#else /* C */

#ifdef GM_GOSIDE
register struct gm_g *gm_gr __asm__("r14");
#define GM_GETG() (gm_gr)
#define GM_SETG(x) (gm_gr = (x))
#define GM_GETM() (gm_gr->m)

/* Everything a Go-side call of a transition kills: all registers but
 * rdi/rsi/rdx/rax (the operands), r14 (g), rsp, rbp. */
#define GM_CLOBBERS \
	"rbx", "rcx", "r8", "r9", "r10", "r11", "r12", "r13", "r15", \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", \
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", \
	"st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", \
	"memory", "cc"

/* Call an assembly transition by symbol with up to three word arguments, the Go way. */
#define GM_GOCALL3(sym, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("rdi") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("rsi") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("rdx") = (uintptr_t)(a2); \
	register uintptr_t _r __asm__("rax"); \
	__asm__ volatile("call " sym \
		: "=r"(_r), "+r"(_a0), "+r"(_a1), "+r"(_a2) : : GM_CLOBBERS); \
	_r; })

/* The same through a function pointer. */
#define GM_GOCALLP3(fnp, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("rdi") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("rsi") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("rdx") = (uintptr_t)(a2); \
	register uintptr_t _r __asm__("rax") = (uintptr_t)(fnp); \
	__asm__ volatile("call *%%rax" \
		: "+r"(_r), "+r"(_a0), "+r"(_a1), "+r"(_a2) : : GM_CLOBBERS); \
	_r; })
#endif /* GM_GOSIDE */

#endif /* __ASSEMBLER__ */
#endif
