/*
 * suite_callback.c — C -> Go.
 *
 *   callback/crosscall2/<v>     one C -> Go callback from C code: crosscall2 (register
 *                               saves, g/m from TLS by variant <v>), cgocallback (switch
 *                               to the goroutine's stack), cgocallbackg (exitsyscall,
 *                               the Go function, entersyscall), and back.  The C loop
 *                               making the calls runs under one cgocall per batch.
 *   callback/go-c-go/<mode>     a whole Go -> C -> Go round trip: cgocall into a C
 *                               function that calls back once, with the runtime's
 *                               bookkeeping of <mode> (bare, go2012, gotoday) on both sides;
 *                               on arm also seed: the whole 2012 round trip (2012's
 *                               bookkeeping, the seed's asmcgocall, crosscall2, cgocallback)
 * A crosscall2 of the 2012 seed's protocol (callback/crosscall2/seed) is entered from Go
 * through the seed's asmcgocall.
 *   callback/foreign/needm      one callback from a plain pthread (not an m): crosscall2
 *                               finds no g, cgocallback borrows an extra m (needm), runs
 *                               the Go function on its goroutine, gives it back (dropm).
 *                               Timed on that thread (gcc_side.c) with a counter every thread
 *                               reads alike, else the clock (then the unit says ns)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static void go_empty(void *arg)
{
	GM_PROBE(PR_IN_GO);
	__asm__ volatile("" : : "r"(arg) : "memory");
}

struct cb_bench {
	const struct gm_variant *v;
	void *asmcgocall;	/* how C is entered: NULL = gm_cgocall (today's asmcgocall) */
	struct cside_cb req;
};

/* A crosscall2 of the 2012 seed's protocol works on curg->sched as the seed's
 * asmcgocall leaves it, and expects TLS g to be the goroutine while C runs: its batches
 * enter C through that asmcgocall (the bare bookkeeping, as every crosscall2 row). */
static void *entry_for(const struct gm_variant *v)
{
	if (!(v->flags & GM_VF_SEED2012))
		return NULL;
	const struct gm_variant *a = gm_variant_find("cgocall", "asmcgocall", "seed");
	return a ? a->fn : NULL;
}

static void run_crosscall2(void *ctx, long n)
{
	struct cb_bench *b = ctx;
	gm_slot_fn saved = gm_tls_slot_fn;
	if (b->v->fn2)
		gm_tls_slot_fn = (gm_slot_fn)b->v->fn2;
	b->req.n = n;
	if (b->asmcgocall)
		gm_cgocall_via(b->asmcgocall, cside_callback_loop, &b->req);
	else
		gm_cgocall(cside_callback_loop, &b->req);
	gm_tls_slot_fn = saved;
}

struct gocgo { int (*cgocall)(int (*)(void *), void *); struct cside_cb req; };

static void run_gocgo(void *ctx, long n)
{
	struct gocgo *b = ctx;
	for (long i = 0; i < n; i++) {
		GM_PROBE(PR_GO_CALL);
		b->cgocall(cside_callback_once, &b->req);
		GM_PROBE(PR_GO_BACK);
	}
}

static uint64_t foreign_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double foreign_ticks_per_ns;

static int measure_foreign(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen)
{
	unsigned long long t;
	int e = cside_foreign_run(ctx, n, &t);
	if (e) {
		snprintf(err, errlen, "the C thread: pthread_create: %s", strerror(e));
		return 1;
	}
	*ticks = (double)t;
	*ns = (double)t / foreign_ticks_per_ns;
	return 0;
}

void suite_callback(void)
{
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "callback", "crosscall2")); ) {
		if ((v->flags & GM_VF_BROKEN) || !bench_runs_here(v, "callback", "crosscall2", NULL))
			continue;
		if ((v->flags & GM_VF_SEED2012) && !entry_for(v)) {
			bench_unavailable("callback", "crosscall2", v->name, "no cgocall/asmcgocall/seed to enter C with");
			continue;
		}
		struct cb_bench *b = calloc(1, sizeof *b);
		b->v = v;
		b->asmcgocall = entry_for(v);
		b->req.xc2 = (void (*)(void (*)(void *), void *))v->fn;
		b->req.fn = go_empty;
		bench_add("callback", "crosscall2", v->name, run_crosscall2, b);
		bench_flags(v->flags);
		bench_probe_span(PR_C_CALL, PR_C_BACK);
	}
	for (size_t i = 0; (v = gm_variant_next(&i, "callback", "go-c-go")); ) {
		if (!bench_runs_here(v, "callback", "go-c-go", NULL))
			continue;
		struct gocgo *b = calloc(1, sizeof *b);
		b->cgocall = (int (*)(int (*)(void *), void *))v->fn;
		/* fn2: the crosscall2 of that round trip (arm32's seed), else the default */
		b->req.xc2 = v->fn2 ? (void (*)(void (*)(void *), void *))v->fn2 : gm_crosscall2;
		b->req.fn = go_empty;
		bench_add("callback", "go-c-go", v->name, run_gocgo, b);
		bench_flags(v->flags);
		bench_probe_span(PR_GO_CALL, PR_GO_BACK);
	}
	/* from a thread the runtime did not create: timed on that thread */
	const struct gm_counter *c = gm_counter();
	struct cside_foreign *f = calloc(1, sizeof *f);
	const char *unit = c->unit_name;
	f->xc2 = gm_crosscall2;
	f->fn = go_empty;
	if (c->system_wide) {
		f->read = (unsigned long long (*)(void))c->read;
		foreign_ticks_per_ns = c->ticks_per_ns;
	} else {
		f->read = (unsigned long long (*)(void))foreign_clock_ns;
		foreign_ticks_per_ns = 1;
		unit = "ns";
	}
	bench_add_measure("callback", "foreign", "needm", measure_foreign, f, unit, 1000);
}
