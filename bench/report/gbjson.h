/*
 * gbjson.h — reading gmbench's Google Benchmark JSON (jansson): the few rules every
 * host tool must apply the same way (gmreport, gmpeers).
 */
#ifndef GM_GBJSON_H
#define GM_GBJSON_H

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
