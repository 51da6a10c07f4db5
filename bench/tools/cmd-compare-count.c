/*
 * cmd-compare-count.c — gm compare count (docs/tools/compare.md: the count mode): exact
 * instruction counts of two sides, no statistics.  A count row carries its timing
 * verdict beside it (--timing) so that one compare.json holds every kind of row; the
 * prediction rows are in cmd-compare-predict.c.
 */
#define _GNU_SOURCE

#include "cmd-compare.h"
#include "util/load.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define jstr gm_jstr0
#define add_unique gm_jadd_unique
#define find_named gm_jfind
#define num_or_nan gm_jval

/* ------------------------------------------------------------------ input */

static json_t *load_pathlen(const char *path)
{
	struct gm_lerr err;
	json_t *j = gm_load(path, GM_PATHLEN, &err);
	if (!j && err.kind != GM_LKIND)
		die("%s: %s (line %d): not a readable pathlen.json", path, err.text, err.line);
	if (!j)
		die("%s: not a make pathlen result (kind is not gmbench-pathlen)", path);
	json_t *cs = json_object_get(j, "cases");
	if (!json_is_array(cs) || !json_array_size(cs))
		die("%s: no counted cases", path);
	size_t i;
	json_t *c;
	json_array_foreach(cs, i, c) {
		json_t *v = json_object_get(c, "instructions_per_op");
		if (!json_is_string(json_object_get(c, "name")) || !(count_sane(v) || json_is_null(v)))
			die("%s: case %zu has no name or no instructions_per_op (a count, 0 to 1e12, or null)", path, i);
		const char *k;
		json_t *n;
		json_object_foreach(json_object_get(c, "symbols"), k, n)
			if (!count_sane(n))
				die("%s: case %zu: symbol %s's count is not a count (0 to 1e12)", path, i, k);
	}
	return j;
}

/* A side: one or two runs of make pathlen. */
struct cside {
	const char *files[2];
	json_t *run[2];
	int n;
};

/* The count of a case on one side: NAN when absent or not counted. */
struct cval {
	int present;          /* listed as a case in the first run */
	double v;             /* instructions per op (first run) */
	double v2;            /* second run (NAN without one) */
	int exact;            /* the runs' own repetitions agreed */
	int repeatable;       /* both runs gave the same count (1 with a single run) */
	json_t *syms;         /* borrowed: first run's per-symbol counts */
	const char *why;      /* unavailable: why */
};

static struct cval side_val(const struct cside *s, const char *name)
{
	struct cval r = { 0 };
	r.v = r.v2 = NAN;
	json_t *c = find_named(json_object_get(s->run[0], "cases"), "name", name);
	if (!c) {
		json_t *u = find_named(json_object_get(s->run[0], "unavailable"), "name", name);
		if (u)
			r.why = jstr(u, "why");
		return r;
	}
	r.present = 1;
	r.v = num_or_nan(json_object_get(c, "instructions_per_op"));
	r.exact = json_is_true(json_object_get(c, "exact"));
	r.syms = json_object_get(c, "symbols");
	r.repeatable = 1;
	if (s->n == 2) {
		json_t *c2 = find_named(json_object_get(s->run[1], "cases"), "name", name);
		r.v2 = c2 ? num_or_nan(json_object_get(c2, "instructions_per_op")) : NAN;
		r.exact &= c2 && json_is_true(json_object_get(c2, "exact"));
		r.repeatable = !isnan(r.v) && r.v == r.v2;
	}
	return r;
}

/* "36.5", "207", "-" */
const char *fmtn(char *b, size_t n, double v)
{
	if (isnan(v))
		snprintf(b, n, "-");
	else if (v == floor(v))
		snprintf(b, n, "%.0f", v);
	else {
		/* per-op counts of round trips are halves; keep two decimals at most */
		snprintf(b, n, "%.2f", v);
		size_t l = strlen(b);
		while (l && b[l - 1] == '0')
			b[--l] = 0;
		if (l && b[l - 1] == '.')
			b[--l] = 0;
	}
	return b;
}

