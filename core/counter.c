/*
 * counter.c — counter backends, probing and calibration (see gm_counter.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gm.h"
#include "gm_counter.h"
#include "counter.h"   /* the port's inline reads: <port>/counter.h */

static struct gm_counter C;

/* ---------------------------------------------------------------- backends */

static uint64_t read_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t gm_clock_ns(void)
{
	return read_clock();
}

/*
 * A perf event read either with read(2) or, where the kernel allows it, from user space:
 * the event's mmap page says which hardware counter holds it (index) and whether user
 * space may read it (cap_user_rdpmc); the value is offset + the counter, read under the
 * page's seqlock (include/uapi/linux/perf_event.h documents the protocol).
 */
struct perf_ev {
	int fd;
	struct perf_event_mmap_page *pg;   /* NULL: read(2) */
};
static struct perf_ev ev_cycles = { -1, NULL }, ev_instr = { -1, NULL };

static uint64_t perf_read_syscall(const struct perf_ev *e)
{
	uint64_t v = 0;
	if (read(e->fd, &v, sizeof v) != (ssize_t)sizeof v)
		return 0;
	return v;
}

#ifdef GM_PORT_HAS_RDPMC
static uint64_t perf_read_user(const struct perf_ev *e)
{
	volatile struct perf_event_mmap_page *pc = e->pg;
	uint32_t seq, idx, width;
	uint64_t count;
	do {
		seq = pc->lock;
		__asm__ volatile("" : : : "memory");
		idx = pc->index;
		count = (uint64_t)pc->offset;
		width = pc->pmc_width;
		if (!pc->cap_user_rdpmc || !idx)
			return perf_read_syscall(e);	/* not on a counter right now */
		uint64_t pmc = gm_port_rdpmc(idx - 1);
		if (width && width < 64)	/* sign-extend the counter's width */
			pmc = (uint64_t)((int64_t)(pmc << (64 - width)) >> (64 - width));
		count += pmc;
		__asm__ volatile("" : : : "memory");
	} while (pc->lock != seq);
	return count;
}
#endif

/* From user space where the event's page allows it, else by read(2). */
static inline __attribute__((always_inline)) uint64_t perf_read(const struct perf_ev *e)
{
#ifdef GM_PORT_HAS_RDPMC
	if (e->pg)
		return perf_read_user(e);
#endif
	return perf_read_syscall(e);
}

static uint64_t read_perf_instr(void) { return perf_read(&ev_instr); }
static uint64_t read_perf(void) { return perf_read(&ev_cycles); }

#ifdef GM_PORT_HAS_RDPMC
/* arm64 kernels (5.17+): 1 when user-space PMU reads are allowed, -1 when absent */
static int perf_user_access(void)
{
	int ua = -1;
	FILE *f = fopen("/proc/sys/kernel/perf_user_access", "r");
	if (f) {
		if (fscanf(f, "%d", &ua) != 1)
			ua = -1;
		fclose(f);
	}
	return ua;
}
static const struct perf_ev *probe_ev;
static void probe_user_read(void) { (void)perf_read_user(probe_ev); }
#endif

