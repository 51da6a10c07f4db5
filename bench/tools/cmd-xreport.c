/*
 * cmd-xreport.c — gm xreport (docs/tools/xreport.md): many run folders into one
 * cross-board report.  This part finds the runs, reads each into its repetitions and
 * flags, and merges them into series keyed by (board, core, counter, benchmark); the
 * outputs are written by cmd-xreport-out.c into a run folder that appears whole.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd-xreport.h"
#include "cmds.h"
#include "util/load.h"

struct run *runs;
size_t nruns, capruns;
struct board *boards;
size_t nboards, capboards;
struct series *ser;
size_t nser, capser;

/* Append a copy of s to the list unless it is there already (first-seen order). */
void add_unique(char ***list, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s))
			return;
	GROW(*list, *n, *cap);
	(*list)[(*n)++] = xstrdup(s);
}

/* "suite/transition" of a benchmark name "suite/transition/variant..." into t. */
void trans_of(const char *bench, char *t, size_t size)
{
	snprintf(t, size, "%s", bench);
	char *s1 = strchr(t, '/');
	char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (s2)
		*s2 = 0;
}

/* ------------------------------------------------------------------ helpers */
#define jstr gm_jstr
#define jnum gm_jnum

/* anything at P (a folder, a symlink loop, an unreadable file too): only a missing file
 * is absent; the loaders then fail on what cannot be read (issue 22) */
static int file_exists(const char *p)
{
	return gm_optional_file(p) != GM_ABSENT;
}

static int dir_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static json_t *load_json(const char *dir, const char *name, int required)
{
	char p[4096];
	struct gm_lerr err;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (!file_exists(p)) {
		if (required)
			xdie("%s: no %s: not a gmbench run folder (make bench writes bench.json and context.json)", dir, name);
		return NULL;
	}
	json_t *j = gm_load(p, GM_GB, &err);
	if (!j)
		xdie("%s: corrupted or not JSON (line %d: %s)", p, err.line, err.text);
	if (!json_is_object(j))
		xdie("%s: not a JSON object", p);
	return j;
}

