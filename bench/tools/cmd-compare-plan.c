/*
 * cmd-compare-plan.c — gm compare plan: how the rest of a paired compare spends its time
 * (docs/compare.md, "How the time is spent").
 *
 *   gm compare plan --left SECONDS --link SECONDS PILOT.json
 *
 * make compare runs one process first (the pilot: every layout of its binary visited twice
 * per benchmark), then asks here how to spend the time left (BUDGET minus what has passed).
 * The interval's variance is about  s2_layout / L  +  s2_pair / (L n)  (+ the process level),
 * with L layouts in all and n pairs per layout.  A new layout costs c_L (its share of a
 * binary's link and of a process's start), a pair c_v (one pair of every benchmark): the
 * variance at a fixed cost is smallest with  n* = sqrt(c_L / c_v * s2_pair / s2_layout)
 * (Kalibera and Tuma's optimal dimensions for two levels), and then as many processes as
 * the time allows (three processes in all at least), each bringing a binary of new layouts.  The figures come from the pilot
 * only (its pairs' spread and its clock), never from the effect: no look at the answer
 * decides how long to measure.
 *
 * Prints "PAIRS_PER_LAYOUT PROCESSES" on the first line, the reasoning on the second.
 */
#define _GNU_SOURCE

#include "cmd-compare.h"
#include "util/effect.h"
#include "util/load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double number(json_t *o, const char *k, const char *file)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0)
		die("%s: no usable \"%s\" (a gmpair result of this version?)", file, k);
	return json_number_value(v);
}

int compare_plan(int argc, char **argv)
{
	const char *left_s = NULL, *link_s = NULL, *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, "--left", &left_s) || gm_opt(argc, argv, &i, "--link", &link_s))
			continue;
		if (argv[i][0] == '-' && argv[i][1] == '-')
			die("unknown option %s (usage: gm compare plan --left SECONDS --link SECONDS PILOT.json)", argv[i]);
		if (file)
			die("plan takes one pilot file");
		file = argv[i];
	}
	if (!file || !left_s || !link_s)
		die("usage: gm compare plan --left SECONDS --link SECONDS PILOT.json");
	char *e;
	double left = strtod(left_s, &e);
	if (*e || !isfinite(left))
		die("--left %s: not a number of seconds", left_s);
	double link = strtod(link_s, &e);
	if (*e || !(link >= 0) || !isfinite(link))
		die("--link %s: not a number of seconds", link_s);
	struct gm_lerr err;
	json_t *root = gm_load(file, GM_PAIR | GM_NAN_TOKENS, &err);
	if (!root)
		die("%s: %s", file, err.kind == GM_LKIND ? "not a gmpair result" : err.text);
	json_t *sec = json_object_get(root, "seconds");
	double start = number(sec, "start", file), measure = number(sec, "measure", file);
	double slots = number(root, "slots", file);
	json_t *cs = json_object_get(root, "cases");
	size_t nc = json_array_size(cs), visits = 0;
	double s2l = 0, s2p = 0;
	size_t nv = 0;
	for (size_t k = 0; k < nc; k++) {
		json_t *pairs = json_object_get(json_array_get(cs, k), "pairs");
		size_t n = json_array_size(pairs), m = 0;
		visits = n > visits ? n : visits;
		struct gm_pair_obs *o = xcalloc(n + 1, sizeof *o);
		for (size_t i = 0; i < n; i++) {
			json_t *pr = json_array_get(pairs, i);
			double a = json_number_value(json_array_get(pr, 0)), b = json_number_value(json_array_get(pr, 1));
			if (a > 0 && b > 0 && json_is_integer(json_array_get(pr, 6))) {
				o[m].slot = (long)json_integer_value(json_array_get(pr, 6));
				o[m++].d = log(b / a);
			}
		}
		struct gm_effect ef;
		gm_effect_estimate(o, m, &ef);
		free(o);
		/* the layout level without the pair noise inside each layout's mean */
		if (isfinite(ef.sd_slot) && isfinite(ef.sd_pair)) {
			double per = (double)ef.npairs / (double)ef.nslots;
			s2l += fmax(ef.sd_slot * ef.sd_slot - ef.sd_pair * ef.sd_pair / per, 1e-8);
			s2p += ef.sd_pair * ef.sd_pair;
			nv++;
		}
	}
	json_decref(root);
	if (!visits || !(slots > 0))
		die("%s: no pairs to plan from", file);
	double cv = measure / (double)visits;            /* one pair of every benchmark */
	double cl = (link + start) / slots;              /* a new layout */
	double n = 1;
	if (nv && s2l > 0)
		n = sqrt(cl / cv * (s2p / (double)nv) / (s2l / (double)nv));
	n = fmin(fmax(round(n), 1), 16);
	double cp = link + start + slots * n * cv;       /* one more process */
	double more = floor(left / cp);
	/* three processes at least: the process level's variance has P - 1 degrees of freedom,
	 * and with two (one) a chance difference between them can widen the interval tenfold
	 * (t 12.7 for a 95% interval); with three, t 4.3 */
	more = fmin(fmax(more, 2), 31);
	printf("%.0f %.0f\n", n, more + 1);
	printf("pilot: %.0f pairs per benchmark in %.1f s after a %.1f s start, a binary linked in %.1f s; spread "
	       "between layouts %.1f%%, between pairs of a layout %.1f%% (rms over %zu benchmarks): %.0f pair%s per "
	       "layout, %.0f more process%s of %.1f s each in the %.0f s left of the budget%s\n",
	       (double)visits, measure, start, link, 100 * sqrt(s2l / (double)(nv ? nv : 1)),
	       100 * sqrt(s2p / (double)(nv ? nv : 1)), nv, n, n == 1 ? "" : "s", more, more == 1 ? "" : "es", cp,
	       fmax(left, 0),
	       more * cp > left ? " (over budget: three processes are the least for the process level)" : "");
	return 0;
}
