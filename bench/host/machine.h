/*
 * machine.h — what the machine was doing while it was measured (C side, plain C).
 *
 * The CPUs and their core types, the choice of the CPU to measure and the pinning, and
 * the state that spoils a measurement, read before and after a run: the measured CPU's
 * cpufreq policy, thermal zones and cooling devices, the Raspberry Pi firmware's throttle
 * flags, steal time and other processes' CPU time from /proc/stat.  Everything is read
 * from files under $GM_SYSFS (default /sys) and $GM_PROCFS (default /proc), so the tests
 * can hand it a made-up machine.
 */
#ifndef GM_MACHINE_H
#define GM_MACHINE_H

#include <stdio.h>

#define GM_MAXCPUS 256

struct gm_cpu {
	int cpu;
	int online, allowed;     /* allowed: in this process's affinity mask */
	char type[96];           /* "Cortex-A72", "AMD EPYC", ... */
	char id[64];             /* "0x41:0xd08 r0p3" (implementer:part, variant and revision) on ARM,
	                            "AuthenticAMD family 23 model 1 stepping 2" on x86 */
	long capacity;           /* cpu_capacity (1024 = the biggest), -1 if absent */
	long max_khz;            /* cpuinfo_max_freq, -1 if absent */
};

struct gm_cpus {
	int n;
	struct gm_cpu cpu[GM_MAXCPUS];
};

/* Read every possible CPU.  Returns 0, or -1 with nothing usable. */
int gm_cpus_read(struct gm_cpus *out);
/* The default CPU: the fastest cluster (highest cpu_capacity, then highest maximum
 * frequency), never silently a LITTLE core; among equals the highest-numbered (CPU 0
 * takes more of the interrupts on most boards).  Returns the CPU, the reason in why. */
int gm_cpu_choose(const struct gm_cpus *c, char *why, size_t len);
/* One CPU of each core type (the choice rule within each type); returns how many. */
int gm_cpu_types(const struct gm_cpus *c, int *cpus, int max);
const struct gm_cpu *gm_cpu_find(const struct gm_cpus *c, int cpu);
/* Pin the calling thread (threads it creates later inherit the mask).  0 or -1 (errno). */
int gm_pin(int cpu);

#define GM_MAXZONES 32
struct gm_mstate {
	double when;                  /* CLOCK_MONOTONIC seconds */
	int cpu;
	/* cpufreq policy of the measured CPU; governor "" when there is no cpufreq */
	char governor[32];
	long cur_khz, min_khz, max_khz, hw_max_khz;   /* -1 where unreadable */
	int nzones;
	struct { char name[40]; long mc; } zone[GM_MAXZONES];  /* millidegrees C */
	int cooling_active;           /* cpufreq/processor cooling devices with cur_state > 0 */
	char cooling[120];            /* their names and states */
	long throttled;               /* Raspberry Pi firmware get_throttled, -1 if absent */
	/* /proc/stat, USER_HZ ticks: the measured CPU and all the others together */
	unsigned long long cpu_busy, cpu_total, cpu_steal;
	unsigned long long others_busy, others_total, others_steal;
	int others_n;
	unsigned long long self_ticks;  /* this process's utime + stime */
};

void gm_mstate_read(int cpu, struct gm_mstate *s);

/* Judge a run from its before and after states: one line per problem into warn
 * (separated by '\n'); returns the number of warnings. */
int gm_mstate_judge(const struct gm_mstate *before, const struct gm_mstate *after, char *warn, size_t len);

/* JSON object with the states, the load over the run and the warnings. */
void gm_mstate_json(FILE *f, const struct gm_cpus *cpus, int cpu, const char *choice, int pinned,
		    const struct gm_mstate *before, const struct gm_mstate *after, const char *warnings);

/* Speculative store bypass for this process (prctl PR_GET_SPECULATION_CTRL): "allowed",
 * "disabled", ... with how, into buf.  gm_ssb_disable() disables it (PR_SPEC_DISABLE,
 * inherited by threads created later): the slow state a kernel or a sibling hardware
 * thread can impose anyway, now fixed for the whole run.  0, or -1 with errno. */
void gm_ssb_state(char *buf, size_t len);
int gm_ssb_disable(void);

/* s as a JSON string (quoted, escaped). */
void gm_json_str(FILE *f, const char *s);

/* Describe the CPUs (one per line: "cpu N: type (id) capacity C max F kHz") into buf. */
void gm_cpus_describe(const struct gm_cpus *c, char *buf, size_t len);

#endif
