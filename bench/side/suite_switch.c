/*
 * suite_switch.c — goroutine switches.
 *
 *   switch/gosave+gogo/<v>      one direct goroutine-to-goroutine switch (gosave, then
 *                               the gogo variant into the partner): what a channel
 *                               hand-off costs without the scheduler
 *   switch/reschedule/<v>       one full reschedule: mcall to g0, schedule() picks the
 *                               next goroutine from the run queue, gogo variant into it
 * <v> = savegm (today's gogo plus a TLS store of g/m on every switch) or nosave; on
 * arm32 also seed: the 2012 seed's gosave, gogo, gogocall and mcall throughout.
 */
#include <stdlib.h>

#include "bench.h"

struct pair {
	void *gogo;
	struct gm_g *a, *b;
	int started;
};

/* The partner: bounces straight back every time it is resumed. */
static void partner(void *arg)
{
	struct pair *p = arg;
	for (;;) {
		GM_PROBE(PR_IN_GO);
		if (gm_gosave(&p->b->sched) == 0) {
			getm()->curg = p->a;
			gm_gocallp(p->gogo, &p->a->sched, 1, 0);
		}
		p = arg;
	}
}

static void run_direct(void *ctx, long n)
{
	struct pair *p = ctx;
	p->a = getg();
	if (!p->started) {
		p->started = 1;
		p->b = gm_newg(partner, p);
		if (gm_gosave(&p->a->sched) == 0) {
			getm()->curg = p->b;
			gm_gogocall(&p->b->sched, gm_goroutine_start);
		}
		p = ctx;
	}
	/* each round trip is two switches */
	for (long i = 0; i < n; i += 2) {
		GM_PROBE(PR_GO_CALL);
		if (gm_gosave(&p->a->sched) == 0) {
			getm()->curg = p->b;
			gm_gocallp(p->gogo, &p->b->sched, 1, 0);
		}
		GM_PROBE(PR_GO_BACK);
		p = ctx;
	}
}

struct resched {
	void *gogo;
	volatile int stop;
};

static void yielder(void *arg)
{
	struct resched *r = arg;
	while (!r->stop) {
		GM_PROBE(PR_IN_GO);
		gm_gosched();
	}
}

static void run_resched(void *ctx, long n)
{
	struct resched *r = ctx;
	void *saved = gm_sched_gogo;
	gm_sched_gogo = r->gogo;
	r->stop = 0;
	gm_go(yielder, r);
	/* each of our yields runs the partner once: two reschedules */
	for (long i = 0; i < n; i += 2) {
		GM_PROBE(PR_GO_CALL);
		gm_gosched();
		GM_PROBE(PR_GO_BACK);
	}
	r->stop = 1;
	gm_gosched();		/* let the partner see stop and exit */
	gm_sched_gogo = saved;
}

#ifdef GM_SEED2012
/* The 2012 seed's switches (arm32): gosave_seed returns its argument the first time. */
static void seed_partner(void *arg)
{
	struct pair *p = arg;
	for (;;) {
		GM_PROBE(PR_IN_GO);
		struct gm_gobuf *b = &p->b->sched;
		if (gm_gosave_seed(b) == (uintptr_t)b) {
			getm()->curg = p->a;
			gm_gogo_seed(&p->a->sched, 1);
		}
		p = arg;
	}
}

static void run_direct_seed(void *ctx, long n)
{
	struct pair *p = ctx;
	p->a = getg();
	if (!p->started) {
		p->started = 1;
		p->b = gm_newg(seed_partner, p);
		struct gm_gobuf *a = &p->a->sched;
		if (gm_gosave_seed(a) == (uintptr_t)a) {
			getm()->curg = p->b;
			gm_gogocall_seed(&p->b->sched, gm_goroutine_start);
		}
		p = ctx;
	}
	for (long i = 0; i < n; i += 2) {
		GM_PROBE(PR_GO_CALL);
		struct gm_gobuf *a = &p->a->sched;
		if (gm_gosave_seed(a) == (uintptr_t)a) {
			getm()->curg = p->b;
			gm_gogo_seed(&p->b->sched, 1);
		}
		GM_PROBE(PR_GO_BACK);
		p = ctx;
	}
}

static void seed_yielder(void *arg)
{
	struct resched *r = arg;
	while (!r->stop) {
		GM_PROBE(PR_IN_GO);
		gm_gosched_seed();
	}
}

static void run_resched_seed(void *ctx, long n)
{
	struct resched *r = ctx;
	void *saved = gm_sched_gogo;
	gm_sched_gogo = r->gogo;
	r->stop = 0;
	gm_go(seed_yielder, r);
	for (long i = 0; i < n; i += 2) {
		GM_PROBE(PR_GO_CALL);
		gm_gosched_seed();
		GM_PROBE(PR_GO_BACK);
	}
	r->stop = 1;
	gm_gosched_seed();
	gm_sched_gogo = saved;
}
#endif

void suite_switch(void)
{
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "switch", "gogo")); ) {
		gm_batch_fn direct = run_direct, resched = run_resched;
		if (v->flags & GM_VF_SEED2012) {
#ifdef GM_SEED2012
			direct = run_direct_seed;
			resched = run_resched_seed;
#else
			continue;
#endif
		}
		if (!bench_runs_here(v, "switch", "gosave+gogo", "reschedule"))
			continue;
		struct pair *p = calloc(1, sizeof *p);
		p->gogo = v->fn;
		bench_add("switch", "gosave+gogo", v->name, direct, p);
		bench_flags(v->flags);
		bench_probe_span(PR_GO_CALL, PR_GO_BACK);
		struct resched *r = calloc(1, sizeof *r);
		r->gogo = v->fn;
		bench_add("switch", "reschedule", v->name, resched, r);
		bench_flags(v->flags);
		bench_probe_span(PR_GO_CALL, PR_GO_BACK);
	}
}
