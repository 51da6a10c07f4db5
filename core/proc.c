/*
 * proc.c — the runtime model: m0/g0 start-up, goroutines with guarded stacks, a run
 * queue per m and the scheduler loop on g0 (Go side).
 *
 * Goroutines stay on the m that created them (no work stealing): enough to measure
 * and test the transitions, which is what the model is for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime.h"

static size_t stack_size = 256 * 1024;
static uintptr_t next_goid = 1;
static uintptr_t next_mid;
void *gm_sched_gogo = (void *)gm_gogo_savegm_sym;

void gm_fatal(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n = snprintf(buf, sizeof buf, "gmbench: fatal: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	ssize_t w = write(2, buf, (size_t)n);
	(void)w;
	_exit(2);
}

void gm_set_stack_size(size_t bytes)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	stack_size = (bytes + pg - 1) & ~(pg - 1);
}

/* A goroutine with a stack of stack_size bytes above a PROT_NONE guard page. */
static struct gm_g *malg(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = stack_size + pg;
	void *base = mmap(NULL, len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (base == MAP_FAILED)
		gm_fatal("mmap of a %zu-byte goroutine stack: %s", len, strerror(errno));
	if (mprotect(base, pg, PROT_NONE) != 0)
		gm_fatal("mprotect of the guard page: %s", strerror(errno));
	struct gm_g *gp = calloc(1, sizeof *gp);
	if (!gp)
		gm_fatal("out of memory");
	gp->mapping = base;
	gp->mapping_size = len;
	gp->stack_lo = (uintptr_t)base + pg;
	gp->stack_hi = (uintptr_t)base + len;
	gp->stackguard = gp->stack_lo + GM_STACKGUARD_GAP;
	gp->magic = GM_G_MAGIC;
	return gp;
}

struct gm_g *gm_malg(void) { return malg(); }
uintptr_t gm_newgoid(void) { return __atomic_fetch_add(&next_goid, 1, __ATOMIC_RELAXED); }

/* Dead goroutines are cached per m and reused (their stacks stay mapped). */
static __thread struct gm_g *gfree;

struct gm_m *gm_allocm(void)
{
	struct gm_m *mp = calloc(1, sizeof *mp);
	if (!mp)
		gm_fatal("out of memory");
	mp->id = __atomic_fetch_add(&next_mid, 1, __ATOMIC_RELAXED);
	mp->g0 = &mp->g0_storage;
	mp->g0->m = mp;
	mp->g0->magic = GM_G_MAGIC;
	mp->g0->status = GM_GRUNNING;
	mp->gsignal = &mp->gsignal_storage;
	mp->gsignal->m = mp;
	mp->gsignal->magic = GM_G_MAGIC;
	mp->gsignal->status = GM_GRUNNING;
	mp->p = &mp->p_storage;
	mp->p->m = mp;
	mp->p->status = GM_PRUNNING;
	gm_sched_addm();
	return mp;
}

void gm_minit(struct gm_m *mp)
{
	mp->pthread = (unsigned long)pthread_self();
	mp->tid = (int)gettid();
	gm_signal_minit(mp);
	gm_tls_thread_init();
}

void gm_munit(struct gm_m *mp)
{
	gm_signal_munit(mp);
}

struct gm_m *gm_runtime_init(void)
{
	if (gm_tls.m)
		return gm_tls.m;
	struct gm_m *mp = gm_allocm();
	struct gm_g *g0 = mp->g0;
	/* m0's g0 runs on the OS (main thread) stack: take its bounds from the system. */
	pthread_attr_t attr;
	void *addr;
	size_t size;
	if (pthread_getattr_np(pthread_self(), &attr) == 0 &&
	    pthread_attr_getstack(&attr, &addr, &size) == 0) {
		g0->stack_lo = (uintptr_t)addr;
		g0->stack_hi = (uintptr_t)addr + size;
		pthread_attr_destroy(&attr);
	} else {
		g0->stack_hi = (uintptr_t)&attr + 4096;
		g0->stack_lo = g0->stack_hi - 1024 * 1024;
	}
	g0->stackguard = g0->stack_lo + GM_STACKGUARD_GAP;
	/* initcgo: g and m into TLS, then into the registers. */
	gm_tls.g = g0;
	gm_tls.m = mp;
	GM_SETG(g0);
#ifdef GM_SETM
	GM_SETM(mp);
#endif
	gm_minit(mp);
	gm_extram_init();
	return mp;
}


void gm_set_g0_sched(struct gm_g *g0, const struct gm_gobuf *buf)
{
	g0->sched = *buf;
	g0->sched.sp = (buf->sp & ~(uintptr_t)(GM_C_ALIGN - 1)) - GM_G0_SP_BIAS;
}

static void runqput(struct gm_m *mp, struct gm_g *gp)
{
	gp->schedlink = NULL;
	if (mp->runq_tail)
		mp->runq_tail->schedlink = gp;
	else
		mp->runq_head = gp;
	mp->runq_tail = gp;
}

static struct gm_g *runqget(struct gm_m *mp)
{
	struct gm_g *gp = mp->runq_head;
	if (gp) {
		mp->runq_head = gp->schedlink;
		if (!mp->runq_head)
			mp->runq_tail = NULL;
		gp->schedlink = NULL;
	}
	return gp;
}

/* Bytes left unused at the top of every new goroutine stack (a multiple of 16): the
 * stack's placement within its pages is a factor of a measurement (make compare LAYOUTS=). */
static uintptr_t stack_skew;

void gm_set_stack_skew(size_t bytes)
{
	stack_skew = (uintptr_t)bytes & ~(uintptr_t)15;
}

struct gm_g *gm_newg(void (*fn)(void *), void *arg)
{
	struct gm_m *mp = gm_tls.m;
	struct gm_g *gp = gfree;
	if (gp)
		gfree = gp->schedlink;
	else
		gp = malg();
	gp->m = mp;
#ifdef GM_SEED2012
	gp->seed = getg()->seed;	/* a seed goroutine's goroutines are the seed's too */
#endif
	gp->goid = __atomic_fetch_add(&next_goid, 1, __ATOMIC_RELAXED);
	gp->entry = fn;
	gp->arg = arg;
	memset(&gp->sched, 0, sizeof gp->sched);
	gp->sched.sp = gp->stack_hi - stack_skew;	/* C-aligned: gogocall pushes the return address */
	gp->sched.pc = (uintptr_t)gm_goexit;
	gp->sched.g = gp;
	__atomic_store_n(&gp->status, GM_GIDLE, __ATOMIC_RELEASE);
	return gp;
}

void gm_ready(struct gm_g *gp)
{
	__atomic_store_n(&gp->status, GM_GRUNNABLE, __ATOMIC_RELEASE);
	runqput(gp->m, gp);
}

struct gm_g *gm_go(void (*fn)(void *), void *arg)
{
	struct gm_g *gp = gm_newg(fn, arg);
	gm_ready(gp);
	return gp;
}

/* First code of every goroutine: gogocall "calls" it with gm_goexit as return address. */
void gm_goroutine_start(void)
{
	struct gm_g *gp = getg();
	gp->entry(gp->arg);
}

void gm_schedule(void)
{
	struct gm_m *mp = getm();
	if (getg() != mp->g0)
		gm_fatal("schedule called on goroutine %lu, not on g0", (unsigned long)getg()->goid);
	struct gm_g *gp = runqget(mp);
	if (!gp) {
		/* Run queue empty: back into gm_run, which gosave'd mp->g0_return. */
		if (!mp->schedreturn)
			gm_fatal("schedule: nothing to run on m %lu and no gm_run to return to%s", (unsigned long)mp->id,
				 mp->isextra ? " (an extra m borrowed by a callback from a C thread)" : "");
		mp->curg = NULL;
#ifdef GM_SEED2012
		if (mp->schedreturn_seed) {	/* gm_run_seed saved it with gosave_seed */
			gm_gogo_seed((struct gm_gobuf *)mp->schedreturn, 1);
			__builtin_unreachable();
		}
#endif
		gm_gogo((struct gm_gobuf *)mp->schedreturn, 1);
		__builtin_unreachable();
	}
	mp->curg = gp;
	__atomic_store_n(&gp->status, GM_GRUNNING, __ATOMIC_RELEASE);
	if (gp->sched.pc == (uintptr_t)gm_goexit) {
		/* first run, as the 2012 scheduler did */
#ifdef GM_SEED2012
		if (gp->seed) {
			gm_gogocall_seed(&gp->sched, gm_goroutine_start);
			__builtin_unreachable();
		}
#endif
		gm_gogocall(&gp->sched, gm_goroutine_start);
		__builtin_unreachable();
	} else {
		gm_gocallp(gm_sched_gogo, &gp->sched, 1, 0);
	}
	__builtin_unreachable();
}

/* On g0 after an mcall from gp: gp goes to the back of the run queue (Go's gosched_m).
 * Exported for the ports' mcall variants (arm32: gm_gosched_seed). */
void gm_gosched_m(struct gm_g *gp)
{
	struct gm_m *mp = getm();
	__atomic_store_n(&gp->status, GM_GRUNNABLE, __ATOMIC_RELEASE);
	mp->curg = NULL;
	runqput(mp, gp);
	gm_schedule();
}

void gm_gosched(void)
{
	gm_mcall(gm_gosched_m);
}

static void goexit0(struct gm_g *gp)
{
	struct gm_m *mp = getm();
	__atomic_store_n(&gp->status, GM_GDEAD, __ATOMIC_RELEASE);
	mp->curg = NULL;
	gp->entry = NULL;
	gp->schedlink = gfree;
	gfree = gp;
	gm_schedule();
}

void gm_goexit1(void)
{
#ifdef GM_SEED2012
	if (getg()->seed) {
		gm_mcall_seed(goexit0);
		__builtin_unreachable();
	}
#endif
	gm_mcall(goexit0);
	__builtin_unreachable();
}

void gm_run(void (*fn)(void *), void *arg)
{
	struct gm_m *mp = getm();
	if (getg() != mp->g0)
		gm_fatal("gm_run must be called on g0");
	struct gm_gobuf back;
	void *saved_return = mp->schedreturn;
#ifdef GM_SEED2012
	int saved_seed = mp->schedreturn_seed;
#endif
	gm_go(fn, arg);
	/* gosave returns 0 now and 1 when the scheduler finds the run queue empty. */
	if (gm_gosave(&back) == 0) {
		mp = getm();
		mp->schedreturn = &back;
#ifdef GM_SEED2012
		mp->schedreturn_seed = 0;
#endif
		gm_set_g0_sched(mp->g0, &back);
		gm_schedule();
	}
	mp = getm();
	mp->schedreturn = saved_return;
#ifdef GM_SEED2012
	mp->schedreturn_seed = saved_seed;
#endif
}

#ifdef GM_SEED2012
/* gm_run with the 2012 seed's protocol end to end (arm32, docs/seed.md): fn's goroutine
 * (and every goroutine it creates) starts through gogocall_seed and ends through
 * mcall_seed, and the scheduler comes back here through gogo_seed, to state saved by
 * gosave_seed.  A goroutine the scheduler resumes (not starts) goes through
 * gm_sched_gogo, which the seed's reschedule case sets to gogo_seed. */
void gm_run_seed(void (*fn)(void *), void *arg)
{
	struct gm_m *mp = getm();
	if (getg() != mp->g0)
		gm_fatal("gm_run_seed must be called on g0");
	struct gm_gobuf back;
	memset(&back, 0, sizeof back);
	void *saved_return = mp->schedreturn;
	int saved_seed = mp->schedreturn_seed;
	struct gm_g *gp = gm_newg(fn, arg);
	gp->seed = 1;
	gm_ready(gp);
	/* gosave_seed returns &back now and 1 when the scheduler finds the run queue empty */
	if (gm_gosave_seed(&back) == (uintptr_t)&back) {
		mp = getm();
		mp->schedreturn = &back;
		mp->schedreturn_seed = 1;
		gm_set_g0_sched(mp->g0, &back);
		gm_schedule();
	}
	mp = getm();
	mp->schedreturn = saved_return;
	mp->schedreturn_seed = saved_seed;
}
#endif

void gm_badmcall(void)
{
	gm_fatal("mcall called on g0 (m %lu): mcall switches from a goroutine to g0", (unsigned long)gm_tls.m->id);
}
void gm_badmcall2(void) { gm_fatal("mcall function returned"); }
void gm_badcgocallback_nog(void)
{
	gm_fatal("callback from C on a thread without g (not started by gmbench, and no extra m to "
		 "lend it: foreign callbacks are off or the runtime is not initialised)");
}
void gm_badcgocallback_nocurg(void)
{
	gm_fatal("callback from C on g0 of m %lu while no goroutine is in a cgocall on it (m->curg is "
		 "NULL: C was called from g0, e.g. gm_cgocall outside any goroutine)",
		 (unsigned long)gm_tls.m->id);
}
void gm_badcgocallback_notg0(struct gm_g *gp)
{
#ifdef GM_SEED2012
	if (gm_seed_in_asmcgocall(gp))
		gm_fatal("callback from C through today's crosscall2 and cgocallback (today's protocol) into C that "
			 "goroutine %lu entered through asmcgocall_seed (the 2012 seed's protocol): TLS g is that "
			 "goroutine, not g0; the two protocols do not mix (docs/seed.md)", (unsigned long)gp->goid);
#endif
	gm_fatal("callback from C through crosscall2 and cgocallback while TLS g is goroutine %lu, not g0: that "
		 "goroutine did not enter C through asmcgocall, which leaves g0 in TLS while C runs, so there are no "
		 "g0 frames to run the callback from", (unsigned long)gp->goid);
}