/* a label's characters for file names and table columns */
char *clean(const char *s)
{
	char *o = xstrdup(s);
	for (char *p = o; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-' || *p == '@' || *p == '+'))
			*p = '-';
	return o;
}

static void add_trans(struct run *r, const char *bench)
{
	char t[512];
	trans_of(bench, t, sizeof t);
	add_unique(&r->trans, &r->ntrans, &r->captrans, t);
}

static int has_trans(const struct run *r, const char *t)
{
	for (size_t i = 0; i < r->ntrans; i++)
		if (!strcmp(r->trans[i], t))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ reading a run */
struct pending { char *bench; struct rep rep; };
static struct pending *pend;
static size_t npend, cappend;

/* The core column: the core type and its identity ("AMD EPYC [AuthenticAMD family 26 model 2
 * stepping 1]", "Cortex-A72 [0x41:0xd08 r0p3]"), from context.json, or in older runs from
 * machine.json's entry for the measured CPU; a type alone where neither has it. */
static char *core_of(json_t *ctx, json_t *m)
{
	const char *core = jstr(ctx, "gm_core_measured"), *id = jstr(ctx, "gm_core_id");
	if (!id || !*id) {
		json_t *cpu = json_object_get(m, "cpu_measured"), *c;
		size_t i;
		id = NULL;
		json_array_foreach(json_object_get(m, "cpus"), i, c)
			if (json_is_integer(cpu) && json_equal(json_object_get(c, "cpu"), cpu))
				id = jstr(c, "id");
	}
	char buf[256];
	snprintf(buf, sizeof buf, "%s%s%s%s", core && *core ? core : "unknown core", id && *id ? " [" : "",
		 id && *id ? id : "", id && *id ? "]" : "");
	return xstrdup(buf);
}

static void read_run(const char *dir)
{
	json_t *bench = load_json(dir, "bench.json", 1);
	json_t *ctx = load_json(dir, "context.json", 1);
	json_t *mach = load_json(dir, "machine.json", 0);
	json_t *bj = load_json(dir, "board.json", 0);
	json_t *rows = json_object_get(bench, "benchmarks");
	if (!json_is_array(rows))
		xdie("%s/bench.json: no \"benchmarks\" array: not a Google Benchmark file", dir);
	const char *unit = jstr(ctx, "gm_counter_unit"), *counter = jstr(ctx, "gm_counter");
	const char *port = jstr(ctx, "gm_port");
	if (!unit || !counter || !port)
		xdie("%s/context.json: no gm_counter, gm_counter_unit or gm_port: not gmbench's context", dir);
	if (strcmp(unit, "cycles") && strcmp(unit, "ticks") && strcmp(unit, "ns"))
		xdie("%s/context.json: unknown counter unit '%s'", dir, unit);

	GROW(runs, nruns, capruns);
	struct run *r = &runs[nruns];
	memset(r, 0, sizeof *r);
	r->dir = xstrdup(dir);
	r->unit = xstrdup(unit);
	r->counter = xstrdup(counter);
	r->port = xstrdup(port);
	json_t *m = mach ? mach : json_object_get(ctx, "machine");
	r->core = core_of(ctx, m);
	const char *rev = jstr(ctx, "gm_git_rev");
	r->rev = xstrdup(rev ? rev : "norev");

	/* the board: board.json's model (a LAVA job), or the run's host id (scripts/hostid.sh,
	   which tells two machines with one hostname apart), or, in runs older than the host
	   id in context.json, the host's name and the port */
	const char *model = bj ? jstr(bj, "model") : NULL;
	const char *host = jstr(ctx, "host_name"), *hostid = jstr(ctx, "gm_host_id");
	char base[512];
	if (model && *model && strncmp(model, "unknown", 7))
		snprintf(base, sizeof base, "%s-%s", model, port);
	else if (hostid && *hostid)
		snprintf(base, sizeof base, "%s", hostid);
	else
		snprintf(base, sizeof base, "%s-%s", host ? host : "host", port);
	r->base = clean(base);

	/* flags, kept per run and merged into the board later */
	struct board tmp = { 0 };
	const char *emu = jstr(ctx, "gm_emulated");
	const char *bemu = bj ? jstr(bj, "emulated") : NULL;
	char why[512];
	if (emu && strcmp(emu, "no")) {
		snprintf(why, sizeof why, "%s", emu);
		tmp.emu_why = xstrdup(why);
	} else if (bemu && !strncmp(bemu, "yes", 3)) {
		snprintf(why, sizeof why, "%s", bemu);
		tmp.emu_why = xstrdup(why);
	}
	if (json_is_object(m)) {
		const char *when[2] = { "before", "after" };
		for (int w = 0; w < 2; w++) {
			json_t *st = json_object_get(m, when[w]);
			if (!json_is_object(st))
				continue;
			const char *g = jstr(st, "governor");
			if (g && strcmp(g, "performance") && !tmp.gov)
				tmp.gov = xstrdup(g);
			/* the firmware's flag word (-1: not a Pi); anything else would be cast to a long */
			double th = jnum(st, "throttled");
			if (!isnan(th) && (th != floor(th) || th < -1 || th > 4294967295.0))
				xdie("%s/machine.json: %s.throttled is not the firmware's flag word (-1 or 0 to 2^32-1)", dir,
				     when[w]);
			if (!isnan(th) && th > 0 && ((long)th & 0xf) && !tmp.throttle) {
				snprintf(why, sizeof why, "Raspberry Pi firmware flags 0x%lx %s the run", (long)th, when[w]);
				tmp.throttle = xstrdup(why);
			}
			double cool = jnum(st, "cooling_active");
			if (!isnan(cool) && cool > 0 && !tmp.throttle) {
				snprintf(why, sizeof why, "cooling device active %s the run", when[w]);
				tmp.throttle = xstrdup(why);
			}
		}
		json_t *ws = json_object_get(m, "warnings");
		size_t i;
		json_t *w;
		json_array_foreach(ws, i, w) {
			if (!json_is_string(w))
				continue;
			const char *s = json_string_value(w);
			if (strstr(s, "throttl") && !tmp.throttle)
				tmp.throttle = xstrdup(s);
			else if (!strstr(s, "governor")) {
				GROW(tmp.warn, tmp.nwarn, tmp.capwarn);
				tmp.warn[tmp.nwarn++] = xstrdup(s);
			}
		}
	} else {
		tmp.gov = xstrdup("not recorded (no machine.json)");
	}
	if (!tmp.gov) {
		const char *g = jstr(ctx, "gm_governor");
		if (g && strcmp(g, "performance"))
			tmp.gov = xstrdup(g);
	}

	/* the repetitions */
	size_t i, nrep = 0;
	json_t *row;
	json_array_foreach(rows, i, row) {
		const char *rt = jstr(row, "run_type");
		if (!rt || strcmp(rt, "iteration"))
			continue;
		const char *rn = jstr(row, "run_name");
		if (!rn)
			rn = jstr(row, "name");
		if (!rn)
			xdie("%s/bench.json: row %zu has no name", dir, i);
		char name[512];
		gb_base_name(rn, name, sizeof name);
		if (!strncmp(name, "peer/", 5))
			continue;    /* peers are a run's own table (PEERS=1), not a board's transitions */
		double v = jnum(row, unit);
		if (!strcmp(unit, "ns") && isnan(v))
			v = gb_to_ns(jnum(row, "real_time"), jstr(row, "time_unit"));
		double ns = gb_to_ns(jnum(row, "real_time"), jstr(row, "time_unit"));
		if (isnan(v) || isnan(ns))
			xdie("%s/bench.json: %s: a repetition without its %s or real_time (corrupted?)", dir, name, unit);
		/* medians, CIs and CVs of these must stay finite: a per-op figure beyond 1e12 (a
		 * floor minus its overhead may be below 0) is a corrupted file, not a measurement */
		double opt[5] = { jnum(row, "canary_add"), jnum(row, "canary_call"), jnum(row, "canary_ssb"),
				  jnum(row, "cycles_per_tick"), jnum(row, "ticks_per_ns") };
		int insane = !(fabs(v) <= 1e12 && fabs(ns) <= 1e12);
		for (int k = 0; k < 5; k++)
			insane |= !isnan(opt[k]) && !(fabs(opt[k]) <= 1e12);
		if (insane)
			xdie("%s/bench.json: %s: a figure out of range (0 to 1e12 per op; corrupted?)", dir, name);
		/* repetition_index: a small whole number when there; else the row's place among its
		 * benchmark's rows (older Google Benchmark writes none) */
		double ri = jnum(row, "repetition_index");
		int rep_ix = 0;
		if (isnan(ri)) {
			for (size_t q = npend; q-- > 0 && pend[q].rep.run == (int)nruns;)
				rep_ix += !strcmp(pend[q].bench, name);
		} else if (ri != floor(ri) || ri < 0 || ri > 1e6)
			xdie("%s/bench.json: %s: repetition_index %g is not a repetition's number", dir, name, ri);
		else
			rep_ix = (int)ri;
		GROW(pend, npend, cappend);
		struct pending *p = &pend[npend++];
		p->bench = xstrdup(name);
		p->rep = (struct rep){ v, ns, opt[0], opt[1], opt[2], opt[3], opt[4], (int)nruns, rep_ix };
		add_trans(r, name);
		nrep++;
	}
	if (nrep == 0)
		xdie("%s/bench.json: no repetitions (run_type \"iteration\"): an empty or aggregates-only run", dir);

	/* stash the run's flags in a board slot keyed by the run for now */
	GROW(boards, nboards, capboards);
	boards[nboards] = tmp;
	r->board = (int)nboards++;
	nruns++;
	json_decref(bench);
	json_decref(ctx);
	if (mach)
		json_decref(mach);
	if (bj)
		json_decref(bj);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* INPUT: a run folder, or a folder holding run folders (depth <= 3) */
static int collect(const char *path, int depth)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/bench.json", path);
	if (file_exists(p)) {
		read_run(path);
		return 1;
	}
	if (depth >= 3)
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "latest"))
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		if (!dir_exists(p))
			continue;
		GROW(names, n, cap);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof p, "%s/%s", path, names[i]);
		found += collect(p, depth + 1);
	}
	return found;
}

