/*
 * gmxreport — one report across boards: many gmbench run folders (from make bench, or
 * extracted from LAVA logs by lava/host/gmbench-extract.sh) merged into one comparison.
 *
 *   gmxreport [--baseline BOARD] --out DIR INPUT...
 *
 * INPUT is a run folder (bench.json + context.json) or a folder holding run folders at
 * any depth up to 3 (an extracted LAVA set: DEST/<set>/<run>/).  Every repetition is
 * keyed by (board, core, counter, benchmark).  The board is board.json's model (LAVA
 * runs) or the run's host name and port; when one board measured several revisions (an
 * A/B job) each revision is its own board, "<board>@<rev>".  DIR must not exist; it gets
 *   merged.csv   one row per repetition: the key, the value in the board's unit, ns, the
 *                per-repetition canaries and calibration, emulated, flags
 *   series.csv   per key: n, median and its distribution-free 95% CI in the board's unit
 *                and in ns, CV
 *   report.txt   the boards and their flags, a table per transition (a row per board and
 *                variant: median in the board's unit and CI, CV, ns/op, counter, emulated,
 *                flags), and the ratio table against the baseline board
 *   ratio.csv    the ratio table as CSV
 *   plots/ (.dat, .gp)         gnuplot input: grouped bars per transition across boards
 *                (ns/op, CI whiskers) and per-board variant comparisons (board's unit)
 * Units are never mixed: a board's own unit (cycles, ticks or ns) stays in its rows; the
 * cross-board columns and the ratios are in ns, which every run measures with its clock
 * over the same batches (manual time), and say so.  A ratio in the boards' own unit is
 * given only where both boards count the same unit.
 * Flags: E emulated (not hardware timings), G not on the performance governor, T
 * throttled, W other warnings of the run (machine.json), each shown in every table and
 * plot title.  Bad input (not a run, a corrupted file, runs of different benchmark sets,
 * an unknown baseline) is a message and exit 2; DIR is then not created.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../compare/stats.h"
#include "gbjson.h"

static char *outdir;
static int out_made;

static void rm_out(void)
{
	if (!out_made)
		return;
	char cmd[8192];
	/* only our own fresh folder: we created it, nothing else is in it */
	snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", outdir);
	if (system(cmd) != 0)
		fprintf(stderr, "gmxreport: could not remove %s\n", outdir);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gmxreport: error: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	rm_out();
	exit(2);
}

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n ? n : 1, s);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		die("out of memory");
	return p;
}

#define GROW(arr, n, cap)                                                        \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			(cap) = (cap) ? 2 * (cap) : 16;                          \
			void *np_ = realloc((arr), (cap) * sizeof *(arr));       \
			if (!np_)                                                \
				die("out of memory");                            \
			(arr) = np_;                                             \
		}                                                                \
	} while (0)

/* Append a copy of s to the list unless it is there already (first-seen order). */
static void add_unique(char ***list, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], s))
			return;
	GROW(*list, *n, *cap);
	(*list)[(*n)++] = xstrdup(s);
}

/* "suite/transition" of a benchmark name "suite/transition/variant..." into t. */
static void trans_of(const char *bench, char *t, size_t size)
{
	snprintf(t, size, "%s", bench);
	char *s1 = strchr(t, '/');
	char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	if (s2)
		*s2 = 0;
}

/* ------------------------------------------------------------------ the data */
struct rep {
	double v, ns;
	double cadd, ccall, cssb, cpt, tpn;   /* per repetition; NAN when absent */
	int run, idx;
};

struct series {
	int board;
	char *core, *counter, *unit, *bench;
	struct rep *r;
	size_t n, cap;
	gm_summary s, sns;
	double cv;
};

struct board {
	char *base, *label, *rev, *model, *soc, *port;
	char *emu_why;        /* non-NULL: emulated, and why we think so */
	char *gov;            /* the governor string when not 'performance' */
	char *throttle;       /* what throttled */
	char **warn;
	size_t nwarn, capwarn;
	char flags[8];
};

struct run {
	char *dir, *base, *rev, *core, *counter, *unit, *port;
	char **trans;         /* suite/transition set */
	size_t ntrans, captrans;
	int board;
};

