/*
 * test_cpeers.c — the C-side peers switch for real (make test-peers).
 *
 * For each switch peer: n switches must resume the second context exactly n/2 times
 * and the caller exactly n/2 times, a second run must continue where the first left
 * off, and a value the second context changes on its own stack must be seen.  The
 * indirect-call floor must make n calls; the load floor must run.  Behaviour only: no
 * timing is asserted.  Prints "ok - ..." / "not ok - ..." / "unavailable - ..." lines.
 */
#include <stdio.h>
#include <string.h>

#include "../../bench/side/peers.h"

static int failed;

static void check(int cond, const char *what, const char *name, const char *detail)
{
	printf("%s - peers: %s %s%s%s\n", cond ? "ok" : "not ok", name, what, detail[0] ? ": " : "", detail);
	failed |= !cond;
}

static void test_switch(const char *name, struct cpeer_switch *(*mk)(char *, size_t), int (*run)(void *),
			int must_exist)
{
	char why[256] = "", d[200];
	struct cpeer_switch *s = mk(why, sizeof why);
	if (!s) {
		if (must_exist) {
			check(0, "can be created", name, why);
		} else {
			printf("unavailable - peers: %s: %s\n", name, why);
		}
		return;
	}
	check(s->main_count == 0 && s->co_count == 0, "starts parked (no resumption counted)", name, "");
	struct cpeer_req r = { s, 100000 };
	run(&r);
	snprintf(d, sizeof d, "100000 switches: caller resumed %lu times, second context %lu times (want 50000 each)",
		 s->main_count, s->co_count);
	check(s->main_count == 50000 && s->co_count == 50000, "switches both ways", name, d);
	r.n = 2;
	run(&r);
	snprintf(d, sizeof d, "after 2 more: %lu and %lu (want 50001 each)", s->main_count, s->co_count);
	check(s->main_count == 50001 && s->co_count == 50001, "continues where it left off", name, d);
	/* the second context really runs on its own stack */
	char *lo = s->stack, *hi = lo + s->stack_size, *fr = s->co_frame;
	snprintf(d, sizeof d, "frame %p, stack [%p, %p), caller's frame %p", (void *)fr, (void *)lo, (void *)hi,
		 __builtin_frame_address(0));
	check(fr > lo && fr < hi, "runs on its own stack", name, d);
}

static unsigned long counted;
static int count_call(void *arg)
{
	(void)arg;
	counted++;
	return 0;
}

int main(void)
{
	test_switch("setjmp", cpeer_setjmp_new, cpeer_setjmp_run, 1);
	test_switch("swapcontext", cpeer_swapcontext_new, cpeer_swapcontext_run, 1);
#ifdef CPEER_EXPECT_BOOST
	test_switch("boost-fcontext", cpeer_fcontext_new, cpeer_fcontext_run, 1);
#else
	test_switch("boost-fcontext", cpeer_fcontext_new, cpeer_fcontext_run, 0);
#endif
	/* floors */
	cpeer_indirect_target = count_call;
	struct cpeer_req r = { NULL, 12345 };
	cpeer_plain_indirect_run(&r);
	cpeer_indirect_target = cpeer_empty;
	char d[100];
	snprintf(d, sizeof d, "%lu of 12345 calls made", counted);
	check(counted == 12345, "makes every call", "plain-indirect", d);
	r.n = 1000;
	check(cpeer_plain_load_run(&r) == 0, "runs", "plain-load", "");
	return failed;
}
