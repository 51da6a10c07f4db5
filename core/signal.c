/*
 * signal.c — signal set-up and the Go-side handler (runtime·sighandler's job).
 *
 * Every m has a gsignal g whose stack is the thread's sigaltstack; handlers are
 * installed with SA_ONSTACK, so gm_sigtramp always runs there, with g = m->gsignal.
 * A SIGSEGV/SIGBUS whose address lies in a goroutine's guard page is reported as that
 * goroutine's stack overflow.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "probe.h"
#include "runtime.h"

#define GSIGNAL_STACK (64 * 1024)

static gm_sighook_fn sighook;

void gm_signal_sethook(gm_sighook_fn fn)
{
	__atomic_store_n(&sighook, fn, __ATOMIC_RELEASE);
}

void gm_signal_minit(struct gm_m *mp)
{
	struct gm_g *gs = mp->gsignal;
	if (!gs->mapping) {
		void *p = mmap(NULL, GSIGNAL_STACK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (p == MAP_FAILED)
			gm_fatal("mmap of the gsignal stack: %s", strerror(errno));
		gs->mapping = p;
		gs->mapping_size = GSIGNAL_STACK;
		gs->stack_lo = (uintptr_t)p;
		gs->stack_hi = (uintptr_t)p + GSIGNAL_STACK;
		gs->stackguard = gs->stack_lo + GM_STACKGUARD_GAP;
	}
	stack_t ss = { .ss_sp = gs->mapping, .ss_size = GSIGNAL_STACK, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0)
		gm_fatal("sigaltstack: %s", strerror(errno));
}

/* The thread is about to exit: no signal can reach it on this stack any more. */
void gm_signal_munit(struct gm_m *mp)
{
	stack_t ss = { .ss_flags = SS_DISABLE };
	sigaltstack(&ss, NULL);
	struct gm_g *gs = mp->gsignal;
	if (gs->mapping) {
		munmap(gs->mapping, gs->mapping_size);
		gs->mapping = NULL;
	}
}

void gm_signal_extra_alloc(struct gm_m *mp)
{
	struct gm_g *gs = mp->gsignal;
	void *p = mmap(NULL, GSIGNAL_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		       -1, 0);
	if (p == MAP_FAILED)
		gm_fatal("mmap of an extra m's gsignal stack: %s", strerror(errno));
	gs->mapping = p;
	gs->mapping_size = GSIGNAL_STACK;
}

/* Go 1.19's minitSignalStack for an extra m: keep the C thread's own signal stack if it
 * has one (gsignal's bounds become that stack's), else install gsignal's. */
void gm_signal_extra_enter(struct gm_m *mp)
{
	struct gm_g *gs = mp->gsignal;
	stack_t *old = (stack_t *)mp->sigaltstack_saved;
	_Static_assert(sizeof mp->sigaltstack_saved >= sizeof(stack_t), "sigaltstack_saved");
	if (sigaltstack(NULL, old) != 0)
		gm_fatal("sigaltstack: %s", strerror(errno));
	if (!(old->ss_flags & SS_DISABLE)) {
		gs->stack_lo = (uintptr_t)old->ss_sp;
		gs->stack_hi = (uintptr_t)old->ss_sp + old->ss_size;
	} else {
		stack_t ss = { .ss_sp = gs->mapping, .ss_size = GSIGNAL_STACK, .ss_flags = 0 };
		if (sigaltstack(&ss, NULL) != 0)
			gm_fatal("sigaltstack: %s", strerror(errno));
		gs->stack_lo = (uintptr_t)gs->mapping;
		gs->stack_hi = (uintptr_t)gs->mapping + GSIGNAL_STACK;
	}
	gs->stackguard = gs->stack_lo + GM_STACKGUARD_GAP;
}

void gm_signal_extra_leave(struct gm_m *mp)
{
	stack_t *old = (stack_t *)mp->sigaltstack_saved;
	if (old->ss_flags & SS_DISABLE) {
		stack_t ss = { .ss_flags = SS_DISABLE };
		sigaltstack(&ss, NULL);
	}
}

