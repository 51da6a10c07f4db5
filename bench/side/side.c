/*
 * side.c — the measured side of gmbench (Go side): registration of the suites' cases,
 * batch sizing, the measurement entry a host calls, the latency-probe pass, and
 * gm_side_main (see side.h for the protocol).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"
#include "side.h"
#include "../../core/runtime.h"

#ifdef GM_PROBES
#include "counter.h"
#endif

#ifndef GM_GIT_REV
#define GM_GIT_REV "unknown"
#endif
#ifndef GM_CFLAGS
#define GM_CFLAGS ""
#endif

struct bench_config bench_cfg = { .target_ms = 25 };

static const struct gm_side_opts *opts;
static regex_t filter_re;
static int have_filter;
static char unavail_list[8192];
static size_t unavail_len;
static int nmatched;

/* ---- registration ---- */

struct batch_case {
	char name[160];
	gm_batch_fn run;            /* a batch case, or */
	bench_measure_fn measure;   /* a case with its own timing loop */
	void *ctx;
	const char *unit;
	long batch;
	unsigned probe_start, probe_end;
	struct batch_case *next;
};
static struct batch_case *cases, **cases_tail = &cases, *last_case;
static size_t ncases;

static int wanted(const char *name)
{
	return !have_filter || regexec(&filter_re, name, 0, NULL, 0) == 0;
}

/* A case named suite/transition/variant, if the filter wants it and this is no --list
 * run (which prints the name instead); NULL otherwise. */
static struct batch_case *add_case(const char *suite, const char *transition, const char *variant)
{
	char name[160];
	snprintf(name, sizeof name, "%s/%s/%s", suite, transition, variant);
	if (!wanted(name))
		return NULL;
	nmatched++;
	if (opts->list_only) {
		printf("%s\n", name);
		return NULL;
	}
	struct batch_case *c = calloc(1, sizeof *c);
	if (!c)
		gm_fatal("out of memory");
	snprintf(c->name, sizeof c->name, "%s", name);
	*cases_tail = c;
	cases_tail = &c->next;
	ncases++;
	return c;
}

void bench_add_measure(const char *suite, const char *transition, const char *variant,
		       bench_measure_fn measure, void *ctx, const char *unit, long batch)
{
	struct batch_case *c = add_case(suite, transition, variant);
	if (!c)
		return;
	c->measure = measure;
	c->ctx = ctx;
	c->unit = unit;
	c->batch = batch < 1 ? 1 : batch;
	last_case = NULL;
}

void bench_add(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
	       void *ctx)
{
	struct batch_case *c = add_case(suite, transition, variant);
	if (!c)
		return;
	c->run = run;
	c->ctx = ctx;
	c->unit = gm_counter()->unit_name;
	last_case = c;
	if (opts->probes_only)
		return;	/* no timed run: nothing to size */
	/* Size the batch from a trial: ~0.2 ms of operations per measurement. */
	long n = 8;
	double ns = 0;
	for (;;) {
		gm_measure_batch(run, ctx, n, NULL);	/* warm up */
		double t = 0;
		gm_measure_batch(run, ctx, n, &t);
		ns = t;
		if (ns * 3 > 2e6 || n >= (1L << 26))
			break;
		n *= 4;
	}
	double per = ns > 0 ? ns / (double)n : 0.05;
	if (per < 0.05)
		per = 0.05;
	long batch = (long)(2e5 / per);
	if (batch < 1)
		batch = 1;
	if (batch > (1L << 24))
		batch = 1L << 24;
	c->batch = batch;
}

/* The timed run names cases only; the flags are for make pathlen (bench/side/pathlen.c). */
void bench_flags(unsigned flags)
{
	(void)flags;
}

void bench_probe_span(unsigned start, unsigned end)
{
	if (last_case) {
		last_case->probe_start = start;
		last_case->probe_end = end;
	}
	last_case = NULL;
}

void bench_unavailable(const char *suite, const char *transition, const char *variant, const char *why)
{
	char name[160];
	snprintf(name, sizeof name, "%s/%s/%s", suite, transition, variant);
	if (!wanted(name))
		return;
	if (opts->list_only) {
		printf("%s (unavailable: %s)\n", name, why);
		return;
	}
	if (!opts->quiet)
		fprintf(stderr, "gmbench: %s unavailable: %s\n", name, why);
	unavail_len += (size_t)snprintf(unavail_list + unavail_len, sizeof unavail_list - unavail_len,
					"%s%s: %s", unavail_len ? "; " : "", name, why);
	if (unavail_len >= sizeof unavail_list)
		unavail_len = sizeof unavail_list - 1;
}

