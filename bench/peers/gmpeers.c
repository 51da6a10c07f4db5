/*
 * gmpeers — the peers' host tool (make bench PEERS=1, make peers; docs/peers.md).
 *
 *   gmpeers go RUNDIR GO_OUTPUT [--toolchain=TEXT] [--emulated=WHY]
 *       Read `go test -bench` output (Go benchmark format:
 *       "BenchmarkCgoCall-2   30000000   40.6 ns/op"), turn every result line into a
 *       Google-Benchmark-shaped entry peer/<name>/go (one per repetition, plus mean,
 *       median, stddev, cv and min aggregates as Google Benchmark writes them) and merge
 *       them into RUNDIR/bench.json.  Go has no cycle counter: the entries carry ns/op
 *       only, as real_time and as a counter named "ns".
 *   gmpeers unavailable RUNDIR WHY NAME...
 *       Record in bench.json's context (gm_peers_unavailable) that the peers NAME...
 *       could not run here, and why.
 *   gmpeers table RUNDIR
 *       Pair each gmbench transition with its peers from the same run and write
 *       RUNDIR/peers.txt (also printed), RUNDIR/peers.json and RUNDIR/peers.dat (the
 *       ratios for scripts/plot/peers.sh).  ratio = gmbench / peer.
 *
 * Bad input (missing, empty, malformed or mismatched files) exits 2 with a message;
 * every file is written to a temporary name and renamed, so nothing is half-written.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../report/gbjson.h"

/* ------------------------------------------------------------------ errors, files */

struct out { FILE *f; char tmp[4096], final[4096]; };
static struct out *open_outs[8];
static int nopen;

static void abort_outs(void)
{
	for (int i = 0; i < nopen; i++) {
		if (open_outs[i]->f)
			fclose(open_outs[i]->f);
		open_outs[i]->f = NULL;
		unlink(open_outs[i]->tmp);
	}
	nopen = 0;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	abort_outs();
	fflush(stdout);
	fputs("gmpeers: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void out_open(struct out *o, const char *dir, const char *name)
{
	snprintf(o->final, sizeof o->final, "%s/%s", dir, name);
	snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp.%d", dir, name, (int)getpid());
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		die("cannot write %s: %s", o->tmp, strerror(errno));
	open_outs[nopen++] = o;
}

/* Flush every open output, then rename them all: all or nothing. */
static void commit_outs(void)
{
	for (int i = 0; i < nopen; i++) {
		struct out *o = open_outs[i];
		if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f))
			die("writing %s failed: %s", o->tmp, strerror(errno));
	}
	for (int i = 0; i < nopen; i++) {
		struct out *o = open_outs[i];
		if (fclose(o->f) != 0) {
			o->f = NULL;
			die("writing %s failed: %s", o->tmp, strerror(errno));
		}
		o->f = NULL;
	}
	for (int i = 0; i < nopen; i++) {
		struct out *o = open_outs[i];
		if (rename(o->tmp, o->final) != 0)
			die("rename %s: %s", o->final, strerror(errno));
	}
	nopen = 0;
}

static json_t *load_run(const char *rundir, char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s/bench.json", rundir);
	json_error_t err;
	json_t *root = gb_json_load(path, &err);
	if (!root)
		die("%s: %s (line %d)", path, err.text, err.line);
	json_t *ctx = json_object_get(root, "context");
	json_t *benches = json_object_get(root, "benchmarks");
	if (!json_is_object(ctx) || !json_is_array(benches))
		die("%s: not a Google Benchmark JSON file (no context object or benchmarks array)", path);
	if (!json_is_string(json_object_get(ctx, "gm_port")) ||
	    !json_is_string(json_object_get(ctx, "gm_counter_unit")))
		die("%s: context lacks gm_port/gm_counter_unit: not a gmbench run", path);
	return root;
}

/* JSON has no NaN: an aggregate Google Benchmark wrote as NaN was read as null (a CV of
 * 0/0).  Google Benchmark's tools/compare.py cannot read null, so such rows are left out
 * of the rewritten file rather than written as null. */
static void drop_null_aggregates(json_t *root)
{
	json_t *bs = json_object_get(root, "benchmarks");
	for (size_t i = json_array_size(bs); i-- > 0;) {
		json_t *b = json_array_get(bs, i);
		const char *rt = json_string_value(json_object_get(b, "run_type"));
		if (rt && strcmp(rt, "iteration") && json_is_null(json_object_get(b, "real_time")))
			json_array_remove(bs, i);
	}
}

static void save_run(json_t *root, const char *rundir)
{
	struct out o;
	drop_null_aggregates(root);
	out_open(&o, rundir, "bench.json");
	if (json_dumpf(root, o.f, JSON_INDENT(2)) != 0)
		die("writing %s failed", o.tmp);
	fputc('\n', o.f);
	commit_outs();
}

