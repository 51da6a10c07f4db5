/*
 * cmd-report-csv.c — gm report's modes for plots and titles (docs/tools/report.md):
 * samples, paired-samples, compare-csv and context-line.  Each prints CSV or a line on
 * stdout and writes nothing, which is why they are apart from the run mode
 * (cmd-report.c) and its writer.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-report.h"
#include "util/load.h"
#include "util/stats.h"
#include "util/util.h"

double report_to_ns(double v, const char *unit)
{
	double ns = gb_to_ns(v, unit);
	if (isnan(ns))
		die("unknown time_unit '%s'", unit);
	return ns;
}

/* PATH read as Google Benchmark writes JSON (into *root), and its array KEY; or die with
 * the loader's reason, or with MISSING when the array is not there */
static json_t *load_array(const char *path, const char *key, const char *missing, json_t **root)
{
	struct gm_lerr e;
	*root = gm_load(path, GM_GB, &e);
	json_t *a = *root ? json_object_get(*root, key) : NULL;
	if (!json_is_array(a))
		die("%s: %s", path, *root ? missing : e.text);
	return a;
}

/* --samples: one CSV row per repetition of every benchmark of every file */
int report_samples(int argc, char **argv)
{
	const char *side = "A";
	printf("side,benchmark,unit,value\n");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			side = "B";
			continue;
		}
		json_t *root, *benches = load_array(argv[i], "benchmarks", "no benchmarks array", &root);
		for (size_t k = 0; k < json_array_size(benches); k++) {
			json_t *b = json_array_get(benches, k);
			const char *rn = json_string_value(json_object_get(b, "run_name"));
			const char *rt = json_string_value(json_object_get(b, "run_type"));
			if (!rn || !rt || strcmp(rt, "iteration") ||
			    json_is_true(json_object_get(b, "error_occurred")))
				continue;
			char name[200];
			gb_base_name(rn, name, sizeof name);
			const char *unit;
			double v;
			if (!gb_row_counter(b, &unit, &v)) {
				unit = "ns";
				v = report_to_ns(json_number_value(json_object_get(b, "real_time")),
					  json_string_value(json_object_get(b, "time_unit")));
			}
			printf("%s,%s,%s,%.6g\n", side, name, unit, v);
		}
		json_decref(root);
	}
	return 0;
}

/* --paired-samples: per gmpair process (a file), the median of each side per benchmark:
 * one CSV row per process and side, for the box plots of a paired comparison */
int report_paired_samples(int argc, char **argv)
{
	printf("side,benchmark,unit,value\n");
	for (int i = 1; i < argc; i++) {
		json_t *root, *cs = load_array(argv[i], "cases", "no cases array (not a gmpair file)", &root);
		for (size_t k = 0; k < json_array_size(cs); k++) {
			json_t *c = json_array_get(cs, k), *pairs = json_object_get(c, "pairs");
			const char *name = json_string_value(json_object_get(c, "name"));
			const char *unit = json_string_value(json_object_get(c, "unit"));
			size_t n = json_array_size(pairs);
			if (!name || !unit || !n)
				continue;
			double *v = xcalloc(n, sizeof *v);
			for (int side = 0; side < 2; side++) {
				size_t m = 0;
				for (size_t j = 0; j < n; j++) {
					json_t *x = json_array_get(json_array_get(pairs, j), (size_t)side);
					if (json_is_number(x))
						v[m++] = json_number_value(x);
				}
				if (m)
					printf("%s,%s,%s,%.6g\n", side ? "B" : "A", name, unit, gm_median(v, m));
			}
			free(v);
		}
		json_decref(root);
	}
	return 0;
}

int report_compare_csv(int argc, char **argv)
{
	if (argc != 2)
		die_usage("compare-csv takes one compare.json");
	const char *path = argv[1];
	json_t *root, *bs = load_array(path, "benchmarks", "no benchmarks array (not a gmcompare compare.json)", &root);
	printf("benchmark,unit,old_median,old_lo,old_hi,new_median,new_lo,new_hi,delta_pct,delta_lo_pct,"
	       "delta_hi_pct,p,significant\n");
	const char *unit = json_string_value(json_object_get(root, "unit"));
	for (size_t i = 0; i < json_array_size(bs); i++) {
		json_t *b = json_array_get(bs, i), *o = json_object_get(b, "old"), *n = json_object_get(b, "new");
		const char *name = json_string_value(json_object_get(b, "name"));
		const char *kind = json_string_value(json_object_get(b, "kind"));
		if (kind && strncmp(kind, "timing", 6))
			continue;	/* count and prediction rows: no timing samples (count.csv has the counts) */
		double om = json_number_value(json_object_get(o, "median"));
		double ol = json_number_value(json_object_get(o, "ci_low"));
		double oh = json_number_value(json_object_get(o, "ci_high"));
		double nm = json_number_value(json_object_get(n, "median"));
		double nl = json_number_value(json_object_get(n, "ci_low"));
		double nh = json_number_value(json_object_get(n, "ci_high"));
		if (!name || !(om > 0) || !(ol > 0) || !(oh > 0))
			continue;
		/* paired (gm compare paired): the effect and its interval (older files: the
		 * layouts' range); process level: the medians' delta, conservative interval */
		json_t *lmin = json_object_get(b, "ci_low_pct"), *lmax = json_object_get(b, "ci_high_pct");
		if (!json_object_get(b, "ci_low_pct"))
			lmin = json_object_get(b, "layout_min_pct"), lmax = json_object_get(b, "layout_max_pct");
		json_t *dp = json_object_get(b, "delta_pct");
		int paired = json_is_number(lmin) && json_is_number(lmax) && json_is_number(dp);
		if ((json_object_get(b, "ci_low_pct") || json_object_get(b, "layout_min_pct") ||
		     json_object_get(b, "verdict")) && !paired)
			continue;	/* a paired floor row, or one without an interval */
		printf("%s,%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%.4f,%.4f,%.4g,%d\n", name,
		       unit ? unit : "", om, ol, oh, nm, nl, nh,
		       paired ? json_number_value(dp) : (nm / om - 1) * 100,
		       paired ? json_number_value(lmin) : (nl / oh - 1) * 100,
		       paired ? json_number_value(lmax) : (nh / ol - 1) * 100, json_number_value(json_object_get(b, "p")),
		       json_is_true(json_object_get(b, "significant")));
	}
	json_decref(root);
	return 0;
}


/* the machine and counter of a run, for titles */
int report_context_line(int argc, char **argv)
{
	if (argc != 2)
		die_usage("context-line takes one bench.json");
	struct gm_lerr e;
	json_t *r = gm_load(argv[1], GM_GB, &e);
	json_t *c = r ? json_object_get(r, "context") : NULL;
	if (!json_is_object(c))
		die("%s: %s", argv[1], r ? "no context object" : e.text);
	const char *port = json_string_value(json_object_get(c, "gm_port"));
	const char *cpu = json_string_value(json_object_get(c, "gm_cpu"));
	const char *ctr = json_string_value(json_object_get(c, "gm_counter"));
	const char *unit = json_string_value(json_object_get(c, "gm_counter_unit"));
	const char *emu = json_string_value(json_object_get(c, "gm_emulated"));
	printf("gmbench %s on %s, counter %s (%s)%s\n", port ? port : "?", cpu ? cpu : "unknown CPU",
	       ctr ? ctr : "?", unit ? unit : "?", emu && strcmp(emu, "no") ? ", EMULATED" : "");
	json_decref(r);
	return 0;
}
