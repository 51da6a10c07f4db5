/*
 * arm/arm64/port.h — AArch64 register conventions of the gmbench model.
 *
 *   g   = x28 (as Go's arm64 port).  m is reached through g->m.
 *   TLS = tpidr_el0: the slot gm_tls holds {g, m}; the executable reaches it
 *         local-exec (mrs tpidr_el0 + :tprel_hi12: / :tprel_lo12_nc:).
 *   Go side: every register except x28 (g), sp and x29 (frame pointer, saved in
 *   gobuf.bp as today's Go does) is dead across a transition; x30 (lr) is saved in
 *   gobuf.pc/lr.  C side: AAPCS64 (x19-x29 and the low halves of v8-v15 callee-saved,
 *   SP 16-aligned at all times; x18 is the platform register, never used here).
 *
 * Go-side translation units are built with -ffixed-x28 -fno-omit-frame-pointer.
 * AArch64 Linux has no red zone, so nothing below SP needs protecting.
 */
#ifndef GM_PORT_H
#define GM_PORT_H

#define GM_PORT "arm64"

/* SP cannot usefully be misaligned on AArch64 (Linux faults SP-relative accesses when
 * it is not 16-aligned), so g0->sched.sp is simply kept 16-aligned, like Go does. */
#define GM_G0_SP_BIAS 0

#ifdef __ASSEMBLER__

/* make compare LAYOUTS=k assembles the transitions once per layout with -DGM_LAYOUT=id:
 * each function then starts 0, 16, 32 or 48 bytes later, a different amount per function
 * and layout, so code placement is varied and recorded rather than left to chance. */
#ifdef GM_LAYOUT
#define GM_LAYOUT_PAD .ifndef gm_layout_n; .set gm_layout_n, 0; .endif; \
	.set gm_layout_n, gm_layout_n + 1; .rept (((GM_LAYOUT) * 97 + gm_layout_n * 31) % 4) * 16; .byte 0; .endr
#else
#define GM_LAYOUT_PAD
#endif
#define TEXT(name) .text; .p2align 4; GM_LAYOUT_PAD; .globl name; .type name, %function; name:
#define END(name) .size name, .-name

/* GAS macros, not cpp ones: the '#' of the relocation operators would be cpp's
 * stringizing operator inside a function-like macro. */

/* rd = thread pointer + the high 12 bits of gm_tls's offset; complete the address
 * with a :tprel_lo12_nc:gm_tls offset in the ldr/str/add that follows. */
.macro TLS_BASE rd
	mrs	\rd, tpidr_el0
	add	\rd, \rd, #:tprel_hi12:gm_tls, lsl #12
.endm

/* rd = &gm_tls of this thread (local-exec: three instructions, no memory access). */
.macro TLS_SLOT rd
	TLS_BASE \rd
	add	\rd, \rd, #:tprel_lo12_nc:gm_tls
.endm

/* TLS g = rg (scratch rt). */
.macro TLS_SAVE_G rg, rt
	TLS_BASE \rt
	str	\rg, [\rt, #:tprel_lo12_nc:gm_tls]
.endm

/* rg = TLS g. */
.macro TLS_LOAD_G rg
	TLS_BASE \rg
	ldr	\rg, [\rg, #:tprel_lo12_nc:gm_tls]
.endm

/* TLS {g, m} = {rg, rm}: one stp (TLS_G, TLS_M adjacent; scratch rt). */
.macro TLS_SAVE_GM rg, rm, rt
	TLS_SLOT \rt
	stp	\rg, \rm, [\rt, #TLS_G]
.endm

/* 64-bit constant into a register. */
.macro MOV64 rd, val
	movz	\rd, #((\val) & 0xffff)
	movk	\rd, #(((\val) >> 16) & 0xffff), lsl #16
	movk	\rd, #(((\val) >> 32) & 0xffff), lsl #32
	movk	\rd, #(((\val) >> 48) & 0xffff), lsl #48
.endm

/* PROBE id: in a PROBES=1 build, append {cntvct_el0, id} to the thread's probe ring
 * (core/probe.h; gm_probe_ringp reached local-exec, NULL = not recording).
 * Preserves every register (x9-x12 are saved below SP, 32 bytes: SP stays 16-aligned
 * if it was) and the NZCV flags (no flag-setting instruction: add/and/cbz only), so
 * it may sit anywhere, even between a compare and its branch.  Empty otherwise. */
#include "probe.h"
#ifdef GM_PROBES
.macro PROBE id
	stp	x9, x10, [sp, #-32]!
	stp	x11, x12, [sp, #16]
	mrs	x9, tpidr_el0
	add	x9, x9, #:tprel_hi12:gm_probe_ringp, lsl #12
	ldr	x9, [x9, #:tprel_lo12_nc:gm_probe_ringp]	/* x9 = ring */
	cbz	x9, 9999f
	isb
	mrs	x10, cntvct_el0			/* x10 = t */
	ldr	x11, [x9, #PRING_POS]
	add	x12, x11, #1
	str	x12, [x9, #PRING_POS]		/* pos++ */
	and	x11, x11, #(GM_PROBE_CAP - 1)
	add	x11, x9, x11, lsl #4		/* x11 = &rec[pos & (CAP-1)] - PRING_RECS */
	mov	x12, #(\id)
	stp	x10, x12, [x11, #PRING_RECS]	/* {t, id} */
9999:	ldp	x11, x12, [sp, #16]
	ldp	x9, x10, [sp], #32
.endm
#else
.macro PROBE id
.endm
#endif

#else /* C */

#ifdef GM_GOSIDE
register struct gm_g *gm_gr __asm__("x28");
#define GM_GETG() (gm_gr)
#define GM_SETG(x) (gm_gr = (x))
#define GM_GETM() (gm_gr->m)

/* Everything a Go-side call of a transition kills, apart from the operands x0-x2 and
 * (for the call through a pointer) x16: all general registers but x28 (g), x29 (fp)
 * and sp, all of v0-v31.  x18 is listed because the C code a transition runs may use
 * it (on Linux GCC allocates x18 as a temporary); no assembly here touches it. */
#define GM_CLOBBERS_NOX16 \
	"x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", \
	"x15", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", \
	"x27", "x30", \
	"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", \
	"v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", \
	"v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", \
	"v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", \
	"memory", "cc"
#define GM_CLOBBERS "x16", GM_CLOBBERS_NOX16

/* Call an assembly transition by symbol with up to three word arguments, the Go way:
 * x0-x2 in, x0 out. */
#define GM_GOCALL3(sym, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("x0") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("x1") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("x2") = (uintptr_t)(a2); \
	__asm__ volatile("bl " sym \
		: "+r"(_a0), "+r"(_a1), "+r"(_a2) : : GM_CLOBBERS); \
	_a0; })

/* The same through a function pointer (in x16, as a linker veneer would use). */
#define GM_GOCALLP3(fnp, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("x0") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("x1") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("x2") = (uintptr_t)(a2); \
	register uintptr_t _f __asm__("x16") = (uintptr_t)(fnp); \
	__asm__ volatile("blr %3" \
		: "+r"(_a0), "+r"(_a1), "+r"(_a2), "+r"(_f) : : GM_CLOBBERS_NOX16); \
	_a0; })
#endif /* GM_GOSIDE */

#endif /* __ASSEMBLER__ */
#endif
