/*
 * gm_abi.h — the layout contract between the C model and the assembly ports.
 *
 * Included by C (core/, tests/, bench/) and by every port's .S files, so it holds
 * only preprocessor constants.  core/layout.c checks every offset against the C
 * structs with _Static_assert, so a change on one side cannot silently break the other.
 *
 * All fields are pointer-sized words: offsets are multiples of GM_PTR.
 */
#ifndef GM_ABI_H
#define GM_ABI_H

#if defined(__x86_64__) || defined(__aarch64__)
#define GM_PTR 8
#elif defined(__arm__)
#define GM_PTR 4
#else
#error "gmbench: unsupported architecture (amd64, arm, arm64 only)"
#endif

/* struct gm_gobuf: the saved context of a goroutine (Go's gobuf). */
#define GOBUF_SP    (0 * GM_PTR)
#define GOBUF_PC    (1 * GM_PTR)
#define GOBUF_G     (2 * GM_PTR)
#define GOBUF_LR    (3 * GM_PTR)  /* arm/arm64: link register at the save point */
#define GOBUF_CTXT  (4 * GM_PTR)  /* closure context / argument for gogocall */
#define GOBUF_BP    (5 * GM_PTR)  /* frame pointer (rbp / x29 / r7|r11) */
#define GOBUF_WORDS 6

/* struct gm_g: a goroutine. */
#define G_STACK_LO    (0 * GM_PTR)
#define G_STACK_HI    (1 * GM_PTR)
#define G_STACKGUARD  (2 * GM_PTR)
#define G_SCHED       (3 * GM_PTR)            /* struct gm_gobuf, GOBUF_WORDS words */
#define G_M           ((3 + GOBUF_WORDS) * GM_PTR)
#define G_GOID        ((4 + GOBUF_WORDS) * GM_PTR)
#define G_STATUS      ((5 + GOBUF_WORDS) * GM_PTR)
#define G_MAGIC       ((6 + GOBUF_WORDS) * GM_PTR)

/* struct gm_m: an OS thread. */
#define M_G0       (0 * GM_PTR)
#define M_CURG     (1 * GM_PTR)
#define M_GSIGNAL  (2 * GM_PTR)
#define M_ID       (3 * GM_PTR)
#define M_NCGOCALL (4 * GM_PTR)

/* The thread's TLS slot (struct gm_tlsslot): g then m, as the seed's TP+8 / TP+12. */
#define TLS_G 0
#define TLS_M GM_PTR

/* Goroutine status words (changed with atomics by entersyscall/exitsyscall). */
#define GM_GIDLE     0
#define GM_GRUNNABLE 1
#define GM_GRUNNING  2
#define GM_GSYSCALL  3
#define GM_GWAITING  4
#define GM_GDEAD     6

#define GM_G_MAGIC 0x67676d67  /* "gmgg": lets tests and the signal handler validate a g pointer */

/*
 * Alignment the C ABI requires at a call instruction:
 * SysV x86-64 16, AAPCS64 16 (always), AAPCS 8 at public interfaces.
 */
#if defined(__arm__)
#define GM_C_ALIGN 8
#else
#define GM_C_ALIGN 16
#endif

#endif
