/*
 * gmreport — turn a run's Google Benchmark JSON into the other result files.
 *
 *   gmreport RUNDIR
 * reads RUNDIR/bench.json and writes, each to a temporary name then renamed:
 *   RUNDIR/bench.txt     Go benchmark format, one line per repetition, for benchstat:
 *                        "BenchmarkCgocall/asmcgocall/mask 1000000 5.1 ns/op 13.2 ticks/op"
 *                        (without counter/empty/batch: a signed floor around 0 would make
 *                        benchstat's geomean undefined)
 *   RUNDIR/context.json  the run's context (machine, counter, calibration, variants), with
 *                        RUNDIR/machine.json (gmbench --state-out) as "machine" if present
 *   RUNDIR/summary.txt   the one-screen summary, also printed on stdout: the machine's
 *                        state and the canary across the repetitions, WARNING lines for
 *                        everything that spoils the figures, then the table
 *   RUNDIR/stats.csv     per benchmark: median and its distribution-free 95% CI over the
 *                        repetitions (the same order statistics as gmcompare), for plots
 *   gmreport --samples A.json... -- B.json...
 * prints side,benchmark,unit,value CSV rows (one per repetition) for box plots.
 *   gmreport --compare-csv DIR/compare.json
 * prints the comparison as CSV for the delta plot; the delta's interval is the
 * conservative one from the two medians' intervals: [new_lo/old_hi - 1, new_hi/old_lo - 1].
 * Exit 2 with a message on any bad input; nothing is half-written.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../compare/stats.h"
#include "gbjson.h"

static const char *rundir;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gmreport: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* Open RUNDIR/name.tmp for writing; commit() renames it into place. */
struct out { FILE *f; char tmp[4096], final[4096]; };

static void out_open(struct out *o, const char *name)
{
	snprintf(o->final, sizeof o->final, "%s/%s", rundir, name);
	snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp.%d", rundir, name, (int)getpid());
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		die("cannot write %s: %s", o->tmp, strerror(errno));
}

static void out_abort(struct out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}

static void out_commit(struct out *o)
{
	if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || fclose(o->f) != 0) {
		unlink(o->tmp);
		die("writing %s failed: %s", o->tmp, strerror(errno));
	}
	if (rename(o->tmp, o->final) != 0) {
		unlink(o->tmp);
		die("rename %s: %s", o->final, strerror(errno));
	}
}

static double to_ns(double v, const char *unit)
{
	double ns = gb_to_ns(v, unit);
	if (isnan(ns))
		die("unknown time_unit '%s'", unit);
	return ns;
}

/* --samples: one CSV row per repetition of every benchmark of every file */
static int samples_mode(int argc, char **argv)
{
	const char *side = "A";
	printf("side,benchmark,unit,value\n");
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			side = "B";
			continue;
		}
		json_error_t err;
		json_t *root = gb_json_load(argv[i], &err);
		json_t *benches = root ? json_object_get(root, "benchmarks") : NULL;
		if (!json_is_array(benches))
			die("%s: %s", argv[i], root ? "no benchmarks array" : err.text);
		for (size_t k = 0; k < json_array_size(benches); k++) {
			json_t *b = json_array_get(benches, k);
			const char *rn = json_string_value(json_object_get(b, "run_name"));
			const char *rt = json_string_value(json_object_get(b, "run_type"));
			if (!rn || !rt || strcmp(rt, "iteration") ||
			    json_is_true(json_object_get(b, "error_occurred")))
				continue;
			char name[200];
			gb_base_name(rn, name, sizeof name);
			const char *unit;
			double v;
			if (!gb_row_counter(b, &unit, &v)) {
				unit = "ns";
				v = to_ns(json_number_value(json_object_get(b, "real_time")),
					  json_string_value(json_object_get(b, "time_unit")));
			}
			printf("%s,%s,%s,%.6g\n", side, name, unit, v);
		}
		json_decref(root);
	}
	return 0;
}

/* --paired-samples: per gmpair process (a file), the median of each side per benchmark:
 * one CSV row per process and side, for the box plots of a paired comparison */
