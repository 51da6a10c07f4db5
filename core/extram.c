/*
 * extram.c — callbacks from threads the runtime did not create (Go's needm/dropm with
 * an extra m), Go side.
 *
 * A C thread that gmbench did not start has no g: its TLS slot is empty.  When such a
 * thread calls crosscall2, cgocallback finds g == NULL and calls gm_needm, which takes
 * an m from the list of extra m's (making one the first time the list is empty: Go
 * makes them ahead of time, from an m that runs Go code; here the C thread's own stack
 * can allocate), makes that thread's stack the extra m's g0 stack, gives it a signal
 * stack and sets TLS g/m.  The callback then runs on the extra m's curg, a goroutine
 * kept in Gdead between uses (Gsyscall while borrowed, as if it were in a cgo call).
 * gm_dropm undoes it all once the callback has returned and puts the m back on the
 * list.  Both run on the C thread's stack, called from cgocallback.
 *
 * As in Go 1.19, every callback from such a thread borrows and returns an m (Go 1.21
 * keeps it until the thread exits).  What is left out: Go's needm blocks signals
 * around the hand-over with two sigprocmask calls each way; here the order makes it
 * safe (the signal stack before TLS g on the way in, TLS g cleared before the signal
 * stack on the way out: a signal in between finds no g and is handled as on any C
 * thread).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>

#include "runtime.h"

#define EXTRAM_LOCKED ((struct gm_m *)1)

static struct gm_m *extram;   /* list of idle extra m's; EXTRAM_LOCKED while taken */
static int foreign_on;
static long nextram;

void gm_extram_init(void)
{
	__atomic_store_n(&foreign_on, 1, __ATOMIC_RELEASE);
}

int gm_set_foreign_callbacks(int on)
{
	return __atomic_exchange_n(&foreign_on, on, __ATOMIC_ACQ_REL);
}

long gm_extram_count(void)
{
	return __atomic_load_n(&nextram, __ATOMIC_RELAXED);
}

/* Go's lockextra: the list head itself is the lock. */
static struct gm_m *lockextra(void)
{
	for (;;) {
		struct gm_m *old = __atomic_load_n(&extram, __ATOMIC_RELAXED);
		if (old == EXTRAM_LOCKED) {
			sched_yield();
			continue;
		}
		if (__atomic_compare_exchange_n(&extram, &old, EXTRAM_LOCKED, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return old;
	}
}

static void unlockextra(struct gm_m *head)
{
	__atomic_store_n(&extram, head, __ATOMIC_RELEASE);
}

static struct gm_m *newextram(void)
{
	struct gm_m *mp = gm_allocm();
	mp->isextra = 1;
	struct gm_g *gp = gm_malg();
	gp->m = mp;
	gp->goid = gm_newgoid();
	gp->sched.sp = gp->stack_hi;	/* cgocallback puts the callback's frames below */
	gp->sched.pc = 0;
	gp->sched.bp = 0;		/* the frame chain ends here */
	gp->sched.g = gp;
	gp->status = GM_GDEAD;
	mp->curg = gp;
	gm_signal_extra_alloc(mp);
	__atomic_add_fetch(&nextram, 1, __ATOMIC_RELAXED);
	return mp;
}

void gm_needm(void)
{
	if (!__atomic_load_n(&foreign_on, __ATOMIC_ACQUIRE))
		gm_badcgocallback_nog();
	struct gm_m *mp = lockextra();
	if (mp) {
		unlockextra(mp->extralink);
	} else {
		unlockextra(NULL);
		mp = newextram();
	}
	mp->extralink = NULL;
	/* g0 runs on this thread's stack: bounds around here, as Go 1.19's needm sets them */
	struct gm_g *g0 = mp->g0;
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	g0->stack_hi = sp + 1024;
	g0->stack_lo = sp - 32 * 1024;
	g0->stackguard = g0->stack_lo + GM_STACKGUARD_GAP;
	mp->pthread = (unsigned long)pthread_self();
	/* the signal stack first, then TLS g (see the top of the file) */
	gm_signal_extra_enter(mp);
	gm_tls.m = mp;
	__atomic_store_n(&gm_tls.g, g0, __ATOMIC_RELEASE);
	gm_tls_thread_init();
	uintptr_t dead = GM_GDEAD;
	if (!__atomic_compare_exchange_n(&mp->curg->status, &dead, GM_GSYSCALL, 0, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED))
		gm_fatal("needm: extra m %lu's goroutine has status %lu, want Gdead", (unsigned long)mp->id,
			 (unsigned long)dead);
	GM_SETG(g0);
#ifdef GM_SETM
	GM_SETM(mp);
#endif
}

void gm_dropm(void)
{
	struct gm_g *g0 = getg();
	struct gm_m *mp = g0->m;
	if (!mp || !mp->isextra || g0 != mp->g0)
		gm_fatal("dropm: not on the g0 of an extra m");
	/* on g0's stack, which is this thread's own: once the m is back on the list another
	 * thread may run on its curg stack, and a signal after the signal stack is gone lands
	 * on whatever stack this is */
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	if (sp < g0->stack_lo || sp >= g0->stack_hi)
		gm_fatal("dropm: running at sp %p, off the thread's g0 stack [%p, %p) (on curg's stack?)",
			 (void *)sp, (void *)g0->stack_lo, (void *)g0->stack_hi);
	uintptr_t sys = GM_GSYSCALL;
	if (!__atomic_compare_exchange_n(&mp->curg->status, &sys, GM_GDEAD, 0, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED))
		gm_fatal("dropm: extra m %lu's goroutine has status %lu, want Gsyscall", (unsigned long)mp->id,
			 (unsigned long)sys);
	/* TLS g first, then the signal stack */
	__atomic_store_n(&gm_tls.g, NULL, __ATOMIC_RELEASE);
	gm_tls.m = NULL;
	gm_tls_thread_drop();
	gm_signal_extra_leave(mp);
	GM_SETG(NULL);
	struct gm_m *head = lockextra();
	mp->extralink = head;
	unlockextra(mp);
}
