/* util.c - see util.h */
#define _GNU_SOURCE

#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gmc_die(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("gmcompare: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

void *gmc_xcalloc(size_t n, size_t s)
{
    void *p = calloc(n ? n : 1, s ? s : 1);
    if (!p)
        gmc_die("out of memory");
    return p;
}

void gmc_bprintf(struct gmc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = NULL;
    int n = vasprintf(&t, fmt, ap);
    va_end(ap);
    if (n < 0)
        gmc_die("out of memory");
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            gmc_die("out of memory");
    }
    memcpy(b->s + b->len, t, (size_t)n + 1);
    b->len += (size_t)n;
    free(t);
}
