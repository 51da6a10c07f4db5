/*
 * test_stats.c - unit tests for bench/compare/stats.c.
 *
 * Expected values were computed by hand (and cross-checked with exact
 * rational arithmetic outside this repo); exact Mann-Whitney p-values are in
 * addition checked against a brute-force enumeration of all orderings done
 * right here, independent of the dynamic programme in stats.c.
 *
 * Prints "ok - ..." / "not ok - ..." per check and a final line
 * "test_stats: N passed, M failed"; exit status 1 if M > 0.
 */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int passed, failed;

static void check(int cond, const char *what)
{
    if (cond) {
        passed++;
        printf("ok - %s\n", what);
    } else {
        failed++;
        printf("not ok - %s\n", what);
    }
}

static void check_near(double got, double want, double tol, const char *what)
{
    int ok = fabs(got - want) <= tol;
    if (!ok)
        printf("# %s: got %.17g, want %.17g (tol %g)\n", what, got, want, tol);
    check(ok, what);
}

static void check_size(size_t got, size_t want, const char *what)
{
    if (got != want)
        printf("# %s: got %zu, want %zu\n", what, got, want);
    check(got == want, what);
}

/* ---- brute force: P(U_x <= u) by enumerating every choice of the ranks of
 * x among 1..n1+n2 (no ties), U_x = sum of x ranks - n1(n1+1)/2. */
static double brute_cdf(unsigned n1, unsigned n2, double u)
{
    unsigned N = n1 + n2;
    unsigned long total = 0, below = 0;
    for (unsigned long m = 0; m < (1UL << N); m++) {
        unsigned cnt = 0, rsum = 0;
        for (unsigned b = 0; b < N; b++)
            if (m >> b & 1) {
                cnt++;
                rsum += b + 1;
            }
        if (cnt != n1)
            continue;
        total++;
        if ((double)rsum - n1 * (n1 + 1) / 2.0 <= u)
            below++;
    }
    return (double)below / (double)total;
}

/* U_x by direct pair counting (ties count 1/2) */
static double brute_ux(const double *x, size_t n1, const double *y, size_t n2)
{
    double u = 0;
    for (size_t i = 0; i < n1; i++)
        for (size_t j = 0; j < n2; j++)
            u += x[i] > y[j] ? 1.0 : x[i] == y[j] ? 0.5 : 0.0;
    return u;
}

static void test_median(void)
{
    double odd[] = { 3, 1, 2 };
    double even[] = { 4, 1, 3, 2 };
    double one[] = { 7.5 };
    double dup[] = { 5, 5, 1, 5, 9, 9 };
    check_near(gm_median(odd, 3), 2.0, 0, "median of odd n {3,1,2} = 2");
    check_near(gm_median(even, 4), 2.5, 0, "median of even n {4,1,3,2} = 2.5");
    check_near(gm_median(one, 1), 7.5, 0, "median of n=1");
    check_near(gm_median(dup, 6), 5.0, 0, "median with duplicates = 5");
    check(even[0] == 4 && even[3] == 2, "median does not reorder its input");
    check(isnan(gm_median(odd, 0)), "median of n=0 is NaN");
}

static void test_binom(void)
{
    /* P(B<=1), n=10: (1+10)/1024 */
    check_near(gm_binom_half_cdf(10, 1), 11.0 / 1024, 1e-15, "binom cdf n=10 k=1");
    /* P(B<=5), n=20: (1+20+190+1140+4845+15504)/2^20 = 21700/1048576 */
    check_near(gm_binom_half_cdf(20, 5), 21700.0 / 1048576, 1e-14,
               "binom cdf n=20 k=5");
    check_near(gm_binom_half_cdf(7, 7), 1.0, 0, "binom cdf k>=n is 1");
    check_near(gm_binom_half_cdf(2000, 1000), 0.5 + 0.5 * 0.0178390111458543, 1e-9,
               "binom cdf n=2000 (no underflow)");
}

