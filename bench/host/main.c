/*
 * main.c — gmbench: the Google Benchmark host of one side (C side).
 *
 * It chooses and pins the CPU, records the machine's state before and after the run,
 * and starts the side (bench/side/side.c: the runtime model and the suites) with
 * gm_side_main.  The side's main goroutine calls back into host_ready through cgocall;
 * from there Google Benchmark (through the shim) runs every case, and each measurement
 * goes back into Go with crosscall2, so the measuring code runs on a goroutine as it
 * would in the runtime being modelled.
 *
 * Usage: gmbench [--quick] [--target-ms=MS] [--filter=REGEX] [--list] [--list-cpus]
 *                [--cpu=N|auto|none] [--state-out=FILE] [--probes-out=DIR [--probes-only]]
 *                [--benchmark_* ...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/gm.h"
#include "../../core/gm_counter.h"
#include "gbshim.h"
#include "machine.h"
#include "../side/side.h"

struct host {
	int argc;
	char **argv;
	const char *probes_out;
	int probes_only, list_only;
	struct gm_cpus cpus;
	int cpu, pinned;
	char choice[400];
	const struct gm_side *side;
};

static void gb_measure(void *ctx, size_t i, long n, struct gm_side_result *r)
{
	const struct gm_side *s = ctx;
	s->measure(i, n, r);
}

static void gb_canary(void *ctx, struct gm_canary *c)
{
	const struct gm_side *s = ctx;
	s->canary(c);
}

static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	buf[0] = 0;
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

static void host_context(struct host *h)
{
	char buf[4096], model[256];
	const struct gm_cpu *c = gm_cpu_find(&h->cpus, h->cpu);
	first_line("/proc/device-tree/model", model, sizeof model);
	if (!model[0] && h->cpus.n)
		snprintf(model, sizeof model, "%s", h->cpus.cpu[0].type);
	if (c && strcmp(model, c->type))
		snprintf(buf, sizeof buf, "%s, %s core (cpu %d)", model, c->type, h->cpu);
	else
		snprintf(buf, sizeof buf, "%s (cpu %d)", model[0] ? model : "unknown", h->cpu);
	gb_add_context("gm_cpu", buf);
	snprintf(buf, sizeof buf, "%d", h->cpu);
	gb_add_context("gm_cpu_measured", h->pinned ? buf : "not pinned");
	gb_add_context("gm_core_measured", c ? c->type : "unknown");
	gb_add_context("gm_core_id", c ? c->id : "");
	/* the folder's host id (scripts/hostid.sh), which make report names the board by */
	const char *hid = getenv("GM_HOST_ID");
	if (hid && *hid)
		gb_add_context("gm_host_id", hid);
	gb_add_context("gm_cpu_choice", h->choice);
	gm_cpus_describe(&h->cpus, buf, sizeof buf);
	gb_add_context("gm_cpus", buf);
	char p[128];
	snprintf(p, sizeof p, "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", h->cpu < 0 ? 0 : h->cpu);
	first_line(p, buf, sizeof buf);
	gb_add_context("gm_governor", buf[0] ? buf : "unreadable (no cpufreq)");
	gm_ssb_state(buf, sizeof buf);
	gb_add_context("gm_store_bypass", buf);
}

