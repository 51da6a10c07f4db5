/*
 * effect.c — the paired compare's estimator (effect.h) and the distributions it needs:
 * Student's t through the regularised incomplete beta function, written here from its
 * continued fraction (modified Lentz), and Benjamini-Hochberg.
 */
#include "effect.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* like stats.c, plain C and libm only (its tests link it alone) */
static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "gm: out of memory\n");
		exit(2);
	}
	return p;
}

double gm_pct(double x)
{
	return 100.0 * expm1(x);
}

/* the continued fraction of I_x(a, b), for x < (a + 1) / (a + b + 2) */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	d = fabs(d) < tiny ? tiny : d;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 300; m++) {
		for (int odd = 0; odd < 2; odd++) {
			double num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
					 : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
			d = 1 + num * d;
			d = fabs(d) < tiny ? tiny : d;
			c = 1 + num / c;
			c = fabs(c) < tiny ? tiny : c;
			d = 1 / d;
			h *= d * c;
			if (odd && fabs(d * c - 1) < 1e-15)
				return h;
		}
	}
	return h;
}

/* regularised incomplete beta I_x(a, b) */
static double ibeta(double a, double b, double x)
{
	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	double lf = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lf) * beta_cf(a, b, x) / a;
	return 1 - exp(lf) * beta_cf(b, a, 1 - x) / b;
}

