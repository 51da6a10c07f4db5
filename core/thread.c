/*
 * thread.c — new OS threads as new m's (libcgo_sys_thread_start + threadentry).
 *
 * As in the seed: the creator reads the pthread stack size and parks it in
 * g0->stackguard; the new thread, on its own stack, turns it into the g0 stack bounds
 * (stack_hi = an address in threadentry's frame, stack_lo = stack_hi - size) and the
 * guard, then enters the Go side through gm_thread_entry (the crosscall_arm2 step).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "runtime.h"

static void mstart(void)
{
	struct gm_m *mp = getm();
	if (getg() != mp->g0 || gm_tls.g != mp->g0 || gm_tls.m != mp)
		gm_fatal("mstart: g/m registers or TLS not set by thread entry");
	gm_minit(mp);
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);	/* blocked by gm_newm until now */
	mp->mstartfn(mp->mstartarg);
	gm_munit(mp);
}

/* The Go-side entry a new thread takes: gm_thread_entry, or a port's variant of it
 * (arm32: gm_thread_entry_seed, the 2012 crosscall_arm2).  Set before gm_newm. */
void (*gm_thread_entry_fn)(void (*)(void), struct gm_m *, struct gm_g *) = gm_thread_entry;

/* C side in spirit: runs with whatever the thread library left in the g register. */
static void *threadentry(void *v)
{
	struct gm_m *mp = v;
	struct gm_g *g0 = mp->g0;
	uintptr_t here = (uintptr_t)&v;
	g0->stack_hi = here;
	g0->stack_lo = here - g0->stackguard;	/* stackguard held the pthread stack size */
	g0->stackguard = g0->stack_lo + GM_STACKGUARD_GAP;
	gm_thread_entry_fn(mstart, mp, g0);
	return NULL;
}

int gm_newm(void (*fn)(void *), void *arg, struct gm_m **mpp)
{
	struct gm_m *mp = gm_allocm();
	mp->mstartfn = fn;
	mp->mstartarg = arg;
	pthread_attr_t attr;
	size_t size;
	int err = pthread_attr_init(&attr);
	if (err)
		return err;
	pthread_attr_getstacksize(&attr, &size);
	mp->g0->stackguard = size;
	/* No signal may arrive before the thread has its TLS and sigaltstack. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t p;
	err = pthread_create(&p, &attr, threadentry, mp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		return err;
	mp->pthread = (unsigned long)p;
	*mpp = mp;
	return 0;
}

int gm_joinm(struct gm_m *mp)
{
	return pthread_join((pthread_t)mp->pthread, NULL);
}
