/*
 * arm/arm32/port.h — ARMv7-A (armhf) register conventions of the gmbench model.
 *
 *   g   = r10, m = r9  (the 2012 seed's registers; Go-side units are built with
 *                       -ffixed-r10 -ffixed-r9, so GCC never allocates them).
 *   TLS = TPIDRURO: the slot gm_tls holds {g, m}; the executable reaches it local-exec
 *         (mrc p15, 0, rX, c13, c0, 3 + the link-time constant gm_tls(tpoff)).
 *   Go side: every register except r10 (g), r9 (m), sp and the C frame pointer is dead
 *   across a transition.  The frame pointer is the one GCC uses for the C that calls
 *   the transitions (r7 for Thumb-2 C, r11 for ARM C): GCC refuses clobber lists that
 *   name it in functions that need one (alloca, VLAs, -O0), so the transitions keep it,
 *   saved in gobuf.bp as amd64 keeps rbp.  C side: AAPCS (r4-r11 callee-saved, r9
 *   included on Linux; d8-d15 callee-saved; SP 8-aligned at public calls).
 *
 * Instruction set: the assembly is ARM (A32) code, as the seed's was; it needs ARM
 * state for `bic sp, sp, #7` and the seed's `sub pc, r0, #31` tail jump into the
 * kernel helper.  The C may be Thumb-2 (Debian's default) or ARM: every .S function is
 * `.type %function` so the linker turns bl into blx across states, indirect calls use
 * blx, returns use bx lr or a pop into pc (both interwork on ARMv7).
 *
 * FP/SIMD: the library uses only Debian's armhf default VFP (vfpv3-d16); d16-d31 are
 * named in the clobber lists (caller-saved, and C built with NEON may use them).
 */
#ifndef GM_PORT_H
#define GM_PORT_H

#define GM_PORT "arm32"

/* g0->sched.sp is kept 4 mod 8, as Go's own frames leave SP (they keep no C
 * alignment): the alignment strategies have something to fix. */
#define GM_G0_SP_BIAS 4

/* The 2012 seed's protocol is built beside today's as its own entry points, named
 * *_seed (switch.S, cgo.S, thread.S, tls.S, signal.S; docs/seed.md):
 *   - a three-word gobuf {sp, pc, g} (GOBUF_SP/PC/G: the first three words of today's);
 *   - TLS g and m at the fixed offsets TP+8 / TP+12, written and read only by the naked
 *     helpers cgo_tls_set_gm / cgo_tls_get_gm, called through the pointers
 *     gm_cgo_save_gm / gm_cgo_load_gm (gogo, gogocall, sigtramp) or directly
 *     (crosscall2, crosscall_arm2: gcc_arm.S was built with the helpers); they reach the
 *     thread pointer through the seed's __aeabi_read_tp (gm_kuser_read_tp: a tail jump
 *     into the kernel helper);
 *   - gogo and gogocall call save_gm; mcall, asmcgocall and cgocallback write no TLS,
 *     so TLS g stays the goroutine while C runs and during schedule() on g0.
 * core/tls.c places gm_tls first in the executable's TLS block, so TP+8 is gm_tls.g. */
#define GM_SEED2012 1
#define SEED_TP_G 8
#define SEED_TP_M 12

#ifdef __ASSEMBLER__

	.syntax unified

/* The Go side's registers.  Never used as other identifiers in the .S files. */
#define g r10
#define m r9

/* The frame pointer of the C that calls the transitions (see above). */
#if defined(__thumb__)
#define GM_FP r7
#else
#define GM_FP r11
#endif

/* make compare LAYOUTS=k assembles the transitions once per layout with -DGM_LAYOUT=id:
 * each function then starts 0, 16, 32 or 48 bytes later, a different amount per function
 * and layout, so code placement is varied and recorded rather than left to chance. */
#ifdef GM_LAYOUT
#define GM_LAYOUT_PAD .ifndef gm_layout_n; .set gm_layout_n, 0; .endif; \
	.set gm_layout_n, gm_layout_n + 1; .rept (((GM_LAYOUT) * 97 + gm_layout_n * 31) % 4) * 16; .byte 0; .endr
#else
#define GM_LAYOUT_PAD
#endif
#define TEXT(name) .text; .arm; .p2align 2; GM_LAYOUT_PAD; .globl name; .type name, %function; name:
#define END(name) .size name, .-name

/* Every use of the executable's slot offset loads it from the literal "9:" that
 * TLS_POOL places after the function (ldr literal reach: 4 KiB). */
.macro TLS_POOL
	.p2align 2
9:	.word	gm_tls(tpoff)
.endm

