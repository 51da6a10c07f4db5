/*
 * test_runtime.c — correctness tests of every transition of this port (Go side).
 *
 * Each case prints one line, "ok - <port> <suite>/<transition>/<variant>: <what was
 * checked>", "not ok - ..." with the counts that failed, or "unavailable - ... : <why>"
 * for a variant this machine cannot run.  The last line is "<port>: N passed, N failed,
 * N unavailable".  Exit status 1 if anything failed.
 *
 * Usage: test_runtime [-n transitions-per-case] [-q] [case-prefix ...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../core/runtime.h"
#include "hostile.h"

_Static_assert(HX_W == GM_PTR, "hostile word size");
_Static_assert(__builtin_offsetof(struct hostile_ctx, misaligned) == HX_MISALIGNED, "HX_MISALIGNED");
_Static_assert(__builtin_offsetof(struct hostile_ctx, body) == HX_BODY, "HX_BODY");
_Static_assert(__builtin_offsetof(struct hostile_ctx, calls) == HX_CALLS, "HX_CALLS");
_Static_assert(__builtin_offsetof(struct hostile_ctx, stop) == HX_STOP, "HX_STOP");
_Static_assert(__builtin_offsetof(struct hostile_ctx, spins) == HX_SPINS, "HX_SPINS");

static long N = 100000;
static int npass, nfail, nunavail;
static char **filters;
static int nfilters;

static int selected(const char *name)
{
	if (!nfilters)
		return 1;
	for (int i = 0; i < nfilters; i++)
		if (!strncmp(name, filters[i], strlen(filters[i])))
			return 1;
	return 0;
}

static void report(int ok, const char *name, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("%s - %s %s: %s\n", ok ? "ok" : "not ok", gm_port_name(), name, msg);
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

static void unavailable(const char *name, const char *why)
{
	printf("unavailable - %s %s: %s\n", gm_port_name(), name, why);
	fflush(stdout);
	nunavail++;
}

/* The next variant of a transition (table order) whose case <prefix>/<variant> is
 * selected; the case's name in name[NAMELEN]. */
enum { NAMELEN = 80 };
static const struct gm_variant *next_case(size_t *i, const char *transition, const char *prefix, char *name)
{
	while (*i < gm_nvariants) {
		const struct gm_variant *v = &gm_variants[(*i)++];
		if (strcmp(v->transition, transition))
			continue;
		snprintf(name, NAMELEN, "%s/%s", prefix, v->name);
		if (selected(name))
			return v;
	}
	return NULL;
}

/* 1 if v can run here; else 0, and case name reported unavailable. */
static int runs_here(const struct gm_variant *v, const char *name)
{
	char why[200];
	if (gm_variant_available(v, why, sizeof why))
		return 1;
	unavailable(name, why);
	return 0;
}

/* Errors counted by Go-side checks; one set per test case (cases run one at a time,
 * threads add atomically). */
static long errs_g, errs_m, errs_tls;
#define ADD(x) __atomic_add_fetch(&(x), 1, __ATOMIC_RELAXED)

/* After a transition the goroutine must still be itself, in the register and in TLS. */
static inline void check_self(struct gm_g *want, int tls_too)
{
	if (getg() != want)
		ADD(errs_g);
#ifdef GM_GETM_REG
	if (GM_GETM_REG() != want->m)
		ADD(errs_m);
#endif
	if (tls_too && (gm_tls.g != want || gm_tls.m != want->m))
		ADD(errs_tls);
}

static void reset_errs(void) { errs_g = errs_m = errs_tls = 0; }
static int errs_total(void) { return errs_g || errs_m || errs_tls; }

/* gm_run in the case's protocol: the 2012 seed's end to end (arm32: gm_run_seed, whose
 * goroutines start through gogocall_seed and end through mcall_seed) or today's. */
static void run_go(int seed, void (*fn)(void *), void *arg)
{
#ifdef GM_SEED2012
	if (seed) {
		gm_run_seed(fn, arg);
		return;
	}
#endif
	(void)seed;
	gm_run(fn, arg);
}

/* ---------------- switch: direct gosave/gogo between two goroutines ---------------- */

struct pingpong {
	struct gm_g *ga, *gb;
	void *gogo;
	long n, switches;
	int done, savegm;
};

static void pp_b(void *arg)
{
	struct pingpong *pp = arg;
	for (;;) {
		check_self(pp->gb, pp->savegm);
		if (pp->done)
			return;
		if (gm_gosave(&pp->gb->sched) == 0) {
			pp->switches++;
			getm()->curg = pp->ga;
			gm_gocallp(pp->gogo, &pp->ga->sched, 1, 0);
		}
		pp = arg;
	}
}

static void pp_a(void *arg)
{
	struct pingpong *pp = arg;
	pp->ga = getg();
	pp->gb = gm_newg(pp_b, pp);
	/* the first switch starts B (gogocall), later ones resume it (gogo variant) */
	if (gm_gosave(&pp->ga->sched) == 0) {
		getm()->curg = pp->gb;
		gm_gogocall(&pp->gb->sched, gm_goroutine_start);
	}
	pp = arg;
	for (long i = 0; i < pp->n; i++) {
		check_self(pp->ga, pp->savegm);
		if (gm_gosave(&pp->ga->sched) == 0) {
			pp->switches++;
			getm()->curg = pp->gb;
			gm_gocallp(pp->gogo, &pp->gb->sched, 1, 0);
		}
		pp = arg;
	}
	check_self(pp->ga, pp->savegm);
	pp->done = 1;
	gm_ready(pp->gb);	/* B finishes through the scheduler */
}

static void test_switch(void)
{
	static const char *names[] = { "savegm", "nosave" };
	for (int i = 0; i < 2; i++) {
		char name[80];
		snprintf(name, sizeof name, "switch/gosave+gogo/%s", names[i]);
		if (!selected(name))
			continue;
		const struct gm_variant *v = gm_variant_find("switch", "gogo", names[i]);
		struct pingpong pp = { .gogo = v->fn, .n = N / 2, .savegm = i == 0 };
		reset_errs();
		gm_run(pp_a, &pp);
		report(!errs_total() && pp.switches >= N - 1, name,
		       "%ld switches, g wrong %ld, m wrong %ld, TLS wrong %ld%s", pp.switches, errs_g,
		       errs_m, errs_tls, i ? " (TLS not checked: no save by design)" : "");
	}
}

/* ---------------- switch: full reschedule (mcall -> schedule on g0 -> gogo) ---------------- */

struct yielder { long n; int savegm; };

static void yield_loop(void *arg)
{
	struct yielder *y = arg;
	struct gm_g *me = getg();
	for (long i = 0; i < y->n; i++) {
		gm_gosched();
		check_self(me, y->savegm);
		if (getm()->curg != me)
			ADD(errs_g);
	}
}

static void yield_main(void *arg)
{
	gm_go(yield_loop, arg);
	gm_go(yield_loop, arg);
}

static void test_reschedule(void)
{
	static const char *names[] = { "savegm", "nosave" };
	for (int i = 0; i < 2; i++) {
		char name[80];
		snprintf(name, sizeof name, "switch/reschedule/%s", names[i]);
		if (!selected(name))
			continue;
		const struct gm_variant *v = gm_variant_find("switch", "gogo", names[i]);
		void *saved = gm_sched_gogo;
		gm_sched_gogo = v->fn;
		struct yielder y = { N / 2, i == 0 };
		reset_errs();
		gm_run(yield_main, &y);
		gm_sched_gogo = saved;
		report(!errs_total(), name, "%ld mcall+schedule+gogo, g wrong %ld, m wrong %ld, TLS wrong %ld",
		       2 * y.n, errs_g, errs_m, errs_tls);
	}
}

/* ---------------- cgocall: asmcgocall per alignment strategy ---------------- */

struct cgo_case {
	void *asmcgocall;
	struct hostile_ctx ctx;
	long n, badret;
	int seed;            /* the 2012 protocol: TLS g stays the goroutine while C runs */
};

static void cgo_loop(void *arg)
{
	struct cgo_case *c = arg;
	struct gm_g *me = getg();
	c->ctx.tls_g_want = c->seed ? me : getm()->g0;
	for (long i = 0; i < c->n; i++) {
		int r = gm_cgocall_via(c->asmcgocall, (int (*)(void *))gm_hostile_entry, &c->ctx);
		c = arg;
		if (r != 7)
			c->badret++;
		check_self(me, 1);
		if (me->status != GM_GRUNNING)
			ADD(errs_g);
	}
}

static void test_asmcgocall(void)
{
	const struct gm_variant *v;
	char name[NAMELEN];
	for (size_t i = 0; (v = next_case(&i, "asmcgocall", "cgocall/asmcgocall", name)); ) {
		if (!runs_here(v, name))
			continue;
		struct cgo_case c = { .asmcgocall = v->fn, .n = N, .seed = !!(v->flags & GM_VF_SEED2012) };
		c.ctx.body = hostile_body_plain;
		reset_errs();
		run_go(c.seed, cgo_loop, &c);
		if (v->flags & GM_VF_BROKEN)
			report(c.ctx.misaligned > 0, name,
			       "test of the tests: %ld of %ld C entries misaligned, detected as they must be",
			       (long)c.ctx.misaligned, c.ctx.calls);
		else
			report(!errs_total() && !c.ctx.misaligned && !c.badret && !c.ctx.varargs_bad &&
				       !c.ctx.tls_g_bad && c.ctx.calls == N,
			       name,
			       "%ld Go->C calls with every register poisoned: misaligned %ld, g wrong %ld, "
			       "m wrong %ld, TLS wrong %ld, bad results %ld, bad varargs %ld, TLS g not %s "
			       "in C %ld",
			       c.ctx.calls, (long)c.ctx.misaligned, errs_g, errs_m, errs_tls, c.badret,
			       c.ctx.varargs_bad, c.seed ? "the goroutine" : "g0", c.ctx.tls_g_bad);
	}
}

/* ---------------- callback: crosscall2 per variant, nested, threads ---------------- */