static const char *ctx_str(json_t *root, const char *key)
{
	return json_string_value(json_object_get(json_object_get(root, "context"), key));
}

/* ------------------------------------------------------------------ small maths */

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------------ gmpeers go */

#define MAXREP 1000
#define MAXGO 64

struct gobench {
	char name[160];        /* peer/<x>/go */
	char goname[128];      /* CgoCall */
	size_t n;
	double ns[MAXREP];
	long long iters[MAXREP];
};

/* "CgoCall" -> "cgocall"; sub-benchmarks' '/' become '-'. */
static void peer_name(const char *goname, char *buf, size_t len)
{
	char low[128];
	size_t i;
	for (i = 0; goname[i] && i < sizeof low - 1; i++)
		low[i] = goname[i] == '/' ? '-' : (char)tolower((unsigned char)goname[i]);
	low[i] = 0;
	snprintf(buf, len, "peer/%s/go", low);
}

static int parse_double(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return errno == 0 && end != s && *end == 0 && isfinite(*v);
}

static int parse_go_output(const char *path, struct gobench *gb, size_t *ngb, char *goarch, size_t galen,
			   char *gocpu, size_t gclen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	char line[4096];
	int lineno = 0, any_text = 0;
	*ngb = 0;
	goarch[0] = gocpu[0] = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = 0;
		char *s = line + strspn(line, " \t");
		if (!*s)
			continue;
		any_text = 1;
		if (!strncmp(s, "goarch:", 7)) {
			snprintf(goarch, galen, "%s", s + 7 + strspn(s + 7, " \t"));
			continue;
		}
		if (!strncmp(s, "cpu:", 4)) {
			snprintf(gocpu, gclen, "%s", s + 4 + strspn(s + 4, " \t"));
			continue;
		}
		if (!strncmp(s, "--- FAIL", 8) || !strncmp(s, "FAIL", 4) || !strncmp(s, "panic:", 6) ||
		    !strncmp(s, "fatal error:", 12) || !strncmp(s, "SIGSEGV", 7) || strstr(s, "signal SIG"))
			die("%s:%d: go test reported a failure: %s", path, lineno, s);
		if (strncmp(s, "Benchmark", 9))
			continue;	/* goos:, pkg:, PASS, ok, === RUN ... */
		/* BenchmarkName[-P] <iterations> <value> ns/op [<value> <unit>]... */
		char *tok[64];
		int nt = 0;
		for (char *t = strtok(s, " \t"); t && nt < 64; t = strtok(NULL, " \t"))
			tok[nt++] = t;
		if (nt == 1)
			continue;	/* -test.v prints the bare name before the result */
		if (nt < 4 || (nt - 2) % 2)
			die("%s:%d: malformed benchmark line (want 'BenchmarkName N V ns/op')", path, lineno);
		char *name = tok[0] + 9;
		if (!*name)
			die("%s:%d: benchmark line without a name", path, lineno);
		char *dash = strrchr(name, '-');
		if (dash && dash[1] && strspn(dash + 1, "0123456789") == strlen(dash + 1))
			*dash = 0;	/* the -GOMAXPROCS suffix */
		char *end;
		errno = 0;
		long long it = strtoll(tok[1], &end, 10);
		if (errno || *end || it <= 0)
			die("%s:%d: bad iteration count '%s'", path, lineno, tok[1]);
		double ns = NAN;
		for (int k = 2; k + 1 < nt; k += 2) {
			double v;
			if (!parse_double(tok[k], &v))
				die("%s:%d: bad value '%s'", path, lineno, tok[k]);
			if (!strcmp(tok[k + 1], "ns/op"))
				ns = v;
		}
		if (isnan(ns))
			die("%s:%d: no ns/op on the line", path, lineno);
		if (ns <= 0)
			die("%s:%d: ns/op must be positive, got %g", path, lineno, ns);
		size_t b = 0;
		while (b < *ngb && strcmp(gb[b].goname, name))
			b++;
		if (b == *ngb) {
			if (*ngb == MAXGO)
				die("%s: more than %d benchmarks", path, MAXGO);
			memset(&gb[b], 0, sizeof gb[b]);
			snprintf(gb[b].goname, sizeof gb[b].goname, "%s", name);
			peer_name(name, gb[b].name, sizeof gb[b].name);
			(*ngb)++;
		}
		if (gb[b].n == MAXREP)
			die("%s: more than %d repetitions of %s", path, MAXREP, name);
		gb[b].ns[gb[b].n] = ns;
		gb[b].iters[gb[b].n] = it;
		gb[b].n++;
	}
	int rerr = ferror(f);
	fclose(f);
	if (rerr)
		die("%s: read error", path);
	if (!any_text)
		die("%s: empty: no go test output", path);
	if (!*ngb)
		die("%s: no benchmark result lines (want go test -bench output: 'BenchmarkName N V ns/op')", path);
	return 0;
}

