/*
 * test_counter.c — known-answer tests of the counters and of the overhead removal.
 *
 *  - every backend this machine offers initialises (or says why not) and reads monotonic;
 *    a forced unknown backend is refused with a message;
 *  - an empty batch reads 0 within the counter's resolution after N vs 2N differencing;
 *  - a dependent-add chain of L adds reads L core cycles within 2% on a cycle counter,
 *    and L / (calibrated cycles per tick) ticks within 2% on a tick counter (it must be
 *    consistent with the calibration).
 * Timing known-answer tests need real hardware: under an emulator they are reported
 * unavailable, never passed.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "gm.h"
#include "gm_counter.h"

static int npass, nfail, nunavail;
static const char *port;

#define OK(cond, name, ...) do { \
	int ok_ = (cond); \
	printf("%s - %s counter/%s: ", ok_ ? "ok" : "not ok", port, name); \
	printf(__VA_ARGS__); \
	printf("\n"); \
	if (ok_) npass++; else nfail++; \
} while (0)

static void unavailable(const char *name, const char *why)
{
	printf("unavailable - %s counter/%s: %s\n", port, name, why);
	nunavail++;
}

static void empty(void *ctx, long n)
{
	(void)ctx;
	__asm__ volatile("" : : "r"(n) : "memory");
}

static void chain(void *ctx, long n)
{
	gm_addchain((uint64_t)n * (uint64_t)(uintptr_t)ctx);
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Each backend in a child, so each starts from scratch. */
static void test_backends(void)
{
	for (const char *const *b = gm_counter_backends(); *b; b++) {
		int pfd[2];
		if (pipe(pfd))
			return;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			dup2(pfd[1], 2);
			if (gm_counter_init(*b) != 0)
				_exit(3);
			const struct gm_counter *c = gm_counter();
			uint64_t prev = c->read();
			for (int i = 0; i < 100000; i++) {
				uint64_t v = c->read();
				if (v < prev && strcmp(c->name, "pmccntr"))	/* 32-bit PMCCNTR wraps */
					_exit(4);
				prev = v;
			}
			if (!(c->ticks_per_ns > 0) || !c->unit_name)
				_exit(5);
			dprintf(pfd[1], "%s, unit %s, %.3f MHz, read overhead %.0f, resolution %.0f", c->desc,
				c->unit_name, c->ticks_per_ns * 1000, c->read_overhead, c->resolution);
			_exit(0);
		}
		close(pfd[1]);
		char msg[600] = { 0 };
		size_t got = 0;
		ssize_t r;
		while (got < sizeof msg - 1 && (r = read(pfd[0], msg + got, sizeof msg - 1 - got)) > 0)
			got += (size_t)r;
		close(pfd[0]);
		msg[strcspn(msg, "\n")] = 0;
		int st;
		waitpid(pid, &st, 0);
		char name[64];
		snprintf(name, sizeof name, "backend/%s", *b);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
			unavailable(name, msg[0] ? msg + (strncmp(msg, "gmbench: ", 9) ? 0 : 9) : "refused");
		else
			OK(WIFEXITED(st) && WEXITSTATUS(st) == 0, name, "%s",
			   WIFEXITED(st) && WEXITSTATUS(st) == 4 ? "went backwards" :
			   WIFEXITED(st) && WEXITSTATUS(st) == 5 ? "bad calibration" : msg);
	}
	/* an unknown forced backend must be refused, with a message */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", 1);
		dup2(fd, 2);
		_exit(gm_counter_init("no-such-counter") == 0 ? 0 : 1);
	}
	int st;
	waitpid(pid, &st, 0);
	OK(WIFEXITED(st) && WEXITSTATUS(st) == 1, "force/unknown", "GM_COUNTER=no-such-counter refused");
}

int main(void)
{
	port = gm_port_name();
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_backends();
	if (gm_counter_init(getenv("GM_COUNTER")) != 0)
		return 2;
	const struct gm_counter *c = gm_counter();
	char why[200];
	printf("# %s: %s, %.3f MHz, %.3f cycles/tick, read overhead %.0f %s, resolution %.0f %s\n",
	       c->name, c->desc, c->ticks_per_ns * 1000, c->cycles_per_tick, c->read_overhead,
	       c->unit_name, c->resolution, c->unit_name);
	if (gm_emulated(why, sizeof why)) {
		unavailable("kat/empty-batch", why);
		unavailable("kat/addchain", why);
	} else {
		enum { T = 41 };
		double d[T];
		for (int i = 0; i < T; i++)
			d[i] = gm_measure_batch(empty, NULL, 1000, NULL);
		qsort(d, T, sizeof d[0], cmpd);
		double med = d[T / 2];
		double tol = c->resolution > c->read_overhead ? c->resolution : c->read_overhead;
		OK(fabs(med) <= tol, "kat/empty-batch",
		   "empty batch after N vs 2N differencing: median %.1f %s over %d trials (tolerance: one "
		   "read, %.0f %s)", med, c->unit_name, T, tol, c->unit_name);

		/* Each trial calibrates (a 2^16-add chain timed by raw reads) right before the
		 * batch measurement, so a clock change between trials cannot fake a mismatch. */
		const long L = 512, n = 128;
		double ratio[T], per[T];
		for (int i = 0; i < T; i++) {
			uint64_t a = c->read();
			gm_addchain(1u << 16);
			uint64_t b = c->read();
			gm_addchain(1u << 17);
			uint64_t e = c->read();
			double cpt = (double)(1u << 16) / ((double)(e - b) - (double)(b - a));
			per[i] = gm_measure_batch(chain, (void *)(uintptr_t)L, n, NULL) / (double)n;
			ratio[i] = per[i] * (c->unit == GM_UNIT_CYCLES ? 1.0 : cpt) / (double)L;
		}
		qsort(ratio, T, sizeof ratio[0], cmpd);
		qsort(per, T, sizeof per[0], cmpd);
		double err = fabs(ratio[T / 2] - 1);
		OK(err <= 0.02, "kat/addchain",
		   "%ld dependent adds per op read %.2f %s (median of %d) = %.1f cycles %s: %.2f%% from %ld"
		   "; with the start-up calibration (%.3f cycles/tick): %.1f cycles",
		   L, per[T / 2], c->unit_name, T, ratio[T / 2] * (double)L,
		   c->unit == GM_UNIT_CYCLES ? "(cycle counter)" : "(cycles per tick calibrated alongside)",
		   err * 100, L, c->cycles_per_tick, per[T / 2] * c->cycles_per_tick);
	}
	printf("%s counter: %d passed, %d failed, %d unavailable\n", port, npass, nfail, nunavail);
	return nfail ? 1 : 0;
}