struct cb_case {
	struct hostile_ctx ctx;
	struct gm_g *expect;
	void *asmcgocall;    /* the Go -> C entry the callbacks come through (NULL: gm_cgocall) */
	int (*cgocall)(int (*)(void *), void *);  /* or a whole cgocall (a bookkeeping mode) */
	int seed;            /* the 2012 protocol: TLS g stays the goroutine while C runs */
	long n, callbacks;
	int clobber_fp;
	int nest;            /* >0: each callback makes another cgocall until this depth */
	int depth, maxdepth;
	long g0sp_moved;     /* cgocallback must put g0->sched.sp back after every callback */
};

static int cb_cgocall(struct cb_case *c)
{
	if (c->cgocall)
		return c->cgocall((int (*)(void *))gm_hostile_entry, &c->ctx);
	if (c->asmcgocall)
		return gm_cgocall_via(c->asmcgocall, (int (*)(void *))gm_hostile_entry, &c->ctx);
	return gm_cgocall((int (*)(void *))gm_hostile_entry, &c->ctx);
}

static void go_callback(void *arg)
{
	struct cb_case *c = arg;
	check_self(c->expect, 1);
	/* the Go code a callback runs is GCC C here: it must be entered with an aligned
	 * stack (a C function that checks its SP counts a misaligned call) */
	(void)gm_hostile_slot_checked();
	if (getm()->curg != c->expect)
		ADD(errs_g);
	c->callbacks++;
	if (c->clobber_fp)
		gm_hostile_clobber_fp();	/* Go code owns the FP registers */
	if (c->depth < c->nest) {
		c->depth++;
		if (c->depth > c->maxdepth)
			c->maxdepth = c->depth;
		cb_cgocall(c);
		c = arg;
		check_self(c->expect, 1);
		c->depth--;
	}
}

static void cb_loop(void *arg)
{
	struct cb_case *c = arg;
	c->expect = getg();
	c->ctx.tls_g_want = c->seed ? c->expect : getm()->g0;
	c->ctx.body = hostile_body_callback;
	c->ctx.callback = go_callback;
	c->ctx.cbarg = c;
	uintptr_t g0sp = getm()->g0->sched.sp;
	for (long i = 0; i < c->n; i++) {
		cb_cgocall(c);
		c = arg;
		check_self(c->expect, 1);
		if (getm()->g0->sched.sp != g0sp)
			c->g0sp_moved++;
	}
}

/* out->asmcgocall/cgocall/seed select the protocol (zero: today's gm_cgocall). */
static int run_cb_case(const char *name, void *xc2, long n, int nest, int clobber_fp, struct cb_case *out)
{
	struct cb_case c = { .n = n, .nest = nest, .clobber_fp = clobber_fp,
			     .asmcgocall = out->asmcgocall, .cgocall = out->cgocall, .seed = out->seed };
	c.ctx.xc2 = xc2;
	reset_errs();
	run_go(c.seed, cb_loop, &c);
	*out = c;
	(void)name;
	return !errs_total() && !c.ctx.xc2_mismatch && !c.ctx.misaligned && !c.ctx.varargs_bad &&
	       !c.ctx.tls_g_bad && !c.g0sp_moved && c.callbacks == c.ctx.xc2_calls &&
	       c.callbacks == n * (nest + 1);
}

/* The Go -> C entry a crosscall2 variant's callbacks need: the 2012 seed's crosscall2
 * works on curg->sched as the seed's asmcgocall leaves it. */
static void cb_protocol(const struct gm_variant *v, struct cb_case *c)
{
	memset(c, 0, sizeof *c);
	if (v && (v->flags & GM_VF_SEED2012)) {
		const struct gm_variant *a = gm_variant_find("cgocall", "asmcgocall", "seed");
		c->asmcgocall = a ? a->fn : NULL;
		c->seed = 1;
	}
}

/* The slot function a crosscall2 variant's route calls: its own (fn2), or for the
 * alignment variants one that counts misaligned calls.  Returns the one to put back. */
static gm_slot_fn xc2_slot_setup(const struct gm_variant *v)
{
	gm_slot_fn saved = gm_tls_slot_fn;
	if (!strcmp(v->name, "mask") || !strcmp(v->name, "static") || !strcmp(v->name, "none"))
		gm_tls_slot_fn = (gm_slot_fn)gm_hostile_slot_checked;
	else if (v->fn2)
		gm_tls_slot_fn = (gm_slot_fn)v->fn2;
	return saved;
}

static void test_crosscall2(void)
{
	const struct gm_variant *v;
	char name[NAMELEN];
	for (size_t i = 0; (v = next_case(&i, "crosscall2", "callback/crosscall2", name)); ) {
		if (!runs_here(v, name))
			continue;
		gm_slot_fn saved = xc2_slot_setup(v);
		gm_hostile_slot_misaligned = 0;
		struct cb_case c;
		cb_protocol(v, &c);
		int ok = run_cb_case(name, v->fn, N, 0, !strcmp(v->name, "fp"), &c);
		gm_tls_slot_fn = saved;
		long mis = gm_hostile_slot_misaligned;
		if (v->flags & GM_VF_BROKEN)
			report(mis > 0, name,
			       "test of the tests: %ld of %ld C calls from crosscall2 misaligned, detected",
			       mis, c.callbacks);
		else
			report(ok && !mis, name,
			       "%ld C->Go callbacks from C with g/m garbage: callee-saved mismatch mask %#lx, "
			       "misaligned C calls %ld, g wrong %ld, m wrong %ld, TLS wrong %ld, TLS g not %s "
			       "in C %ld, g0 sp not restored %ld",
			       c.callbacks, c.ctx.xc2_mismatch, mis, errs_g, errs_m, errs_tls,
			       c.seed ? "the goroutine" : "g0", c.ctx.tls_g_bad, c.g0sp_moved);
	}
	/* Without the FP saves, Go code that uses the FP registers corrupts C's: show that
	 * the register check sees it (only where the ABI has callee-saved FP registers). */
	const struct gm_variant *fp = gm_variant_find("callback", "crosscall2", "fp");
	const char *tname = "callback/crosscall2/nofp-vs-go-fp";
	char why[200];
	if (fp && selected(tname) && gm_variant_available(fp, why, sizeof why)) {
		struct cb_case c;
		cb_protocol(NULL, &c);
		run_cb_case(tname, (void *)gm_crosscall2, 1000, 0, 1, &c);
		report(c.ctx.xc2_mismatch != 0, tname,
		       "test of the tests: crosscall2 without FP saves under a callback that trashes "
		       "FP registers: mismatch mask %#lx (must be non-zero)", c.ctx.xc2_mismatch);
	}
}

/* Callbacks 256 deep through crosscall2 xc2 with the protocol of variant v (NULL:
 * today's default). */
static void nested_case(const char *name, const struct gm_variant *v, void *xc2)
{
	if (!selected(name))
		return;
	struct cb_case c;
	cb_protocol(v, &c);
	long reps = N / 256 > 0 ? N / 256 : 1;
	gm_hostile_slot_misaligned = 0;
	int ok = run_cb_case(name, xc2, reps, 256, 0, &c);
	long mis = gm_hostile_slot_misaligned;
	report(ok && !mis && c.maxdepth == 256, name,
	       "%ld Go->C->Go chains 256 deep (%ld callbacks), max depth %d, mismatch %#lx, "
	       "misaligned Go callbacks %ld, g wrong %ld, m wrong %ld, TLS wrong %ld, TLS g in C "
	       "wrong %ld",
	       reps, c.callbacks, c.maxdepth, c.ctx.xc2_mismatch, mis, errs_g, errs_m, errs_tls,
	       c.ctx.tls_g_bad);
}

static void test_nested(void)
{
	nested_case("callback/nested/256", NULL, (void *)gm_crosscall2);
}

#define NTHREADS 16
struct thread_case {
	struct cb_case cb;   /* cb.asmcgocall/seed: the protocol */
	void *xc2;
	struct gm_m *m;
	int ok, own_m, stack_ok;
};

static void thread_main(void *arg)
{
	struct thread_case *t = arg;
	struct gm_m *mp = getm();
	struct gm_g *g0 = getg();
	uintptr_t here = (uintptr_t)&t;
	t->own_m = mp == gm_tls.m && g0 == mp->g0 && g0->m == mp;
	t->stack_ok = here > g0->stack_lo && here < g0->stack_hi &&
		      g0->stackguard == g0->stack_lo + GM_STACKGUARD_GAP;
	t->ok = run_cb_case("thread", t->xc2, t->cb.n, 8, 0, &t->cb);
}

/* NTHREADS new m's at once, each making callbacks nested 8 deep through xc2 with the
 * protocol of variant v (NULL: today's), its threads entered through entry. */
static void threads_case(const char *name, const struct gm_variant *v, void *xc2,
			 void (*entry)(void (*)(void), struct gm_m *, struct gm_g *))
{
	if (!selected(name))
		return;
	static struct thread_case tc[NTHREADS];
	memset(tc, 0, sizeof tc);
	long per = N / NTHREADS / 9;
	if (per < 10)
		per = 10;
	reset_errs();
	gm_hostile_slot_misaligned = 0;
	void (*saved_entry)(void (*)(void), struct gm_m *, struct gm_g *) = gm_thread_entry_fn;
	gm_thread_entry_fn = entry;
	int started = 0, ok = 1;
	for (int i = 0; i < NTHREADS; i++) {
		cb_protocol(v, &tc[i].cb);
		tc[i].xc2 = xc2;
		tc[i].cb.n = per;
		int err = gm_newm(thread_main, &tc[i], &tc[i].m);
		if (err) {
			report(0, name, "gm_newm: %s", strerror(err));
			ok = 0;
			break;
		}
		started++;
	}
	long callbacks = 0;
	int distinct = 1;
	for (int i = 0; i < started; i++) {
		gm_joinm(tc[i].m);
		callbacks += tc[i].cb.callbacks;
		ok &= tc[i].ok && tc[i].own_m && tc[i].stack_ok;
		for (int j = 0; j < i; j++)
			if (tc[j].m == tc[i].m || tc[j].cb.expect == tc[i].cb.expect)
				distinct = 0;
	}
	gm_thread_entry_fn = saved_entry;
	long mis = gm_hostile_slot_misaligned;
	if (started == NTHREADS)
		report(ok && distinct && !mis && !errs_total(), name,
		       "%d threads at once, %ld callbacks nested 8 deep: each saw its own g/m %s, "
		       "g0 stack bounds, callee-saved registers, alignment, TLS g in C %s, misaligned Go "
		       "callbacks %ld, g wrong %ld, m wrong %ld, TLS wrong %ld",
		       NTHREADS, callbacks, distinct ? "yes" : "NO", ok ? "ok" : "BAD", mis, errs_g, errs_m,
		       errs_tls);
}

