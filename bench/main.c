/*
 * main.c — gmbench: the benchmark binary (Go side).
 *
 * Start-up as a Go program: m0/g0, then a main goroutine that calls into C (Google
 * Benchmark, through the shim) with cgocall; every measurement comes back into Go with
 * crosscall2 + cgocallback, so the measuring code runs on a goroutine as it would in
 * the runtime being modelled.
 *
 * Usage: gmbench [--quick] [--target-ms=MS] [--filter=REGEX] [--list] [--benchmark_* ...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

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
static double measure_instr;	/* retired instructions of the last batch measurement */
static regex_t filter_re;
static int have_filter, list_only, probes_only;
static char unavail_list[8192];
static size_t unavail_len;
static int ncases;

/* ---- registration ---- */

struct batch_case {
	gm_batch_fn run;
	void *ctx;
	char name[160];
	unsigned probe_start, probe_end;
	struct batch_case *next;
};
static struct batch_case *cases, **cases_tail = &cases, *last_case;

static int measure_batch(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen)
{
	struct batch_case *c = ctx;
	(void)err; (void)errlen;
	*ticks = gm_measure_batch_ex(c->run, c->ctx, n, ns, &measure_instr);
	return 0;
}

static int wanted(const char *name)
{
	return !have_filter || regexec(&filter_re, name, 0, NULL, 0) == 0;
}

void bench_add_measure(const char *suite, const char *transition, const char *variant,
		       gb_measure_fn measure, void *ctx, const char *unit, long batch)
{
	char name[160];
	snprintf(name, sizeof name, "%s/%s/%s", suite, transition, variant);
	if (!wanted(name))
		return;
	ncases++;
	if (list_only) {
		printf("%s\n", name);
		return;
	}
	gb_add(strdup(name), measure, ctx, unit, batch);
}

void bench_add(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
	       void *ctx)
{
	char name[160];
	snprintf(name, sizeof name, "%s/%s/%s", suite, transition, variant);
	if (!wanted(name))
		return;
	if (list_only) {
		ncases++;
		printf("%s\n", name);
		return;
	}
	struct batch_case *c = calloc(1, sizeof *c);
	c->run = run;
	c->ctx = ctx;
	snprintf(c->name, sizeof c->name, "%s", name);
	*cases_tail = c;
	cases_tail = &c->next;
	last_case = c;
	if (probes_only)
		return;	/* no Google Benchmark run: nothing to size */
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
	bench_add_measure(suite, transition, variant, measure_batch, c, gm_counter()->unit_name, batch);
}

void bench_probe_span(unsigned start, unsigned end)
{
	if (last_case) {
		last_case->probe_start = start;
		last_case->probe_end = end;
	}
	last_case = NULL;
}

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
int bench_probes_run(const char *dir)
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
int bench_probes_run(const char *dir)
{
	(void)dir;
	fprintf(stderr, "gmbench: --probes-out needs a PROBES=1 build (make bench PROBES=1)\n");
	return -1;
}
#endif

void bench_unavailable(const char *suite, const char *transition, const char *variant, const char *why)
{
	char name[160];
	snprintf(name, sizeof name, "%s/%s/%s", suite, transition, variant);
	if (!wanted(name))
		return;
	if (list_only) {
		printf("%s (unavailable: %s)\n", name, why);
		return;
	}
	fprintf(stderr, "gmbench: %s unavailable: %s\n", name, why);
	unavail_len += (size_t)snprintf(unavail_list + unavail_len, sizeof unavail_list - unavail_len,
					"%s%s: %s", unavail_len ? "; " : "", name, why);
	if (unavail_len >= sizeof unavail_list)
		unavail_len = sizeof unavail_list - 1;
}

/* ---- the C -> Go entry of every measurement ---- */

void gb_dispatch(void *request)
{
	struct gb_request *rq = request;
	measure_instr = NAN;	/* only batch measurements set it */
	rq->rc = rq->measure(rq->ctx, rq->n, &rq->ticks, &rq->ns, rq->err, sizeof rq->err);
	rq->instructions = measure_instr;
}

