/*
 * cmd-peers.c — gm peers (docs/tools/peers.md): the mode words, and the two modes that
 * rewrite a run's bench.json: go (real Go's `go test -bench` results merged in as
 * Google-Benchmark-shaped rows) and unavailable (why a peer could not run).  The file
 * is rewritten through the atomic writer, so a run never holds half a merge.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-peers.h"
#include "cmds.h"
#include "util/load.h"
#include "util/stats.h"
#include "util/util.h"

json_t *load_run(const char *rundir, char *path, size_t pathlen)
{
	json_t *root = gm_load_run_bench(rundir, path, pathlen);
	json_t *ctx = json_object_get(root, "context");
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
	drop_null_aggregates(root);
	struct gm_out *o = gm_out_open_in(rundir, "bench.json");
	if (json_dumpf(root, o->f, JSON_INDENT(2)) != 0)
		die("writing %s failed", o->tmp);
	fputc('\n', o->f);
	gm_out_commit_all();
}

const char *ctx_str(json_t *root, const char *key)
{
	return json_string_value(json_object_get(json_object_get(root, "context"), key));
}

/* ------------------------------------------------------------------ gm peers go */

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

int is_go_peer(const char *run_name)
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
	char *out = xcalloc(1, strlen(list) + 1);
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
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, "--toolchain", &toolchain) || gm_opt(argc, argv, &i, "--emulated", &emulated))
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			die("go: unknown option %s", argv[i]);
		else if (!rundir)
			rundir = argv[i];
		else if (!gopath)
			gopath = argv[i];
		else
			die("go: too many arguments");
	}
	if (!rundir || !gopath)
		die_usage("go needs RUNDIR and GO_OUTPUT");
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
		double med = gm_median_inplace(tmp, g->n);
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
		char *list = xstrdup(un);
		for (size_t b = 0; b < ngb; b++)
			drop_reason(list, gb[b].name);
		if (*list)
			json_object_set_new(ctx, "gm_peers_unavailable", json_string(list));
		else
			json_object_del(ctx, "gm_peers_unavailable");
		free(list);
	}
	save_run(root, rundir);
	fprintf(stderr, "%s: merged %zu Go benchmark%s (%zu repetition%s) into %s\n", gm_prog, ngb, ngb == 1 ? "" : "s",
		maxn, maxn == 1 ? "" : "s", path);
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ gm peers unavailable */

static int cmd_unavailable(int argc, char **argv)
{
	if (argc < 4)
		die_usage("unavailable needs RUNDIR WHY NAME...");
	const char *rundir = argv[1], *why = argv[2];
	if (!*why)
		die("unavailable: WHY must not be empty");
	char path[4096];
	json_t *root = load_run(rundir, path, sizeof path);
	json_t *ctx = json_object_get(root, "context");
	const char *old = json_string_value(json_object_get(ctx, "gm_peers_unavailable"));
	size_t cap = (old ? strlen(old) : 0) + 64;
	for (int i = 3; i < argc; i++)
		cap += strlen(argv[i]) + strlen(why) + 8;
	char *list = xcalloc(1, cap);
	if (old)
		strcpy(list, old);
	for (int i = 3; i < argc; i++) {
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


int cmd_peers(int argc, char **argv)
{
	return gm_run_mode(argc, argv, NULL, (const struct gm_mode[]){
		{ "go", cmd_go }, { "unavailable", cmd_unavailable }, { "table", peers_table },
		{ NULL, NULL } });
}
