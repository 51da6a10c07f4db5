/*
 * util.h - what gmcompare's --paired and --count modes share: the fatal error (message
 * on stderr starting with "gmcompare: ", exit 2) and a growable text buffer.
 */
#ifndef GMC_UTIL_H
#define GMC_UTIL_H

#include <stddef.h>

void gmc_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void *gmc_xcalloc(size_t n, size_t s);

struct gmc_buf { char *s; size_t len, cap; };
void gmc_bprintf(struct gmc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
