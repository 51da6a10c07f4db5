/*
 * cgocall.c — the C-level halves of Go -> C and C -> Go (Go side).
 *
 * cgocall is asmcgocall wrapped in a minimal entersyscall/exitsyscall: the goroutine's
 * status word goes Grunning -> Gsyscall with an atomic store and back with a
 * compare-and-swap, the part of the real runtime's cost that does not depend on its
 * scheduler (no P hand-off here).
 */
#define _GNU_SOURCE
#include "runtime.h"

static inline void entersyscall(struct gm_g *gp)
{
	__atomic_store_n(&gp->status, GM_GSYSCALL, __ATOMIC_SEQ_CST);
}

static inline void exitsyscall(struct gm_g *gp)
{
	uintptr_t old = GM_GSYSCALL;
	if (!__atomic_compare_exchange_n(&gp->status, &old, GM_GRUNNING, 0,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		gm_fatal("exitsyscall: goroutine %lu status %lu, want Gsyscall",
			 (unsigned long)gp->goid, (unsigned long)old);
}

int gm_cgocall_via(int (*asmcgocall)(int (*)(void *), void *), int (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	gp->m->ncgocall++;
	entersyscall(gp);
	int r = (int)gm_gocallp(asmcgocall, fn, arg, 0);
	exitsyscall(gp);
	return r;
}

int gm_cgocall(int (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	gp->m->ncgocall++;
	entersyscall(gp);
	int r = gm_asmcgocall(fn, arg);
	exitsyscall(gp);
	return r;
}

/* Reached from cgocallback on m->curg's stack with g = curg. */
void gm_cgocallbackg(void (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	if (gp != gp->m->curg)
		gm_fatal("cgocallbackg: g is not m->curg");
	exitsyscall(gp);
	fn(arg);
	gp = getg();
	entersyscall(gp);
}