static void test_ci(void)
{
    gm_ci_order c;
    /* n=10: j=2 -> 1 - 2*11/1024 = 0.978515625; j=3 -> 1 - 2*56/1024 = 0.890625 */
    gm_median_ci_order(10, 0.95, &c);
    check_size(c.lo, 2, "CI n=10 lower order statistic x(2)");
    check_size(c.hi, 9, "CI n=10 upper order statistic x(9)");
    check_near(c.coverage, 0.978515625, 1e-12, "CI n=10 coverage 0.9785");
    check(c.exact, "CI n=10 exact");
    /* n=20: j=6 -> 1 - 2*21700/2^20 = 0.95861053466796875; j=7 -> 0.8847 */
    gm_median_ci_order(20, 0.95, &c);
    check_size(c.lo, 6, "CI n=20 lower order statistic x(6)");
    check_size(c.hi, 15, "CI n=20 upper order statistic x(15)");
    check_near(c.coverage, 0.95861053466796875, 1e-12, "CI n=20 coverage 0.9586");
    /* n=6: full range 1 - 2/64 = 0.96875 is enough */
    gm_median_ci_order(6, 0.95, &c);
    check(c.exact && c.lo == 1 && c.hi == 6, "CI n=6 is [x(1),x(6)], exact");
    check_near(c.coverage, 0.96875, 1e-12, "CI n=6 coverage 0.96875");
    /* n=9: j=2 -> 1 - 2*10/512 = 0.9609375 */
    gm_median_ci_order(9, 0.95, &c);
    check(c.exact && c.lo == 2 && c.hi == 8, "CI n=9 is [x(2),x(8)]");
    /* n=5: full range has only 1 - 2/32 = 0.9375 < 0.95 -> not exact */
    gm_median_ci_order(5, 0.95, &c);
    check(!c.exact && c.lo == 1 && c.hi == 5, "CI n=5 falls back to [min,max], not exact");
    check_near(c.coverage, 0.9375, 1e-12, "CI n=5 coverage 0.9375");
    gm_median_ci_order(1, 0.95, &c);
    check(!c.exact && c.lo == 1 && c.hi == 1, "CI n=1 is [x(1),x(1)], not exact");
    /* large n, no underflow: n=2000 -> x(956), x(1045) */
    gm_median_ci_order(2000, 0.95, &c);
    check(c.exact && c.lo == 956 && c.hi == 1045, "CI n=2000 is [x(956),x(1045)]");

    gm_summary s;
    double x[] = { 10, 3, 7, 1, 9, 2, 8, 4, 6, 5 };
    gm_summarize(x, 10, 0.95, &s);
    check(s.n == 10 && s.median == 5.5 && s.lo == 2 && s.hi == 9 && s.ci_exact,
          "summary of 1..10: median 5.5, CI [2,9]");
    double y[] = { 30, 10, 50, 20, 40 };
    gm_summarize(y, 5, 0.95, &s);
    check(s.median == 30 && s.lo == 10 && s.hi == 50 && !s.ci_exact,
          "summary of n=5: CI [min,max], ci_exact false");
}

static void test_mwu_exact_dist(void)
{
    /* hand: n1=n2=3, P(U<=0) = 1/C(6,3) = 1/20 */
    check_near(gm_mwu_exact_cdf(3, 3, 0), 1.0 / 20, 1e-15, "exact cdf n=3,3 U<=0 = 1/20");
    /* hand: n1=n2=5, P(U<=0) = 1/252 */
    check_near(gm_mwu_exact_cdf(5, 5, 0), 1.0 / 252, 1e-15, "exact cdf n=5,5 U<=0 = 1/252");
    /* hand: P(U<=1) = 2/252, P(U<=2) = 4/252 (U=2: two partitions of 2) */
    check_near(gm_mwu_exact_cdf(5, 5, 2), 4.0 / 252, 1e-15, "exact cdf n=5,5 U<=2 = 4/252");
    check_near(gm_mwu_exact_cdf(5, 5, 25), 1.0, 0, "exact cdf at max U = 1");

    /* against brute-force enumeration, all u, several (n1, n2) */
    static const unsigned sizes[][2] = { { 1, 1 }, { 2, 3 }, { 3, 3 }, { 4, 7 },
                                         { 7, 4 }, { 5, 5 }, { 6, 6 }, { 3, 9 } };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        unsigned n1 = sizes[k][0], n2 = sizes[k][1];
        double worst = 0;
        for (unsigned u = 0; u <= n1 * n2; u++) {
            double d = fabs(gm_mwu_exact_cdf(n1, n2, u) - brute_cdf(n1, n2, u));
            if (d > worst)
                worst = d;
        }
        char what[96];
        snprintf(what, sizeof what,
                 "exact U distribution n=%u,%u matches brute force for all U", n1, n2);
        check(worst < 1e-13, what);
    }
}

