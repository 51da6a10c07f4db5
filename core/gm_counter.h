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
	uint64_t (*read)(void);    /* raw value: differences go through gm_counter_delta() */
	unsigned width;            /* bits of the raw value: 64, or 32 for ARMv7 PMCCNTR */
	uint64_t scale;            /* units per raw count: 64 for PMCCNTR with PMCR.D set, else 1 */
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

/* b - a in the counter's unit, modulo the raw width (a 32-bit PMCCNTR wraps every few
 * seconds; any difference shorter than one wrap is right). */
static inline uint64_t gm_counter_delta(const struct gm_counter *c, uint64_t a, uint64_t b)
{
	uint64_t d = b - a;
	if (c->width < 64)
		d &= ((uint64_t)1 << c->width) - 1;
	return d * c->scale;
}

/* CLOCK_MONOTONIC_RAW in ns. */
uint64_t gm_clock_ns(void);

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
 * call, loop set-up) cancel, leaving the cost of n operations, t(2n) - t(n).
 * The counter, CLOCK_MONOTONIC_RAW and (where perf counts them) retired instructions
 * are all read at the same three points, so ns come from the clock across the very
 * same batches, never from a frequency measured once at start-up. */
typedef void (*gm_batch_fn)(void *ctx, long n);
struct gm_sample {
	double ticks;         /* counter units for n ops */
	double ns;            /* CLOCK_MONOTONIC_RAW ns for the same n ops */
	double instructions;  /* retired instructions for n ops, NAN where not counted */
};
/* GM_METHOD_SINGLE exists only for the tests of the known-answer tests: it reports the
 * first batch, t(n), as a naive harness would, so the constant costs (the reads, the
 * call) stay in: a broken method the known-answer tests must catch. */
enum gm_method { GM_METHOD_DIFF, GM_METHOD_SINGLE };
void gm_measure(gm_batch_fn fn, void *ctx, long n, struct gm_sample *s);
void gm_measure_method(gm_batch_fn fn, void *ctx, long n, enum gm_method m, struct gm_sample *s);
/* Shorthand: ticks for n ops; *ns (may be NULL) as in gm_measure. */
double gm_measure_batch(gm_batch_fn fn, void *ctx, long n, double *ns);

/*
 * The canary: three small fixed bodies measured in every repetition beside the cases,
 * so that a change of the machine's hidden state between repetitions, runs or the two
 * sides of a comparison shows up as a canary change.  Each is in counter units per op:
 *   add    64 dependent adds: the core clock (64 cycles wherever one add retires per
 *          cycle), hence the repetition's cycles per tick on a tick counter
 *   call   8 dependent calls of a leaf function: call/return and branch prediction
 *   ssb    a store whose address resolves late, then an independent load feeding the
 *          loop-carried value: a few cycles while loads may bypass older stores, ~10+
 *          when speculative store bypass is disabled (SSBD, by prctl, the kernel or a
 *          sibling hardware thread): a state that changes Go->C call costs by itself
 */
struct gm_canary {
	double add, call, ssb;     /* counter units per op */
	double cycles_per_tick;    /* 64 / add on tick counters, 1 on cycle counters */
	double ticks_per_ns;       /* the counter's rate over the canary's own batches */
};
void gm_canary_measure(struct gm_canary *out);
/* A dependent chain of iters x 8 adds in a loop whose instruction count is exact:
 * GM_PORT_LOOP_INSNS instructions per iteration (<port>/counter.h). */
uint64_t gm_addloop(uint64_t iters);
/* The same number of adds, independent of each other (four chains): a method that took
 * cycles per tick from it would be wrong by the core's ILP (tests of the tests). */
uint64_t gm_addchain_indep(uint64_t n);

/* Under an emulator timings are not hardware timings: QEMU user mode (GM_EMULATOR set by
 * make, or detected from the process: /proc/cpuinfo describes another architecture). */
int gm_emulated(char *why, size_t whylen);

#endif