static void test_threads(void)
{
	threads_case("callback/threads/16", NULL, (void *)gm_crosscall2, gm_thread_entry);
}

/* ---------------- signals: sigtramp reloads g from TLS ---------------- */

#define SIGTEST SIGUSR1
struct sigstate {
	struct gm_g *expect;           /* the g the interrupted code runs as */
	volatile long delivered, wrong_g, not_gsignal, not_on_stack;
};
static struct sigstate sigst;

static void sig_hook(int sig, void *info, void *uctx, struct gm_g *interrupted, struct gm_m *m)
{
	(void)info; (void)uctx;
	if (sig != SIGTEST)
		return;
	struct gm_g *gs = getg();
	uintptr_t sp = (uintptr_t)&gs;
	if (!m || gs != m->gsignal)
		sigst.not_gsignal++;
	else if (sp < gs->stack_lo || sp >= gs->stack_hi)
		sigst.not_on_stack++;
	if (interrupted != __atomic_load_n(&sigst.expect, __ATOMIC_ACQUIRE))
		sigst.wrong_g++;
	__atomic_add_fetch(&sigst.delivered, 1, __ATOMIC_RELEASE);
}

struct sender { pthread_t target; long want; volatile int stop; long sent; volatile long *ready; };

/* A plain pthread (C side, not an m): signals the target as fast as it takes them. */
static void *sender_main(void *arg)
{
	struct sender *s = arg;
	/* in-c: not before the target is in the C code (its TLS g is g0 only from there on) */
	while (s->ready && !s->stop && __atomic_load_n(s->ready, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	while (!s->stop && __atomic_load_n(&sigst.delivered, __ATOMIC_ACQUIRE) < s->want) {
		long before = __atomic_load_n(&sigst.delivered, __ATOMIC_ACQUIRE);
		if (pthread_kill(s->target, SIGTEST) != 0)
			break;
		s->sent++;
		for (int spin = 0; spin < 2000000 && !s->stop &&
				   __atomic_load_n(&sigst.delivered, __ATOMIC_ACQUIRE) == before; spin++)
			;
	}
	return NULL;
}

/* asmcgocall/seed: the Go -> C entry of the in-C case (NULL: gm_cgocall) and what the
 * handler must see as the interrupted g while C runs: g0 with today's asmcgocall, the
 * goroutine that called C with the 2012 seed's (TLS g stays the goroutine). */
struct sigcase { struct hostile_ctx ctx; int in_c; long want; void *asmcgocall; int seed; };

static void sig_goroutine(void *arg)
{
	struct sigcase *sc = arg;
	struct sender s = { .target = pthread_self(), .want = sc->want,
			    .ready = sc->in_c ? (volatile long *)&sc->ctx.spins : NULL };
	__atomic_store_n(&sigst.expect, sc->in_c && !sc->seed ? getm()->g0 : getg(), __ATOMIC_RELEASE);
	pthread_t th;
	pthread_create(&th, NULL, sender_main, &s);
	if (sc->in_c) {
		/* C code holds garbage in g/m the whole time; TLS says g0 (asmcgocall set it) */
		/* the stopper thread raises ctx.stop once enough signals were delivered */
		sc->ctx.stop = 0;
		if (sc->asmcgocall)
			gm_cgocall_via(sc->asmcgocall, (int (*)(void *))gm_hostile_spin, &sc->ctx);
		else
			gm_cgocall((int (*)(void *))gm_hostile_spin, &sc->ctx);
	} else {
		struct gm_g *me = getg();
		/* bounded by the stopper too: a signal that never arrives must fail, not hang */
		while (__atomic_load_n(&sigst.delivered, __ATOMIC_ACQUIRE) < sc->want && !sc->ctx.stop)
			check_self(me, 1);
	}
	s.stop = 1;
	pthread_join(th, NULL);
}

/* Gives up when deliveries stall (none for 20 s: a blocked or lost signal), not after a
 * fixed time: an emulated board (qemu-system -icount) delivers 60-1000 a second, and
 * must still reach want. */
static void *stopper_main(void *arg)
{
	struct sigcase *sc = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	time_t last_change = t.tv_sec;
	long last = 0, d;
	while ((d = __atomic_load_n(&sigst.delivered, __ATOMIC_ACQUIRE)) < sc->want) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (d != last) {
			last = d;
			last_change = t.tv_sec;
		}
		if (t.tv_sec - last_change > 20 || sc->ctx.stop)
			break;	/* give up: reported as too few deliveries */
		usleep(1000);
	}
	sc->ctx.stop = 1;
	return NULL;
}

/* names[0]: signals while C runs, names[1]: while Go runs; install puts the
 * trampoline in place; asmcgocall/seed as in struct sigcase. */
static void signals_case(const char *const names[2], int (*install)(int), void *asmcgocall, int seed)
{
	install(SIGTEST);
	gm_signal_sethook(sig_hook);
	for (int i = 0; i < 2; i++) {
		if (!selected(names[i]))
			continue;
		struct sigcase sc = { .in_c = i == 0, .want = N / 10 > 10000 ? N / 10 : 10000,
				      .asmcgocall = asmcgocall, .seed = seed };
		memset(&sigst, 0, sizeof sigst);
		reset_errs();
		pthread_t stopper;
		pthread_create(&stopper, NULL, stopper_main, &sc);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		run_go(seed, sig_goroutine, &sc);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sc.ctx.stop = 1;	/* in-go: the stopper may still be waiting */
		pthread_join(stopper, NULL);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
		long d = sigst.delivered;
		report(d >= sc.want && !sigst.wrong_g && !sigst.not_gsignal && !sigst.not_on_stack &&
			       !errs_total(),
		       names[i],
		       "%ld signals delivered in %.2f s (%.1f kHz) while %s: handler saw the wrong g %ld "
		       "times (want %s), not on gsignal %ld, off gsignal's stack %ld",
		       d, secs, secs > 0 ? (double)d / secs / 1000 : 0.0,
		       sc.in_c ? "C code held garbage in the g/m registers" : "Go code ran",
		       (long)sigst.wrong_g, sc.in_c && !seed ? "g0" : "the goroutine",
		       (long)sigst.not_gsignal, (long)sigst.not_on_stack);
	}
	gm_signal_sethook(NULL);
}

static void test_signals(void)
{
	static const char *const names[2] = { "signal/sigtramp/in-c", "signal/sigtramp/in-go" };
	signals_case(names, gm_signal_install, NULL, 0);
}

/* ---------------- cgocall bookkeeping modes (bare, go2012, gotoday) ---------------- */

struct bk_case {
	int (*cgocall)(int (*)(void *), void *);
	struct hostile_ctx ctx, inner;
	struct gm_g *expect;
	long n, callbacks, bad_state, badret;
	int depth;
};

static void bk_check_state(struct bk_case *c)
{
	struct gm_g *gp = getg();
	struct gm_m *mp = gp->m;
	if (gp->status != GM_GRUNNING || gp->defer || gp->lockedm || mp->lockedg || mp->ncgo || mp->locks ||
	    mp->incgo || mp->oldp || mp->p != &mp->p_storage || mp->p->m != mp ||
	    mp->p->status != GM_PRUNNING || gp->cgomode != GM_CGO_BARE || gp->throwsplit)
		c->bad_state++;
}

static void bk_callback(void *arg)
{
	struct bk_case *c = arg;
	check_self(c->expect, 1);
	if (getg()->status != GM_GRUNNING)
		c->bad_state++;
	c->callbacks++;
	if (c->depth == 0) {
		/* a nested cgocall of the same mode from inside the callback */
		c->depth++;
		if (c->cgocall((int (*)(void *))gm_hostile_entry, &c->inner) != 7)
			c->badret++;
		c = arg;
		c->depth--;
		check_self(c->expect, 1);
	}
}

static void bk_loop(void *arg)
{
	struct bk_case *c = arg;
	c->expect = getg();
	uint32_t atomic0 = gm_sched.atomic;
	for (long i = 0; i < c->n; i++) {
		if (c->cgocall((int (*)(void *))gm_hostile_entry, &c->ctx) != 11)
			c->badret++;
		c = arg;
		check_self(c->expect, 1);
		bk_check_state(c);
	}
	if (gm_sched.atomic != atomic0)
		c->bad_state++;
}

static void test_bookkeeping(void)
{
	/* xc2: the crosscall2 of the mode's protocol (the 2012 seed's whole cgo call on arm
	 * has its own: TLS g stays the goroutine while C runs) */
	static const struct {
		const char *name;
		int (*fn)(int (*)(void *), void *);
		void (*xc2)(void (*)(void *), void *);
	} modes[] = {
		{ "bare", gm_cgocall, gm_crosscall2 }, { "go2012", gm_cgocall_go2012, gm_crosscall2 },
		{ "gotoday", gm_cgocall_gotoday, gm_crosscall2 },
#ifdef GM_SEED2012
		{ "seed", gm_cgocall_seed, gm_crosscall2_seed },
#endif
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		char name[80], why[200];
		snprintf(name, sizeof name, "cgocall/cgocall/%s", modes[i].name);
		if (!selected(name))
			continue;
		const struct gm_variant *gv = gm_variant_find("callback", "go-c-go", modes[i].name);
		if (gv && !gm_variant_available(gv, why, sizeof why)) {
			unavailable(name, why);
			continue;
		}
		static struct bk_case c;
		memset(&c, 0, sizeof c);
		c.cgocall = modes[i].fn;
		c.n = N / 10 > 100 ? N / 10 : 100;
		c.ctx.body = hostile_body_callback;
		c.ctx.xc2 = (void *)modes[i].xc2;
		c.ctx.callback = bk_callback;
		c.ctx.cbarg = &c;
		c.inner.body = hostile_body_plain;
		reset_errs();
		run_go(gv && (gv->flags & GM_VF_SEED2012), bk_loop, &c);
		report(!errs_total() && !c.bad_state && !c.badret && !c.ctx.misaligned && !c.inner.misaligned &&
			       !c.ctx.xc2_mismatch && !c.ctx.varargs_bad && !c.inner.varargs_bad &&
			       c.callbacks == c.n && c.inner.calls == c.n,
		       name,
		       "%ld cgocalls with a callback making a nested cgocall, every register poisoned: "
		       "bookkeeping left behind %ld times (status, defer, locks, ncgo, P, sched word), "
		       "misaligned %ld, callee-saved mismatch %#lx, g wrong %ld, m wrong %ld, TLS wrong %ld, "
		       "bad results %ld",
		       c.n, c.bad_state, (long)(c.ctx.misaligned + c.inner.misaligned), c.ctx.xc2_mismatch, errs_g,
		       errs_m, errs_tls, c.badret);
	}
}

/* ---------------- callbacks from threads gmbench did not create (needm/dropm) ---------------- */

struct fthread {
	pthread_t th;
	void *xc2;
	long n;
	int nest, depth;
	struct hostile_ctx ctx, plain;
	long callbacks, bad_id, bad_after, mismatch, started, iters;
	long min_sig;        /* >0: go on past n until this many signals landed in callbacks (20 s at most) */
	volatile int done;
};

static void foreign_cb(void *arg)
{
	struct fthread *t = arg;
	struct gm_g *gp = getg();
	struct gm_m *mp = gp ? gp->m : NULL;
	uintptr_t sp = (uintptr_t)&gp;
	if (!mp || !mp->isextra || mp->curg != gp || gm_tls.g != gp || gm_tls.m != mp ||
	    gp->status != GM_GRUNNING || sp < gp->stack_lo || sp >= gp->stack_hi
#ifdef GM_GETM_REG
	    || GM_GETM_REG() != mp
#endif
	)
		t->bad_id++;
	t->callbacks++;
	/* a cgocall from the borrowed m: alignment and registers checked by the hostile side */
	if (gm_cgocall((int (*)(void *))gm_hostile_entry, &t->plain) != 7)
		t->bad_id++;
	t = arg;
	if (t->depth < t->nest) {
		t->depth++;
		gm_cgocall((int (*)(void *))gm_hostile_entry, &t->ctx);	/* calls back: nested */
		t = arg;
		t->depth--;
	}
	if (getg() != gp || gm_tls.g != gp)
		t->bad_id++;
}

/* A plain pthread: no g, no m, nothing from gmbench. */
static struct {
	volatile long delivered, in_cb, wrong;
} fsig;

static void *foreign_main(void *arg)
{
	struct fthread *t = arg;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* the thread's own signal stack (none, or a sanitizer's): dropm must leave it so */
	stack_t ss0;
	if (sigaltstack(NULL, &ss0) != 0)
		t->bad_after++;
	__atomic_store_n(&t->started, 1, __ATOMIC_RELEASE);
	for (long i = 0;; i++) {
		if (i >= t->n) {
			if (!t->min_sig || __atomic_load_n(&fsig.in_cb, __ATOMIC_RELAXED) >= t->min_sig)
				break;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec > 20)
				break;
		}
		t->iters++;
		t->mismatch |= gm_hostile_crosscall2(t->xc2, foreign_cb, t);
		if (gm_tls.g || gm_tls.m)
			t->bad_after++;		/* dropm must leave the thread as it found it */
		if ((i & 63) == 0) {
			stack_t ss;
			if (sigaltstack(NULL, &ss) != 0 || ss.ss_flags != ss0.ss_flags || ss.ss_sp != ss0.ss_sp ||
			    ss.ss_size != ss0.ss_size)
				t->bad_after++;
		}
	}
	t->done = 1;
	return NULL;
}