static void test_mwu(void)
{
    gm_mwu r;
    double x3[] = { 1, 2, 3 }, y3[] = { 4, 5, 6 };
    gm_mann_whitney(x3, 3, y3, 3, &r);
    check(r.u == 0 && r.u_x == 0 && r.u_y == 9, "MWU {1,2,3} vs {4,5,6}: U=0");
    check(r.exact && !r.ties, "MWU {1,2,3} vs {4,5,6}: exact, no ties");
    check_near(r.p, 0.1, 1e-15, "MWU {1,2,3} vs {4,5,6}: p = 2/20 = 0.1");
    gm_mann_whitney(y3, 3, x3, 3, &r);
    check(r.u == 0 && r.u_x == 9, "MWU reversed: U=0, U_x=9");
    check_near(r.p, 0.1, 1e-15, "MWU reversed: p = 0.1");

    double x5[] = { 3, 1, 5, 2, 4 }, y5[] = { 10, 6, 8, 7, 9 };
    gm_mann_whitney(x5, 5, y5, 5, &r);
    check(r.u == 0, "MWU 1..5 vs 6..10: U=0");
    check_near(r.p, 2.0 / 252, 1e-15, "MWU 1..5 vs 6..10: p = 2/252 = 0.00794");
    check_near(r.p, 0.0079365079365, 1e-12, "MWU 1..5 vs 6..10: p = 0.0079365");

    /* unequal sizes, interleaved; brute force for U and p */
    double xa[] = { 1, 3, 5, 7 }, ya[] = { 2, 4, 6, 8, 9, 10, 11 };
    gm_mann_whitney(xa, 4, ya, 7, &r);
    double ux = brute_ux(xa, 4, ya, 7);            /* 0+1+2+3 = 6 */
    check(ux == 6 && r.u_x == 6 && r.u == 6, "MWU 4 vs 7 interleaved: U_x = 6 (pair count)");
    double pb = 2 * brute_cdf(4, 7, 6);
    check_near(r.p, pb, 1e-14, "MWU 4 vs 7: p matches brute-force 2*P(U<=6)");
    check_near(r.p, 2.0 * 27 / 330, 1e-14, "MWU 4 vs 7: p = 2*27/330 = 0.163636");

    /* identical samples of distinct values can't happen without ties; a
     * null-like interleave gives p = 1 */
    double xi[] = { 1, 4, 5, 8 }, yi[] = { 2, 3, 6, 7 };
    gm_mann_whitney(xi, 4, yi, 4, &r);
    check(r.u_x == 8 && r.u == 8, "MWU balanced interleave: U = n1 n2 / 2 = 8");
    check_near(r.p, 1.0, 0, "MWU balanced interleave: p clamped to 1");

    /*
     * Ties -> normal approximation, by hand:
     * x = {1,2,2,3,4}, y = {3,4,5,5,6}
     * pooled sorted: 1x 2x 2x 3x 3y 4x 4y 5y 5y 6y
     * midranks: 1, 2.5, 2.5, 4.5, 4.5, 6.5, 6.5, 8.5, 8.5, 10
     * R_x = 1 + 2.5 + 2.5 + 4.5 + 6.5 = 17, U_x = 17 - 15 = 2, U_y = 23
     * mean = 12.5; ties: four groups of 2, sum(t^3-t) = 24, N = 10
     * var = 25/12 * (11 - 24/90) = 24150/1080 = 22.361111...
     * sd = 4.7287536530, z = (|2 - 12.5| - 0.5) / sd = 10 / sd = 2.1147221306
     * p = erfc(z / sqrt 2) = 2 (1 - Phi(2.11472)) = 0.0344536370
     */
    double xt[] = { 1, 2, 2, 3, 4 }, yt[] = { 3, 4, 5, 5, 6 };
    gm_mann_whitney(xt, 5, yt, 5, &r);
    check(r.ties && !r.exact, "MWU with ties uses the normal approximation");
    check(r.u_x == 2 && r.u == 2 && brute_ux(xt, 5, yt, 5) == 2,
          "MWU ties: U_x = 2 (midranks and pair count agree)");
    check_near(r.z, 2.1147221306, 1e-9, "MWU ties: z = 2.11472 (tie + continuity corr.)");
    check_near(r.p, 0.0344536370, 1e-9, "MWU ties: p = 0.034454");

    /* all values equal: variance 0 -> p = 1 */
    double ea[] = { 5, 5, 5 }, eb[] = { 5, 5 };
    gm_mann_whitney(ea, 3, eb, 2, &r);
    check(r.ties && r.p == 1.0 && r.u == 3, "MWU all equal: p = 1, U = 3");

    /*
     * Past the exact bound (n > 50), no ties: x = 0..59, y = 30.5..89.5
     * U_x = sum over x=i of #y below i = sum_{i=31}^{59} (i-30) = 435
     * var = 60*60/12 * 121 = 36300, z = (|435 - 1800| - 0.5)/sqrt(36300)
     *     = 1364.5 / 190.52559 = 7.16176766, p = erfc(z/sqrt2) = 7.9643e-13
     */
    double xl[60], yl[60];
    for (int i = 0; i < 60; i++) {
        xl[i] = i;
        yl[i] = i + 30.5;
    }
    gm_mann_whitney(xl, 60, yl, 60, &r);
    check(!r.exact && !r.ties && r.u_x == 435, "MWU n=60+60: normal approximation, U_x = 435");
    check_near(r.z, 7.16176766, 1e-7, "MWU n=60+60: z = 7.1618");
    check_near(r.p / 7.964332670e-13, 1.0, 1e-6, "MWU n=60+60: p = 7.9643e-13");

    /* at the exact bound n = 50+50, exact and normal agree closely:
     * x = 0..49, y = 5.5..54.5, U_x = 990; exact p = 0.0735352 (from the
     * exact distribution summed with integers), normal p = 0.0736235 */
    double x50[50], y50[50];
    for (int i = 0; i < 50; i++) {
        x50[i] = i;
        y50[i] = i + 5.5;
    }
    gm_mann_whitney(x50, 50, y50, 50, &r);
    check(r.exact && r.u_x == 990, "MWU n=50+50: still exact, U_x = 990");
    check_near(r.p, 0.0735352106257, 1e-10, "MWU n=50+50: exact p = 0.0735352");
}