/* rd = &gm_tls (rt scratch) */
.macro TLS_SLOT rd, rt
	mrc	p15, 0, \rd, c13, c0, 3		/* rd = thread pointer (TPIDRURO) */
	ldr	\rt, 9f				/* rt = gm_tls's offset from it */
	add	\rd, \rd, \rt
.endm

/* save_g: TLS g = g (scratch ra, rb); one register-offset store, as TLS_G is 0 */
.if TLS_G != 0
.error "SAVE_G stores at [tp, offset]: it needs TLS_G == 0"
.endif
.macro SAVE_G ra, rb
	mrc	p15, 0, \ra, c13, c0, 3
	ldr	\rb, 9f
	str	g, [\ra, \rb]
.endm

/* save_gm (the seed's cgo_save_gm): TLS {g, m} = {g, m} */
.macro SAVE_GM ra, rb
	TLS_SLOT \ra, \rb
	str	g, [\ra, #TLS_G]
	str	m, [\ra, #TLS_M]
.endm

/* load_gm (the seed's cgo_load_gm): {g, m} = TLS {g, m} */
.macro LOAD_GM ra, rb
	TLS_SLOT \ra, \rb
	ldr	g, [\ra, #TLS_G]
	ldr	m, [\ra, #TLS_M]
.endm

/* rd = &sym, position-independent (the executables are PIE) */
.macro LDA rd, sym
	movw	\rd, #:lower16:(\sym - (.Llda\@ + 8))
	movt	\rd, #:upper16:(\sym - (.Llda\@ + 8))
.Llda\@:
	add	\rd, pc, \rd
.endm

/* rd = a 32-bit constant */
.macro MOV32 rd, val
	movw	\rd, #((\val) & 0xffff)
	movt	\rd, #(((\val) >> 16) & 0xffff)
.endm


/* rd = *sym (a word in .data), position-independent: 5l's two-instruction load of an
 * absolute address becomes three (literal offset, add pc, load).  Needs the literal
 * SEED_PTR_LIT \sym after the function; l is a numeric label unique in the file. */
.macro SEED_LDPTR rd, sym, l
	ldr	\rd, .Lptr_\sym\()_\l
.Lpc_\sym\()_\l:
	add	\rd, pc, \rd
	ldr	\rd, [\rd]
.endm
.macro SEED_PTR_LIT sym, l
	.p2align 2
.Lptr_\sym\()_\l:
	.word	\sym - (.Lpc_\sym\()_\l + 8)
.endm

/* rd = 0xffff0fe0, __kuser_get_tls, as the seed computes it (mvn; sub) */
.macro KUSER_GET_TLS_ADDR rd
	mvn	\rd, #0xf000			/* 0xffff0fff */
	sub	\rd, \rd, #31			/* 0xffff0fe0 */
.endm

#else /* C */

/* ---- the 2012 seed's mode: entry points and Go-side glue (arm/arm32/variants.c) ---- */
struct gm_g;
struct gm_m;
/* 2012's gobuf: the seed's routines read and write these three words only. */
struct gm_gobuf2012 {
	uintptr_t sp;
	uintptr_t pc;
	struct gm_g *g;
};
/* 1 if the seed's mode can run here: the kernel helper page, and gm_tls at TP+8. */
int gm_probe_seed(char *why, size_t whylen);
/* gm_run with the seed's protocol end to end (core/proc.c): fn's goroutine and the ones it
 * creates start through gogocall_seed and end through mcall_seed; the scheduler returns
 * through gogo_seed to state saved by gosave_seed. */
void gm_run_seed(void (*fn)(void *), void *arg);
/* gosched through the seed's mcall (no TLS write); resume with gm_sched_gogo =
 * gm_gogo_seed_sym to reschedule as 2012 did. */
void gm_gosched_seed(void);
/* 1 if gp is m->curg and its saved pc is the seed's return<>: in a cgo call it entered
 * through asmcgocall_seed (the reporters of protocol mixes ask). */
int gm_seed_in_asmcgocall(const struct gm_g *gp);
void gm_badcgocallback_seed_mix(struct gm_g *gp) __attribute__((noreturn));
/* Install gm_sigtramp_seed for sig (SA_SIGINFO | SA_ONSTACK | SA_RESTART, all blocked). */
int gm_signal_install_seed(int sig);
void gm_sigtramp_seed(int sig, void *info, void *uctx);
/* crosscall_arm2: for gm_thread_entry_fn. */
void gm_thread_entry_seed(void (*fn)(void), struct gm_m *m, struct gm_g *g);
/* C ABI: crosscall2 (callbacks from C code entered through gm_asmcgocall_seed). */
void gm_crosscall2_seed(void (*fn)(void *), void *arg);
/* Go side, by address only (gm_gocallp / gm_cgocall_via / gm_sched_gogo). */
void gm_asmcgocall_seed_sym(void) __asm__("gm_asmcgocall_seed");
void gm_gogo_seed_sym(void) __asm__("gm_gogo_seed");
/* Go side: the whole 2012 cgo call, 2012's bookkeeping around asmcgocall_seed (core/cgocall.c). */
int gm_cgocall_seed(int (*fn)(void *), void *arg);
/* C ABI: n x (cgo_save_gm, cgo_load_gm) through their pointers. */
void gm_tlsloop_seed_gm(long n);

#ifdef GM_GOSIDE
register struct gm_g *gm_gr __asm__("r10");
register struct gm_m *gm_mr __asm__("r9");
#define GM_GETG() (gm_gr)
#define GM_SETG(x) (gm_gr = (x))
#define GM_GETM() (gm_mr)
#define GM_SETM(x) (gm_mr = (x))
#define GM_GETM_REG() (gm_mr)

/* The frame pointer stays live (see above): r7 in Thumb code, r11 in ARM code. */
#if defined(__thumb__)
#define GM_CLOBBER_FPR "r11"
#else
#define GM_CLOBBER_FPR "r7"
#endif

/* Everything a Go-side call of a transition kills, apart from the operands r0-r2 and
 * (for the call through a pointer) r3: all core registers but r9 (m), r10 (g), sp and
 * the frame pointer; all of d0-d31; the flags. */
#define GM_CLOBBERS_NOR3 \
	"r4", "r5", "r6", "r8", GM_CLOBBER_FPR, "r12", "lr", \
	"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", \
	"d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15", \
	"d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", \
	"d24", "d25", "d26", "d27", "d28", "d29", "d30", "d31", \
	"memory", "cc"
#define GM_CLOBBERS "r3", GM_CLOBBERS_NOR3

/* Call an assembly transition by symbol with up to three word arguments, the Go way:
 * r0-r2 in, r0 out.  From Thumb code the linker turns this bl into blx. */
#define GM_GOCALL3(sym, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("r0") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("r1") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("r2") = (uintptr_t)(a2); \
	__asm__ volatile("bl " sym \
		: "+r"(_a0), "+r"(_a1), "+r"(_a2) : : GM_CLOBBERS); \
	_a0; })

/* The seed's transitions (*_seed) save no frame pointer: the 2012 gobuf has three
 * words and 5c code kept none.  Their call sites name it dead too, so GCC keeps
 * nothing in it across them (and refuses to compile a call in a function that needs a
 * frame pointer, rather than resume it with a stale one). */
#if defined(__thumb__)
#define GM_CLOBBER_FP_SEED "r7"
#else
#define GM_CLOBBER_FP_SEED "r11"
#endif
#define GM_GOCALL3_SEED(sym, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("r0") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("r1") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("r2") = (uintptr_t)(a2); \
	__asm__ volatile("bl " sym \
		: "+r"(_a0), "+r"(_a1), "+r"(_a2) : : GM_CLOBBERS, GM_CLOBBER_FP_SEED); \
	_a0; })

