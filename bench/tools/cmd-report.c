/*
 * cmd-report.c — gm report RUNDIR (docs/tools/report.md): a run's bench.json into
 * bench.txt, context.json, summary.txt and stats.csv.  The four files are opened
 * together and renamed together at the end, so a run folder has all of them from one
 * bench.json or none; the summary is printed while it is written.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-report.h"
#include "cmd-compare-states.h"
#include "cmds.h"
#include "util/load.h"
#include "util/stats.h"
#include "util/util.h"

#define to_ns report_to_ns

struct samples { char name[200]; const char *unit; double *v, *ns; size_t n, cap; };

static void add_sample(struct samples *s, double v, double ns)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
		s->ns = xrealloc(s->ns, s->cap * sizeof *s->ns);
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
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = x;
}

/* The per-repetition counters gbshim adds (see bench/gbshim.h). */
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
	const char *id = json_string_value(json_object_get(m, "core_id"));   /* absent before issue 23 */
	json_t *cpu = json_object_get(m, "cpu_measured");
	size_t u = (size_t)snprintf(line, len, "machine: CPU %lld (%s%s%s%s), %s; governor %s", (long long)json_integer_value(cpu),
				    core ? core : "?", id && *id ? " [" : "", id && *id ? id : "", id && *id ? "]" : "",
				    json_is_true(json_object_get(m, "pinned")) ? "pinned" : "NOT pinned", gov ? gov : "?");
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

static int report_run(int argc, char **argv)
{
	if (argc != 2)
		die_usage("need one RUNDIR (reads RUNDIR/bench.json)");
	const char *rundir = argv[1];
	char path[4096];
	json_t *root = gm_load_run_bench(rundir, path, sizeof path);
	json_t *ctx = json_object_get(root, "context");
	json_t *benches = json_object_get(root, "benchmarks");
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
	enum gm_optional mo = gm_optional_file(mpath);
	if (mo != GM_ABSENT) {	/* a folder, a symlink loop, unreadable: an error, not absent */
		struct gm_lerr me;
		machine = gm_load(mpath, GM_JSON, &me);
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
	struct gm_out *oc = gm_out_open_in(rundir, "context.json");
	if (json_dumpf(cx, oc->f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
		die("writing context.json failed");
	json_decref(cx);
	fputc('\n', oc->f);

	/* bench.txt (Go format) and collect the summary rows */
	struct gm_out *ot = gm_out_open_in(rundir, "bench.txt");
	fprintf(ot->f, "goos: linux\ngoarch: %s\npkg: gmbench\ncpu: %s\ncounter: %s (%s)\n", port,
		cpu ? cpu : "unknown", counter, cunit);
	if (emu && strcmp(emu, "no"))
		fprintf(ot->f, "emulated: %s\n", emu);
	size_t n = json_array_size(benches);
	struct row *rows = xcalloc(n, sizeof *rows);
	struct samples *smp = xcalloc(n, sizeof *smp);
	size_t nrows = 0, nsmp = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(benches, i);
		const char *rn = json_string_value(json_object_get(b, "run_name"));
		const char *rt = json_string_value(json_object_get(b, "run_type"));
		const char *tu = json_string_value(json_object_get(b, "time_unit"));
		json_t *rtime = json_object_get(b, "real_time");
		/* an aggregate's value may be null: a CV of 0/0 (Google Benchmark wrote NaN) */
		if (!rn || !rt || !(json_is_number(rtime) || (json_is_null(rtime) && strcmp(rt, "iteration")))) {
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
				fprintf(ot->f, "%s %lld %.4g ns/op", go, (long long)it, ns);
				if (hc && strcmp(unit, "ns"))	/* ns/op is already there */
					fprintf(ot->f, " %.4g %s/op", cv, unit);
				fputc('\n', ot->f);
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
	char canary_line[600], machine_line[600], state_line[300] = "";
	canary_summary(cunit, &W, canary_line, sizeof canary_line, &cpt);
	/* the machine's state, named against the host's record (make bench sets GM_STATES):
	 * docs/compare.md, "Machine states, named across runs" */
	const char *record = getenv("GM_STATES");
	if (record && *record && canaries[C_ADD].v.n) {
		double cv[1][GM_CANARY_N];
		for (int k = C_ADD; k <= C_SSB; k++)
			cv[0][k - C_ADD] = gm_median(canaries[k].v.v, canaries[k].v.n);
		const char *id = getenv("GM_STATES_ID");
		struct gm_state_names sn;
		gm_states_assign(record, id ? id : rundir, (const double (*)[GM_CANARY_N])cv, 1, &sn);
		if (sn.warning[0])
			warn_add(&W, "%s", sn.warning);
		char desc[280];
		gm_state_desc(desc, sizeof desc, &sn, 0, cunit);
		snprintf(state_line, sizeof state_line, "machine state: %s", desc);
		gm_states_free(&sn);
	}
	machine_summary(machine, machine_line, sizeof machine_line);
	struct gm_out *os = gm_out_open_in(rundir, "summary.txt");
	FILE *outs[2] = { os->f, stdout };
	for (int k = 0; k < 2; k++) {
		FILE *f = outs[k];
		const char *probes = json_string_value(json_object_get(ctx, "gm_probes"));
		fprintf(f, "gmbench %s on %s, counter %s (%s)%s\n", port, cpu ? cpu : "unknown CPU", counter,
			cunit, probes && !strncmp(probes, "yes", 3) ? ", PROBES build" : "");
		if (machine_line[0])
			fprintf(f, "%s\n", machine_line);
		if (state_line[0])
			fprintf(f, "%s\n", state_line);
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
	struct gm_out *oq = gm_out_open_in(rundir, "stats.csv");
	fprintf(oq->f, "benchmark,suite,transition,variant,unit,n,median,ci_lo,ci_hi,ci_exact,median_ns,ci_lo_ns,ci_hi_ns\n");
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
		fprintf(oq->f, "%s,%s,%s,%s,%s,%zu,%.6g,%.6g,%.6g,%d,%.6g,%.6g,%.6g\n", smp[k].name, suite,
			t ? t : "", v ? v : "", smp[k].unit, a.n, a.median, a.lo, a.hi, a.ci_exact, b.median,
			b.lo, b.hi);
		free(smp[k].v);
		free(smp[k].ns);
	}
	free(smp);
	gm_out_commit_all();
	json_decref(root);
	free(rows);
	return 0;
}

int cmd_report(int argc, char **argv)
{
	/* "run" is a mode only with a RUNDIR after it: a folder may be called run */
	if (argc == 2 && !strcmp(argv[1], "run"))
		return report_run(argc, argv);
	return gm_run_mode(argc, argv, report_run, (const struct gm_mode[]){
		{ "run", report_run }, { "samples", report_samples }, { "paired-samples", report_paired_samples },
		{ "compare-csv", report_compare_csv }, { "context-line", report_context_line },
		{ NULL, NULL } });
}
