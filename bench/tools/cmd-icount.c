/*
 * cmd-icount.c — gm icount (docs/tools/icount.md): the perf backend's cycles and
 * instructions per operation under qemu-system -icount against make pathlen's exact
 * counts of the same batch functions.  A test, so it prints TAP-like lines and the
 * "N passed, N failed" closing line; the tolerance and why it is not zero are on the page.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "util/load.h"
#include "util/stats.h"
#include "util/util.h"

static json_t *load(const char *path)
{
	struct gm_lerr e;
	/* Google Benchmark writes a bare NaN (the CV of repetitions that all read 0, as
	 * exact counts under -icount do): read as null */
	json_t *j = gm_load(path, GM_GB, &e);
	if (!j)
		die("%s: %s (line %d)", path, e.text, e.line);
	return j;
}

/* Median over the repetitions (iteration rows) of counter `key` of benchmark `name`;
 * NAN when the run has none.  *n receives the number of repetitions. */
static double median_of(json_t *benchmarks, const char *name, const char *key, int *n)
{
	double v[256];
	int k = 0;
	size_t i;
	json_t *b;
	json_array_foreach(benchmarks, i, b) {
		const char *rt = json_string_value(json_object_get(b, "run_type"));
		const char *rn = json_string_value(json_object_get(b, "run_name"));
		if (!rt || !rn || strcmp(rt, "iteration"))
			continue;
		char base[512];
		gb_base_name(rn, base, sizeof base);
		json_t *x = json_object_get(b, key);
		if (strcmp(base, name) || !json_is_number(x) || k == 256)
			continue;
		v[k++] = json_number_value(x);
	}
	*n = k;
	if (!k)
		return NAN;
	return gm_median_inplace(v, (size_t)k);
}

int cmd_icount(int argc, char **argv)
{
	const char *bench = NULL, *pathlen = NULL;
	double tabs = 0.5, trel = 0.01;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (gm_opt(argc, argv, &i, "--abs", &v))
			tabs = atof(v);
		else if (gm_opt(argc, argv, &i, "--rel", &v))
			trel = atof(v);
		else if (!bench)
			bench = argv[i];
		else if (!pathlen)
			pathlen = argv[i];
		else
			bench = NULL, i = argc;
	}
	if (!bench || !pathlen)
		die_usage("need BENCH_JSON and PATHLEN_JSON");
	json_t *bj = load(bench), *pj = load(pathlen);
	json_t *ctx = json_object_get(bj, "context"), *bms = json_object_get(bj, "benchmarks");
	json_t *cases = json_object_get(pj, "cases");
	if (!json_is_object(ctx) || !json_is_array(bms))
		die("%s: not a Google Benchmark JSON file (no context/benchmarks)", bench);
	const char *kind = json_string_value(json_object_get(pj, "kind"));
	if (!kind || strcmp(kind, "gmbench-pathlen") || !json_is_array(cases))
		die("%s: not a make pathlen result (kind gmbench-pathlen)", pathlen);
	const char *counter = json_string_value(json_object_get(ctx, "gm_counter"));
	const char *port = json_string_value(json_object_get(ctx, "gm_port"));
	const char *pport = json_string_value(json_object_get(pj, "port"));
	const char *instr = json_string_value(json_object_get(ctx, "gm_instructions"));
	int pass = 0, fail = 0;
	printf("# perf backend under -icount shift=0 vs make pathlen (exact, user space); tolerance "
	       "max(%.2g, %.2g%%) instructions per op\n", tabs, trel * 100);
	printf("# guest counter: %s (%s); instructions: %s\n", counter ? counter : "?",
	       json_string_value(json_object_get(ctx, "gm_counter_desc")) ?: "?", instr ? instr : "?");
	if (!counter || strcmp(counter, "perf")) {
		printf("not ok - the guest picked the perf backend (it picked %s: %s)\n", counter ? counter : "none",
		       json_string_value(json_object_get(ctx, "gm_counter_rejected")) ?: "?");
		fail++;
	} else {
		printf("ok - the guest picked the perf backend\n");
		pass++;
	}
	if (!port || !pport || strcmp(port, pport)) {
		printf("not ok - same port in both files (run %s, pathlen %s)\n", port ? port : "?", pport ? pport : "?");
		fail++;
	}
	int compared = 0;
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		const char *src = json_string_value(json_object_get(c, "source"));
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *suite = json_string_value(json_object_get(c, "suite"));
		json_t *ipo = json_object_get(c, "instructions_per_op");
		if (!src || strcmp(src, "gmbench") || !name || !suite || !json_is_number(ipo))
			continue;
		if (!strcmp(suite, "signal") || !strcmp(suite, "thread")) {
			printf("# %s: left out: the operation runs in the kernel, which pathlen does not count\n", name);
			continue;
		}
		if (!json_is_true(json_object_get(c, "exact"))) {
			printf("# %s: left out: pathlen's count is not exact\n", name);
			continue;
		}
		double want = json_number_value(ipo);
		/* A kuser helper call is one traced instruction under QEMU user mode, which
		 * emulates the helper page; a real kernel's __kuser_get_tls is two (mrc; bx lr,
		 * in arch/arm/kernel/entry-armv.S and arch/arm64/kernel/kuser32.S alike). */
		const char *sym;
		json_t *cnt;
		double kuser = 0;
		json_object_foreach(json_object_get(c, "symbols"), sym, cnt)
			if (!strncmp(sym, "(kuser helper page", 18) && json_is_number(cnt))
				kuser += json_number_value(cnt);
		want += kuser;
		int n;
		double cyc = median_of(bms, name, "cycles", &n);
		if (isnan(cyc)) {
			printf("# %s: not in the run (filtered out or unavailable there)\n", name);
			continue;
		}
		double tol = fmax(tabs, trel * want);
		compared++;
		int ok = fabs(cyc - want) <= tol;
		printf("%s - %s: perf cycles %.2f per op vs pathlen %.1f instructions%s (median of %d, diff %+.2f, tolerance %.2f)\n",
		       ok ? "ok" : "not ok", name, cyc, want, kuser ? " (with the kernel's 2-instruction kuser helper)" : "",
		       n, cyc - want, tol);
		ok ? pass++ : fail++;
		double ins = median_of(bms, name, "instructions", &n);
		if (isnan(ins)) {
			printf("not ok - %s: perf instructions counted (the run has no instructions counter)\n", name);
			fail++;
		} else {
			ok = fabs(ins - want) <= tol;
			printf("%s - %s: perf instructions %.2f per op vs pathlen %.1f (diff %+.2f)\n",
			       ok ? "ok" : "not ok", name, ins, want, ins - want);
			ok ? pass++ : fail++;
		}
	}
	if (!compared) {
		printf("not ok - at least one transition compared\n");
		fail++;
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