/* Go's GOARCH against gmbench's port name: amd64, arm64, and arm = arm32. */
static int goarch_is_port(const char *goarch, const char *port)
{
	if (!strcmp(goarch, port))
		return 1;
	return !strcmp(goarch, "arm") && !strncmp(port, "arm32", 5);
}

static int is_go_peer(const char *run_name)
{
	size_t l = strlen(run_name);
	return !strncmp(run_name, "peer/", 5) && l > 3 && !strcmp(run_name + l - 3, "/go");
}

static json_t *go_entry(const struct gobench *g, long family, const char *run_type, const char *agg,
			long rep, double ns, long long iters, const char *label)
{
	json_t *e = json_object();
	char name[200];
	if (agg)
		snprintf(name, sizeof name, "%s_%s", g->name, agg);
	else
		snprintf(name, sizeof name, "%s", g->name);
	json_object_set_new(e, "name", json_string(name));
	json_object_set_new(e, "family_index", json_integer(family));
	json_object_set_new(e, "per_family_instance_index", json_integer(0));
	json_object_set_new(e, "run_name", json_string(g->name));
	json_object_set_new(e, "run_type", json_string(run_type));
	json_object_set_new(e, "repetitions", json_integer((json_int_t)g->n));
	if (!agg)
		json_object_set_new(e, "repetition_index", json_integer(rep));
	json_object_set_new(e, "threads", json_integer(1));
	if (agg) {
		json_object_set_new(e, "aggregate_name", json_string(agg));
		json_object_set_new(e, "aggregate_unit", json_string(strcmp(agg, "cv") ? "time" : "percentage"));
	}
	json_object_set_new(e, "iterations", json_integer(agg ? (json_int_t)g->n : iters));
	json_object_set_new(e, "real_time", json_real(ns));
	json_object_set_new(e, "cpu_time", json_real(ns));
	json_object_set_new(e, "time_unit", json_string("ns"));
	/* the per-op counter, named for its unit: Go measures wall-clock ns, no cycles */
	json_object_set_new(e, "ns", json_real(ns));
	json_object_set_new(e, "label", json_string(label));
	return e;
}

/* Remove NAME's entry from a "peer/x/y: why; peer/x/y: why" list (in place). */
static void drop_reason(char *list, const char *name)
{
	size_t nl = strlen(name);
	char *out = calloc(1, strlen(list) + 1);
	if (!out)
		die("out of memory");
	const char *p = list;
	while (*p) {
		const char *next = strstr(p + 1, "; peer/");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		if (strncmp(p, name, nl) || strncmp(p + nl, ": ", 2)) {
			if (*out)
				strcat(out, "; ");
			strncat(out, p, len);
		}
		p = next ? next + 2 : p + len;
	}
	strcpy(list, out);
	free(out);
}