static void foreign_sig_hook(int sig, void *info, void *uctx, struct gm_g *interrupted, struct gm_m *m)
{
	(void)info; (void)uctx;
	if (sig != SIGTEST)
		return;
	__atomic_add_fetch(&fsig.delivered, 1, __ATOMIC_RELAXED);
	if (!interrupted)
		return;	/* between callbacks: a C thread like any other */
	__atomic_add_fetch(&fsig.in_cb, 1, __ATOMIC_RELAXED);
	struct gm_g *gs = getg();
	uintptr_t sp = (uintptr_t)&gs;
	if (interrupted->magic != GM_G_MAGIC || !m || !m->isextra || gs != m->gsignal ||
	    sp < gs->stack_lo || sp >= gs->stack_hi)
		__atomic_add_fetch(&fsig.wrong, 1, __ATOMIC_RELAXED);
}

struct fsender { struct fthread *t; int nt; volatile int stop; long sent; };

static void *fsender_main(void *arg)
{
	struct fsender *s = arg;
	while (!s->stop) {
		for (int i = 0; i < s->nt; i++)
			if (__atomic_load_n(&s->t[i].started, __ATOMIC_ACQUIRE) && !s->t[i].done &&
			    pthread_kill(s->t[i].th, SIGTEST) == 0)
				s->sent++;
		sched_yield();
	}
	return NULL;
}

static int run_foreign(void *xc2, int nt, long n, int nest, int signals, long *callbacks, long *bad,
		       long *mismatch, long *misaligned, long *expect)
{
	struct fthread *t = calloc((size_t)nt, sizeof *t);
	struct fsender s = { .t = t, .nt = nt };
	pthread_t sender;
	memset((void *)&fsig, 0, sizeof fsig);
	if (signals) {
		gm_signal_install(SIGTEST);
		gm_signal_sethook(foreign_sig_hook);
	}
	*callbacks = *bad = *mismatch = *misaligned = *expect = 0;
	int started = 0;
	for (int i = 0; i < nt; i++) {
		t[i].xc2 = xc2;
		t[i].n = n;
		t[i].nest = nest;
		t[i].ctx.body = hostile_body_callback;
		t[i].ctx.xc2 = xc2;
		t[i].ctx.callback = foreign_cb;
		t[i].ctx.cbarg = &t[i];
		t[i].plain.body = hostile_body_plain;
		t[i].min_sig = signals ? 100 : 0;
		if (pthread_create(&t[i].th, NULL, foreign_main, &t[i]) != 0)
			break;
		started++;
	}
	if (signals)
		pthread_create(&sender, NULL, fsender_main, &s);
	for (int i = 0; i < started; i++) {
		pthread_join(t[i].th, NULL);
		*callbacks += t[i].callbacks;
		*expect += t[i].iters * (nest + 1);
		*bad += t[i].bad_id + t[i].bad_after + t[i].ctx.varargs_bad + t[i].plain.varargs_bad;
		*mismatch |= t[i].mismatch | t[i].ctx.xc2_mismatch;
		*misaligned += t[i].ctx.misaligned + t[i].plain.misaligned;
	}
	if (signals) {
		s.stop = 1;
		pthread_join(sender, NULL);
		gm_signal_sethook(NULL);
	}
	free(t);
	return started == nt;
}

static void test_foreign(void)
{
	/* every route, a few threads, callbacks nested once inside the borrowed m */
	const struct gm_variant *v;
	char vname[NAMELEN];
	for (size_t i = 0; (v = next_case(&i, "crosscall2", "callback/foreign", vname)); ) {
		if (v->flags & GM_VF_BROKEN)
			continue;
		if (v->flags & GM_VF_SEED2012) {
			/* 2012 had no extra m's: its callback from a thread without g is the
			 * misuse case callback/crosscall2/seed-without-g */
			unavailable(vname, "the 2012 seed's protocol has no callbacks from threads the runtime did not "
				    "create (needm came in 2013); callback/crosscall2/seed-without-g checks its message");
			continue;
		}
		if (!runs_here(v, vname))
			continue;
		gm_slot_fn saved = gm_tls_slot_fn;
		int align_case = !strcmp(v->name, "mask") || !strcmp(v->name, "static");
		if (align_case)
			gm_tls_slot_fn = (gm_slot_fn)gm_hostile_slot_checked;
		else if (v->fn2)
			gm_tls_slot_fn = (gm_slot_fn)v->fn2;
		gm_hostile_slot_misaligned = 0;
		long n = N / 1000 > 20 ? N / 1000 : 20, cbs, bad, mis, misal, want;
		int ok = run_foreign(v->fn, 4, n, 1, 0, &cbs, &bad, &mis, &misal, &want);
		gm_tls_slot_fn = saved;
		misal += gm_hostile_slot_misaligned;
		report(ok && !bad && !mis && !misal && cbs == want && want == 4 * n * 2, vname,
		       "%ld callbacks from 4 plain pthreads (each borrowing an extra m, nested once, a cgocall "
		       "from each): wrong g/m/TLS/stack or not given back %ld, callee-saved mismatch %#lx, "
		       "misaligned C calls %ld; %ld extra m's made so far",
		       cbs, bad, mis, misal, gm_extram_count());
	}
	const char *name = "callback/foreign/threads+signals";
	if (selected(name)) {
		long n = N / 500 > 20 ? N / 500 : 20, cbs, bad, mis, misal, want;
		int ok = run_foreign((void *)gm_crosscall2, 16, n, 2, 1, &cbs, &bad, &mis, &misal, &want);
		report(ok && !bad && !mis && !misal && cbs == want && want >= 16 * n * 3 && !fsig.wrong &&
			       fsig.in_cb >= 100, name,
		       "16 plain pthreads at once, %ld callbacks nested 3 deep, %ld signals (%ld inside a "
		       "callback): handler off gsignal or with the wrong m %ld, wrong g/m/TLS/stack %ld, "
		       "callee-saved mismatch %#lx, misaligned %ld; %ld extra m's",
		       cbs, (long)fsig.delivered, (long)fsig.in_cb, (long)fsig.wrong, bad, mis, misal,
		       gm_extram_count());
	}
}

/* ---------------- misuse: a clear message and exit status 2, never a crash ---------------- */

/* Case name: run fn(arg) in a child (killed after alarm_s seconds unless 0) with its
 * stderr in buf[BUFLEN]: its wait status; -1 when the case is not selected, or when
 * there is no pipe (the case then reported failed). */
