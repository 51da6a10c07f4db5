/*
 * suite_counter.c — the measurement's own floor, in every run: an empty batch (must
 * read 0 within the resolution: N vs 2N differencing removes the reads and the call)
 * and a dependent-add chain of 64 adds (64 cycles on a cycle counter; on a tick
 * counter 64 / cycles_per_tick ticks).
 */
#include "bench.h"

static void run_empty(void *ctx, long n)
{
	(void)ctx;
	__asm__ volatile("" : : "r"(n) : "memory");
}

static void run_add64(void *ctx, long n)
{
	(void)ctx;
	gm_addchain((uint64_t)n * 64);
}

void suite_counter(void)
{
	bench_add("counter", "empty", "batch", run_empty, NULL);
	bench_add("counter", "addchain", "64", run_add64, NULL);
}
