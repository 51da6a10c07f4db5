/*
 * cmd-compare-table.c — the outputs of gm compare's process level (docs/tools/compare.md):
 * the benchstat-like table with the canary's notes, and compare.json.  Apart from the
 * comparison so that each reads on its own.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-compare.h"

static void canary_notes(struct side *o, struct side *n, struct gm_buf *out)
{
	static const char *const keys[3] = { "canary_add", "canary_call", "canary_ssb" };
	struct side *sd[2] = { o, n };
	double med[2][3];
	int have = 0;
	for (int k = 0; k < 3; k++) {
		for (int s = 0; s < 2; s++) {
			size_t cap = 0, nv = 0;
			double *v = NULL;
			for (size_t b = 0; b < sd[s]->nb; b++)
				for (size_t r = 0; r < sd[s]->b[b].nrows; r++) {
					json_t *x = json_object_get(sd[s]->b[b].rows[r].obj, keys[k]);
					if (!json_is_number(x))
						continue;
					if (nv == cap)
						v = xrealloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
					v[nv++] = json_number_value(x);
				}
			med[s][k] = nv ? gm_median(v, nv) : NAN;
			gm_modes m;
			if (nv && gm_find_modes(v, nv, 1.25, &m) == 0 && m.split)
				gm_bprintf(out, "MACHINE STATES in %s: the %s canary read %.4g in %zu repetitions and %.4g in "
							   "%zu: the machine changed state during that side's runs\n",
						  s ? "NEW" : "OLD", keys[k] + 7, m.lo_median, m.n_lo, m.hi_median, m.n_hi);
			have |= nv > 0;
			free(v);
		}
		if (med[0][k] > 0 && med[1][k] > 0 && fabs(med[1][k] / med[0][k] - 1) > 0.03)
			gm_bprintf(out, "WARNING: the sides' %s canaries differ: %.4g (OLD) vs %.4g (NEW): the two sides ran in "
						   "different machine states (or the change touches the canary's code); a verdict may "
						   "reflect the state, not the change\n", keys[k] + 7, med[0][k], med[1][k]);
	}
	if (have)
		gm_bprintf(out, "canary medians (OLD / NEW): add %.4g / %.4g, call %.4g / %.4g, ssb %.4g / %.4g\n",
				  med[0][0], med[1][0], med[0][1], med[1][1], med[0][2], med[1][2]);
}

/* about 4 significant digits, never an exponent for usual magnitudes */
static void fmt_val(char *buf, size_t n, double v)
{
	double a = fabs(v);
	if (v == 0.0)
		snprintf(buf, n, "0");
	else if (a >= 1e15 || a < 1e-3)
		snprintf(buf, n, "%.4g", v);
	else if (a >= 1000.0)
		snprintf(buf, n, "%.0f", v);
	else if (a >= 100.0)
		snprintf(buf, n, "%.1f", v);
	else if (a >= 10.0)
		snprintf(buf, n, "%.2f", v);
	else if (a >= 1.0)
		snprintf(buf, n, "%.3f", v);
	else
		snprintf(buf, n, "%.4g", v);
}

static void fmt_cell(char *buf, size_t n, const gm_summary *s)
{
	char v[64];
	fmt_val(v, sizeof v, s->median);
	if (s->median == 0.0) {
		snprintf(buf, n, "%s ± ?%s", v, s->ci_exact ? "" : "!");
		return;
	}
	double pct = (s->hi - s->lo) / 2.0 / fabs(s->median) * 100.0;
	snprintf(buf, n, pct < 10.0 ? "%s ± %.1f%%%s" : "%s ± %.0f%%%s", v, pct,
			 s->ci_exact ? "" : "!");
}

/* signed percentage with 2 decimals; never "-0.00%" */
static void fmt_pct(char *buf, size_t n, double pct)
{
	if (fabs(pct) < 0.005)
		pct = 0.0;
	snprintf(buf, n, "%+.2f%%", pct);
}

/* display width of a UTF-8 string (counts code points; "±" is 2 bytes) */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* a table row: the name and two cells left-aligned in their columns, the third right-aligned */
static void cells(struct gm_buf *out, const size_t w[4], const char *c0, const char *c1, const char *c2,
		  const char *c3)
{
	gm_bprintf(out, "%s", c0);
	gm_bpad(out, w[0] - width(c0) + 2);
	gm_bprintf(out, "%s", c1);
	gm_bpad(out, w[1] - width(c1) + 2);
	gm_bprintf(out, "%s", c2);
	gm_bpad(out, w[2] - width(c2) + 2);
	gm_bpad(out, w[3] - width(c3));
	gm_bprintf(out, "%s", c3);
}