enum { BUFLEN = 1024 };
static int run_child(const char *name, void (*fn)(void *), void *arg, unsigned alarm_s, char *buf)
{
	if (!selected(name))
		return -1;
	int pfd[2];
	if (pipe(pfd) != 0) {
		report(0, name, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 2);
		close(pfd[0]);
		alarm(alarm_s);
		fn(arg);
		_exit(0);
	}
	close(pfd[1]);
	memset(buf, 0, BUFLEN);
	size_t got = 0;
	ssize_t r;
	while (got < BUFLEN - 1 && (r = read(pfd[0], buf + got, BUFLEN - 1 - got)) > 0)
		got += (size_t)r;
	close(pfd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	return st;
}

/* Run fn in a child with stderr captured; check its exit status and that its first
 * stderr line holds every string of want (NULL-terminated). */
static void child_case(const char *name, void (*fn)(void *), void *arg, int want_status, const char *const *want,
		       const char *what)
{
	char buf[BUFLEN];
	int st = run_child(name, fn, arg, 60, buf);
	if (st < 0)
		return;
	/* the runtime's line (a sanitizer may have written a warning before it), else the first */
	char *line = buf;
	for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, "gmbench: ", 9)) {
			line = p;
			break;
		}
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	int ok = WIFEXITED(st) && WEXITSTATUS(st) == want_status;
	for (int i = 0; want[i]; i++)
		ok = ok && strstr(line, want[i]);
	report(ok, name, "%s: child exit %s %d, said \"%s\"", what, WIFEXITED(st) ? "status" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), line);
}

static void mis_noop(struct gm_g *gp) { (void)gp; }

static void mis_mcall_g0(void *arg)
{
	(void)arg;
	gm_mcall(mis_noop);	/* on g0: main, outside any goroutine */
}

/* Two goroutines on one m, each inside a callback, yielding; the first returns first. */
static struct gm_g *order_g[2];
static struct hostile_ctx order_ctx[2];

static void order_cb(void *arg)
{
	long k = (long)arg;
	order_g[k] = getg();
	gm_gosched();		/* k = 0: lets goroutine 2 in; k = 1: lets goroutine 1 return */
}

static void order_goroutine(void *arg)
{
	long k = (long)arg;
	order_ctx[k].body = hostile_body_callback;
	order_ctx[k].xc2 = (void *)gm_crosscall2;
	order_ctx[k].callback = order_cb;
	order_ctx[k].cbarg = arg;
	gm_cgocall((int (*)(void *))gm_hostile_entry, &order_ctx[k]);
}

static void order_main(void *arg)
{
	(void)arg;
	gm_go(order_goroutine, (void *)0L);
	gm_go(order_goroutine, (void *)1L);
}

static void mis_callback_order(void *arg)
{
	(void)arg;
	gm_run(order_main, NULL);
}

static void noop_go(void *arg) { (void)arg; }

static void mis_callback_on_g0(void *arg)
{
	(void)arg;
	static struct hostile_ctx ctx;
	ctx.body = hostile_body_callback;
	ctx.xc2 = (void *)gm_crosscall2;
	ctx.callback = noop_go;
	gm_cgocall((int (*)(void *))gm_hostile_entry, &ctx);	/* from g0: no m->curg */
}

static void *nog_thread(void *arg)
{
	const struct gm_variant *v = arg;
	gm_hostile_crosscall2(v->fn, noop_go, NULL);
	return NULL;
}

static void mis_foreign_off(void *arg)
{
	const struct gm_variant *v = arg;
	if (v->fn2)
		gm_tls_slot_fn = (gm_slot_fn)v->fn2;
	gm_set_foreign_callbacks(0);
	pthread_t th;
	pthread_create(&th, NULL, nog_thread, arg);
	pthread_join(th, NULL);
}

static volatile long chained_c, chained_hook;

static void c_usr2(int sig)
{
	(void)sig;
	chained_c++;
}

static void hook_usr2(int sig, void *info, void *uctx, struct gm_g *interrupted, struct gm_m *m)
{
	(void)info; (void)uctx; (void)interrupted; (void)m;
	if (sig == SIGUSR2)
		chained_hook++;
}

static void mis_signal_chain(void *arg)
{
	(void)arg;
	signal(SIGUSR2, c_usr2);	/* the C side's own handler, there first */
	gm_signal_install(SIGUSR2);
	gm_signal_install(SIGUSR2);	/* twice: must not chain to itself */
	gm_signal_sethook(hook_usr2);
	for (int i = 0; i < 3; i++)
		raise(SIGUSR2);
	fprintf(stderr, "gm handler ran %ld times, C handler %ld times\n", chained_hook, chained_c);
	_exit(chained_c == 3 && chained_hook == 3 ? 0 : 1);
}

static void c_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	char msg[120];
	int n = snprintf(msg, sizeof msg, "C handler: signal %d at %p\n", sig, si->si_addr);
	ssize_t w = write(2, msg, (size_t)n);
	(void)w;
	_exit(3);
}

static void mis_segv_chain(void *arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = c_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	gm_signal_install(SIGSEGV);
	volatile uintptr_t addr = 16;
	*(volatile int *)addr = 1;	/* not a guard page: the C handler decides */
}

static void test_misuse(void)
{
	static const char *const w_mcall[] = { "fatal: mcall called on g0", NULL };
	child_case("misuse/mcall-on-g0", mis_mcall_g0, NULL, 2, w_mcall, "mcall from g0");
	char g1[40], g2[40];
	/* goroutine ids are deterministic in the child: after order_main, the next two */
	struct gm_g *probe = gm_newg(noop_go, NULL);
	snprintf(g1, sizeof g1, "goroutine %lu returned", (unsigned long)probe->goid + 2);
	snprintf(g2, sizeof g2, "goroutine %lu, entered later", (unsigned long)probe->goid + 3);
	const char *const w_order[] = { "fatal: callback of", g1, g2, NULL };
	child_case("misuse/callback-out-of-order", mis_callback_order, NULL, 2, w_order,
		   "two goroutines in callbacks on one m, the first returning first");
	static const char *const w_g0[] = { "fatal: callback from C on g0", "m->curg is NULL", NULL };
	child_case("misuse/callback-no-curg", mis_callback_on_g0, NULL, 2, w_g0,
		   "a callback while C was called through gm_cgocall from g0");
	static const char *const w_nog[] = { "fatal: callback from C on a thread without g", NULL };
	static const char *routes[] = { "le", "mrc", "pthread", "tpidrurw" };
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const struct gm_variant *v = gm_variant_find("callback", "crosscall2", routes[i]);
		char name[80], why[200];
		if (!v)
			continue;
		snprintf(name, sizeof name, "misuse/foreign-callbacks-off/%s", routes[i]);
		if (!gm_variant_available(v, why, sizeof why)) {
			if (selected(name))
				unavailable(name, why);
			continue;
		}
		child_case(name, mis_foreign_off, (void *)v, 2, w_nog,
			   "a plain pthread calling crosscall2 with foreign callbacks off");
	}
	static const char *const w_chain[] = { "gm handler ran 3 times, C handler 3 times", NULL };
	child_case("misuse/signal-install-chains/handler", mis_signal_chain, NULL, 0, w_chain,
		   "gm_signal_install over a C handler of SIGUSR2");
	static const char *const w_segv[] = { "C handler: signal 11 at 0x10", NULL };
	child_case("misuse/signal-install-chains/segv", mis_segv_chain, NULL, 3, w_segv,
		   "a fault outside any guard page goes to the C side's SIGSEGV handler");
}

/* ---------------- two protocols in one process: every Go -> C entry with every C -> Go entry ----------------
 * The Go -> C entries are the asmcgocall variants and the whole cgocalls (bookkeeping modes);
 * the C -> Go entries the crosscall2 variants (each calls its own protocol's cgocallback).
 * Where both belong to one protocol (today's; on arm32 also the 2012 seed's) the callbacks
 * must work under the hostile C side; where they do not, the callback must stop at once with
 * a message naming both routines and their protocols (in a child: exit status 2). */

struct gocentry {
	char name[48];
	void *asmcgocall;
	int (*cgocall)(int (*)(void *), void *);
	int seed;
};

static int ngocentries(struct gocentry *e, int max)
{
	int n = 0;
	for (size_t i = 0; i < gm_nvariants && n < max; i++) {
		const struct gm_variant *v = &gm_variants[i];
		int asm_ = !strcmp(v->suite, "cgocall") && !strcmp(v->transition, "asmcgocall");
		int cgo = !strcmp(v->suite, "cgocall") && !strcmp(v->transition, "cgocall");
		if ((!asm_ && !cgo) || (v->flags & GM_VF_BROKEN))
			continue;
		memset(&e[n], 0, sizeof e[n]);
		snprintf(e[n].name, sizeof e[n].name, "%s-%s", v->transition, v->name);
		if (asm_)
			e[n].asmcgocall = v->fn;
		else
			e[n].cgocall = (int (*)(int (*)(void *), void *))v->fn;
		e[n].seed = !!(v->flags & GM_VF_SEED2012);
		n++;
	}
	return n;
}

/* Why the 2012 seed's protocol cannot run here ("" if it can, or the port has none). */
static const char *seed_unavailable(char *why, size_t len)
{
#ifdef GM_SEED2012
	if (!gm_probe_seed(why, len))
		return why;
#endif
	(void)len;
	why[0] = 0;
	return NULL;
}

struct mixchild { struct gocentry *a; const struct gm_variant *x; struct cb_case c; };

static void mix_noop_cb(void *arg) { (void)arg; }

static void mix_child_goroutine(void *arg)
{
	struct mixchild *mc = arg;
	mc->c.ctx.body = hostile_body_callback;
	mc->c.ctx.xc2 = mc->x->fn;
	mc->c.ctx.callback = mix_noop_cb;
	cb_cgocall(&mc->c);
	fprintf(stderr, "the callback returned: the mix was not refused\n");
}

static void mix_child(void *arg)
{
	struct mixchild *mc = arg;
	xc2_slot_setup(mc->x);
	run_go(mc->a->seed, mix_child_goroutine, mc);
}

