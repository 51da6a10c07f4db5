/*
 * pair.c — two sides of a comparison in one process, measured in pairs (C side).
 *
 * make compare links two sides (bench/side/side.h: the runtime model, its transitions and the
 * suites, one from each revision) into this host with their symbols renamed gmA_... and
 * gmB_... (scripts/compare/pair-link.sh), so they are two independent runtimes on one thread.
 * Side A starts first; from inside its ready() side B starts, deeper on the same stack;
 * from inside B's ready() the loop below measures both, alternating A and B batches of
 * the same size on the same pinned CPU, in a random order per pair, so each pair of
 * samples shares whatever state the machine is in.  gm compare paired analyses the pairs
 * of several such processes (and layouts).
 *
 *   gmpair --out=FILE [--filter=RE] [--reps=R] [--pairs=M] [--quick] [--cpu=N|auto|none]
 *          [--layout=K] [--seed=S] [--order=AB|BA] [--outer=A|B] [--skew-a=BYTES] [--skew-b=BYTES]
 *          [--g0-offset=BYTES] [--variants=X:Y[,X2:Y2...]] [--list]
 *
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
#include <unistd.h>

#include "../../core/gm_counter.h"
#include "machine.h"
#include "../side/side.h"

int gmA_gm_side_main(const struct gm_side_host *host);
int gmB_gm_side_main(const struct gm_side_host *host);

struct opts {
	const char *out, *filter, *cpu, *order, *outer, *variants;
	int reps, pairs, quick, list;
	long layout;
	unsigned long seed;
	unsigned skew_a, skew_b, g0_offset;
};

static struct opts O = { .cpu = "auto", .order = "AB", .outer = "A", .reps = 10, .pairs = 8, .layout = -1,
			 .seed = 1 };
static const struct gm_side *side_a, *side_b;
static struct gm_side_host host_a, host_b;
static struct gm_cpus cpus;
static int cpu, pinned;
static char choice[400];
static struct gm_mstate before, after;

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
	unsigned short *rep;
	size_t n;
	char err[200];
};

struct canary_row { int rep; struct gm_canary a, b; };

static void measure(const struct gm_side *s, size_t i, long n, struct gm_side_result *r)
{
	s->enter();
	s->measure(i, n, r);
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
	fprintf(f, "{\n\"gmpair\": 1,\n\"layout\": %ld,\n\"seed\": %lu,\n\"order\": ", O.layout, O.seed);
	gm_json_str(f, O.order);
	fprintf(f, ",\n\"outer\": ");
	gm_json_str(f, O.outer);
	fprintf(f, ",\n\"stack_skew\": {\"a\": %u, \"b\": %u},\n\"g0_offset\": %u,\n\"pid\": %d,\n", O.skew_a, O.skew_b,
		O.g0_offset, (int)getpid());
	char ssb[200];
	gm_ssb_state(ssb, sizeof ssb);
	fprintf(f, "\"store_bypass\": ");
	gm_json_str(f, ssb);
	fprintf(f, ",\n\"reps\": %d,\n\"pairs_per_rep\": %d,\n\"counter\": ", O.reps, O.pairs);
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
			fprintf(f, ",%d,%d]", p->first[i], p->rep[i]);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n],\n\"pair_fields\": [\"a\", \"b\", \"a_ns\", \"b_ns\", \"b_first\", \"rep\"]\n}\n");
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
		p->a = calloc(cap, sizeof *p->a);
		p->b = calloc(cap, sizeof *p->b);
		p->na = calloc(cap, sizeof *p->na);
		p->nb = calloc(cap, sizeof *p->nb);
		p->first = calloc(cap, 1);
		p->rep = calloc(cap, sizeof *p->rep);
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
	/* warm-up: every case once on each side (first-call paths, page faults) */
	for (size_t k = 0; k < npc; k++) {
		struct gm_side_result r;
		measure(A, pc[k].ia, pc[k].batch, &r);
		measure(B, pc[k].ib, pc[k].batch, &r);
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
			for (int m = 0; m < O.pairs; m++) {
				int bfirst = (int)(rnd() & 1);
				struct gm_side_result ra, rb;
				if (bfirst) {
					measure(B, p->ib, p->batch, &rb);
					measure(A, p->ia, p->batch, &ra);
				} else {
					measure(A, p->ia, p->batch, &ra);
					measure(B, p->ib, p->batch, &rb);
				}
				if (ra.rc || rb.rc) {
					snprintf(p->err, sizeof p->err, "side %s: %s", ra.rc ? "A" : "B", ra.rc ? ra.err : rb.err);
					fprintf(stderr, "gmpair: %s: %s\n", p->name, p->err);
					break;
				}
				double n = (double)p->batch;
				p->a[p->n] = ra.ticks / n;
				p->b[p->n] = rb.ticks / n;
				p->na[p->n] = ra.ns / n;
				p->nb[p->n] = rb.ns / n;
				p->first[p->n] = (unsigned char)bfirst;
				p->rep[p->n] = (unsigned short)rep;
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

/* arg: 'A' or 'B', the side that is now up */
static int ready_inner(const struct gm_side *s, void *arg)
{
	if ((char)(uintptr_t)arg == 'A')
		side_a = s;
	else
		side_b = s;
	return pair_loop();
}

/* The outer side is up and waits here, in C on its g0 stack: start the other from here. */
static int ready_outer(const struct gm_side *s, void *arg)
{
	int outer_a = (char)(uintptr_t)arg == 'A';
	if (outer_a)
		side_a = s;
	else
		side_b = s;
	/* the inner runtime's g0 stack starts this much deeper (a layout factor) */
	volatile char *pad = alloca(O.g0_offset + 16);
	pad[0] = 0;
	int rc = outer_a ? gmB_gm_side_main(&host_b) : gmA_gm_side_main(&host_a);
	if (rc == GM_SIDE_NOCASE || rc == GM_SIDE_NOCOUNTER)
		fprintf(stderr, "gmpair: side %c did not start (%s)\n", outer_a ? 'B' : 'A',
			rc == GM_SIDE_NOCASE ? "no case matches" : "counter unusable");
	return rc < 0 ? 2 : rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: gmpair --out=FILE [--filter=RE] [--reps=R] [--pairs=M] [--quick] [--cpu=N|auto|none]\n"
			"              [--layout=K] [--seed=S] [--order=AB|BA] [--skew-a=B] [--skew-b=B]\n"
			"              [--g0-offset=B] [--variants=X:Y,...] [--list]\n");
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
		else if (!strncmp(a, "--cpu=", 6))
			O.cpu = a + 6;
		else if (!strncmp(a, "--layout=", 9))
			O.layout = atol(a + 9);
		else if (!strncmp(a, "--seed=", 7))
			O.seed = strtoul(a + 7, NULL, 0);
		else if (!strncmp(a, "--order=", 8))
			O.order = a + 8;
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
	if ((!O.out && !O.list) || O.reps < 1 || O.pairs < 1 || O.reps > 60000) {
		usage();
		return 2;
	}
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
	/* the outer side starts first, on this stack; the inner one from inside its ready() */
	int outer_a = strcmp(O.outer, "B") != 0;
	host_a = (struct gm_side_host){ .version = GM_SIDE_VERSION, .ready = outer_a ? ready_outer : ready_inner,
		.arg = (void *)(uintptr_t)'A',
		.opts = { .filter = O.filter, .target_ms = target, .quiet = !outer_a, .stack_skew = O.skew_a } };
	host_b = (struct gm_side_host){ .version = GM_SIDE_VERSION, .ready = outer_a ? ready_inner : ready_outer,
		.arg = (void *)(uintptr_t)'B',
		.opts = { .filter = O.filter, .target_ms = target, .quiet = outer_a, .stack_skew = O.skew_b } };
	int rc = outer_a ? gmA_gm_side_main(&host_a) : gmB_gm_side_main(&host_b);
	if (rc == GM_SIDE_NOCASE || rc == GM_SIDE_NOCOUNTER) {
		fprintf(stderr, "gmpair: side %s did not start\n", outer_a ? "A" : "B");
		return 2;
	}
	return rc ? 2 : 0;
}