/* Open a hardware event for this thread; try user-space reads.  Returns the fd or -1. */
static int perf_open(struct perf_ev *e, uint64_t config, int exclude_kernel, const char **how)
{
	struct perf_event_attr pa;
	memset(&pa, 0, sizeof pa);
	pa.size = sizeof pa;
	pa.type = PERF_TYPE_HARDWARE;
	pa.config = config;
	pa.exclude_hv = 1;
	pa.exclude_kernel = (unsigned)exclude_kernel;
#if defined(__aarch64__) || defined(__arm__)
	/* ask for user access: arm64 kernels (5.17+) honour it with perf_user_access=1, for
	 * 64-bit and 32-bit programs alike; a 32-bit ARM kernel ignores it */
	pa.config1 = 1u << 1;
#endif
	int fd = (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
#if defined(__aarch64__) || defined(__arm__)
	if (fd < 0 && errno != EACCES && errno != EPERM) {	/* older kernels reject the bit */
		pa.config1 = 0;
		fd = (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, 0);
	}
#endif
	e->fd = fd;
	e->pg = NULL;
	*how = "read(2) per sample";
	if (fd < 0)
		return -1;
#ifdef GM_PORT_HAS_RDPMC
	static char how_buf[2][160];
	char *hb = how_buf[config == PERF_COUNT_HW_INSTRUCTIONS];
	long pgsz = sysconf(_SC_PAGESIZE);
	void *pg = mmap(NULL, (size_t)pgsz, PROT_READ, MAP_SHARED, fd, 0);
	if (pg == MAP_FAILED) {
		snprintf(hb, sizeof how_buf[0], "read(2) per sample (mmap failed: %s)", strerror(errno));
		*how = hb;
	} else {
		struct perf_event_mmap_page *p = pg;
		e->pg = p;
		probe_ev = e;
		if (p->cap_user_rdpmc && p->index && gm_try_insn(probe_user_read)) {
			*how = "user-space counter reads through the perf mmap page";
		} else {
			/* say why not: on ARM the usual reason is the sysctl */
			int ua = perf_user_access();
			snprintf(hb, sizeof how_buf[0], "read(2) per sample (%s)",
				 !p->cap_user_rdpmc || !p->index ?
				 (ua == 0 ? "user reads off: perf_user_access is 0" : "the kernel offers no user reads") :
				 "the user read raised SIGILL");
			*how = hb;
			e->pg = NULL;
			munmap(pg, (size_t)pgsz);
		}
	}
#endif
	return fd;
}

static int try_perf(char *why, size_t len)
{
	/* count kernel cycles too where allowed (signals and thread start spend time there) */
	const char *how;
	int excl = 0;
	int fd = perf_open(&ev_cycles, PERF_COUNT_HW_CPU_CYCLES, 0, &how);
	const char *scope = "user+kernel";
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		excl = 1;
		scope = "user only (perf_event_paranoid forbids kernel)";
		fd = perf_open(&ev_cycles, PERF_COUNT_HW_CPU_CYCLES, 1, &how);
	}
	if (fd < 0) {
		int e = errno;
		snprintf(why, len, "perf: cycles event unavailable: %s%s", strerror(e),
			 e == ENOENT || e == EOPNOTSUPP ? " (no hardware PMU visible: VM or emulator)" :
			 e == EACCES || e == EPERM ? " (raise /proc/sys/kernel/perf_event_paranoid)" : "");
		return 0;
	}
	C.name = "perf";
	C.unit = GM_UNIT_CYCLES;
	C.read = read_perf;
	C.system_wide = 0;
	snprintf(C.desc, sizeof C.desc, "perf_event_open PERF_COUNT_HW_CPU_CYCLES, %s, %s", scope, how);
	/* retired instructions beside the cycles, same scope and read method */
	const char *ihow;
	if (perf_open(&ev_instr, PERF_COUNT_HW_INSTRUCTIONS, excl, &ihow) >= 0) {
		C.read_instructions = read_perf_instr;
		snprintf(C.instructions_desc, sizeof C.instructions_desc,
			 "perf PERF_COUNT_HW_INSTRUCTIONS, %s, %s", scope, ihow);
	}
	return 1;
}

#ifdef GM_PORT_HAS_TSC
static uint64_t read_tsc(void) { return gm_port_tsc(); }
static int try_tsc(char *why, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	int constant = 0, nonstop = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "flags", 5)) {
			constant = strstr(line, " constant_tsc") != NULL;
			nonstop = strstr(line, " nonstop_tsc") != NULL;
			break;
		}
	}
	if (f)
		fclose(f);
	if (!constant) {
		snprintf(why, len, "tsc: no constant_tsc flag: its rate follows the core clock");
		return 0;
	}
	C.name = "tsc";
	C.unit = GM_UNIT_TICKS;
	C.read = read_tsc;
	C.system_wide = 1;
	snprintf(C.desc, sizeof C.desc, "lfence; rdtsc (constant_tsc%s): TSC ticks, not core cycles",
		 nonstop ? ", nonstop_tsc" : "");
	return 1;
}
#endif

#ifdef GM_PORT_HAS_PMCCNTR
static int pmccntr_div64;
/* raw 32-bit value: gm_counter_delta() takes differences modulo 2^32, then x64 */
static uint64_t read_pmccntr(void) { return gm_port_pmccntr(); }
static uint32_t probe_u32;
static void probe_pmuserenr(void) { probe_u32 = gm_port_pmuserenr(); }
static void probe_pmcr(void) { probe_u32 = gm_port_pmcr(); }
static void probe_pmccntr(void) { probe_u32 = (uint32_t)gm_port_pmccntr(); }
/* Keeps user access on: an arm64 kernel sets PMUSERENR.{ER,CR} while this task has a
 * perf event opened for user-space reads (config1 bit 1, perf_user_access = 1). */