static void test_mix(void)
{
	struct gocentry a[16];
	int na = ngocentries(a, 16);
	for (int i = 0; i < na; i++)
		for (size_t j = 0; j < gm_nvariants; j++) {
			const struct gm_variant *x = &gm_variants[j];
			if (strcmp(x->transition, "crosscall2") || (x->flags & GM_VF_BROKEN))
				continue;
			char name[120], why[200];
			snprintf(name, sizeof name, "mix/%.47s+crosscall2-%.40s", a[i].name, x->name);
			if (!selected(name))
				continue;
			int xseed = !!(x->flags & GM_VF_SEED2012);
			if (!gm_variant_available(x, why, sizeof why) ||
			    ((a[i].seed || xseed) && seed_unavailable(why, sizeof why))) {
				unavailable(name, why);
				continue;
			}
			const char *aproto = a[i].seed ? "the 2012 seed's" : "today's";
			if (a[i].seed == xseed) {
				gm_slot_fn saved = xc2_slot_setup(x);
				gm_hostile_slot_misaligned = 0;
				struct cb_case c;
				memset(&c, 0, sizeof c);
				c.asmcgocall = a[i].asmcgocall;
				c.cgocall = a[i].cgocall;
				c.seed = a[i].seed;
				int ok = run_cb_case(name, x->fn, 300, 0, !strcmp(x->name, "fp"), &c);
				gm_tls_slot_fn = saved;
				long mis = gm_hostile_slot_misaligned;
				report(ok && !mis, name,
				       "%ld callbacks, C entered through %s and left through crosscall2/%s (both "
				       "%s protocol): callee-saved mismatch %#lx, misaligned C calls %ld, g wrong %ld, "
				       "m wrong %ld, TLS wrong %ld, TLS g not %s in C %ld, g0 sp not restored %ld",
				       c.callbacks, a[i].name, x->name, aproto, c.ctx.xc2_mismatch, mis, errs_g, errs_m,
				       errs_tls, a[i].seed ? "the goroutine" : "g0", c.ctx.tls_g_bad, c.g0sp_moved);
				continue;
			}
			/* two protocols: a message naming both routines and their protocols, exit 2 */
			static const char *const w_seedxc2[] = { "crosscall2_seed", "(the 2012 seed's protocol)",
								 "today's asmcgocall", "(today's protocol)", NULL };
			static const char *const w_todayxc2[] = { "today's crosscall2", "(today's protocol)",
								  "asmcgocall_seed", "(the 2012 seed's protocol)", NULL };
			struct mixchild mc;
			memset(&mc, 0, sizeof mc);
			mc.a = &a[i];
			mc.x = x;
			mc.c.asmcgocall = a[i].asmcgocall;
			mc.c.cgocall = a[i].cgocall;
			mc.c.seed = a[i].seed;
			char what[200];
			snprintf(what, sizeof what, "C entered through %.47s (%s protocol), a callback through crosscall2/%.40s",
				 a[i].name, aproto, x->name);
			child_case(name, mix_child, &mc, 2, xseed ? w_seedxc2 : w_todayxc2, what);
		}
}

/* C called straight from a goroutine, without asmcgocall (no protocol at all), then a
 * callback through the port's default crosscall2: a message, not frames on the wrong stack. */
static void direct_goroutine(void *arg)
{
	struct hostile_ctx *ctx = arg;
	ctx->body = hostile_body_callback;
	ctx->xc2 = (void *)gm_crosscall2;
	ctx->callback = mix_noop_cb;
	(void)gm_gocallp(gm_hostile_entry, ctx, 0, 0);	/* on the goroutine's stack, TLS g = the goroutine */
	fprintf(stderr, "the callback returned: the direct call was not refused\n");
}

static void direct_child(void *arg)
{
	gm_run(direct_goroutine, arg);
}

static void test_mix_direct(void)
{
	static const char *const w[] = { "callback from C through crosscall2 and cgocallback while TLS g is goroutine",
					 "did not enter C through asmcgocall", NULL };
	static struct hostile_ctx ctx;
	child_case("mix/c-called-directly+crosscall2", direct_child, &ctx, 2, w,
		   "C called from a goroutine without asmcgocall, then a callback");
}

/* ---------------- stack overflow hits the guard page ---------------- */

static volatile int recurse_forever = 1;

static int __attribute__((noinline)) recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	if (!recurse_forever)
		return pad[0];
	return recurse(n + 1) + pad[0];
}

static void overflow_goroutine(void *arg)
{
	(void)arg;
	recurse(0);
}

/* the child: returns (exit 0) only if the guard page does not work */
static void overflow_child(void *arg)
{
	gm_signal_install(SIGSEGV);
	gm_signal_install(SIGBUS);
	gm_set_stack_size(64 * 1024);
	gm_run(overflow_goroutine, arg);
}

static void test_overflow(void)
{
	const char *name = "stack/overflow/guard";
	char buf[BUFLEN];
	int st = run_child(name, overflow_child, NULL, 0, buf);
	if (st < 0)
		return;
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	int ok = WIFEXITED(st) && WEXITSTATUS(st) == 2 && strstr(buf, "stack overflow") &&
		 strstr(buf, "goroutine ") && strstr(buf, "guard page");
	report(ok, name, "child exit %s %d, said \"%s\"", WIFEXITED(st) ? "status" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), buf);
}

/* ---------------- TLS: every read_tp variant agrees, in several threads ---------------- */

struct tls_case { int checked, bad; char detail[200]; };

static void tls_check_thread(void *arg)
{
	struct tls_case *tc = arg;
	struct gm_tlsslot *want = &gm_tls;
	for (size_t i = 0; i < gm_nvariants; i++) {
		const struct gm_variant *v = &gm_variants[i];
		char why[200];
		if (strcmp(v->transition, "read_tp") || !gm_variant_available(v, why, sizeof why))
			continue;
		if (v->flags & GM_VF_OWNSLOT) {
			/* g in a slot of its own (arm32: TPIDRURW), written by the port's per-thread
			 * init from TLS g and read by fn: round trip with a marker, then with g */
			struct gm_g *g = gm_tls.g;
			gm_tls.g = (struct gm_g *)(uintptr_t)0x1234;
			gm_tls_port_thread_init();
			void *marker = ((gm_slot_fn)v->fn)();
			gm_tls.g = g;
			gm_tls_port_thread_init();
			void *back = ((gm_slot_fn)v->fn)();
			tc->checked++;
			if (marker != (void *)(uintptr_t)0x1234 || back != (void *)getg()) {
				tc->bad++;
				snprintf(tc->detail, sizeof tc->detail, "%s round trip gave %p then %p, want 0x1234 then %p",
					 v->name, marker, back, (void *)getg());
			}
			continue;
		}
		struct gm_tlsslot *s = ((gm_slot_fn)v->fn)();
		tc->checked++;
		if (s != want || s->g != gm_tls.g || s->m != getm()) {
			tc->bad++;
			snprintf(tc->detail, sizeof tc->detail, "%s gave %p, want %p", v->name, (void *)s,
				 (void *)want);
		}
		/* save_gm through the variant, load_gm through local-exec, and back */
		struct gm_g *g = s->g;
		s->g = (struct gm_g *)(uintptr_t)0x1234;
		if (gm_tls.g != (struct gm_g *)(uintptr_t)0x1234)
			tc->bad++;
		s->g = g;
	}
}

static void tls_thread_main(void *arg)
{
	tls_check_thread(arg);
}

static void test_tls(void)
{
	const struct gm_variant *v;
	char vname[NAMELEN];
	for (size_t i = 0; (v = next_case(&i, "read_tp", "tls/read_tp", vname)); )
		(void)runs_here(v, vname);
	const char *name = "tls/read_tp/all-agree";
	if (!selected(name))
		return;
	enum { T = 4 };
	struct tls_case tc[T + 1];
	memset(tc, 0, sizeof tc);
	tls_check_thread(&tc[0]);
	struct gm_m *ms[T];
	for (int i = 0; i < T; i++)
		gm_newm(tls_thread_main, &tc[i + 1], &ms[i]);
	int checked = 0, bad = 0;
	const char *detail = "";
	for (int i = 0; i < T; i++)
		gm_joinm(ms[i]);
	for (int i = 0; i <= T; i++) {
		checked += tc[i].checked;
		bad += tc[i].bad;
		if (tc[i].bad)
			detail = tc[i].detail;
	}
	report(!bad && checked > 0, name,
	       "%d variant reads in %d threads all returned the thread's own g/m slot%s%s", checked,
	       T + 1, bad ? "; " : "", detail);
}

/* ---------------- the 2012 seed's protocol (arm32: *_seed, docs/seed.md) ---------------- */
#ifdef GM_SEED2012

void *gm_kuser_read_tp(void);	/* the seed's __aeabi_read_tp: clobbers r0 only, C-callable */

static const struct gm_variant *seed_variant(const char *suite, const char *transition, const char *name)
{
	const struct gm_variant *v = gm_variant_find(suite, transition, "seed");
	char why[200];
	if (!v) {
		report(0, name, "the port has no %s/%s/seed variant", suite, transition);
		return NULL;
	}
	if (!gm_variant_available(v, why, sizeof why)) {
		unavailable(name, why);
		return NULL;
	}
	return v;
}

/* TP+8 / TP+12 is this thread's gm_tls; the seed's __aeabi_read_tp gives TP; cgo_save_gm
 * stores r10/r9 there and cgo_load_gm brings them back, in every thread. */
struct seedtls_case { int checked, bad; char detail[200]; };

static void seed_tls_thread(void *arg)
{
	struct seedtls_case *tc = arg;
	char *tp = __builtin_thread_pointer();
	tc->checked++;
	if ((char *)&gm_tls != tp + SEED_TP_G || gm_kuser_read_tp() != tp) {
		tc->bad++;
		snprintf(tc->detail, sizeof tc->detail, "&gm_tls = TP%+ld, __aeabi_read_tp gave %p for TP %p",
			 (long)((char *)&gm_tls - tp), gm_kuser_read_tp(), (void *)tp);
		return;
	}
	struct gm_g *g = getg();
	struct gm_m *m = getm();
	gm_tls.g = (struct gm_g *)(uintptr_t)0x1234;
	gm_tls.m = (struct gm_m *)(uintptr_t)0x5678;
	gm_tlsloop_seed_gm(3);
	if (gm_tls.g != g || gm_tls.m != m || getg() != g || getm() != m) {
		tc->bad++;
		snprintf(tc->detail, sizeof tc->detail, "after save/load: TLS {%p, %p}, want {%p, %p}",
			 (void *)gm_tls.g, (void *)gm_tls.m, (void *)g, (void *)m);
	}
}

