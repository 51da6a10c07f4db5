/*
 * effect.h — a paired compare's effect with its interval (docs/compare.md, "How a verdict is
 * reached").
 *
 * The data of one benchmark: pairs (A and B measured back to back), each in one process and
 * one layout (a slot: a copy of both sides at its own code, data and stack placement; make
 * compare gives each process its own binary, so its own slots).  On the log scale d = ln(B/A):
 *   cell  y[p][s]  = the mean of d over the pairs of process p in slot s;
 *   slot  z[s]     = the mean of y over the processes;
 *   effect         = the 20% trimmed mean of z over the slots (a few pathological placements,
 *                    seen at -80% and +40% on a VM, must not decide it);
 *   variance       = Yuen's winsorised variance of that trimmed mean over the slots (the
 *                    layout level, with the pair noise inside each z), plus the process
 *                    level where it shows: the variance of the processes' own trimmed means
 *                    over P, less the slot term it already holds when each process has its
 *                    own slots; degrees of freedom by Welch-Satterthwaite.
 */
#ifndef GM_EFFECT_H
#define GM_EFFECT_H

#include <stddef.h>

/* one pair: process index, slot id, ln(B/A) */
struct gm_pair_obs {
	size_t proc;
	long slot;
	double d;
};

struct gm_effect {
	size_t npairs, nslots, nprocs;
	double est, se, df;        /* log scale */
	double var_slot, var_proc; /* the two terms of se^2 */
	double sd_slot, sd_proc, sd_pair; /* spread of each level, log scale (for the record) */
	double p;                  /* two-sided, t with df */
	int ok;                    /* 0: too few slots for an interval (fewer than 4) */
};

/* Estimate from n pairs (reordered in place).  Pairs whose d is not finite are left out. */
void gm_effect_estimate(struct gm_pair_obs *o, size_t n, struct gm_effect *e);

/* Student t: P(T <= t) with df degrees of freedom (df > 0, may be fractional), and its
 * quantile (0 < q < 1). */
double gm_t_cdf(double t, double df);
double gm_t_quantile(double q, double df);

/* Benjamini-Hochberg at level q over n p-values: marks[i] = 1 for the discoveries; returns
 * their number.  NaN p-values are never discoveries and do not count in n. */
size_t gm_bh(const double *p, size_t n, double q, int *marks);

/* 100 * (exp(x) - 1): a log-scale effect as a percentage */
double gm_pct(double x);

#endif
