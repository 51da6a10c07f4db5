/*
 * hostile.h — the hostile C side of the correctness tests.
 *
 * The assembly helpers (tests/runtime/ports/<port>/hostile.S) are what C code compiled
 * normally is allowed to do, pushed to the limit: clobber every register including
 * g/m (restoring callee-saved ones as the C ABI requires), and check the stack
 * alignment the C ABI promises them at their entry.  Offsets below are used by the
 * assembly; tests/runtime/test_runtime.c checks them with _Static_assert.
 */
#ifndef GM_HOSTILE_H
#define GM_HOSTILE_H

#define HX_MISALIGNED 0            /* C entries that found SP misaligned (atomic) */
#define HX_BODY       (1 * HX_W)   /* int (*body)(struct hostile_ctx *) */
#define HX_CALLS      (2 * HX_W)   /* entries into gm_hostile_entry */
#define HX_STOP       (3 * HX_W)   /* gm_hostile_spin spins until this word is non-zero */
#define HX_SPINS      (4 * HX_W)   /* loop iterations of gm_hostile_spin */

#if defined(__x86_64__) || defined(__aarch64__)
#define HX_W 8
#else
#define HX_W 4
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

struct hostile_ctx {
	volatile long misaligned;
	int (*body)(struct hostile_ctx *);
	long calls;
	volatile long stop;
	long spins;
	/* C-level state, not used by the assembly: */
	void *xc2;                 /* crosscall2 variant the body calls */
	void (*callback)(void *);  /* Go-side function crosscall2 runs */
	void *cbarg;
	long xc2_mismatch;         /* OR of callee-saved registers crosscall2 did not preserve */
	long xc2_calls;
	long varargs_bad;          /* alignment-sensitive code that computed the wrong answer */
	void *tls_g_want;          /* if set: the g the thread's TLS slot must name while C runs */
	long tls_g_bad;            /* C entries that found another g there */
	int depth, maxdepth;
};

/* C ABI, called by asmcgocall: check SP, save callee-saved, poison every register
 * (g/m included), run ctx->body(ctx) with an aligned stack, poison again, restore. */
int gm_hostile_entry(struct hostile_ctx *ctx);
/* Call crosscall2-variant xc2(fn, arg) with known patterns in every callee-saved
 * register (general and FP/SIMD) and garbage in g/m and the scratch registers;
 * returns a bit mask of callee-saved registers that came back changed (0 = good). */
long gm_hostile_crosscall2(void *xc2, void (*fn)(void *), void *arg);
/* C ABI: spin with garbage in g/m (and every other register) until ctx->stop. */
int gm_hostile_spin(struct hostile_ctx *ctx);
/* A C-ABI slot function that counts misaligned entries, then behaves as gm_slot_le. */
void *gm_hostile_slot_checked(void);
extern volatile long gm_hostile_slot_misaligned;
/* Go code owns every FP/SIMD register: trash them all, as Go code may. */
void gm_hostile_clobber_fp(void);

/* C bodies (tests/runtime/hostile.c). */
int hostile_body_plain(struct hostile_ctx *ctx);     /* alignment-sensitive work only */
int hostile_body_callback(struct hostile_ctx *ctx);  /* ... then a C -> Go callback */
#endif
#endif
