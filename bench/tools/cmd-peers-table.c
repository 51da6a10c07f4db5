/*
 * cmd-peers-table.c — gm peers table (docs/tools/peers.md): each gmbench transition
 * paired with its peers from the same run, into peers.txt, peers.json and peers.dat
 * (renamed together), the text also printed.  A pair whose side is missing says why,
 * from the run's own records of what could not run.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-peers.h"
#include "util/load.h"
#include "util/stats.h"
#include "util/util.h"

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
	rows = xcalloc(n + 1, sizeof *rows);
	double *(*vals)[2] = xcalloc(n + 1, sizeof *vals);
	size_t *cap = xcalloc(n + 1, sizeof *cap);
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
				vals[r][0] = xrealloc(vals[r][0], cap[r] * sizeof(double));
				vals[r][1] = xrealloc(vals[r][1], cap[r] * sizeof(double));
			}
			vals[r][0][rows[r].n] = v;
			vals[r][1][rows[r].n] = ns;
			rows[r].n++;
		}
	}
	for (size_t r = 0; r < nrows; r++) {
		rows[r].med = rows[r].unit ? gm_median_inplace(vals[r][0], rows[r].n) : NAN;
		rows[r].med_ns = gm_median_inplace(vals[r][1], rows[r].n);
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
		return xstrdup("not measured in this run (make bench PEERS=1 or make peers measures it)");
	if (!strncmp(name, "peer/", 5))
		return xstrdup("not in this run (make bench PEERS=1 or make peers registers it; FILTER?)");
	return xstrdup("not in this run (FILTER?)");
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

int peers_table(int argc, char **argv)
{
	const char *rundir = NULL, *runname = NULL;
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, "--run-name", &runname))
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			die("table: unknown option %s", argv[i]);
		else if (!rundir)
			rundir = argv[i];
		else
			die("table: too many arguments");
	}
	if (!rundir)
		die_usage("table needs RUNDIR");
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
	struct pair *pairs = xcalloc(256, sizeof *pairs);
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
					p->why = xstrdup("the peer measured 0 per operation: no ratio");
				}
				if (!p->why && !isfinite(p->ratio))	/* a median of 1e-300, or NaN */
					p->why = xstrdup("the medians give no finite ratio (corrupted figures?)");
			}
	}

	struct gm_out *otxt = gm_out_open_in(rundir, "peers.txt");
	struct gm_out *ojson = gm_out_open_in(rundir, "peers.json");
	struct gm_out *odat = gm_out_open_in(rundir, "peers.dat");

	/* peers.txt */
	char head[1024];
	snprintf(head, sizeof head, "gmbench vs peers, one run: %s on %s, counter %s (%s)", port,
		 cpu ? cpu : "unknown CPU", counter ? counter : "?", cunit);
	FILE *f = otxt->f;
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
	if (json_dumpf(j, ojson->f, JSON_INDENT(2)) != 0)
		die("writing %s failed", ojson->tmp);
	fputc('\n', ojson->f);
	json_decref(j);

	/* peers.dat: index group "gmbench vs peer" ratio basis "why" (ratio "missing": unavailable, the note says why) */
	fprintf(odat->f, "# %s%s\n# ratio = gmbench / peer (median per op); columns: index group label ratio "
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
		if (p->why)	/* missing, the reason in the last column (scripts/plot/peers.sh) */
			snprintf(ratio, sizeof ratio, "missing");
		else
			snprintf(ratio, sizeof ratio, "%.6g", p->ratio);
		fprintf(odat->f, "%zu %d \"%s vs %s\" %s %s \"%s\"\n", i, gidx, p->gm,
			!strncmp(p->peer, "peer/", 5) ? p->peer + 5 : p->peer, ratio, p->why ? "-" : p->basis, note);
	}

	gm_out_commit_all();
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

