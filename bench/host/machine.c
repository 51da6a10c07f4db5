/*
 * machine.c — the CPUs, the pinning, and the machine's state around a run (machine.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"

static const char *sysfs(void)
{
	const char *r = getenv("GM_SYSFS");
	return r && *r ? r : "/sys";
}

static const char *procfs(void)
{
	const char *r = getenv("GM_PROCFS");
	return r && *r ? r : "/proc";
}

/* The first line of root/path, without its newline; 0 if unreadable or empty. */
static int read_line(const char *root, const char *path, char *buf, size_t len)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", root, path);
	FILE *f = fopen(p, "r");
	buf[0] = 0;
	if (!f)
		return 0;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf[0] != 0;
}

static long read_long(const char *root, const char *path)
{
	char b[64];
	if (!read_line(root, path, b, sizeof b))
		return -1;
	char *e;
	long v = strtol(b, &e, 10);
	return e == b ? -1 : v;
}

/* "0-3,6,8-9" -> set bits */
static void parse_list(const char *s, unsigned char *set, int max)
{
	while (*s) {
		char *e;
		long a = strtol(s, &e, 10), b = a;
		if (e == s)
			break;
		s = e;
		if (*s == '-') {
			b = strtol(s + 1, &e, 10);
			s = e;
		}
		for (long i = a; i <= b && i < max; i++)
			if (i >= 0)
				set[i] = 1;
		if (*s == ',')
			s++;
		else
			break;
	}
}

/* ---------------------------------------------------------------- core types */

struct part { unsigned impl, part; const char *name; };
/* MIDR implementer and part numbers as the Arm, Qualcomm, NVIDIA... reference manuals
 * (and Linux's arch/arm64/include/asm/cputype.h) give them. */
static const struct part parts[] = {
	{ 0x41, 0xb76, "ARM1176" }, { 0x41, 0xc05, "Cortex-A5" }, { 0x41, 0xc07, "Cortex-A7" },
	{ 0x41, 0xc08, "Cortex-A8" }, { 0x41, 0xc09, "Cortex-A9" }, { 0x41, 0xc0d, "Cortex-A12" },
	{ 0x41, 0xc0e, "Cortex-A17" }, { 0x41, 0xc0f, "Cortex-A15" }, { 0x41, 0xd01, "Cortex-A32" },
	{ 0x41, 0xd03, "Cortex-A53" }, { 0x41, 0xd04, "Cortex-A35" }, { 0x41, 0xd05, "Cortex-A55" },
	{ 0x41, 0xd06, "Cortex-A65" }, { 0x41, 0xd07, "Cortex-A57" }, { 0x41, 0xd08, "Cortex-A72" },
	{ 0x41, 0xd09, "Cortex-A73" }, { 0x41, 0xd0a, "Cortex-A75" }, { 0x41, 0xd0b, "Cortex-A76" },
	{ 0x41, 0xd0c, "Neoverse-N1" }, { 0x41, 0xd0d, "Cortex-A77" }, { 0x41, 0xd0e, "Cortex-A76AE" },
	{ 0x41, 0xd40, "Neoverse-V1" }, { 0x41, 0xd41, "Cortex-A78" }, { 0x41, 0xd42, "Cortex-A78AE" },
	{ 0x41, 0xd44, "Cortex-X1" }, { 0x41, 0xd46, "Cortex-A510" }, { 0x41, 0xd47, "Cortex-A710" },
	{ 0x41, 0xd48, "Cortex-X2" }, { 0x41, 0xd49, "Neoverse-N2" }, { 0x41, 0xd4a, "Neoverse-E1" },
	{ 0x41, 0xd4b, "Cortex-A78C" }, { 0x41, 0xd4c, "Cortex-X1C" }, { 0x41, 0xd4d, "Cortex-A715" },
	{ 0x41, 0xd4e, "Cortex-X3" }, { 0x41, 0xd4f, "Neoverse-V2" }, { 0x41, 0xd80, "Cortex-A520" },
	{ 0x41, 0xd81, "Cortex-A720" }, { 0x41, 0xd82, "Cortex-X4" }, { 0x41, 0xd84, "Neoverse-V3" },
	{ 0x41, 0xd85, "Cortex-X925" }, { 0x41, 0xd87, "Cortex-A725" }, { 0x41, 0xd8e, "Neoverse-N3" },
	{ 0x42, 0x100, "Brahma-B53" }, { 0x42, 0x516, "ThunderX2 (Vulcan)" },
	{ 0x43, 0x0a1, "ThunderX" }, { 0x43, 0x0af, "ThunderX2" },
	{ 0x46, 0x001, "A64FX" }, { 0x48, 0xd01, "TaiShan-v110" },
	{ 0x4e, 0x000, "Denver" }, { 0x4e, 0x003, "Denver-2" }, { 0x4e, 0x004, "Carmel" },
	{ 0x51, 0x04d, "Krait" }, { 0x51, 0x06f, "Krait" }, { 0x51, 0x201, "Kryo" }, { 0x51, 0x205, "Kryo" },
	{ 0x51, 0x211, "Kryo" }, { 0x51, 0x800, "Kryo-2xx-Gold (A73)" }, { 0x51, 0x801, "Kryo-2xx-Silver (A53)" },
	{ 0x51, 0x802, "Kryo-3xx-Gold (A75)" }, { 0x51, 0x803, "Kryo-3xx-Silver (A55)" },
	{ 0x51, 0x804, "Kryo-4xx-Gold (A76)" }, { 0x51, 0x805, "Kryo-4xx-Silver (A55)" },
	{ 0x51, 0xc00, "Falkor" }, { 0x51, 0xc01, "Saphira" },
	{ 0xc0, 0xac3, "AmpereOne" }, { 0x6d, 0xd49, "Azure-Cobalt-100 (N2)" },
};

