/*
 * gm_counter.h — one counter API over what user space may read without a kernel module.
 *
 * Backends (probed at start-up in this order unless GM_COUNTER=<name> forces one):
 *   perf      core cycles from the PMU through perf_event_open (read(2) per sample)   unit: cycles
 *   pmccntr   ARMv7 PMCCNTR, only if the kernel already enabled user access          unit: cycles
 *   tsc       x86-64 rdtsc (constant-rate Time Stamp Counter)                        unit: ticks
 *   cntvct    ARM generic timer virtual count (arm64 cntvct_el0, arm32 CNTVCT)       unit: ticks
 *   clock     clock_gettime(CLOCK_MONOTONIC_RAW)                                     unit: ns
 * The unit says what a number is: core cycles, timer ticks or nanoseconds; they are
 * never mixed.  Calibration relates ticks to ns and, where the counter does not count
 * core cycles, estimates cycles per tick from a dependent-add chain (one add per cycle).
 */
#ifndef GM_COUNTER_H
#define GM_COUNTER_H

#include <stdint.h>

enum gm_unit { GM_UNIT_CYCLES, GM_UNIT_TICKS, GM_UNIT_NS };

struct gm_counter {
	const char *name;          /* backend name: perf, pmccntr, tsc, cntvct, clock */
	enum gm_unit unit;
	const char *unit_name;     /* "cycles", "ticks", "ns" */
	uint64_t (*read)(void);
	int system_wide;           /* comparable across threads (tsc, cntvct, clock) */
	char desc[160];            /* what it is, e.g. "rdtsc, constant_tsc, 2600.0 MHz" */
	/* calibration */
	double ticks_per_ns;       /* counter frequency in GHz (measured against CLOCK_MONOTONIC_RAW) */
	double cycles_per_tick;    /* estimated core cycles per tick (1 for cycle counters) */
	double read_overhead;      /* min ticks between two back-to-back reads */
	double read_overhead_med;  /* median of the same */
	double resolution;         /* smallest non-zero step seen, in ticks */
	char why_not[512];         /* backends tried before this one and why they were rejected */
	/* retired instructions (perf), or NULL where no PMU is visible */
	uint64_t (*read_instructions)(void);
	char instructions_desc[120];
};

/* Pick and calibrate a backend; force = NULL or a backend name (GM_COUNTER).
 * Returns 0, or -1 with a message on stderr when the forced backend cannot work. */
int gm_counter_init(const char *force);
const struct gm_counter *gm_counter(void);
/* Each available backend's name, for listing. */
const char *const *gm_counter_backends(void);

/* A dependent chain of n adds (n a multiple of 8): n core cycles on any core that
 * retires one dependent ALU op per cycle.  Returns a value so it cannot be elided. */
uint64_t gm_addchain(uint64_t n);

/* Measure fn(ctx, n) by N vs 2N differencing: the constant costs (counter reads, the
 * call, loop set-up) cancel, leaving the per-op cost.  Returns ticks for n ops
 * (t(2n) - t(n)); *ns receives the same interval in ns from the clock. */
typedef void (*gm_batch_fn)(void *ctx, long n);
double gm_measure_batch(gm_batch_fn fn, void *ctx, long n, double *ns);
/* The same, also differencing retired instructions where perf counts them
 * (*instr = NAN otherwise). */
double gm_measure_batch_ex(gm_batch_fn fn, void *ctx, long n, double *ns, double *instr);

/* Under an emulator timings are not hardware timings. */
int gm_emulated(char *why, size_t whylen);

#endif