void render(const struct report *rp, struct gm_buf *out)
{
	size_t nr = rp->nres;
	char (*c1)[96] = xmalloc(nr * sizeof *c1);
	char (*c2)[96] = xmalloc(nr * sizeof *c2);
	char (*c3)[32] = xmalloc(nr * sizeof *c3);
	char (*c4)[64] = xmalloc(nr * sizeof *c4);
	char h1[300], h2[300], g1[64], g2[64], g3[32];

	snprintf(h1, sizeof h1, "old %s", rp->unit);
	snprintf(h2, sizeof h2, "new %s", rp->unit);
	size_t w0 = strlen("geomean"), w1 = width(h1), w2 = width(h2),
		   w3 = strlen("delta");
	for (size_t i = 0; i < nr; i++) {
		const struct result *r = &rp->res[i];
		fmt_cell(c1[i], sizeof c1[i], &r->old);
		fmt_cell(c2[i], sizeof c2[i], &r->new);
		if (!r->significant)
			snprintf(c3[i], sizeof c3[i], "~");
		else if (isnan(r->delta))
			snprintf(c3[i], sizeof c3[i], "n/a");
		else
			fmt_pct(c3[i], sizeof c3[i], r->delta);
		snprintf(c4[i], sizeof c4[i], "(p=%.3f n=%zu+%zu)", r->mw.p, r->old.n,
				 r->new.n);
		if (width(r->name) > w0) w0 = width(r->name);
		if (width(c1[i]) > w1) w1 = width(c1[i]);
		if (width(c2[i]) > w2) w2 = width(c2[i]);
		if (width(c3[i]) > w3) w3 = width(c3[i]);
	}
	if (rp->geo_n) {
		fmt_val(g1, sizeof g1, rp->geo_old);
		fmt_val(g2, sizeof g2, rp->geo_new);
		fmt_pct(g3, sizeof g3, rp->geo_delta);
	} else {
		snprintf(g1, sizeof g1, "n/a");
		snprintf(g2, sizeof g2, "n/a");
		snprintf(g3, sizeof g3, "n/a");
	}
	if (width(g1) > w1) w1 = width(g1);
	if (width(g2) > w2) w2 = width(g2);
	if (width(g3) > w3) w3 = width(g3);

	const size_t w[4] = { w0, w1, w2, w3 };
	cells(out, w, "name", h1, h2, "delta");
	gm_bprintf(out, "\n");

	for (size_t i = 0; i < nr; i++) {
		const struct result *r = &rp->res[i];
		cells(out, w, r->name, c1[i], c2[i], c3[i]);
		gm_bprintf(out, "  %s\n", c4[i]);
		/* samples in two clusters: a machine state, not noise; never pooled silently */
		for (int s = 0; s < 2; s++) {
			const gm_modes *m = s ? &r->mnew : &r->mold;
			if (m->split)
				gm_bprintf(out, "  ^ TWO MODES in %s: %.4g (%zu runs) and %.4g (%zu runs): a hidden state "
							   "changed this benchmark between processes; its verdict is not one number\n",
						  s ? "NEW" : "OLD", m->lo_median, m->n_lo, m->hi_median, m->n_hi);
		}
	}
	cells(out, w, "geomean", g1, g2, g3);
	if (isfinite(rp->geo_lo))
		gm_bprintf(out, "  [%+.1f%%, %+.1f%%] (95%% interval from the medians' intervals, the rows independent)",
			   rp->geo_lo, rp->geo_hi);
	if (rp->geo_n && rp->geo_n < nr)
		gm_bprintf(out, "  (%zu of %zu benchmarks: medians <= 0 left out)",
				  rp->geo_n, nr);
	gm_bprintf(out, "\n\n");

	gm_bprintf(out,
			  "%zu benchmark%s compared, %zu significant at alpha=%g; with %zu "
			  "comparison%s expect about %.3g false positive%s\n",
			  nr, nr == 1 ? "" : "s", rp->nsig, rp->alpha, nr,
			  nr == 1 ? "" : "s", (double)nr * rp->alpha,
			  (double)nr * rp->alpha == 1.0 ? "" : "s");
	if (rp->any_inexact)
		gm_bprintf(out, "! fewer than 6 samples: too few for a 95%% CI of the "
					   "median; the range shown is min..max\n");
	if (rp->n_only_old) {
		gm_bprintf(out, "only in OLD (not compared):");
		for (size_t i = 0; i < rp->n_only_old; i++)
			gm_bprintf(out, "%s %s", i ? "," : "", rp->only_old[i]);
		gm_bprintf(out, "\n");
	}
	if (rp->n_only_new) {
		gm_bprintf(out, "only in NEW (not compared):");
		for (size_t i = 0; i < rp->n_only_new; i++)
			gm_bprintf(out, "%s %s", i ? "," : "", rp->only_new[i]);
		gm_bprintf(out, "\n");
	}
	canary_notes(rp->o, rp->n, out);
	free(c1);
	free(c2);
	free(c3);
	free(c4);
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jstrs(const char *const *s, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(s[i]));
	return a;
}

