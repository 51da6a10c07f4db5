/*
 * cmd-compare-header.c — gm compare header and gm compare verdicts
 * (docs/tools/compare.md): what make compare's script used to get from JSON and text
 * with sed and awk, now read by the tool that knows the formats.  Both print exactly what
 * the script's pipelines printed (the same sort order: bytes, as sort in the C locale).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-compare.h"
#include "util/load.h"

struct wkind {
	char *key;		/* the warning with each "N%" number replaced by N */
	double *mx;		/* the largest value of each number */
	size_t nmx, count;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the end of a number-percent at s ([0-9][0-9.]*%), or NULL */
static const char *pct_end(const char *s)
{
	if (*s < '0' || *s > '9')
		return NULL;
	const char *p = s + 1;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	return *p == '%' ? p + 1 : NULL;
}

/* awk prints an integral number as an integer, others with %.6g */
static void awk_num(struct gm_buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		gm_bprintf(b, "%.0f", v);
	else
		gm_bprintf(b, "%.6g", v);
}

static void add_warning(struct wkind **K, size_t *nk, size_t *ck, const char *w)
{
	struct gm_buf key = { 0 };
	double vals[64];
	size_t nv = 0;
	for (const char *p = w; *p;) {
		const char *e = pct_end(p);
		if (e) {
			if (nv < 64)
				vals[nv++] = strtod(p, NULL);
			gm_bprintf(&key, "N%%");
			p = e;
		} else {
			gm_bprintf(&key, "%c", *p++);
		}
	}
	size_t k;
	for (k = 0; k < *nk && strcmp((*K)[k].key, key.s ? key.s : ""); k++)
		;
	if (k == *nk) {
		GROW(*K, *nk, *ck);
		(*K)[k] = (struct wkind){ xstrdup(key.s), xcalloc(64, sizeof(double)), 0, 0 };
		(*nk)++;
	}
	struct wkind *x = &(*K)[k];
	x->count++;
	for (size_t i = 0; i < nv; i++) {
		if (i >= x->nmx || vals[i] > x->mx[i])
			x->mx[i] = vals[i];
	}
	if (nv > x->nmx)
		x->nmx = nv;
	free(key.s);
}

/* A gmpair file's machine (machine.warnings), or a machine.json (warnings). */
static json_t *warnings_of(json_t *j)
{
	json_t *m = json_object_get(j, "machine");
	return json_object_get(json_is_object(m) ? m : j, "warnings");
}

static char *escaped(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	gm_fput_jescaped(f, s);
	fclose(f);
	return out;
}