static int host_ready(const struct gm_side *s, void *arg)
{
	struct host *h = arg;
	h->side = s;
	if (h->list_only)
		return 0;
	if (h->probes_only)
		return s->probes_run(h->probes_out) == 0 ? 0 : 3;
	const struct gm_counter *c = s->counter;
	char why[200];
	fprintf(stderr, "gmbench: %s port, counter %s (%s), %.3f MHz, %.3f cycles/tick (estimated%s)\n", s->port,
		c->name, c->desc, c->ticks_per_ns * 1000, c->cycles_per_tick,
		c->unit == GM_UNIT_CYCLES ? ": it counts cycles" : " from a dependent-add chain");
	if (gm_emulated(why, sizeof why))
		fprintf(stderr, "gmbench: WARNING: %s: the timings are emulation timings, NOT hardware "
				"figures (use make pathlen for exact instruction counts)\n", why);
	for (size_t i = 0; i < s->ncontext; i++)
		gb_add_context(s->context[2 * i], s->context[2 * i + 1]);
	host_context(h);
	gb_setup(gb_measure, gb_canary, (void *)s);
	for (size_t i = 0; i < s->ncases; i++)
		gb_add(s->cases[i].name, i, s->cases[i].unit, s->cases[i].batch);
	int rc = gb_run(h->argc, h->argv);
	if (rc < 0)
		return 2;
	if (h->probes_out && s->probes_run(h->probes_out) != 0)
		return 3;
	return 0;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--quick] [--target-ms=MS] [--filter=REGEX] [--list] [--list-cpus]\n"
		"          [--cpu=N|auto|none] [--state-out=FILE] [--probes-out=DIR [--probes-only]]\n"
		"          [--progress] [--benchmark_* flags]\n"
		"  --cpu       the CPU to pin to (default auto: the fastest kind, see --list-cpus)\n"
		"  --state-out write the machine's state before/after the run and its warnings (JSON)\n"
		"  --progress  one line per benchmark on stderr (done, elapsed, time left); Google\n"
		"              Benchmark's console rows on stdout only\n"
		"  env GM_COUNTER=perf|pmccntr|tsc|cntvct|clock forces a counter backend\n"
		"  env GM_SSBD=1 disables speculative store bypass for the run (prctl)\n", argv0);
}

