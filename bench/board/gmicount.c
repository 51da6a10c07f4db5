/*
 * gmicount — a test of the perf counter backend on the board-in-a-box rig (make board
 * ICOUNT=1): under `qemu-system -icount shift=0` the guest's PMU counts one cycle per
 * retired instruction, so gmbench's perf cycles and instructions per operation must be
 * make pathlen's exact instruction counts of the same batch functions.
 *
 *   gmicount BENCH_JSON PATHLEN_JSON [--abs A] [--rel R]
 *
 * Prints one "ok - ..." / "not ok - ..." line per transition and counter, a "# ..."
 * line for each case left out and why, and "N passed, N failed"; exit 1 on any failure
 * or when nothing could be compared, 2 on bad input.
 *
 * What is compared: the median over the run's repetitions of the per-op `cycles` and
 * `instructions` counters against pathlen's instructions_per_op, for every exact
 * gmbench case of pathlen except the suites whose operation enters the kernel (signal,
 * thread): pathlen counts user space only, perf counts the kernel's instructions too.
 * A call of the ARMv7 kuser helper __kuser_get_tls counts one instruction under QEMU
 * user mode and two on a real kernel: pathlen's per-symbol breakdown says how many
 * calls an operation makes, and each adds one to the expected count.
 * Tolerance: |perf - pathlen| <= max(A, R * pathlen), default A = 0.5, R = 0.01.  Why
 * not zero: perf counts the whole machine's instructions while the task runs, kernel
 * included, so timer interrupts and page faults inside a timed batch add to it; N vs 2N
 * differencing cancels constant costs, not those.  At 250 Hz and one instruction per ns
 * of virtual time a tick comes every ~4M instructions and costs a few thousand, about
 * 0.1% of any batch: the 1% bound holds that with room, and a real error (a wrong
 * counter index, a lost offset, a 32-bit wrap, reads not cancelling) is far larger.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/gbjson.h"

static void die(const char *msg, const char *path)
{
	fprintf(stderr, "gmicount: %s: %s\n", path, msg);
	exit(2);
}

static json_t *load(const char *path)
{
	json_error_t e;
	/* Google Benchmark writes a bare NaN (the CV of repetitions that all read 0, as
	 * exact counts under -icount do): gb_json_load reads it as null */
	json_t *j = gb_json_load(path, &e);
	if (!j) {
		fprintf(stderr, "gmicount: %s: %s (line %d)\n", path, e.text, e.line);
		exit(2);
	}
	return j;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
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
	qsort(v, (size_t)k, sizeof v[0], cmpd);
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

int main(int argc, char **argv)
{
	const char *bench = NULL, *pathlen = NULL;
	double tabs = 0.5, trel = 0.01;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--abs") && i + 1 < argc)
			tabs = atof(argv[++i]);
		else if (!strcmp(argv[i], "--rel") && i + 1 < argc)
			trel = atof(argv[++i]);
		else if (!bench)
			bench = argv[i];
		else if (!pathlen)
			pathlen = argv[i];
		else
			bench = NULL, i = argc;
	}
	if (!bench || !pathlen) {
		fprintf(stderr, "usage: gmicount BENCH_JSON PATHLEN_JSON [--abs A] [--rel R]\n");
		return 2;
	}
	json_t *bj = load(bench), *pj = load(pathlen);
	json_t *ctx = json_object_get(bj, "context"), *bms = json_object_get(bj, "benchmarks");
	json_t *cases = json_object_get(pj, "cases");
	if (!json_is_object(ctx) || !json_is_array(bms))
		die("not a Google Benchmark JSON file (no context/benchmarks)", bench);
	const char *kind = json_string_value(json_object_get(pj, "kind"));
	if (!kind || strcmp(kind, "gmbench-pathlen") || !json_is_array(cases))
		die("not a make pathlen result (kind gmbench-pathlen)", pathlen);
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
