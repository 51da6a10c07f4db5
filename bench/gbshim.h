/*
 * gbshim.h — a C face for Google Benchmark (which has only a C++ API).
 *
 * The C side owns the timed loop: for each benchmark the shim asks the C side to
 * measure a batch of n operations (gb_measure_fn, reached through crosscall2 because
 * the shim is C code and the measuring code is Go side), reports the batch's time as
 * Google Benchmark "manual time", and adds the per-operation counter (cycles, ticks
 * or ns: named for what it is).  Google Benchmark's own loop overhead stays outside.
 */
#ifndef GM_GBSHIM_H
#define GM_GBSHIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Measure n operations: *ticks = counter units for the n ops, *ns = the same in ns.
 * Return 0, or non-zero with a message in err (the benchmark is then reported failed). */
typedef int (*gb_measure_fn)(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen);

/* Register a benchmark.  unit: the counter's name ("cycles", "ticks", "ns").
 * batch: operations per measurement (Google Benchmark's iterations are operations). */
void gb_add(const char *name, gb_measure_fn measure, void *ctx, const char *unit, long batch);
void gb_add_context(const char *key, const char *value);
/* Initialise Google Benchmark with argv (its --benchmark_* flags) and run.
 * Returns the number of benchmarks run, or -1 on bad flags. */
int gb_run(int argc, char **argv);

/* Provided by the Go side: called through gm_crosscall2, runs the request. */
struct gb_request {
	gb_measure_fn measure;
	void *ctx;
	long n;
	double ticks, ns;
	double instructions;       /* retired instructions for the n ops, or NAN */
	int rc;
	char err[160];
};
void gb_dispatch(void *request);

#ifdef __cplusplus
}
#endif
#endif