static int paired_samples_mode(int argc, char **argv)
{
	printf("side,benchmark,unit,value\n");
	for (int i = 2; i < argc; i++) {
		json_error_t err;
		json_t *root = gb_json_load(argv[i], &err);
		json_t *cs = root ? json_object_get(root, "cases") : NULL;
		if (!json_is_array(cs))
			die("%s: %s", argv[i], root ? "no cases array (not a gmpair file)" : err.text);
		for (size_t k = 0; k < json_array_size(cs); k++) {
			json_t *c = json_array_get(cs, k), *pairs = json_object_get(c, "pairs");
			const char *name = json_string_value(json_object_get(c, "name"));
			const char *unit = json_string_value(json_object_get(c, "unit"));
			size_t n = json_array_size(pairs);
			if (!name || !unit || !n)
				continue;
			double *v = calloc(n, sizeof *v);
			for (int side = 0; side < 2; side++) {
				size_t m = 0;
				for (size_t j = 0; j < n; j++) {
					json_t *x = json_array_get(json_array_get(pairs, j), (size_t)side);
					if (json_is_number(x))
						v[m++] = json_number_value(x);
				}
				if (m)
					printf("%s,%s,%s,%.6g\n", side ? "B" : "A", name, unit, gm_median(v, m));
			}
			free(v);
		}
		json_decref(root);
	}
	return 0;
}

static int compare_csv_mode(const char *path)
{
	json_error_t err;
	json_t *root = gb_json_load(path, &err);
	json_t *bs = root ? json_object_get(root, "benchmarks") : NULL;
	if (!json_is_array(bs))
		die("%s: %s", path, root ? "no benchmarks array (not a gmcompare compare.json)" : err.text);
	printf("benchmark,unit,old_median,old_lo,old_hi,new_median,new_lo,new_hi,delta_pct,delta_lo_pct,"
	       "delta_hi_pct,p,significant\n");
	const char *unit = json_string_value(json_object_get(root, "unit"));
	for (size_t i = 0; i < json_array_size(bs); i++) {
		json_t *b = json_array_get(bs, i), *o = json_object_get(b, "old"), *n = json_object_get(b, "new");
		const char *name = json_string_value(json_object_get(b, "name"));
		const char *kind = json_string_value(json_object_get(b, "kind"));
		if (kind && strncmp(kind, "timing", 6))
			continue;	/* count and prediction rows: no timing samples (count.csv has the counts) */
		double om = json_number_value(json_object_get(o, "median"));
		double ol = json_number_value(json_object_get(o, "ci_low"));
		double oh = json_number_value(json_object_get(o, "ci_high"));
		double nm = json_number_value(json_object_get(n, "median"));
		double nl = json_number_value(json_object_get(n, "ci_low"));
		double nh = json_number_value(json_object_get(n, "ci_high"));
		if (!name || !(om > 0) || !(ol > 0) || !(oh > 0))
			continue;
		/* paired (gmcompare --paired): the delta is the median paired ratio, its whiskers
		 * the layouts' range; process level: the medians' delta, conservative interval */
		json_t *lmin = json_object_get(b, "layout_min_pct"), *lmax = json_object_get(b, "layout_max_pct");
		json_t *dp = json_object_get(b, "delta_pct");
		int paired = json_is_number(lmin) && json_is_number(lmax) && json_is_number(dp);
		if (json_object_get(b, "layout_min_pct") && !paired)
			continue;	/* a paired floor row: no ratio */
		printf("%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.4f,%.4f,%.4g,%d\n", name,
		       unit ? unit : "", om, ol, oh, nm, nl, nh,
		       paired ? json_number_value(dp) : (nm / om - 1) * 100,
		       paired ? json_number_value(lmin) : (nl / oh - 1) * 100,
		       paired ? json_number_value(lmax) : (nh / ol - 1) * 100, json_number_value(json_object_get(b, "p")),
		       json_is_true(json_object_get(b, "significant")));
	}
	json_decref(root);
	return 0;
}

struct samples { char name[200]; const char *unit; double *v, *ns; size_t n, cap; };

static void add_sample(struct samples *s, double v, double ns)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		s->ns = realloc(s->ns, s->cap * sizeof *s->ns);
		if (!s->v || !s->ns)
			die("out of memory");
	}
	s->v[s->n] = v;
	s->ns[s->n++] = ns;
}

/* ---- warnings, the canary, the machine line ---- */

struct warnings { char *s[64]; size_t n; };

static void warn_add(struct warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn_add(struct warnings *w, const char *fmt, ...)
{
	if (w->n == sizeof w->s / sizeof w->s[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&w->s[w->n], fmt, ap) >= 0)
		w->n++;
	va_end(ap);
}

struct vec { double *v; size_t n, cap; };

static void vec_add(struct vec *v, double x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->v = realloc(v->v, v->cap * sizeof *v->v);
		if (!v->v)
			die("out of memory");
	}
	v->v[v->n++] = x;
}

