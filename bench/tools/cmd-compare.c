/*
 * cmd-compare.c — gm compare (docs/tools/compare.md): the mode words, and the process
 * level comparison itself (each sample one process of one side; Mann-Whitney U per
 * benchmark).  The paired and count modes read other inputs and live in their own
 * files; the tables and compare.json of this mode are in cmd-compare-table.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-compare.h"
#include "cmds.h"
#include "util/load.h"

struct bench *side_find(struct side *s, const char *name)
{
	for (size_t i = 0; i < s->nb; i++)
		if (strcmp(s->b[i].name, name) == 0)
			return &s->b[i];
	return NULL;
}

static struct bench *side_get(struct side *s, const char *name)
{
	/* rows of one benchmark are usually adjacent: try the last one first */
	if (s->nb && strcmp(s->b[s->nb - 1].name, name) == 0)
		return &s->b[s->nb - 1];
	struct bench *b = side_find(s, name);
	if (b)
		return b;
	if (s->nb == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->b = xrealloc(s->b, s->cap * sizeof *s->b);
	}
	b = &s->b[s->nb++];
	memset(b, 0, sizeof *b);
	b->name = xstrdup(name);
	return b;
}

static void bench_add(struct bench *b, json_t *obj, size_t file)
{
	if (b->nrows == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	b->rows[b->nrows++] = (struct row){ obj, file };
}

static json_t *load_json(const char *path)
{
	struct gm_lerr e;
	/* Google Benchmark's bare NaN (a CV of 0/0) reads as null */
	json_t *root = gm_load(path, GM_GB, &e);
	if (root)
		return root;
	switch (e.kind) {
	case GM_LOPEN:
		die("%s: %s", path, e.text);
	case GM_LREAD:
		die("%s: read error: %s", path, strerror(errno));
	case GM_LEMPTY:
		die("%s: empty file (no JSON)", path);
	default:
		die("%s: line %d, column %d: invalid JSON (truncated or malformed): %s", path, e.line, e.column, e.text);
	}
}

static void side_load(struct side *s)
{
	s->docs = xmalloc(s->nfiles * sizeof *s->docs);
	for (size_t fi = 0; fi < s->nfiles; fi++) {
		const char *path = s->files[fi];
		json_t *root = load_json(path);
		s->docs[fi] = root;
		json_t *arr = json_is_object(root) ? json_object_get(root, "benchmarks")
										   : NULL;
		if (!json_is_array(arr))
			die("%s: no \"benchmarks\" array (not a Google Benchmark JSON "
				"file? write one with --benchmark_out_format=json)", path);
		size_t idx;
		json_t *e;
		json_array_foreach(arr, idx, e) {
			if (!json_is_object(e))
				die("%s: benchmarks[%zu] is not an object", path, idx);
			json_t *rn = json_object_get(e, "run_name");
			if (!json_is_string(rn))
				rn = json_object_get(e, "name");
			if (!json_is_string(rn))
				die("%s: benchmarks[%zu] has no \"run_name\" or \"name\"",
					path, idx);
			const char *name = json_string_value(rn);
			json_t *rt = json_object_get(e, "run_type");
			if (rt) {
				if (!json_is_string(rt))
					die("%s: benchmarks[%zu] (%s): \"run_type\" is not a string",
						path, idx, name);
				const char *t = json_string_value(rt);
				if (strcmp(t, "aggregate") == 0)
					continue;
				if (strcmp(t, "iteration") != 0)
					die("%s: benchmarks[%zu] (%s): unknown run_type \"%s\"",
						path, idx, name, t);
			} else if (json_object_get(e, "aggregate_name")) {
				continue;   /* old format without run_type */
			}
			if (json_is_true(json_object_get(e, "error_occurred"))) {
				json_t *m = json_object_get(e, "error_message");
				warn("%s: %s: skipping a run that reported an error%s%s", path,
					 name, json_is_string(m) ? ": " : "",
					 json_is_string(m) ? json_string_value(m) : "");
				continue;
			}
			/* Google Benchmark appends "/manual_time" to benchmarks timed with
			 * UseManualTime (all of gmbench's): it is not part of the name */
			char shortname[512];
			snprintf(shortname, sizeof shortname, "%s", name);
			size_t sl = strlen(shortname), ml = strlen("/manual_time");
			if (sl > ml && strcmp(shortname + sl - ml, "/manual_time") == 0)
				shortname[sl - ml] = 0;
			bench_add(side_get(s, shortname), e, fi);
		}
	}
}

/* Standard Google Benchmark fields that are not per-op counters. */
static const char *const reserved_keys[] = {
	"name", "run_name", "run_type", "repetitions", "repetition_index",
	"threads", "iterations", "real_time", "cpu_time", "time_unit",
	"family_index", "per_family_instance_index", "aggregate_name",
	"aggregate_unit", "error_occurred", "error_message", "label", NULL
};

static int is_reserved(const char *m)
{
	for (size_t i = 0; reserved_keys[i]; i++)
		if (strcmp(reserved_keys[i], m) == 0)
			return 1;
	return 0;
}

static int row_has(const struct row *r, const char *metric)
{
	if (strcmp(metric, "time") == 0)
		return json_is_number(json_object_get(r->obj, "real_time"));
	return json_is_number(json_object_get(r->obj, metric));
}

/* value of the metric for one row; dies with a clear message if absent */
static double row_value(const struct side *s, const struct bench *b,
						const struct row *r, const char *metric)
{
	const char *path = s->files[r->file];
	double v;
	if (strcmp(metric, "time") == 0) {
		json_t *t = json_object_get(r->obj, "real_time");
		if (!json_is_number(t))
			die("%s: benchmark \"%s\" has no numeric \"real_time\"", path,
				b->name);
		v = json_number_value(t);
		json_t *u = json_object_get(r->obj, "time_unit");
		const char *unit = json_is_string(u) ? json_string_value(u) : "ns";
		if (strcmp(unit, "ns") == 0)
			;
		else if (strcmp(unit, "us") == 0)
			v *= 1e3;
		else if (strcmp(unit, "ms") == 0)
			v *= 1e6;
		else if (strcmp(unit, "s") == 0)
			v *= 1e9;
		else
			die("%s: benchmark \"%s\": unknown time_unit \"%s\"", path,
				b->name, unit);
	} else {
		json_t *c = json_object_get(r->obj, metric);
		if (!json_is_number(c))
			die("%s: benchmark \"%s\" has no numeric \"%s\" value "
				"(choose another with --metric, e.g. --metric time)",
				path, b->name, metric);
		v = json_number_value(c);
	}
	if (!isfinite(v))
		die("%s: benchmark \"%s\": %s value is not finite", path, b->name,
			metric);
	return v;
}

/* ------------------------------------------------------------------ */
/* comparison                                                          */

static double *values(const struct side *s, const struct bench *b,
					  const char *metric)
{
	double *v = xmalloc(b->nrows * sizeof *v);
	for (size_t i = 0; i < b->nrows; i++)
		v[i] = row_value(s, b, &b->rows[i], metric);
	return v;
}

static int all_common_have(struct side *o, struct side *n, const char *metric)
{
	for (size_t i = 0; i < o->nb; i++) {
		struct bench *nb = side_find(n, o->b[i].name);
		if (!nb)
			continue;
		for (size_t k = 0; k < o->b[i].nrows; k++)
			if (!row_has(&o->b[i].rows[k], metric))
				return 0;
		for (size_t k = 0; k < nb->nrows; k++)
			if (!row_has(&nb->rows[k], metric))
				return 0;
	}
	return 1;
}

static void compare(struct side *o, struct side *n, const char *metric_opt,
					double alpha, struct report *rp)
{
	memset(rp, 0, sizeof *rp);
	rp->alpha = alpha;
	rp->o = o;
	rp->n = n;
	rp->res = xmalloc((o->nb ? o->nb : 1) * sizeof *rp->res);
	rp->only_old = xmalloc((o->nb ? o->nb : 1) * sizeof(char *));
	rp->only_new = xmalloc((n->nb ? n->nb : 1) * sizeof(char *));

	size_t ncommon = 0;
	for (size_t i = 0; i < o->nb; i++) {
		if (side_find(n, o->b[i].name))
			ncommon++;
		else
			rp->only_old[rp->n_only_old++] = o->b[i].name;
	}
	for (size_t i = 0; i < n->nb; i++)
		if (!side_find(o, n->b[i].name))
			rp->only_new[rp->n_only_new++] = n->b[i].name;
	if (ncommon == 0)
		die("no benchmark in common between OLD (%zu benchmark%s) and NEW "
			"(%zu benchmark%s)", o->nb, o->nb == 1 ? "" : "s", n->nb,
			n->nb == 1 ? "" : "s");

	if (metric_opt)
		rp->metric = metric_opt;
	else if (all_common_have(o, n, "cycles"))
		rp->metric = "cycles";
	else if (all_common_have(o, n, "ticks"))
		rp->metric = "ticks";
	else
		rp->metric = "time";
	snprintf(rp->unit, sizeof rp->unit, "%s/op",
			 strcmp(rp->metric, "time") == 0 ? "ns" : rp->metric);

	double *gold = xmalloc(ncommon * sizeof *gold);
	double geo_var = 0;	/* the geomean's log variance: the rows' variances, the rows independent */
	double *gnew = xmalloc(ncommon * sizeof *gnew);
	for (size_t i = 0; i < o->nb; i++) {
		struct bench *ob = &o->b[i], *nb = side_find(n, ob->name);
		if (!nb)
			continue;
		struct result *r = &rp->res[rp->nres++];
		double *ov = values(o, ob, rp->metric);
		double *nv = values(n, nb, rp->metric);
		r->name = ob->name;
		if (gm_summarize(ov, ob->nrows, GMC_CI_LEVEL, &r->old) ||
			gm_summarize(nv, nb->nrows, GMC_CI_LEVEL, &r->new) ||
			gm_mann_whitney(ov, ob->nrows, nv, nb->nrows, &r->mw) ||
			gm_find_modes(ov, ob->nrows, 1.10, &r->mold) ||
			gm_find_modes(nv, nb->nrows, 1.10, &r->mnew))
			die("out of memory");
		free(ov);
		free(nv);
		r->delta = r->old.median != 0.0
					   ? (r->new.median - r->old.median) / r->old.median * 100.0
					   : NAN;
		r->significant = r->mw.p < alpha;
		if (r->significant)
			rp->nsig++;
		if (!r->old.ci_exact || !r->new.ci_exact)
			rp->any_inexact = 1;
		if (r->old.median > 0.0 && r->new.median > 0.0) {
			gold[rp->geo_n] = r->old.median;
			gnew[rp->geo_n] = r->new.median;
			rp->geo_n++;
			/* the row's log ratio has a variance from each side's median interval, taken
			 * as normal: (ln(hi/lo) / 2 z)^2 */
			if (r->old.lo > 0 && r->new.lo > 0) {
				double so = log(r->old.hi / r->old.lo) / (2 * 1.959964), sn = log(r->new.hi / r->new.lo) / (2 * 1.959964);
				geo_var += so * so + sn * sn;
			} else {
				geo_var = INFINITY;
			}
		}
	}
	rp->geo_old = gm_geomean(gold, rp->geo_n);
	rp->geo_new = gm_geomean(gnew, rp->geo_n);
	rp->geo_delta = (rp->geo_old > 0.0 && rp->geo_new > 0.0)
						? (rp->geo_new / rp->geo_old - 1.0) * 100.0
						: NAN;
	rp->geo_lo = rp->geo_hi = NAN;
	if (isfinite(rp->geo_delta) && isfinite(geo_var)) {
		double half = 1.959964 * sqrt(geo_var) / (double)rp->geo_n, c = log(rp->geo_new / rp->geo_old);
		rp->geo_lo = 100.0 * expm1(c - half);
		rp->geo_hi = 100.0 * expm1(c + half);
	}
	free(gold);
	free(gnew);
}

/* ------------------------------------------------------------------ */
/* text output                                                         */

/* The canary of every repetition (gbshim's canary_* counters), per side: states that
 * changed within a side, and sides that ran in different states. */

/* gm compare [process] [--metric M] [--alpha A] [--out DIR] OLD... -- NEW... | OLD NEW */
static int compare_process(int argc, char **argv)
{
	const char *metric = NULL, *outdir = NULL, *v;
	double alpha = 0.05;
	const char **pos = xcalloc((size_t)argc, sizeof *pos);
	const char **newf = xcalloc((size_t)argc, sizeof *newf);
	size_t npos = 0, nnew = 0;
	int sep = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (sep) {
			newf[nnew++] = a;
		} else if (strcmp(a, "--") == 0) {
			sep = 1;
		} else if (gm_opt(argc, argv, &i, "--metric", &metric)) {
			if (!*metric)
				die_usage("--metric: empty name");
			if (is_reserved(metric))
				die_usage("--metric %s: not a per-op counter (use 'time' for real_time)", metric);
		} else if (gm_opt(argc, argv, &i, "--alpha", &v)) {
			alpha = gm_parse_double("--alpha", v, "need a number with 0 < alpha < 1");
			if (!(alpha > 0.0 && alpha < 1.0))
				die_usage("--alpha %s: need a number with 0 < alpha < 1", v);
		} else if (gm_opt(argc, argv, &i, "--out", &outdir)) {
			if (!*outdir)
				die_usage("--out: empty directory name");
		} else if (a[0] == '-' && a[1] != '\0') {
			die_usage("unknown option '%s'", a);
		} else {
			pos[npos++] = a;
		}
	}

	struct side old = { .label = "OLD" }, new = { .label = "NEW" };
	if (sep) {
		if (npos == 0)
			die_usage("no OLD file before '--'");
		if (nnew == 0)
			die_usage("no NEW file after '--'");
		old.files = pos;
		old.nfiles = npos;
		new.files = newf;
		new.nfiles = nnew;
	} else {
		if (npos != 2)
			die_usage("need OLD.json NEW.json, or OLD files -- NEW files (got %zu file%s)", npos,
				  npos == 1 ? "" : "s");
		old.files = pos;
		old.nfiles = 1;
		new.files = pos + 1;
		new.nfiles = 1;
	}

	side_load(&old);
	side_load(&new);

	struct report rp;
	compare(&old, &new, metric, alpha, &rp);

	struct gm_buf table = { 0 };
	render(&rp, &table);

	if (outdir) {
		char *js = render_json(&rp, &old, &new);
		size_t jl = strlen(js);
		js = xrealloc(js, jl + 2);
		memcpy(js + jl, "\n", 2);
		gm_write_files(outdir, "--out", (const char *[]){ "compare.txt", "compare.json", NULL },
			       (const char *[]){ table.s, js });
		free(js);
	}

	fwrite(table.s, 1, table.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("cannot write to stdout: %s", strerror(errno));

	free(table.s);
	free(rp.res);
	free(rp.only_old);
	free(rp.only_new);
	struct side *sides[2] = { &old, &new };
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < sides[s]->nb; i++) {
			free(sides[s]->b[i].name);
			free(sides[s]->b[i].rows);
		}
		free(sides[s]->b);
		for (size_t i = 0; i < sides[s]->nfiles; i++)
			json_decref(sides[s]->docs[i]);
		free(sides[s]->docs);
	}
	free(pos);
	free(newf);
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	return gm_run_mode(argc, argv, compare_process, (const struct gm_mode[]){
		{ "process", compare_process }, { "paired", compare_paired }, { "count", compare_count },
		{ "header", compare_header }, { "verdicts", compare_verdicts }, { "plan", compare_plan },
		{ NULL, NULL } });
}