static int cmd_go(int argc, char **argv)
{
	const char *rundir = NULL, *gopath = NULL, *toolchain = NULL, *emulated = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "--toolchain=", 12))
			toolchain = argv[i] + 12;
		else if (!strncmp(argv[i], "--emulated=", 11))
			emulated = argv[i] + 11;
		else if (argv[i][0] == '-' && argv[i][1])
			die("go: unknown option %s", argv[i]);
		else if (!rundir)
			rundir = argv[i];
		else if (!gopath)
			gopath = argv[i];
		else
			die("go: too many arguments");
	}
	if (!rundir || !gopath)
		die("usage: gmpeers go RUNDIR GO_OUTPUT [--toolchain=TEXT] [--emulated=WHY]");
	if (emulated && !*emulated)
		emulated = NULL;

	static struct gobench gb[MAXGO];
	size_t ngb;
	char goarch[64], gocpu[256];
	parse_go_output(gopath, gb, &ngb, goarch, sizeof goarch, gocpu, sizeof gocpu);

	char path[4096];
	json_t *root = load_run(rundir, path, sizeof path);
	const char *port = ctx_str(root, "gm_port");
	if (goarch[0] && !goarch_is_port(goarch, port))
		die("%s is Go output for goarch %s, but %s is a %s run: mismatched files", gopath, goarch, path, port);

	json_t *benches = json_object_get(root, "benchmarks");
	/* re-merging replaces the Go rows of an earlier merge */
	long maxfam = -1;
	for (size_t i = json_array_size(benches); i-- > 0;) {
		json_t *b = json_array_get(benches, i);
		const char *rn = json_string_value(json_object_get(b, "run_name"));
		if (rn && is_go_peer(rn)) {
			json_array_remove(benches, i);
			continue;
		}
	}
	for (size_t i = 0; i < json_array_size(benches); i++) {
		json_t *fi = json_object_get(json_array_get(benches, i), "family_index");
		if (json_is_integer(fi) && json_integer_value(fi) > maxfam)
			maxfam = (long)json_integer_value(fi);
	}

	char label[512];
	snprintf(label, sizeof label, "go test -bench: ns/op only, Go has no cycle counter%s%s",
		 emulated ? "; EMULATED: " : "", emulated ? emulated : "");
	size_t maxn = 0;
	for (size_t b = 0; b < ngb; b++) {
		struct gobench *g = &gb[b];
		long fam = ++maxfam;
		double sum = 0, mn = g->ns[0];
		for (size_t r = 0; r < g->n; r++) {
			json_array_append_new(benches, go_entry(g, fam, "iteration", NULL, (long)r, g->ns[r], g->iters[r],
							       label));
			sum += g->ns[r];
			if (g->ns[r] < mn)
				mn = g->ns[r];
		}
		if (g->n > maxn)
			maxn = g->n;
		if (g->n < 2)
			continue;	/* Google Benchmark writes aggregates only for repetitions */
		double mean = sum / (double)g->n, ss = 0;
		for (size_t r = 0; r < g->n; r++)
			ss += (g->ns[r] - mean) * (g->ns[r] - mean);
		double sd = sqrt(ss / (double)(g->n - 1));
		double tmp[MAXREP];
		memcpy(tmp, g->ns, g->n * sizeof *tmp);
		double med = median(tmp, g->n);
		json_array_append_new(benches, go_entry(g, fam, "aggregate", "mean", 0, mean, 0, label));
		json_array_append_new(benches, go_entry(g, fam, "aggregate", "median", 0, med, 0, label));
		json_array_append_new(benches, go_entry(g, fam, "aggregate", "stddev", 0, sd, 0, label));
		json_array_append_new(benches, go_entry(g, fam, "aggregate", "cv", 0, mean > 0 ? sd / mean : 0, 0, label));
		json_array_append_new(benches, go_entry(g, fam, "aggregate", "min", 0, mn, 0, label));
	}

	json_t *ctx = json_object_get(root, "context");
	char desc[1024];
	snprintf(desc, sizeof desc, "%s; go test -bench, GOMAXPROCS=1 (-test.cpu=1), %zu repetition%s%s%s; "
		 "ns/op only: Go has no cycle counter",
		 toolchain ? toolchain : "Go", maxn, maxn == 1 ? "" : "s", gocpu[0] ? "; cpu: " : "", gocpu);
	json_object_set_new(ctx, "gm_peers_go", json_string(desc));
	json_object_set_new(ctx, "gm_peers_go_emulated", json_string(emulated ? emulated : "no"));
	/* these peers ran: forget an earlier "unavailable" for them */
	const char *un = json_string_value(json_object_get(ctx, "gm_peers_unavailable"));
	if (un) {
		char *list = strdup(un);
		for (size_t b = 0; b < ngb; b++)
			drop_reason(list, gb[b].name);
		if (*list)
			json_object_set_new(ctx, "gm_peers_unavailable", json_string(list));
		else
			json_object_del(ctx, "gm_peers_unavailable");
		free(list);
	}
	save_run(root, rundir);
	fprintf(stderr, "gmpeers: merged %zu Go benchmark%s (%zu repetition%s) into %s\n", ngb, ngb == 1 ? "" : "s",
		maxn, maxn == 1 ? "" : "s", path);
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ gmpeers unavailable */

static int cmd_unavailable(int argc, char **argv)
{
	if (argc < 3)
		die("usage: gmpeers unavailable RUNDIR WHY NAME...");
	const char *rundir = argv[0], *why = argv[1];
	if (!*why)
		die("unavailable: WHY must not be empty");
	char path[4096];
	json_t *root = load_run(rundir, path, sizeof path);
	json_t *ctx = json_object_get(root, "context");
	const char *old = json_string_value(json_object_get(ctx, "gm_peers_unavailable"));
	size_t cap = (old ? strlen(old) : 0) + 64;
	for (int i = 2; i < argc; i++)
		cap += strlen(argv[i]) + strlen(why) + 8;
	char *list = calloc(1, cap);
	if (old)
		strcpy(list, old);
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "peer/", 5))
			die("unavailable: '%s' is not a peer name (peer/<what>/<impl>)", argv[i]);
		drop_reason(list, argv[i]);
		size_t l = strlen(list);
		snprintf(list + l, cap - l, "%s%s: %s", l ? "; " : "", argv[i], why);
	}
	json_object_set_new(ctx, "gm_peers_unavailable", json_string(list));
	free(list);
	save_run(root, rundir);
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ gmpeers table */

struct row {
	char name[200];
	const char *unit;      /* counter name: cycles, ticks, ns */
	double med;            /* median per op in unit */
	double med_ns;         /* median per op in ns */
	size_t n;
	long family;           /* registration order (family_index) */
};

static struct row *rows;
static size_t nrows;

