/*
 * suite_signal.c — signal delivery to the current thread (tgkill to self; the signal
 * is delivered before the syscall returns).
 *
 *   signal/deliver/sigtramp   gm_sigtramp: g/m reloaded from TLS, handler on gsignal's
 *                             stack (sigaltstack), g restored
 *   signal/deliver/seed       arm32: the 2012 seed's sigtramp (g/m through cgo_load_gm)
 *   signal/deliver/bare       a plain C handler: the floor.  Installed exactly as
 *                             gm_signal_install installs gm_sigtramp (SA_SIGINFO |
 *                             SA_ONSTACK | SA_RESTART, every signal blocked while it
 *                             runs), so sigtramp - bare is the trampoline's own work and
 *                             not the kernel's extra work for other flags or masks
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define SIGBENCH SIGUSR2

static void send_n(long n)
{
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
	for (long i = 0; i < n; i++) {
		GM_PROBE(PR_GO_CALL);
		syscall(SYS_tgkill, pid, tid, SIGBENCH);
		GM_PROBE(PR_GO_BACK);
	}
}

static void run_sigtramp(void *ctx, long n)
{
	(void)ctx;
	/* gm_signal_install chains to the handler it replaces (a C library's): from the
	 * default action there is nothing to chain to, so the floor's handler (or, in a
	 * paired compare, the other side's trampoline) is not timed in here too */
	signal(SIGBENCH, SIG_DFL);
	gm_signal_install(SIGBENCH);
	send_n(n);
}

static void run_bare(void *ctx, long n)
{
	(void)ctx;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))cside_bare_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;	/* as gm_signal_install */
	sigfillset(&sa.sa_mask);
	sigaction(SIGBENCH, &sa, NULL);
	send_n(n);
}

#ifdef GM_SEED2012
static void run_sigtramp_seed(void *ctx, long n)
{
	(void)ctx;
	gm_signal_install_seed(SIGBENCH);
	send_n(n);
}
#endif

void suite_signal(void)
{
	/* a parent that blocked SIGBENCH would leave every send pending and time nothing:
	 * the threads the suites create inherit this thread's mask */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGBENCH);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	bench_add("signal", "deliver", "sigtramp", run_sigtramp, NULL);
	bench_flags(0);
	bench_probe_span(PR_GO_CALL, PR_GO_BACK);
#ifdef GM_SEED2012
	const struct gm_variant *v = gm_variant_find("signal", "sigtramp", "seed");
	if (v && bench_runs_here(v, "signal", "deliver", NULL)) {
		bench_add("signal", "deliver", "seed", run_sigtramp_seed, NULL);
		bench_flags(v->flags);
		bench_probe_span(PR_GO_CALL, PR_GO_BACK);
	}
#endif
	bench_add("signal", "deliver", "bare", run_bare, NULL);
	bench_probe_span(PR_GO_CALL, PR_GO_BACK);
}
