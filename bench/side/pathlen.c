/*
 * pathlen.c — gmpathlen-driver: the batch functions of the suites between region markers,
 * for exact instruction counts (make pathlen).  Go side, built like bench/.
 *
 * It links the suites' own objects (bench/side/suite_*.c) and stands in for the harness: its
 * bench_add() records each case's batch function run(ctx, n) instead of timing it.  A
 * counted case then runs, on a goroutine as in gmbench:
 *
 *     warm-up: run(ctx, K); run(ctx, 2K)           (lazy binding, first-call paths)
 *     REPS times: region(K); region(2K)             region(n) = gm_pl_begin(); run(ctx, n); gm_pl_end()
 *
 * and an outside counter (QEMU's exec trace, callgrind) counts the instructions of each
 * region; (I(2K) - I(K)) / K is the exact path length of one operation: the markers,
 * the call of run and its loop set-up are the same in both and cancel.
 *
 *   gmpathlen-driver --list [--run REGEX] [--exclude REGEX]
 *   gmpathlen-driver --run REGEX [--exclude REGEX] --k K --reps R [--out FILE]
 *
 * Output lines (tab-separated): "case NAME SUITE TRANSITION VARIANT FLAGS MEASURE UNIT",
 * "unavailable NAME WHY", "context KEY VALUE", and with --run one "region NAME N" per
 * region, in order.
 * MEASURE says whose instructions make an operation: "self" (the calling thread) or
 * "thread" (the new thread inside gm_thread_entry, or the port's other entry:
 * thread/start/<v>).  FLAGS: what the suite said with bench_flags (seed, gotoday).  UNIT: operations
 * per repeating unit (2 for the switch cases and the switch peers: a round trip is two
 * different switches).
 * Environment: PL_MAPS=FILE copies /proc/self/maps there before the first region (the
 * counter names code in shared objects from it).
 */
#define _GNU_SOURCE
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "marks.h"

struct bench_config bench_cfg = { .target_ms = 1 };

#define PL_MAXCASES 512

struct plcase {
	char name[160];
	char suite[32], transition[48], variant[48];
	char flags[64];
	const char *measure;
	gm_batch_fn run;
	void *ctx;
};

static struct plcase cases[PL_MAXCASES];
static int ncases;
static char *unavail[PL_MAXCASES];
static int nunavail;
static struct plcase *last_added;	/* what bench_flags applies to */

/* The flags the suite gave the case (bench_flags), as the report reads them. */
static void flags_text(unsigned flags, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", (flags & GM_VF_SEED2012) ? "seed," : "",
		 (flags & GM_VF_GOTODAY) ? "gotoday," : "", (flags & GM_VF_BROKEN) ? "broken," : "");
	size_t l = strlen(buf);
	if (l)
		buf[l - 1] = 0;
	else
		snprintf(buf, len, "-");
}

static void add_case(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
		     void *ctx, const char *measure)
{
	if (ncases == PL_MAXCASES) {
		fprintf(stderr, "gmpathlen-driver: more than %d cases\n", PL_MAXCASES);
		exit(2);
	}
	struct plcase *c = &cases[ncases++];
	snprintf(c->name, sizeof c->name, "%s/%s/%s", suite, transition, variant);
	snprintf(c->suite, sizeof c->suite, "%s", suite);
	snprintf(c->transition, sizeof c->transition, "%s", transition);
	snprintf(c->variant, sizeof c->variant, "%s", variant);
	flags_text(0, c->flags, sizeof c->flags);
	c->measure = measure;
	c->run = run;
	c->ctx = ctx;
	last_added = c;
}

/* ---- the harness interface the suites call ---- */

void bench_add(const char *suite, const char *transition, const char *variant, gm_batch_fn run,
	       void *ctx)
{
	add_case(suite, transition, variant, run, ctx, "self");
}

void bench_add_measure(const char *suite, const char *transition, const char *variant,
		       bench_measure_fn measure, void *ctx, const char *unit, long batch)
{
	/* Cases with their own timing loop are not batches; the driver has its own
	 * thread-start case (below) and registers no suite that uses this. */
	(void)suite; (void)transition; (void)variant; (void)measure; (void)ctx; (void)unit; (void)batch;
	last_added = NULL;
}

/* Context a suite records (suite_peer: the Boost.Context used), listed as "context" lines. */
static char *contexts[8];
static int ncontexts;

void bench_add_context(const char *key, const char *value)
{
	if (ncontexts < 8 && asprintf(&contexts[ncontexts], "%s\t%s", key, value) > 0)
		ncontexts++;
}

/* Flags of the last case added, as its suite says (never inherited by name). */
void bench_flags(unsigned flags)
{
	if (last_added)
		flags_text(flags, last_added->flags, sizeof last_added->flags);
	last_added = NULL;
}

/* Probes (PROBES=1 builds) time edges; path lengths count instructions: nothing to do. */
void bench_probe_span(unsigned start, unsigned end)
{
	(void)start; (void)end;
}

void bench_unavailable(const char *suite, const char *transition, const char *variant, const char *why)
{
	last_added = NULL;
	if (nunavail == PL_MAXCASES)
		return;
	if (asprintf(&unavail[nunavail], "%s/%s/%s\t%s", suite, transition, variant, why) > 0)
		nunavail++;
}

/* ---- thread start: the new thread's path through gm_thread_entry (or a port's other
 * thread entry: ctx, for gm_thread_entry_fn) ---- */

static void thread_first(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
}