static struct perf_ev ev_pmu_enable = { -1, NULL };
/* Does PMCCNTR move over a short loop?  (probe_u32 = its last value) */
static int pmccntr_counts(void)
{
	if (!gm_try_insn(probe_pmccntr))
		return 0;
	uint32_t c0 = probe_u32;
	for (volatile int i = 0; i < 10000; i++)
		;
	return gm_try_insn(probe_pmccntr) && probe_u32 != c0;
}
static int try_pmccntr(char *why, size_t len)
{
	const char *via = "user access enabled by the kernel";
	if (!gm_try_insn(probe_pmuserenr)) {
		snprintf(why, len, "pmccntr: PMUSERENR read raised SIGILL");
		return 0;
	}
	/* PMUSERENR: EN (bit 0) opens the whole PMU to user space; ARMv8's CR (bit 2) only
	 * the cycle counter's reads.  An arm64 kernel sets ER|CR while a task has a perf
	 * event opened for user reads and may leave them set for the next task, whose
	 * cycle counter then reads but stands still: so it must also count. */
	uint32_t ur = probe_u32;
	if (!(ur & 5) || !pmccntr_counts()) {
		const char *how;
		int fd = perf_open(&ev_pmu_enable, PERF_COUNT_HW_CPU_CYCLES, 0, &how);
		if (fd < 0 && (errno == EACCES || errno == EPERM))
			fd = perf_open(&ev_pmu_enable, PERF_COUNT_HW_CPU_CYCLES, 1, &how);
		int e = errno, had = ur & 5;
		if (fd >= 0 && gm_try_insn(probe_pmuserenr) && ((ur = probe_u32) & 5) && pmccntr_counts()) {
			/* an arm64 kernel grants the access for this event whatever it found */
			via = had && perf_user_access() < 0 ? "kernel access; counts while a perf event is open"
							     : "user access from a perf event (config1 bit 1)";
		} else {
			int ua = perf_user_access();
			if (fd >= 0)
				close(fd);
			ev_pmu_enable.fd = -1;
			if (ur & 5)
				snprintf(why, len, "pmccntr: PMUSERENR = 0x%x: readable but not counting (the cycle counter "
					 "is not enabled for this task)", ur);
			else
				snprintf(why, len, "pmccntr: PMUSERENR = 0x%x: no user access (32-bit ARM kernels never give "
					 "it; an arm64 kernel does for a perf event opened with config1 bit 1: %s)", ur,
					 fd < 0 ? strerror(e) : ua < 0 ? "no /proc/sys/kernel/perf_user_access here" :
					 ua == 0 ? "/proc/sys/kernel/perf_user_access is 0" : "it did not here");
			return 0;
		}
	}
	/* PMCR (its D bit: count every 64th cycle) is readable only with EN; Linux on
	 * arm64 never sets D. */
	pmccntr_div64 = (ur & 1) && gm_try_insn(probe_pmcr) ? (probe_u32 >> 3) & 1 : 0;
	C.name = "pmccntr";
	C.unit = GM_UNIT_CYCLES;
	C.read = read_pmccntr;
	C.width = 32;
	C.scale = pmccntr_div64 ? 64 : 1;
	C.system_wide = 0;
	snprintf(C.desc, sizeof C.desc, "PMCCNTR in user space (32-bit: deltas mod 2^32): %s%s%s", via,
		 pmccntr_div64 ? "; PMCR.D=1: x64" : "",
		 ev_pmu_enable.fd >= 0 ? "; raw: reset at context switches" : "");
	return 1;
}
#endif