/* ---- context ---- */

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

static void cpu_model(char *buf, size_t len)
{
	char line[512];
	buf[0] = 0;
	read_first_line("/proc/device-tree/model", buf, len);
	FILE *f = fopen("/proc/cpuinfo", "r");
	char part[64] = "", impl[64] = "";
	while (f && fgets(line, sizeof line, f)) {
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = 0;
		if (!buf[0] && (!strncmp(line, "model name", 10) || !strncmp(line, "Hardware", 8)))
			snprintf(buf, len, "%s", v);
		if (!strncmp(line, "CPU part", 8) && !part[0])
			snprintf(part, sizeof part, "%s", v);
		if (!strncmp(line, "CPU implementer", 15) && !impl[0])
			snprintf(impl, sizeof impl, "%s", v);
	}
	if (f)
		fclose(f);
	if (part[0]) {
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%sCPU implementer %s part %s", l ? ", " : "", impl, part);
	}
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

static void add_context(void)
{
	const struct gm_counter *c = gm_counter();
	char buf[1024], why[200];
	struct utsname u;
	uname(&u);
	gb_add_context("gm_port", gm_port_name());
	gb_add_context("gm_git_rev", GM_GIT_REV);
	gb_add_context("gm_compiler", "gcc " __VERSION__);
	gb_add_context("gm_cflags", GM_CFLAGS);
	snprintf(buf, sizeof buf, "%s %s %s", u.sysname, u.release, u.machine);
	gb_add_context("gm_kernel", buf);
	cpu_model(buf, sizeof buf);
	gb_add_context("gm_cpu", buf);
	read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof buf);
	gb_add_context("gm_governor", buf[0] ? buf : "unreadable (no cpufreq)");
	gb_add_context("gm_counter", c->name);
	gb_add_context("gm_counter_unit", c->unit_name);
	gb_add_context("gm_counter_desc", c->desc);
	snprintf(buf, sizeof buf, "%.6f", c->ticks_per_ns * 1000);
	gb_add_context("gm_counter_mhz", buf);
	snprintf(buf, sizeof buf, "%.4f", c->cycles_per_tick);
	gb_add_context("gm_cycles_per_tick", buf);
	snprintf(buf, sizeof buf, "%.1f", c->cycles_per_tick * c->ticks_per_ns * 1000);
	gb_add_context("gm_core_mhz_estimate", buf);
	snprintf(buf, sizeof buf, "%.1f", c->read_overhead);
	gb_add_context("gm_counter_read_overhead", buf);
	snprintf(buf, sizeof buf, "%.1f", c->resolution);
	gb_add_context("gm_counter_resolution", buf);
	gb_add_context("gm_counter_rejected", c->why_not[0] ? c->why_not : "none");
	gb_add_context("gm_instructions", c->read_instructions ? c->instructions_desc :
			"not counted: no perf hardware events here");
	gb_add_context("gm_method", "N vs 2N differencing per measurement: (t(2n) - t(n)) / n; manual time");
	int emu = gm_emulated(why, sizeof why);
	gb_add_context("gm_emulated", emu ? why : "no");
#ifdef GM_PROBES
	gb_add_context("gm_probes", "yes: PROBES=1 build, the timings include the probes' own cost");
#else
	gb_add_context("gm_probes", "no");
#endif
	gb_add_context("gm_unavailable", unavail_list[0] ? unavail_list : "none");
}

/* ---- main goroutine: cgocall into Google Benchmark ---- */

struct gbargs { int argc; char **argv; int rc; const char *probes_out; };

static void register_suites(void)
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

static int c_gb_run(void *arg)
{
	struct gbargs *a = arg;
	a->rc = gb_run(a->argc, a->argv);
	return 0;
}

/* Registration runs here, on a goroutine: sizing a batch runs it, and most batches
 * must start on a goroutine (they switch, call C, call back). */
