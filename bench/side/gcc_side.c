/*
 * gcc_side.c — the C side of the benchmarks: ordinary C, compiled without reserved
 * registers, as the C code a Go program calls.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "gcc_side.h"
#include "../../core/probe.h"

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

/* callback/foreign/needm: one C thread, started on first use, serving requests. */
struct foreign_priv {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long n;
	int state;	/* 0 idle, 1 requested, 2 done */
	unsigned long long ticks;
};

static void *foreign_thread(void *arg)
{
	struct cside_foreign *f = arg;
	struct foreign_priv *p = f->priv;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->state != 1)
			pthread_cond_wait(&p->cv, &p->mu);
		long n = p->n;
		pthread_mutex_unlock(&p->mu);
		unsigned long long t0 = f->read();
		for (long i = 0; i < n; i++)
			f->xc2(f->fn, f->arg);
		unsigned long long t1 = f->read();
		pthread_mutex_lock(&p->mu);
		p->ticks = t1 - t0;
		p->state = 2;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

int cside_foreign_run(struct cside_foreign *f, long n, unsigned long long *ticks)
{
	struct foreign_priv *p = f->priv;
	if (!p) {
		p = calloc(1, sizeof *p);
		if (!p)
			return 12;	/* ENOMEM */
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->cv, NULL);
		f->priv = p;
		int e = pthread_create(&p->th, NULL, foreign_thread, f);
		if (e) {
			f->priv = NULL;
			free(p);
			return e;
		}
	}
	pthread_mutex_lock(&p->mu);
	p->n = n;
	p->state = 1;
	pthread_cond_broadcast(&p->cv);
	while (p->state != 2)
		pthread_cond_wait(&p->cv, &p->mu);
	*ticks = p->ticks;
	p->state = 0;
	pthread_mutex_unlock(&p->mu);
	return 0;
}
