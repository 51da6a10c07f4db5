/*
 * suite_cgocall.c — Go -> C.
 *
 *   cgocall/asmcgocall/<align>  the stack switch to g0 and back around an empty C
 *                               function, per alignment strategy (not "none": it exists
 *                               only for the tests)
 *   cgocall/cgocall/<mode>      a cgo call of the same function through the port's
 *                               default asmcgocall with the runtime's bookkeeping around
 *                               it: bare (the status word's two atomics), go2012, gotoday
 *                               (core/cgocall.c says what each models); on arm also seed:
 *                               2012's bookkeeping around the seed's asmcgocall
 *   cgocall/plain/indirect      the floor: an indirect call of the same C function from
 *                               the Go side, no switch
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void run_asmcgocall(void *ctx, long n)
{
	for (long i = 0; i < n; i++) {
		GM_PROBE(PR_GO_CALL);
		(void)gm_gocallp(ctx, cside_empty, NULL, 0);
		GM_PROBE(PR_GO_BACK);
	}
}

static void run_cgocall(void *ctx, long n)
{
	int (*cgocall)(int (*)(void *), void *) = (int (*)(int (*)(void *), void *))ctx;
	for (long i = 0; i < n; i++) {
		GM_PROBE(PR_GO_CALL);
		cgocall(cside_empty, NULL);
		GM_PROBE(PR_GO_BACK);
	}
}

static int (*volatile plain_fn)(void *) = cside_empty;

static void run_plain(void *ctx, long n)
{
	(void)ctx;
	for (long i = 0; i < n; i++)
		plain_fn(NULL);
}

void suite_cgocall(void)
{
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "cgocall", NULL)); ) {
		if ((v->flags & GM_VF_BROKEN) || !bench_runs_here(v, "cgocall", v->transition, NULL))
			continue;
		bench_add("cgocall", v->transition, v->name,
			  strcmp(v->transition, "asmcgocall") ? run_cgocall : run_asmcgocall, v->fn);
		bench_flags(v->flags);
		bench_probe_span(PR_GO_CALL, PR_GO_BACK);
	}
	bench_add("cgocall", "plain", "indirect", run_plain, NULL);
}