static void arm_name(unsigned impl, unsigned part, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i].impl == impl && parts[i].part == part) {
			snprintf(buf, len, "%s", parts[i].name);
			return;
		}
	snprintf(buf, len, "unknown ARM core (implementer 0x%02x part 0x%03x)", impl, part);
}

const struct gm_cpu *gm_cpu_find(const struct gm_cpus *c, int cpu)
{
	for (int i = 0; i < c->n; i++)
		if (c->cpu[i].cpu == cpu)
			return &c->cpu[i];
	return NULL;
}

int gm_cpus_read(struct gm_cpus *out)
{
	static unsigned char possible[GM_MAXCPUS], online[GM_MAXCPUS];
	char buf[1024];
	memset(out, 0, sizeof *out);
	memset(possible, 0, sizeof possible);
	memset(online, 0, sizeof online);
	if (read_line(sysfs(), "devices/system/cpu/possible", buf, sizeof buf))
		parse_list(buf, possible, GM_MAXCPUS);
	else
		possible[0] = 1;
	if (read_line(sysfs(), "devices/system/cpu/online", buf, sizeof buf))
		parse_list(buf, online, GM_MAXCPUS);
	else
		memcpy(online, possible, sizeof online);
	cpu_set_t aff;
	CPU_ZERO(&aff);
	int have_aff = sched_getaffinity(0, sizeof aff, &aff) == 0 && !getenv("GM_SYSFS");
	for (int i = 0; i < GM_MAXCPUS; i++) {
		if (!possible[i])
			continue;
		struct gm_cpu *c = &out->cpu[out->n++];
		c->cpu = i;
		c->online = online[i];
		c->allowed = c->online && (!have_aff || CPU_ISSET(i, &aff));
		char p[128];
		snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpu_capacity", i);
		c->capacity = read_long(sysfs(), p);
		snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/cpuinfo_max_freq", i);
		c->max_khz = read_long(sysfs(), p);
		snprintf(c->type, sizeof c->type, "unknown");
	}
	/* /proc/cpuinfo: one block per processor */
	snprintf(buf, sizeof buf, "%s/cpuinfo", procfs());
	FILE *f = fopen(buf, "r");
	struct gm_cpu *cur = NULL;
	unsigned impl = 0, part = 0, var = 0, rev = 0;
	int have_part = 0, family = -1, model = -1, stepping = -1;
	char mname[96] = "", vendor[24] = "";
	for (;;) {
		char line[512];
		int eof = !f || !fgets(line, sizeof line, f);
		int newblock = !eof && !strncmp(line, "processor", 9) && isspace((unsigned char)line[9]);
		if ((eof || newblock) && cur) {
			if (have_part) {
				arm_name(impl, part, cur->type, sizeof cur->type);
				snprintf(cur->id, sizeof cur->id, "0x%02x:0x%03x r%up%u", impl, part, var, rev);
			} else if (mname[0]) {
				snprintf(cur->type, sizeof cur->type, "%s", mname);
				/* vendor, family, model and stepping: the model name alone ("AMD EPYC"
				 * in a VM) does not tell a Zen 1 from a Zen 5 */
				if (family >= 0) {
					size_t l = (size_t)snprintf(cur->id, sizeof cur->id, "%s%sfamily %d model %d", vendor,
								    vendor[0] ? " " : "", family, model);
					if (stepping >= 0 && l < sizeof cur->id)
						snprintf(cur->id + l, sizeof cur->id - l, " stepping %d", stepping);
				}
			}
			cur = NULL;
		}
		if (eof)
			break;
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v++;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = 0;
		if (newblock) {
			cur = (struct gm_cpu *)gm_cpu_find(out, atoi(v));
			have_part = 0;
			family = model = stepping = -1;
			mname[0] = vendor[0] = 0;
			continue;
		}
		if (!strncmp(line, "CPU implementer", 15))
			impl = (unsigned)strtoul(v, NULL, 0);
		else if (!strncmp(line, "CPU part", 8))
			part = (unsigned)strtoul(v, NULL, 0), have_part = 1;
		else if (!strncmp(line, "CPU variant", 11))
			var = (unsigned)strtoul(v, NULL, 0);
		else if (!strncmp(line, "CPU revision", 12))
			rev = (unsigned)strtoul(v, NULL, 0);
		else if (!strncmp(line, "model name", 10))
			snprintf(mname, sizeof mname, "%s", v);
		else if (!strncmp(line, "vendor_id", 9))
			snprintf(vendor, sizeof vendor, "%s", v);
		else if (!strncmp(line, "stepping", 8))
			stepping = atoi(v);
		else if (!strncmp(line, "cpu family", 10))
			family = atoi(v);
		else if (!strncmp(line, "model", 5) && isspace((unsigned char)line[5]))
			model = atoi(v);
	}
	if (f)
		fclose(f);
	return out->n ? 0 : -1;
}