static void run_newm(void *ctx, long n)
{
	void (*saved)(void (*)(void), struct gm_m *, struct gm_g *) = gm_thread_entry_fn;
	if (ctx)
		gm_thread_entry_fn = (void (*)(void (*)(void), struct gm_m *, struct gm_g *))ctx;
	for (long i = 0; i < n; i++) {
		int done = 0;
		struct gm_m *mp;
		int e = gm_newm(thread_first, &done, &mp);
		if (e) {
			fprintf(stderr, "gmpathlen-driver: gm_newm failed (%d)\n", e);
			exit(2);
		}
		while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
			;
		gm_joinm(mp);
	}
	gm_thread_entry_fn = saved;
}

/* ---- main goroutine ---- */

struct args {
	int list;
	const char *re, *exclude;
	long k, reps;
	const char *out;
	int rc;
};

static __attribute__((noinline)) void region(const struct plcase *c, long n)
{
	gm_pl_begin();
	c->run(c->ctx, n);
	gm_pl_end();
}

static void copy_maps(void)
{
	const char *path = getenv("PL_MAPS");
	if (!path || !*path)
		return;
	FILE *in = fopen("/proc/self/maps", "r"), *out = fopen(path, "w");
	char buf[4096];
	size_t r;
	while (in && out && (r = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, r, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

static void pl_main(void *arg)
{
	struct args *a = arg;
	suite_counter();
	suite_tls();
	suite_switch();
	suite_cgocall();
	suite_callback();
	suite_signal();
	suite_peer();	/* with GM_PEERS=1 (scripts/pathlen.sh): the C switch libraries and floors */
	add_case("thread", "start", "newm", run_newm, NULL, "thread");
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "thread", "entry")); ) {
		if (!bench_runs_here(v, "thread", "start", NULL))
			continue;
		add_case("thread", "start", v->name, run_newm, v->fn, "thread");
		bench_flags(v->flags);
	}

	FILE *out = stdout;
	if (a->out && !(out = fopen(a->out, "w"))) {
		perror(a->out);
		a->rc = 2;
		return;
	}
	regex_t re;
	regex_t ex;
	if (a->exclude && regcomp(&ex, a->exclude, REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "gmpathlen-driver: bad regex '%s'\n", a->exclude);
		a->rc = 2;
		return;
	}
	if (a->re && regcomp(&re, a->re, REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "gmpathlen-driver: bad regex '%s'\n", a->re);
		a->rc = 2;
		return;
	}
	int matched = 0;
	for (int i = 0; i < ncases; i++) {
		const struct plcase *c = &cases[i];
		if ((a->re && regexec(&re, c->name, 0, NULL, 0) != 0) ||
		    (a->exclude && regexec(&ex, c->name, 0, NULL, 0) == 0))
			continue;
		matched++;
		/* ops per repeating unit: a switch round trip is two (different) switches */
		int switches = !strcmp(c->suite, "switch") || !strcmp(c->transition, "switch");
		fprintf(out, "case\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", c->name, c->suite, c->transition, c->variant,
			c->flags, c->measure, switches ? 2 : 1);
	}
	for (int i = 0; i < nunavail; i++) {
		char name[200];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(unavail[i], "\t"), unavail[i]);
		if ((!a->re || regexec(&re, name, 0, NULL, 0) == 0) &&
		    (!a->exclude || regexec(&ex, name, 0, NULL, 0) != 0))
			fprintf(out, "unavailable\t%s\n", unavail[i]);
	}
	for (int i = 0; i < ncontexts; i++)
		fprintf(out, "context\t%s\n", contexts[i]);
	if (!matched) {
		fprintf(stderr, "gmpathlen-driver: no case matches '%s'\n", a->re ? a->re : "");
		a->rc = 2;
	}
	if (a->list || !matched) {
		if (out != stdout)
			fclose(out);
		return;
	}
	fflush(out);
	copy_maps();
	for (int i = 0; i < ncases; i++) {
		const struct plcase *c = &cases[i];
		if ((a->re && regexec(&re, c->name, 0, NULL, 0) != 0) ||
		    (a->exclude && regexec(&ex, c->name, 0, NULL, 0) == 0))
			continue;
		c->run(c->ctx, a->k);		/* warm-up */
		c->run(c->ctx, 2 * a->k);
		for (long r = 0; r < a->reps; r++) {
			region(c, a->k);
			fprintf(out, "region\t%s\t%ld\n", c->name, a->k);
			region(c, 2 * a->k);
			fprintf(out, "region\t%s\t%ld\n", c->name, 2 * a->k);
		}
	}
	if (out != stdout)
		fclose(out);
	else
		fflush(out);
}

static void usage(void)
{
	fprintf(stderr, "usage: gmpathlen-driver --list\n"
			"       gmpathlen-driver --run REGEX [--exclude REGEX] [--k K] [--reps R] [--out FILE]\n");
}

int main(int argc, char **argv)
{
	struct args a = { .k = 16, .reps = 2 };
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--list"))
			a.list = 1;
		else if (!strcmp(s, "--run") && i + 1 < argc)
			a.re = argv[++i];
		else if (!strcmp(s, "--exclude") && i + 1 < argc)
			a.exclude = argv[++i];
		else if (!strcmp(s, "--k") && i + 1 < argc)
			a.k = atol(argv[++i]);
		else if (!strcmp(s, "--reps") && i + 1 < argc)
			a.reps = atol(argv[++i]);
		else if (!strcmp(s, "--out") && i + 1 < argc)
			a.out = argv[++i];
		else {
			usage();
			return 2;
		}
	}
	if ((!a.list && !a.re) || a.k < 2 || a.k % 2 || a.reps < 1) {
		usage();
		fprintf(stderr, "gmpathlen-driver: K must be even and >= 2 (the switch cases do two switches per round trip)\n");
		return 2;
	}
	gm_runtime_init();
	gm_run(pl_main, &a);
	return a.rc;
}