/* ------------------------------------------------------------------ merging */
int find_board(const char *label)
{
	for (size_t i = 0; i < nboards; i++)
		if (boards[i].label && !strcmp(boards[i].label, label))
			return (int)i;
	return -1;
}

static void add_flag(struct board *b)
{
	char *f = b->flags;
	if (b->emu_why)
		*f++ = 'E';
	if (b->gov)
		*f++ = 'G';
	if (b->throttle)
		*f++ = 'T';
	if (b->nwarn)
		*f++ = 'W';
	*f = 0;
}

/* a floor: less than one unit per op, its interval around 0 (counter/empty/batch) */
int is_floor(const struct series *x)
{
	return x->s.lo <= 0 && x->s.hi >= 0 && fabs(x->s.median) < 1;
}

static int cmp_series(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	int c;
	if (x->board != y->board)
		return x->board < y->board ? -1 : 1;
	if ((c = strcmp(x->core, y->core)) || (c = strcmp(x->counter, y->counter)))
		return c;
	return strcmp(x->bench, y->bench);
}

static void merge(void)
{
	/* the per-run flag slots become boards: label = base, or base@rev when the same
	   base measured several revisions (an A/B job) */
	struct board *per = boards;

	boards = NULL;
	nboards = capboards = 0;
	for (size_t i = 0; i < nruns; i++) {
		int multi = 0;
		for (size_t j = 0; j < nruns; j++)
			if (!strcmp(runs[i].base, runs[j].base) && strcmp(runs[i].rev, runs[j].rev))
				multi = 1;
		char label[600];
		if (multi)
			snprintf(label, sizeof label, "%s@%.12s", runs[i].base, runs[i].rev);
		else
			snprintf(label, sizeof label, "%s", runs[i].base);
		int b = find_board(label);
		struct board *src = &per[runs[i].board];
		if (b < 0) {
			GROW(boards, nboards, capboards);
			b = (int)nboards++;
			memset(&boards[b], 0, sizeof boards[b]);
			boards[b].label = xstrdup(label);
			boards[b].base = runs[i].base;
			boards[b].rev = runs[i].rev;
			boards[b].port = runs[i].port;
		}
		struct board *d = &boards[b];
		if (src->emu_why && !d->emu_why)
			d->emu_why = src->emu_why;
		if (src->gov && !d->gov)
			d->gov = src->gov;
		if (src->throttle && !d->throttle)
			d->throttle = src->throttle;
		for (size_t w = 0; w < src->nwarn; w++) {
			int dup = 0;
			for (size_t k = 0; k < d->nwarn; k++)
				dup |= !strcmp(d->warn[k], src->warn[w]);
			if (!dup) {
				GROW(d->warn, d->nwarn, d->capwarn);
				d->warn[d->nwarn++] = src->warn[w];
			}
		}
		runs[i].board = b;
	}
	for (size_t b = 0; b < nboards; b++)
		add_flag(&boards[b]);

	/* the same transitions in every run: runs of different benchmark sets do not merge */
	for (size_t i = 1; i < nruns; i++) {
		for (int pass = 0; pass < 2; pass++) {
			struct run *a = pass ? &runs[i] : &runs[0], *b = pass ? &runs[0] : &runs[i];
			for (size_t t = 0; t < a->ntrans; t++)
				if (!has_trans(b, a->trans[t]))
					xdie("different benchmark sets: %s measured %s and %s did not (%zu vs %zu transitions); "
					    "merge runs of the same FILTER",
					    a->dir, a->trans[t], b->dir, a->ntrans, b->ntrans);
		}
	}

	/* repetitions into series keyed by (board, core, counter, benchmark) */
	for (size_t k = 0; k < npend; k++) {
		struct run *r = &runs[pend[k].rep.run];
		size_t s;
		for (s = 0; s < nser; s++)
			if (ser[s].board == r->board && !strcmp(ser[s].core, r->core) &&
			    !strcmp(ser[s].counter, r->counter) && !strcmp(ser[s].bench, pend[k].bench))
				break;
		if (s == nser) {
			GROW(ser, nser, capser);
			memset(&ser[s], 0, sizeof ser[s]);
			ser[s].board = r->board;
			ser[s].core = r->core;
			ser[s].counter = r->counter;
			ser[s].unit = r->unit;
			ser[s].bench = pend[k].bench;
			nser++;
		}
		GROW(ser[s].r, ser[s].n, ser[s].cap);
		ser[s].r[ser[s].n++] = pend[k].rep;
	}
	/* stable output: by board (input order), then core, counter and benchmark name */
	if (nser)
		qsort(ser, nser, sizeof *ser, cmp_series);
	for (size_t s = 0; s < nser; s++) {
		double *x = xcalloc(ser[s].n, sizeof *x), *y = xcalloc(ser[s].n, sizeof *y);
		double sum = 0, sq = 0;
		for (size_t i = 0; i < ser[s].n; i++) {
			x[i] = ser[s].r[i].v;
			y[i] = ser[s].r[i].ns;
			sum += x[i];
		}
		double mean = sum / ser[s].n;
		for (size_t i = 0; i < ser[s].n; i++)
			sq += (x[i] - mean) * (x[i] - mean);
		ser[s].cv = (ser[s].n > 1 && fabs(mean) > 1e-9) ? 100.0 * sqrt(sq / (ser[s].n - 1)) / fabs(mean) : NAN;
		if (gm_summarize(x, ser[s].n, 0.95, &ser[s].s) || gm_summarize(y, ser[s].n, 0.95, &ser[s].sns))
			xdie("out of memory");
		if (is_floor(&ser[s]))
			ser[s].cv = NAN;    /* a floor around 0 (counter/empty): no meaningful CV */
		free(x);
		free(y);
	}
}