/* gm compare header PAIR.json... [MACHINE.json...] */
int compare_header(int argc, char **argv)
{
	if (argc < 2)
		die_usage("header needs the pair files (and machine.json files) of a comparison");
	int nfiles = argc - 1;
	struct wkind *K = NULL;
	size_t nk = 0, ck = 0;
	json_t *first = NULL;
	for (int i = 1; i < argc; i++) {
		struct gm_lerr e;
		json_t *j = gm_load(argv[i], GM_JSON | GM_NAN_TOKENS, &e);
		if (!j)
			die("%s: %s (line %d)", argv[i], e.text, e.line);
		/* per file: its distinct warnings, sorted */
		json_t *ws = warnings_of(j);
		size_t n = 0;
		char **lines = xcalloc(json_array_size(ws) + 1, sizeof *lines);
		for (size_t k = 0; k < json_array_size(ws); k++)
			if (json_is_string(json_array_get(ws, k)))
				lines[n++] = escaped(json_string_value(json_array_get(ws, k)));
		qsort(lines, n, sizeof *lines, cmp_str);
		for (size_t k = 0; k < n; k++) {
			if (!k || strcmp(lines[k], lines[k - 1]))
				add_warning(&K, &nk, &ck, lines[k]);
		}
		for (size_t k = 0; k < n; k++)
			free(lines[k]);
		free(lines);
		if (i == 1)
			first = j;
		else
			json_decref(j);
	}
	/* the machine line, from the first file */
	json_t *m = json_object_get(first, "machine");
	json_t *cpu = json_object_get(m, "cpu_measured");
	const char *kernel = gm_jstr(json_object_get(first, "context_a"), "gm_kernel");
	if (!kernel)
		kernel = gm_jstr(json_object_get(first, "context_b"), "gm_kernel");
	printf("machine: CPU ");
	if (json_is_integer(cpu))
		printf("%lld", (long long)json_integer_value(cpu));
	printf(" (");
	gm_fput_jescaped(stdout, gm_jstr0(m, "core_measured"));
	printf("), counter ");
	gm_fput_jescaped(stdout, gm_jstr0(first, "counter"));
	printf(", %s\n", kernel ? kernel : "");
	/* then the warnings, most frequent first, ties in byte order of the whole line */
	char **out = xcalloc(nk + 1, sizeof *out);
	for (size_t k = 0; k < nk; k++) {
		struct gm_buf b = { 0 };
		gm_bprintf(&b, "%zu\tWARNING (%zu of %d processes): ", K[k].count, K[k].count, nfiles);
		size_t i = 0;
		for (const char *p = K[k].key; *p;) {
			if (!strncmp(p, "N%", 2)) {
				if (K[k].count > 1)
					gm_bprintf(&b, "up to ");
				awk_num(&b, i < K[k].nmx ? K[k].mx[i] : 0);
				gm_bprintf(&b, "%%");
				i++;
				p += 2;
			} else {
				gm_bprintf(&b, "%c", *p++);
			}
		}
		out[k] = b.s;
	}
	for (size_t a = 1; a < nk; a++)		/* insertion sort: count desc, then the line */
		for (size_t b = a; b > 0; b--) {
			long ca = atol(out[b - 1]), cb = atol(out[b]);
			if (ca > cb || (ca == cb && strcmp(out[b - 1], out[b]) <= 0))
				break;
			char *t = out[b - 1];
			out[b - 1] = out[b];
			out[b] = t;
		}
	for (size_t k = 0; k < nk; k++)
		printf("%s\n", strchr(out[k], '\t') + 1);
	json_decref(first);
	return 0;
}

static void csv_num(json_t *b, const char *key)
{
	json_t *v = json_object_get(b, key);
	if (json_is_number(v) && isfinite(json_number_value(v)))
		printf(",%.4g", json_number_value(v));
	else
		printf(",");
}

/* gm compare verdicts [--prefix TEXT] COMPARE.JSON: a row per compared benchmark and state,
 * "name,state,verdict,delta_pct,ci_low_pct,ci_high_pct,bound_pct,resolvable_pct" (make
 * sensitivity's report); the geomean rows are named "geomean" */
int compare_verdicts(int argc, char **argv)
{
	const char *prefix = "";
	const char *path = gm_one_arg(argc, argv, "--prefix", &prefix, "compare.json");
	json_error_t e;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		die("%s: %s (line %d)", path, e.text, e.line);
	json_t *bs = json_object_get(root, "benchmarks");
	if (!json_is_array(bs) || strcmp(json_string_value(json_object_get(root, "mode")) ?: "", "paired"))
		die("%s: not the compare.json of a paired compare (gm compare paired)", path);
	json_t *geo = json_object_get(root, "geomean");
	for (int part = 0; part < 2; part++) {
		json_t *arr = part ? geo : bs;
		for (size_t i = 0; i < json_array_size(arr); i++) {
			json_t *b = json_array_get(arr, i);
			const char *name = json_string_value(json_object_get(b, "name"));
			const char *state = json_string_value(json_object_get(b, "state"));
			const char *v = json_string_value(json_object_get(b, "verdict"));
			if (!name || !v)
				die("%s: a row without a name or a verdict", path);
			if (strchr(name, ',') || (state && strchr(state, ',')))
				die("%s: a name with a comma cannot go into the CSV: %s", path, name);
			printf("%s%s,%s,%s", prefix, name, state ? state : "", v);
			csv_num(b, "delta_pct");
			csv_num(b, "ci_low_pct");
			csv_num(b, "ci_high_pct");
			csv_num(b, "bound_pct");
			csv_num(b, "resolvable_pct");
			printf("\n");
		}
	}
	json_decref(root);
	return 0;
}
