/*
 * cmd-compare-paired.c — gm compare paired (docs/tools/compare.md: the paired mode, its
 * levels and verdict rules).  One pass over the processes per benchmark: each verdict is
 * a function of that benchmark's per-process medians, the layouts and the canary's states,
 * so the table and compare.json are written from the same struct verdict.
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


/* ------------------------------------------------------------------ input */

struct proc {
	const char *file;
	long layout;
	json_t *root;
	double canary[2][3];      /* side, field (add, call, ssb): medians over repetitions */
	int state;                /* the canary state cluster this process is in (0 or 1) */
};

struct pcase {
	const char *name, *unit;
	/* per process: medians of old, new, and the paired ratio; NAN when absent */
	double *a, *b, *r;
	size_t nproc_have;
	const char *err;
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

/* old, new medians and the median paired ratio of one case in one process */
static int case_stats(json_t *c, double *a, double *b, double *r)
{
	json_t *pairs = json_object_get(c, "pairs");
	size_t n = json_array_size(pairs);
	if (!n)
		return -1;
	double *va = xcalloc(n, sizeof *va), *vb = xcalloc(n, sizeof *vb), *vr = xcalloc(n, sizeof *vr);
	size_t k = 0, kr = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(pairs, i);
		json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
		if (!json_is_number(x) || !json_is_number(y))
			continue;
		va[k] = json_number_value(x);
		vb[k] = json_number_value(y);
		if (va[k] > 0)
			vr[kr++] = vb[k] / va[k];
		k++;
	}
	*a = med_of(va, k);
	*b = med_of(vb, k);
	*r = kr * 2 > k ? med_of(vr, kr) : NAN;
	free(va);
	free(vb);
	free(vr);
	return k ? 0 : -1;
}

/* ------------------------------------------------------------------ analysis */

struct lay { long id; size_t *procs; size_t n; };

struct verdict {
	double old_med, new_med, delta, lmin, lmax, pspread, p;
	size_t nl, nup, ndown;
	int sig, floor;
	int unresolved; /* 1: all layouts one way, but within the processes' own spread;
					 * 2: not significant, in a run whose processes disagree by more
					 * than --min-effect: a "~" would claim more than the run saw */
	int small;      /* all layouts one way, but below the smallest effect given a verdict */
	int lean;       /* not significant, all layouts but one one way: +1 slower, -1 faster */
	gm_modes mold, mratio;
	double state_delta[2];
	size_t state_n[2];
};