/* The 2012 seed's switches (switch.S).  gosave returns its argument (2012's gosave
 * returned nothing and left the gobuf pointer in R0); a later gogo(buf, ret) makes it
 * return ret, which must differ from buf. */
#define gm_gosave_seed(buf)        ((uintptr_t)GM_GOCALL3_SEED("gm_gosave_seed", (buf), 0, 0))
#define gm_gogo_seed(buf, ret)     ((void)GM_GOCALL3_SEED("gm_gogo_seed", (buf), (ret), 0))
#define gm_gogocall_seed(buf, fn)  ((void)GM_GOCALL3_SEED("gm_gogocall_seed", (buf), (fn), 0))
#define gm_mcall_seed(fn)          ((void)GM_GOCALL3_SEED("gm_mcall_seed", (fn), 0, 0))

/* The same through a function pointer (in r3; blx interworks). */
#define GM_GOCALLP3(fnp, a0, a1, a2) __extension__({ \
	register uintptr_t _a0 __asm__("r0") = (uintptr_t)(a0); \
	register uintptr_t _a1 __asm__("r1") = (uintptr_t)(a1); \
	register uintptr_t _a2 __asm__("r2") = (uintptr_t)(a2); \
	register uintptr_t _f __asm__("r3") = (uintptr_t)(fnp); \
	__asm__ volatile("blx %3" \
		: "+r"(_a0), "+r"(_a1), "+r"(_a2), "+r"(_f) : : GM_CLOBBERS_NOR3); \
	_a0; })
#endif /* GM_GOSIDE */

#endif /* __ASSEMBLER__ */
#endif
