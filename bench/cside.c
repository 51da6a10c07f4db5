/*
 * cside.c — the C side of the benchmarks: ordinary C, compiled without reserved
 * registers, as the C code a Go program calls.
 */
#include <stddef.h>

#include "cside.h"
#include "../core/probe.h"

int __attribute__((noinline)) cside_empty(void *arg)
{
	GM_PROBE(PR_IN_C);
	__asm__ volatile("" : : "r"(arg) : "memory");
	return 0;
}

int cside_callback_loop(void *req)
{
	struct cside_cb *r = req;
	for (long i = 0; i < r->n; i++) {
		GM_PROBE(PR_C_CALL);
		r->xc2(r->fn, r->arg);
		GM_PROBE(PR_C_BACK);
	}
	return 0;
}

int cside_callback_once(void *req)
{
	struct cside_cb *r = req;
	GM_PROBE(PR_IN_C);
	r->xc2(r->fn, r->arg);
	return 0;
}

volatile long cside_bare_count;

void cside_bare_handler(int sig, void *info, void *uctx)
{
	(void)sig; (void)info; (void)uctx;
	cside_bare_count++;
}

void *cside_thread_stamp(void *arg)
{
	struct cside_stamp *s = arg;
	s->t1 = s->read();
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}