static void judge(const struct pcase *c, const struct proc *P, size_t np, const struct lay *L, size_t nl,
				  double alpha, double min_effect, int states_split, struct verdict *v)
{
	memset(v, 0, sizeof *v);
	double *ao = xcalloc(np, sizeof *ao), *bo = xcalloc(np, sizeof *bo), *ro = xcalloc(np, sizeof *ro);
	size_t na = 0, nr = 0;
	for (size_t i = 0; i < np; i++) {
		if (!isnan(c->a[i]))
			ao[na] = c->a[i], bo[na++] = c->b[i];
		if (!isnan(c->r[i]))
			ro[nr++] = c->r[i];
	}
	v->old_med = med_of(ao, na);
	v->new_med = med_of(bo, na);
	if (!(v->old_med > 0) || nr * 2 < na) {
		v->floor = 1;
		free(ao), free(bo), free(ro);
		return;
	}
	gm_find_modes(ao, na, 1.10, &v->mold);
	gm_find_modes(ro, nr, 1.05, &v->mratio);
	/* layouts */
	double *ml = xcalloc(nl, sizeof *ml), *lg = xcalloc(nl, sizeof *lg);
	double pspread = 0;
	size_t npsp = 0;
	double *sp = xcalloc(nl, sizeof *sp);
	for (size_t l = 0; l < nl; l++) {
		double *x = xcalloc(L[l].n, sizeof *x);
		size_t k = 0;
		for (size_t j = 0; j < L[l].n; j++)
			if (!isnan(c->r[L[l].procs[j]]))
				x[k++] = c->r[L[l].procs[j]];
		if (k) {
			ml[v->nl] = med_of(x, k);
			lg[v->nl] = log(ml[v->nl]);
			if (ml[v->nl] > 1)
				v->nup++;
			else if (ml[v->nl] < 1)
				v->ndown++;
			v->nl++;
			if (k >= 2) {
				double lo = x[0], hi = x[0];
				for (size_t j = 1; j < k; j++)
					lo = x[j] < lo ? x[j] : lo, hi = x[j] > hi ? x[j] : hi;
				sp[npsp++] = hi - lo;
			}
		}
		free(x);
	}
	pspread = npsp ? med_of(sp, npsp) : NAN;
	v->pspread = pspread * 100;
	double eff = med_of(ml, v->nl);
	v->delta = (eff - 1) * 100;
	v->lmin = v->lmax = ml[0];
	for (size_t l = 1; l < v->nl; l++)
		v->lmin = ml[l] < v->lmin ? ml[l] : v->lmin, v->lmax = ml[l] > v->lmax ? ml[l] : v->lmax;
	v->lmin = (v->lmin - 1) * 100;
	v->lmax = (v->lmax - 1) * 100;
	gm_wsr w;
	gm_wilcoxon_signed_rank(lg, v->nl, &w);
	v->p = w.p;
	v->sig = w.p < alpha;
	/* Two processes of one layout that disagree by more than the effect say the effect is
	 * the size of a process's own state: the layouts agreeing is then luck (a null
	 * compare shows it), so no verdict.  Needs PROCS >= 2. */
	if (v->sig && isfinite(v->pspread) && fabs(v->delta) < v->pspread) {
		v->sig = 0;
		v->unresolved = 1;
	}
	/* Likewise no "~" (which reads as "no change") when the processes disagree by more
	 * than the smallest effect a verdict is given for: this run could not have seen it. */
	if (!v->sig && !v->unresolved && isfinite(v->pspread) && v->pspread > min_effect &&
		fabs(v->delta) < v->pspread)
		v->unresolved = 2;
	/* Null compares (the same code on both sides) on a VM give consistent effects of a
	 * few percent that no layout cancels: below --min-effect there is no verdict. */
	if (v->sig && fabs(v->delta) < min_effect) {
		v->sig = 0;
		v->small = 1;
	}
	/* Short of significance by one layout, with an effect above the process spread: say
	 * which way it leans, so a verdict at the edge of the test's power is not a plain "~". */
	if (!v->sig && !v->unresolved && !v->small && v->nl >= 6 && fabs(v->delta) >= min_effect &&
		(!isfinite(v->pspread) || fabs(v->delta) >= v->pspread)) {
		if (v->nup + 1 >= v->nl && v->delta > 0)
			v->lean = 1;
		else if (v->ndown + 1 >= v->nl && v->delta < 0)
			v->lean = -1;
	}
	/* per machine state (the canary's clusters), when the processes split */
	if (states_split) {
		for (int s = 0; s < 2; s++) {
			double *x = xcalloc(np, sizeof *x);
			size_t k = 0;
			for (size_t i = 0; i < np; i++)
				if (P[i].state == s && !isnan(c->r[i]))
					x[k++] = c->r[i];
			v->state_n[s] = k;
			v->state_delta[s] = k ? (med_of(x, k) - 1) * 100 : NAN;
			free(x);
		}
	}
	free(ml), free(lg), free(sp), free(ao), free(bo), free(ro);
}

static const char *canary_names[3] = { "add", "call", "ssb" };

