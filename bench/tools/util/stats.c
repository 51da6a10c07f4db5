/*
 * stats.c — distribution-free statistics for gm compare and the reports (see stats.h).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		return NULL;
	if (n)
		memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	return s;
}

static double median_sorted(const double *s, size_t n)
{
	if (n % 2)
		return s[n / 2];
	/* a + (b - a) / 2 avoids overflow and is exact when a == b */
	return s[n / 2 - 1] + (s[n / 2] - s[n / 2 - 1]) / 2.0;
}

double gm_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double *s = sorted_copy(x, n);
	if (!s)
		return NAN;
	double m = median_sorted(s, n);
	free(s);
	return m;
}

/* log P(B = k), B ~ Binomial(n, 1/2) */
static double binom_half_logpmf(size_t n, size_t k)
{
	double dn = (double)n, dk = (double)k;
	return lgamma(dn + 1.0) - lgamma(dk + 1.0) - lgamma(dn - dk + 1.0)
		   - dn * log(2.0);
}

double gm_binom_half_cdf(size_t n, size_t k)
{
	if (k >= n)
		return 1.0;
	double sum = 0.0;
	for (size_t i = 0; i <= k; i++)
		sum += exp(binom_half_logpmf(n, i));
	return sum > 1.0 ? 1.0 : sum;
}

int gm_median_ci_order(size_t n, double level, gm_ci_order *out)
{
	if (n == 0 || !out)
		return -1;
	/* coverage(j) = 1 - 2 * P(B <= j-1); j = 1 is the full range. */
	double tail = 0.0;              /* P(B <= j-1) for the current j */
	size_t best = 0;
	double best_cov = 0.0;
	for (size_t j = 1; j <= (n + 1) / 2; j++) {
		tail += exp(binom_half_logpmf(n, j - 1));
		double cov = 1.0 - 2.0 * tail;
		if (cov < level)
			break;
		best = j;
		best_cov = cov;
	}
	if (best == 0) {
		/* too few samples: fall back to the full range */
		out->lo = 1;
		out->hi = n;
		out->coverage = n >= 2 ? 1.0 - 2.0 * exp(binom_half_logpmf(n, 0)) : 0.0;
		out->exact = 0;
		return 0;
	}
	out->lo = best;
	out->hi = n - best + 1;
	out->coverage = best_cov;
	out->exact = 1;
	return 0;
}

int gm_summarize(const double *x, size_t n, double level, gm_summary *out)
{
	if (n == 0 || !out)
		return -1;
	double *s = sorted_copy(x, n);
	if (!s)
		return -1;
	gm_ci_order ci;
	gm_median_ci_order(n, level, &ci);
	out->n = n;
	out->median = median_sorted(s, n);
	out->lo = s[ci.lo - 1];
	out->hi = s[ci.hi - 1];
	out->coverage = ci.coverage;
	out->ci_exact = ci.exact;
	free(s);
	return 0;
}

/*
 * Exact null distribution of U.  f(i,j)[u] = number of orderings of i x's
 * and j y's with U = u (U = #pairs with x > y).  Looking at the largest
 * element: if it is an x it beats all j y's, so
 *     f(i,j)[u] = f(i-1,j)[u-j] + f(i,j-1)[u],  f(0,j) = f(i,0) = [1].
 * The distribution is symmetric in (n1, n2), so i runs over the smaller
 * size and two layers of j = 0..b arrays are kept.  Counts are held in
 * doubles: only additions of non-negative numbers, so no cancellation;
 * C(100,50) ~ 1e29 is well inside the range.
 */
