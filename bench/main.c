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
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

#ifndef GM_GIT_REV
#define GM_GIT_REV "unknown"
#endif
#ifndef GM_CFLAGS
#define GM_CFLAGS ""
#endif

struct bench_config bench_cfg = { .target_ms = 25 };
static regex_t filter_re;
static int have_filter, list_only;
static char unavail_list[8192];
static size_t unavail_len;
static int ncases;

/* ---- registration ---- */

struct batch_case {
	gm_batch_fn run;
	void *ctx;
};

static int measure_batch(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen)
{
	struct batch_case *c = ctx;
	(void)err; (void)errlen;
	*ticks = gm_measure_batch(c->run, c->ctx, n, ns);
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
	rq->rc = rq->measure(rq->ctx, rq->n, &rq->ticks, &rq->ns, rq->err, sizeof rq->err);
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
	gb_add_context("gm_method", "N vs 2N differencing per measurement: (t(2n) - t(n)) / n; manual time");
	int emu = gm_emulated(why, sizeof why);
	gb_add_context("gm_emulated", emu ? why : "no");
	gb_add_context("gm_unavailable", unavail_list[0] ? unavail_list : "none");
}

/* ---- main goroutine: cgocall into Google Benchmark ---- */

struct gbargs { int argc; char **argv; int rc; };

static void register_suites(void)
{
	suite_counter();
	suite_tls();
	suite_switch();
	suite_cgocall();
	suite_callback();
	suite_thread();
	suite_signal();
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
	add_context();
	gm_cgocall(c_gb_run, arg);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--quick] [--target-ms=MS] [--filter=REGEX] [--list] [--benchmark_* flags]\n"
		"  env GM_COUNTER=perf|pmccntr|tsc|cntvct|clock forces a counter backend\n", argv0);
}

int main(int argc, char **argv)
{
	char **gbargv = calloc((size_t)argc + 3, sizeof *gbargv);
	int gbargc = 0;
	gbargv[gbargc++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick"))
			bench_cfg.quick = 1;
		else if (!strncmp(a, "--target-ms=", 12))
			bench_cfg.target_ms = atof(a + 12);
		else if (!strcmp(a, "--list"))
			list_only = 1;
		else if (!strncmp(a, "--filter=", 9)) {
			if (regcomp(&filter_re, a + 9, REG_EXTENDED | REG_NOSUB) != 0) {
				fprintf(stderr, "gmbench: bad --filter regex '%s'\n", a + 9);
				return 2;
			}
			have_filter = 1;
			/* Google Benchmark filters the same names */
			char *f = malloc(strlen(a) + 32);
			sprintf(f, "--benchmark_filter=%s", a + 9);
			gbargv[gbargc++] = f;
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
	if (bench_cfg.quick && bench_cfg.target_ms > 5)
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
	if (!list_only) {
		char why[200];
		fprintf(stderr, "gmbench: %s port, counter %s (%s), %.3f MHz, %.3f cycles/tick (estimated%s)\n",
			gm_port_name(), c->name, c->desc, c->ticks_per_ns * 1000, c->cycles_per_tick,
			c->unit == GM_UNIT_CYCLES ? ": it counts cycles" : " from a dependent-add chain");
		if (gm_emulated(why, sizeof why))
			fprintf(stderr, "gmbench: WARNING: %s: the timings are emulation timings, NOT hardware "
					"figures (use make pathlen for exact instruction counts)\n", why);
		fprintf(stderr, "gmbench: sizing batches...\n");
	}
	struct gbargs ga = { gbargc, gbargv, 0 };
	gm_run(bench_main, &ga);
	return ga.rc < 0 ? 2 : 0;	/* -1: bad flags, -2: nothing to run */
}