static struct run *runs;
static size_t nruns, capruns;
static struct board *boards;
static size_t nboards, capboards;
static struct series *ser;
static size_t nser, capser;

/* ------------------------------------------------------------------ helpers */
static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static double jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int dir_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static json_t *load_json(const char *dir, const char *name, int required)
{
	char p[4096];
	json_error_t err;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (!file_exists(p)) {
		if (required)
			die("%s: no %s: not a gmbench run folder (make bench writes bench.json and context.json)", dir, name);
		return NULL;
	}
	json_t *j = gb_json_load(p, &err);
	if (!j)
		die("%s: corrupted or not JSON (line %d: %s)", p, err.line, err.text);
	if (!json_is_object(j))
		die("%s: not a JSON object", p);
	return j;
}

/* a label's characters for file names and table columns */
static char *clean(const char *s)
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

static void read_run(const char *dir)
{
	json_t *bench = load_json(dir, "bench.json", 1);
	json_t *ctx = load_json(dir, "context.json", 1);
	json_t *mach = load_json(dir, "machine.json", 0);
	json_t *bj = load_json(dir, "board.json", 0);
	json_t *rows = json_object_get(bench, "benchmarks");
	if (!json_is_array(rows))
		die("%s/bench.json: no \"benchmarks\" array: not a Google Benchmark file", dir);
	const char *unit = jstr(ctx, "gm_counter_unit"), *counter = jstr(ctx, "gm_counter");
	const char *port = jstr(ctx, "gm_port");
	if (!unit || !counter || !port)
		die("%s/context.json: no gm_counter, gm_counter_unit or gm_port: not gmbench's context", dir);
	if (strcmp(unit, "cycles") && strcmp(unit, "ticks") && strcmp(unit, "ns"))
		die("%s/context.json: unknown counter unit '%s'", dir, unit);

	GROW(runs, nruns, capruns);
	struct run *r = &runs[nruns];
	memset(r, 0, sizeof *r);
	r->dir = xstrdup(dir);
	r->unit = xstrdup(unit);
	r->counter = xstrdup(counter);
	r->port = xstrdup(port);
	const char *core = jstr(ctx, "gm_core_measured");
	r->core = xstrdup(core && *core ? core : "unknown core");
	const char *rev = jstr(ctx, "gm_git_rev");
	r->rev = xstrdup(rev ? rev : "norev");

	/* the board: board.json's model (a LAVA job) or the run's host */
	const char *model = bj ? jstr(bj, "model") : NULL;
	const char *host = jstr(ctx, "host_name");
	char base[512];
	if (model && *model && strncmp(model, "unknown", 7))
		snprintf(base, sizeof base, "%s-%s", model, port);
	else
		snprintf(base, sizeof base, "%s-%s", host ? host : "host", port);
	r->base = clean(base);

	/* flags, kept per run and merged into the board later */
	json_t *m = mach ? mach : json_object_get(ctx, "machine");
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
			double th = jnum(st, "throttled");
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
			die("%s/bench.json: row %zu has no name", dir, i);
		char name[512];
		gb_base_name(rn, name, sizeof name);
		if (!strncmp(name, "peer/", 5))
			continue;    /* peers are a run's own table (PEERS=1), not a board's transitions */
		double v = jnum(row, unit);
		if (!strcmp(unit, "ns") && isnan(v))
			v = gb_to_ns(jnum(row, "real_time"), jstr(row, "time_unit"));
		double ns = gb_to_ns(jnum(row, "real_time"), jstr(row, "time_unit"));
		if (isnan(v) || isnan(ns))
			die("%s/bench.json: %s: a repetition without its %s or real_time (corrupted?)", dir, name, unit);
		GROW(pend, npend, cappend);
		struct pending *p = &pend[npend++];
		p->bench = xstrdup(name);
		p->rep = (struct rep){ v, ns, jnum(row, "canary_add"), jnum(row, "canary_call"), jnum(row, "canary_ssb"),
				       jnum(row, "cycles_per_tick"), jnum(row, "ticks_per_ns"), (int)nruns,
				       (int)jnum(row, "repetition_index") };
		add_trans(r, name);
		nrep++;
	}
	if (nrep == 0)
		die("%s/bench.json: no repetitions (run_type \"iteration\"): an empty or aggregates-only run", dir);

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
static int find_board(const char *label)
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
static int is_floor(const struct series *x)
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
					die("different benchmark sets: %s measured %s and %s did not (%zu vs %zu transitions); "
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
			die("out of memory");
		if (is_floor(&ser[s]))
			ser[s].cv = NAN;    /* a floor around 0 (counter/empty): no meaningful CV */
		free(x);
		free(y);
	}
}

