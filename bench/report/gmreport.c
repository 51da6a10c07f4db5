/*
 * gmreport — turn a run's Google Benchmark JSON into the other result files.
 *
 *   gmreport RUNDIR
 * reads RUNDIR/bench.json and writes, each to a temporary name then renamed:
 *   RUNDIR/bench.txt     Go benchmark format, one line per repetition, for benchstat:
 *                        "BenchmarkCgocall/asmcgocall/mask 1000000 5.1 ns/op 13.2 ticks/op"
 *   RUNDIR/context.json  the run's context (machine, counter, calibration, variants)
 *   RUNDIR/summary.txt   the one-screen summary, also printed on stdout
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
		json_t *root = json_load_file(argv[i], 0, &err);
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

static int compare_csv_mode(const char *path)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	json_t *bs = root ? json_object_get(root, "benchmarks") : NULL;
	if (!json_is_array(bs))
		die("%s: %s", path, root ? "no benchmarks array (not a gmcompare compare.json)" : err.text);
	printf("benchmark,unit,old_median,old_lo,old_hi,new_median,new_lo,new_hi,delta_pct,delta_lo_pct,"
	       "delta_hi_pct,p,significant\n");
	const char *unit = json_string_value(json_object_get(root, "unit"));
	for (size_t i = 0; i < json_array_size(bs); i++) {
		json_t *b = json_array_get(bs, i), *o = json_object_get(b, "old"), *n = json_object_get(b, "new");
		const char *name = json_string_value(json_object_get(b, "name"));
		double om = json_number_value(json_object_get(o, "median"));
		double ol = json_number_value(json_object_get(o, "ci_low"));
		double oh = json_number_value(json_object_get(o, "ci_high"));
		double nm = json_number_value(json_object_get(n, "median"));
		double nl = json_number_value(json_object_get(n, "ci_low"));
		double nh = json_number_value(json_object_get(n, "ci_high"));
		if (!name || !(om > 0) || !(ol > 0) || !(oh > 0))
			continue;
		printf("%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.4f,%.4f,%.4g,%d\n", name,
		       unit ? unit : "", om, ol, oh, nm, nl, nh, (nm / om - 1) * 100, (nl / oh - 1) * 100,
		       (nh / ol - 1) * 100, json_number_value(json_object_get(b, "p")),
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
	if (argc == 3 && !strcmp(argv[1], "--compare-csv"))
		return compare_csv_mode(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--context-line")) {
		/* the machine and counter of a run, for titles */
		json_error_t e;
		json_t *r = json_load_file(argv[2], 0, &e);
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
	json_t *root = json_load_file(path, 0, &err);
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

	/* context.json */
	struct out oc = { 0 };
	out_open(&oc, "context.json");
	if (json_dumpf(ctx, oc.f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
		out_abort(&oc);
		die("writing context.json failed");
	}
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
		/* an aggregate's value may be null: a CV of 0/0 (scripts/json-nan-to-null.sh) */
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
			json_int_t it = json_integer_value(json_object_get(b, "iterations"));
			char go[220];
			snprintf(go, sizeof go, "Benchmark%s", name);
			go[9] = (char)toupper((unsigned char)go[9]);
			fprintf(ot.f, "%s %lld %.4g ns/op", go, (long long)it, ns);
			if (hc && strcmp(unit, "ns"))	/* ns/op is already there */
				fprintf(ot.f, " %.4g %s/op", cv, unit);
			fputc('\n', ot.f);
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
	struct out os = { 0 };
	out_open(&os, "summary.txt");
	FILE *outs[2] = { os.f, stdout };
	for (int k = 0; k < 2; k++) {
		FILE *f = outs[k];
		const char *probes = json_string_value(json_object_get(ctx, "gm_probes"));
		fprintf(f, "gmbench %s on %s, counter %s (%s)%s\n", port, cpu ? cpu : "unknown CPU", counter,
			cunit, probes && !strncmp(probes, "yes", 3) ? ", PROBES build" : "");
		if (cpt > 0)
			fprintf(f, "est. cycles = ticks x %.3f core cycles per tick, estimated from a dependent-add "
				   "chain (not a cycle counter)\n", cpt);
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
			if (cpt > 0 && rows[r].have && rows[r].unit && !strcmp(rows[r].unit, "ticks"))
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