int cmd_xreport(int argc, char **argv)
{
	const char *baseline = NULL, *outdir = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!gm_opt(argc, argv, &i, "--baseline", &baseline) && !gm_opt(argc, argv, &i, "--out", &outdir))
			break;
	}
	if (!outdir || i >= argc)
		die_usage("need --out DIR and at least one run folder");
	if (dir_exists(outdir) || file_exists(outdir))
		xdie("%s exists already", outdir);
	for (; i < argc; i++) {
		if (!dir_exists(argv[i]))
			xdie("%s: no such folder", argv[i]);
		size_t before = nruns;
		collect(argv[i], 0);
		if (nruns == before)
			xdie("%s: not a run folder and holds none (no bench.json in it or below it)", argv[i]);
	}
	merge();
	int base = 0;
	if (baseline) {
		base = find_board(baseline);
		if (base < 0) {
			fprintf(stderr, "%s: error: no board '%s'; the boards are:", gm_prog, baseline);
			for (size_t b = 0; b < nboards; b++)
				fprintf(stderr, " %s", boards[b].label);
			fprintf(stderr, "\n");
			return 2;
		}
	}
	gm_dir_begin(outdir);
	list_trans();
	write_merged();
	write_report(base);
	write_plots();
	gm_dir_commit();
	/* this line has always been on stdout with the old tool's name: kept as it was */
	printf("gmxreport: %zu board(s), %zu run(s), %zu series, %zu transitions; baseline %s\n", nboards, nruns, nser,
	       ntrans, boards[base].label);
	return 0;
}