/* ------------------------------------------------------------------ output */
static FILE *open_out(const char *name)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", outdir, name);
	FILE *f = fopen(p, "w");
	if (!f)
		die("cannot write %s: %s", p, strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (fflush(f) || ferror(f) || fclose(f))
		die("writing %s/%s failed", outdir, name);
}

static void csvs(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

static void num(FILE *f, double v)
{
	if (isnan(v))
		fputs("", f);
	else
		fprintf(f, "%.6g", v);
}

static const char *suffix_of(const char *bench, int parts)    /* parts: 2 = "suite/transition" */
{
	const char *p = bench;
	for (int i = 0; i < parts; i++) {
		p = strchr(p, '/');
		if (!p)
			return "";
		p++;
	}
	return p;
}

static int same_trans(const char *bench, const char *t)
{
	size_t n = strlen(t);
	return !strncmp(bench, t, n) && bench[n] == '/';
}

static const char *yesno_emu(const struct board *b) { return b->emu_why ? "yes" : "no"; }

static void write_merged(void)
{
	FILE *f = open_out("merged.csv");
	fprintf(f, "board,core,counter,unit,benchmark,suite,transition,variant,run,repetition,value,value_ns,"
		   "canary_add,canary_call,canary_ssb,cycles_per_tick,ticks_per_ns,emulated,flags\n");
	for (size_t s = 0; s < nser; s++) {
		struct series *x = &ser[s];
		struct board *b = &boards[x->board];
		char suite[256], trans[256];
		snprintf(suite, sizeof suite, "%s", x->bench);
		char *p = strchr(suite, '/');
		if (p)
			*p = 0;
		snprintf(trans, sizeof trans, "%s", suffix_of(x->bench, 1));
		p = strchr(trans, '/');
		if (p)
			*p = 0;
		for (size_t i = 0; i < x->n; i++) {
			struct rep *r = &x->r[i];
			csvs(f, b->label); fputc(',', f);
			csvs(f, x->core); fputc(',', f);
			csvs(f, x->counter); fputc(',', f);
			fprintf(f, "%s,", x->unit);
			csvs(f, x->bench); fputc(',', f);
			csvs(f, suite); fputc(',', f);
			csvs(f, trans); fputc(',', f);
			csvs(f, suffix_of(x->bench, 2)); fputc(',', f);
			csvs(f, runs[r->run].dir); fputc(',', f);
			fprintf(f, "%d,", r->idx);
			num(f, r->v); fputc(',', f);
			num(f, r->ns); fputc(',', f);
			num(f, r->cadd); fputc(',', f);
			num(f, r->ccall); fputc(',', f);
			num(f, r->cssb); fputc(',', f);
			num(f, r->cpt); fputc(',', f);
			num(f, r->tpn); fputc(',', f);
			fprintf(f, "%s,%s\n", yesno_emu(b), b->flags);
		}
	}
	close_out(f, "merged.csv");

	f = open_out("series.csv");
	fprintf(f, "board,core,counter,unit,benchmark,n,median,ci_lo,ci_hi,ci_exact,cv_pct,median_ns,ci_lo_ns,ci_hi_ns,emulated,flags\n");
	for (size_t s = 0; s < nser; s++) {
		struct series *x = &ser[s];
		struct board *b = &boards[x->board];
		csvs(f, b->label); fputc(',', f);
		csvs(f, x->core); fputc(',', f);
		csvs(f, x->counter); fputc(',', f);
		fprintf(f, "%s,", x->unit);
		csvs(f, x->bench);
		fprintf(f, ",%zu,", x->n);
		num(f, x->s.median); fputc(',', f);
		num(f, x->s.lo); fputc(',', f);
		num(f, x->s.hi);
		fprintf(f, ",%d,", x->s.ci_exact);
		num(f, x->cv); fputc(',', f);
		num(f, x->sns.median); fputc(',', f);
		num(f, x->sns.lo); fputc(',', f);
		num(f, x->sns.hi);
		fprintf(f, ",%s,%s\n", yesno_emu(b), b->flags);
	}
	close_out(f, "series.csv");
}

/* the distinct transitions, in first-seen order */
static char **trans;
static size_t ntrans, captrans;

static void list_trans(void)
{
	for (size_t s = 0; s < nser; s++) {
		char t[512];
		trans_of(ser[s].bench, t, sizeof t);
		add_unique(&trans, &ntrans, &captrans, t);
	}
}

static const char *label_flags(const struct board *b, char *buf, size_t n)
{
	if (b->flags[0])
		snprintf(buf, n, "%s [%s]", b->label, b->flags);
	else
		snprintf(buf, n, "%s", b->label);
	return buf;
}

static struct series *find_series(int board, const char *bench, const char *core)
{
	for (size_t s = 0; s < nser; s++)
		if (ser[s].board == board && !strcmp(ser[s].bench, bench) && (!core || !strcmp(ser[s].core, core)))
			return &ser[s];
	return NULL;
}

static void write_report(int base)
{
	FILE *f = open_out("report.txt");
	fprintf(f, "gmbench cross-board report: %zu board(s), %zu run(s), %zu series (board, core, counter, benchmark)\n\n",
		nboards, nruns, nser);
	fprintf(f, "boards:\n");
	for (size_t b = 0; b < nboards; b++) {
		struct board *x = &boards[b];
		fprintf(f, "  %s%s  port %s, revision %s, flags %s\n", x->label, (int)b == base ? " (baseline)" : "",
			x->port, x->rev, x->flags[0] ? x->flags : "none");
		if (x->emu_why)
			fprintf(f, "    E emulated: %s -- not hardware timings\n", x->emu_why);
		if (x->gov)
			fprintf(f, "    G governor: %s (not 'performance')\n", x->gov);
		if (x->throttle)
			fprintf(f, "    T throttled: %s\n", x->throttle);
		for (size_t w = 0; w < x->nwarn; w++)
			fprintf(f, "    W %s\n", x->warn[w]);
		for (size_t r = 0; r < nruns; r++)
			if (runs[r].board == (int)b)
				fprintf(f, "    run %s: core %s, counter %s (%s)\n", runs[r].dir, runs[r].core, runs[r].counter, runs[r].unit);
	}
	fprintf(f, "\nflags: E emulated (not hardware timings), G not on the performance governor, T throttled, "
		   "W other warnings of the run (listed above)\n"
		   "median: over the repetitions, in the board's own counter unit, with its distribution-free 95%% CI "
		   "(the full range when n < 6); ns/op: the same repetitions timed by the run's clock "
		   "(CLOCK_MONOTONIC_RAW over the same batches), so ns columns compare across boards and units do not\n");
	for (size_t t = 0; t < ntrans; t++) {
		fprintf(f, "\n== %s\n", trans[t]);
		fprintf(f, "%-34s %-16s %-9s %-14s %4s %12s %-23s %7s %11s %-21s %-8s %s\n", "board", "core", "counter",
			"variant", "n", "median", "95% CI", "CV %", "ns/op", "ns 95% CI", "emulated", "flags");
		for (size_t b = 0; b < nboards; b++)
			for (size_t s = 0; s < nser; s++) {
				struct series *x = &ser[s];
				if (x->board != (int)b || !same_trans(x->bench, trans[t]))
					continue;
				char med[64], ci[64], cv[32], ns[32], nsci[64];
				snprintf(med, sizeof med, "%.4g %s", x->s.median, x->unit);
				snprintf(ci, sizeof ci, "[%.4g, %.4g]%s", x->s.lo, x->s.hi, x->s.ci_exact ? "" : " range");
				if (isnan(x->cv))
					snprintf(cv, sizeof cv, "-");
				else
					snprintf(cv, sizeof cv, "%.1f", x->cv);
				snprintf(ns, sizeof ns, "%.4g", x->sns.median);
				snprintf(nsci, sizeof nsci, "[%.4g, %.4g]", x->sns.lo, x->sns.hi);
				fprintf(f, "%-34s %-16.16s %-9s %-14s %4zu %12s %-23s %7s %11s %-21s %-8s %s\n", boards[b].label,
					x->core, x->counter, suffix_of(x->bench, 2), x->n, med, ci, cv, ns, nsci, yesno_emu(&boards[b]),
					boards[b].flags[0] ? boards[b].flags : "-");
			}
	}

	/* ratios against the baseline: ns/ns always; the boards' own unit only when equal */
	FILE *c = open_out("ratio.csv");
	fprintf(c, "benchmark,board,core,baseline,baseline_core,ratio_ns,ratio_native,native_unit,board_flags,baseline_flags\n");
	char bl[600];
	fprintf(f, "\n== ratio against the baseline %s\n", label_flags(&boards[base], bl, sizeof bl));
	fprintf(f, "ratio = board / baseline of the medians.  'ns' divides ns by ns (each board's own clock); the "
		   "boards' own unit is divided only where both count the same unit (cycles by cycles); "
		   "ticks of different timers and cycles vs ticks are never divided.\n");
	if (nboards == 1)
		fprintf(f, "(one board: nothing to divide)\n");
	fprintf(f, "%-40s", "benchmark");
	for (size_t b = 0; b < nboards; b++)
		if ((int)b != base)
			fprintf(f, " %-30.30s", label_flags(&boards[b], bl, sizeof bl));
	fprintf(f, "\n");
	struct board *B = &boards[base];
	for (size_t s = 0; s < nser; s++) {
		struct series *x0 = &ser[s];
		if (x0->board != base)
			continue;
		fprintf(f, "%-40s", x0->bench);
		for (size_t b = 0; b < nboards; b++) {
			if ((int)b == base)
				continue;
			struct series *x = find_series((int)b, x0->bench, NULL);
			char cell[128];
			if (!x) {
				snprintf(cell, sizeof cell, "- (not measured)");
			} else if (is_floor(x0) || x0->sns.median <= 0) {
				snprintf(cell, sizeof cell, "- (baseline ~0: a floor)");
			} else {
				double rn = x->sns.median / x0->sns.median;
				int same = !strcmp(x->unit, x0->unit) && strcmp(x->unit, "ticks");
				double rv = same ? x->s.median / x0->s.median : NAN;
				if (same)
					snprintf(cell, sizeof cell, "%.3g ns, %.3g %s", rn, rv, x->unit);
				else
					snprintf(cell, sizeof cell, "%.3g ns", rn);
				csvs(c, x0->bench); fputc(',', c);
				csvs(c, boards[b].label); fputc(',', c);
				csvs(c, x->core); fputc(',', c);
				csvs(c, B->label); fputc(',', c);
				csvs(c, x0->core); fputc(',', c);
				num(c, rn); fputc(',', c);
				num(c, rv);
				fprintf(c, ",%s,%s,%s\n", same ? x->unit : "", boards[b].flags, B->flags);
			}
			fprintf(f, " %-30s", cell);
		}
		fprintf(f, "\n");
	}
	close_out(c, "ratio.csv");
	close_out(f, "report.txt");
}

/* ------------------------------------------------------------------ plots */
static void gp_head(FILE *g, const char *png, const char *title)
{
	fprintf(g, "set terminal pngcairo size 1200,650 noenhanced font ',10'\n"
		   "set output '%s'\n"
		   "set title \"%s\" noenhanced\n"
		   "set style data histogram\n"
		   "set style histogram errorbars gap 2 lw 1\n"
		   "set style fill solid 0.6 border -1\n"
		   "set key outside right top noenhanced\n"
		   "set xtics rotate by -30 noenhanced\n"
		   "set grid ytics\n"
		   "set xzeroaxis\n"
		   "set bmargin 7\n"
		   "set label 1 'E emulated (hatched: not hardware timings), G not on the performance governor, T throttled, W other warnings' at screen 0.01,0.02 font ',8'\n",
		png, title);
}

/* bars start at 0 unless a value is negative (an emulated or noisy floor can be) */
static void gp_yrange(FILE *g, double lo)
{
	fprintf(g, lo < 0 ? "set yrange [*:*]\n" : "set yrange [0:*]\n");
}

static void write_plots(void)
{
	char p[4096], bl[600];
	snprintf(p, sizeof p, "%s/plots", outdir);
	if (mkdir(p, 0755))
		die("cannot create %s: %s", p, strerror(errno));
	FILE *all = open_out("plots/all.gp");
	int anyemu = 0;
	for (size_t b = 0; b < nboards; b++)
		anyemu |= boards[b].emu_why != NULL;
	/* 1. per transition: grouped bars across boards, ns/op (the common unit), CI whiskers */
	for (size_t t = 0; t < ntrans; t++) {
		char *ct = clean(trans[t]);
		char dat[1024], gpn[1024];
		snprintf(dat, sizeof dat, "plots/transition-%s.dat", ct);
		snprintf(gpn, sizeof gpn, "plots/transition-%s.gp", ct);
		FILE *d = open_out(dat);
		/* rows: variants (union over boards); per board: median lo hi (ns), '-' when absent */
		char **vars = NULL;
		size_t nv = 0, cv = 0;
		for (size_t s = 0; s < nser; s++) {
			if (!same_trans(ser[s].bench, trans[t]))
				continue;
			add_unique(&vars, &nv, &cv, suffix_of(ser[s].bench, 2));
		}
		double ymin = 0;
		fprintf(d, "# variant, then per board: median_ns ci_lo_ns ci_hi_ns ('-': not measured)\n");
		for (size_t i = 0; i < nv; i++) {
			fprintf(d, "\"%s\"", vars[i]);
			char bench[600];
			snprintf(bench, sizeof bench, "%s/%s", trans[t], vars[i]);
			for (size_t b = 0; b < nboards; b++) {
				struct series *x = find_series((int)b, bench, NULL);
				if (x) {
					fprintf(d, " %.6g %.6g %.6g", x->sns.median, x->sns.lo, x->sns.hi);
					if (x->sns.lo < ymin)
						ymin = x->sns.lo;
				}
				else
					fprintf(d, " - - -");
			}
			fprintf(d, "\n");
		}
		close_out(d, dat);
		FILE *g = open_out(gpn);
		char title[1024], png[1024];
		snprintf(title, sizeof title, "%s across boards: median ns/op, 95%% CI whiskers%s", trans[t],
			 anyemu ? " (E = emulated: not hardware timings)" : "");
		snprintf(png, sizeof png, "transition-%s.png", ct);
		gp_head(g, png, title);
		gp_yrange(g, ymin);
		fprintf(g, "set ylabel \"ns/op (each board's own clock)\"\nset datafile missing '-'\nplot ");
		for (size_t b = 0; b < nboards; b++)
			fprintf(g, "%s'transition-%s.dat' using %zu:%zu:%zu:xtic(1) title \"%s\"%s", b ? ", \\\n     " : "", ct,
				2 + 3 * b, 3 + 3 * b, 4 + 3 * b, label_flags(&boards[b], bl, sizeof bl),
				boards[b].emu_why ? " fs pattern 4 border -1" : "");
		fprintf(g, "\n");
		close_out(g, gpn);
		fprintf(all, "load 'transition-%s.gp'\n", ct);
		free(ct);
	}
	/* 2. per board and suite: its variants side by side in the board's own unit */
	for (size_t b = 0; b < nboards; b++) {
		char *cb = clean(boards[b].label);
		char **suites = NULL;
		size_t ns = 0, cs = 0;
		for (size_t s = 0; s < nser; s++) {
			if (ser[s].board != (int)b)
				continue;
			char su[256];
			snprintf(su, sizeof su, "%s", ser[s].bench);
			char *q = strchr(su, '/');
			if (q)
				*q = 0;
			add_unique(&suites, &ns, &cs, su);
		}
		for (size_t i = 0; i < ns; i++) {
			char dat[1024], gpn[1024], png[1024], title[1024];
			snprintf(dat, sizeof dat, "plots/board-%s-%s.dat", cb, suites[i]);
			snprintf(gpn, sizeof gpn, "plots/board-%s-%s.gp", cb, suites[i]);
			FILE *d = open_out(dat);
			const char *unit = NULL, *counter = NULL, *core = NULL;
			int mixed = 0;
			double ymin = 0;
			fprintf(d, "# benchmark median ci_lo ci_hi (the board's own unit)\n");
			for (size_t s = 0; s < nser; s++) {
				struct series *x = &ser[s];
				size_t l = strlen(suites[i]);
				if (x->board != (int)b || strncmp(x->bench, suites[i], l) || x->bench[l] != '/')
					continue;
				if (unit && (strcmp(unit, x->unit) || strcmp(core, x->core)))
					mixed = 1;    /* several cores or counters: one plot per the first; the rest in the table */
				if (!unit) {
					unit = x->unit;
					counter = x->counter;
					core = x->core;
				}
				if (strcmp(unit, x->unit) || strcmp(core, x->core))
					continue;
				fprintf(d, "\"%s\" %.6g %.6g %.6g\n", suffix_of(x->bench, 1), x->s.median, x->s.lo, x->s.hi);
				if (x->s.lo < ymin)
					ymin = x->s.lo;
			}
			close_out(d, dat);
			FILE *g = open_out(gpn);
			snprintf(title, sizeof title, "%s: %s variants, median %s/op (%s on %s), 95%% CI whiskers%s%s",
				 label_flags(&boards[b], bl, sizeof bl), suites[i], unit, counter, core,
				 boards[b].emu_why ? " -- EMULATED, not hardware timings" : "",
				 mixed ? " (other cores/counters: see report.txt)" : "");
			snprintf(png, sizeof png, "board-%s-%s.png", cb, suites[i]);
			gp_head(g, png, title);
			gp_yrange(g, ymin);
			fprintf(g, "set ylabel '%s/op (%s)'\nplot 'board-%s-%s.dat' using 2:3:4:xtic(1) title '%s' lc rgb '#4070a0'%s\n",
				unit, counter, cb, suites[i], unit, boards[b].emu_why ? " fs pattern 4 border -1" : "");
			close_out(g, gpn);
			fprintf(all, "load 'board-%s-%s.gp'\n", cb, suites[i]);
		}
		free(cb);
	}
	close_out(all, "plots/all.gp");
}

int main(int argc, char **argv)
{
	const char *baseline = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--baseline") && i + 1 < argc)
			baseline = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			outdir = argv[++i];
		else
			break;
	}
	if (!outdir || i >= argc) {
		fprintf(stderr, "usage: gmxreport [--baseline BOARD] --out DIR RUN-OR-FOLDER...\n");
		return 2;
	}
	if (dir_exists(outdir) || file_exists(outdir)) {
		fprintf(stderr, "gmxreport: error: %s exists already\n", outdir);
		return 2;
	}
	for (; i < argc; i++) {
		if (!dir_exists(argv[i]))
			die("%s: no such folder", argv[i]);
		size_t before = nruns;
		collect(argv[i], 0);
		if (nruns == before)
			die("%s: not a run folder and holds none (no bench.json in it or below it)", argv[i]);
	}
	merge();
	int base = 0;
	if (baseline) {
		base = find_board(baseline);
		if (base < 0) {
			fprintf(stderr, "gmxreport: error: no board '%s'; the boards are:", baseline);
			for (size_t b = 0; b < nboards; b++)
				fprintf(stderr, " %s", boards[b].label);
			fprintf(stderr, "\n");
			return 2;
		}
	}
	if (mkdir(outdir, 0755))
		die("cannot create %s: %s", outdir, strerror(errno));
	out_made = 1;
	list_trans();
	write_merged();
	write_report(base);
	write_plots();
	printf("gmxreport: %zu board(s), %zu run(s), %zu series, %zu transitions; baseline %s\n", nboards, nruns, nser,
	       ntrans, boards[base].label);
	return 0;
}