int compare_paired(int argc, char **argv)
{
	double alpha = 0.05, min_effect = 3;
	const char *outdir = NULL, *v;
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
			if (*e || !(min_effect >= 0 && min_effect < 100))
				die("--min-effect must be a percentage between 0 and 100");
		} else if (gm_opt(argc, argv, &i, "--out", &outdir)) {
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			die("unknown option %s (usage: gm compare paired [--alpha A] [--min-effect PCT] [--out DIR] PAIRS.json...)", argv[i]);
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
	/* layouts */
	struct lay *L = xcalloc(np, sizeof *L);
	size_t nl = 0;
	for (size_t i = 0; i < np; i++) {
		size_t l;
		for (l = 0; l < nl && L[l].id != P[i].layout; l++)
			;
		if (l == nl) {
			L[nl].id = P[i].layout;
			L[nl].procs = xcalloc(np, sizeof *L[nl].procs);
			nl++;
		}
		L[l].procs[L[l].n++] = i;
	}
	/* machine states from the canary: old side's canaries across processes */
	int states_split = 0, split_field = -1;
	gm_modes cm[3];
	for (int f = 0; f < 3; f++) {
		double *x = xcalloc(np, sizeof *x);
		size_t k = 0;
		for (size_t i = 0; i < np; i++)
			if (!isnan(P[i].canary[0][f]))
				x[k++] = P[i].canary[0][f];
		gm_find_modes(x, k, 1.10, &cm[f]);
		if (cm[f].split && !states_split) {
			states_split = 1;
			split_field = f;
			for (size_t i = 0; i < np; i++)
				P[i].state = P[i].canary[0][f] >= cm[f].hi_min;
		}
		free(x);
	}
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
	/* cases: those of the first process, in its order */
	json_t *cs0 = json_object_get(P[0].root, "cases");
	size_t nc = json_array_size(cs0);
	struct pcase *C = xcalloc(nc, sizeof *C);
	for (size_t k = 0; k < nc; k++) {
		json_t *c0 = json_array_get(cs0, k);
		C[k].name = json_string_value(json_object_get(c0, "name"));
		C[k].unit = json_string_value(json_object_get(c0, "unit"));
		if (!C[k].name || !C[k].unit)
			die("%s: case %zu has no name or unit", P[0].file, k);
		C[k].a = xcalloc(np, sizeof(double));
		C[k].b = xcalloc(np, sizeof(double));
		C[k].r = xcalloc(np, sizeof(double));
		for (size_t i = 0; i < np; i++) {
			json_t *c = find_case(P[i].root, C[k].name);
			C[k].a[i] = C[k].b[i] = C[k].r[i] = NAN;
			if (!c)
				continue;
			if (json_is_string(json_object_get(c, "error")))
				C[k].err = json_string_value(json_object_get(c, "error"));
			if (case_stats(c, &C[k].a[i], &C[k].b[i], &C[k].r[i]) == 0)
				C[k].nproc_have++;
		}
	}

	/* ---- the table ---- */
	struct gm_buf t = { 0 };
	size_t nsig = 0, ncmp = 0;
	struct verdict *V = xcalloc(nc, sizeof *V);
	gm_bprintf(&t, "mode: paired in-process (A and B alternating in each of %zu processes; %zu layouts of code and "
				"stack; verdicts from the layouts)\n", np, nl);
	gm_bprintf(&t, "counter: %s (%s)\n", counter ? counter : "?", unit ? unit : "?");
	if (states_split) {
		gm_bprintf(&t, "MACHINE STATES: the %s canary fell into two clusters across processes: %.3g %s/op in %zu "
					"processes, %.3g in %zu; effects are given per state below\n",
				canary_names[split_field], cm[split_field].lo_median, unit, cm[split_field].n_lo,
				cm[split_field].hi_median, cm[split_field].n_hi);
	} else {
		gm_bprintf(&t, "machine state: one canary state in every process (add %.3g, call %.3g, ssb %.3g %s/op)\n",
				P[0].canary[0][0], P[0].canary[0][1], P[0].canary[0][2], unit);
	}
	for (int f = 0; f < 3; f++)
		if (fabs(cdiff[f]) > 3)
			gm_bprintf(&t, "WARNING: the sides' %s canaries differ by %+.1f%% (median over processes): the two "
						"sides did not run in the same state, or the change touches the canary's code\n",
					canary_names[f], cdiff[f]);
	int w = 34;
	for (size_t k = 0; k < nc; k++)
		if ((int)strlen(C[k].name) > w)
			w = (int)strlen(C[k].name);
	gm_bprintf(&t, "\n%-*s %14s %14s %9s %21s  %s\n", w, "name", "old", "new", "delta", "layouts (min..max)",
			"verdict");
	double *lspread = xcalloc(nc, sizeof *lspread), *pspread = xcalloc(nc, sizeof *pspread);
	size_t nls = 0, nps = 0;
	for (size_t k = 0; k < nc; k++) {
		struct verdict *v = &V[k];
		judge(&C[k], P, np, L, nl, alpha, min_effect, states_split, v);
		char o[40], n[40];
		snprintf(o, sizeof o, "%.4g %s", v->old_med, C[k].unit);
		snprintf(n, sizeof n, "%.4g", v->new_med);
		if (C[k].err) {
			gm_bprintf(&t, "%-*s %14s %14s %9s %21s  failed: %s\n", w, C[k].name, o, n, "", "", C[k].err);
			continue;
		}
		if (v->floor && !isfinite(v->old_med)) {	/* no pair anywhere: no median to print */
			gm_bprintf(&t, "%-*s %14s %14s %9s %21s  missing: no pairs in any process\n", w, C[k].name, "-", "-",
				   "", "");
			continue;
		}
		if (v->floor) {
			gm_bprintf(&t, "%-*s %14s %14s %9s %21s  ~0 floor: no ratio\n", w, C[k].name, o, n, "", "");
			continue;
		}
		ncmp++;
		char d[24], lr[40], verd[240];
		snprintf(d, sizeof d, "%+.2f%%", v->delta);
		snprintf(lr, sizeof lr, "%+.1f%%..%+.1f%%", v->lmin, v->lmax);
		if (v->sig) {
			nsig++;
			snprintf(verd, sizeof verd, "%s (p=%.3f, %zu of %zu layouts)", v->delta > 0 ? "slower" : "faster",
					 v->p, v->delta > 0 ? v->nup : v->ndown, v->nl);
		} else if (v->unresolved == 2) {
			snprintf(verd, sizeof verd, "~ (p=%.3f; %zu slower, %zu faster of %zu layouts; the processes of a layout "
					 "disagree by %.1f%%: not resolved)", v->p, v->nup, v->ndown, v->nl, v->pspread);
		} else if (v->unresolved) {
			snprintf(verd, sizeof verd, "~ (p=%.3f, %zu of %zu layouts %s, but %+.1f%% is within the processes' own "
					 "spread of %.1f%%: not resolved)", v->p, v->delta > 0 ? v->nup : v->ndown, v->nl,
					 v->delta > 0 ? "slower" : "faster", v->delta, v->pspread);
		} else if (v->small) {
			snprintf(verd, sizeof verd, "~ (p=%.3f, %zu of %zu layouts %s, but below the %.3g%% a verdict needs)",
					 v->p, v->delta > 0 ? v->nup : v->ndown, v->nl, v->delta > 0 ? "slower" : "faster", min_effect);
		} else if (v->lean) {
			snprintf(verd, sizeof verd, "~ leaning %s (p=%.3f; %zu slower, %zu faster of %zu layouts)",
					 v->lean > 0 ? "slower" : "faster", v->p, v->nup, v->ndown, v->nl);
		} else {
			snprintf(verd, sizeof verd, "~ (p=%.3f; %zu slower, %zu faster of %zu layouts)", v->p, v->nup,
					 v->ndown, v->nl);
		}
		gm_bprintf(&t, "%-*s %14s %14s %9s %21s  %s\n", w, C[k].name, o, n, d, lr, verd);
		lspread[nls++] = v->lmax - v->lmin;
		if (isfinite(v->pspread))
			pspread[nps++] = v->pspread;
		if (v->mold.split)
			gm_bprintf(&t, "  ^ TWO MODES across processes: old %.4g (%zu processes) and %.4g (%zu): a hidden state "
						"changes this benchmark by itself\n",
					v->mold.lo_median, v->mold.n_lo, v->mold.hi_median, v->mold.n_hi);
		if (v->mratio.split)
			gm_bprintf(&t, "  ^ TWO MODES of the effect: %+.1f%% (%zu processes) and %+.1f%% (%zu): the change's "
						"effect depends on a state the processes did not share\n",
					(v->mratio.lo_median - 1) * 100, v->mratio.n_lo, (v->mratio.hi_median - 1) * 100,
					v->mratio.n_hi);
		if (states_split && (v->mratio.split || v->mold.split || v->sig))
			gm_bprintf(&t, "  ^ per %s-canary state: %+.1f%% (%zu processes, canary %.3g), %+.1f%% (%zu, canary %.3g)\n",
					canary_names[split_field], v->state_delta[0], v->state_n[0], cm[split_field].lo_median,
					v->state_delta[1], v->state_n[1], cm[split_field].hi_median);
	}
	if (nls)
		gm_bprintf(&t, "\nspread due to code and stack placement alone: the layouts' range is %.1f%% (median over "
					"benchmarks)%s", gm_median(lspread, nls), nps ? "" : "\n");
	if (nps)
		gm_bprintf(&t, "; between processes of one layout %.1f%%\n", gm_median(pspread, nps));
	free(lspread);
	free(pspread);
	gm_bprintf(&t, "\n%zu benchmarks compared, %zu significant at alpha=%g (exact Wilcoxon signed-rank over %zu "
				"layouts; with %zu layouts the smallest p is %.3f; no verdict below %.3g%% or within the processes' "
				"spread)\n",
			ncmp, nsig, alpha, nl, nl, nl ? ldexp(2.0, -(int)nl) : 1.0, min_effect);
	if (nl < 6)
		gm_bprintf(&t, "NOTE: fewer than 6 layouts cannot reach p < 0.05: use LAYOUTS=6 or more for verdicts\n");
	fputs(t.s, stdout);

	if (outdir) {
		json_t *root = json_object();
		json_object_set_new(root, "tool", json_string("gmcompare"));
		json_object_set_new(root, "format_version", json_integer(2));
		json_object_set_new(root, "mode", json_string("paired"));
		json_object_set_new(root, "unit", json_string(unit ? unit : ""));
		json_object_set_new(root, "counter", json_string(counter ? counter : ""));
		json_object_set_new(root, "alpha", json_real(alpha));
		json_object_set_new(root, "min_effect_pct", json_real(min_effect));
		json_object_set_new(root, "processes", json_integer((json_int_t)np));
		json_object_set_new(root, "layouts", json_integer((json_int_t)nl));
		json_object_set_new(root, "comparisons", json_integer((json_int_t)ncmp));
		json_object_set_new(root, "significant", json_integer((json_int_t)nsig));
		json_t *st = json_object();
		json_object_set_new(st, "split", json_boolean(states_split));
		if (states_split) {
			json_object_set_new(st, "canary", json_string(canary_names[split_field]));
			json_object_set_new(st, "low", json_real(cm[split_field].lo_median));
			json_object_set_new(st, "high", json_real(cm[split_field].hi_median));
		}
		json_object_set_new(root, "states", st);
		json_t *arr = json_array();
		for (size_t k = 0; k < nc; k++) {
			struct verdict *v = &V[k];
			json_t *b = json_object(), *o = json_object(), *n = json_object();
			json_object_set_new(b, "name", json_string(C[k].name));
			/* old/new: the median over processes, and the range of the per-process medians */
			double lo = INFINITY, hi = -INFINITY, nlo = INFINITY, nhi = -INFINITY;
			for (size_t i = 0; i < np; i++) {
				if (isnan(C[k].a[i]))
					continue;
				lo = fmin(lo, C[k].a[i]), hi = fmax(hi, C[k].a[i]);
				nlo = fmin(nlo, C[k].b[i]), nhi = fmax(nhi, C[k].b[i]);
			}
			json_object_set_new(o, "median", isfinite(v->old_med) ? json_real(v->old_med) : json_null());
			json_object_set_new(o, "ci_low", isfinite(lo) ? json_real(lo) : json_null());
			json_object_set_new(o, "ci_high", isfinite(hi) ? json_real(hi) : json_null());
			json_object_set_new(n, "median", isfinite(v->new_med) ? json_real(v->new_med) : json_null());
			json_object_set_new(n, "ci_low", isfinite(nlo) ? json_real(nlo) : json_null());
			json_object_set_new(n, "ci_high", isfinite(nhi) ? json_real(nhi) : json_null());
			json_object_set_new(b, "old", o);
			json_object_set_new(b, "new", n);
			json_object_set_new(b, "kind", json_string("timing-paired"));
			if (C[k].err)
				json_object_set_new(b, "error", json_string(C[k].err));
			if (!v->floor && !C[k].err) {
				json_object_set_new(b, "delta_pct", json_real(v->delta));
				json_object_set_new(b, "layout_min_pct", json_real(v->lmin));
				json_object_set_new(b, "layout_max_pct", json_real(v->lmax));
				if (isfinite(v->pspread))
					json_object_set_new(b, "process_spread_pct", json_real(v->pspread));
				json_object_set_new(b, "p", json_real(v->p));
				json_object_set_new(b, "p_method", json_string("exact Wilcoxon signed-rank over layouts"));
				json_object_set_new(b, "significant", json_boolean(v->sig));
				json_object_set_new(b, "unresolved", json_boolean(v->unresolved));
				json_object_set_new(b, "below_min_effect", json_boolean(v->small));
				if (v->lean)
					json_object_set_new(b, "leaning", json_string(v->lean > 0 ? "slower" : "faster"));
				json_object_set_new(b, "two_modes_old", json_boolean(v->mold.split));
				json_object_set_new(b, "two_modes_effect", json_boolean(v->mratio.split));
				if (states_split) {
					json_t *ps = json_array();
					for (int s = 0; s < 2; s++)
						json_array_append_new(ps, isfinite(v->state_delta[s]) ? json_real(v->state_delta[s])
																			   : json_null());
					json_object_set_new(b, "delta_pct_per_state", ps);
				}
			} else {
				json_object_set_new(b, "significant", json_false());
			}
			json_array_append_new(arr, b);
		}
		json_object_set_new(root, "benchmarks", arr);
		char *js = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		json_decref(root);
		gm_write_files(outdir, "--out", (const char *[]){ "compare.txt", "compare.json", NULL },
			       (const char *[]){ t.s, js });
		free(js);
	}
	return 0;
}