/* a is faster than b: capacity, then maximum frequency, then the higher number */
static int faster(const struct gm_cpu *a, const struct gm_cpu *b)
{
	if (a->capacity != b->capacity)
		return a->capacity > b->capacity;
	if (a->max_khz != b->max_khz)
		return a->max_khz > b->max_khz;
	return a->cpu > b->cpu;
}

int gm_cpu_choose(const struct gm_cpus *c, char *why, size_t len)
{
	const struct gm_cpu *best = NULL;
	int types = 0;
	for (int i = 0; i < c->n; i++) {
		if (!c->cpu[i].allowed)
			continue;
		if (!best || faster(&c->cpu[i], best))
			best = &c->cpu[i];
	}
	if (!best) {
		snprintf(why, len, "no online CPU in the affinity mask");
		return -1;
	}
	for (int i = 0; i < c->n; i++)
		if (c->cpu[i].allowed && (c->cpu[i].capacity != best->capacity || c->cpu[i].max_khz != best->max_khz ||
					  strcmp(c->cpu[i].type, best->type)))
			types = 1;
	if (types)
		snprintf(why, len, "CPU %d: %s, the fastest kind here (capacity %ld, max %ld kHz); CPU=n chooses another, "
			 "CPU=all-types measures one of each", best->cpu, best->type, best->capacity, best->max_khz);
	else
		snprintf(why, len, "CPU %d: all allowed CPUs are alike (%s); the highest-numbered, as CPU 0 takes more "
			 "interrupts on most systems", best->cpu, best->type);
	return best->cpu;
}