#ifdef GM_PORT_HAS_CNTVCT
static uint64_t probe_u64;
static void probe_cntvct(void) { probe_u64 = gm_port_cntvct(); }
static void probe_cntfrq(void) { probe_u64 = gm_port_cntfrq(); }
static uint64_t read_cntvct(void) { return gm_port_cntvct(); }
static int try_cntvct(char *why, size_t len)
{
	if (!gm_try_insn(probe_cntvct)) {
		snprintf(why, len, "cntvct: reading the generic timer raised SIGILL (no generic timer, e.g. Cortex-A8/A9, or not emulated)");
		return 0;
	}
	uint64_t frq = 0;
	if (gm_try_insn(probe_cntfrq))
		frq = probe_u64;
	C.name = "cntvct";
	C.unit = GM_UNIT_TICKS;
	C.read = read_cntvct;
	C.system_wide = 1;
#if defined(__arm__)
	const char *insn = "isb; mrrc CNTVCT";	/* the 64-bit read of the ARMv7 generic timer */
#else
	const char *insn = "isb; mrs cntvct";
#endif
	if (frq)
		snprintf(C.desc, sizeof C.desc, "%s: generic timer ticks, CNTFRQ says %.3f MHz", insn, (double)frq / 1e6);
	else
		snprintf(C.desc, sizeof C.desc, "isb; cntvct: generic timer ticks (CNTFRQ unreadable)");
	return 1;
}
#endif

static int try_clock(char *why, size_t len)
{
	(void)why; (void)len;
	C.name = "clock";
	C.unit = GM_UNIT_NS;
	C.read = read_clock;
	C.system_wide = 1;
	snprintf(C.desc, sizeof C.desc, "clock_gettime(CLOCK_MONOTONIC_RAW): nanoseconds");
	return 1;
}

