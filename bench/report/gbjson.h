/*
 * gbjson.h — reading gmbench's Google Benchmark JSON (jansson): the few rules every
 * host tool must apply the same way (gmreport, gmpeers).
 */
#ifndef GM_GBJSON_H
#define GM_GBJSON_H

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Load a Google Benchmark JSON file as Google Benchmark wrote it.  It writes a NaN (the
 * CV of a benchmark whose every repetition measured 0) and infinities as bare NaN /
 * Infinity tokens, which Python's json (and so Google Benchmark's own tools/compare.py)
 * reads but JSON proper does not have: outside strings they are read as null here, and
 * the file itself is left alone.  NULL with err->text set on failure.
 */
/* The same from a buffer. */
static inline json_t *gb_json_loadb(const char *buf, size_t len, json_error_t *err)
{
	static const char *const toks[] = { "-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan", "-inf", "inf" };
	char *out = malloc(2 * len + 1);	/* "nan" (3) becomes "null" (4) */
	if (!out) {
		snprintf(err->text, sizeof err->text, "out of memory");
		err->line = err->column = 0;
		return NULL;
	}
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
	json_t *root = json_loadb(out, o, 0, err);
	free(out);
	return root;
}

static inline json_t *gb_json_load(const char *path, json_error_t *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->text, sizeof err->text, "cannot open: %s", strerror(errno));
		err->line = err->column = 0;
		return NULL;
	}
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + len, 1, cap - len, f)) > 0;) {
		len += got;
		if (len == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int rerr = ferror(f);
	fclose(f);
	if (!buf || rerr) {
		free(buf);
		snprintf(err->text, sizeof err->text, "cannot read the file");
		err->line = err->column = 0;
		return NULL;
	}
	json_t *root = gb_json_loadb(buf, len, err);
	free(buf);
	return root;
}

/* A Google Benchmark time in `unit` (ns, us, ms, s; NULL = ns) as ns; NAN for an
 * unknown unit (the caller says so). */
static inline double gb_to_ns(double v, const char *unit)
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

/* "callback/crosscall2/le/manual_time" -> "callback/crosscall2/le": Google Benchmark
 * appends /manual_time to every gmbench benchmark; it is not part of the name. */
static inline void gb_base_name(const char *run_name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", run_name);
	char *p = strstr(buf, "/manual_time");
	if (p)
		*p = 0;
}

/* The per-op counter of a row, named for its unit (cycles, ticks or ns): 1 and the
 * unit and value, or 0 when the row has none. */
static inline int gb_row_counter(json_t *b, const char **unit, double *v)
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


#endif
