/*
 * load.c — the file loaders (load.h).  Google Benchmark writes a NaN (the CV of a
 * benchmark whose every repetition measured 0) and infinities as bare NaN / Infinity
 * tokens, which Python's json (and so its own tools/compare.py) reads and JSON proper
 * does not: outside strings they are read as null here.  This is the one place
 * non-finite numbers enter gm; a command that needs a number gets NAN from gm_jnum.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "load.h"
#include "util.h"

static void seterr(struct gm_lerr *e, enum gm_lerr_kind k, int line, int col, const char *text)
{
	e->kind = k;
	e->line = line;
	e->column = col;
	snprintf(e->text, sizeof e->text, "%s", text);
}

json_t *gm_gb_loadb(const char *buf, size_t len, struct gm_lerr *e)
{
	static const char *const toks[] = { "-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan", "-inf", "inf" };
	char *out = xmalloc(2 * len + 1);	/* "nan" (3) becomes "null" (4) */
	size_t o = 0;
	int instr = 0;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (instr) {
			out[o++] = c;
			if (c == '\\' && i + 1 < len)
				out[o++] = buf[++i];
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '"') {
			instr = 1;
			out[o++] = c;
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof toks / sizeof toks[0]; k++) {
			size_t tl = strlen(toks[k]);
			if (i + tl <= len && !memcmp(buf + i, toks[k], tl))
				break;
		}
		if (k < sizeof toks / sizeof toks[0]) {
			memcpy(out + o, "null", 4);
			o += 4;
			i += strlen(toks[k]) - 1;
			continue;
		}
		out[o++] = c;
	}
	json_error_t err;
	json_t *root = json_loadb(out, o, 0, &err);
	free(out);
	if (!root)
		seterr(e, GM_LSYNTAX, err.line, err.column, err.text);
	return root;
}

static json_t *load_tokens(const char *path, struct gm_lerr *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		char t[200];
		snprintf(t, sizeof t, "cannot open: %s", strerror(errno));
		seterr(e, GM_LOPEN, 0, 0, t);
		return NULL;
	}
	size_t len = 0, cap = 1 << 16;
	char *buf = xmalloc(cap);
	for (size_t got; (got = fread(buf + len, 1, cap - len, f)) > 0;) {
		len += got;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		free(buf);
		seterr(e, GM_LREAD, 0, 0, "cannot read the file");
		return NULL;
	}
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	json_t *root = gm_gb_loadb(buf, len, e);
	if (!root && i == len)
		e->kind = GM_LEMPTY;
	free(buf);
	return root;
}

static int is_kind(json_t *j, int fmt)
{
	switch (fmt) {
	case GM_PATHLEN:
		return !strcmp(gm_jstr0(j, "kind"), "gmbench-pathlen");
	case GM_PREDICT:
		return !strcmp(gm_jstr0(j, "kind"), "gmbench-predict") && json_is_array(json_object_get(j, "results"));
	case GM_COMPARE:
		return !strcmp(gm_jstr0(j, "tool"), "gmcompare") && json_is_array(json_object_get(j, "benchmarks"));
	case GM_PAIR:
		return json_is_integer(json_object_get(j, "gmpair")) && json_is_array(json_object_get(j, "cases"));
	default:
		return 1;
	}
}

json_t *gm_load(const char *path, int fmt, struct gm_lerr *e)
{
	int tokens = (fmt & GM_NAN_TOKENS) || (fmt & 0xff) == GM_GB;
	fmt &= 0xff;
	json_t *j;
	seterr(e, GM_LOK, 0, 0, "");
	if (tokens) {
		j = load_tokens(path, e);
	} else {
		json_error_t err;
		j = json_load_file(path, 0, &err);
		if (!j)
			seterr(e, errno == ENOENT || strstr(err.text, "unable to open") ? GM_LOPEN : GM_LSYNTAX,
			       err.line, err.column, err.text);
	}
	if (j && !is_kind(j, fmt)) {
		seterr(e, GM_LKIND, 0, 0, "not of its kind");
		json_decref(j);
		j = NULL;
	}
	return j;
}

enum gm_optional gm_optional_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno == ENOENT ? GM_ABSENT : GM_UNREADABLE;
	return S_ISREG(st.st_mode) ? GM_REGULAR : GM_NOTREG;
}

/* ---- accessors */

const char *gm_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

const char *gm_jstr0(json_t *o, const char *key)
{
	const char *s = gm_jstr(o, key);
	return s ? s : "";
}

int count_sane(json_t *v)
{
	return json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 1e12;
}

double gm_jval(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

double gm_jnum(json_t *o, const char *key)
{
	return gm_jval(json_object_get(o, key));
}

double gb_to_ns(double v, const char *unit)
{
	if (!unit || !strcmp(unit, "ns"))
		return v;
	if (!strcmp(unit, "us"))
		return v * 1e3;
	if (!strcmp(unit, "ms"))
		return v * 1e6;
	if (!strcmp(unit, "s"))
		return v * 1e9;
	return NAN;
}

void gb_base_name(const char *run_name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", run_name);
	char *p = strstr(buf, "/manual_time");
	if (p)
		*p = 0;
}

int gb_row_counter(json_t *b, const char **unit, double *v)
{
	static const char *const units[] = { "cycles", "ticks", "ns", NULL };
	for (int i = 0; units[i]; i++) {
		json_t *x = json_object_get(b, units[i]);
		if (json_is_number(x)) {
			*unit = units[i];
			*v = json_number_value(x);
			return 1;
		}
	}
	return 0;
}

void gm_jadd_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
		if (!strcmp(json_string_value(x), s))
			return;
	json_array_append_new(arr, json_string(s));
}

json_t *gm_jfind(json_t *arr, const char *key, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c)
		if (!strcmp(gm_jstr0(c, key), name))
			return c;
	return NULL;
}

json_t *gm_load_run_bench(const char *rundir, char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s/bench.json", rundir);
	struct gm_lerr err;
	json_t *root = gm_load(path, GM_GB, &err);
	if (!root)
		die("%s: %s (line %d)", path, err.text, err.line);
	if (!json_is_object(json_object_get(root, "context")) || !json_is_array(json_object_get(root, "benchmarks")))
		die("%s: not a Google Benchmark JSON file (no context object or benchmarks array)", path);
	return root;
}
