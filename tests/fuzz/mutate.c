/*
 * mutate.c — gm-fuzz's mutations (gm-fuzz.c says what a run is): a seeded PRNG, a byte
 * buffer, and one mutation of an input at a time, chosen and placed by the PRNG.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

/* ------------------------------------------------------------------ PRNG (splitmix64) */
uint64_t rs;
uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* ------------------------------------------------------------------ buffers */
void reserve(struct buf *b, size_t n)
{
	if (n + 1 > b->cap) {
		b->cap = (n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			fail("out of memory");
	}
}
void bsplice(struct buf *b, size_t at, size_t del, const char *ins, size_t nins)
{
	if (at > b->n)
		at = b->n;
	if (del > b->n - at)
		del = b->n - at;
	reserve(b, b->n - del + nins);
	memmove(b->p + at + nins, b->p + at + del, b->n - at - del);
	memcpy(b->p + at, ins, nins);
	b->n = b->n - del + nins;
	b->p[b->n] = 0;
}
int read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	b->n = 0;
	char tmp[65536];
	size_t k;
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) {
		reserve(b, b->n + k);
		memcpy(b->p + b->n, tmp, k);
		b->n += k;
	}
	fclose(f);
	reserve(b, b->n);
	b->p[b->n] = 0;
	return 0;
}
void write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		fail("cannot write %s: %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ mutations */
static const char *const special_nums[] = {
	"NaN", "-NaN", "Infinity", "-Infinity", "nan", "inf", "1e308", "-1e308", "1e-308", "1e400", "0", "-0", "-1",
	"2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
	"18446744073709551616", "4294967296", "0.5", "1e15", "3.0e+19", "\"7\"", "null", "true", "[]", "{}",
};
static const char *const special_vals[] = { "null", "true", "false", "[]", "{}", "\"\"", "0", "-1", "1e308",
					    "\"x\"", "[7]", "{\"a\": 1}", "\"NaN\"", "[null]" };

/* Where the number tokens are: digit runs (with sign, point, exponent) not inside a
 * JSON string and not glued to a letter. */
static size_t find_tokens(const struct buf *b, int want_strings, size_t *at, size_t *len, size_t max)
{
	size_t n = 0;
	int instr = 0;
	for (size_t i = 0; i < b->n && n < max; i++) {
		char c = b->p[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"') {
				instr = 0;
				if (want_strings)
					len[n - 1] = i + 1 - at[n - 1];
			}
			continue;
		}
		if (c == '"') {
			instr = 1;
			if (want_strings)
				at[n] = i, len[n++] = 1;
			continue;
		}
		if (!want_strings && (isdigit((unsigned char)c) || c == '-') &&
		    (i == 0 || !isalnum((unsigned char)b->p[i - 1]))) {
			size_t j = i + 1;
			while (j < b->n && (isdigit((unsigned char)b->p[j]) || strchr(".eE+-", b->p[j])))
				j++;
			if (j < b->n && (isalpha((unsigned char)b->p[j]) || b->p[j] == '_'))
				continue;
			if (c == '-' && j == i + 1)
				continue;
			at[n] = i, len[n++] = j - i;
			i = j - 1;
		}
	}
	return n;
}

/* line I's start and length (its newline included) */
static int line_span(const struct buf *b, size_t i, size_t *at, size_t *len)
{
	size_t s = 0, k = 0;
	for (size_t p = 0; p <= b->n; p++)
		if (p == b->n || b->p[p] == '\n') {
			if (k++ == i) {
				*at = s, *len = (p < b->n ? p + 1 : p) - s;
				return 1;
			}
			s = p + 1;
		}
	return 0;
}
static size_t nlines(const struct buf *b)
{
	size_t k = 1;
	for (size_t p = 0; p < b->n; p++)
		k += b->p[p] == '\n';
	return k;
}

