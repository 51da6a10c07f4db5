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

struct vrow {
	char name[256], verdict[16], delta[32];
	int modes;
};

/* a row's words and its verdict, first match wins (make sensitivity's awk) */
static const char *const verdict_words[][2] = {
	{ ": not resolved)", "unresolved" }, { "~ leaning slower (", "leaning-slower" },
	{ "~ leaning faster (", "leaning-faster" }, { " slower (", "slower" }, { " faster (", "faster" },
	{ "~0 floor", "floor" }, { "failed:", "failed" },
};

/* the first field after the name that is a signed percentage, without its '%' */
static void delta_of(const char *line, char *out, size_t n)
{
	out[0] = 0;
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", line);
	char *save = NULL, *tok = strtok_r(buf, " \t", &save);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		size_t l = strlen(tok);
		if (l >= 3 && (tok[0] == '+' || tok[0] == '-') && tok[l - 1] == '%' &&
		    strspn(tok + 1, "0123456789.") == l - 2) {
			snprintf(out, n, "%.*s", (int)(l - 1), tok);
			return;
		}
	}
}

/* gm compare verdicts [--prefix TEXT] COMPARE.TXT: a row per compared benchmark,
 * "name,verdict,delta,named" (make sensitivity's report) */
int compare_verdicts(int argc, char **argv)
{
	const char *prefix = "";
	const char *path = gm_one_arg(argc, argv, "--prefix", &prefix, "compare.txt");
	FILE *f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	struct vrow *R = NULL;
	size_t n = 0, cap = 0;
	long last = -1;
	int t = 0, states = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while ((len = getline(&line, &lcap, f)) >= 0) {
		line[strcspn(line, "\n")] = 0;
		states += !strncmp(line, "MACHINE STATES", 14);
		if (!strncmp(line, "name ", 5)) {
			t = 1;
			continue;
		}
		if (t && !*line)
			t = 0;
		if (t && !strncmp(line, "  ^ TWO MODES", 13)) {
			for (size_t k = 0; last >= 0 && k < n; k++)	/* awk's modes[last]: by name */
				if (!strcmp(R[k].name, R[last].name))
					R[k].modes = 1;
			continue;
		}
		if (!t || line[0] < 'a' || line[0] > 'z')
			continue;
		const char *v = "~";
		for (size_t k = sizeof verdict_words / sizeof verdict_words[0]; k-- > 0;)
			if (strstr(line, verdict_words[k][0]))
				v = verdict_words[k][1];
		GROW(R, n, cap);
		struct vrow *r = &R[n];
		memset(r, 0, sizeof *r);
		snprintf(r->name, sizeof r->name, "%.*s", (int)strcspn(line, " \t"), line);
		snprintf(r->verdict, sizeof r->verdict, "%s", v);
		delta_of(line, r->delta, sizeof r->delta);
		/* awk keeps one verdict per name: a repeated name takes the last row's */
		for (size_t k = 0; k < n; k++)
			if (!strcmp(R[k].name, r->name)) {
				r->modes = R[k].modes;
				snprintf(R[k].verdict, sizeof R[k].verdict, "%s", r->verdict);
				snprintf(R[k].delta, sizeof R[k].delta, "%s", r->delta);
			}
		last = (long)n++;
	}
	free(line);
	gm_read_end(f, path);
	for (size_t k = 0; k < n; k++)
		printf("%s%s,%s,%s,%s\n", prefix, R[k].name, R[k].verdict, R[k].delta,
		       states > 0 || R[k].modes ? "named" : "");
	free(R);
	return 0;
}