/* ---- context ---- */

enum { MAXCTX = 48 };
static const char *ctx_kv[2 * MAXCTX];
static size_t nctx;

void bench_add_context(const char *key, const char *value)
{
	if (nctx == MAXCTX)
		return;
	ctx_kv[2 * nctx] = strdup(key);
	ctx_kv[2 * nctx + 1] = strdup(value);
	nctx++;
}

static void ctx_printf(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ctx_printf(const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	bench_add_context(key, buf);
}

static void side_context(void)
{
	const struct gm_counter *c = gm_counter();
	char why[200];
	struct utsname u;
	uname(&u);
	bench_add_context("gm_port", gm_port_name());
	bench_add_context("gm_git_rev", GM_GIT_REV);
	bench_add_context("gm_compiler", "gcc " __VERSION__);
	bench_add_context("gm_cflags", GM_CFLAGS);
	ctx_printf("gm_kernel", "%s %s %s", u.sysname, u.release, u.machine);
	bench_add_context("gm_counter", c->name);
	bench_add_context("gm_counter_unit", c->unit_name);
	bench_add_context("gm_counter_desc", c->desc);
	ctx_printf("gm_counter_mhz", "%.6f", c->ticks_per_ns * 1000);
	ctx_printf("gm_cycles_per_tick", "%.4f", c->cycles_per_tick);
	ctx_printf("gm_core_mhz_estimate", "%.1f", c->cycles_per_tick * c->ticks_per_ns * 1000);
	ctx_printf("gm_counter_read_overhead", "%.1f", c->read_overhead);
	ctx_printf("gm_counter_resolution", "%.1f", c->resolution);
	bench_add_context("gm_counter_rejected", c->why_not[0] ? c->why_not : "none");
	bench_add_context("gm_instructions", c->read_instructions ? c->instructions_desc :
			  "not counted: no perf hardware events here");
	bench_add_context("gm_method", "N vs 2N differencing per measurement: (t(2n) - t(n)) / n; ns from "
			  "CLOCK_MONOTONIC_RAW read at the same points; manual time");
	int emu = gm_emulated(why, sizeof why);
	bench_add_context("gm_emulated", emu ? why : "no");
#ifdef GM_PROBES
	bench_add_context("gm_probes", "yes: PROBES=1 build, the timings include the probes' own cost");
#else
	bench_add_context("gm_probes", "no");
#endif
	bench_add_context("gm_unavailable", unavail_list[0] ? unavail_list : "none");
}

/* ---- latency probes ---- */

#ifdef GM_PROBES
static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

struct edge { unsigned from, to; int64_t *v; size_t n, cap; };

static void edge_add(struct edge *e, int64_t v)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 1024;
		e->v = realloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = v;
}