static double to_ns(double v, const char *unit)
{
	double ns = gb_to_ns(v, unit);
	if (isnan(ns))
		die("unknown time_unit '%s'", unit);
	return ns;
}

static int by_family(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->family < y->family ? -1 : x->family > y->family;
}


/* Medians over the repetitions of every benchmark in the run (from the per-repetition
 * entries; a run with aggregates only falls back to the median aggregate). */
static void collect_rows(json_t *root, const char *path)
{
	json_t *benches = json_object_get(root, "benchmarks");
	size_t n = json_array_size(benches);
	rows = calloc(n + 1, sizeof *rows);
	double *(*vals)[2] = calloc(n + 1, sizeof *vals);
	size_t *cap = calloc(n + 1, sizeof *cap);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			json_t *b = json_array_get(benches, i);
			const char *rn = json_string_value(json_object_get(b, "run_name"));
			const char *rt = json_string_value(json_object_get(b, "run_type"));
			json_t *rtime = json_object_get(b, "real_time");
			/* an aggregate may hold null: a CV of 0/0 (Google Benchmark wrote NaN) */
			if (!rn || !rt || !(json_is_number(rtime) || (json_is_null(rtime) && strcmp(rt, "iteration"))))
				die("%s: benchmark entry %zu lacks run_name/run_type/real_time", path, i);
			if (json_is_true(json_object_get(b, "error_occurred")) || !json_is_number(rtime))
				continue;
			int iter = !strcmp(rt, "iteration");
			const char *agg = json_string_value(json_object_get(b, "aggregate_name"));
			if (pass == 0 && !iter)
				continue;
			if (pass == 1 && (iter || !agg || strcmp(agg, "median")))
				continue;
			char name[200];
			gb_base_name(rn, name, sizeof name);
			size_t r = 0;
			while (r < nrows && strcmp(rows[r].name, name))
				r++;
			if (pass == 1 && r < nrows)
				continue;	/* has repetitions */
			if (r == nrows) {
				snprintf(rows[r].name, sizeof rows[r].name, "%s", name);
				json_t *fi = json_object_get(b, "family_index");
				rows[r].family = json_is_integer(fi) ? (long)json_integer_value(fi) : (long)r;
				nrows++;
			}
			const char *unit = NULL;
			double v = NAN;
			gb_row_counter(b, &unit, &v);
			double ns = to_ns(json_number_value(rtime),
					  json_string_value(json_object_get(b, "time_unit")));
			rows[r].unit = unit;
			if (rows[r].n == cap[r]) {
				cap[r] = cap[r] ? cap[r] * 2 : 16;
				vals[r][0] = realloc(vals[r][0], cap[r] * sizeof(double));
				vals[r][1] = realloc(vals[r][1], cap[r] * sizeof(double));
			}
			vals[r][0][rows[r].n] = v;
			vals[r][1][rows[r].n] = ns;
			rows[r].n++;
		}
	}
	for (size_t r = 0; r < nrows; r++) {
		rows[r].med = rows[r].unit ? median(vals[r][0], rows[r].n) : NAN;
		rows[r].med_ns = median(vals[r][1], rows[r].n);
		free(vals[r][0]);
		free(vals[r][1]);
	}
	free(vals);
	free(cap);
	qsort(rows, nrows, sizeof *rows, by_family);
}

static const struct row *find_row(const char *name)
{
	for (size_t r = 0; r < nrows; r++)
		if (!strcmp(rows[r].name, name))
			return &rows[r];
	return NULL;
}

/* Why NAME is not in the run: from a "name: why; name: why" list (gm_unavailable,
 * gm_peers_unavailable).  Returns a malloc'd string or NULL. */
static char *reason_in(const char *list, const char *name)
{
	if (!list)
		return NULL;
	char key[256];
	snprintf(key, sizeof key, "%s: ", name);
	const char *p = list;
	while ((p = strstr(p, key))) {
		if (p == list || !strncmp(p - 2, "; ", 2))
			break;
		p++;
	}
	if (!p)
		return NULL;
	p += strlen(key);
	/* the reason runs to the next "; <suite>/<transition>/<variant>: " or the end */
	const char *e = p;
	for (;;) {
		const char *q = strstr(e, "; ");
		if (!q) {
			e = p + strlen(p);
			break;
		}
		const char *c = strstr(q + 2, ": ");
		size_t slashes = 0;
		int word = c != NULL;
		for (const char *t = q + 2; c && t < c; t++) {
			if (*t == '/')
				slashes++;
			else if (isspace((unsigned char)*t))
				word = 0;
		}
		if (word && slashes == 2) {
			e = q;
			break;
		}
		e = q + 2;
	}
	return strndup(p, (size_t)(e - p));
}

