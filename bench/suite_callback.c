/*
 * suite_callback.c — C -> Go.
 *
 *   callback/crosscall2/<v>     one C -> Go callback from C code: crosscall2 (register
 *                               saves, g/m from TLS by variant <v>), cgocallback (switch
 *                               to the goroutine's stack), cgocallbackg (exitsyscall,
 *                               the Go function, entersyscall), and back.  The C loop
 *                               making the calls runs under one cgocall per batch.
 *   callback/go-c-go/default    a whole Go -> C -> Go round trip: cgocall into a C
 *                               function that calls back once
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void go_empty(void *arg)
{
	GM_PROBE(PR_IN_GO);
	__asm__ volatile("" : : "r"(arg) : "memory");
}

struct cb_bench {
	const struct gm_variant *v;
	struct cside_cb req;
};

static void run_crosscall2(void *ctx, long n)
{
	struct cb_bench *b = ctx;
	gm_slot_fn saved = gm_tls_slot_fn;
	if (b->v->fn2)
		gm_tls_slot_fn = (gm_slot_fn)b->v->fn2;
	b->req.n = n;
	gm_cgocall(cside_callback_loop, &b->req);
	gm_tls_slot_fn = saved;
}

static void run_gocgo(void *ctx, long n)
{
	struct cside_cb *req = ctx;
	for (long i = 0; i < n; i++) {
		GM_PROBE(PR_GO_CALL);
		gm_cgocall(cside_callback_once, req);
		GM_PROBE(PR_GO_BACK);
	}
}

void suite_callback(void)
{
	for (size_t i = 0; i < gm_nvariants; i++) {
		const struct gm_variant *v = &gm_variants[i];
		char why[200];
		if (strcmp(v->suite, "callback") || strcmp(v->transition, "crosscall2"))
			continue;
		if (v->flags & GM_VF_BROKEN)
			continue;
		if (!gm_variant_available(v, why, sizeof why)) {
			bench_unavailable("callback", "crosscall2", v->name, why);
			continue;
		}
		struct cb_bench *b = calloc(1, sizeof *b);
		b->v = v;
		b->req.xc2 = (void (*)(void (*)(void *), void *))v->fn;
		b->req.fn = go_empty;
		bench_add("callback", "crosscall2", v->name, run_crosscall2, b);
		bench_probe_span(PR_C_CALL, PR_C_BACK);
	}
	struct cside_cb *req = calloc(1, sizeof *req);
	req->xc2 = gm_crosscall2;
	req->fn = go_empty;
	bench_add("callback", "go-c-go", "default", run_gocgo, req);
	bench_probe_span(PR_GO_CALL, PR_GO_BACK);
}