/* one mutation of B; its name into WHAT */
void mutate(struct buf *b, char *what, size_t wlen)
{
	static size_t at[1 << 16], len[1 << 16];
	char tmp[64];
	int m = (int)below(20);
	size_t pos = below(b->n + 1), k;
	switch (m) {
	case 0: /* bit flip */
		if (b->n)
			b->p[pos % b->n] ^= (char)(1 << below(8));
		snprintf(what, wlen, "bit flip at %zu", pos);
		break;
	case 1: /* random bytes */
		k = 1 + below(8);
		for (size_t i = 0; i < k; i++)
			tmp[i] = (char)rnd();
		bsplice(b, pos, below(2) ? k : 0, tmp, k);
		snprintf(what, wlen, "%zu random bytes at %zu", k, pos);
		break;
	case 2: /* delete a range */
		k = 1 + below(64);
		bsplice(b, pos, k, "", 0);
		snprintf(what, wlen, "delete %zu bytes at %zu", k, pos);
		break;
	case 3: { /* duplicate a range elsewhere */
		size_t from = below(b->n + 1), n = below(200);
		if (from + n > b->n)
			n = b->n - from;
		char *c = malloc(n + 1);
		memcpy(c, b->p + from, n);
		bsplice(b, pos, 0, c, n);
		free(c);
		snprintf(what, wlen, "copy %zu bytes from %zu to %zu", n, from, pos);
		break;
	}
	case 4: /* truncate */
		b->n = pos;
		b->p[b->n] = 0;
		snprintf(what, wlen, "truncate at %zu", pos);
		break;
	case 5: case 6: case 7: { /* a number token becomes a special one */
		size_t n = find_tokens(b, 0, at, len, 1 << 16);
		if (!n)
			goto flip;
		size_t t = below(n);
		const char *s = special_nums[below(sizeof special_nums / sizeof *special_nums)];
		bsplice(b, at[t], len[t], s, strlen(s));
		snprintf(what, wlen, "number %zu -> %s", t, s);
		break;
	}
	case 8: { /* a string token becomes another value, or bad UTF-8, or a long string */
		size_t n = find_tokens(b, 1, at, len, 1 << 16);
		if (!n)
			goto flip;
		size_t t = below(n);
		int v = (int)below(4);
		if (v == 0) {
			const char *s = special_vals[below(sizeof special_vals / sizeof *special_vals)];
			bsplice(b, at[t], len[t], s, strlen(s));
			snprintf(what, wlen, "string %zu -> %s", t, s);
		} else if (v == 1) {
			bsplice(b, at[t] + 1, 0, "\xff\xfe\xc0\xaf", 4);
			snprintf(what, wlen, "string %zu: bad UTF-8", t);
		} else if (v == 2) {
			size_t n2 = 5000 + below(100000);
			char *c = malloc(n2);
			memset(c, 'A', n2);
			bsplice(b, at[t] + 1, 0, c, n2);
			free(c);
			snprintf(what, wlen, "string %zu: %zu more bytes", t, n2);
		} else {
			bsplice(b, at[t] + 1, 0, "\\u0000\\\"\\n%s%n", 18);
			snprintf(what, wlen, "string %zu: escapes and printf directives", t);
		}
		break;
	}
	case 9: { /* a value of "key": becomes another type */
		size_t n = find_tokens(b, 1, at, len, 1 << 16), t = below(n ? n : 1);
		if (!n)
			goto flip;
		size_t e = at[t] + len[t], v = e;
		while (v < b->n && (b->p[v] == ' ' || b->p[v] == ':'))
			v++;
		if (v == e || b->p[e] != ':')
			goto flip;
		size_t end = v;
		int depth = 0, instr = 0;
		for (; end < b->n; end++) {
			char c = b->p[end];
			if (instr) { if (c == '\\') end++; else if (c == '"') instr = 0; continue; }
			if (c == '"') instr = 1;
			else if (c == '[' || c == '{') depth++;
			else if ((c == ']' || c == '}') && depth-- == 0) break;
			else if (c == ',' && depth == 0) break;
		}
		const char *s = special_vals[below(sizeof special_vals / sizeof *special_vals)];
		bsplice(b, v, end - v, s, strlen(s));
		snprintf(what, wlen, "value of key %zu -> %s", t, s);
		break;
	}
	case 10: { /* a "key": value pair removed */
		size_t n = find_tokens(b, 1, at, len, 1 << 16), t = below(n ? n : 1);
		if (!n)
			goto flip;
		size_t end = at[t] + len[t];
		while (end < b->n && b->p[end] != ',' && b->p[end] != '}' && b->p[end] != '\n')
			end++;
		if (end < b->n && b->p[end] == ',')
			end++;
		bsplice(b, at[t], end - at[t], "", 0);
		snprintf(what, wlen, "key %zu removed", t);
		break;
	}
	case 11: { /* deep nesting */
		size_t d = below(2) ? 10000 : 100 + below(1000);
		char *c = malloc(2 * d);
		memset(c, '[', d);
		memset(c + d, ']', d);
		size_t n = find_tokens(b, 0, at, len, 1 << 16);
		if (n) {
			size_t t = below(n);
			bsplice(b, at[t], len[t], c, below(4) ? 2 * d : d);
		} else
			bsplice(b, pos, 0, c, 2 * d);
		free(c);
		snprintf(what, wlen, "%zu-deep array", d);
		break;
	}
	case 12: /* CRLF */
		for (size_t i = 0; i < b->n; i++)
			if (b->p[i] == '\n')
				bsplice(b, i, 0, "\r", 1), i++;
		snprintf(what, wlen, "CRLF line ends");
		break;
	case 13: case 14: { /* a line repeated (1 to 5000 times) */
		size_t a, l, t = below(nlines(b)), r = below(3) ? 1 + below(20) : 1000 + below(4000);
		if (!line_span(b, t, &a, &l) || !l)
			goto flip;
		char *c = malloc(l * r);
		for (size_t i = 0; i < r; i++)
			memcpy(c + i * l, b->p + a, l);
		bsplice(b, a, 0, c, l * r);
		free(c);
		snprintf(what, wlen, "line %zu repeated %zu times", t, r);
		break;
	}
	case 15: { /* a line deleted */
		size_t a, l, t = below(nlines(b));
		if (!line_span(b, t, &a, &l))
			goto flip;
		bsplice(b, a, l, "", 0);
		snprintf(what, wlen, "line %zu deleted", t);
		break;
	}
	case 16: { /* two lines swapped */
		size_t a1, l1, a2, l2, t1 = below(nlines(b)), t2 = below(nlines(b));
		if (t1 > t2) { size_t x = t1; t1 = t2; t2 = x; }
		if (t1 == t2 || !line_span(b, t1, &a1, &l1) || !line_span(b, t2, &a2, &l2))
			goto flip;
		char *c1 = strndup(b->p + a1, l1), *c2 = strndup(b->p + a2, l2);
		bsplice(b, a2, l2, c1, l1);
		bsplice(b, a1, l1, c2, l2);
		free(c1), free(c2);
		snprintf(what, wlen, "lines %zu and %zu swapped", t1, t2);
		break;
	}
	case 17: /* empty */
		b->n = 0;
		b->p[0] = 0;
		snprintf(what, wlen, "empty file");
		break;
	case 18: { /* a NUL or a control character */
		char c = below(2) ? 0 : (char)(1 + below(31));
		bsplice(b, pos, 0, &c, 1);
		snprintf(what, wlen, "byte %d inserted at %zu", c, pos);
		break;
	}
	default:
	flip:
		if (b->n)
			b->p[pos % b->n] = (char)rnd();
		snprintf(what, wlen, "byte at %zu replaced", pos);
		break;
	}
}

