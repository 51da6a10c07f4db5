/*
 * pair.c — two sides of a comparison in one process, measured in pairs (C side).
 *
 * make compare links two sides (bench/side/side.h: the runtime model, its transitions and the
 * suites, one from each revision) into this host, each side SLOTS times, every copy with its
 * symbols renamed gmA<slot>_... and gmB<slot>_... and placed at its own offset
 * (scripts/compare/pair-link.sh writes the slot table, gm_pair_slots.c, and the placement
 * record, layout.txt).  The 2 x SLOTS copies are independent runtimes on one thread: each
 * starts from inside the previous one's ready(), deeper on the same stack; from inside the
 * last one's ready() the loop below measures, alternating A and B batches of the same size
 * on the same pinned CPU, in a random order per pair, each pair in the next slot (a code,
 * data and stack placement) of a shuffled cycle, so each pair shares whatever state the
 * machine is in and the pairs of one case visit every placement (many layouts in one
 * process: placement effects average out instead of deciding a verdict).  gm compare paired
 * analyses the pairs of several such processes.
 *
 *   gmpair --out=FILE [--filter=RE] [--reps=R] [--pairs=M] [--quick] [--cpu=N|auto|none]
 *          [--layout=K] [--seed=S] [--outer=A|B] [--skew-a=BYTES] [--skew-b=BYTES]
 *          [--g0-offset=BYTES] [--variants=X:Y[,X2:Y2...]] [--batch-us=US] [--list]
 *
 * --batch-us: the time of n operations in one measurement (default 20; it runs n, then 2n).
 * --skew-a/--skew-b/--g0-offset/--outer place a binary of one slot; with more slots, slot 0
 * is the reference place (no skew, A first) and the others' stack skews, g0 depths and start
 * orders are drawn from --seed and written to the output (slot_stack).
 * --variants pairs case X of side A with case Y of side B instead of equal names: with
 * the same build on both sides, that compares two variants of one binary (mask against
 * static, one TLS route against another) in pairs, as two builds are compared.
 */
#define _GNU_SOURCE
#include <alloca.h>
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../core/gm_counter.h"
#include "machine.h"
#include "../side/side.h"

/* scripts/compare/pair-link.sh generates these (gm_pair_slots.c) */
typedef int gm_side_main_fn(const struct gm_side_host *host);
extern const int gm_pair_nslots;
extern gm_side_main_fn *const gm_pair_main_a[], *const gm_pair_main_b[];

struct opts {
	const char *out, *filter, *cpu, *outer, *variants;
	int reps, pairs, quick, list;
	double batch_us;
	long layout;
	unsigned long seed;
	unsigned skew_a, skew_b, g0_offset;
};

static struct opts O = { .cpu = "auto", .outer = "A", .reps = 10, .pairs = 8, .layout = -1, .batch_us = 20,
			 .seed = 1 };
enum { MAXSLOTS = 512 };
static const struct gm_side *side_a, *side_b;        /* slot 0's: cases, counter, canary */
static const struct gm_side *slot_a[MAXSLOTS], *slot_b[MAXSLOTS];
static struct gm_side_host hosts[2 * MAXSLOTS];      /* in start order: outer, inner per slot */
static unsigned slot_skew[MAXSLOTS][2], slot_g0[MAXSLOTS];
static int nslots;
static unsigned char slot_outer_a[MAXSLOTS];	/* 1: the slot's A copy starts first */
static struct gm_cpus cpus;
static int cpu, pinned;
static char choice[400];
static struct gm_mstate before, after;
static double t_start, t_loop;	/* CLOCK_MONOTONIC_RAW ns: process start, measuring start */

/* xorshift: the order of cases and of A/B within a pair, reproducible from --seed */
static unsigned long rng;
static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct pcase {
	size_t ia, ib;
	const char *name, *unit;
	long batch;
	double *a, *b, *na, *nb;   /* per op: ticks A, ticks B, ns A, ns B */
	unsigned char *first;      /* 0: A measured first, 1: B first */
	unsigned short *rep, *slot;
	int in_ns;                 /* the side times this case with the clock: a/b hold ns too */
	size_t n;
	char err[200];
};

struct canary_row { int rep; struct gm_canary a, b; };

static void measure(const struct gm_side *s, size_t i, long n, struct gm_side_result *r)
{
	s->enter();
	s->measure(i, n, r);
}

