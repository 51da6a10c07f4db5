/*
 * cgocall.c — the C-level halves of Go -> C and C -> Go (Go side), with the runtime's
 * bookkeeping around them in three modes, side by side in one binary (GM_CGO_*):
 *
 *   bare     the status word goes Grunning -> Gsyscall with an atomic store and back
 *            with a compare-and-swap: the part of the cost that does not depend on a
 *            scheduler.  gm_cgocall; every test and most suites use it.
 *   go2012   the 2012 runtime (Go 1.0's proc.c entersyscall/exitsyscall, the cgocall.c
 *            of the _cgo_load_gm era): cgocall counts ncgocall, locks g to m, pushes a
 *            defer record, counts ncgo; entersyscall gosaves into g->sched, records
 *            gcsp/gcstack/gcguard, stores the status, checks the record and does an
 *            atomic add on the scheduler word sched.atomic; exitsyscall adds back and
 *            checks mcpu <= mcpumax and the profiling rate.  cgocallbackg: the g check,
 *            exitsyscall, a defer record for unwindm, the call, the defer check, entersyscall.
 *   gotoday  Go 1.19 (runtime/cgocall.go, proc.go): cgocall counts ncgocall/ncgo and
 *            sets incgo; reentersyscall takes m.locks, poisons stackguard0, sets
 *            throwsplit, saves pc/sp/syscallsp, CASes the status, checks sysmonwait,
 *            the P's safe-point function and gcwaiting, and hands the P off (pp.m = 0,
 *            m.oldp = pp, m.p = 0, atomic store of _Psyscall); exitsyscall checks the
 *            frame, takes the fast path (exitsyscallfast: stopwait check, CAS of the old
 *            P _Psyscall -> _Pidle, wirep, the syscalltick check), CASes the status
 *            back and restores stackguard0.  cgocallbackg: lockOSThread, saves the
 *            syscall sp/pc, exitsyscall, incgo, the ncgo == 0 (main_init_done) check,
 *            the unwindm defer (open-coded: a flag), the call, unlockOSThread,
 *            reentersyscall with the saved sp/pc.
 *
 * What the models leave out is listed in docs/peers.md ("What the bookkeeping models
 * leave out").  Every slow path (a P taken by sysmon, GC waiting, mcpu > mcpumax, ...)
 * stops with a message naming the path: none can happen in this runtime, whose
 * scheduler words never change.
 */
#define _GNU_SOURCE
#include "runtime.h"

/* Go 1.0's layout of sched.atomic. */
#define MCPU_WIDTH 15
#define MCPU_MASK ((1u << MCPU_WIDTH) - 1)
#define MCPU_SHIFT 0
#define MCPUMAX_SHIFT (MCPU_SHIFT + MCPU_WIDTH)
#define WAITSTOP_SHIFT (MCPUMAX_SHIFT + MCPU_WIDTH)
#define GWAITING_SHIFT (WAITSTOP_SHIFT + 1)
#define A_MCPU(v) (((v) >> MCPU_SHIFT) & MCPU_MASK)
#define A_MCPUMAX(v) (((v) >> MCPUMAX_SHIFT) & MCPU_MASK)
#define A_WAITSTOP(v) (((v) >> WAITSTOP_SHIFT) & 1)
#define A_GWAITING(v) (((v) >> GWAITING_SHIFT) & 1)

/* mcpumax at its largest: the 2012 fast paths are always taken (no GOMAXPROCS limit);
 * each m adds one mcpu when it is made (gm_allocm), so entersyscall's -1 never borrows. */
struct gm_sched gm_sched = { .atomic = MCPU_MASK << MCPUMAX_SHIFT };

#define GM_STACKPREEMPT ((uintptr_t)-1314)	/* Go's stackPreempt: 0xfff...fade */
#define GM_FREEZESTOPWAIT 0x7fffffffu

void gm_sched_addm(void)
{
	__atomic_add_fetch(&gm_sched.atomic, 1u << MCPU_SHIFT, __ATOMIC_SEQ_CST);
}