static json_t *jsummary(const gm_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "n", json_integer((json_int_t)s->n));
	json_object_set_new(o, "median", jnum(s->median));
	json_object_set_new(o, "ci_low", jnum(s->lo));
	json_object_set_new(o, "ci_high", jnum(s->hi));
	json_object_set_new(o, "ci_coverage", jnum(s->coverage));
	json_object_set_new(o, "ci_exact", json_boolean(s->ci_exact));
	json_object_set_new(
		o, "ci_halfwidth_pct",
		jnum(s->median != 0.0 ? (s->hi - s->lo) / 2.0 / fabs(s->median) * 100.0
							  : NAN));
	return o;
}

char *render_json(const struct report *rp, const struct side *o,
						 const struct side *n)
{
	json_t *root = json_object();
	json_object_set_new(root, "tool", json_string("gmcompare"));
	json_object_set_new(root, "format_version", json_integer(1));
	json_object_set_new(root, "mode", json_string("process"));
	json_object_set_new(root, "metric", json_string(rp->metric));
	json_object_set_new(root, "unit", json_string(rp->unit));
	json_object_set_new(root, "alpha", json_real(rp->alpha));
	json_object_set_new(root, "ci_level", json_real(GMC_CI_LEVEL));
	json_object_set_new(root, "comparisons", json_integer((json_int_t)rp->nres));
	json_object_set_new(root, "significant", json_integer((json_int_t)rp->nsig));
	json_object_set_new(root, "expected_false_positives",
						json_real((double)rp->nres * rp->alpha));
	json_object_set_new(root, "old_files", jstrs(o->files, o->nfiles));
	json_object_set_new(root, "new_files", jstrs(n->files, n->nfiles));

	json_t *arr = json_array();
	for (size_t i = 0; i < rp->nres; i++) {
		const struct result *r = &rp->res[i];
		json_t *b = json_object();
		json_object_set_new(b, "kind", json_string("timing-process"));
		json_object_set_new(b, "name", json_string(r->name));
		json_object_set_new(b, "old", jsummary(&r->old));
		json_object_set_new(b, "new", jsummary(&r->new));
		json_object_set_new(b, "delta_pct", jnum(r->delta));
		json_object_set_new(b, "u", jnum(r->mw.u));
		json_object_set_new(b, "u_old", jnum(r->mw.u_x));
		json_object_set_new(b, "p", jnum(r->mw.p));
		json_object_set_new(b, "p_method",
							json_string(r->mw.exact ? "exact" : "normal"));
		json_object_set_new(b, "ties", json_boolean(r->mw.ties));
		json_object_set_new(b, "significant", json_boolean(r->significant));
		json_array_append_new(arr, b);
	}
	json_object_set_new(root, "benchmarks", arr);

	json_t *g = json_object();
	json_object_set_new(g, "n", json_integer((json_int_t)rp->geo_n));
	json_object_set_new(g, "old", jnum(rp->geo_old));
	json_object_set_new(g, "new", jnum(rp->geo_new));
	json_object_set_new(g, "delta_pct", jnum(rp->geo_delta));
	json_object_set_new(g, "ci_low_pct", jnum(rp->geo_lo));
	json_object_set_new(g, "ci_high_pct", jnum(rp->geo_hi));
	json_object_set_new(root, "geomean", g);
	json_object_set_new(root, "only_old", jstrs(rp->only_old, rp->n_only_old));
	json_object_set_new(root, "only_new", jstrs(rp->only_new, rp->n_only_new));

	char *s = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	json_decref(root);
	if (!s)
		die("cannot encode the JSON report (out of memory?)");
	return s;
}

/* ------------------------------------------------------------------ */
/* atomic file output                                                  */