int gm_cpu_types(const struct gm_cpus *c, int *cpus, int max)
{
	int n = 0;
	for (int i = 0; i < c->n; i++) {
		const struct gm_cpu *a = &c->cpu[i];
		if (!a->allowed)
			continue;
		int k;
		for (k = 0; k < n; k++) {
			const struct gm_cpu *b = gm_cpu_find(c, cpus[k]);
			if (!strcmp(a->type, b->type) && a->capacity == b->capacity && a->max_khz == b->max_khz)
				break;
		}
		if (k < n) {
			if (faster(a, gm_cpu_find(c, cpus[k])))
				cpus[k] = a->cpu;
		} else if (n < max) {
			cpus[n++] = a->cpu;
		}
	}
	return n;
}

int gm_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set);
}

void gm_cpus_describe(const struct gm_cpus *c, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < c->n && used < len; i++) {
		const struct gm_cpu *a = &c->cpu[i];
		used += (size_t)snprintf(buf + used, len - used, "%scpu %d: %s%s%s%s", used ? "; " : "", a->cpu, a->type,
					 a->id[0] ? " (" : "", a->id, a->id[0] ? ")" : "");
		if (used < len && a->capacity >= 0)
			used += (size_t)snprintf(buf + used, len - used, ", capacity %ld", a->capacity);
		if (used < len && a->max_khz >= 0)
			used += (size_t)snprintf(buf + used, len - used, ", max %ld kHz", a->max_khz);
		if (used < len && !a->online)
			used += (size_t)snprintf(buf + used, len - used, ", offline");
	}
}

/* ---------------------------------------------------------------- state */

static void read_stat(int cpu, struct gm_mstate *s)
{
	char p[512];
	snprintf(p, sizeof p, "%s/stat", procfs());
	FILE *f = fopen(p, "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "cpu", 3) || !isdigit((unsigned char)line[3]))
			continue;
		int n = atoi(line + 3);
		unsigned long long v[10] = { 0 };
		char *q = line + 3;
		while (*q && !isspace((unsigned char)*q))
			q++;
		for (int i = 0; i < 10; i++) {
			char *e;
			v[i] = strtoull(q, &e, 10);
			if (e == q)
				break;
			q = e;
		}
		/* user nice system idle iowait irq softirq steal (guest time is inside user) */
		unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6];
		unsigned long long total = busy + v[3] + v[4] + v[7];
		if (n == cpu) {
			s->cpu_busy = busy;
			s->cpu_total = total;
			s->cpu_steal = v[7];
		} else {
			s->others_busy += busy;
			s->others_total += total;
			s->others_steal += v[7];
			s->others_n++;
		}
	}
	if (f)
		fclose(f);
	/* this process: utime and stime, fields 14 and 15, after the ')' of the name */
	snprintf(p, sizeof p, "%s/self/stat", procfs());
	f = fopen(p, "r");
	if (f && fgets(line, sizeof line, f)) {
		char *q = strrchr(line, ')');
		unsigned long long ut = 0, st = 0;
		if (q && sscanf(q + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) == 2)
			s->self_ticks = ut + st;
	}
	if (f)
		fclose(f);
}