static int64_t pct(const int64_t *sorted, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

/* Run each probed case with the ring on; an operation is the records from its start
 * edge to its end edge; each consecutive pair is an edge, minus the probe's own cost. */
static int probes_run_go(const char *dir)
{
	static struct gm_probe_ring ring;
	enum { OPS = 4000 };
	char p1[4096], p2[4096], t1[4096], t2[4096];
	snprintf(p1, sizeof p1, "%s/edges.csv", dir);
	snprintf(p2, sizeof p2, "%s/edges-summary.csv", dir);
	snprintf(t1, sizeof t1, "%s/.edges.csv.tmp", dir);
	snprintf(t2, sizeof t2, "%s/.edges-summary.csv.tmp", dir);
	FILE *f1 = fopen(t1, "w"), *f2 = fopen(t2, "w");
	if (!f1 || !f2) {
		fprintf(stderr, "gmbench: cannot write probe files in %s\n", dir);
		return -1;
	}
	const char *unit = GM_PROBE_UNIT;
	/* the probe's own cost: two probes back to back */
	gm_probe_ringp = &ring;
	ring.pos = 0;
	for (int i = 0; i < 1000; i++) {
		GM_PROBE(PR_GO_CALL);
		GM_PROBE(PR_GO_BACK);
	}
	gm_probe_ringp = NULL;
	int64_t cost[1000];
	for (int i = 0; i < 1000; i++)
		cost[i] = (int64_t)(ring.rec[2 * i + 1].t - ring.rec[2 * i].t);
	qsort(cost, 1000, sizeof cost[0], cmp_i64);
	int64_t probe_cost = cost[500];
	fprintf(stderr, "gmbench: probes: one probe costs %lld %s (median of 1000)\n", (long long)probe_cost, unit);
	fprintf(f1, "benchmark,edge,unit,value\n");
	fprintf(f2, "benchmark,edge,unit,n,p50,p90,p99,p99.9,max,probe_cost\n");
	for (struct batch_case *c = cases; c; c = c->next) {
		if (!c->probe_start)
			continue;
		c->run(c->ctx, 64);	/* warm up with the ring off */
		ring.pos = 0;
		gm_probe_ringp = &ring;
		c->run(c->ctx, OPS);
		gm_probe_ringp = NULL;
		size_t nrec = ring.pos < GM_PROBE_CAP ? ring.pos : GM_PROBE_CAP;
		struct edge edges[64];
		size_t nedges = 0;
		struct edge total = { 0 };
		for (size_t i = 0; i < nrec; i++) {
			if (ring.rec[i].id != c->probe_start)
				continue;
			size_t j = i + 1;
			while (j < nrec && ring.rec[j].id != c->probe_end && ring.rec[j].id != c->probe_start)
				j++;
			if (j >= nrec || ring.rec[j].id != c->probe_end)
				continue;	/* an operation cut by the ring's end */
			for (size_t k = i; k < j; k++) {
				unsigned a = (unsigned)ring.rec[k].id, b = (unsigned)ring.rec[k + 1].id;
				size_t e = 0;
				while (e < nedges && !(edges[e].from == a && edges[e].to == b))
					e++;
				if (e == nedges) {
					if (nedges == 64)
						continue;
					edges[nedges++] = (struct edge){ a, b, NULL, 0, 0 };
				}
				edge_add(&edges[e], (int64_t)(ring.rec[k + 1].t - ring.rec[k].t) - probe_cost);
			}
			edge_add(&total, (int64_t)(ring.rec[j].t - ring.rec[i].t) - probe_cost * (int64_t)(j - i));
			i = j;
		}
		for (size_t e = 0; e <= nedges; e++) {
			struct edge *E = e < nedges ? &edges[e] : &total;
			char en[80];
			if (e < nedges)
				snprintf(en, sizeof en, "%s>%s", gm_probe_name(E->from), gm_probe_name(E->to));
			else
				snprintf(en, sizeof en, "total");
			if (!E->n)
				continue;
			for (size_t k = 0; k < E->n; k++)
				fprintf(f1, "%s,%s,%s,%lld\n", c->name, en, unit, (long long)E->v[k]);
			qsort(E->v, E->n, sizeof E->v[0], cmp_i64);
			fprintf(f2, "%s,%s,%s,%zu,%lld,%lld,%lld,%lld,%lld,%lld\n", c->name, en, unit, E->n,
				(long long)pct(E->v, E->n, .5), (long long)pct(E->v, E->n, .9),
				(long long)pct(E->v, E->n, .99), (long long)pct(E->v, E->n, .999),
				(long long)E->v[E->n - 1], (long long)probe_cost);
			free(E->v);
		}
		fprintf(stderr, "gmbench: probes: %s: %zu operations\n", c->name, total.n);
	}
	if (fclose(f1) != 0 || fclose(f2) != 0 || rename(t1, p1) != 0 || rename(t2, p2) != 0) {
		fprintf(stderr, "gmbench: writing the probe files failed\n");
		unlink(t1);
		unlink(t2);
		return -1;
	}
	return 0;
}
#else
static int probes_run_go(const char *dir)
{
	(void)dir;
	fprintf(stderr, "gmbench: --probes-out needs a PROBES=1 build (make bench PROBES=1)\n");
	return -1;
}
#endif

/* ---- the entries (C -> Go through crosscall2) ---- */

static struct batch_case **case_index;
static struct gm_side_case *side_cases;
static struct gm_m *side_m;

struct measure_req {
	struct batch_case *c;
	long n;
	struct gm_side_result *r;
};

/* On the main goroutine: one measurement. */
static void measure_go(void *p)
{
	struct measure_req *rq = p;
	struct gm_side_result *r = rq->r;
	struct batch_case *c = rq->c;
	r->rc = 0;
	r->err[0] = 0;
	if (c->run) {
		struct gm_sample s;
		gm_measure(c->run, c->ctx, rq->n, &s);
		r->ticks = s.ticks;
		r->ns = s.ns;
		r->instructions = s.instructions;
	} else {
		r->instructions = NAN;
		r->rc = c->measure(c->ctx, rq->n, &r->ticks, &r->ns, r->err, sizeof r->err);
	}
}

static void side_measure(size_t i, long n, struct gm_side_result *r)
{
	struct measure_req rq = { case_index[i], n, r };
	gm_crosscall2(measure_go, &rq);
}

struct probes_req { const char *dir; int rc; };

static void probes_go(void *p)
{
	struct probes_req *rq = p;
	rq->rc = probes_run_go(rq->dir);
}

static int side_probes_run(const char *dir)
{
	struct probes_req rq = { dir, -1 };
	gm_crosscall2(probes_go, &rq);
	return rq.rc;
}

/* Thread state that the other side of a pair overwrites: the signal stack (each side's
 * m has its own gsignal) and the port's per-thread TLS registers (arm32 TPIDRURW). */
static void side_enter(void)
{
	gm_signal_minit(side_m);
	gm_tls_port_thread_init();
}

/* ---- start-up ---- */

struct side_state {
	const struct gm_side_host *host;
	int rc;
};

static int c_ready(void *arg)
{
	struct side_state *st = arg;
	static struct gm_side side;
	side.version = GM_SIDE_VERSION;
	side.port = gm_port_name();
	side.git_rev = GM_GIT_REV;
	side.ncases = ncases;
	side.cases = side_cases;
	side.counter = gm_counter();
	side.ncontext = nctx;
	side.context = ctx_kv;
	side.unavailable = unavail_list;
	side.measure = side_measure;
	side.canary = gm_canary_measure;
	side.enter = side_enter;
	side.probes_run = side_probes_run;
	st->rc = st->host->ready(&side, st->host->arg);
	return 0;
}

static void suites(void)
{
	suite_counter();
	suite_tls();
	suite_switch();
	suite_cgocall();
	suite_callback();
	suite_thread();
	suite_signal();
	suite_peer();	/* only with GM_PEERS=1 (make bench PEERS=1) */
}

/* Registration runs on a goroutine: sizing a batch runs it, and most batches must
 * start on a goroutine (they switch, call C, call back). */
static void side_main_goroutine(void *arg)
{
	struct side_state *st = arg;
	suites();
	if (!nmatched) {
		if (!opts->list_only)
			fprintf(stderr, "gmbench: no benchmark matches the filter\n");
		st->rc = GM_SIDE_NOCASE;
		return;
	}
	case_index = calloc(ncases + 1, sizeof *case_index);
	side_cases = calloc(ncases + 1, sizeof *side_cases);
	size_t i = 0;
	for (struct batch_case *c = cases; c; c = c->next, i++) {
		case_index[i] = c;
		side_cases[i] = (struct gm_side_case){ c->name, c->unit, c->batch };
	}
	side_context();
	gm_cgocall(c_ready, st);
}

static int side_main_go(void *arg)
{
	struct side_state st = { arg, 0 };
	opts = &st.host->opts;
	if (opts->target_ms > 0)
		bench_cfg.target_ms = opts->target_ms;
	if (opts->filter && *opts->filter) {
		if (regcomp(&filter_re, opts->filter, REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, "gmbench: bad filter regex '%s'\n", opts->filter);
			return GM_SIDE_NOCASE;
		}
		have_filter = 1;
	}
	side_m = gm_runtime_init();
	gm_set_stack_skew(opts->stack_skew);
	if (gm_counter_init(getenv("GM_COUNTER")) != 0)
		return GM_SIDE_NOCOUNTER;
	gm_run(side_main_goroutine, &st);
	return st.rc;
}

int gm_side_main(const struct gm_side_host *host)
{
	if (host->version != GM_SIDE_VERSION) {
		fprintf(stderr, "gmbench: side API version %d, host speaks %d\n", GM_SIDE_VERSION, host->version);
		return GM_SIDE_NOCASE;
	}
	/* the Go side never preserves the g (and m) registers: a C caller needs them back */
	return gm_enter_goside(side_main_go, (void *)host);
}
