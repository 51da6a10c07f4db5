/*
 * gbshim.h — a C face for Google Benchmark (which has only a C++ API).
 *
 * The host owns the timed loop: for each benchmark the shim asks the host to measure a
 * batch of n operations (gb_measure_fn: the side's measurement entry, a crosscall2 into
 * the Go side), reports the batch's clock time as Google Benchmark "manual time", and
 * adds the per-operation counter (cycles, ticks or ns: named for what it is).  Google
 * Benchmark's own loop overhead stays outside.  Every run of a case (one repetition)
 * starts with the canary (core/gm_counter.h), whose values become that run's counters:
 *   canary_add, canary_call, canary_ssb   the canary, counter units per op
 *   cycles_per_tick                       from canary_add (1 on cycle counters)
 *   ticks_per_ns                          the counter's rate over the run's own batches
 */
#ifndef GM_GBSHIM_H
#define GM_GBSHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gm_side_result;
struct gm_canary;

typedef void (*gb_measure_fn)(void *ctx, size_t index, long n, struct gm_side_result *r);
typedef void (*gb_canary_fn)(void *ctx, struct gm_canary *c);

void gb_setup(gb_measure_fn measure, gb_canary_fn canary, void *ctx);
/* Register a benchmark.  unit: the counter's name ("cycles", "ticks", "ns").
 * batch: operations per measurement (Google Benchmark's iterations are operations). */
void gb_add(const char *name, size_t index, const char *unit, long batch);
void gb_add_context(const char *key, const char *value);
/* Initialise Google Benchmark with argv (its --benchmark_* flags) and run.
 * Returns the number of benchmarks run, or -1 on bad flags. */
int gb_run(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