void gm_mstate_read(int cpu, struct gm_mstate *s)
{
	memset(s, 0, sizeof *s);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->when = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	s->cpu = cpu;
	char p[256], b[128];
	snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
	read_line(sysfs(), p, s->governor, sizeof s->governor);
	snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", cpu);
	s->cur_khz = read_long(sysfs(), p);
	snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/scaling_min_freq", cpu);
	s->min_khz = read_long(sysfs(), p);
	snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/scaling_max_freq", cpu);
	s->max_khz = read_long(sysfs(), p);
	snprintf(p, sizeof p, "devices/system/cpu/cpu%d/cpufreq/cpuinfo_max_freq", cpu);
	s->hw_max_khz = read_long(sysfs(), p);
	for (int z = 0; z < 64 && s->nzones < GM_MAXZONES; z++) {
		snprintf(p, sizeof p, "class/thermal/thermal_zone%d/temp", z);
		long t = read_long(sysfs(), p);
		if (t == -1)
			continue;
		snprintf(p, sizeof p, "class/thermal/thermal_zone%d/type", z);
		if (!read_line(sysfs(), p, b, sizeof b))
			snprintf(b, sizeof b, "zone%d", z);
		snprintf(s->zone[s->nzones].name, sizeof s->zone[0].name, "%.39s", b);
		s->zone[s->nzones++].mc = t;
	}
	size_t cl = 0;
	for (int d = 0; d < 64; d++) {
		snprintf(p, sizeof p, "class/thermal/cooling_device%d/type", d);
		if (!read_line(sysfs(), p, b, sizeof b))
			continue;
		char low[128];
		for (size_t i = 0; i <= strlen(b) && i < sizeof low; i++)
			low[i] = (char)tolower((unsigned char)b[i]);
		if (!strstr(low, "cpufreq") && !strstr(low, "processor") && !strstr(low, "cpu"))
			continue;
		snprintf(p, sizeof p, "class/thermal/cooling_device%d/cur_state", d);
		long st = read_long(sysfs(), p);
		if (st > 0) {
			s->cooling_active++;
			if (cl < sizeof s->cooling)
				cl += (size_t)snprintf(s->cooling + cl, sizeof s->cooling - cl, "%s%s=%ld",
						       cl ? ", " : "", b, st);
		}
	}
	/* Raspberry Pi firmware (raspberrypi kernels): hex flags, bits 0-3 now, 16-19 since boot */
	s->throttled = -1;
	if (read_line(sysfs(), "devices/platform/soc/soc:firmware/get_throttled", b, sizeof b)) {
		char *e;
		unsigned long v = strtoul(b, &e, 16);
		if (e != b)
			s->throttled = (long)v;
	}
	read_stat(cpu, s);
}

static const char *throttle_bits(long v, int shift, char *buf, size_t len)
{
	static const char *names[4] = { "under-voltage", "arm frequency capped", "throttled", "soft temperature limit" };
	size_t u = 0;
	buf[0] = 0;
	for (int i = 0; i < 4; i++)
		if (v >> (shift + i) & 1)
			u += (size_t)snprintf(buf + u, len - u, "%s%s", u ? ", " : "", names[i]);
	return buf;
}

#define WARN(...) do { \
	if (used < len) \
		used += (size_t)snprintf(warn + used, len - used, __VA_ARGS__); \
	if (used < len) \
		warn[used++] = '\n', warn[used] = 0; \
	n++; \
} while (0)

