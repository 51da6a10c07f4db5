/*
 * probe.h — latency probes (a PROBES=1 build only; otherwise every GM_PROBE is empty and
 * the transitions contain no probe code at all).
 *
 * A probe appends {counter value, edge id} to the calling thread's ring
 * (gm_probe_ringp, a TLS pointer; NULL = not recording).  The counter is the port's
 * cheapest raw one (amd64 lfence+rdtsc, arm64 isb+cntvct_el0, arm32 the generic timer
 * where present), so C-level probes (at the call sites, in C, in Go callbacks) and
 * assembly probes (inside the transitions: stack switched, C returned...) are on one
 * time base.  bench/side/side.c turns the ring into per-edge latencies (edges.csv).
 */
#ifndef GM_PROBE_H
#define GM_PROBE_H

/* Edge ids: C-level */
#define PR_GO_CALL            1   /* Go side, just before the transition */
#define PR_GO_BACK            2   /* Go side, right after it */
#define PR_IN_C               3   /* first thing in the C function */
#define PR_IN_GO              4   /* first thing in the Go function (callback, partner) */
#define PR_C_CALL             5   /* C side, before calling crosscall2 */
#define PR_C_BACK             6   /* C side, after crosscall2 returned */
#define PR_IN_HANDLER         7   /* in the Go-side signal handler */
/* Edge ids: inside the transitions (assembly) */
#define PR_ASMCGOCALL_ONG0    10  /* asmcgocall: on g0's stack, about to call C */
#define PR_ASMCGOCALL_BACK    11  /* asmcgocall: C returned, about to switch back */
#define PR_CROSSCALL2_GOTG    12  /* crosscall2: registers saved, g loaded from TLS */
#define PR_CGOCALLBACK_ONCURG 13  /* cgocallback: on curg's stack, calling cgocallbackg */
#define PR_CGOCALLBACK_BACKG0 14  /* cgocallback: back on g0's stack */
#define PR_GOGO_JUMP          15  /* gogo: g, sp restored, about to jump */
#define PR_MCALL_ONG0         16  /* mcall: on g0's stack, about to call fn */
#define PR_SIGTRAMP_GOTG      17  /* sigtramp: g loaded from TLS, g = gsignal */
#define PR_MAX                18

#define GM_PROBE_CAP_LOG2 16
#define GM_PROBE_CAP (1 << GM_PROBE_CAP_LOG2)   /* records per thread ring */

/* ring layout (offsets for assembly): pos word, then 16-byte records {t, id} */
#define PRING_POS  0
#define PRING_RECS 16

#ifndef __ASSEMBLER__
#include <stdint.h>

struct gm_probe_rec { uint64_t t; uint64_t id; };
struct gm_probe_ring {
	uint64_t pos;                  /* records written (the ring keeps the last CAP) */
	uint64_t pad;
	struct gm_probe_rec rec[GM_PROBE_CAP];
};
extern __thread struct gm_probe_ring *gm_probe_ringp;
const char *gm_probe_name(unsigned id);

#ifdef GM_PROBES
#include "counter.h"   /* the port's raw reads */
#if defined(GM_PORT_HAS_TSC)
#define GM_PROBE_UNIT "ticks"	/* TSC ticks */
static inline uint64_t gm_probe_now(void) { return gm_port_tsc(); }
#elif defined(__aarch64__)
#define GM_PROBE_UNIT "ticks"	/* generic timer ticks */
static inline uint64_t gm_probe_now(void) { return gm_port_cntvct(); }
#else
/* ARMv7: CNTVCT may not exist (Cortex-A8/A9, QEMU): the vDSO clock, in ns */
#include <time.h>
#define GM_PROBE_UNIT "ns"
static inline uint64_t gm_probe_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif
static inline __attribute__((always_inline)) void gm_probe(unsigned id)
{
	struct gm_probe_ring *r = gm_probe_ringp;
	if (r) {
		uint64_t t = gm_probe_now();
		struct gm_probe_rec *e = &r->rec[r->pos & (GM_PROBE_CAP - 1)];
		e->t = t;
		e->id = id;
		r->pos++;
	}
}
#define GM_PROBE(id) gm_probe(id)
#else
#define GM_PROBE(id) ((void)0)
#endif
#endif /* !__ASSEMBLER__ */
#endif
