/*
 * suite_tls.c — every read_tp variant raw, and save_gm/load_gm pairs built on each
 * (and, where a port has them as routines of their own, those: arm32's seed).
 *
 * "raw" for the variants with an inline sequence is a batched loop of that sequence
 * (the port's gm_tlsloop_*), so a one-instruction read is not hidden behind a call;
 * the others are what C code pays: a call of the variant's slot function.
 */

#include "bench.h"

static void run_loop(void *ctx, long n)
{
	((void (*)(long))ctx)(n);
}

static void run_call(void *ctx, long n)
{
	gm_slot_fn fn = (gm_slot_fn)ctx;
	for (long i = 0; i < n; i++) {
		struct gm_tlsslot *s = fn();
		__asm__ volatile("" : : "r"(s));
	}
}

/* save_gm then load_gm through the variant: what gogo (save) and crosscall2/sigtramp
 * (load) do. */
static void run_savload(void *ctx, long n)
{
	gm_slot_fn fn = (gm_slot_fn)ctx;
	struct gm_g *g = getg();
	struct gm_m *m = g->m;
	for (long i = 0; i < n; i++) {
		struct gm_tlsslot *s = fn();
		s->g = g;
		s->m = m;
		__asm__ volatile("" : : : "memory");
		s = fn();
		g = s->g;
		m = s->m;
		__asm__ volatile("" : "+r"(g), "+r"(m));
	}
}

void suite_tls(void)
{
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "tls", "read_tp")); ) {
		if (!bench_runs_here(v, "tls", "read_tp", "save+load_gm"))
			continue;
		if (v->fn2)
			bench_add("tls", "read_tp", v->name, run_loop, v->fn2);
		else
			bench_add("tls", "read_tp", v->name, run_call, v->fn);
		bench_flags(v->flags);
		if (!(v->flags & GM_VF_OWNSLOT)) {
			/* today's stores and loads through the variant's slot: none of the seed's
			 * sequence, even on the seed's read_tp */
			bench_add("tls", "save+load_gm", v->name, run_savload, v->fn);
			bench_flags(v->flags & ~GM_VF_SEED2012);
		}
	}
	/* save_gm/load_gm pairs a port has as whole routines (arm32: the seed's helpers
	 * through their pointers): fn2 = a loop of n pairs */
	for (size_t i = 0; (v = gm_variant_next(&i, "tls", "save+load_gm")); ) {
		if (!bench_runs_here(v, "tls", "save+load_gm", NULL))
			continue;
		bench_add("tls", "save+load_gm", v->name, run_loop, v->fn2);
		bench_flags(v->flags);
	}
}
