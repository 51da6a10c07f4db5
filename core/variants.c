/*
 * variants.c — lookup and availability of the variants each port registers in its
 * <port>/variants.c table.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "gm.h"

int gm_variant_available(const struct gm_variant *v, char *why, size_t whylen)
{
	if (whylen)
		why[0] = 0;
	if (!v->probe)
		return 1;
	return v->probe(why, whylen);
}

const struct gm_variant *gm_variant_find(const char *suite, const char *transition, const char *name)
{
	for (size_t i = 0; i < gm_nvariants; i++) {
		const struct gm_variant *v = &gm_variants[i];
		if (!strcmp(v->suite, suite) && !strcmp(v->transition, transition) &&
		    !strcmp(v->name, name))
			return v;
	}
	return NULL;
}

const struct gm_variant *gm_variant_next(size_t *i, const char *suite, const char *transition)
{
	while (*i < gm_nvariants) {
		const struct gm_variant *v = &gm_variants[(*i)++];
		if (!strcmp(v->suite, suite) && (!transition || !strcmp(v->transition, transition)))
			return v;
	}
	return NULL;
}