int gm_mstate_judge(const struct gm_mstate *b, const struct gm_mstate *a, char *warn, size_t len)
{
	size_t used = 0;
	int n = 0;
	char t[160];
	warn[0] = 0;
	if (b->governor[0] && strcmp(b->governor, "performance"))
		WARN("the cpufreq governor of CPU %d is '%s', not 'performance': its clock follows the load "
		     "(GOVERNOR=performance sets it for the run, as root)", b->cpu, b->governor);
	if (strcmp(b->governor, a->governor))
		WARN("the cpufreq governor of CPU %d changed during the run: '%s' -> '%s'", b->cpu, b->governor, a->governor);
	if (b->cur_khz > 0 && a->cur_khz > 0) {
		double r = (double)a->cur_khz / (double)b->cur_khz;
		if (r > 1.01 || r < 0.99)
			WARN("the clock of CPU %d moved during the run: %.0f -> %.0f MHz", b->cpu,
			     (double)b->cur_khz / 1000, (double)a->cur_khz / 1000);
	}
	const struct gm_mstate *s2[2] = { b, a };
	for (int i = 0; i < 2; i++) {
		const struct gm_mstate *s = s2[i];
		if (s->max_khz > 0 && s->hw_max_khz > 0 && s->max_khz < s->hw_max_khz) {
			WARN("CPU %d is capped at %.0f of its %.0f MHz %s the run (a thermal or power limit, or a user setting)",
			     s->cpu, (double)s->max_khz / 1000, (double)s->hw_max_khz / 1000, i ? "after" : "before");
			break;
		}
	}
	if (b->cooling_active || a->cooling_active)
		WARN("thermal throttling: CPU cooling devices active %s the run (%s)", a->cooling_active ? "after" : "before",
		     a->cooling_active ? a->cooling : b->cooling);
	if (b->throttled > 0 && (b->throttled & 0xf))
		WARN("Raspberry Pi firmware flags before the run: %s", throttle_bits(b->throttled, 0, t, sizeof t));
	if (a->throttled > 0 && (a->throttled & 0xf))
		WARN("Raspberry Pi firmware flags after the run: %s", throttle_bits(a->throttled, 0, t, sizeof t));
	else if (a->throttled >= 0 && b->throttled >= 0 && ((a->throttled ^ b->throttled) >> 16 & 0xf))
		WARN("Raspberry Pi firmware: during the run it was %s",
		     throttle_bits(a->throttled & ~b->throttled, 16, t, sizeof t));
	unsigned long long dt = a->cpu_total - b->cpu_total;
	if (a->cpu_total > b->cpu_total && dt >= 10) {
		double steal = (double)(a->cpu_steal - b->cpu_steal) / (double)dt;
		double busy = (double)(a->cpu_busy - b->cpu_busy);
		double self = (double)(a->self_ticks - b->self_ticks);
		double other = (busy - self) / (double)dt;
		if (steal > 0.03)
			WARN("steal time: the hypervisor ran something else %.0f%% of the time on CPU %d", 100 * steal, b->cpu);
		if (other > 0.03)
			WARN("competing load: other processes or interrupts used %.0f%% of CPU %d during the run", 100 * other,
			     b->cpu);
	}
	unsigned long long ot = a->others_total - b->others_total;
	if (a->others_total > b->others_total && ot >= 10 && b->others_n) {
		double other = (double)(a->others_busy - b->others_busy) / (double)ot;
		double steal = (double)(a->others_steal - b->others_steal) / (double)ot;
		if (other > 0.05)
			WARN("competing load on the other CPUs: %.0f%% busy on average (shared caches, memory, SMT siblings "
			     "and the package's clock feel it)", 100 * other);
		if (steal > 0.03)
			WARN("steal time on the other CPUs: %.0f%%", 100 * steal);
	}
	if (used && warn[used - 1] == '\n')
		warn[used - 1] = 0;
	return n;
}

void gm_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void jstate(FILE *f, const struct gm_mstate *s)
{
	fprintf(f, "{\"governor\": ");
	gm_json_str(f, s->governor[0] ? s->governor : "none (no cpufreq)");
	fprintf(f, ", \"cur_khz\": %ld, \"min_khz\": %ld, \"max_khz\": %ld, \"hw_max_khz\": %ld, \"throttled\": %ld, "
		   "\"cooling_active\": %d, \"thermal_mc\": {", s->cur_khz, s->min_khz, s->max_khz, s->hw_max_khz,
		s->throttled, s->cooling_active);
	for (int i = 0; i < s->nzones; i++) {
		fprintf(f, "%s", i ? ", " : "");
		char k[64];
		snprintf(k, sizeof k, "%s", s->zone[i].name);
		/* zone names repeat on some boards: suffix the index */
		for (int j = 0; j < i; j++)
			if (!strcmp(s->zone[j].name, s->zone[i].name)) {
				snprintf(k, sizeof k, "%s#%d", s->zone[i].name, i);
				break;
			}
		gm_json_str(f, k);
		fprintf(f, ": %ld", s->zone[i].mc);
	}
	fprintf(f, "}}");
}