struct backend { const char *name; int (*try)(char *, size_t); };
static const struct backend backends[] = {
	{ "perf", try_perf },
#ifdef GM_PORT_HAS_PMCCNTR
	{ "pmccntr", try_pmccntr },
#endif
#ifdef GM_PORT_HAS_TSC
	{ "tsc", try_tsc },
#endif
#ifdef GM_PORT_HAS_CNTVCT
	{ "cntvct", try_cntvct },
#endif
	{ "clock", try_clock },
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

const char *const *gm_counter_backends(void)
{
	static const char *names[NBACKENDS + 1];
	for (size_t i = 0; i < NBACKENDS; i++)
		names[i] = backends[i].name;
	return names;
}

/* ---------------------------------------------------------------- calibration */

uint64_t gm_addchain(uint64_t n)
{
	uint64_t x = 0;
	for (uint64_t i = 0; i < n; i += 8)
		GM_PORT_ADD8(x);
	return x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A counter that stopped would hang every loop that waits for it to move: every wait
 * here is bounded by the clock. */
#define GM_WAIT_NS 50000000u	/* 50 ms */

/* 1 if the counter moves within GM_WAIT_NS of clock time. */
static int advances(void)
{
	uint64_t a = C.read(), t0 = read_clock();
	do {
		for (volatile int i = 0; i < 1000; i++)
			;
		if (gm_counter_delta(&C, a, C.read()) != 0)
			return 1;
	} while (read_clock() - t0 < GM_WAIT_NS);
	return 0;
}

/* The smallest non-zero step, from up to 200 waits for the next value, all bounded. */
static double min_step(void)
{
	double minstep = 0;
	uint64_t t0 = read_clock();
	for (int i = 0; i < 200 && read_clock() - t0 < GM_WAIT_NS; i++) {
		uint64_t a = C.read(), b = a;
		for (long k = 0; k < 10000000 && b == a; k++)
			b = C.read();
		double d = (double)gm_counter_delta(&C, a, b);
		if (d > 0 && (minstep == 0 || d < minstep))
			minstep = d;
	}
	return minstep;
}

/* GM_COUNTER_CALIBRATION="name ticks_per_ns cycles_per_tick read_overhead read_overhead_med
 * resolution": a host that starts many copies of one side on one pinned CPU (gmpair's
 * layouts) calibrates the first and hands its figures to the others, which would each
 * spend ~60 ms measuring the same counter on the same CPU.  Only for the same backend. */
static int calibration_given(void)
{
	const char *e = getenv("GM_COUNTER_CALIBRATION");
	char name[32];
	double v[5];
	if (!e || sscanf(e, "%31s %lf %lf %lf %lf %lf", name, &v[0], &v[1], &v[2], &v[3], &v[4]) != 6 ||
	    strcmp(name, C.name))
		return 0;
	for (int i = 0; i < 5; i++)
		if (!isfinite(v[i]) || v[i] < 0)
			return 0;
	C.ticks_per_ns = v[0];
	C.cycles_per_tick = v[1];
	C.read_overhead = v[2];
	C.read_overhead_med = v[3];
	C.resolution = v[4];
	return 1;
}

static void calibrate(void)
{
	enum { R = 2001 };
	static double d[R];
	if (calibration_given())
		return;
	/* read overhead and resolution */
	for (int i = 0; i < R; i++) {
		uint64_t a = C.read(), b = C.read();
		d[i] = (double)gm_counter_delta(&C, a, b);
	}
	qsort(d, R, sizeof d[0], cmp_double);
	C.read_overhead = d[0];
	C.read_overhead_med = d[R / 2];
	C.resolution = min_step();
	/* frequency against CLOCK_MONOTONIC_RAW over ~50 ms (start-up figure only: every
	 * measurement takes its ns from the clock across its own batches) */
	if (C.unit == GM_UNIT_NS) {
		C.ticks_per_ns = 1;
	} else {
		uint64_t c0 = C.read(), n0 = read_clock(), n1, c1;
		do {
			n1 = read_clock();
		} while (n1 - n0 < GM_WAIT_NS);
		c1 = C.read();
		C.ticks_per_ns = (double)gm_counter_delta(&C, c0, c1) / (double)(n1 - n0);
	}
	/* core cycles per tick: a dependent add chain runs one add per cycle */
	if (C.unit == GM_UNIT_CYCLES) {
		C.cycles_per_tick = 1;
	} else {
		/* median of 21 trials, each N vs 2N differenced like the benchmarks */
		enum { T = 21 };
		double t[T];
		const uint64_t L = 1u << 18;
		for (int i = 0; i < T; i++) {
			uint64_t a = C.read();
			gm_addchain(L);
			uint64_t b = C.read();
			gm_addchain(2 * L);
			uint64_t e = C.read();
			t[i] = (double)gm_counter_delta(&C, b, e) - (double)gm_counter_delta(&C, a, b);
		}
		qsort(t, T, sizeof t[0], cmp_double);
		C.cycles_per_tick = t[T / 2] > 0 ? (double)L / t[T / 2] : 0;
	}
}

int gm_counter_init(const char *force)
{
	if (C.read) {
		if (force && *force && strcmp(force, C.name)) {
			fprintf(stderr, "gmbench: GM_COUNTER=%s: the counter is already %s in this process\n", force, C.name);
			return -1;
		}
		return 0;
	}
	char why[200];
	size_t used = 0;
	C.why_not[0] = 0;
	for (size_t i = 0; i < NBACKENDS; i++) {
		if (force && *force && strcmp(force, backends[i].name))
			continue;
		why[0] = 0;
		C.width = 64;
		C.scale = 1;
		if (backends[i].try(why, sizeof why)) {
			if (advances())
				break;
			snprintf(why, sizeof why, "%s: does not advance (no change within %u ms)",
				 backends[i].name, GM_WAIT_NS / 1000000u);
			C.read = NULL;
			C.read_instructions = NULL;
		}
		if (force && *force) {
			fprintf(stderr, "gmbench: GM_COUNTER=%s cannot be used here: %s\n", force, why);
			return -1;
		}
		used += (size_t)snprintf(C.why_not + used, sizeof C.why_not - used, "%s%s",
					 used ? "; " : "", why);
		if (used >= sizeof C.why_not)
			used = sizeof C.why_not - 1;
	}
	if (!C.read) {
		fprintf(stderr, "gmbench: GM_COUNTER=%s: no such backend (have:", force);
		for (size_t i = 0; i < NBACKENDS; i++)
			fprintf(stderr, " %s", backends[i].name);
		fprintf(stderr, ")\n");
		return -1;
	}
	C.unit_name = C.unit == GM_UNIT_CYCLES ? "cycles" : C.unit == GM_UNIT_TICKS ? "ticks" : "ns";
	calibrate();
	return 0;
}

const struct gm_counter *gm_counter(void)
{
	return &C;
}

void gm_measure_method(gm_batch_fn fn, void *ctx, long n, enum gm_method m, struct gm_sample *out)
{
	/* The same reads in the same order at each of the three points, so each interval
	 * holds the same reads and they cancel in t(2n) - t(n).  The clock backend is the
	 * clock: no second read. */
	const int clk = C.read == read_clock;
	uint64_t (*ri)(void) = C.read_instructions;
	uint64_t a0, a1, a2, k0 = 0, k1 = 0, k2 = 0, i0 = 0, i1 = 0, i2 = 0;
	a0 = C.read();
	if (!clk)
		k0 = read_clock();
	if (ri)
		i0 = ri();
	fn(ctx, n);
	a1 = C.read();
	if (!clk)
		k1 = read_clock();
	if (ri)
		i1 = ri();
	fn(ctx, 2 * n);
	a2 = C.read();
	if (!clk)
		k2 = read_clock();
	if (ri)
		i2 = ri();
	double t1 = (double)gm_counter_delta(&C, a0, a1), t2 = (double)gm_counter_delta(&C, a1, a2);
	double n1 = (double)(k1 - k0), n2 = (double)(k2 - k1);
	double j1 = (double)(i1 - i0), j2 = (double)(i2 - i1);
	if (m == GM_METHOD_SINGLE) {	/* broken on purpose: the constant costs stay in */
		out->ticks = t1;
		out->ns = clk ? t1 : n1;
		out->instructions = ri ? j1 : NAN;
		return;
	}
	out->ticks = t2 - t1;
	out->ns = clk ? t2 - t1 : n2 - n1;
	out->instructions = ri ? j2 - j1 : NAN;
}

void gm_measure(gm_batch_fn fn, void *ctx, long n, struct gm_sample *s)
{
	gm_measure_method(fn, ctx, n, GM_METHOD_DIFF, s);
}

double gm_measure_batch(gm_batch_fn fn, void *ctx, long n, double *ns)
{
	struct gm_sample s;
	gm_measure(fn, ctx, n, &s);
	if (ns)
		*ns = s.ns;
	return s.ticks;
}

/* ---------------------------------------------------------------- the canary */

uint64_t gm_addloop(uint64_t iters)
{
	return gm_port_addloop(0, iters);
}

uint64_t gm_addchain_indep(uint64_t n)
{
	uint64_t a = 0, b = 0, c = 0, d = 0;
	for (uint64_t i = 0; i < n; i += 8)
		GM_PORT_ADD8_INDEP(a, b, c, d);
	return a + b + c + d;
}

/* noipa: a real call each time, whatever the optimiser knows about the callee */
__attribute__((noipa)) static uintptr_t canary_leaf(uintptr_t x)
{
	return x + 1;
}

static void canary_add(void *ctx, long n)
{
	(void)ctx;
	gm_addchain((uint64_t)n * 64);
}

static void canary_call(void *ctx, long n)
{
	(void)ctx;
	uintptr_t x = 0;
	for (long i = 0; i < n; i++) {
		x = canary_leaf(canary_leaf(canary_leaf(canary_leaf(x))));
		x = canary_leaf(canary_leaf(canary_leaf(canary_leaf(x))));
	}
	__asm__ volatile("" : : "r"(x));
}

static uint64_t ssb_buf[64] __attribute__((aligned(64)));

static void canary_ssb(void *ctx, long n)
{
	(void)ctx;
	uint64_t x = gm_port_ssb_loop(ssb_buf, (uint64_t)n);
	__asm__ volatile("" : : "r"(x));
}

/* Median of 5 differenced batches of n ops; the ticks and ns are summed for the rate. */
static double canary_one(gm_batch_fn fn, long n, double *ticks, double *ns)
{
	double v[5];
	for (int i = 0; i < 5; i++) {
		struct gm_sample s;
		gm_measure(fn, NULL, n, &s);
		v[i] = s.ticks / (double)n;
		*ticks += s.ticks;
		*ns += s.ns;
	}
	qsort(v, 5, sizeof v[0], cmp_double);
	return v[2];
}

void gm_canary_measure(struct gm_canary *out)
{
	/* Sizes: 5-20 us of work per batch on a 2 GHz core, ~0.5 ms for the whole canary;
	 * a 19.2 MHz timer still moves a few hundred steps per batch. */
	double ticks = 0, ns = 0;
	out->add = canary_one(canary_add, 256, &ticks, &ns);
	out->call = canary_one(canary_call, 512, &ticks, &ns);
	out->ssb = canary_one(canary_ssb, 2048, &ticks, &ns);
	out->cycles_per_tick = C.unit == GM_UNIT_CYCLES ? 1 : out->add > 0 ? 64 / out->add : NAN;
	out->ticks_per_ns = ns > 0 ? ticks / ns : NAN;
}
/* QEMU user mode shows the host's /proc/cpuinfo: an ARM binary reading an x86 one (or
 * the reverse) is being emulated, however it was started. */
static int foreign_cpuinfo(char *what, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	int x86 = 0, arm = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "vendor_id", 9) || !strncmp(line, "cpu family", 10))
			x86 = 1;
		if (!strncmp(line, "CPU implementer", 15) || !strncmp(line, "CPU architecture", 16))
			arm = 1;
	}
	if (f)
		fclose(f);