static void test_seed_tls(void)
{
	const char *name = "tls/save+load_gm/seed";
	if (!selected(name) || !seed_variant("tls", "save+load_gm", name))
		return;
	enum { T = 4 };
	struct seedtls_case tc[T + 1];
	memset(tc, 0, sizeof tc);
	seed_tls_thread(&tc[0]);
	struct gm_m *ms[T];
	int started = 0;
	for (int i = 0; i < T; i++)
		if (gm_newm(seed_tls_thread, &tc[i + 1], &ms[started]) == 0)
			started++;
	for (int i = 0; i < started; i++)
		gm_joinm(ms[i]);
	int checked = 0, bad = 0;
	const char *detail = "";
	for (int i = 0; i <= T; i++) {
		checked += tc[i].checked;
		bad += tc[i].bad;
		if (tc[i].bad)
			detail = tc[i].detail;
	}
	report(!bad && checked == T + 1, name,
	       "%d threads: gm_tls at TP+8, the seed's __aeabi_read_tp = TP, cgo_save_gm/cgo_load_gm "
	       "round trip through their pointers%s%s", checked, bad ? ": " : "", detail);
}

/* gosave/gogo: each switch through gogo_seed must store the new g in TLS (poisoned
 * before every switch); the first switch starts B with gogocall_seed. */
static void seed_pp_b(void *arg)
{
	struct pingpong *pp = arg;
	for (;;) {
		check_self(pp->gb, 1);
		if (pp->done)
			return;
		struct gm_gobuf *b = &pp->gb->sched;
		if (gm_gosave_seed(b) == (uintptr_t)b) {
			pp->switches++;
			getm()->curg = pp->ga;
			gm_tls.g = NULL;
			gm_gogo_seed(&pp->ga->sched, 1);
		}
		pp = arg;
	}
}

static void seed_pp_a(void *arg)
{
	struct pingpong *pp = arg;
	pp->ga = getg();
	pp->gb = gm_newg(seed_pp_b, pp);
	struct gm_gobuf *a = &pp->ga->sched;
	if (gm_gosave_seed(a) == (uintptr_t)a) {
		getm()->curg = pp->gb;
		gm_tls.g = NULL;
		gm_gogocall_seed(&pp->gb->sched, gm_goroutine_start);
	}
	pp = arg;
	for (long i = 0; i < pp->n; i++) {
		check_self(pp->ga, 1);
		a = &pp->ga->sched;
		if (gm_gosave_seed(a) == (uintptr_t)a) {
			pp->switches++;
			getm()->curg = pp->gb;
			gm_tls.g = NULL;
			gm_gogo_seed(&pp->gb->sched, 1);
		}
		pp = arg;
	}
	check_self(pp->ga, 1);
	pp->done = 1;
	gm_ready(pp->gb);
}

static void test_seed_switch(void)
{
	const char *name = "switch/gosave+gogo/seed";
	const struct gm_variant *v;
	if (!selected(name) || !(v = seed_variant("switch", "gogo", name)))
		return;
	struct pingpong pp = { .n = N / 2 };
	void *saved = gm_sched_gogo;
	gm_sched_gogo = v->fn;		/* B finishes through the scheduler: gogo_seed */
	reset_errs();
	gm_run_seed(seed_pp_a, &pp);
	gm_sched_gogo = saved;
	report(!errs_total() && pp.switches >= N - 1, name,
	       "%ld switches (three-word gobuf, TLS poisoned before each gogo), g wrong %ld, m wrong %ld, "
	       "TLS wrong %ld", pp.switches, errs_g, errs_m, errs_tls);
}

/* mcall_seed writes no TLS: on g0, TLS still names the goroutine; gogo_seed restores it. */
static long seed_mcall_tls_wrong, seed_mcall_not_g0;

static void seed_mcall_probe(struct gm_g *gp)
{
	if (gm_tls.g != gp)
		seed_mcall_tls_wrong++;
	if (getg() != getm()->g0 || gp == getg())
		seed_mcall_not_g0++;
	gm_tls.g = NULL;
	gm_gogo_seed(&gp->sched, 1);
}

static void seed_yield_loop(void *arg)
{
	struct yielder *y = arg;
	struct gm_g *me = getg();
	for (long i = 0; i < y->n; i++) {
		gm_gosched_seed();
		check_self(me, 1);
		if (getm()->curg != me)
			ADD(errs_g);
		if (i % 64 == 0) {
			gm_mcall_seed(seed_mcall_probe);
			check_self(me, 1);
		}
	}
}

static void seed_yield_main(void *arg)
{
	gm_go(seed_yield_loop, arg);
	gm_go(seed_yield_loop, arg);
}

static void test_seed_reschedule(void)
{
	const char *name = "switch/reschedule/seed";
	const struct gm_variant *v;
	if (!selected(name) || !(v = seed_variant("switch", "gogo", name)))
		return;
	void *saved = gm_sched_gogo;
	gm_sched_gogo = v->fn;
	struct yielder y = { N / 2, 1 };
	reset_errs();
	seed_mcall_tls_wrong = seed_mcall_not_g0 = 0;
	gm_run_seed(seed_yield_main, &y);
	gm_sched_gogo = saved;
	report(!errs_total() && !seed_mcall_tls_wrong && !seed_mcall_not_g0, name,
	       "%ld mcall_seed+schedule+gogo_seed, g wrong %ld, m wrong %ld, TLS wrong %ld; on g0 after "
	       "mcall_seed TLS g was not the goroutine %ld times (want 0: mcall writes no TLS), not on g0 %ld",
	       2 * y.n, errs_g, errs_m, errs_tls, seed_mcall_tls_wrong, seed_mcall_not_g0);
}

/* asmcgocall_seed from g0 itself (its "already on g0" path: thread start in 2012). */
static void test_seed_asmcgocall_g0(void)
{
	const char *name = "cgocall/asmcgocall/seed-on-g0";
	const struct gm_variant *v;
	if (!selected(name) || !(v = seed_variant("cgocall", "asmcgocall", name)))
		return;
	struct hostile_ctx ctx;
	memset(&ctx, 0, sizeof ctx);
	ctx.body = hostile_body_plain;
	struct gm_g *g0 = getg();
	long badret = 0;
	reset_errs();
	for (long i = 0; i < N / 10; i++) {
		if ((int)gm_gocallp(v->fn, gm_hostile_entry, &ctx, 0) != 7)
			badret++;
		if (getg() != g0)
			ADD(errs_g);
		if (getm() != g0->m)
			ADD(errs_m);
	}
	report(!errs_total() && !ctx.misaligned && !ctx.varargs_bad && !badret && ctx.calls == N / 10, name,
	       "%ld Go->C calls from g0 with every register poisoned: misaligned %ld, g wrong %ld, m wrong %ld, "
	       "bad results %ld, bad varargs %ld", ctx.calls, (long)ctx.misaligned, errs_g, errs_m, badret,
	       ctx.varargs_bad);
}

/* Misuse: a callback through crosscall2_seed from a thread gmbench did not create, and
 * one while C was called from g0 (m->curg NULL): messages, not crashes. */
static void seed_cb_empty(void *arg) { (void)arg; }

static void *seed_foreign_thread(void *arg)
{
	(void)arg;
	gm_crosscall2_seed(seed_cb_empty, NULL);
	return NULL;
}

static void seed_nog_child(void *arg)
{
	(void)arg;
	pthread_t t;
	if (pthread_create(&t, NULL, seed_foreign_thread, NULL) == 0)
		pthread_join(t, NULL);
}

static int seed_c_calls_back(void *arg)
{
	(void)arg;
	gm_crosscall2_seed(seed_cb_empty, NULL);
	return 0;
}

static void seed_nocurg_child(void *arg)
{
	gm_gocallp(arg, seed_c_calls_back, NULL, 0);	/* from g0: m->curg is NULL */
}

static void test_seed_misuse(void)
{
	const char *n1 = "callback/crosscall2/seed-without-g", *n2 = "callback/crosscall2/seed-without-curg";
	static const char *const w1[] = { "callback from C on a thread without g", NULL };
	static const char *const w2[] = { "crosscall2_seed", "m->curg is NULL", NULL };
	const struct gm_variant *a;
	if (selected(n1) && seed_variant("callback", "crosscall2", n1))
		child_case(n1, seed_nog_child, NULL, 2, w1, "the seed's crosscall2 from a plain pthread");
	if (selected(n2) && seed_variant("callback", "crosscall2", n2) &&
	    (a = seed_variant("cgocall", "asmcgocall", n2)))
		child_case(n2, seed_nocurg_child, a->fn, 2, w2, "the seed's crosscall2 while C was called from g0");
}

/* Either trampoline installed over the other must not chain to it: one signal, one run
 * of the handler (a chain would run it twice, or recurse). */
static volatile long seed_chain_hooks;

static void seed_chain_hook(int sig, void *info, void *uctx, struct gm_g *interrupted, struct gm_m *m)
{
	(void)info; (void)uctx; (void)interrupted; (void)m;
	if (sig == SIGTEST)
		seed_chain_hooks++;
}

static void test_seed_no_chain(void)
{
	const char *name = "signal/sigtramp/seed-over-today-no-chain";
	if (!selected(name) || !seed_variant("signal", "sigtramp", name))
		return;
	gm_signal_sethook(seed_chain_hook);
	seed_chain_hooks = 0;
	long sent = 0;
	for (int round = 0; round < 4; round++) {
		if (round % 2)
			gm_signal_install(SIGTEST);
		else
			gm_signal_install_seed(SIGTEST);
		for (int i = 0; i < 25; i++, sent++)
			pthread_kill(pthread_self(), SIGTEST);
	}
	gm_signal_sethook(NULL);
	report(seed_chain_hooks == sent, name,
	       "%ld signals with the seed's and today's trampolines installed over each other in turn: the "
	       "handler ran %ld times (once each: neither chains to the other)", sent, (long)seed_chain_hooks);
}

/* The seed mode is closed (gm_run_seed): its goroutines start through gogocall_seed and
 * the scheduler comes back through gogo_seed, each a call of the cgo_save_gm pointer
 * (counted through a stand-in); today's gm_run makes none.  fn: a goroutine that starts
 * another, so two starts and one return are counted per run. */
extern void gm_test_count_save_gm(void);
extern volatile long gm_test_save_gm_calls;
extern void (*gm_cgo_save_gm)(void);

