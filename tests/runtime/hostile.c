/*
 * hostile.c — the C side of the tests, compiled as ordinary C (no reserved registers).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../core/gm.h"
#include "hostile.h"

/* Variadic doubles: on arm32 they are 8-byte aligned in the argument area, which goes
 * wrong when the caller's SP was not; on x86-64 the callee spills with movaps. */
static double __attribute__((noinline)) sum_doubles(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, double);
	va_end(ap);
	return s;
}

static int alignment_sensitive(void)
{
	char buf[64];
	volatile double a = 1.5, b = 2.25, c = -4.0;
	double s = sum_doubles(3, a, b, c);
	snprintf(buf, sizeof buf, "%.2f", s);
#if defined(__arm__) && defined(__ARM_NEON)
	/* a NEON load with a :128 alignment hint from a 16-byte aligned local faults when
	 * the stack alignment GCC relies on does not hold */
	double v[2] __attribute__((aligned(16))) = { a, b };
	double out[2] __attribute__((aligned(16)));
	__asm__ volatile("vld1.64 {d16-d17}, [%1:128]\n\tvst1.64 {d16-d17}, [%0:128]"
			 : : "r"(out), "r"(v) : "d16", "d17", "memory");
	if (out[0] != a || out[1] != b)
		return 1;
#endif
	return strcmp(buf, "-0.25") != 0;
}

/* Which g TLS names while C runs is the protocol's business (today's asmcgocall: g0;
 * the 2012 seed's: the goroutine that called C): the test says which it wants. */
static void check_tls_g(struct hostile_ctx *ctx)
{
	if (ctx->tls_g_want && gm_tls.g != ctx->tls_g_want)
		ctx->tls_g_bad++;
}

int hostile_body_plain(struct hostile_ctx *ctx)
{
	if (alignment_sensitive())
		ctx->varargs_bad++;
	check_tls_g(ctx);
	return 7;
}

int hostile_body_callback(struct hostile_ctx *ctx)
{
	if (alignment_sensitive())
		ctx->varargs_bad++;
	check_tls_g(ctx);
	ctx->xc2_mismatch |= gm_hostile_crosscall2(ctx->xc2, ctx->callback, ctx->cbarg);
	ctx->xc2_calls++;
	return 11;
}