/* One measurement of a pair's side, per operation.  The side's own figure is t(2n) - t(n)
 * (constant costs cancel), but on a VM the hypervisor takes the CPU for ~10 us thousands of
 * times a second, and an interruption of the first half makes that difference too small,
 * even negative: no statistic can tell it from a fast run.  So the host times the whole
 * call (n then 2n operations) with the same counter, where an interruption can only add
 * time, and a pair keeps each side's fastest of ROUNDS such calls.  The call's constant
 * costs (entry, reads) are the same code on both sides and below 1% of a batch.  Right
 * before it, a short untimed run warms this slot's code, data and stacks (the previous
 * measurement was another slot's). */
enum { ROUNDS = 3 };
static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void measure_once(const struct gm_side *s, size_t i, long n, double *ticks, double *ns, struct gm_side_result *r)
{
	const struct gm_counter *c = side_a->counter;
	measure(s, i, n / 8 + 1, r);
	if (r->rc)
		return;
	double k0 = now_ns();
	uint64_t c0 = c->read();
	s->measure(i, n, r);
	uint64_t c1 = c->read();
	double k1 = now_ns();
	*ticks = (double)gm_counter_delta(c, c0, c1) / (3.0 * (double)n);
	*ns = (k1 - k0) / (3.0 * (double)n);
}

static void jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fprintf(f, "null");
}

static void write_context(FILE *f, const struct gm_side *s)
{
	fprintf(f, "{");
	for (size_t i = 0; i < s->ncontext; i++) {
		fprintf(f, "%s", i ? ", " : "");
		gm_json_str(f, s->context[2 * i]);
		fprintf(f, ": ");
		gm_json_str(f, s->context[2 * i + 1]);
	}
	fprintf(f, "}");
}

