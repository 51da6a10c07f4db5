/*
 * suite_thread.c — thread start.
 *
 *   thread/start/newm      gm_newm until the new thread runs the first instruction of
 *                          its Go-side start function on its g0 (pthread_create,
 *                          threadentry, gm_thread_entry, mstart with sigaltstack and TLS
 *                          set-up), stamped with a system-wide counter
 *   thread/start/<v>       the same through a port's other thread entry (arm32: seed,
 *                          the 2012 crosscall_arm2)
 *   thread/start/pthread   the floor: pthread_create until a plain C thread runs
 * Each operation is timed alone (creation is not a loop body); join and clean-up are
 * outside the interval.  The new thread runs on the creator's CPU (the run is pinned and
 * threads inherit the mask): the interval holds the switch from the creator to it.  A per-thread counter (perf) cannot time across threads: then
 * the clock is used and the unit says ns.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static uint64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wait for the new thread's flag, yielding: the whole run is pinned to one CPU (threads
 * inherit the mask), so a spinning creator would keep the new thread off the CPU until
 * preempted.  Bounded: 0, or -1 after 5 s. */
static int wait_started(volatile int *flag)
{
	uint64_t t0 = clock_ns();
	for (unsigned i = 0; !__atomic_load_n(flag, __ATOMIC_ACQUIRE); i++) {
		sched_yield();
		if ((i & 255) == 255 && clock_ns() - t0 > 5000000000u)
			return -1;
	}
	return 0;
}

static uint64_t (*stamp_read)(void);
static double stamp_ticks_per_ns;

struct newm_stamp { volatile uint64_t t1; volatile int done, cpu; };
/* ctx: the thread entry the new m takes (NULL: gm_thread_entry) */

static void first_go_instruction(void *arg)
{
	struct newm_stamp *s = arg;
	s->t1 = stamp_read();
	s->cpu = sched_getcpu();
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

/* The run is pinned to one CPU when the affinity mask holds one: the new thread must
 * have inherited it (else its start would be measured across CPUs). */
static int pinned_cpu(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) != 1)
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return -1;
}

static int measure_newm(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen)
{
	void (*saved)(void (*)(void), struct gm_m *, struct gm_g *) = gm_thread_entry_fn;
	if (ctx)
		gm_thread_entry_fn = (void (*)(void (*)(void), struct gm_m *, struct gm_g *))ctx;
	double sum = 0;
	for (long i = 0; i < n; i++) {
		struct newm_stamp s = { 0, 0, -1 };
		struct gm_m *mp;
		uint64_t t0 = stamp_read();
		int e = gm_newm(first_go_instruction, &s, &mp);
		if (e) {
			snprintf(err, errlen, "gm_newm: %s", strerror(e));
			gm_thread_entry_fn = saved;
			return 1;
		}
		if (wait_started(&s.done) != 0) {
			snprintf(err, errlen, "the new m did not run within 5 s");
			gm_thread_entry_fn = saved;
			return 1;
		}
		int pin = pinned_cpu();
		if (pin >= 0 && s.cpu != pin) {
			snprintf(err, errlen, "the new m ran on CPU %d, not on the run's CPU %d", s.cpu, pin);
			gm_thread_entry_fn = saved;
			return 1;
		}
		sum += (double)(s.t1 - t0);
		gm_joinm(mp);
	}
	gm_thread_entry_fn = saved;
	*ticks = sum;
	*ns = sum / stamp_ticks_per_ns;
	return 0;
}

static int measure_pthread(void *ctx, long n, double *ticks, double *ns, char *err, unsigned errlen)
{
	(void)ctx;
	double sum = 0;
	for (long i = 0; i < n; i++) {
		struct cside_stamp s = { (unsigned long long (*)(void))stamp_read, 0, 0 };
		pthread_t t;
		uint64_t t0 = stamp_read();
		int e = pthread_create(&t, NULL, cside_thread_stamp, &s);
		if (e) {
			snprintf(err, errlen, "pthread_create: %s", strerror(e));
			return 1;
		}
		if (wait_started(&s.done) != 0) {
			snprintf(err, errlen, "the new thread did not run within 5 s");
			return 1;
		}
		sum += (double)(s.t1 - t0);
		pthread_join(t, NULL);
	}
	*ticks = sum;
	*ns = sum / stamp_ticks_per_ns;
	return 0;
}

void suite_thread(void)
{
	const struct gm_counter *c = gm_counter();
	const char *unit = c->unit_name;
	if (c->system_wide) {
		stamp_read = c->read;
		stamp_ticks_per_ns = c->ticks_per_ns;
	} else {
		stamp_read = clock_ns;
		stamp_ticks_per_ns = 1;
		unit = "ns";
	}
	bench_add_measure("thread", "start", "newm", measure_newm, NULL, unit, 10);
	bench_flags(0);
	/* the ports' other thread entries (arm32: seed, the 2012 crosscall_arm2) */
	const struct gm_variant *v;
	for (size_t i = 0; (v = gm_variant_next(&i, "thread", "entry")); ) {
		if (!bench_runs_here(v, "thread", "start", NULL))
			continue;
		bench_add_measure("thread", "start", v->name, measure_newm, v->fn, unit, 10);
		bench_flags(v->flags);
	}
	bench_add_measure("thread", "start", "pthread", measure_pthread, NULL, unit, 10);
	bench_flags(0);
}