const char *fmtd(char *b, size_t n, double v)
{
	char t[48];
	if (isnan(v))
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%s%s", v > 0 ? "+" : "", fmtn(t, sizeof t, v));
	return b;
}

json_t *jnv(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* ------------------------------------------------------------------ timing */

struct timing {
	json_t *root;
	const char *kind;     /* timing-paired / timing-process */
	char unit[64];        /* "ticks", "cycles", "ns" */
	double min_p, alpha;  /* paired: the smallest p its layouts can give */
	long layouts;
};

static void load_timing(struct timing *t, const char *path)
{
	struct gm_lerr err;
	t->root = gm_load(path, GM_COMPARE, &err);
	if (!t->root && err.kind != GM_LKIND)
		die("--timing %s: %s (line %d)", path, err.text, err.line);
	if (!t->root)
		die("--timing %s: not a gmcompare compare.json", path);
	t->kind = !strcmp(jstr(t->root, "mode"), "paired") ? "timing-paired" : "timing-process";
	snprintf(t->unit, sizeof t->unit, "%s", jstr(t->root, "unit"));
	t->alpha = json_is_number(json_object_get(t->root, "alpha")) ? json_number_value(json_object_get(t->root, "alpha"))
																   : 0.05;
	t->layouts = (long)json_integer_value(json_object_get(t->root, "layouts"));
	t->min_p = t->layouts > 0 ? ldexp(2.0, -(int)t->layouts) : 0;
	char *sl = strstr(t->unit, "/op");
	if (sl)
		*sl = 0;
	/* every timing row says which kind it is; a row with a verdict has both medians (its
	 * delta is printed in the counter's unit: never a NaN for a missing one) */
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(t->root, "benchmarks"), i, b) {
		if (!json_is_object(b) || !json_is_string(json_object_get(b, "name")))
			die("--timing %s: benchmark %zu has no name", path, i);
		if (!json_object_get(b, "kind"))
			json_object_set_new(b, "kind", json_string(t->kind));
		if (json_is_string(json_object_get(b, "error")) || !json_is_number(json_object_get(b, "delta_pct")))
			continue;
		double om = num_or_nan(json_object_get(json_object_get(b, "old"), "median"));
		double nm = num_or_nan(json_object_get(json_object_get(b, "new"), "median"));
		if (!isfinite(om) || !isfinite(nm) || !isfinite(om * json_number_value(json_object_get(b, "delta_pct"))))
			die("--timing %s: %s has a delta but no old and new median", path, jstr(b, "name"));
	}
}

/* A predict.json's rows as count_predictions reads them: names are strings, what llvm-mca
 * could not cost is a list of strings (make predict writes null for a figure it lacks). */
static void check_predict(json_t *p, const char *path)
{
	static const char *const nums[] = { "instructions", "cycles_one_pass", "rthroughput" };
	size_t i, k;
	json_t *r, *v;
	json_array_foreach(json_object_get(p, "results"), i, r) {
		if (!json_is_object(r) || !json_is_string(json_object_get(r, "symbol")) ||
		    !json_is_string(json_object_get(r, "cpu")))
			die("--predict %s: result %zu lacks its symbol or cpu", path, i);
		for (k = 0; k < sizeof nums / sizeof nums[0]; k++) {
			v = json_object_get(r, nums[k]);
			if (v && !json_is_null(v) && !count_sane(v))
				die("--predict %s: %s: %s is not a count (a number, 0 to 1e12, or null)", path,
				    jstr(r, "symbol"), nums[k]);
		}
		json_t *u = json_object_get(r, "uncosted");
		if (u && !json_is_array(u))
			die("--predict %s: %s: uncosted is not a list", path, jstr(r, "symbol"));
		json_array_foreach(u, k, v)
			if (!json_is_string(v))
				die("--predict %s: uncosted holds a non-string (element %zu of result %zu)", path, k, i);
	}
}