void gm_mstate_json(FILE *f, const struct gm_cpus *cpus, int cpu, const char *choice, int pinned,
		    const struct gm_mstate *b, const struct gm_mstate *a, const char *warnings)
{
	fprintf(f, "{\n  \"cpu_measured\": %d,\n  \"cpu_choice\": ", cpu);
	gm_json_str(f, choice);
	fprintf(f, ",\n  \"pinned\": %s,\n  \"core_measured\": ", pinned ? "true" : "false");
	const struct gm_cpu *m = gm_cpu_find(cpus, cpu);
	gm_json_str(f, m ? m->type : "unknown");
	fprintf(f, ",\n  \"core_id\": ");
	gm_json_str(f, m ? m->id : "");
	fprintf(f, ",\n  \"cpus\": [");
	for (int i = 0; i < cpus->n; i++) {
		const struct gm_cpu *c = &cpus->cpu[i];
		fprintf(f, "%s\n    {\"cpu\": %d, \"type\": ", i ? "," : "", c->cpu);
		gm_json_str(f, c->type);
		fprintf(f, ", \"id\": ");
		gm_json_str(f, c->id);
		fprintf(f, ", \"capacity\": %ld, \"max_khz\": %ld, \"online\": %s}", c->capacity, c->max_khz,
			c->online ? "true" : "false");
	}
	fprintf(f, "\n  ],\n  \"before\": ");
	jstate(f, b);
	fprintf(f, ",\n  \"after\": ");
	jstate(f, a);
	double sec = a->when - b->when;
	unsigned long long dt = a->cpu_total - b->cpu_total, ot = a->others_total - b->others_total;
	fprintf(f, ",\n  \"load\": {\"seconds\": %.1f", sec);
	if (dt)
		fprintf(f, ", \"measured_cpu_steal_pct\": %.2f, \"measured_cpu_others_pct\": %.2f",
			100.0 * (double)(a->cpu_steal - b->cpu_steal) / (double)dt,
			100.0 * ((double)(a->cpu_busy - b->cpu_busy) - (double)(a->self_ticks - b->self_ticks)) / (double)dt);
	if (ot)
		fprintf(f, ", \"other_cpus_busy_pct\": %.2f, \"other_cpus_steal_pct\": %.2f",
			100.0 * (double)(a->others_busy - b->others_busy) / (double)ot,
			100.0 * (double)(a->others_steal - b->others_steal) / (double)ot);
	fprintf(f, "},\n  \"warnings\": [");
	const char *w = warnings;
	int first = 1;
	while (w && *w) {
		size_t l = strcspn(w, "\n");
		char line[600];
		snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line - 1 ? l : sizeof line - 1), w);
		fprintf(f, "%s\n    ", first ? "" : ",");
		gm_json_str(f, line);
		first = 0;
		w += l;
		if (*w == '\n')
			w++;
	}
	fprintf(f, "%s]\n}\n", first ? "" : "\n  ");
}

/* ---------------------------------------------------------------- store bypass */

#ifndef PR_SPEC_STORE_BYPASS
#define PR_GET_SPECULATION_CTRL 52
#define PR_SET_SPECULATION_CTRL 53
#define PR_SPEC_STORE_BYPASS 0
#define PR_SPEC_PRCTL (1UL << 0)
#define PR_SPEC_ENABLE (1UL << 1)
#define PR_SPEC_DISABLE (1UL << 2)
#define PR_SPEC_FORCE_DISABLE (1UL << 3)
#endif

void gm_ssb_state(char *buf, size_t len)
{
	int r = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	if (r < 0) {
		snprintf(buf, len, "unknown (prctl: %s)", strerror(errno));
		return;
	}
	if (r == 0)
		snprintf(buf, len, "not affected (the CPU has no speculative store bypass to control)");
	else if (r & (int)PR_SPEC_DISABLE)
		snprintf(buf, len, "disabled for this process (SSBD%s)", r & (int)PR_SPEC_PRCTL ? ", by prctl" : "");
	else if (r & (int)PR_SPEC_FORCE_DISABLE)
		snprintf(buf, len, "disabled for this process (forced)");
	else if (r & (int)PR_SPEC_ENABLE)
		snprintf(buf, len, "allowed for this process (a sibling hardware thread or the hypervisor may still "
			 "disable it: see the ssb canary)");
	else
		snprintf(buf, len, "mitigation always on (the kernel disables it for every process)");
}

int gm_ssb_disable(void)
{
	return prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_DISABLE, 0, 0);
}