#if defined(__x86_64__)
	if (arm && !x86) {
		snprintf(what, len, "/proc/cpuinfo describes an ARM CPU, this is an x86-64 binary");
		return 1;
	}
#else
	if (x86 && !arm) {
		snprintf(what, len, "/proc/cpuinfo describes an x86 CPU, this is an ARM binary");
		return 1;
	}
#endif
	return 0;
}

/* The first line, or the NUL-separated list of a device-tree property, into buf. */
static void read_small(const char *path, char *buf, size_t len)
{
	buf[0] = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	for (size_t i = 0; i + 1 < n; i++)	/* "a\0b\0" -> "a b" */
		if (!buf[i])
			buf[i] = ' ';
	buf[strcspn(buf, "\n")] = 0;
}

/* A whole machine emulated by QEMU (system mode, TCG): its timings are not a board's.
 * QEMU's "virt" machine says so in its device tree (compatible = "linux,dummy-virt"),
 * QEMU's PC and UEFI machines in DMI.  Under KVM the same machine runs at native
 * speed: on x86 the hypervisor leaf tells them apart ("TCGTCGTCGTCG" vs "KVMKVMKVM");
 * on ARM, QEMU's own CPU model (implementer 0x00: -cpu max) exists only under TCG, a
 * named model (cortex-a15, ...) is reported as emulated with that caveat. */