static int write_out(struct pcase *pc, size_t npc, struct canary_row *cr, int ncr, const char *warn)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", O.out, (int)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "gmpair: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	const struct gm_counter *c = side_a->counter;
	fprintf(f, "{\n\"gmpair\": 1,\n\"layout\": %ld,\n\"seed\": %lu,\n\"outer\": ", O.layout, O.seed);
	gm_json_str(f, O.outer);
	fprintf(f, ",\n\"stack_skew\": {\"a\": %u, \"b\": %u},\n\"g0_offset\": %u,\n\"pid\": %d,\n", O.skew_a, O.skew_b,
		O.g0_offset, (int)getpid());
	/* every slot's stack placement (its code and data placement: layout.txt beside the binary) */
	fprintf(f, "\"slots\": %d,\n\"slot_stack_fields\": [\"skew_a\", \"skew_b\", \"g0_offset\", \"a_first\"],\n\"slot_stack\": [", nslots);
	for (int i = 0; i < nslots; i++)
		fprintf(f, "%s[%u,%u,%u,%d]", i ? (i % 8 ? "," : ",\n  ") : "", slot_skew[i][0], slot_skew[i][1], slot_g0[i],
			slot_outer_a[i]);
	fprintf(f, "],\n");
	char ssb[200];
	gm_ssb_state(ssb, sizeof ssb);
	fprintf(f, "\"store_bypass\": ");
	gm_json_str(f, ssb);
	fprintf(f, ",\n\"seconds\": {\"start\": %.3f, \"measure\": %.3f}", (t_loop - t_start) / 1e9,
		(now_ns() - t_loop) / 1e9);
	fprintf(f, ",\n\"reps\": %d,\n\"pairs_per_rep\": %d,\n\"per_op\": \"the fastest of %d timed calls of n then 2n "
		"operations, divided by 3n\",\n\"counter\": ", O.reps, O.pairs, ROUNDS);
	gm_json_str(f, c->name);
	fprintf(f, ",\n\"unit\": ");
	gm_json_str(f, c->unit_name);
	fprintf(f, ",\n\"context_a\": ");
	write_context(f, side_a);
	fprintf(f, ",\n\"context_b\": ");
	write_context(f, side_b);
	fprintf(f, ",\n\"machine\": ");
	gm_mstate_json(f, &cpus, cpu, choice, pinned, &before, &after, warn);
	fprintf(f, ",\n\"canary\": [");
	for (int i = 0; i < ncr; i++) {
		fprintf(f, "%s\n  {\"rep\": %d, \"a\": [", i ? "," : "", cr[i].rep);
		jnum(f, cr[i].a.add), fputc(',', f), jnum(f, cr[i].a.call), fputc(',', f), jnum(f, cr[i].a.ssb);
		fprintf(f, "], \"b\": [");
		jnum(f, cr[i].b.add), fputc(',', f), jnum(f, cr[i].b.call), fputc(',', f), jnum(f, cr[i].b.ssb);
		fprintf(f, "]}");
	}
	fprintf(f, "\n],\n\"canary_fields\": [\"add\", \"call\", \"ssb\"],\n\"cases\": [");
	for (size_t k = 0; k < npc; k++) {
		struct pcase *p = &pc[k];
		fprintf(f, "%s\n {\"name\": ", k ? "," : "");
		gm_json_str(f, p->name);
		fprintf(f, ", \"unit\": ");
		gm_json_str(f, p->unit);
		fprintf(f, ", \"batch\": %ld", p->batch);
		if (p->err[0]) {
			fprintf(f, ", \"error\": ");
			gm_json_str(f, p->err);
		}
		fprintf(f, ",\n  \"pairs\": [");
		for (size_t i = 0; i < p->n; i++) {
			fprintf(f, "%s[", i ? (i % 4 ? ", " : ",\n   ") : "");
			jnum(f, p->a[i]), fputc(',', f), jnum(f, p->b[i]), fputc(',', f);
			jnum(f, p->na[i]), fputc(',', f), jnum(f, p->nb[i]);
			fprintf(f, ",%d,%d,%d]", p->first[i], p->rep[i], p->slot[i]);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n],\n\"pair_fields\": [\"a\", \"b\", \"a_ns\", \"b_ns\", \"b_first\", \"rep\", \"slot\"]\n}\n");
	if (fclose(f) != 0 || rename(tmp, O.out) != 0) {
		fprintf(stderr, "gmpair: writing %s failed: %s\n", O.out, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Both sides are up: side A waits in its ready(), side B in this one. */
static int pair_loop(void)
{
	const struct gm_side *A = side_a, *B = side_b;
	if (A->counter->unit != B->counter->unit || strcmp(A->counter->name, B->counter->name)) {
		fprintf(stderr, "gmpair: the sides chose different counters (%s, %s): nothing to pair\n",
			A->counter->name, B->counter->name);
		return 2;
	}
	struct pcase *pc = calloc(A->ncases + 64, sizeof *pc);
	size_t npc = 0;
	size_t cap = (size_t)O.reps * (size_t)O.pairs;
	if (O.variants) {
		/* X:Y pairs of case names, comma separated */
		char *list = strdup(O.variants), *save = NULL;
		for (char *tok = strtok_r(list, ",", &save); tok && npc < A->ncases + 64; tok = strtok_r(NULL, ",", &save)) {
			char *colon = strchr(tok, ':');
			if (!colon) {
				fprintf(stderr, "gmpair: --variants: '%s' is not X:Y\n", tok);
				return 2;
			}
			*colon = 0;
			size_t i, j;
			for (i = 0; i < A->ncases && strcmp(A->cases[i].name, tok); i++)
				;
			for (j = 0; j < B->ncases && strcmp(B->cases[j].name, colon + 1); j++)
				;
			if (i == A->ncases || j == B->ncases) {
				fprintf(stderr, "gmpair: --variants: no case %s here (see gmbench --list)\n",
					i == A->ncases ? tok : colon + 1);
				return 2;
			}
			if (strcmp(A->cases[i].unit, B->cases[j].unit)) {
				fprintf(stderr, "gmpair: --variants: %s and %s are measured in %s and %s\n", tok, colon + 1,
					A->cases[i].unit, B->cases[j].unit);
				return 2;
			}
			struct pcase *p = &pc[npc++];
			p->ia = i;
			p->ib = j;
			char *nm = malloc(strlen(tok) + strlen(colon + 1) + 2);
			sprintf(nm, "%s:%s", tok, colon + 1);
			p->name = nm;
			p->unit = A->cases[i].unit;
			p->batch = A->cases[i].batch;
		}
	}
	for (size_t i = 0; !O.variants && i < A->ncases; i++) {
		size_t j;
		for (j = 0; j < B->ncases; j++)
			if (!strcmp(A->cases[i].name, B->cases[j].name))
				break;
		if (j == B->ncases) {
			fprintf(stderr, "gmpair: %s: only in side A\n", A->cases[i].name);
			continue;
		}
		if (strcmp(A->cases[i].unit, B->cases[j].unit)) {
			fprintf(stderr, "gmpair: %s: the sides measure it in %s and %s: not paired\n", A->cases[i].name,
				A->cases[i].unit, B->cases[j].unit);
			continue;
		}
		struct pcase *p = &pc[npc++];
		p->ia = i;
		p->ib = j;
		p->name = A->cases[i].name;
		p->unit = A->cases[i].unit;
		p->batch = A->cases[i].batch;
	}
	for (size_t k = 0; k < npc; k++) {
		struct pcase *p = &pc[k];
		/* The side sizes a batch for ~200 us per n operations.  On a VM the hypervisor
		 * takes the CPU away thousands of times a second for ~10 us: a short batch is
		 * hit rarely, and a pair keeps each side's fastest of ROUNDS calls (measure_once). */
		p->batch = (long)((double)p->batch * O.batch_us / 200.0 + 0.5);
		if (p->batch < 1)
			p->batch = 1;
		p->a = calloc(cap, sizeof *p->a);
		p->b = calloc(cap, sizeof *p->b);
		p->na = calloc(cap, sizeof *p->na);
		p->nb = calloc(cap, sizeof *p->nb);
		p->first = calloc(cap, 1);
		p->rep = calloc(cap, sizeof *p->rep);
		p->slot = calloc(cap, sizeof *p->slot);
		p->in_ns = strcmp(p->unit, side_a->counter->unit_name) != 0;
	}
	for (size_t j = 0; !O.variants && j < B->ncases; j++) {
		size_t i;
		for (i = 0; i < A->ncases && strcmp(A->cases[i].name, B->cases[j].name); i++)
			;
		if (i == A->ncases)
			fprintf(stderr, "gmpair: %s: only in side B\n", B->cases[j].name);
	}
	if (!npc) {
		fprintf(stderr, "gmpair: no case in common\n");
		return 2;
	}
	if (O.list) {
		for (size_t k = 0; k < npc; k++)
			printf("%s\n", pc[k].name);
		return 0;
	}
	struct canary_row *cr = calloc((size_t)O.reps, sizeof *cr);
	size_t *order = calloc(npc, sizeof *order);
	/* each case walks its own shuffled cycle of the slots: every slot once before any twice */
	int *cycle = calloc((size_t)npc * (size_t)nslots, sizeof *cycle);
	size_t *cpos = calloc(npc, sizeof *cpos);
	t_loop = now_ns();
	/* warm-up: every case once on each side of every slot (first-call paths, page faults) */
	for (int sl = 0; sl < nslots; sl++)
		for (size_t k = 0; k < npc; k++) {
			struct gm_side_result r;
			measure(slot_a[sl], pc[k].ia, pc[k].batch, &r);
			measure(slot_b[sl], pc[k].ib, pc[k].batch, &r);
		}
	for (int rep = 0; rep < O.reps; rep++) {
		cr[rep].rep = rep;
		A->enter();
		if (rep & 1) {
			B->enter(), B->canary(&cr[rep].b), A->enter(), A->canary(&cr[rep].a);
		} else {
			A->canary(&cr[rep].a), B->enter(), B->canary(&cr[rep].b);
		}
		for (size_t k = 0; k < npc; k++)
			order[k] = k;
		for (size_t k = npc; k > 1; k--) {
			size_t x = rnd() % k, t = order[k - 1];
			order[k - 1] = order[x];
			order[x] = t;
		}
		for (size_t q = 0; q < npc; q++) {
			struct pcase *p = &pc[order[q]];
			if (p->err[0])
				continue;
			size_t ci = (size_t)(p - pc);
			int *cyc = cycle + ci * (size_t)nslots;
			for (int m = 0; m < O.pairs; m++) {
				if (cpos[ci] % (size_t)nslots == 0) {
					for (int x = 0; x < nslots; x++)
						cyc[x] = x;
					for (int x = nslots; x > 1; x--) {
						int y = (int)(rnd() % (unsigned long)x), t = cyc[x - 1];
						cyc[x - 1] = cyc[y];
						cyc[y] = t;
					}
				}
				int sl = cyc[cpos[ci]++ % (size_t)nslots];
				int bfirst = (int)(rnd() & 1);
				struct gm_side_result ra = { 0 }, rb = { 0 };
				double ta = INFINITY, tb = INFINITY, sa = INFINITY, sb = INFINITY;
				for (int round = 0; round < ROUNDS && !ra.rc && !rb.rc; round++) {
					double t, ns;
					for (int side = 0; side < 2; side++) {
						if ((side == 0) == ((bfirst ^ round) & 1)) {
							measure_once(slot_b[sl], p->ib, p->batch, &t, &ns, &rb);
							tb = fmin(tb, t), sb = fmin(sb, ns);
						} else {
							measure_once(slot_a[sl], p->ia, p->batch, &t, &ns, &ra);
							ta = fmin(ta, t), sa = fmin(sa, ns);
						}
					}
				}
				if (ra.rc || rb.rc) {
					snprintf(p->err, sizeof p->err, "side %s: %s", ra.rc ? "A" : "B", ra.rc ? ra.err : rb.err);
					fprintf(stderr, "gmpair: %s: %s\n", p->name, p->err);
					break;
				}
				p->a[p->n] = p->in_ns ? sa : ta;
				p->b[p->n] = p->in_ns ? sb : tb;
				p->na[p->n] = sa;
				p->nb[p->n] = sb;
				p->first[p->n] = (unsigned char)bfirst;
				p->rep[p->n] = (unsigned short)rep;
				p->slot[p->n] = (unsigned short)sl;
				p->n++;
			}
		}
		fprintf(stderr, "gmpair: repetition %d/%d done\n", rep + 1, O.reps);
	}
	char warn[4096];
	gm_mstate_read(cpu, &after);
	int nw = gm_mstate_judge(&before, &after, warn, sizeof warn);
	for (const char *w = warn; nw && *w;) {
		size_t l = strcspn(w, "\n");
		fprintf(stderr, "gmpair: WARNING: %.*s\n", (int)l, w);
		w += l + (w[l] == '\n');
	}
	return write_out(pc, npc, cr, O.reps, warn) == 0 ? 0 : 2;
}

/* Start order: level 2i is slot i's outer side, 2i+1 its inner side; each starts from inside
 * the ready() of the level before, so every runtime waits in its ready(), in C on its g0
 * stack, while the loop runs from the last one's. */
static int start_level(int level);

static int ready_chain(const struct gm_side *s, void *arg)
{
	int level = (int)(uintptr_t)arg, slot = level / 2;
	int is_a = (level % 2 == 0) == slot_outer_a[slot];
	if (level == 0) {
		/* the first copy has calibrated the counter on this CPU: the others take its figures */
		const struct gm_counter *c = s->counter;
		char cal[200];
		snprintf(cal, sizeof cal, "%s %.17g %.17g %.17g %.17g %.17g", c->name, c->ticks_per_ns,
			 c->cycles_per_tick, c->read_overhead, c->read_overhead_med, c->resolution);
		setenv("GM_COUNTER_CALIBRATION", cal, 1);
	}
	if (is_a)
		slot_a[slot] = s;
	else
		slot_b[slot] = s;
	if (level + 1 == 2 * nslots) {
		side_a = slot_a[0];
		side_b = slot_b[0];
		return pair_loop();
	}
	/* the next runtime's g0 stack starts this much deeper (a stack placement of its slot) */
	volatile char *pad = alloca(slot_g0[(level + 1) / 2] + 16);
	pad[0] = 0;
	return start_level(level + 1);
}

static int start_level(int level)
{
	int slot = level / 2, is_a = (level % 2 == 0) == slot_outer_a[slot];
	int rc = (is_a ? gm_pair_main_a : gm_pair_main_b)[slot](&hosts[level]);
	if (rc == GM_SIDE_NOCASE || rc == GM_SIDE_NOCOUNTER)
		fprintf(stderr, "gmpair: side %c of slot %d did not start (%s)\n", is_a ? 'A' : 'B', slot,
			rc == GM_SIDE_NOCASE ? "no case matches" : "counter unusable");
	return rc < 0 ? 2 : rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: gmpair --out=FILE [--filter=RE] [--reps=R] [--pairs=M] [--quick] [--cpu=N|auto|none]\n"
			"              [--layout=K] [--seed=S] [--outer=A|B] [--skew-a=B] [--skew-b=B]\n"
			"              [--g0-offset=B] [--variants=X:Y,...] [--batch-us=US] [--list]\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--out=", 6))
			O.out = a + 6;
		else if (!strncmp(a, "--filter=", 9))
			O.filter = a + 9;
		else if (!strncmp(a, "--reps=", 7))
			O.reps = atoi(a + 7);
		else if (!strncmp(a, "--pairs=", 8))
			O.pairs = atoi(a + 8);
		else if (!strcmp(a, "--quick"))
			O.quick = 1;
		else if (!strcmp(a, "--list"))
			O.list = 1;
		else if (!strncmp(a, "--batch-us=", 11))
			O.batch_us = atof(a + 11);
		else if (!strncmp(a, "--cpu=", 6))
			O.cpu = a + 6;
		else if (!strncmp(a, "--layout=", 9))
			O.layout = atol(a + 9);
		else if (!strncmp(a, "--seed=", 7))
			O.seed = strtoul(a + 7, NULL, 0);
		else if (!strncmp(a, "--outer=", 8))
			O.outer = a + 8;
		else if (!strncmp(a, "--variants=", 11))
			O.variants = a + 11;
		else if (!strncmp(a, "--skew-a=", 9))
			O.skew_a = (unsigned)atoi(a + 9);
		else if (!strncmp(a, "--skew-b=", 9))
			O.skew_b = (unsigned)atoi(a + 9);
		else if (!strncmp(a, "--g0-offset=", 12))
			O.g0_offset = (unsigned)atoi(a + 12) & ~15u;
		else {
			usage();
			return 2;
		}
	}
	if ((!O.out && !O.list) || O.reps < 1 || O.pairs < 1 || O.reps > 60000 || !(O.batch_us > 0 && O.batch_us <= 1e6)) {
		usage();
		return 2;
	}
	t_start = now_ns();
	rng = O.seed ? O.seed : 1;
	gm_cpus_read(&cpus);
	if (!strcmp(O.cpu, "none")) {
		cpu = sched_getcpu();
		snprintf(choice, sizeof choice, "not pinned (CPU=none)");
	} else if (!strcmp(O.cpu, "auto") || !*O.cpu) {
		cpu = gm_cpu_choose(&cpus, choice, sizeof choice);
		pinned = cpu >= 0;
	} else {
		char *e;
		cpu = (int)strtol(O.cpu, &e, 10);
		const struct gm_cpu *c = *e ? NULL : gm_cpu_find(&cpus, cpu);
		if (!c || !c->allowed) {
			fprintf(stderr, "gmpair: --cpu=%s: not an online CPU this process may run on\n", O.cpu);
			return 2;
		}
		pinned = 1;
		snprintf(choice, sizeof choice, "CPU %d: given, %s", cpu, c->type);
	}
	const char *ssbd = getenv("GM_SSBD");
	if (ssbd && !strcmp(ssbd, "1") && gm_ssb_disable() != 0) {
		fprintf(stderr, "gmpair: SSBD=1: cannot disable speculative store bypass here: %s\n", strerror(errno));
		return 2;
	}
	if (pinned && gm_pin(cpu) != 0) {
		fprintf(stderr, "gmpair: cannot pin to CPU %d: %s\n", cpu, strerror(errno));
		return 2;
	}
	gm_mstate_read(cpu, &before);
	double target = O.quick ? 5 : 25;
	nslots = gm_pair_nslots;
	if (nslots < 1 || nslots > MAXSLOTS) {
		fprintf(stderr, "gmpair: %d slots: this binary was linked wrong (1 to %d)\n", nslots, MAXSLOTS);
		return 2;
	}
	/* Slot 0 is the reference: the same code and data place in every binary (pair-link.sh),
	 * and here the same stack place and start order in every process, so the canary measured
	 * there names the machine's state, not a placement.  With one slot, the options give it.
	 * The other slots' stack placements and start orders are drawn from the seed (16-byte
	 * steps below 4 KiB). */
	for (int i = 0; i < nslots; i++) {
		int given = nslots == 1;
		slot_skew[i][0] = i ? (unsigned)(rnd() % 256) * 16 : given ? O.skew_a : 0;
		/* both sides of a slot at the same stack offset, as at the same code offset */
		slot_skew[i][1] = i ? slot_skew[i][0] : given ? O.skew_b : 0;
		slot_g0[i] = i ? (unsigned)(rnd() % 256) * 16 : given ? O.g0_offset : 0;
		slot_outer_a[i] = i ? (unsigned char)(rnd() & 1) : given ? strcmp(O.outer, "B") != 0 : 1;
	}
	/* batches are sized once, by slot 0's sides (the other copies are the same code:
	 * probes_only skips their trials) */
	for (int level = 0; level < 2 * nslots; level++) {
		int slot = level / 2, is_a = (level % 2 == 0) == slot_outer_a[slot];
		hosts[level] = (struct gm_side_host){ .version = GM_SIDE_VERSION, .ready = ready_chain,
			.arg = (void *)(uintptr_t)level,
			.opts = { .filter = O.filter, .target_ms = target, .quiet = level > 0, .probes_only = slot > 0,
				  .stack_skew = slot_skew[slot][is_a ? 0 : 1] } };
	}
	volatile char *pad = alloca(slot_g0[0] + 16);
	pad[0] = 0;
	int rc = start_level(0);
	return rc ? 2 : 0;
}
