/*
 * die.c — errors, memory and the text buffer of every gm command (util.h).  die() is
 * the one exit of an error path: it removes the temporaries the atomic writer still has
 * open (out.c), so a command never has to undo its own writes.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *gm_prog = "gm";
static char prog_buf[64];

void gm_set_prog(const char *command)
{
	snprintf(prog_buf, sizeof prog_buf, "gm %s", command);
	gm_prog = prog_buf;
}


static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", gm_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void vdie(int usage, const char *fmt, va_list ap) __attribute__((noreturn));
static void vdie(int usage, const char *fmt, va_list ap)
{
	vmsg("", fmt, ap);
	if (usage)
		gm_print_usage(stderr);
	gm_out_cleanup();
	exit(2);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(0, fmt, ap);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(1, fmt, ap);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		die("out of memory");
	return d;
}

void gm_bprintf(struct gm_buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		die("formatting error");
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void gm_bpad(struct gm_buf *b, size_t n)
{
	while (n--)
		gm_bprintf(b, " ");
}

void gm_fput_jescaped(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fprintf(f, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
}

void gm_read_end(FILE *f, const char *what)
{
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad)
		die("%s: cannot read it", what);
}

void gm_drain(FILE *f)
{
	char buf[4096];
	while (fread(buf, 1, sizeof buf, f) > 0)
		;
}