/* The per-repetition counters gbshim adds (see bench/host/gbshim.h). */
enum { C_ADD, C_CALL, C_SSB, C_CPT, C_TPN, NCANARY };
static struct { const char *key, *what, *meaning; struct vec v; } canaries[NCANARY] = {
	{ "canary_add", "add", "the core clock changed", { 0 } },
	{ "canary_call", "call", "call/return or branch prediction changed", { 0 } },
	{ "canary_ssb", "ssb",
	  "loads waited for older stores' addresses part of the time: speculative store bypass disabled (SSBD: "
	  "by prctl, the kernel, or a sibling hardware thread on the same core), which changes Go->C call costs "
	  "by itself", { 0 } },
	{ "cycles_per_tick", "cycles/tick", "", { 0 } },
	{ "ticks_per_ns", "ticks/ns", "", { 0 } },
};

static double spread(const struct vec *v, double *p10, double *p90)
{
	*p10 = gm_quantile(v->v, v->n, 0.10);
	*p90 = gm_quantile(v->v, v->n, 0.90);
	double m = gm_median(v->v, v->n);
	return m > 0 ? (*p90 - *p10) / m : 0;
}

/* The canary over the run's repetitions: one line, and WARNINGs for a machine state that
 * changed (two modes) or a clock that drifted.  *cpt becomes the median per-repetition
 * cycles per tick on a tick counter. */
static void canary_summary(const char *cunit, struct warnings *W, char *line, size_t len, double *cpt)
{
	size_t u = 0;
	line[0] = 0;
	if (!canaries[C_ADD].v.n)
		return;
	u += (size_t)snprintf(line + u, len - u, "canary (%s/op, median [10th-90th percentile] of %zu repetitions):",
			      cunit, canaries[C_ADD].v.n);
	for (int k = C_ADD; k <= C_SSB; k++) {
		struct vec *v = &canaries[k].v;
		double p10, p90;
		spread(v, &p10, &p90);
		double m = gm_median(v->v, v->n);
		if (u < len)
			u += (size_t)snprintf(line + u, len - u, "%s %s %.3g [%.3g-%.3g]", k == C_ADD ? "" : ",",
					      canaries[k].what, m, p10, p90);
		gm_modes md;
		if (gm_find_modes(v->v, v->n, 1.25, &md) == 0 && md.split)
			warn_add(W, "the machine's state changed during the run: the %s canary read %.3g %s/op in %zu "
				    "repetitions and %.3g in %zu: %s. Figures mix both states; rerun, or read them "
				    "per state", canaries[k].what, md.lo_median, cunit, md.n_lo, md.hi_median, md.n_hi,
				 canaries[k].meaning);
	}
	struct vec *c = &canaries[C_CPT].v, *t = &canaries[C_TPN].v;
	double p10, p90;
	if (c->n && !strcmp(cunit, "ticks")) {
		double m = gm_median(c->v, c->n);
		*cpt = m;
		if (spread(c, &p10, &p90) > 0.01)
			warn_add(W, "the core clock moved during the run: %.3f-%.3f cycles per tick (10th-90th percentile "
				    "of %zu repetitions, from the canary's add chain)", p10, p90, c->n);
	}
	if (t->n && spread(t, &p10, &p90) > 0.01)
		warn_add(W, "the counter's rate against CLOCK_MONOTONIC_RAW moved during the run: %.4f-%.4f %s/ns "
			    "(10th-90th percentile)%s", p10, p90, cunit,
			 !strcmp(cunit, "cycles") ? ": the core clock changed" : "");
}