double gm_mwu_exact_cdf(size_t n1, size_t n2, double u)
{
	if (u < 0)
		return 0.0;
	size_t a = n1 < n2 ? n1 : n2, b = n1 < n2 ? n2 : n1;
	if (u >= (double)(a * b))
		return 1.0;
	if (a == 0)
		return 1.0;

	size_t *off = malloc((b + 2) * sizeof *off);
	if (!off)
		return NAN;
	off[0] = 0;
	for (size_t j = 0; j <= b; j++)
		off[j + 1] = off[j] + a * j + 1;
	double *prev = calloc(off[b + 1], sizeof *prev);
	double *cur = calloc(off[b + 1], sizeof *cur);
	if (!prev || !cur) {
		free(off);
		free(prev);
		free(cur);
		return NAN;
	}
	for (size_t j = 0; j <= b; j++)
		prev[off[j]] = 1.0;                       /* f(0,j) = [1] */
	for (size_t i = 1; i <= a; i++) {
		cur[off[0]] = 1.0;                        /* f(i,0) = [1] */
		for (size_t j = 1; j <= b; j++) {
			double *c = cur + off[j];
			const double *p = prev + off[j];      /* f(i-1,j), len (i-1)j+1 */
			const double *l = cur + off[j - 1];   /* f(i,j-1), len i(j-1)+1 */
			size_t len = i * j + 1;
			size_t plen = (i - 1) * j + 1, llen = i * (j - 1) + 1;
			for (size_t k = 0; k < len; k++) {
				double v = 0.0;
				if (k >= j && k - j < plen)
					v += p[k - j];
				if (k < llen)
					v += l[k];
				c[k] = v;
			}
		}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	const double *f = prev + off[b];              /* f(a,b), len a*b+1 */
	size_t ulim = (size_t)floor(u);
	double total = 0.0, below = 0.0;
	for (size_t k = 0; k <= a * b; k++) {
		total += f[k];
		if (k <= ulim)
			below += f[k];
	}
	free(off);
	free(prev);
	free(cur);
	return below / total;
}

struct tagged {
	double v;
	int from_x;
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;
	return (x->v > y->v) - (x->v < y->v);
}

int gm_mann_whitney(const double *x, size_t n1, const double *y, size_t n2,
					gm_mwu *out)
{
	if (!out || n1 == 0 || n2 == 0)
		return -1;
	size_t N = n1 + n2;
	struct tagged *t = malloc(N * sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < n1; i++)
		t[i] = (struct tagged){ x[i], 1 };
	for (size_t i = 0; i < n2; i++)
		t[n1 + i] = (struct tagged){ y[i], 0 };
	qsort(t, N, sizeof *t, cmp_tagged);

	/* midranks; rank sum of x; tie term sum(t^3 - t) */
	double rx = 0.0, tie_term = 0.0;
	int ties = 0;
	for (size_t i = 0; i < N;) {
		size_t k = i + 1;
		while (k < N && t[k].v == t[i].v)
			k++;
		double cnt = (double)(k - i);
		double rank = ((double)(i + 1) + (double)k) / 2.0;  /* 1-based */
		for (size_t m = i; m < k; m++)
			if (t[m].from_x)
				rx += rank;
		if (k - i > 1) {
			ties = 1;
			tie_term += cnt * cnt * cnt - cnt;
		}
		i = k;
	}
	free(t);

	double d1 = (double)n1, d2 = (double)n2, dN = (double)N;
	out->u_x = rx - d1 * (d1 + 1.0) / 2.0;
	out->u_y = d1 * d2 - out->u_x;
	out->u = out->u_x < out->u_y ? out->u_x : out->u_y;
	out->ties = ties;
	out->z = 0.0;

	if (!ties && n1 <= GM_MWU_EXACT_MAX && n2 <= GM_MWU_EXACT_MAX) {
		double c = gm_mwu_exact_cdf(n1, n2, out->u);
		if (isnan(c))
			return -1;
		double p = 2.0 * c;
		out->p = p > 1.0 ? 1.0 : p;
		out->exact = 1;
		return 0;
	}

	out->exact = 0;
	double mean = d1 * d2 / 2.0;
	double var = d1 * d2 / 12.0 * ((dN + 1.0) - tie_term / (dN * (dN - 1.0)));
	if (!(var > 0.0)) {
		out->p = 1.0;
		return 0;
	}
	double num = fabs(out->u_x - mean) - 0.5;
	if (num < 0.0)
		num = 0.0;
	out->z = num / sqrt(var);
	double p = erfc(out->z / sqrt(2.0));
	out->p = p > 1.0 ? 1.0 : p;
	return 0;
}

double gm_geomean(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double s = 0.0;
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0.0) || !isfinite(x[i]))
			return NAN;
		s += log(x[i]);
	}
	return exp(s / (double)n);
}

double gm_quantile(const double *x, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double *s = sorted_copy(x, n);
	if (!s)
		return NAN;
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	double r = p * (double)(n - 1);
	size_t i = (size_t)r;
	double v = i + 1 < n ? s[i] + (s[i + 1] - s[i]) * (r - (double)i) : s[n - 1];
	free(s);
	return v;
}

int gm_find_modes(const double *x, size_t n, double min_ratio, gm_modes *out)
{
	memset(out, 0, sizeof *out);
	if (n == 0)
		return -1;
	double *s = sorted_copy(x, n);
	if (!s)
		return -1;
	out->lo_median = median_sorted(s, n);
	out->n_lo = n;
	out->lo_max = s[n - 1];
	size_t minside = n / 10 > 2 ? n / 10 : 2;
	if (n >= 2 * minside && s[0] > 0) {
		size_t best = 0;
		double bestgap = 0;
		for (size_t k = minside; k + minside <= n; k++) {
			double gap = log(s[k]) - log(s[k - 1]);
			if (gap > bestgap) {
				bestgap = gap;
				best = k;
			}
		}
		if (best) {
			/* interquartile ranges of the two clusters, in log space */
			double iqr[2];
			const double *c[2] = { s, s + best };
			size_t cn[2] = { best, n - best };
			for (int i = 0; i < 2; i++) {
				double q1 = gm_quantile(c[i], cn[i], 0.25), q3 = gm_quantile(c[i], cn[i], 0.75);
				iqr[i] = log(q3) - log(q1);
			}
			double wide = iqr[0] > iqr[1] ? iqr[0] : iqr[1];
			if (bestgap >= log(min_ratio) && bestgap >= 3 * wide) {
				out->split = 1;
				out->n_lo = best;
				out->n_hi = n - best;
				out->lo_median = median_sorted(s, best);
				out->hi_median = median_sorted(s + best, n - best);
				out->lo_max = s[best - 1];
				out->hi_min = s[best];
			}
		}
	}
	free(s);
	return 0;
}

/* gm peers and gm icount have always taken (a + b) / 2 for an even n, which may differ
 * from gm_median's a + (b - a) / 2 in the last bit: kept so their outputs do not move. */
double gm_median_inplace(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
