/*
 * test_effect.c — known answers for the paired compare's estimator and distributions
 * (bench/tools/util/effect.c): Student's t against values computed with mpmath at 30
 * digits, Benjamini-Hochberg on a worked list, Yuen's trimmed mean on a worked sample,
 * the process level nested and crossed, and what is left out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "effect.h"

static int pass, fail;

static void check(int ok, const char *what)
{
	printf("%s - effect/%s\n", ok ? "ok" : "not ok", what);
	ok ? pass++ : fail++;
}

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol * (1 + fabs(b));
}

int main(void)
{
	check(near(gm_t_quantile(0.975, 10), 2.22813885198627, 1e-9), "t quantile 0.975, df 10");
	check(near(gm_t_quantile(0.975, 1), 12.7062047361747, 1e-9), "t quantile 0.975, df 1");
	check(near(gm_t_quantile(0.8, 30), 0.853767261471298, 1e-9), "t quantile 0.8, df 30");
	check(near(gm_t_quantile(0.975, 2.5), 3.57465484200368, 1e-9), "t quantile 0.975, df 2.5 (fractional)");
	check(near(gm_t_quantile(0.99, 100.7), 2.36395008054703, 1e-9), "t quantile 0.99, df 100.7");
	check(near(gm_t_cdf(2.0, 5), 0.949030260585071, 1e-10), "t cdf 2.0, df 5");
	check(near(gm_t_cdf(-1.3, 3.5), 0.136297707902185, 1e-10), "t cdf -1.3, df 3.5");
	check(near(gm_t_cdf(0.25, 1), 0.577979130377369, 1e-10), "t cdf 0.25, df 1");
	check(isnan(gm_t_quantile(1, 5)) && isnan(gm_t_cdf(1, 0)), "t: out of range is NaN");

	/* BH at 0.05 over 6: sorted 0.001 0.008 0.039 0.041 0.042 0.60; thresholds k*0.05/6 =
	 * 0.0083 0.0167 0.025 0.033 0.0417 0.05: the largest k with p(k) <= threshold is 2 */
	double p[7] = { 0.041, 0.001, 0.60, 0.008, 0.042, 0.039, NAN };
	int mark[7];
	size_t r = gm_bh(p, 7, 0.05, mark);
	check(r == 2 && mark[1] && mark[3] && !mark[0] && !mark[2] && !mark[4] && !mark[5] && !mark[6],
	      "Benjamini-Hochberg: 2 of 6 (NaN left out)");
	double q[3] = { 0.01, 0.02, 0.03 };
	r = gm_bh(q, 3, 0.05, mark);
	check(r == 3, "Benjamini-Hochberg: all three under k*q/m");

	/* one process, slots with d = 0.01 .. 0.10: 20% trimmed mean 0.055; winsorised sum of
	 * squares 42.5e-4 over h(h-1) = 30: variance 1.41667e-4, df 5 */
	struct gm_pair_obs o[12];
	for (int i = 0; i < 10; i++)
		o[i] = (struct gm_pair_obs){ 0, i, (i + 1) / 100.0 };
	o[10] = (struct gm_pair_obs){ 0, 99, NAN };
	struct gm_effect e;
	gm_effect_estimate(o, 11, &e);
	check(e.nslots == 10 && e.npairs == 10, "estimate: NaN pairs left out");
	check(near(e.est, 0.055, 1e-12) && near(e.se * e.se, 42.5e-4 / 30, 1e-9) && e.df == 5, "estimate: Yuen's trimmed mean");
	check(near(e.p, 2 * gm_t_cdf(-0.055 / sqrt(42.5e-4 / 30), 5), 1e-12), "estimate: p from t with its df");

	/* a pathological placement: 2 of 10 slots at -80%, the rest at exactly +5%: the
	 * trimmed mean keeps +5% */
	for (int i = 0; i < 10; i++)
		o[i] = (struct gm_pair_obs){ 0, i, i < 2 ? log(0.2) : log(1.05) };
	gm_effect_estimate(o, 10, &e);
	check(near(e.est, log(1.05), 1e-12) && e.ok && e.p == 0, "estimate: two pathological layouts trimmed");

	/* nested: two processes, each its own 8 slots; process 1 at +0.10 throughout, process
	 * 2 at 0: the spread is all process level, so the variance is (0.05^2 x 2) / 2 */
	struct gm_pair_obs n[16];
	for (int i = 0; i < 16; i++)
		n[i] = (struct gm_pair_obs){ (size_t)(i / 8), i, i < 8 ? 0.10 : 0.0 };
	gm_effect_estimate(n, 16, &e);
	check(e.nprocs == 2 && near(e.est, 0.05, 1e-12), "nested: the estimate");
	check(e.var_proc > 0 && e.se > sqrt(e.var_slot), "nested: a process level shows in the interval");
	check(e.df < 4, "nested: few processes, few degrees of freedom");

	/* too few layouts: 3 */
	gm_effect_estimate(o, 3, &e);
	check(!e.ok && isnan(e.se), "three layouts: no interval");

	printf("effect: %d passed, %d failed\n", pass, fail);
	return fail != 0;
}