static void bench_main(void *arg)
{
	struct gbargs *ga = arg;
	register_suites();
	if (list_only)
		return;
	if (!ncases) {
		fprintf(stderr, "gmbench: no benchmark matches the filter\n");
		ga->rc = -2;
		return;
	}
	if (probes_only) {	/* the latency pass alone (make bench runs it from the PROBES build) */
		if (bench_probes_run(ga->probes_out) != 0)
			ga->rc = -3;
		return;
	}
	add_context();
	gm_cgocall(c_gb_run, arg);
	if (ga->rc >= 0 && ga->probes_out && bench_probes_run(ga->probes_out) != 0)
		ga->rc = -3;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--quick] [--target-ms=MS] [--filter=REGEX] [--list] [--probes-out=DIR [--probes-only]]\n"
		"       [--benchmark_* flags]\n"
		"  env GM_COUNTER=perf|pmccntr|tsc|cntvct|clock forces a counter backend\n", argv0);
}

int main(int argc, char **argv)
{
	char **gbargv = calloc((size_t)argc + 3, sizeof *gbargv);
	const char *probes_out = NULL;
	int quick = 0;
	int gbargc = 0;
	gbargv[gbargc++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick"))
			quick = 1;
		else if (!strncmp(a, "--target-ms=", 12))
			bench_cfg.target_ms = atof(a + 12);
		else if (!strcmp(a, "--list"))
			list_only = 1;
		else if (!strncmp(a, "--probes-out=", 13))
			probes_out = a + 13;
		else if (!strcmp(a, "--probes-only"))
			probes_only = 1;
		else if (!strncmp(a, "--filter=", 9)) {
			if (regcomp(&filter_re, a + 9, REG_EXTENDED | REG_NOSUB) != 0) {
				fprintf(stderr, "gmbench: bad --filter regex '%s'\n", a + 9);
				return 2;
			}
			/* only matching cases are registered, so Google Benchmark needs no filter
			 * (its names carry a "/manual_time" suffix an anchored regex would miss) */
			have_filter = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(argv[0]);
			return 0;
		} else if (!strncmp(a, "--benchmark_", 12))
			gbargv[gbargc++] = argv[i];
		else {
			usage(argv[0]);
			return 2;
		}
	}
	if (quick && bench_cfg.target_ms > 5)
		bench_cfg.target_ms = 5;
	int have_min_time = 0;
	for (int i = 1; i < gbargc; i++)
		have_min_time |= !strncmp(gbargv[i], "--benchmark_min_time", 20);
	if (!have_min_time) {
		/* measured time per benchmark per repetition */
		char *f = malloc(64);
		snprintf(f, 64, "--benchmark_min_time=%g", bench_cfg.target_ms / 1000);
		gbargv[gbargc++] = f;
	}
	gm_runtime_init();
	if (gm_counter_init(getenv("GM_COUNTER")) != 0)
		return 2;
	const struct gm_counter *c = gm_counter();
	if (probes_only && !probes_out) {
		fprintf(stderr, "gmbench: --probes-only needs --probes-out=DIR\n");
		return 2;
	}
	if (!list_only && !probes_only) {
		char why[200];
		fprintf(stderr, "gmbench: %s port, counter %s (%s), %.3f MHz, %.3f cycles/tick (estimated%s)\n",
			gm_port_name(), c->name, c->desc, c->ticks_per_ns * 1000, c->cycles_per_tick,
			c->unit == GM_UNIT_CYCLES ? ": it counts cycles" : " from a dependent-add chain");
		if (gm_emulated(why, sizeof why))
			fprintf(stderr, "gmbench: WARNING: %s: the timings are emulation timings, NOT hardware "
					"figures (use make pathlen for exact instruction counts)\n", why);
		fprintf(stderr, "gmbench: sizing batches...\n");
	}
	struct gbargs ga = { gbargc, gbargv, 0, probes_out };
	gm_run(bench_main, &ga);
	return ga.rc < 0 ? 2 : 0;	/* -1: bad flags, -2: nothing to run */
}