static void machine_summary(json_t *m, char *line, size_t len)
{
	line[0] = 0;
	if (!m)
		return;
	json_t *b = json_object_get(m, "before"), *l = json_object_get(m, "load");
	const char *core = json_string_value(json_object_get(m, "core_measured"));
	const char *gov = json_string_value(json_object_get(b, "governor"));
	json_t *cpu = json_object_get(m, "cpu_measured");
	size_t u = (size_t)snprintf(line, len, "machine: CPU %lld (%s), %s; governor %s", (long long)json_integer_value(cpu),
				    core ? core : "?", json_is_true(json_object_get(m, "pinned")) ? "pinned" : "NOT pinned",
				    gov ? gov : "?");
	json_t *x;
	if (u < len && json_is_number(x = json_object_get(l, "measured_cpu_steal_pct")))
		u += (size_t)snprintf(line + u, len - u, "; over the run: steal %.1f%%, others on this CPU %.1f%%",
				      json_number_value(x),
				      json_number_value(json_object_get(l, "measured_cpu_others_pct")));
	if (u < len && json_is_number(x = json_object_get(l, "other_cpus_busy_pct")))
		snprintf(line + u, len - u, ", other CPUs %.0f%% busy", json_number_value(x));
}

struct row { char name[200]; const char *unit; double med, med_ns, cv, min, min_ns; int have; long family; };