static void __attribute__((noreturn, noinline)) slowpath(const char *which)
{
	gm_fatal("%s: the slow path is not modelled (the model's scheduler words never ask for it)", which);
}

/* ------------------------------------------------------------------ bare */

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
	unsigned mode = gp->cgomode;
	gp->cgomode = GM_CGO_BARE;
	entersyscall(gp);
	int r = (int)gm_gocallp(asmcgocall, fn, arg, 0);
	exitsyscall(gp);
	gp->cgomode = mode;
	return r;
}

int gm_cgocall(int (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	gp->m->ncgocall++;
	unsigned mode = gp->cgomode;
	gp->cgomode = GM_CGO_BARE;
	entersyscall(gp);
	int r = gm_asmcgocall(fn, arg);
	exitsyscall(gp);
	gp->cgomode = mode;
	return r;
}

/* ------------------------------------------------------------------ go2012 */

/* Go 1.0's entersyscall: the gosave makes g->sched the caller's state for the GC.
 * seed (arm32): through the seed's own gosave (three words), as the seed's cgo calls did. */
static inline __attribute__((always_inline)) void entersyscall_2012_body(int seed)
{
	struct gm_g *gp = getg();
#ifdef GM_SEED2012
	if (seed)
		gm_gosave_seed(&gp->sched);
	else
#endif
		gm_gosave(&gp->sched);
	(void)seed;
	gp = getg();
	gp->gcsp = gp->sched.sp;
	gp->gcstack = gp->stack_hi;
	gp->gcguard = gp->stackguard;
	__atomic_store_n(&gp->status, GM_GSYSCALL, __ATOMIC_RELAXED);	/* a plain store in 2012 */
	if (gp->gcsp < gp->gcguard - GM_STACKGUARD_GAP || gp->gcstack < gp->gcsp)
		gm_fatal("entersyscall: inconsistent sp %p, stack [%p, %p]", (void *)gp->gcsp,
			 (void *)(gp->gcguard - GM_STACKGUARD_GAP), (void *)gp->gcstack);
	/* atomic { mcpu-- }: runtime·xadd returns the new value */
	uint32_t v = __atomic_add_fetch(&gm_sched.atomic, -(1u << MCPU_SHIFT), __ATOMIC_SEQ_CST);
	if (!A_GWAITING(v) && (!A_WAITSTOP(v) || A_MCPU(v) > A_MCPUMAX(v)))
		return;
	slowpath("entersyscall (2012: gwaiting or waitstop)");
}

static void __attribute__((noinline)) entersyscall_2012(void)
{
	entersyscall_2012_body(0);
}

#ifdef GM_SEED2012
static void __attribute__((noinline)) entersyscall_seed(void)
{
	entersyscall_2012_body(1);
}
#endif

static void __attribute__((noinline)) exitsyscall_2012(void)
{
	struct gm_g *gp = getg();
	uint32_t v = __atomic_add_fetch(&gm_sched.atomic, 1u << MCPU_SHIFT, __ATOMIC_SEQ_CST);
	if (gp->m->profilehz == gm_sched.profilehz && A_MCPU(v) <= A_MCPUMAX(v)) {
		__atomic_store_n(&gp->status, GM_GRUNNING, __ATOMIC_RELAXED);
		gp->gcstack = 0;
		return;
	}
	slowpath("exitsyscall (2012: mcpu > mcpumax or a new profiling rate)");
}

/* 2012's deferproc of a record on the caller's frame (open-coded: no allocation). */
static inline __attribute__((always_inline)) void defer_2012(struct gm_g *gp, struct gm_defer *d, void (*fn)(void))
{
	d->fn = fn;
	d->siz = 0;
	d->link = gp->defer;
	d->argp = (void *)-1;
	d->nofree = 1;
	gp->defer = d;
}

static void endcgo_2012(void)
{
	struct gm_g *gp = getg();
	struct gm_m *mp = gp->m;
	mp->lockedg = NULL;	/* unlockOSThread */
	gp->lockedm = NULL;
	mp->ncgo--;
}

/* 2012's cgocall around asmcgocall: the port's default, or (seed, arm32 only) the 2012
 * seed's gm_asmcgocall_seed, each called directly. */
static inline __attribute__((always_inline)) int cgocall_2012(int seed, int (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	struct gm_m *mp = gp->m;
	if (!fn)
		gm_fatal("cgocall nil");
	mp->ncgocall++;
	/* lock g to m (so a callback finds the same stack); a defer in case of panic */
	mp->lockedg = gp;
	gp->lockedm = mp;
	struct gm_defer d;
	defer_2012(gp, &d, endcgo_2012);
	mp->ncgo++;
	unsigned mode = gp->cgomode;
#ifdef GM_SEED2012
	gp->cgomode = seed ? GM_CGO_SEED : GM_CGO_GO2012;
	if (seed)
		entersyscall_seed();
	else
		entersyscall_2012();
	int r = seed ? (int)GM_GOCALL3("gm_asmcgocall_seed", fn, arg, 0) : gm_asmcgocall(fn, arg);
#else
	(void)seed;
	gp->cgomode = GM_CGO_GO2012;
	entersyscall_2012();
	int r = gm_asmcgocall(fn, arg);
#endif
	exitsyscall_2012();
	gp = getg();
	gp->cgomode = mode;
	if (gp->defer != &d || d.fn != endcgo_2012)
		gm_fatal("runtime: bad defer entry in cgocall");
	gp->defer = d.link;
	endcgo_2012();
	return r;
}

int gm_cgocall_go2012(int (*fn)(void *), void *arg)
{
	return cgocall_2012(0, fn, arg);
}

#ifdef GM_SEED2012
/* arm32: the whole 2012 cgo call, 2012's bookkeeping around the seed's asmcgocall
 * (cgocall/cgocall/seed, docs/seed.md). */
int gm_cgocall_seed(int (*fn)(void *), void *arg)
{
	return cgocall_2012(1, fn, arg);
}
#endif

/* ------------------------------------------------------------------ gotoday */

static inline void casgstatus(struct gm_g *gp, uintptr_t from, uintptr_t to)
{
	uintptr_t old = from;
	if (!__atomic_compare_exchange_n(&gp->status, &old, to, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		gm_fatal("casgstatus: goroutine %lu status %lu, want %lu", (unsigned long)gp->goid,
			 (unsigned long)old, (unsigned long)from);
}

/* Go 1.19's reentersyscall(pc, sp) on its fast path. */
static inline void reentersyscall(struct gm_g *gp, uintptr_t pc, uintptr_t sp)
{
	struct gm_m *mp = gp->m;
	mp->locks++;
	gp->stackguard0 = GM_STACKPREEMPT;
	gp->throwsplit = 1;
	gp->sched.pc = pc;	/* save(pc, sp) */
	gp->sched.sp = sp;
	gp->sched.lr = 0;
	gp->sched.g = gp;
	gp->syscallsp = sp;
	gp->syscallpc = pc;
	casgstatus(gp, GM_GRUNNING, GM_GSYSCALL);
	if (gp->syscallsp < gp->stack_lo || gp->stack_hi < gp->syscallsp)
		gm_fatal("entersyscall: syscallsp %p outside the stack [%p, %p]", (void *)gp->syscallsp,
			 (void *)gp->stack_lo, (void *)gp->stack_hi);
	if (__atomic_load_n(&gm_sched.sysmonwait, __ATOMIC_SEQ_CST))
		slowpath("entersyscall (entersyscall_sysmon)");
	struct gm_p *pp = mp->p;
	if (pp->runsafepointfn)
		slowpath("entersyscall (runSafePointFn)");
	mp->syscalltick = pp->syscalltick;
	pp->m = NULL;	/* the P hand-off */
	mp->oldp = pp;
	mp->p = NULL;
	__atomic_store_n(&pp->status, GM_PSYSCALL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&gm_sched.gcwaiting, __ATOMIC_RELAXED))
		slowpath("entersyscall (entersyscall_gcwait)");
	mp->locks--;
}

/* Go 1.19's exitsyscall, fast path only (exitsyscallfast re-acquiring the old P). */
static inline void exitsyscall_today(struct gm_g *gp, uintptr_t callersp)
{
	struct gm_m *mp = gp->m;
	mp->locks++;
	if (callersp > gp->syscallsp)
		gm_fatal("exitsyscall: syscall frame is no longer valid");
	struct gm_p *oldp = mp->oldp;
	mp->oldp = NULL;
	/* exitsyscallfast */
	if (__atomic_load_n(&gm_sched.stopwait, __ATOMIC_RELAXED) == GM_FREEZESTOPWAIT)
		slowpath("exitsyscall (freezetheworld)");
	uint32_t ps = GM_PSYSCALL;
	if (!oldp || oldp->status != GM_PSYSCALL ||
	    !__atomic_compare_exchange_n(&oldp->status, &ps, GM_PIDLE, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		slowpath("exitsyscall (the P was taken: exitsyscall0)");
	/* wirep */
	if (mp->p || oldp->m || oldp->status != GM_PIDLE)
		gm_fatal("wirep: P already in use");
	mp->p = oldp;
	oldp->m = mp;
	oldp->status = GM_PRUNNING;
	/* exitsyscallfast_reacquired */
	if (mp->syscalltick != oldp->syscalltick)
		oldp->syscalltick++;
	/* back in exitsyscall */
	oldp->syscalltick++;
	casgstatus(gp, GM_GSYSCALL, GM_GRUNNING);
	gp->syscallsp = 0;
	mp->locks--;
	gp->stackguard0 = gp->preempt ? GM_STACKPREEMPT : gp->stack_lo + GM_STACKGUARD_GAP;
	gp->throwsplit = 0;
	if (__atomic_load_n(&gm_sched.disable_user, __ATOMIC_RELAXED))
		slowpath("exitsyscall (sched.disable.user)");
}

int __attribute__((noinline)) gm_cgocall_gotoday(int (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	struct gm_m *mp = gp->m;
	if (!fn)
		gm_fatal("cgocall nil");
	mp->ncgocall++;
	mp->ncgo++;
	unsigned mode = gp->cgomode;
	gp->cgomode = GM_CGO_GOTODAY;
	/* entersyscall() is reentersyscall(getcallerpc(), getcallersp()) */
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	reentersyscall(gp, (uintptr_t)__builtin_return_address(0), sp);
	mp->incgo = 1;
	int r = gm_asmcgocall(fn, arg);
	gp = getg();
	mp = gp->m;
	mp->incgo = 0;
	mp->ncgo--;
	exitsyscall_today(gp, sp);
	gp->cgomode = mode;
	return r;
}

/* ------------------------------------------------------------------ callbacks */

static void unwindm_2012(void) {}

/* 2012's cgocallbackg between exitsyscall and entersyscall: fn under the unwindm defer. */
static inline __attribute__((always_inline)) void call_2012(void (*fn)(void *), void *arg)
{
	struct gm_g *gp = getg();
	struct gm_defer d;
	defer_2012(gp, &d, unwindm_2012);
	fn(arg);
	gp = getg();
	if (gp->defer != &d || d.fn != unwindm_2012)
		gm_fatal("runtime: bad defer entry in cgocallback");
	gp->defer = d.link;
}

static void __attribute__((noinline, noreturn, cold)) cb_order_fatal(struct gm_g *gp, struct gm_m *mp)
{
	gm_fatal("callback of goroutine %lu returned while the callback of goroutine %lu, "
		 "entered later on the same m %lu, is still running: its frames on g0's stack "
		 "would be reused (Go keeps a goroutine in a callback alone on its m: lockOSThread)",
		 (unsigned long)gp->goid, (unsigned long)(mp->cbtop ? mp->cbtop->g->goid : 0),
		 (unsigned long)mp->id);
}

#ifdef GM_SEED2012
/* 2012's cgocallbackg for the seed's own cgo calls (arm32, GM_CGO_SEED): go2012's, with the
 * seed's gosave in entersyscall.  The seed's cgocallback reaches only this one and the
 * bare bookkeeping (gm_cgocallbackg_seed). */
static struct gm_g *__attribute__((noinline)) cgocallbackg_seed_modes(struct gm_g *gp, void (*fn)(void *), void *arg)
{
	if (gp->cgomode != GM_CGO_SEED)
		gm_fatal("cgocallbackg_seed: goroutine %lu is in a cgo call with the bookkeeping of mode %u, "
			 "not the seed's", (unsigned long)gp->goid, gp->cgomode);
	exitsyscall_2012();
	call_2012(fn, arg);
	entersyscall_seed();
	return getg();
}
#endif

/* The go2012 and gotoday halves of cgocallbackg (the bare one is inline below). */
static struct gm_g *__attribute__((noinline)) cgocallbackg_modes(struct gm_g *gp, void (*fn)(void *), void *arg)
{
	struct gm_m *mp = gp->m;
	switch (gp->cgomode) {
	case GM_CGO_GO2012: {
		exitsyscall_2012();
		call_2012(fn, arg);
		entersyscall_2012();
		return getg();
	}
	case GM_CGO_GOTODAY: {
		struct gm_m *checkm = mp;
		mp->lockedg = gp;	/* lockOSThread (m.lockedInt++ is ncgo's job here) */
		gp->lockedm = mp;
		uintptr_t savedsp = gp->syscallsp, savedpc = gp->syscallpc;
		exitsyscall_today(gp, (uintptr_t)__builtin_frame_address(0));
		mp->incgo = 0;
		if (gp->m != checkm)
			gm_fatal("m changed unexpectedly in cgocallbackg");
		if (mp->ncgo == 0)
			gm_fatal("callback before any cgo call on this m (main_init_done)");
		volatile int restore = 1;	/* defer unwindm(&restore), open-coded */
		fn(arg);
		restore = 0;
		(void)restore;
		gp = getg();
		mp = gp->m;
		mp->lockedg = NULL;	/* deferred unlockOSThread */
		gp->lockedm = NULL;
		mp->incgo = 1;
		if (gp->m != checkm)
			gm_fatal("m changed unexpectedly in cgocallbackg");
		reentersyscall(gp, savedpc, savedsp);
		return gp;
	}
	default:
		gm_fatal("cgocallbackg: goroutine %lu has unknown cgo mode %u", (unsigned long)gp->goid,
			 gp->cgomode);
	}
}

/* cgocallbackg as the function NAME(fn, arg), with the bookkeeping of the modes other
 * than bare (inline here) in MODES: written once, and each use its own copy of the code,
 * so that today's stays what it was beside the seed's. */
#define DEFINE_CGOCALLBACKG(NAME, MODES)						\
void NAME(void (*fn)(void *), void *arg)						\
{											\
	struct gm_g *gp = getg();							\
	struct gm_m *mp = gp->m;							\
	if (gp != mp->curg)								\
		gm_fatal("cgocallbackg: g is not m->curg");				\
	/* this callback's frames on g0 lie below those of every callback still in	\
	 * flight on this m: it must return first (see gm_cbframe) */			\
	struct gm_cbframe f = { gp, mp->cbtop };					\
	mp->cbtop = &f;									\
	if (__builtin_expect(gp->cgomode == GM_CGO_BARE, 1)) {				\
		exitsyscall(gp);							\
		fn(arg);								\
		gp = getg();								\
		entersyscall(gp);							\
	} else {									\
		gp = MODES(gp, fn, arg);						\
	}										\
	mp = gp->m;									\
	if (mp->cbtop != &f)								\
		cb_order_fatal(gp, mp);							\
	mp->cbtop = f.prev;								\
}

/* Reached from cgocallback on m->curg's stack with g = curg. */
DEFINE_CGOCALLBACKG(gm_cgocallbackg, cgocallbackg_modes)

#ifdef GM_SEED2012
/* The seed's runtime·cgocallbackg, what cgocallback_seed calls (arm32): gm_cgocallbackg
 * with the seed's bookkeeping for the seed's cgo calls in place of go2012's and today's. */
DEFINE_CGOCALLBACKG(gm_cgocallbackg_seed, cgocallbackg_seed_modes)
#endif