double gm_t_cdf(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return t > 0 ? 1 : 0;
	double tail = 0.5 * ibeta(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail : tail;
}

double gm_t_quantile(double q, double df)
{
	if (!(q > 0 && q < 1) || !(df > 0))
		return NAN;
	double lo = -1, hi = 1;
	while (gm_t_cdf(lo, df) > q)
		lo *= 2;
	while (gm_t_cdf(hi, df) < q)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * (1 + fabs(hi)); i++) {
		double mid = (lo + hi) / 2;
		if (gm_t_cdf(mid, df) < q)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmp_obs(const void *a, const void *b)
{
	const struct gm_pair_obs *x = a, *y = b;
	if (x->slot != y->slot)
		return (x->slot > y->slot) - (x->slot < y->slot);
	return (x->proc > y->proc) - (x->proc < y->proc);
}

/* 20% trimmed mean of v[0..n) (sorted in place) and Yuen's variance of it; *df = h - 1 */
static double trimmed(double *v, size_t n, double *var, double *df)
{
	qsort(v, n, sizeof *v, cmp_dbl);
	size_t g = (size_t)(0.2 * (double)n), h = n - 2 * g;
	double m = 0, wm = 0, ws = 0;
	for (size_t i = g; i < n - g; i++)
		m += v[i];
	m /= (double)h;
	for (size_t i = 0; i < n; i++)
		wm += v[i < g ? g : i >= n - g ? n - g - 1 : i];
	wm /= (double)n;
	for (size_t i = 0; i < n; i++) {
		double x = v[i < g ? g : i >= n - g ? n - g - 1 : i] - wm;
		ws += x * x;
	}
	*var = h > 1 ? ws / ((double)h * (double)(h - 1)) : NAN;
	*df = (double)h - 1;
	return m;
}

static double sample_sd(const double *v, size_t n)
{
	if (n < 2)
		return NAN;
	double m = 0, s = 0;
	for (size_t i = 0; i < n; i++)
		m += v[i];
	m /= (double)n;
	for (size_t i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return sqrt(s / (double)(n - 1));
}

void gm_effect_estimate(struct gm_pair_obs *o, size_t n, struct gm_effect *e)
{
	memset(e, 0, sizeof *e);
	e->est = e->se = e->df = e->p = NAN;
	e->var_slot = e->var_proc = e->sd_slot = e->sd_proc = e->sd_pair = NAN;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(o[i].d))
			o[k++] = o[i];
	n = k;
	e->npairs = n;
	if (!n)
		return;
	qsort(o, n, sizeof *o, cmp_obs);
	size_t nproc = 0;
	for (size_t i = 0; i < n; i++)
		nproc = o[i].proc + 1 > nproc ? o[i].proc + 1 : nproc;
	/* cells, slot values, and per process the list of its cell values */
	double *z = zalloc(n, sizeof *z), *resid = zalloc(n, sizeof *resid);
	double **pc = zalloc(nproc, sizeof *pc);
	size_t *npc = zalloc(nproc, sizeof *npc), nz = 0, nres = 0, ncells = 0;
	for (size_t p = 0; p < nproc; p++)
		pc[p] = zalloc(n, sizeof **pc);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double zs = 0;
		size_t nc = 0;
		while (j < n && o[j].slot == o[i].slot) {
			size_t c0 = j;
			double y = 0;
			while (j < n && o[j].slot == o[i].slot && o[j].proc == o[c0].proc)
				y += o[j++].d;
			y /= (double)(j - c0);
			if (j - c0 >= 2)
				for (size_t q = c0; q < j; q++)
					resid[nres++] = (o[q].d - y) * sqrt((double)(j - c0) / (double)(j - c0 - 1));
			pc[o[c0].proc][npc[o[c0].proc]++] = y;
			zs += y;
			nc++;
			ncells++;
		}
		z[nz++] = zs / (double)nc;
		i = j;
	}
	e->nslots = nz;
	size_t np = 0;
	for (size_t p = 0; p < nproc; p++)
		np += npc[p] > 0;
	e->nprocs = np;
	e->sd_slot = sample_sd(z, nz);
	if (nres >= 2) {
		double s = 0;
		for (size_t i = 0; i < nres; i++)
			s += resid[i] * resid[i];
		e->sd_pair = sqrt(s / (double)nres);
	}
	if (nz >= 4) {
		double vs, dfs;
		e->est = trimmed(z, nz, &vs, &dfs);
		e->var_slot = vs;
		double var = vs, den = vs * vs / dfs;
		/* The process level: a shift shared by every slot of one process.  The spread of
		 * the processes' own trimmed means holds it, and (where each process has its own
		 * slots, as make compare runs them) the slot variance again, which is taken out;
		 * where processes share their slots it is not in there. */
		if (np >= 2) {
			double *m = zalloc(np, sizeof *m);
			size_t q = 0;
			for (size_t p = 0; p < nproc; p++) {
				if (npc[p] >= 4) {
					double v_, d_;
					m[q++] = trimmed(pc[p], npc[p], &v_, &d_);
				}
			}
			if (q >= 2) {
				e->sd_proc = sample_sd(m, q);
				double vp = e->sd_proc * e->sd_proc / (double)q;
				if (ncells == nz)	/* nested: every slot in one process */
					vp -= vs;
				if (vp > 0) {
					e->var_proc = vp;
					var += vp;
					den += vp * vp / (double)(q - 1);
				} else {
					e->var_proc = 0;
				}
			}
			free(m);
		}
		e->se = sqrt(var);
		e->df = den > 0 ? var * var / den : dfs;
		e->ok = e->se >= 0 && e->df > 0;
		if (e->ok && e->se > 0)
			e->p = 2 * gm_t_cdf(-fabs(e->est) / e->se, e->df);
		else if (e->ok)	/* every layout the same: no spread at all */
			e->p = e->est == 0 ? 1 : 0;
	}
	for (size_t p = 0; p < nproc; p++)
		free(pc[p]);
	free(pc), free(npc), free(z), free(resid);
}

struct pidx { double p; size_t i; };

static int cmp_pidx(const void *a, const void *b)
{
	const struct pidx *x = a, *y = b;
	return (x->p > y->p) - (x->p < y->p);
}

size_t gm_bh(const double *p, size_t n, double q, int *marks)
{
	struct pidx *v = zalloc(n ? n : 1, sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		marks[i] = 0;
		if (!isnan(p[i]))
			v[m].p = p[i], v[m++].i = i;
	}
	qsort(v, m, sizeof *v, cmp_pidx);
	size_t r = 0;
	for (size_t k = m; k > 0; k--)
		if (v[k - 1].p <= q * (double)k / (double)m) {
			r = k;
			break;
		}
	for (size_t k = 0; k < r; k++)
		marks[v[k].i] = 1;
	free(v);
	return r;
}