static int by_family(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->family < y->family ? -1 : x->family > y->family;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--samples"))
		return samples_mode(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "--paired-samples"))
		return paired_samples_mode(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "--compare-csv"))
		return compare_csv_mode(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--context-line")) {
		/* the machine and counter of a run, for titles */
		json_error_t e;
		json_t *r = gb_json_load(argv[2], &e);
		json_t *c = r ? json_object_get(r, "context") : NULL;
		if (!json_is_object(c))
			die("%s: %s", argv[2], r ? "no context object" : e.text);
		const char *port = json_string_value(json_object_get(c, "gm_port"));
		const char *cpu = json_string_value(json_object_get(c, "gm_cpu"));
		const char *ctr = json_string_value(json_object_get(c, "gm_counter"));
		const char *unit = json_string_value(json_object_get(c, "gm_counter_unit"));
		const char *emu = json_string_value(json_object_get(c, "gm_emulated"));
		printf("gmbench %s on %s, counter %s (%s)%s\n", port ? port : "?", cpu ? cpu : "unknown CPU",
		       ctr ? ctr : "?", unit ? unit : "?", emu && strcmp(emu, "no") ? ", EMULATED" : "");
		json_decref(r);
		return 0;
	}
	if (argc != 2)
		die("usage: gmreport RUNDIR (reads RUNDIR/bench.json) | gmreport --samples A.json... -- B.json...");
	rundir = argv[1];
	char path[4096];
	snprintf(path, sizeof path, "%s/bench.json", rundir);
	json_error_t err;
	json_t *root = gb_json_load(path, &err);
	if (!root)
		die("%s: %s (line %d)", path, err.text, err.line);
	json_t *ctx = json_object_get(root, "context");
	json_t *benches = json_object_get(root, "benchmarks");
	if (!json_is_object(ctx) || !json_is_array(benches))
		die("%s: not a Google Benchmark JSON file (no context object or benchmarks array)", path);
	if (json_array_size(benches) == 0)
		die("%s: no benchmarks in the file", path);

	const char *port = json_string_value(json_object_get(ctx, "gm_port"));
	const char *cpu = json_string_value(json_object_get(ctx, "gm_cpu"));
	const char *counter = json_string_value(json_object_get(ctx, "gm_counter"));
	const char *emu = json_string_value(json_object_get(ctx, "gm_emulated"));
	const char *cunit = json_string_value(json_object_get(ctx, "gm_counter_unit"));
	if (!port || !counter || !cunit)
		die("%s: context lacks gm_port/gm_counter/gm_counter_unit: not a gmbench run", path);

	/* the machine's state around the run (gmbench --state-out), when the run has it */
	char mpath[4096];
	snprintf(mpath, sizeof mpath, "%s/machine.json", rundir);
	json_t *machine = NULL;
	if (access(mpath, F_OK) == 0) {
		json_error_t me;
		machine = json_load_file(mpath, 0, &me);
		if (!json_is_object(machine))
			die("%s: %s", mpath, machine ? "not a JSON object" : me.text);
	}
	struct warnings W = { 0 };
	json_t *mw = machine ? json_object_get(machine, "warnings") : NULL;
	for (size_t i = 0; i < json_array_size(mw); i++)
		if (json_is_string(json_array_get(mw, i)))
			warn_add(&W, "%s", json_string_value(json_array_get(mw, i)));

	/* context.json */
	json_t *cx = json_deep_copy(ctx);
	if (machine)
		json_object_set(cx, "machine", machine);
	struct out oc = { 0 };
	out_open(&oc, "context.json");
	if (json_dumpf(cx, oc.f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
		out_abort(&oc);
		die("writing context.json failed");
	}
	json_decref(cx);
	fputc('\n', oc.f);

	/* bench.txt (Go format) and collect the summary rows */
	struct out ot = { 0 };
	out_open(&ot, "bench.txt");
	fprintf(ot.f, "goos: linux\ngoarch: %s\npkg: gmbench\ncpu: %s\ncounter: %s (%s)\n", port,
		cpu ? cpu : "unknown", counter, cunit);
	if (emu && strcmp(emu, "no"))
		fprintf(ot.f, "emulated: %s\n", emu);
	size_t n = json_array_size(benches);
	struct row *rows = calloc(n, sizeof *rows);
	struct samples *smp = calloc(n, sizeof *smp);
	size_t nrows = 0, nsmp = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(benches, i);
		const char *rn = json_string_value(json_object_get(b, "run_name"));
		const char *rt = json_string_value(json_object_get(b, "run_type"));
		const char *tu = json_string_value(json_object_get(b, "time_unit"));
		json_t *rtime = json_object_get(b, "real_time");
		/* an aggregate's value may be null: a CV of 0/0 (Google Benchmark wrote NaN) */
		if (!rn || !rt || !(json_is_number(rtime) || (json_is_null(rtime) && strcmp(rt, "iteration")))) {
			out_abort(&ot);
			out_abort(&oc);
			die("%s: benchmark entry %zu lacks run_name/run_type/real_time", path, i);
		}
		if (json_is_true(json_object_get(b, "error_occurred")))
			continue;
		char name[200];
		gb_base_name(rn, name, sizeof name);
		const char *unit = NULL;
		double cv = 0;
		int hc = gb_row_counter(b, &unit, &cv);
		double ns = json_is_number(rtime) ? to_ns(json_number_value(rtime), tu) : NAN;
		if (!strcmp(rt, "iteration")) {
			for (int k = 0; k < NCANARY; k++) {
				json_t *x = json_object_get(b, canaries[k].key);
				if (json_is_number(x))
					vec_add(&canaries[k].v, json_number_value(x));
			}
			json_int_t it = json_integer_value(json_object_get(b, "iterations"));
			char go[220];
			snprintf(go, sizeof go, "Benchmark%s", name);
			go[9] = (char)toupper((unsigned char)go[9]);
			/* counter/empty/batch is a floor around 0, sometimes negative: benchstat's
			 * geomean of it is undefined, so it stays out of the Go-format file */
			if (strncmp(name, "counter/empty/", 14)) {
				fprintf(ot.f, "%s %lld %.4g ns/op", go, (long long)it, ns);
				if (hc && strcmp(unit, "ns"))	/* ns/op is already there */
					fprintf(ot.f, " %.4g %s/op", cv, unit);
				fputc('\n', ot.f);
			}
			size_t k = 0;
			while (k < nsmp && strcmp(smp[k].name, name))
				k++;
			if (k == nsmp) {
				snprintf(smp[k].name, sizeof smp[k].name, "%s", name);
				smp[k].unit = hc ? unit : "ns";
				nsmp++;
			}
			add_sample(&smp[k], hc ? cv : ns, ns);
			continue;
		}
		const char *agg = json_string_value(json_object_get(b, "aggregate_name"));
		if (!agg)
			continue;
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].name, name))
			r++;
		if (r == nrows) {
			snprintf(rows[r].name, sizeof rows[r].name, "%s", name);
			json_t *fi = json_object_get(b, "family_index");
			rows[r].family = json_is_integer(fi) ? (long)json_integer_value(fi) : (long)r;
			nrows++;
		}
		if (!strcmp(agg, "median")) {
			rows[r].med_ns = ns;
			rows[r].unit = unit;
			rows[r].med = cv;
			rows[r].have = hc;
		} else if (!strcmp(agg, "cv")) {
			rows[r].cv = hc ? cv : ns;
		} else if (!strcmp(agg, "min")) {
			rows[r].min = cv;
			rows[r].min_ns = ns;
		}
	}

	/* summary, in registration order (the run itself was randomly interleaved) */
	qsort(rows, nrows, sizeof *rows, by_family);
	double cpt = 0;
	const char *cpts = json_string_value(json_object_get(ctx, "gm_cycles_per_tick"));
	if (cpts && !strcmp(cunit, "ticks"))
		cpt = atof(cpts);
	char canary_line[600], machine_line[600];
	canary_summary(cunit, &W, canary_line, sizeof canary_line, &cpt);
	machine_summary(machine, machine_line, sizeof machine_line);
	struct out os = { 0 };
	out_open(&os, "summary.txt");
	FILE *outs[2] = { os.f, stdout };
	for (int k = 0; k < 2; k++) {
		FILE *f = outs[k];
		const char *probes = json_string_value(json_object_get(ctx, "gm_probes"));
		fprintf(f, "gmbench %s on %s, counter %s (%s)%s\n", port, cpu ? cpu : "unknown CPU", counter,
			cunit, probes && !strncmp(probes, "yes", 3) ? ", PROBES build" : "");
		if (machine_line[0])
			fprintf(f, "%s\n", machine_line);
		if (canary_line[0])
			fprintf(f, "%s\n", canary_line);
		if (cpt > 0)
			fprintf(f, "est. cycles = ticks x %.3f core cycles per tick, from a dependent-add chain %s "
				   "(not a cycle counter)\n", cpt,
				canary_line[0] ? "in every repetition (the canary)" : "at start-up");
		for (size_t w = 0; w < W.n; w++)
			fprintf(f, "WARNING: %s\n", W.s[w]);
		if (emu && strcmp(emu, "no"))
			fprintf(f, "EMULATED (%s): these are emulation timings, not hardware figures\n", emu);
		if (!nrows)
			fprintf(f, "(no aggregates: run with --benchmark_repetitions >= 2 for median and CV)\n");
		else
			fprintf(f, "%-30s %-10s %16s %11s %7s%s\n", "transition", "variant", "median/op",
				"ns/op", "CV %", cpt > 0 ? "  est. cycles/op" : "");
		for (size_t r = 0; r < nrows; r++) {
			char t[200], *v = strrchr(rows[r].name, '/');
			snprintf(t, sizeof t, "%.*s", v ? (int)(v - rows[r].name) : (int)strlen(rows[r].name),
				 rows[r].name);
			char med[64];
			if (rows[r].have)
				snprintf(med, sizeof med, "%.2f %s", rows[r].med, rows[r].unit);
			else
				snprintf(med, sizeof med, "-");
			/* a CV around a median of ~0 (counter/empty) says nothing */
			if ((rows[r].have && fabs(rows[r].med) < 0.05) || isnan(rows[r].cv))
				fprintf(f, "%-30s %-10s %16s %11.2f %7s", t, v ? v + 1 : "", med, rows[r].med_ns, "-");
			else
				fprintf(f, "%-30s %-10s %16s %11.2f %7.2f", t, v ? v + 1 : "", med, rows[r].med_ns,
					rows[r].cv * 100);
			/* counter rows: the add chain is what cycles per tick come from (64 by construction) */
			if (cpt > 0 && rows[r].have && rows[r].unit && !strcmp(rows[r].unit, "ticks") &&
			    strncmp(rows[r].name, "counter/", 8))
				fprintf(f, "  %15.1f", rows[r].med * cpt);
			fputc('\n', f);
		}
	}
	/* stats.csv */
	struct out oq = { 0 };
	out_open(&oq, "stats.csv");
	fprintf(oq.f, "benchmark,suite,transition,variant,unit,n,median,ci_lo,ci_hi,ci_exact,median_ns,ci_lo_ns,ci_hi_ns\n");
	for (size_t k = 0; k < nsmp; k++) {
		gm_summary a, b;
		if (gm_summarize(smp[k].v, smp[k].n, 0.95, &a) || gm_summarize(smp[k].ns, smp[k].n, 0.95, &b))
			continue;
		char suite[200], *t = NULL, *v = NULL;
		snprintf(suite, sizeof suite, "%s", smp[k].name);
		t = strchr(suite, '/');
		if (t) {
			*t++ = 0;
			v = strrchr(t, '/');
			if (v)
				*v++ = 0;
		}
		fprintf(oq.f, "%s,%s,%s,%s,%s,%zu,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g\n", smp[k].name, suite,
			t ? t : "", v ? v : "", smp[k].unit, a.n, a.median, a.lo, a.hi, a.ci_exact, b.median,
			b.lo, b.hi);
		free(smp[k].v);
		free(smp[k].ns);
	}
	free(smp);
	out_commit(&oc);
	out_commit(&ot);
	out_commit(&os);
	out_commit(&oq);
	json_decref(root);
	free(rows);
	return 0;
}