static char *why_missing(json_t *root, const char *name)
{
	char *w = reason_in(ctx_str(root, "gm_unavailable"), name);
	if (!w)
		w = reason_in(ctx_str(root, "gm_peers_unavailable"), name);
	if (w)
		return w;
	if (is_go_peer(name))
		return strdup("not measured in this run (make bench PEERS=1 or make peers measures it)");
	if (!strncmp(name, "peer/", 5))
		return strdup("not in this run (make bench PEERS=1 or make peers registers it; FILTER?)");
	return strdup("not in this run (FILTER?)");
}

struct group {
	const char *title;
	const char *per;
	const char *gm[4];        /* gmbench rows; a name ending in '/' is a prefix */
	const char *peers[8];
	const char *note;
};

static const struct group groups[] = {
	{ "goroutine switch", "switch",
	  { "switch/gosave+gogo/savegm", "switch/reschedule/savegm" },
	  { "peer/switch/boost-fcontext", "peer/switch/swapcontext", "peer/switch/setjmp", "peer/gosched/go",
	    "peer/chanpingpong/go" },
	  "one goroutine/context to another; Go: one of the two reschedules of a Gosched round, one "
	  "channel hand-off" },
	{ "Go -> C call", "call",
	  { "cgocall/cgocall/gotoday", "cgocall/cgocall/go2012", "cgocall/cgocall/bare" },
	  { "peer/cgocall/go", "peer/call/plain-indirect" },
	  "an empty C function; gotoday is the model closest to Go 1.19" },
	{ "Go -> C -> Go callback", "round trip",
	  { "callback/go-c-go/gotoday", "callback/go-c-go/go2012", "callback/go-c-go/bare" },
	  { "peer/callback/go" },
	  "a cgo call into C that calls one empty Go function; gotoday is the closest model" },
	{ "callback from a C thread", "callback",
	  { "callback/foreign/needm" },
	  { "peer/callbackcthread/go" },
	  "one callback from a thread the runtime did not create: needm, the call, dropm" },
	{ "TLS read of g", "read",
	  { "tls/read_tp/" },
	  { "peer/load/plain" },
	  "the thread-pointer route to the g slot vs a plain load of a word" },
};

struct pair {
	const struct group *g;
	char gm[200], peer[200];
	const struct row *a, *b;
	char *why;           /* NULL when both ran */
	const char *basis;   /* unit the ratio is taken in */
	double ratio;
};

/* Two decimals, more below 1 (a slow timer's ticks), fewer above 1000. */
static int prec(double v)
{
	v = fabs(v);
	return v >= 1000 ? 0 : v >= 1 || v == 0 ? 2 : v >= 0.1 ? 3 : 4;
}

static void fmt_val(char *buf, size_t len, const struct row *r)
{
	if (!r)
		snprintf(buf, len, "-");
	else if (r->unit && strcmp(r->unit, "ns"))
		snprintf(buf, len, "%.*f %s (%.*f ns)", prec(r->med), r->med, r->unit, prec(r->med_ns), r->med_ns);
	else
		snprintf(buf, len, "%.*f ns", prec(r->med_ns), r->med_ns);
}