static int emulated_system(char *why, size_t whylen)
{
	char compat[256], vendor[128];
	read_small("/proc/device-tree/compatible", compat, sizeof compat);
	if (!compat[0])
		read_small("/sys/firmware/devicetree/base/compatible", compat, sizeof compat);
	read_small("/sys/class/dmi/id/sys_vendor", vendor, sizeof vendor);
	int virt = strstr(compat, "linux,dummy-virt") != NULL;
	int dmi = !strncmp(vendor, "QEMU", 4);
	if (!virt && !dmi)
		return 0;
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	char sig[13] = "";
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (c & (1u << 31)) {	/* hypervisor present: its signature */
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000), "c"(0));
		memcpy(sig, &b, 4), memcpy(sig + 4, &c, 4), memcpy(sig + 8, &d, 4);
	}
	if (strncmp(sig, "TCGTCGTCGTCG", 12))
		return 0;	/* KVM or another accelerator: native execution */
	snprintf(why, whylen, "emulated system: QEMU (DMI %s, hypervisor signature TCGTCGTCGTCG)", vendor);
	return 1;
#else
	char line[256], impl[32] = "";
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "CPU implementer", 15) && strchr(line, ':')) {
			snprintf(impl, sizeof impl, "%s", strchr(line, ':') + 1 + strspn(strchr(line, ':') + 1, " \t"));
			impl[strcspn(impl, "\n")] = 0;
			break;
		}
	if (f)
		fclose(f);
	const char *what = virt ? "QEMU virt machine (device tree linux,dummy-virt)" : "QEMU machine (DMI)";
	if (!strcmp(impl, "0x00"))
		snprintf(why, whylen, "emulated system: %s with QEMU's own CPU model (implementer 0x00): TCG", what);
	else
		snprintf(why, whylen, "emulated system: %s, CPU implementer %s (TCG, or KVM: not told apart "
			 "from inside; taken as emulated)", what, impl[0] ? impl : "unknown");
	return 1;
#endif
}

int gm_emulated(char *why, size_t whylen)
{
	const char *e = getenv("GM_EMULATOR");
	if (e && *e) {
		snprintf(why, whylen, "running under %s (user-mode emulation)", e);
		return 1;
	}
	char what[120];
	if (foreign_cpuinfo(what, sizeof what)) {
		snprintf(why, whylen, "user-mode emulation detected (%s)", what);
		return 1;
	}
	return emulated_system(why, whylen);
}
