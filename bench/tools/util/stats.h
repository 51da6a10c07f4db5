/*
 * stats.h — distribution-free statistics for gm compare, gm report and gm xreport.
 *
 * Everything here is plain C11 + libm, no allocation in the caller's hot
 * path, so it runs the same on x86-64 hosts and small ARM boards.
 *
 *  - gm_median:        sample median (mean of the two middle values if n even)
 *  - gm_median_ci:     confidence interval of the median from order statistics
 *                      (binomial, distribution-free)
 *  - gm_mann_whitney:  two-sided Mann-Whitney U test; exact p-value when there
 *                      are no ties and both n <= GM_MWU_EXACT_MAX, otherwise
 *                      normal approximation with tie and continuity correction
 *  - gm_geomean:       geometric mean of positive values
 */
#ifndef GM_STATS_H
#define GM_STATS_H

#include <stddef.h>

/* Largest per-side sample size for which the exact U distribution is used. */
#define GM_MWU_EXACT_MAX 50

/* Median of x[0..n-1] (x need not be sorted, it is not modified).
 * Returns NaN for n == 0. */
double gm_median(const double *x, size_t n);

/* P(B <= k) for B ~ Binomial(n, 1/2).  Valid for any n (log-space). */
double gm_binom_half_cdf(size_t n, size_t k);

/*
 * Order-statistic interval for the median: with x(1) <= ... <= x(n),
 * [x(j), x(n-j+1)] covers the population median with probability
 *     coverage(j) = 1 - 2 * P(B <= j-1),  B ~ Binomial(n, 1/2).
 * gm_median_ci_order picks the largest j (the narrowest such symmetric
 * interval) whose coverage is still >= level.  If even j = 1 (the full
 * range) falls short of level (n < 6 for level 0.95), it returns the full
 * range with exact = 0.  lo/hi are 1-based order-statistic indices.
 */
typedef struct {
	size_t lo;        /* j          (1-based) */
	size_t hi;        /* n - j + 1  (1-based) */
	double coverage;  /* actual coverage of [x(lo), x(hi)] */
	int exact;        /* 1 if coverage >= level, 0 if full range fallback */
} gm_ci_order;

int gm_median_ci_order(size_t n, double level, gm_ci_order *out);

/* Summary of one sample: n, median, CI of the median. */
typedef struct {
	size_t n;
	double median;
	double lo, hi;        /* CI bounds (values) */
	double coverage;      /* actual coverage of [lo, hi] */
	int ci_exact;         /* see gm_ci_order.exact */
} gm_summary;

/* Returns 0 on success, -1 if n == 0 or out of memory. */
int gm_summarize(const double *x, size_t n, double level, gm_summary *out);

/*
 * Mann-Whitney U test (two-sided).
 * u_x = number of pairs (x_i, y_j) with x_i > y_j, plus 1/2 per tie
 *       (= rank sum of x minus n1(n1+1)/2);  u_y = n1*n2 - u_x.
 * u   = min(u_x, u_y).
 * exact = 1: p from the exact null distribution of U (no ties, both
 *            sample sizes <= GM_MWU_EXACT_MAX), p = min(1, 2 P(U <= u)).
 * exact = 0: normal approximation, mean n1 n2 / 2, variance
 *            n1 n2 / 12 * ((N+1) - sum(t^3 - t) / (N (N-1))),
 *            z = max(0, |u_x - mean| - 1/2) / sd, p = erfc(z / sqrt 2);
 *            p = 1 if the variance is 0 (all values equal).
 */
typedef struct {
	double u_x, u_y, u;
	double p;
	double z;          /* normal approximation z (0 when exact) */
	int exact;
	int ties;          /* 1 if the pooled sample has ties */
} gm_mwu;

/* Returns 0 on success, -1 on bad arguments (n1 or n2 == 0) or no memory. */
int gm_mann_whitney(const double *x, size_t n1, const double *y, size_t n2,
					gm_mwu *out);

/*
 * Exact null distribution of U for sample sizes n1, n2 (no ties):
 * P(U <= u).  Returns NaN on error (no memory).  Cost O(n1 * n2^2 * min(n1,n2))
 * time and O(min * max^2) doubles, trivial for sizes <= GM_MWU_EXACT_MAX.
 */
double gm_mwu_exact_cdf(size_t n1, size_t n2, double u);

/* Geometric mean; NaN if n == 0 or any value <= 0 or non-finite. */
double gm_geomean(const double *x, size_t n);

/* Quantile p (0..1) of x[0..n-1], linear between order statistics; NaN if n == 0. */
double gm_quantile(const double *x, size_t n, double p);

/*
 * Two modes: does the sample fall into two separate clusters (a machine state that
 * changed between repetitions or processes) rather than one with a tail?  Positive
 * values only; the split is at the widest gap in log space, and counts when
 *   - each side holds at least max(2, n/10) values (a few outliers are a tail), and
 *   - the clusters' ratio at the gap is at least min_ratio (e.g. 1.25), and the gap is
 *     at least 3 times the wider cluster's interquartile range (both in log space): the
 *     clusters are tight compared with their distance.
 * out->split = 0 means one mode (lo_* describe the whole sample).
 */
typedef struct {
	int split;
	size_t n_lo, n_hi;
	double lo_median, hi_median;   /* the clusters' medians */
	double lo_max, hi_min;         /* the gap */
} gm_modes;
int gm_find_modes(const double *x, size_t n, double min_ratio, gm_modes *out);

/* Median of v[0..n-1] as (a + b) / 2 for an even n, sorting v in place; NaN for n == 0. */
double gm_median_inplace(double *v, size_t n);

#endif /* GM_STATS_H */
