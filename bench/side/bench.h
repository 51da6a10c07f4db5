/*
 * bench.h — what the suites share (Go side).
 *
 * A suite registers cases named <suite>/<transition>/<variant>.  A case is a batch
 * function run(ctx, n) doing n operations; it is timed by N vs 2N differencing
 * (gm_measure_batch), so the counter reads and the call cancel out.  Cases whose
 * operation is not a loop body (thread start) provide their own measure function.
 */
#ifndef GM_BENCH_H
#define GM_BENCH_H

#include "../../core/goside.h"
#include "../../core/gm_counter.h"
#include "../../core/probe.h"

struct bench_config {
	double target_ms;     /* measured time per case per repetition (--quick: 5) */
};
extern struct bench_config bench_cfg;

/* Register a batch case; a trial run sizes its batch. */
void bench_add(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
	       void *ctx);
/* A case with its own timing loop: measure n operations, *ticks in its unit and *ns.
 * Return 0, or non-zero with a message in err. */
typedef int (*bench_measure_fn)(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen);
/* Register a case with its own measure function and unit. */
void bench_add_measure(const char *suite, const char *transition, const char *variant,
		       bench_measure_fn measure, void *ctx, const char *unit, long batch);
/* A key/value pair for the run's context (context.json). */
void bench_add_context(const char *key, const char *value);
/* Report a case that cannot run here. */
void bench_unavailable(const char *suite, const char *transition, const char *variant, const char *why);
/* PROBES=1 builds: the last case added is probed; an operation runs from edge `start`
 * to edge `end` (core/probe.h ids). */
void bench_probe_span(unsigned start, unsigned end);
/* The last case added is built on a variant with these flags (GM_VF_*: the 2012 seed's
 * sequence, today's Go's), or 0.  Said by the suite that built the case, never looked
 * up by name: make pathlen's seed and Go-today columns come from it. */
void bench_flags(unsigned flags);
/* 1 if variant v runs here; else 0, its cases <suite>/<transition>/<v> (and
 * <suite>/<also>/<v> unless also is NULL) reported unavailable. */
static inline int bench_runs_here(const struct gm_variant *v, const char *suite, const char *transition,
				  const char *also)
{
	char why[200];
	if (gm_variant_available(v, why, sizeof why))
		return 1;
	bench_unavailable(suite, transition, v->name, why);
	if (also)
		bench_unavailable(suite, also, v->name, why);
	return 0;
}

void suite_tls(void);
void suite_switch(void);
void suite_cgocall(void);
void suite_callback(void);
void suite_thread(void);
void suite_signal(void);
void suite_counter(void);
void suite_peer(void);

#include "gcc_side.h"
#endif