/* The timing verdict of a benchmark, as words beside its count. */
static void timing_words(const struct timing *t, const char *name, double dcount, char *out, size_t n,
						 json_t **summary)
{
	*summary = NULL;
	if (!t->root) {
		snprintf(out, n, "-");
		return;
	}
	json_t *b = find_named(json_object_get(t->root, "benchmarks"), "name", name);
	if (!b) {
		snprintf(out, n, "not timed (not in the timing run)");
		return;
	}
	json_t *dp = json_object_get(b, "delta_pct"), *p = json_object_get(b, "p");
	double om = num_or_nan(json_object_get(json_object_get(b, "old"), "median"));
	double nm = num_or_nan(json_object_get(json_object_get(b, "new"), "median"));
	if (json_is_string(json_object_get(b, "error"))) {
		snprintf(out, n, "timing failed: %s", jstr(b, "error"));
		return;
	}
	if (!json_is_number(dp) || !json_is_number(p)) {
		snprintf(out, n, "no timing verdict (a ~0 floor)");
		return;
	}
	double d = json_number_value(dp), pv = json_number_value(p);
	/* the delta in the counter's unit: the old median times the relative delta (paired:
	 * the median paired ratio; process level: the medians' delta) */
	double abs_d = !strcmp(t->kind, "timing-paired") ? om * d / 100.0 : nm - om;
	int sig = json_is_true(json_object_get(b, "significant"));
	*summary = json_pack("{s:s s:f s:f s:b s:s}", "from", t->kind, "delta_pct", d, "p", pv, "significant", sig,
						 "unit", t->unit);
	if (isfinite(abs_d))
		json_object_set_new(*summary, "delta", json_real(abs_d));
	if (sig)
		snprintf(out, n, "%+.3g %s (%+.1f%%), p=%.3f: %s", abs_d, t->unit, d, pv, d > 0 ? "slower" : "faster");
	else if (!strcmp(t->kind, "timing-paired") && t->min_p >= t->alpha)
		snprintf(out, n, "~ (p=%.2f: %ld layouts cannot reach p < %g, no verdict; %+.1f%%)", pv, t->layouts,
				 t->alpha, d);
	else if (dcount != 0 && !isnan(dcount))
		snprintf(out, n, "~ (p=%.2f: hidden by the out-of-order core, or below this machine's noise)", pv);
	else
		snprintf(out, n, "~ (p=%.2f)", pv);
}


static int cmp_abs_desc(const void *a, const void *b)
{
	double x = fabs(json_number_value(json_array_get(*(json_t *const *)a, 1)));
	double y = fabs(json_number_value(json_array_get(*(json_t *const *)b, 1)));
	return x < y ? 1 : x > y ? -1 : 0;
}

/* new - old per symbol, zero entries dropped, largest first: [[name, delta], ...] */
static json_t *sym_delta(json_t *o, json_t *n)
{
	json_t *acc = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(n, k, v)
		json_object_set_new(acc, k, json_real(json_number_value(v)));
	json_object_foreach(o, k, v) {
		json_t *a = json_object_get(acc, k);
		json_object_set_new(acc, k, json_real((a ? json_number_value(a) : 0) - json_number_value(v)));
	}
	size_t na = json_object_size(acc), m = 0;
	json_t **arr = calloc(na + 1, sizeof *arr);
	if (!arr)
		die("out of memory");
	json_object_foreach(acc, k, v) {
		double x = json_number_value(v);
		if (fabs(x) > 1e-9)
			arr[m++] = json_pack("[s o]", k, jnv(round(x * 100) / 100));
	}
	qsort(arr, m, sizeof *arr, cmp_abs_desc);
	json_t *out = json_array();
	for (size_t i = 0; i < m; i++)
		json_array_append_new(out, arr[i]);
	free(arr);
	json_decref(acc);
	return out;
}

