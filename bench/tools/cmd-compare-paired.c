/*
 * cmd-compare-paired.c — gm compare paired (docs/tools/compare.md: the paired mode; how a
 * verdict is reached: docs/compare.md).  Per benchmark and machine state, the effect with its
 * interval from the pairs' levels (util/effect.c); verdicts after Benjamini-Hochberg over
 * the rows; the table and compare.json are written from the same struct est.
 */
#define _GNU_SOURCE

#include "cmd-compare.h"
#include "cmd-compare-states.h"
#include "util/effect.h"
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


/* ------------------------------------------------------------------ input */

struct proc {
	const char *file;
	long layout;
	json_t *root;
	double canary[2][3];      /* side, field (add, call, ssb): medians over repetitions */
	int state;                /* index into the compare's list of states */
};

static double med_of(double *v, size_t n)
{
	return n ? gm_median(v, n) : NAN;
}

static void load_proc(struct proc *p)
{
	struct gm_lerr err;
	p->root = gm_load(p->file, GM_PAIR | GM_NAN_TOKENS, &err);
	if (!p->root && err.kind != GM_LKIND)
		die("%s: %s (line %d)", p->file, err.text, err.line);
	if (!p->root)
		die("%s: not a gmpair result (no gmpair version or cases)", p->file);
	json_t *l = json_object_get(p->root, "layout");
	p->layout = json_is_integer(l) ? (long)json_integer_value(l) : -1;
	json_t *can = json_object_get(p->root, "canary");
	size_t n = json_array_size(can);
	for (int s = 0; s < 2; s++)
		for (int f = 0; f < 3; f++) {
			double *v = xcalloc(n, sizeof *v);
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				json_t *x = json_array_get(json_object_get(json_array_get(can, i), s ? "b" : "a"), (size_t)f);
				if (json_is_number(x))
					v[k++] = json_number_value(x);
			}
			p->canary[s][f] = med_of(v, k);
			free(v);
		}
}

static json_t *find_case(json_t *root, const char *name)
{
	json_t *cs = json_object_get(root, "cases");
	for (size_t i = 0; i < json_array_size(cs); i++) {
		json_t *c = json_array_get(cs, i);
		const char *n = json_string_value(json_object_get(c, "name"));
		if (n && !strcmp(n, name))
			return c;
	}
	return NULL;
}


/* ------------------------------------------------------------------ analysis */

/* one row: a benchmark in one machine state (state -1: the compare saw one state) */
struct est {
	const char *name, *unit, *err;
	int state;
	double old_med, new_med;
	double old_lo, old_hi, new_lo, new_hi;   /* the range of the processes' own medians */
	struct gm_effect e;
	int floor, sig;
	double level, lo, hi;     /* the interval (percent) and its level */
	double bound, mde;        /* "~": no change beyond +-bound; not resolved: could resolve +-mde */
	const char *verdict;      /* slower, faster, same, unresolved, floor, failed */
};

/* The pairs of case `name` in the processes of state g (-1: all): the estimate, and the
 * medians of old and new per operation. */
static void estimate(const char *name, const struct proc *P, size_t np, int g, struct est *r)
{
	size_t cap = 0, n = 0, na = 0;
	for (size_t i = 0; i < np; i++)
		if (g < 0 || P[i].state == g) {
			json_t *c = find_case(P[i].root, name);
			cap += json_array_size(json_object_get(c, "pairs"));
		}
	struct gm_pair_obs *o = xcalloc(cap + 1, sizeof *o);
	double *va = xcalloc(cap + 1, sizeof *va), *vb = xcalloc(cap + 1, sizeof *vb);
	r->old_lo = r->new_lo = INFINITY;
	r->old_hi = r->new_hi = -INFINITY;
	for (size_t i = 0; i < np; i++) {
		if (g >= 0 && P[i].state != g)
			continue;
		json_t *c = find_case(P[i].root, name);
		if (!c)
			continue;
		size_t na0 = na;
		if (json_is_string(json_object_get(c, "error")))
			r->err = json_string_value(json_object_get(c, "error"));
		json_t *pairs = json_object_get(c, "pairs");
		for (size_t k = 0; k < json_array_size(pairs); k++) {
			json_t *pr = json_array_get(pairs, k), *x = json_array_get(pr, 0), *y = json_array_get(pr, 1);
			if (!json_is_number(x) || !json_is_number(y))
				continue;
			double a = json_number_value(x), b = json_number_value(y);
			va[na] = a, vb[na++] = b;
			if (!(a > 0 && b > 0))
				continue;
			/* a layout: the slot of this process's binary (files from before slots: the
			 * process's layout) */
			json_t *sl = json_array_get(pr, 6);
			long slot = json_is_integer(sl) ? (long)json_integer_value(sl) : 0;
			o[n].proc = i;
			o[n].slot = (P[i].layout + 1) * 100000L + slot;
			o[n++].d = log(b / a);
		}
		if (na > na0) {
			double ma = med_of(va + na0, na - na0), mb = med_of(vb + na0, na - na0);
			r->old_lo = fmin(r->old_lo, ma), r->old_hi = fmax(r->old_hi, ma);
			r->new_lo = fmin(r->new_lo, mb), r->new_hi = fmax(r->new_hi, mb);
		}
	}
	r->old_med = med_of(va, na);
	r->new_med = med_of(vb, na);
	r->floor = !(r->old_med > 0) || n * 2 < na;
	if (!r->floor)
		gm_effect_estimate(o, n, &r->e);
	free(o), free(va), free(vb);
}