static int cmd_table(int argc, char **argv)
{
	const char *rundir = NULL, *runname = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "--run-name=", 11))
			runname = argv[i] + 11;
		else if (argv[i][0] == '-' && argv[i][1])
			die("table: unknown option %s", argv[i]);
		else if (!rundir)
			rundir = argv[i];
		else
			die("table: too many arguments");
	}
	if (!rundir)
		die("usage: gmpeers table RUNDIR [--run-name=NAME]");
	if (!runname || !*runname)
		runname = rundir;
	char path[4096];
	json_t *root = load_run(rundir, path, sizeof path);
	if (json_array_size(json_object_get(root, "benchmarks")) == 0)
		die("%s: no benchmarks in the file", path);
	collect_rows(root, path);

	const char *port = ctx_str(root, "gm_port"), *cpu = ctx_str(root, "gm_cpu");
	const char *counter = ctx_str(root, "gm_counter"), *cunit = ctx_str(root, "gm_counter_unit");
	const char *emu = ctx_str(root, "gm_emulated"), *goemu = ctx_str(root, "gm_peers_go_emulated");
	const char *godesc = ctx_str(root, "gm_peers_go"), *boost = ctx_str(root, "gm_peer_boost");
	int emulated = (emu && strcmp(emu, "no")) || (goemu && strcmp(goemu, "no"));

	/* the pairs */
	struct pair *pairs = calloc(256, sizeof *pairs);
	char *owned[64];	/* names of unavailable variants, strndup'd */
	int nowned = 0;
	size_t np = 0;
	for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++) {
		const struct group *g = &groups[gi];
		const char *gms[64];
		int ngm = 0;
		for (int k = 0; k < 4 && g->gm[k]; k++) {
			size_t l = strlen(g->gm[k]);
			if (g->gm[k][l - 1] != '/') {
				gms[ngm++] = g->gm[k];
				continue;
			}
			int found = 0;
			for (size_t r = 0; r < nrows && ngm < 48; r++)
				if (!strncmp(rows[r].name, g->gm[k], l) && !strchr(rows[r].name + l, '/')) {
					gms[ngm++] = rows[r].name;
					found = 1;
				}
			/* variants registered as unavailable in this run */
			const char *un = ctx_str(root, "gm_unavailable");
			for (const char *p = un; p && (p = strstr(p, g->gm[k])) && ngm < 60; p += l) {
				if (p != un && strncmp(p - 2, "; ", 2))
					continue;
				const char *c = strstr(p, ": ");
				if (!c || memchr(p + l, '/', (size_t)(c - p - l)) || memchr(p, ' ', (size_t)(c - p)))
					continue;
				char *nm = strndup(p, (size_t)(c - p));
				if (nowned < 64)
					owned[nowned++] = nm;
				gms[ngm++] = nm;
				found = 1;
			}
			if (!found) {
				char *nm = NULL;
				if (asprintf(&nm, "%s*", g->gm[k]) < 0)
					die("out of memory");
				if (nowned < 64)
					owned[nowned++] = nm;
				gms[ngm++] = nm;
			}
		}
		for (int k = 0; k < ngm; k++)
			for (int j = 0; j < 8 && g->peers[j] && np < 256; j++) {
				struct pair *p = &pairs[np++];
				p->g = g;
				snprintf(p->gm, sizeof p->gm, "%s", gms[k]);
				snprintf(p->peer, sizeof p->peer, "%s", g->peers[j]);
				p->a = find_row(p->gm);
				p->b = find_row(p->peer);
				if (!p->a) {
					char *w = why_missing(root, p->gm);
					if (asprintf(&p->why, "gmbench's %s: %s", p->gm, w) < 0)
						die("out of memory");
					free(w);
				} else if (!p->b) {
					p->why = why_missing(root, p->peer);
				} else if (p->a->unit && p->b->unit && !strcmp(p->a->unit, p->b->unit) &&
					   p->b->med > 0) {
					p->basis = p->a->unit;
					p->ratio = p->a->med / p->b->med;
				} else if (p->b->med_ns > 0) {
					p->basis = "ns";
					p->ratio = p->a->med_ns / p->b->med_ns;
				} else {
					p->why = strdup("the peer measured 0 per operation: no ratio");
				}
			}
	}

	struct out otxt, ojson, odat;
	out_open(&otxt, rundir, "peers.txt");
	out_open(&ojson, rundir, "peers.json");
	out_open(&odat, rundir, "peers.dat");

	/* peers.txt */
	char head[1024];
	snprintf(head, sizeof head, "gmbench vs peers, one run: %s on %s, counter %s (%s)", port,
		 cpu ? cpu : "unknown CPU", counter ? counter : "?", cunit);
	FILE *f = otxt.f;
	fprintf(f, "%s\n", head);
	fprintf(f, "run: %s\n", runname);
	if (emulated)
		fprintf(f, "EMULATED (%s): emulation timings and ratios, NOT hardware figures\n",
			emu && strcmp(emu, "no") ? emu : goemu);
	fprintf(f, "medians over the repetitions; ratio = gmbench / peer (< 1: gmbench's transition is cheaper)\n");
	fprintf(f, "C peers: same process, same counter, interleaved with gmbench.\n");
	if (godesc)
		fprintf(f, "Go peers: %s; their ratios are in ns.\n", godesc);
	if (boost)
		fprintf(f, "Boost: %s\n", boost);
	const struct group *last = NULL;
	for (size_t i = 0; i < np; i++) {
		struct pair *p = &pairs[i];
		if (p->g != last) {
			fprintf(f, "\n%s, per %s (%s)\n", p->g->title, p->g->per, p->g->note);
			fprintf(f, "  %-28s %-30s %-28s %-30s %8s\n", "gmbench", "median/op", "peer", "median/op",
				"ratio");
			last = p->g;
		}
		char va[80], vb[80];
		fmt_val(va, sizeof va, p->a);
		fmt_val(vb, sizeof vb, p->b);
		if (p->why)
			fprintf(f, "  %-28s %-30s %-28s unavailable: %s\n", p->gm, va, p->peer, p->why);
		else
			fprintf(f, "  %-28s %-30s %-28s %-30s %7.3gx%s\n", p->gm, va, p->peer, vb, p->ratio,
				strcmp(p->basis, "ns") || !strcmp(cunit, "ns") ? "" : " (ns)");
	}

	/* peers.json */
	json_t *j = json_object();
	json_object_set_new(j, "run", json_string(runname));
	json_object_set_new(j, "port", json_string(port));
	json_object_set_new(j, "cpu", json_string(cpu ? cpu : "unknown"));
	json_object_set_new(j, "counter", json_string(counter ? counter : "unknown"));
	json_object_set_new(j, "unit", json_string(cunit));
	json_object_set_new(j, "emulated", json_string(emulated ? (emu && strcmp(emu, "no") ? emu : goemu) : "no"));
	json_object_set_new(j, "ratio", json_string("gmbench / peer"));
	json_object_set_new(j, "statistic", json_string("median over the repetitions"));
	if (godesc)
		json_object_set_new(j, "go", json_string(godesc));
	if (boost)
		json_object_set_new(j, "boost", json_string(boost));
	json_t *jg = json_array();
	last = NULL;
	json_t *jpairs = NULL;
	for (size_t i = 0; i < np; i++) {
		struct pair *p = &pairs[i];
		if (p->g != last) {
			json_t *o = json_object();
			json_object_set_new(o, "group", json_string(p->g->title));
			json_object_set_new(o, "per", json_string(p->g->per));
			json_object_set_new(o, "note", json_string(p->g->note));
			jpairs = json_array();
			json_object_set_new(o, "pairs", jpairs);
			json_array_append_new(jg, o);
			last = p->g;
		}
		json_t *o = json_object();
		json_object_set_new(o, "gmbench", json_string(p->gm));
		json_object_set_new(o, "peer", json_string(p->peer));
		const struct row *rs[2] = { p->a, p->b };
		const char *keys[2] = { "gmbench", "peer" };
		for (int k = 0; k < 2; k++) {
			char key[64];
			if (!rs[k])
				continue;
			snprintf(key, sizeof key, "%s_median", keys[k]);
			if (rs[k]->unit && !isnan(rs[k]->med))
				json_object_set_new(o, key, json_real(rs[k]->med));
			snprintf(key, sizeof key, "%s_unit", keys[k]);
			json_object_set_new(o, key, json_string(rs[k]->unit ? rs[k]->unit : "ns"));
			snprintf(key, sizeof key, "%s_ns", keys[k]);
			json_object_set_new(o, key, json_real(rs[k]->med_ns));
			snprintf(key, sizeof key, "%s_repetitions", keys[k]);
			json_object_set_new(o, key, json_integer((json_int_t)rs[k]->n));
		}
		json_object_set_new(o, "available", json_boolean(!p->why));
		if (p->why) {
			json_object_set_new(o, "why", json_string(p->why));
		} else {
			json_object_set_new(o, "ratio", json_real(p->ratio));
			json_object_set_new(o, "basis", json_string(p->basis));
		}
		json_array_append_new(jpairs, o);
	}
	json_object_set_new(j, "groups", jg);
	if (json_dumpf(j, ojson.f, JSON_INDENT(2)) != 0)
		die("writing %s failed", ojson.tmp);
	fputc('\n', ojson.f);
	json_decref(j);

	/* peers.dat: index group "gmbench vs peer" ratio basis "why" (ratio NaN: unavailable) */
	fprintf(odat.f, "# %s%s\n# ratio = gmbench / peer (median per op); columns: index group label ratio "
		"basis note\n", head, emulated ? " EMULATED" : "");
	int gidx = -1;
	last = NULL;
	for (size_t i = 0; i < np; i++) {
		struct pair *p = &pairs[i];
		if (p->g != last) {
			gidx++;
			last = p->g;
		}
		char note[240], ratio[32];
		snprintf(note, sizeof note, "%s", p->why ? p->why : "");
		for (char *c = note; *c; c++)
			if (*c == '"')
				*c = '\'';
		if (p->why)
			snprintf(ratio, sizeof ratio, "NaN");
		else
			snprintf(ratio, sizeof ratio, "%.6g", p->ratio);
		fprintf(odat.f, "%zu %d \"%s vs %s\" %s %s \"%s\"\n", i, gidx, p->gm,
			!strncmp(p->peer, "peer/", 5) ? p->peer + 5 : p->peer, ratio, p->why ? "-" : p->basis, note);
	}

	commit_outs();
	/* and on the terminal */
	snprintf(path, sizeof path, "%s/peers.txt", rundir);
	FILE *in = fopen(path, "r");
	if (in) {
		char buf[4096];
		size_t k;
		while ((k = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, k, stdout);
		fclose(in);
	}
	for (size_t i = 0; i < np; i++)
		free(pairs[i].why);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	free(pairs);
	free(rows);
	json_decref(root);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: gmpeers go|unavailable|table ... (see the comment at the top of bench/peers/gmpeers.c)");
	if (!strcmp(argv[1], "go"))
		return cmd_go(argc - 2, argv + 2);
	if (!strcmp(argv[1], "unavailable"))
		return cmd_unavailable(argc - 2, argv + 2);
	if (!strcmp(argv[1], "table"))
		return cmd_table(argc - 2, argv + 2);
	die("unknown command '%s' (go, unavailable, table)", argv[1]);
	return 2;
}