struct seedrun { struct gm_g *a, *b; long tls_bad, not_seed; };

static void seedrun_b(void *arg)
{
	struct seedrun *r = arg;
	r->b = getg();
	if (gm_tls.g != r->b || gm_tls.m != getm())
		r->tls_bad++;
	if (!r->b->seed || !r->a->seed)
		r->not_seed++;
}

static void seedrun_a(void *arg)
{
	struct seedrun *r = arg;
	r->a = getg();
	if (gm_tls.g != r->a || gm_tls.m != getm())
		r->tls_bad++;
	gm_go(seedrun_b, r);
}

static void test_seed_run(void)
{
	const char *name = "switch/run/seed";
	if (!selected(name) || !seed_variant("switch", "gogo", name))
		return;
	void (*saved)(void) = gm_cgo_save_gm;
	struct seedrun r, t;
	memset(&r, 0, sizeof r);
	memset(&t, 0, sizeof t);
	long runs = 50, seed_saves, today_saves;
	gm_cgo_save_gm = gm_test_count_save_gm;
	gm_test_save_gm_calls = 0;
	for (long i = 0; i < runs; i++) {
		gm_tls.g = NULL;	/* gogocall_seed must put the goroutine there */
		gm_run_seed(seedrun_a, &r);
	}
	seed_saves = gm_test_save_gm_calls;
	gm_test_save_gm_calls = 0;
	for (long i = 0; i < runs; i++)
		gm_run(seedrun_a, &t);
	today_saves = gm_test_save_gm_calls;
	gm_cgo_save_gm = saved;
	int back_on_g0 = getg() == getm()->g0 && gm_tls.g == getm()->g0 && gm_tls.m == getm();
	report(seed_saves == 3 * runs && !today_saves && !r.tls_bad && !r.not_seed && !t.tls_bad && back_on_g0, name,
	       "%ld runs of two goroutines: %ld calls of cgo_save_gm under gm_run_seed (want %ld: two starts through "
	       "gogocall_seed, one return through gogo_seed), %ld under gm_run (want 0); TLS not the goroutine at "
	       "its start %ld, goroutines not marked seed %ld; back on g0 with TLS g0: %s",
	       runs, seed_saves, 3 * runs, today_saves, r.tls_bad + t.tls_bad, r.not_seed, back_on_g0 ? "yes" : "NO");
}

/* Nested across the protocols, each Go -> C entry with its own protocol's crosscall2: the
 * outer callback makes a cgo call of the other protocol, whose callback runs on the same
 * goroutine.  Both must work: registers, alignment, g/m and TLS g in C as each protocol says. */
struct nestmix {
	struct hostile_ctx outer, inner;
	void *a_out, *a_in;
	int seed_out, seed_in;
	struct gm_g *expect;
	long n, cb_out, cb_in, g0sp_moved;
};

static void nestmix_inner_cb(void *arg)
{
	struct nestmix *nm = arg;
	check_self(nm->expect, 1);
	(void)gm_hostile_slot_checked();
	nm->cb_in++;
}

static void nestmix_outer_cb(void *arg)
{
	struct nestmix *nm = arg;
	check_self(nm->expect, 1);
	(void)gm_hostile_slot_checked();
	nm->cb_out++;
	gm_cgocall_via(nm->a_in, (int (*)(void *))gm_hostile_entry, &nm->inner);
	nm = arg;
	check_self(nm->expect, 1);
}

static void nestmix_loop(void *arg)
{
	struct nestmix *nm = arg;
	nm->expect = getg();
	nm->outer.tls_g_want = nm->seed_out ? nm->expect : getm()->g0;
	nm->inner.tls_g_want = nm->seed_in ? nm->expect : getm()->g0;
	uintptr_t g0sp = getm()->g0->sched.sp;
	for (long i = 0; i < nm->n; i++) {
		gm_cgocall_via(nm->a_out, (int (*)(void *))gm_hostile_entry, &nm->outer);
		nm = arg;
		check_self(nm->expect, 1);
		if (getm()->g0->sched.sp != g0sp)
			nm->g0sp_moved++;
	}
}

static void nested_mix_case(const char *name, int seed_out, const struct gm_variant *aseed,
			    const struct gm_variant *xseed)
{
	if (!selected(name))
		return;
	static struct nestmix nm;
	memset(&nm, 0, sizeof nm);
	const struct gm_variant *atoday = gm_variant_find("cgocall", "asmcgocall", "mask");
	nm.seed_out = seed_out;
	nm.seed_in = !seed_out;
	nm.a_out = seed_out ? aseed->fn : atoday->fn;
	nm.a_in = seed_out ? atoday->fn : aseed->fn;
	nm.outer.body = nm.inner.body = hostile_body_callback;
	nm.outer.xc2 = seed_out ? xseed->fn : (void *)gm_crosscall2;
	nm.inner.xc2 = seed_out ? (void *)gm_crosscall2 : xseed->fn;
	nm.outer.callback = nestmix_outer_cb;
	nm.inner.callback = nestmix_inner_cb;
	nm.outer.cbarg = nm.inner.cbarg = &nm;
	nm.n = 300;
	reset_errs();
	gm_hostile_slot_misaligned = 0;
	run_go(seed_out, nestmix_loop, &nm);
	long mis = gm_hostile_slot_misaligned + nm.outer.misaligned + nm.inner.misaligned;
	long mismatch = nm.outer.xc2_mismatch | nm.inner.xc2_mismatch;
	report(!errs_total() && !mis && !mismatch && !nm.outer.varargs_bad && !nm.inner.varargs_bad &&
		       !nm.outer.tls_g_bad && !nm.inner.tls_g_bad && !nm.g0sp_moved && nm.cb_out == nm.n &&
		       nm.cb_in == nm.n,
	       name,
	       "%ld callbacks of %s inside %ld of %s: callee-saved mismatch %#lx, misaligned %ld, g wrong %ld, "
	       "m wrong %ld, TLS wrong %ld, TLS g in C wrong %ld (outer) %ld (inner), g0 sp not restored %ld",
	       nm.cb_in, seed_out ? "today's protocol" : "the 2012 seed's protocol", nm.cb_out,
	       seed_out ? "the seed's" : "today's", mismatch, mis, errs_g, errs_m, errs_tls, nm.outer.tls_g_bad,
	       nm.inner.tls_g_bad, nm.g0sp_moved);
}

static void test_seed_mix(const struct gm_variant *x, const struct gm_variant *a)
{
	/* thread entry: both write g0 and m into the one TLS slot, so either protocol runs on
	 * a thread either entry started */
	threads_case("mix/thread-entry-seed+today", NULL, (void *)gm_crosscall2, gm_thread_entry_seed);
	threads_case("mix/thread-entry-today+seed", x, x->fn, gm_thread_entry);
	nested_mix_case("mix/nested/today-in-seed", 1, a, x);
	nested_mix_case("mix/nested/seed-in-today", 0, a, x);
	/* signal trampolines: each reads TLS as the interrupted protocol left it, so the handler
	 * sees g0 in C under today's asmcgocall and the goroutine under the seed's, whichever
	 * trampoline runs */
	static const char *const n1[2] = { "mix/sigtramp-seed+asmcgocall-mask/in-c", "mix/sigtramp-seed+asmcgocall-mask/in-go" };
	if (selected(n1[0]) || selected(n1[1]))
		signals_case(n1, gm_signal_install_seed, gm_variant_find("cgocall", "asmcgocall", "mask")->fn, 0);
	static const char *const n2[2] = { "mix/sigtramp-today+asmcgocall-seed/in-c", "mix/sigtramp-today+asmcgocall-seed/in-go" };
	if (selected(n2[0]) || selected(n2[1]))
		signals_case(n2, gm_signal_install, a->fn, 1);
}

static void test_seed(void)
{
	const struct gm_variant *x = gm_variant_find("callback", "crosscall2", "seed");
	const struct gm_variant *a = gm_variant_find("cgocall", "asmcgocall", "seed");
	char why[200];
	test_seed_tls();
	test_seed_switch();
	test_seed_reschedule();
	test_seed_run();
	test_seed_asmcgocall_g0();
	if (x && a && gm_variant_available(x, why, sizeof why)) {
		nested_case("callback/nested/seed", x, x->fn);
		threads_case("callback/threads/seed", x, x->fn, gm_thread_entry_seed);
		static const char *const names[2] = { "signal/sigtramp/seed-in-c", "signal/sigtramp/seed-in-go" };
		if (selected(names[0]) || selected(names[1]))
			signals_case(names, gm_signal_install_seed, a->fn, 1);
		test_seed_mix(x, a);
	} else if (x) {
		static const char *const names[] = { "callback/nested/seed", "callback/threads/seed",
						     "signal/sigtramp/seed-in-c", "signal/sigtramp/seed-in-go",
						     "mix/thread-entry-seed+today", "mix/thread-entry-today+seed",
						     "mix/nested/today-in-seed", "mix/nested/seed-in-today",
						     "mix/sigtramp-seed+asmcgocall-mask/in-c", "mix/sigtramp-seed+asmcgocall-mask/in-go",
						     "mix/sigtramp-today+asmcgocall-seed/in-c", "mix/sigtramp-today+asmcgocall-seed/in-go" };
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (selected(names[i]))
				unavailable(names[i], why);
	}
	test_seed_misuse();
	test_seed_no_chain();
}
#else
static void test_seed(void) {}
#endif

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			N = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [-n transitions-per-case] [case-prefix ...]\n", argv[0]);
			return 2;
		}
	}
	filters = argv + i;
	nfilters = argc - i;
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A parent (a CI runner, a shell) may hand us blocked signals; the signal cases
	 * need theirs delivered, and every thread inherits this mask. */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);	/* an inherited SIG_IGN would make waitpid fail: children reaped */
	gm_runtime_init();
	test_tls();
	test_switch();
	test_reschedule();
	test_asmcgocall();
	test_crosscall2();
	test_nested();
	test_threads();
	test_bookkeeping();
	test_signals();
	test_foreign();
	test_overflow();
	test_misuse();
	test_mix();
	test_mix_direct();
	test_seed();
	printf("%s: %d passed, %d failed, %d unavailable\n", gm_port_name(), npass, nfail, nunavail);
	return nfail ? 1 : 0;
}