static void test_geomean(void)
{
    double a[] = { 1, 4, 16 }, b[] = { 2, 8 }, c[] = { 3, 0, 1 }, d[] = { 5 };
    check_near(gm_geomean(a, 3), 4.0, 1e-12, "geomean {1,4,16} = 4");
    check_near(gm_geomean(b, 2), 4.0, 1e-12, "geomean {2,8} = 4");
    check_near(gm_geomean(d, 1), 5.0, 1e-12, "geomean {5} = 5");
    check(isnan(gm_geomean(c, 3)), "geomean with a 0 is NaN");
    check(isnan(gm_geomean(a, 0)), "geomean of nothing is NaN");
}


static void test_modes(void)
{
    gm_modes m;
    /* two tight clusters: a state, as the ssb canary shows it */
    double two[] = { 2.40, 2.43, 2.41, 14.2, 14.3, 2.42, 14.1, 2.44, 14.4, 2.39 };
    gm_find_modes(two, 10, 1.25, &m);
    check(m.split && m.n_lo == 6 && m.n_hi == 4, "modes: 6 values near 2.4 and 4 near 14.2 are two modes");
    check_near(m.lo_median, 2.415, 1e-9, "modes: the low cluster's median");
    check_near(m.hi_median, 14.25, 1e-9, "modes: the high cluster's median");
    /* one cluster with a tail of two outliers among 30: a tail, not a mode */
    double tail[30];
    for (int i = 0; i < 28; i++)
        tail[i] = 10 + 0.01 * i;
    tail[28] = 13;
    tail[29] = 15;
    gm_find_modes(tail, 30, 1.25, &m);
    check(!m.split, "modes: two outliers in 30 are a tail, not a second mode");
    /* spread out values: no tight clusters */
    double wide[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    gm_find_modes(wide, 10, 1.10, &m);
    check(!m.split, "modes: evenly spread values are one mode");
    /* a small gap relative to min_ratio */
    double near[] = { 10, 10.1, 10.05, 10.6, 10.7, 10.65 };
    gm_find_modes(near, 6, 1.25, &m);
    check(!m.split, "modes: clusters 6% apart are one mode at min_ratio 1.25");
    gm_find_modes(near, 6, 1.04, &m);
    check(m.split && m.n_lo == 3, "modes: ... and two at min_ratio 1.04");
    /* per-process medians: 8.5 vs 14 (the VM's asmcgocall states) */
    double procs[] = { 8.4, 14.1, 8.6, 13.9, 8.5, 14.2 };
    gm_find_modes(procs, 6, 1.10, &m);
    check(m.split && m.n_lo == 3 && m.n_hi == 3, "modes: six processes, three at 8.5 and three at 14");
}

static void test_quantile(void)
{
    double x[] = { 5, 1, 4, 2, 3 };
    check_near(gm_quantile(x, 5, 0.5), 3, 1e-12, "quantile: median of 1..5 is 3");
    check_near(gm_quantile(x, 5, 0.25), 2, 1e-12, "quantile: 25th percentile of 1..5 is 2");
    check_near(gm_quantile(x, 5, 0.1), 1.4, 1e-12, "quantile: 10th percentile interpolates: 1.4");
    check(isnan(gm_quantile(x, 0, 0.5)), "quantile of nothing is NaN");
}

int main(void)
{
    test_modes();
    test_quantile();
    test_median();
    test_binom();
    test_ci();
    test_mwu_exact_dist();
    test_mwu();
    test_geomean();
    printf("test_stats: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