/* The handler each signal had before gm_signal_install replaced it: gm_sighandler
 * chains to it (Go's sigfwd), so a C library's handler keeps working. */
static struct sigaction prev_action[NSIG];
static int prev_set[NSIG];

/* The trampolines installed through here (gm_sigtramp, a port's others such as arm32's
 * seed): never recorded as the handler to chain to, or one would chain to the other,
 * or to itself. */
static void (*own_tramp[4])(int, void *, void *);

static int own(const struct sigaction *a)
{
	for (size_t i = 0; i < sizeof own_tramp / sizeof own_tramp[0]; i++)
		if ((a->sa_flags & SA_SIGINFO) && own_tramp[i] &&
		    a->sa_sigaction == (void (*)(int, siginfo_t *, void *))own_tramp[i])
			return 1;
	return 0;
}

int gm_signal_install_tramp(int sig, void (*tramp)(int, void *, void *))
{
	if (sig <= 0 || sig >= NSIG || !tramp) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < sizeof own_tramp / sizeof own_tramp[0]; i++)
		if (!own_tramp[i] || own_tramp[i] == tramp) {
			own_tramp[i] = tramp;
			break;
		}
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))tramp;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(sig, NULL, &old) != 0)
		return -1;
	/* replacing a trampoline of ours keeps the C side's handler it had replaced */
	if (!own(&old)) {
		prev_action[sig] = old;
		__atomic_store_n(&prev_set[sig], 1, __ATOMIC_RELEASE);
	}
	return sigaction(sig, &sa, NULL);
}

int gm_signal_install(int sig)
{
	return gm_signal_install_tramp(sig, gm_sigtramp);
}

/* Call the handler sig had before gm_signal_install; 0 if it had none (default/ignore). */
static int chain(int sig, void *info, void *uctx)
{
	if (!__atomic_load_n(&prev_set[sig], __ATOMIC_ACQUIRE))
		return 0;
	const struct sigaction *pa = &prev_action[sig];
	if (pa->sa_flags & SA_SIGINFO) {
		if (!pa->sa_sigaction)
			return 0;
		pa->sa_sigaction(sig, info, uctx);
		return 1;
	}
	if (pa->sa_handler == SIG_DFL || pa->sa_handler == SIG_IGN)
		return 0;
	pa->sa_handler(sig);
	return 1;
}

static int in_guard(const struct gm_g *gp, uintptr_t addr)
{
	return gp && gp->magic == GM_G_MAGIC && gp->mapping &&
	       addr >= (uintptr_t)gp->mapping && addr < gp->stack_lo;
}

static void fault(int sig, siginfo_t *si, void *uctx, struct gm_g *gp)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	struct gm_g *cand[2] = { gp, gp && gp->magic == GM_G_MAGIC ? gp->m->curg : NULL };
	for (int i = 0; i < 2; i++) {
		if (in_guard(cand[i], addr))
			gm_fatal("goroutine %lu stack overflow: guard page hit at %p "
				 "(stack [%p, %p), %lu bytes)",
				 (unsigned long)cand[i]->goid, (void *)addr,
				 (void *)cand[i]->stack_lo, (void *)cand[i]->stack_hi,
				 (unsigned long)(cand[i]->stack_hi - cand[i]->stack_lo));
	}
	/* not a guard page: the C side's handler, if it had one, decides */
	if (chain(sig, si, uctx))
		return;
	gm_fatal("signal %d (%s) at address %p in goroutine %lu", sig, strsignal(sig),
		 (void *)addr, gp ? (unsigned long)gp->goid : 0UL);
}

void gm_sighandler(int sig, void *info, void *uctx, struct gm_g *interrupted)
{
	if (sig == SIGSEGV || sig == SIGBUS) {
		fault(sig, info, uctx, interrupted);
		return;
	}
	GM_PROBE(PR_IN_HANDLER);
	gm_sighook_fn hook = __atomic_load_n(&sighook, __ATOMIC_ACQUIRE);
	if (hook)
		hook(sig, info, uctx, interrupted,
		     interrupted && interrupted->magic == GM_G_MAGIC ? interrupted->m : NULL);
	chain(sig, info, uctx);
}