/* the short name of a counting method: "qemu-aarch64 exec trace", "callgrind" */
static void method_short(const char *m, char *out, size_t n)
{
	if (strstr(m, "callgrind"))
		snprintf(out, n, "callgrind (Ir)%s", "");
	else if (strstr(m, "-singlestep")) {
		char q[64] = "qemu";
		sscanf(m, "%63s", q);
		snprintf(out, n, "%s exec trace", q);
	} else
		snprintf(out, n, "%.60s", m);
}

int compare_count(int argc, char **argv)
{
	const char *outdir = NULL, *timing_path = NULL, *paths_path = NULL, *pred[2] = { 0 };
	struct cside S[2] = { 0 };
	int sep = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			sep = 1;
		else if (gm_opt(argc, argv, &i, "--out", &outdir) || gm_opt(argc, argv, &i, "--timing", &timing_path) ||
			 gm_opt(argc, argv, &i, "--paths", &paths_path) || gm_optn(argc, argv, &i, "--predict", 2, pred))
			;
		else if (a[0] == '-' && a[1] == '-')
			die("count: unknown option %s (usage: gm compare count [--timing T.json] [--predict OLD.json "
				 "NEW.json] [--paths FILE] [--out DIR] OLD.json [OLD2.json] -- NEW.json [NEW2.json])", a);
		else {
			struct cside *s = &S[sep];
			if (s->n == 2)
				die("count: at most two counts per side (%s)", a);
			s->files[s->n++] = a;
		}
	}
	if (!sep || !S[0].n || !S[1].n)
		die("count needs OLD.json [OLD2.json] -- NEW.json [NEW2.json] (make pathlen results)");
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < S[s].n; r++)
			S[s].run[r] = load_pathlen(S[s].files[r]);
	const char *arch = jstr(S[0].run[0], "arch"), *port = jstr(S[0].run[0], "port");
	for (int s = 0; s < 2; s++)
		for (int r = 0; r < S[s].n; r++)
			if (strcmp(jstr(S[s].run[r], "arch"), arch))
				die("%s counts arch %s, but %s counts %s: both sides must be one port", S[s].files[r],
					 jstr(S[s].run[r], "arch"), S[0].files[0], arch);
	struct timing T = { 0 };
	if (timing_path)
		load_timing(&T, timing_path);
	json_t *P[2] = { 0 };
	for (int s = 0; s < 2 && pred[0]; s++) {
		struct gm_lerr err;
		P[s] = gm_load(pred[s], GM_PREDICT, &err);
		if (!P[s] && err.kind != GM_LKIND)
			die("--predict %s: %s (line %d)", pred[s], err.text, err.line);
		if (!P[s])
			die("--predict %s: not a make predict result (kind is not gmbench-predict)", pred[s]);
		check_predict(P[s], pred[s]);
	}
	/* routines whose paths differ */
	json_t *paths = json_object();   /* routine -> status */
	size_t npaths = 0, npaths_same = 0;
	if (paths_path) {
		FILE *f = fopen(paths_path, "r");
		if (!f)
			die("--paths %s: %s", paths_path, strerror(errno));
		char line[1024];
		while (fgets(line, sizeof line, f)) {
			char st[32], ar[32], sym[512];
			if (sscanf(line, "%31s %31s %511s", st, ar, sym) != 3)
				continue;
			if (strcmp(st, "same") && strcmp(st, "changed") && strcmp(st, "only-old") && strcmp(st, "only-new")) {
				fclose(f);
				die("--paths %s: bad status '%s' (same, changed, only-old, only-new)", paths_path, st);
			}
			npaths++;
			npaths_same += !strcmp(st, "same");
			json_object_set_new(paths, sym, json_string(st));
		}
		int rerr = ferror(f);
		fclose(f);
		if (rerr)	/* a folder opens but cannot be read: never "no routine listed" */
			die("--paths %s: cannot read it", paths_path);
	}

	/* ---- the count rows ---- */
	json_t *rows = json_array();
	json_t *names = json_array();
	size_t i;
	json_t *c;
	for (int s = 0; s < 2; s++)
		json_array_foreach(json_object_get(S[s].run[0], "cases"), i, c) {
			const char *nm = jstr(c, "name");
			add_unique(names, nm);
		}
	size_t nrows = json_array_size(names), nchanged = 0, nnotrep = 0, nnotexact = 0, ngeo = 0;
	double geo = 0;	/* the sum of ln(new/old) over the rows counted on both sides */
	struct gm_buf ch = { 0 }, notes = { 0 };
	char mshort[96];
	method_short(jstr(S[0].run[0], "method"), mshort, sizeof mshort);
	json_t *timing_only = json_array();
	for (size_t r = 0; r < nrows; r++) {
		const char *nm = json_string_value(json_array_get(names, r));
		struct cval o = side_val(&S[0], nm), n = side_val(&S[1], nm);
		json_t *row = json_pack("{s:s s:s s:s}", "kind", "count", "name", nm, "unit", "instructions/op");
		json_object_set_new(row, "old", jnv(o.v));
		json_object_set_new(row, "new", jnv(n.v));
		if (S[0].n == 2)
			json_object_set_new(row, "old_runs", json_pack("[o o]", jnv(o.v), jnv(o.v2)));
		if (S[1].n == 2)
			json_object_set_new(row, "new_runs", json_pack("[o o]", jnv(n.v), jnv(n.v2)));
		double d = (o.present && n.present) ? n.v - o.v : NAN;
		if (o.present && n.present && o.v > 0 && n.v > 0 && isfinite(o.v) && isfinite(n.v))
			geo += log(n.v / o.v), ngeo++;
		int exact = o.exact && n.exact && o.repeatable && n.repeatable;
		json_object_set_new(row, "delta", jnv(d));
		json_object_set_new(row, "exact", json_boolean(exact));
		json_object_set_new(row, "repeatable", json_pack("{s:b s:b}", "old", o.repeatable, "new", n.repeatable));
		int changed = !o.present || !n.present ? (o.present != n.present) : (d != 0 || isnan(d));
		if ((o.present && !o.repeatable) || (n.present && !n.repeatable)) {
			nnotrep++;
			changed = 1;
		} else if ((o.present && !o.exact) || (n.present && !n.exact))
			nnotexact++;
		json_object_set_new(row, "changed", json_boolean(changed));
		json_t *sd = sym_delta(o.syms, n.syms);
		json_t *sdo = json_object();
		size_t k;
		json_t *e;
		json_array_foreach(sd, k, e)
			json_object_set(sdo, json_string_value(json_array_get(e, 0)), json_array_get(e, 1));
		json_object_set_new(row, "symbols_delta", sdo);
		char tw[256];
		json_t *tsum = NULL;
		timing_words(&T, nm, d, tw, sizeof tw, &tsum);
		if (tsum)
			json_object_set_new(row, "timing", tsum);
		if (!o.present && o.why)
			json_object_set_new(row, "old_unavailable", json_string(o.why));
		if (!n.present && n.why)
			json_object_set_new(row, "new_unavailable", json_string(n.why));
		if (changed) {
			nchanged++;
			char b1[48], b2[48], b3[48];
			struct gm_buf where = { 0 };
			json_array_foreach(sd, k, e) {
				if (k == 4) {
					gm_bprintf(&where, " ...");
					break;
				}
				gm_bprintf(&where, "%s%s %s", k ? ", " : "", json_string_value(json_array_get(e, 0)),
				   fmtd(b3, sizeof b3, json_number_value(json_array_get(e, 1))));
			}
			const char *mark = (o.present && !o.repeatable) || (n.present && !n.repeatable) ? "!" :
							   exact ? "" : "~";
			if (!o.present)
				gm_bprintf(&ch, "%-36s %8s %8s %7s  %s\n", nm, "-", fmtn(b2, sizeof b2, n.v), "new",
				   o.why ? o.why : "only in NEW");
			else if (!n.present)
				gm_bprintf(&ch, "%-36s %8s %8s %7s  %s\n", nm, fmtn(b1, sizeof b1, o.v), "-", "gone",
				   n.why ? n.why : "only in OLD");
			else {
				char dd[56];
				snprintf(dd, sizeof dd, "%s%s", mark, fmtd(b3, sizeof b3, d));
				gm_bprintf(&ch, "%-36s %8s %8s %7s  %s", nm, fmtn(b1, sizeof b1, o.v), fmtn(b2, sizeof b2, n.v), dd,
				   where.s ? where.s : "");
				if (T.root) {
					char lead[160];
					snprintf(lead, sizeof lead, "%s instruction%s, ", fmtd(b3, sizeof b3, d),
							 fabs(d) == 1 ? "" : "s");
					gm_bprintf(&ch, "\n%-36s   timing: %s%s", "", d != 0 ? lead : "", tw);
				}
				gm_bprintf(&ch, "\n");
			}
			free(where.s);
			if (o.present && !o.repeatable)
				gm_bprintf(&notes, "! %s: OLD counted %s in one run and %s in the other: not repeatable, the delta is not "
						   "exact\n", nm, fmtn(b1, sizeof b1, o.v), fmtn(b2, sizeof b2, o.v2));
			if (n.present && !n.repeatable)
				gm_bprintf(&notes, "! %s: NEW counted %s in one run and %s in the other: not repeatable, the delta is not "
						   "exact\n", nm, fmtn(b1, sizeof b1, n.v), fmtn(b2, sizeof b2, n.v2));
		} else if (tsum && json_is_true(json_object_get(tsum, "significant"))) {
			json_array_append_new(timing_only, json_pack("{s:s s:s}", "name", nm, "words", tw));
		}
		json_decref(sd);
		json_array_append_new(rows, row);
	}

	/* ---- the text ---- */
	struct gm_buf t = { 0 };
	int runs = S[0].n < S[1].n ? S[0].n : S[1].n;
	gm_bprintf(&t, "== count: exact instructions per operation (%s, %s port; not timings, not cycles)\n", mshort, port);
	if (runs == 2)
		gm_bprintf(&t, "counted twice on each side (two processes, each repeating every region %d times): %s\n",
		   (int)json_integer_value(json_object_get(S[0].run[0], "reps")),
		   nnotrep ? "SOME COUNTS DIFFER (marked !, listed below)" : "every count identical");
	else
		gm_bprintf(&t, "counted once on each side (the run's own repetitions only)\n");
	if (strcmp(jstr(S[0].run[0], "method"), jstr(S[1].run[0], "method")))
		gm_bprintf(&t, "WARNING: the two sides were counted by different methods:\n  OLD: %s\n  NEW: %s\n",
		   jstr(S[0].run[0], "method"), jstr(S[1].run[0], "method"));
	if (!nchanged) {
		gm_bprintf(&t, "no counted path changed: %zu rows, the same instructions per operation on both sides\n", nrows);
	} else {
		gm_bprintf(&t, "%zu of %zu rows changed (%zu unchanged rows not listed); '~' marks a count the runs' repetitions "
			   "did not reproduce, '!' one the two runs did not\n\n", nchanged, nrows, nrows - nchanged);
		gm_bprintf(&t, "%-36s %8s %8s %7s  %s\n", "name", "old", "new", "delta", "where (routines: instructions/op)");
		gm_bprintf(&t, "%s", ch.s ? ch.s : "");
	}
	if (ngeo)
		gm_bprintf(&t, "geomean of new/old over the %zu rows counted on both sides: %+.3f%% (exact counts: no "
			   "interval)\n", ngeo, 100 * expm1(geo / (double)ngeo));
	if (notes.s)
		gm_bprintf(&t, "%s", notes.s);
	if (nnotexact)
		gm_bprintf(&t, "%zu rows were not exactly repeatable within a run (their repetitions differed)\n", nnotexact);
	if (T.root && json_array_size(timing_only)) {
		gm_bprintf(&t, "\ntiming moved where no instruction count did (layout, machine state, or one of the expected "
			   "false positives):\n");
		json_array_foreach(timing_only, i, c)
			gm_bprintf(&t, "%-36s   0 instructions, timing: %s\n", jstr(c, "name"), jstr(c, "words"));
	}

	/* ---- predictions ---- */
	json_t *prows = json_array();
	json_t *models = json_array();
	if (P[0]) {
		count_predictions(&t, P, paths, paths_path, npaths, npaths_same, nchanged, prows, models);
	}
	fputs(t.s, stdout);

	/* ---- compare.json: every kind of row in one array ---- */
	if (outdir) {
		json_t *root = T.root ? json_incref(T.root) : json_pack("{s:s}", "tool", "gmcompare");
		json_object_set_new(root, "format_version", json_integer(3));
		json_t *kinds = json_array();
		if (T.root)
			json_array_append_new(kinds, json_string(T.kind));
		json_array_append_new(kinds, json_string("count"));
		if (P[0])
			json_array_append_new(kinds, json_string("prediction"));
		json_object_set_new(root, "kinds", kinds);
		json_t *bs = json_object_get(root, "benchmarks");
		if (!bs) {
			bs = json_array();
			json_object_set_new(root, "benchmarks", bs);
		}
		json_array_extend(bs, rows);
		json_array_extend(bs, prows);
		json_t *cs = json_pack("{s:s s:s s:s s:i s:i s:i s:i s:b}", "arch", arch, "port", port, "method",
							   jstr(S[0].run[0], "method"), "rows", (int)nrows, "changed", (int)nchanged,
							   "runs_per_side", runs, "not_repeatable", (int)nnotrep, "no_counted_path_changed",
							   nchanged == 0);
		json_object_set_new(cs, "geomean_rows", json_integer((json_int_t)ngeo));
		json_object_set_new(cs, "geomean_pct", ngeo ? json_real(100 * expm1(geo / (double)ngeo)) : json_null());
		json_object_set_new(root, "count", cs);
		if (P[0])
			json_object_set_new(root, "prediction",
								json_pack("{s:s s:s s:o}", "label", "static prediction, not a measurement",
										  "llvm_mca", jstr(json_object_get(P[0], "meta"), "llvm_mca"), "models",
										  json_incref(models)));
		char *js = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		json_decref(root);
		if (!js)
			die("out of memory");
		struct gm_buf csv = { 0 };
		gm_bprintf(&csv, "name,old,new,delta,changed,exact\n");
		json_array_foreach(rows, i, c) {
			char b1[48], b2[48], b3[48];
			gm_bprintf(&csv, "%s,%s,%s,%s,%d,%d\n", jstr(c, "name"), fmtn(b1, sizeof b1, num_or_nan(json_object_get(c, "old"))),
			   fmtn(b2, sizeof b2, num_or_nan(json_object_get(c, "new"))),
			   fmtn(b3, sizeof b3, num_or_nan(json_object_get(c, "delta"))),
			   json_is_true(json_object_get(c, "changed")), json_is_true(json_object_get(c, "exact")));
		}
		gm_write_files(outdir, "--out", (const char *[]){ "count.csv", "compare.json", NULL },
			       (const char *[]){ csv.s, js });
		free(csv.s);
		free(js);
	}
	free(t.s);
	free(ch.s);
	free(notes.s);
	json_decref(rows);
	json_decref(prows);
	json_decref(models);
	json_decref(names);
	json_decref(paths);
	json_decref(timing_only);
	for (int s = 0; s < 2; s++) {
		for (int r = 0; r < S[s].n; r++)
			json_decref(S[s].run[r]);
		if (P[s])
			json_decref(P[s]);
	}
	if (T.root)
		json_decref(T.root);
	return 0;
}
