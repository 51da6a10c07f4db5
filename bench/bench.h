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

#include "../core/goside.h"
#include "../core/gm_counter.h"
#include "gbshim.h"
#include "../core/probe.h"

struct bench_config {
	double target_ms;     /* measured time per case per repetition (--quick: 5) */
};
extern struct bench_config bench_cfg;

/* Register a batch case; a trial run sizes its batch. */
void bench_add(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
	       void *ctx);
/* Register a case with its own measure function and unit. */
void bench_add_measure(const char *suite, const char *transition, const char *variant,
		       gb_measure_fn measure, void *ctx, const char *unit, long batch);
/* Report a case that cannot run here. */
void bench_unavailable(const char *suite, const char *transition, const char *variant, const char *why);
/* PROBES=1 builds: the last case added is probed; an operation runs from edge `start`
 * to edge `end` (core/probe.h ids). */
void bench_probe_span(unsigned start, unsigned end);
/* Run every probed case with the ring on and write DIR/edges.csv, DIR/edges-summary.csv. */
int bench_probes_run(const char *dir);

void suite_tls(void);
void suite_switch(void);
void suite_cgocall(void);
void suite_callback(void);
void suite_thread(void);
void suite_signal(void);
void suite_counter(void);
void suite_peer(void);

#include "cside.h"
#endif