/* the interval at `level`, the verdict, the bound or the smallest effect resolvable */
static void judge(struct est *r, double alpha, double min_effect)
{
	r->lo = r->hi = r->bound = r->mde = NAN;
	if (r->err || r->floor)
		r->e.est = r->e.se = r->e.p = NAN;
	if (r->err) {
		r->verdict = "failed";
		return;
	}
	if (r->floor) {
		r->verdict = "floor";
		return;
	}
	if (!r->e.ok) {
		r->verdict = "unresolved";
		return;
	}
	double t = gm_t_quantile(1 - (1 - r->level) / 2, r->e.df);
	r->lo = gm_pct(r->e.est - t * r->e.se);
	r->hi = gm_pct(r->e.est + t * r->e.se);
	/* MIN_EFFECT is the equivalence margin: an interval inside it is "~", even when it
	 * excludes 0 (a real change smaller than the margin: said beside the bound) */
	if (r->lo > -min_effect && r->hi < min_effect) {
		r->verdict = "same";
		r->bound = fmax(fabs(r->lo), fabs(r->hi));
	} else if (r->sig) {
		r->verdict = r->e.est > 0 ? "slower" : "faster";
	} else {
		r->verdict = "unresolved";
	}
	/* the smallest effect this run finds 80% of the time at alpha */
	double ta = gm_t_quantile(1 - alpha / 2, r->e.df), tb = gm_t_quantile(0.8, r->e.df);
	r->mde = gm_pct((ta + tb) * r->e.se);
}

