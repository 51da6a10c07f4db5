/*
 * side.h — the boundary between a "side" and a host.
 *
 * A side is everything that is measured: the runtime model, its transitions, the suites
 * and the code that times a batch (core/, the port, bench/side/suite_*.c, bench/side/side.c).  A
 * host drives the measurements: gmbench's Google Benchmark driver (bench/host/main.c), or
 * gmpair (bench/host/pair.c), which links the two sides of a comparison into one process, each
 * with its symbols renamed, and alternates their batches.
 *
 * Everything here is plain C ABI.  The host calls gm_side_main(); the side starts its
 * runtime on the calling thread (m0, g0 on the current stack), registers the suites on
 * its main goroutine, then calls host->ready(side) from that goroutine through cgocall,
 * i.e. from C on the g0 stack, as a Go program calls into C.  While ready runs, the host
 * measures through the side's entries, each a C->Go callback (crosscall2) onto the
 * waiting goroutine.  Two sides are two independent runtimes on one thread: the second
 * is started from inside the first one's ready(), deeper on the same stack.
 */
#ifndef GM_SIDE_H
#define GM_SIDE_H

#include <stddef.h>

#define GM_SIDE_VERSION 1

struct gm_canary;
struct gm_counter;

struct gm_side_opts {
	const char *filter;   /* extended regex on case names; NULL or "": all */
	int list_only;        /* print the case names (and why unavailable), measure nothing */
	int probes_only;      /* register without sizing batches (the latency pass) */
	double target_ms;     /* measured time per case per repetition (batch sizing) */
	int quiet;            /* no "unavailable" lines on stderr (the second side of a pair) */
	unsigned stack_skew;  /* bytes left unused at the top of goroutine stacks (layouts) */
};

struct gm_side_case {
	const char *name;     /* suite/transition/variant */
	const char *unit;     /* the counter's unit, or "ns" for cases timed with the clock */
	long batch;           /* operations per measurement, sized by a trial */
};

struct gm_side_result {
	double ticks, ns;     /* for the n operations */
	double instructions;  /* retired instructions for the n ops, NAN where not counted */
	int rc;               /* 0, or the measurement failed with err */
	char err[160];
};

struct gm_side {
	int version;
	const char *port;
	const char *git_rev;
	size_t ncases;
	const struct gm_side_case *cases;
	const struct gm_counter *counter;
	size_t ncontext;
	const char *const *context;   /* key0, value0, key1, value1, ...: the side's build, counter */
	const char *unavailable;      /* "case: why; ..." or "" */
	/* Entries: only from inside host->ready, on the thread that called gm_side_main. */
	void (*measure)(size_t i, long n, struct gm_side_result *r);
	void (*canary)(struct gm_canary *c);
	void (*enter)(void);          /* re-assert per-thread state after the other side ran */
	int (*probes_run)(const char *dir);
};

struct gm_side_host {
	int version;
	struct gm_side_opts opts;
	/* called on the side's main goroutine through cgocall; its result is gm_side_main's */
	int (*ready)(const struct gm_side *side, void *arg);
	void *arg;
};

/* C ABI (callee-saved registers, the g/m registers included, are preserved): start the
 * side on this thread and call host->ready.  Returns ready's result, or GM_SIDE_NOCASE
 * (nothing matches the filter) or GM_SIDE_NOCOUNTER (the forced counter cannot work). */
#define GM_SIDE_NOCASE (-2)
#define GM_SIDE_NOCOUNTER (-3)
int gm_side_main(const struct gm_side_host *host);

#endif