/* Write the state file through a temporary name. */
static int write_state(const char *path, struct host *h, const struct gm_mstate *b, const struct gm_mstate *a,
		       const char *warn)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "gmbench: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	gm_mstate_json(f, &h->cpus, h->cpu, h->choice, h->pinned, b, a, warn);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "gmbench: writing %s failed: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct host h;
	char **gbargv = calloc((size_t)argc + 3, sizeof *gbargv);
	const char *cpu_arg = "auto", *state_out = NULL, *filter = NULL;
	double target_ms = 25;
	int quick = 0, list_cpus = 0;
	int gbargc = 0;
	gbargv[gbargc++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--quick"))
			quick = 1;
		else if (!strncmp(a, "--target-ms=", 12))
			target_ms = atof(a + 12);
		else if (!strcmp(a, "--list"))
			h.list_only = 1;
		else if (!strcmp(a, "--list-cpus"))
			list_cpus = 1;
		else if (!strncmp(a, "--cpu=", 6))
			cpu_arg = a + 6;
		else if (!strncmp(a, "--state-out=", 12))
			state_out = a + 12;
		else if (!strncmp(a, "--probes-out=", 13))
			h.probes_out = a + 13;
		else if (!strcmp(a, "--probes-only"))
			h.probes_only = 1;
		else if (!strcmp(a, "--progress"))	/* gbshim's progress lines */
			gbargv[gbargc++] = argv[i];
		else if (!strncmp(a, "--filter=", 9))
			/* only matching cases are registered, so Google Benchmark needs no filter
			 * (its names carry a "/manual_time" suffix an anchored regex would miss) */
			filter = a + 9;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(argv[0]);
			return 0;
		} else if (!strncmp(a, "--benchmark_", 12))
			gbargv[gbargc++] = argv[i];
		else {
			usage(argv[0]);
			return 2;
		}
	}
	if (quick && target_ms > 5)
		target_ms = 5;
	int have_min_time = 0;
	for (int i = 1; i < gbargc; i++)
		have_min_time |= !strncmp(gbargv[i], "--benchmark_min_time", 20);
	if (!have_min_time) {
		/* measured time per benchmark per repetition */
		char *f = malloc(64);
		snprintf(f, 64, "--benchmark_min_time=%g", target_ms / 1000);
		gbargv[gbargc++] = f;
	}
	if (h.probes_only && !h.probes_out) {
		fprintf(stderr, "gmbench: --probes-only needs --probes-out=DIR\n");
		return 2;
	}
	h.argc = gbargc;
	h.argv = gbargv;

	/* the CPU: chosen and pinned before any thread exists, so that every thread a case
	 * creates (new m's, the thread-start floor) inherits the mask */
	gm_cpus_read(&h.cpus);
	if (list_cpus) {
		char why[400];
		int best = gm_cpu_choose(&h.cpus, why, sizeof why);
		int types[GM_MAXCPUS];
		int nt = gm_cpu_types(&h.cpus, types, GM_MAXCPUS);
		for (int i = 0; i < h.cpus.n; i++) {
			const struct gm_cpu *c = &h.cpus.cpu[i];
			int rep = 0;
			for (int k = 0; k < nt; k++)
				rep |= types[k] == c->cpu;
			printf("cpu %d\t%s\t%s\tcapacity %ld\tmax_khz %ld\t%s%s%s\n", c->cpu, c->type, c->id[0] ? c->id : "-",
			       c->capacity, c->max_khz, c->allowed ? "allowed" : "not-allowed",
			       rep ? "\ttype-representative" : "", c->cpu == best ? "\tdefault" : "");
		}
		return 0;
	}
	if (!strcmp(cpu_arg, "none")) {
		h.cpu = sched_getcpu();
		snprintf(h.choice, sizeof h.choice, "not pinned (CPU=none): the scheduler may move the run between CPUs");
	} else if (!strcmp(cpu_arg, "auto") || !*cpu_arg) {
		h.cpu = gm_cpu_choose(&h.cpus, h.choice, sizeof h.choice);
		h.pinned = h.cpu >= 0;
	} else {
		char *e;
		long c = strtol(cpu_arg, &e, 10);
		const struct gm_cpu *cp = *e ? NULL : gm_cpu_find(&h.cpus, (int)c);
		if (!cp || !cp->allowed) {
			fprintf(stderr, "gmbench: --cpu=%s: not an online CPU this process may run on (see --list-cpus)\n",
				cpu_arg);
			return 2;
		}
		h.cpu = (int)c;
		h.pinned = 1;
		snprintf(h.choice, sizeof h.choice, "CPU %d: given (CPU=%d), %s", h.cpu, h.cpu, cp->type);
	}
	/* SSBD=1: speculative store bypass disabled for the run, a state that otherwise
	 * changes under the run's feet (the ssb canary shows it) */
	const char *ssbd = getenv("GM_SSBD");
	if (ssbd && !strcmp(ssbd, "1") && !h.list_only && gm_ssb_disable() != 0) {
		fprintf(stderr, "gmbench: SSBD=1: cannot disable speculative store bypass here: %s\n", strerror(errno));
		return 2;
	}
	if (h.pinned && !h.list_only && gm_pin(h.cpu) != 0) {
		fprintf(stderr, "gmbench: cannot pin to CPU %d: %s\n", h.cpu, strerror(errno));
		return 2;
	}
	struct gm_mstate before, after;
	if (!h.list_only && !h.probes_only) {
		fprintf(stderr, "gmbench: measuring on %s\n", h.choice);
		gm_mstate_read(h.cpu, &before);
		fprintf(stderr, "gmbench: sizing batches...\n");
	}

	struct gm_side_host host = {
		.version = GM_SIDE_VERSION,
		.opts = { .filter = filter, .list_only = h.list_only, .probes_only = h.probes_only,
			  .target_ms = target_ms },
		.ready = host_ready,
		.arg = &h,
	};
	int rc = gm_side_main(&host);
	if (rc == GM_SIDE_NOCASE || rc == GM_SIDE_NOCOUNTER)
		return 2;
	if (!h.list_only && !h.probes_only) {
		char warn[4096];
		gm_mstate_read(h.cpu, &after);
		int nw = gm_mstate_judge(&before, &after, warn, sizeof warn);
		for (const char *w = warn; nw && *w;) {
			size_t l = strcspn(w, "\n");
			fprintf(stderr, "gmbench: WARNING: %.*s\n", (int)l, w);
			w += l + (w[l] == '\n');
		}
		if (state_out && write_state(state_out, &h, &before, &after, warn) != 0)
			return 2;
	}
	return rc ? 2 : 0;
}