static void verdict_text(const struct est *r, double min_effect, char *out, size_t n)
{
	if (!strcmp(r->verdict, "failed"))
		snprintf(out, n, "failed: %s", r->err);
	else if (!strcmp(r->verdict, "floor") && !r->e.npairs && !isfinite(r->old_med))
		snprintf(out, n, "no pairs: nothing to compare");
	else if (!strcmp(r->verdict, "floor"))
		snprintf(out, n, "~0 floor: no ratio");
	else if (!strcmp(r->verdict, "slower") || !strcmp(r->verdict, "faster"))
		snprintf(out, n, "%s", r->verdict);
	else if (!strcmp(r->verdict, "same") && r->sig)
		snprintf(out, n, "~ no change beyond ±%.1f%% (%s by less: the interval excludes 0)", r->bound,
			 r->e.est > 0 ? "slower" : "faster");
	else if (!strcmp(r->verdict, "same"))
		snprintf(out, n, "~ no change beyond ±%.1f%%", r->bound);
	else if (!r->e.ok)
		snprintf(out, n, "not resolved: %zu layouts, too few for an interval", r->e.nslots);
	else
		snprintf(out, n, "not resolved (this run resolves ±%.1f%%; ~ needs ±%.3g%%)", r->mde, min_effect);
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static const char *canary_names[3] = { "add", "call", "ssb" };

/* geomean of the effects of one state's rows: the mean of their log effects; the rows are
 * taken as independent (their variances add) */
static void geomean(const struct est *R, size_t nr, int state, double alpha, double min_effect, struct est *g)
{
	memset(g, 0, sizeof *g);
	g->name = "geomean";
	g->state = state;
	g->level = 1 - alpha;
	double s = 0, v = 0, df = INFINITY;
	size_t n = 0;
	for (size_t k = 0; k < nr; k++)
		if (R[k].state == state && !R[k].err && !R[k].floor && R[k].e.ok) {
			s += R[k].e.est, v += R[k].e.se * R[k].e.se, n++;
			df = fmin(df, R[k].e.df);
		}
	g->e.nslots = n;	/* rows, here */
	g->e.est = g->e.se = g->e.p = NAN;
	if (n) {
		g->e.est = s / (double)n;
		g->e.se = sqrt(v) / (double)n;
		g->e.df = df;
		g->e.ok = g->e.se > 0;
		g->e.p = g->e.ok ? 2 * gm_t_cdf(-fabs(g->e.est) / g->e.se, df) : NAN;
		g->sig = g->e.ok && g->e.p < alpha;
	}
	g->floor = n == 0;
	judge(g, alpha, min_effect);
}

int compare_paired(int argc, char **argv)
{
	double alpha = 0.05, min_effect = 2;
	const char *outdir = NULL, *record = NULL, *run_id = NULL, *v;
	size_t np = 0;
	struct proc *P = xcalloc((size_t)argc, sizeof *P);
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, "--alpha", &v)) {
			char *e;
			alpha = strtod(v, &e);
			if (*e || !(alpha > 0 && alpha < 1))
				die("--alpha must be a number between 0 and 1");
		} else if (gm_opt(argc, argv, &i, "--min-effect", &v)) {
			char *e;
			min_effect = strtod(v, &e);
			if (*e || !(min_effect > 0 && min_effect < 100))
				die("--min-effect must be a percentage above 0 and below 100");
		} else if (gm_opt(argc, argv, &i, "--out", &outdir)) {
		} else if (gm_opt(argc, argv, &i, "--states", &record)) {
		} else if (gm_opt(argc, argv, &i, "--run-id", &run_id)) {
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			die("unknown option %s (usage: gm compare paired [--alpha A] [--min-effect PCT] [--states FILE] "
			    "[--run-id ID] [--out DIR] PAIRS.json...)", argv[i]);
		} else {
			P[np++].file = argv[i];
		}
	}
	if (np < 2)
		die("paired needs the pair files of at least two processes");
	for (size_t i = 0; i < np; i++)
		load_proc(&P[i]);
	const char *unit = json_string_value(json_object_get(P[0].root, "unit"));
	const char *counter = json_string_value(json_object_get(P[0].root, "counter"));
	for (size_t i = 1; i < np; i++) {
		const char *u = json_string_value(json_object_get(P[i].root, "unit"));
		if (!u || !unit || strcmp(u, unit))
			die("%s: unit %s, but %s has %s: processes of different counters", P[i].file, u ? u : "?",
				 P[0].file, unit ? unit : "?");
	}

	/* machine states: the old side's canaries, named against the host's record */
	double (*cv)[GM_CANARY_N] = xcalloc(np, sizeof *cv);
	for (size_t i = 0; i < np; i++)
		for (int f = 0; f < GM_CANARY_N; f++)
			cv[i][f] = P[i].canary[0][f];
	struct gm_state_names sn;
	gm_states_assign(record, run_id, (const double (*)[GM_CANARY_N])cv, np, &sn);
	const char *slabel[64];
	size_t nstates = 0, sprocs[64] = { 0 }, sfirst[64];
	for (size_t i = 0; i < np; i++) {
		size_t g;
		for (g = 0; g < nstates && strcmp(slabel[g], sn.label[i]); g++)
			;
		if (g == nstates && nstates < 64)
			slabel[nstates] = sn.label[i], sfirst[nstates++] = i;
		P[i].state = (int)(g < 64 ? g : 63);
		sprocs[P[i].state]++;
	}
	int split = nstates > 1;

	/* the sides' canaries against each other: same process, adjacent in time */
	double cdiff[3];
	for (int f = 0; f < 3; f++) {
		double *x = xcalloc(np, sizeof *x);
		size_t k = 0;
		for (size_t i = 0; i < np; i++)
			if (P[i].canary[0][f] > 0 && P[i].canary[1][f] > 0)
				x[k++] = P[i].canary[1][f] / P[i].canary[0][f];
		cdiff[f] = (med_of(x, k) - 1) * 100;
		free(x);
	}

	/* rows: the cases of the first process, in its order, per state when the processes split */
	json_t *cs0 = json_object_get(P[0].root, "cases");
	size_t nc = json_array_size(cs0), ng = split ? nstates : 1, nr = nc * ng;
	struct est *R = xcalloc(nr ? nr : 1, sizeof *R);
	double *pv = xcalloc(nr ? nr : 1, sizeof *pv);
	int *mark = xcalloc(nr ? nr : 1, sizeof *mark);
	for (size_t k = 0; k < nc; k++) {
		json_t *c0 = json_array_get(cs0, k);
		const char *name = json_string_value(json_object_get(c0, "name"));
		const char *cu = json_string_value(json_object_get(c0, "unit"));
		if (!name || !cu)
			die("%s: case %zu has no name or unit", P[0].file, k);
		for (size_t g = 0; g < ng; g++) {
			struct est *r = &R[k * ng + g];
			r->name = name;
			r->unit = cu;
			r->state = split ? (int)g : -1;
			estimate(name, P, np, r->state, r);
			pv[k * ng + g] = !r->err && !r->floor && r->e.ok ? r->e.p : NAN;
		}
	}
	/* Benjamini-Hochberg over the rows; the discoveries' intervals at the matching level
	 * (Benjamini-Yekutieli's false-coverage rate): 1 - R alpha / m */
	size_t m = 0;
	for (size_t k = 0; k < nr; k++)
		m += !isnan(pv[k]);
	size_t nd = gm_bh(pv, nr, alpha, mark);
	for (size_t k = 0; k < nr; k++) {
		R[k].sig = mark[k];
		R[k].level = mark[k] ? 1 - (double)nd * alpha / (double)m : 1 - alpha;
		judge(&R[k], alpha, min_effect);
	}
	struct est G[64];
	for (size_t g = 0; g < ng; g++)
		geomean(R, nr, split ? (int)g : -1, alpha, min_effect, &G[g]);

	/* ---- the table ---- */
	struct gm_buf t = { 0 };
	size_t nslots_p = 0, npairs = 0;
	{
		json_t *ns = json_object_get(P[0].root, "slots");
		nslots_p = json_is_integer(ns) ? (size_t)json_integer_value(ns) : 1;
		const char *c0 = json_string_value(json_object_get(json_array_get(cs0, 0), "name"));
		for (size_t i = 0; c0 && i < np; i++)
			npairs += json_array_size(json_object_get(find_case(P[i].root, c0), "pairs"));
	}
	gm_bprintf(&t, "mode: paired in-process: %zu processes, each a binary of %zu layout%s (code, data and stack "
		       "placements of both sides), A and B alternating in pairs (%zu per benchmark)\n",
		   np, nslots_p, nslots_p == 1 ? "" : "s", npairs);
	gm_bprintf(&t, "counter: %s (%s)\n", counter ? counter : "?", unit ? unit : "?");
	if (sn.warning[0])
		gm_bprintf(&t, "WARNING: %s\n", sn.warning);
	for (size_t g = 0; g < nstates; g++) {
		char desc[300];
		gm_state_desc(desc, sizeof desc, &sn, sfirst[g], unit);
		if (!split)
			gm_bprintf(&t, "machine state: %s\n", desc);
		else
			gm_bprintf(&t, "%s state %s: %zu of %zu processes\n", g ? "               " : "MACHINE STATES:", desc,
				   sprocs[g], np);
	}
	if (split)
		gm_bprintf(&t, "the processes ran in %zu states: every effect is given per state (name@state), never "
			       "pooled; a verdict that differs between states is the change's effect in each state\n",
			   nstates);
	/* slot 0's A and B copies sit side by side at one place in every binary: their canaries
	 * differ by their placement (up to ~15% on the Zen 5 VM for ssb), or by more */
	for (int f = 0; f < 3; f++)
		if (fabs(cdiff[f]) > 20)
			gm_bprintf(&t, "WARNING: the sides' %s canaries differ by %+.1f%% (median over processes): the two "
						"sides did not run in the same state, or the change touches the canary's code\n",
					canary_names[f], cdiff[f]);
	int w = 34;
	for (size_t k = 0; k < nr; k++)
		if ((int)strlen(R[k].name) + (split ? 4 : 0) > w)
			w = (int)strlen(R[k].name) + (split ? 4 : 0);
	gm_bprintf(&t, "\n%-*s %14s %10s %27s  %s\n", w, "name", "old", "new", "effect [interval]", "verdict");
	double *sdl = xcalloc(nr + 1, sizeof *sdl), *sdp = xcalloc(nr + 1, sizeof *sdp), *sdq = xcalloc(nr + 1, sizeof *sdq);
	size_t nl = 0, npp = 0, nq = 0, ncmp = 0, nsame = 0, nunres = 0, nsig = 0;
	for (size_t k = 0; k < nr + ng; k++) {
		const struct est *r = k < nr ? &R[k] : &G[k - nr];
		if (k == nr)
			gm_bprintf(&t, "\n");
		char nm[300], o[40] = "", n[40] = "", eff[80] = "", verd[200];
		snprintf(nm, sizeof nm, "%s%s%s", r->name, r->state >= 0 ? "@" : "", r->state >= 0 ? slabel[r->state] : "");
		if (k < nr && !isfinite(r->old_med)) {	/* a case without pairs (failed before any) */
			snprintf(o, sizeof o, "- %s", r->unit);
			snprintf(n, sizeof n, "-");
		} else if (k < nr) {
			snprintf(o, sizeof o, "%.4g %s", r->old_med, r->unit);
			snprintf(n, sizeof n, "%.4g", r->new_med);
		} else {
			snprintf(o, sizeof o, "(%zu rows)", r->e.nslots);
		}
		if (isfinite(r->lo))
			snprintf(eff, sizeof eff, "%+.2f%% [%+.1f%%, %+.1f%%]", gm_pct(r->e.est), r->lo, r->hi);
		else if (isfinite(r->e.est))
			snprintf(eff, sizeof eff, "%+.2f%%", gm_pct(r->e.est));
		verdict_text(r, min_effect, verd, sizeof verd);
		if (k < nr && r->level < 1 - alpha)
			snprintf(verd + strlen(verd), sizeof verd - strlen(verd), " (%.1f%% interval)", 100 * r->level);
		gm_bprintf(&t, "%-*s %14s %10s %27s  %s\n", w, nm, o, n, eff, verd);
		if (k >= nr || r->err || r->floor)
			continue;
		ncmp++;
		nsame += !strcmp(r->verdict, "same");
		nsig += !strcmp(r->verdict, "slower") || !strcmp(r->verdict, "faster");
		nunres += !strcmp(r->verdict, "unresolved");
		if (isfinite(r->e.sd_slot))
			sdl[nl++] = gm_pct(r->e.sd_slot);
		if (isfinite(r->e.sd_proc))
			sdp[npp++] = gm_pct(r->e.sd_proc);
		if (isfinite(r->e.sd_pair))
			sdq[nq++] = gm_pct(r->e.sd_pair);
	}
	gm_bprintf(&t, "\nspread of ln(new/old) as %% (median over rows): between layouts %.1f%%", nl ? gm_median(sdl, nl) : NAN);
	if (npp)
		gm_bprintf(&t, ", between processes %.1f%%", gm_median(sdp, npp));
	if (nq)
		gm_bprintf(&t, ", between pairs of one layout %.1f%%", gm_median(sdq, nq));
	gm_bprintf(&t, "\n%zu rows compared: %zu slower or faster, %zu ~, %zu not resolved.  slower/faster: the "
		       "interval excludes 0 after Benjamini-Hochberg control of the false discovery rate at %g over "
		       "the %zu rows (their intervals at %.1f%%) and is not inside ±%g%%; ~: the interval lies "
		       "within ±%g%% (MIN_EFFECT, the equivalence margin); "
		       "the geomean covers the rows with an interval (floors and failed rows left out)\n",
		   ncmp, nsig, nsame, nunres, alpha, m, nd ? 100 * (1 - (double)nd * alpha / (double)m) : 100 * (1 - alpha),
		   min_effect, min_effect);
	fputs(t.s, stdout);

	if (outdir) {
		json_t *root = json_object();
		json_object_set_new(root, "tool", json_string("gmcompare"));
		json_object_set_new(root, "format_version", json_integer(3));
		json_object_set_new(root, "mode", json_string("paired"));
		json_object_set_new(root, "unit", json_string(unit ? unit : ""));
		json_object_set_new(root, "counter", json_string(counter ? counter : ""));
		json_object_set_new(root, "alpha", json_real(alpha));
		json_object_set_new(root, "min_effect_pct", json_real(min_effect));
		json_object_set_new(root, "processes", json_integer((json_int_t)np));
		json_object_set_new(root, "layouts_per_process", json_integer((json_int_t)nslots_p));
		json_object_set_new(root, "comparisons", json_integer((json_int_t)ncmp));
		json_object_set_new(root, "significant", json_integer((json_int_t)nsig));
		json_object_set_new(root, "discoveries", json_integer((json_int_t)nd));
		json_object_set_new(root, "fdr_control", json_string("Benjamini-Hochberg over the rows"));
		json_t *st = json_array();
		for (size_t g = 0; g < nstates; g++) {
			const double *c = sn.center[sfirst[g]];
			json_t *s = json_pack("{s:s s:i s:f s:f s:f}", "label", slabel[g], "processes", (int)sprocs[g], "add",
					      c[0], "call", c[1], "ssb", c[2]);
			if (sn.recorded)
				json_object_set_new(s, "seen", json_integer((json_int_t)sn.seen[sfirst[g]]));
			json_array_append_new(st, s);
		}
		json_object_set_new(root, "states", st);
		json_object_set_new(root, "states_split", json_boolean(split));
		json_t *arr = json_array(), *geo = json_array();
		for (size_t k = 0; k < nr + ng; k++) {
			const struct est *r = k < nr ? &R[k] : &G[k - nr];
			json_t *b = json_object();
			json_object_set_new(b, "name", json_string(r->name));
			json_object_set_new(b, "state", r->state >= 0 ? json_string(slabel[r->state]) : json_string(slabel[0]));
			if (k < nr) {
				/* the median over all pairs; ci_low/ci_high: the range of the processes' medians */
				json_object_set_new(b, "old", json_pack("{s:o s:o s:o}", "median", jnum(r->old_med), "ci_low",
									jnum(r->old_lo), "ci_high", jnum(r->old_hi)));
				json_object_set_new(b, "new", json_pack("{s:o s:o s:o}", "median", jnum(r->new_med), "ci_low",
									jnum(r->new_lo), "ci_high", jnum(r->new_hi)));
				json_object_set_new(b, "kind", json_string("timing-paired"));
			} else {
				json_object_set_new(b, "rows", json_integer((json_int_t)r->e.nslots));
			}
			if (r->err)
				json_object_set_new(b, "error", json_string(r->err));
			json_object_set_new(b, "verdict", json_string(r->verdict));
			json_object_set_new(b, "significant", json_boolean(r->sig));
			if (!r->err && !r->floor) {
				json_object_set_new(b, "delta_pct", jnum(gm_pct(r->e.est)));
				json_object_set_new(b, "ci_low_pct", jnum(r->lo));
				json_object_set_new(b, "ci_high_pct", jnum(r->hi));
				json_object_set_new(b, "ci_level", json_real(r->level));
				json_object_set_new(b, "p", jnum(r->e.p));
				json_object_set_new(b, "df", jnum(r->e.df));
				if (!strcmp(r->verdict, "same"))
					json_object_set_new(b, "bound_pct", jnum(r->bound));
				json_object_set_new(b, "resolvable_pct", jnum(r->mde));
				if (k < nr) {
					json_object_set_new(b, "pairs", json_integer((json_int_t)r->e.npairs));
					json_object_set_new(b, "layouts", json_integer((json_int_t)r->e.nslots));
					json_object_set_new(b, "sd_layout_pct", jnum(gm_pct(r->e.sd_slot)));
					json_object_set_new(b, "sd_process_pct", jnum(gm_pct(r->e.sd_proc)));
					json_object_set_new(b, "sd_pair_pct", jnum(gm_pct(r->e.sd_pair)));
				}
			}
			json_array_append_new(k < nr ? arr : geo, b);
		}
		json_object_set_new(root, "benchmarks", arr);
		json_object_set_new(root, "geomean", geo);
		char *js = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		json_decref(root);
		gm_write_files(outdir, "--out", (const char *[]){ "compare.txt", "compare.json", NULL },
			       (const char *[]){ t.s, js });
		free(js);
	}
	gm_states_free(&sn);
	free(R), free(pv), free(mark), free(cv), free(sdl), free(sdp), free(sdq);
	return 0;
}
