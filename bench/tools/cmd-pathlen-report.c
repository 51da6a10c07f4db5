/*
 * cmd-pathlen-report.c — gm pathlen report (docs/tools/pathlen.md): the counting
 * modes' records paired with the driver's region labels, the K and 2K regions of each
 * case differenced into exact instructions per operation, and pathlen.json,
 * pathlen.txt and pathlen.dat written from the same results (all three renamed
 * together).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cmd-pathlen.h"
#include "util/util.h"

struct rsym { size_t id; uint64_t n; };
struct region {
	char name[200];
	const char *method;
	long n;
	uint64_t main, others;
	struct rsym *m, *o;
	size_t nm, no, capm, capo;
};

struct rlist { struct region *r; size_t n, cap; };

/* Counts beyond 2^53 are no instruction count (and would lose digits as doubles, or
 * overflow the K/2K difference): a corrupted record. */
#define MAX_COUNT 9007199254740992ull

/* A whole number for OPT from 1 to MAX (--k, --reps, a case's unit), else die. */
static long count_arg(const char *opt, const char *text, long max)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > max)
		die("report: %s '%s': a whole number from 1 to %ld", opt, text, max);
	return v;
}


static void read_pair(const char *labels, const char *counts, const char *method, struct rlist *out)
{
	FILE *fl = fopen(labels, "r"), *fc = fopen(counts, "r");
	if (!fl)
		die("report: %s: %s", labels, strerror(errno));
	if (!fc)
		die("report: %s: %s", counts, strerror(errno));
	char line[2048];
	size_t start = out->n;
	while (fgets(line, sizeof line, fl)) {
		char w[16], name[200];
		long n;
		if (sscanf(line, "%15s %199s %ld", w, name, &n) != 3 || strcmp(w, "region"))
			continue;
		if (n < 1 || n > 2000000)
			die("report: %s: region %s of %ld operations (1 to 2000000)", labels, name, n);
		GROW(out->r, out->n, out->cap);
		struct region *r = &out->r[out->n++];
		memset(r, 0, sizeof *r);
		snprintf(r->name, sizeof r->name, "%s", name);
		r->method = method;
		r->n = n;
	}
	gm_read_end(fl, labels);
	size_t i = start;
	struct region *cur = NULL;
	size_t nrec = 0;
	while (fgets(line, sizeof line, fc)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == 'R') {
			long seq;
			unsigned long long m, o;
			if (sscanf(line, "R %ld %llu %llu", &seq, &m, &o) != 3)
				die("report: %s: bad record '%s'", counts, line);
			if (m > MAX_COUNT || o > MAX_COUNT)
				die("report: %s: a count beyond 2^53 in '%s'", counts, line);
			nrec++;
			if (i >= out->n) {
				cur = NULL;
				continue;
			}
			cur = &out->r[i++];
			cur->main = m;
			cur->others = o;
		} else if (line[0] == 'S' && cur) {
			char tag;
			unsigned long long v;
			int off = 0;
			if (sscanf(line, "S %c %llu %n", &tag, &v, &off) < 2 || !off)
				continue;
			if (v > MAX_COUNT)
				die("report: %s: a count beyond 2^53 in '%s'", counts, line);
			struct rsym s = { intern(line + off), v };
			if (tag == 'm') {
				GROW(cur->m, cur->nm, cur->capm);
				cur->m[cur->nm++] = s;
			} else {
				GROW(cur->o, cur->no, cur->capo);
				cur->o[cur->no++] = s;
			}
		}
	}
	gm_read_end(fc, counts);
	if (nrec != out->n - start)
		die("report: %s has %zu regions but %s counted %zu: the run is incomplete or the markers "
		    "were not seen", labels, out->n - start, counts, nrec);
}

static uint64_t region_value(const struct region *r, int thread)
{
	return thread ? r->others : r->main;
}

/* Per-op result of a case from its regions. */
struct result {
	int ok;            /* had K and 2K regions */
	int exact;         /* all repetitions agree and the difference divides by K */
	double perop;
	long long diff;    /* I(2K) - I(K) */
	uint64_t ik, i2k, spread;
	const char *method;
	int unit;
	json_t *syms;      /* name -> per-op */
};

static int rsym_cmp_desc(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	double u = json_number_value(json_array_get(x, 1)), v = json_number_value(json_array_get(y, 1));
	return u < v ? 1 : u > v ? -1 : 0;
}

static struct result compute(const struct rlist *rl, const char *name, long k, int thread, int unit)
{
	struct result res = { 0 };
	const struct region *bk = NULL, *b2 = NULL;
	uint64_t mink = UINT64_MAX, maxk = 0, min2 = UINT64_MAX, max2 = 0;
	for (size_t i = 0; i < rl->n; i++) {
		const struct region *r = &rl->r[i];
		if (strcmp(r->name, name))
			continue;
		uint64_t v = region_value(r, thread);
		if (r->n == k) {
			if (v < mink) { mink = v; bk = r; }
			if (v > maxk) maxk = v;
		} else if (r->n == 2 * k) {
			if (v < min2) { min2 = v; b2 = r; }
			if (v > max2) max2 = v;
		}
	}
	if (!bk || !b2)
		return res;
	res.ok = 1;
	res.method = bk->method;
	res.ik = mink;
	res.i2k = min2;
	res.diff = (long long)min2 - (long long)mink;
	res.perop = (double)res.diff / (double)k;
	res.spread = (maxk - mink) > (max2 - min2) ? maxk - mink : max2 - min2;
	res.exact = res.spread == 0 && (res.diff * unit) % k == 0;
	res.unit = unit;
	/* per symbol: 2K tally minus K tally, per op */
	json_t *acc = json_object();
	const struct rsym *s1 = thread ? bk->o : bk->m, *s2 = thread ? b2->o : b2->m;
	size_t n1 = thread ? bk->no : bk->nm, n2 = thread ? b2->no : b2->nm;
	for (size_t i = 0; i < n2; i++) {
		json_t *v = json_object_get(acc, names[s2[i].id]);
		double x = (v ? json_number_value(v) : 0) + (double)s2[i].n;
		json_object_set_new(acc, names[s2[i].id], json_real(x));
	}
	for (size_t i = 0; i < n1; i++) {
		json_t *v = json_object_get(acc, names[s1[i].id]);
		double x = (v ? json_number_value(v) : 0) - (double)s1[i].n;
		json_object_set_new(acc, names[s1[i].id], json_real(x));
	}
	/* sorted by cost, zero entries dropped */
	size_t na = json_object_size(acc), m = 0;
	json_t **arr = xcalloc(na + 1, sizeof *arr);
	const char *key;
	json_t *val;
	json_object_foreach(acc, key, val) {
		double x = json_number_value(val) / (double)k;
		if (fabs(x) < 1e-9)
			continue;
		arr[m++] = json_pack("[s f]", key, x);
	}
	qsort(arr, m, sizeof *arr, rsym_cmp_desc);
	res.syms = json_object();
	for (size_t i = 0; i < m; i++) {
		double x = json_number_value(json_array_get(arr[i], 1));
		json_t *num = (x == floor(x)) ? json_integer((json_int_t)x) : json_real(round(x * 100) / 100);
		json_object_set_new(res.syms, json_string_value(json_array_get(arr[i], 0)), num);
		json_decref(arr[i]);
	}
	free(arr);
	json_decref(acc);
	return res;
}

static json_t *perop_json(const struct result *r)
{
	if (!r->ok)
		return json_null();
	if (r->exact && r->perop == floor(r->perop))
		return json_integer((json_int_t)llround(r->perop));
	if (r->exact)
		return json_real(r->perop);
	return json_real(round(r->perop * 10) / 10);
}

struct gmcase {
	char name[200], suite[48], transition[64], variant[64], flags[64], measure[16];
	int unit;          /* operations per repeating unit (2: a switch round trip) */
};

static int has_flag(const struct gmcase *c, const char *f)
{
	char buf[80];
	snprintf(buf, sizeof buf, ",%s,", c->flags);
	char pat[40];
	snprintf(pat, sizeof pat, ",%s,", f);
	return strstr(buf, pat) != NULL;
}

/* gmbench transition -> the Go program's case */
static const struct { const char *transition, *gocase, *what; } go_map[] = {
	{ "switch/reschedule", "gosched", "runtime.Gosched, one goroutine (one reschedule)" },
	{ "cgocall/cgocall", "cgocall", "cgo call of an empty C function" },
	{ "callback/crosscall2", "callback", "C -> Go callback of an exported Go function, per callback" },
	{ "callback/go-c-go", "gocgo", "Go -> C -> Go round trip" },
};

static const char *fmt_val(char *buf, size_t len, const struct result *r)
{
	if (!r || !r->ok)
		snprintf(buf, len, "-");
	else if (r->exact && r->perop == floor(r->perop))
		snprintf(buf, len, "%lld", (long long)llround(r->perop));
	else if (r->exact)
		snprintf(buf, len, "%.1f", r->perop);
	else
		snprintf(buf, len, "~%.1f", r->perop);
	return buf;
}

int pathlen_report(int argc, char **argv)
{
	const char *arch = NULL, *port = NULL, *method = "", *go_method = "", *cases_path = NULL,
		   *json_path = NULL, *txt_path = NULL, *dat_path = NULL, *go_unavail = NULL;
	long k = 0, reps = 0;
	struct rlist gm = { 0 }, go = { 0 };
	json_t *meta = json_object();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v[3];
		if (gm_opt(argc, argv, &i, "--arch", &arch) || gm_opt(argc, argv, &i, "--port", &port) ||
		    gm_opt(argc, argv, &i, "--method", &method) || gm_opt(argc, argv, &i, "--go-method", &go_method) ||
		    gm_opt(argc, argv, &i, "--cases", &cases_path) || gm_opt(argc, argv, &i, "--json", &json_path) ||
		    gm_opt(argc, argv, &i, "--txt", &txt_path) || gm_opt(argc, argv, &i, "--dat", &dat_path) ||
		    gm_opt(argc, argv, &i, "--go-unavailable", &go_unavail))
			continue;
		if (gm_opt(argc, argv, &i, "--k", v))
			k = count_arg("--k", v[0], 1000000);
		else if (gm_opt(argc, argv, &i, "--reps", v))
			reps = count_arg("--reps", v[0], 1000000);
		else if (gm_optn(argc, argv, &i, "--gm", 3, v))
			read_pair(v[0], v[1], v[2], &gm);
		else if (gm_optn(argc, argv, &i, "--go", 2, v))
			read_pair(v[0], v[1], go_method, &go);
		else if (gm_optn(argc, argv, &i, "--meta", 2, v))
			json_object_set_new(meta, v[0], json_string(v[1]));
		else
			die_usage("report: bad argument '%s'", a);
	}
	if (!arch || !port || !cases_path || !json_path || !txt_path || k < 1)
		die("report: --arch, --port, --cases, --k, --json and --txt are required");

	/* the cases and the unavailable ones, from the driver's output */
	struct gmcase *cs = NULL;
	size_t ncs = 0, capcs = 0;
	json_t *unavail = json_array(), *context = json_object();
	FILE *f = fopen(cases_path, "r");
	if (!f)
		die("report: %s: %s", cases_path, strerror(errno));
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		char *fld[8] = { 0 };
		int nf = gm_split(line, "\t", fld, 8);
		if (nf >= 7 && !strcmp(fld[0], "case")) {
			GROW(cs, ncs, capcs);
			struct gmcase *c = &cs[ncs++];
			snprintf(c->name, sizeof c->name, "%s", fld[1]);
			snprintf(c->suite, sizeof c->suite, "%s", fld[2]);
			snprintf(c->transition, sizeof c->transition, "%s", fld[3]);
			snprintf(c->variant, sizeof c->variant, "%s", fld[4]);
			snprintf(c->flags, sizeof c->flags, "%s", fld[5]);
			snprintf(c->measure, sizeof c->measure, "%s", fld[6]);
			c->unit = nf >= 8 && *fld[7] ? (int)count_arg("a case's unit", fld[7], 64) : 1;
		} else if (nf >= 3 && !strcmp(fld[0], "unavailable"))
			json_array_append_new(unavail, json_pack("{s:s s:s}", "name", fld[1], "why", fld[2]));
		else if (nf >= 3 && !strcmp(fld[0], "context"))
			json_object_set_new(context, fld[1], json_string(fld[2]));
	}
	gm_read_end(f, cases_path);
	if (!ncs)
		die("report: %s lists no case", cases_path);

	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string("gmbench-pathlen"));
	json_object_set_new(root, "what", json_string("exact instructions executed per operation, counted "
		"under emulation/instrumentation: not timings, not cycles"));
	json_object_set_new(root, "arch", json_string(arch));
	json_object_set_new(root, "port", json_string(port));
	json_object_set_new(root, "method", json_string(method));
	json_object_set_new(root, "k", json_integer(k));
	json_object_set_new(root, "reps", json_integer(reps));
	json_object_set_new(root, "meta", meta);
	json_t *jcases = json_array();
	struct result *res = xcalloc(ncs, sizeof *res);
	int nexact = 0;
	for (size_t i = 0; i < ncs; i++) {
		struct gmcase *c = &cs[i];
		int thread = !strcmp(c->measure, "thread");
		res[i] = compute(&gm, c->name, k, thread, c->unit);
		json_t *flags = json_array();
		char fl[64];
		snprintf(fl, sizeof fl, "%s", c->flags);
		for (char *s = fl, *t; (t = strsep(&s, ","));)
			if (*t && strcmp(t, "-"))
				json_array_append_new(flags, json_string(t));
		json_t *jc = json_pack("{s:s s:s s:s s:s s:s s:s s:o s:s s:o s:b}",
			"source", "gmbench", "port", port, "name", c->name, "suite", c->suite,
			"transition", c->transition, "variant", c->variant, "flags", flags,
			"counted", thread ? "the new thread, from entering its thread entry (gm_thread_entry, or "
					    "the variant's) until it returns" : "the calling thread",
			"instructions_per_op", perop_json(&res[i]), "exact", res[i].exact);
		json_object_set_new(jc, "method", json_string(res[i].method ? res[i].method : method));
		if (c->unit > 1) {
			json_object_set_new(jc, "ops_per_unit", json_integer(c->unit));
			json_object_set_new(jc, "unit", json_string("a round trip of two different switches (A to B, B to A)"));
			if (res[i].ok)
				json_object_set_new(jc, "instructions_per_unit", res[i].exact ?
					json_integer((json_int_t)llround(res[i].perop * c->unit)) : json_real(res[i].perop * c->unit));
		}
		if (res[i].ok) {
			json_object_set_new(jc, "region_instructions",
				json_pack("{s:I s:I}", "k", (json_int_t)res[i].ik, "2k", (json_int_t)res[i].i2k));
			json_object_set_new(jc, "repetition_spread", json_integer((json_int_t)res[i].spread));
			json_object_set_new(jc, "symbols", res[i].syms);
		} else
			json_object_set_new(jc, "error", json_string("no K/2K regions were counted for this case"));
		nexact += res[i].exact;
		json_array_append_new(jcases, jc);
	}
	json_object_set_new(root, "cases", jcases);
	json_object_set_new(root, "context", context);
	json_object_set_new(root, "unavailable", unavail);

	/* Go */
	json_t *jgo = json_object();
	struct result gores[sizeof go_map / sizeof go_map[0]];
	memset(gores, 0, sizeof gores);
	if (go_unavail) {
		json_object_set_new(jgo, "available", json_false());
		json_object_set_new(jgo, "why", json_string(go_unavail));
	} else {
		json_object_set_new(jgo, "available", json_true());
		json_object_set_new(jgo, "method", json_string(go_method));
		json_t *gc = json_array();
		for (size_t g = 0; g < sizeof go_map / sizeof go_map[0]; g++) {
			gores[g] = compute(&go, go_map[g].gocase, k, 0, 1);
			json_t *jc = json_pack("{s:s s:s s:s s:o s:b}", "source", "go", "name", go_map[g].gocase,
				"what", go_map[g].what, "instructions_per_op", perop_json(&gores[g]),
				"exact", gores[g].exact);
			if (gores[g].ok) {
				json_object_set_new(jc, "repetition_spread", json_integer((json_int_t)gores[g].spread));
				json_object_set_new(jc, "symbols", gores[g].syms);
			} else
				json_object_set_new(jc, "error", json_string("not counted (the Go program failed?)"));
			json_array_append_new(gc, jc);
		}
		json_object_set_new(jgo, "cases", gc);
	}
	json_object_set_new(root, "go", jgo);

	/* the per-transition table: gmbench (its Go-today variant, else its first that is not
	 * the seed's) / seed (the case its suite flagged as the 2012 seed's sequence; the
	 * column exists only where some case is: the seed is Linux/ARM code) / Go */
	int seed_column = 0;
	for (size_t i = 0; i < ncs; i++)
		seed_column |= has_flag(&cs[i], "seed");
	json_object_set_new(root, "seed_column", json_boolean(seed_column));
	if (!seed_column)
		json_object_set_new(root, "seed_note", json_string("no case of this port runs the 2012 seed's "
			"sequence: the seed (Go CL 5989057) is Linux/ARM code, modelled on the arm port only"));
	json_t *table = json_array();
	struct gm_out *ot = gm_out_open(txt_path), *od = dat_path ? gm_out_open(dat_path) : NULL;
	struct gm_out *oj = gm_out_open(json_path);
	FILE *ft = ot->f, *fd = od ? od->f : NULL;
	fprintf(ft, "gmbench path lengths: %s port (%s)\n", port, arch);
	fprintf(ft, "EXACT INSTRUCTIONS EXECUTED PER OPERATION, counted under emulation/instrumentation.\n"
		    "Not timings and not cycles: see docs/pathlen.md for what to trust when.\n");
	fprintf(ft, "method: %s\n", method);
	fprintf(ft, "K = %ld, %ld repetitions of the K and 2K regions; per op = (I(2K) - I(K)) / K; "
		    "'~' marks a count that was not exactly repeatable.\n\n", k, reps);
	if (seed_column) {
		fprintf(ft, "%-24s %-22s %-22s %s\n", "transition", "gmbench (variant)", "seed 2012 (variant)", "Go 1.19");
		fprintf(ft, "%-24s %-22s %-22s %s\n", "----------", "-----------------", "-------------------", "-------");
	} else {
		fprintf(ft, "%-24s %-22s %s\n", "transition", "gmbench (variant)", "Go 1.19");
		fprintf(ft, "%-24s %-22s %s\n", "----------", "-----------------", "-------");
	}
	if (fd)
		fprintf(fd, "# %s: instructions per operation (exact counts, not timings); '-' = none\n"
			    "# transition gmbench%s go\n", port, seed_column ? " seed" : "");
	char seen[64][160];
	int nseen = 0;
	for (size_t i = 0; i < ncs; i++) {
		char key[160];
		snprintf(key, sizeof key, "%s/%s", cs[i].suite, cs[i].transition);
		if (!strcmp(cs[i].suite, "peer"))
			continue;	/* other code: listed below, not a gmbench transition */
		int dup = 0;
		for (int s = 0; s < nseen; s++)
			dup |= !strcmp(seen[s], key);
		if (dup || nseen == 64)
			continue;
		snprintf(seen[nseen++], sizeof seen[0], "%s", key);
		ssize_t pick = -1, seed = -1;
		for (size_t j = 0; j < ncs; j++) {
			char kj[160];
			snprintf(kj, sizeof kj, "%s/%s", cs[j].suite, cs[j].transition);
			if (strcmp(kj, key))
				continue;
			if (!has_flag(&cs[j], "seed") &&
			    (pick < 0 || (has_flag(&cs[j], "gotoday") && !has_flag(&cs[pick], "gotoday"))))
				pick = (ssize_t)j;
			if (seed < 0 && has_flag(&cs[j], "seed"))
				seed = (ssize_t)j;
		}
		ssize_t g = -1;
		for (size_t x = 0; x < sizeof go_map / sizeof go_map[0]; x++)
			if (!strcmp(go_map[x].transition, key))
				g = (ssize_t)x;
		json_t *row = json_pack("{s:s}", "transition", key);
		/* a transition only the seed's sequence has: nothing of gmbench's own to show */
		json_object_set_new(row, "gmbench", pick < 0 ? json_null() : json_pack("{s:s s:o}", "variant",
			cs[pick].variant, "instructions_per_op", perop_json(&res[pick])));
		if (seed_column) {
			json_object_set_new(row, "seed", seed < 0 ? json_null() :
				json_pack("{s:s s:o}", "variant", cs[seed].variant, "instructions_per_op",
					  perop_json(&res[seed])));
			if (seed < 0)
				json_object_set_new(row, "seed_note", json_string("no case of this transition runs "
					"the seed's sequence (the suite flags the ones that do, GM_VF_SEED2012)"));
		}
		if (go_unavail)
			json_object_set_new(row, "go", json_null());
		else if (g < 0)
			json_object_set_new(row, "go", json_null());
		else
			json_object_set_new(row, "go", json_pack("{s:s s:o s:b}", "what", go_map[g].what,
				"instructions_per_op", perop_json(&gores[g]), "exact", gores[g].exact));
		if (g < 0 && !go_unavail)
			json_object_set_new(row, "go_note", json_string("no isolated Go equivalent"));
		json_array_append_new(table, row);
		char b1[64], b2[64], b3[64], c1[96], c2[96];
		if (pick >= 0)
			snprintf(c1, sizeof c1, "%s (%s)", fmt_val(b1, sizeof b1, &res[pick]), cs[pick].variant);
		else
			snprintf(c1, sizeof c1, "-");
		if (seed >= 0)
			snprintf(c2, sizeof c2, "%s (%s)", fmt_val(b2, sizeof b2, &res[seed]), cs[seed].variant);
		else
			snprintf(c2, sizeof c2, "-");
		const char *c3 = go_unavail ? "n/a" : g < 0 ? "-" : fmt_val(b3, sizeof b3, &gores[g]);
		if (seed_column)
			fprintf(ft, "%-24s %-22s %-22s %s\n", key, c1, c2, c3);
		else
			fprintf(ft, "%-24s %-22s %s\n", key, c1, c3);
		if (fd) {
			char d1[64], d2[64], d3[64];
			fprintf(fd, "\"%s\" %s%s%s %s\n", key,
				pick >= 0 && res[pick].ok ? (snprintf(d1, sizeof d1, "%.2f", res[pick].perop), d1) : "-",
				seed_column ? " " : "",
				!seed_column ? "" : seed >= 0 && res[seed].ok ? (snprintf(d2, sizeof d2, "%.2f", res[seed].perop), d2) : "-",
				!go_unavail && g >= 0 && gores[g].ok ? (snprintf(d3, sizeof d3, "%.2f", gores[g].perop), d3) : "-");
		}
	}
	json_object_set_new(root, "table", table);
	if (!seed_column)
		fprintf(ft, "\nNo seed column: no case of the %s port runs the 2012 seed's sequence. The seed (Go CL "
			    "5989057) is Linux/ARM code; its protocol is built on the arm port (docs/seed.md).\n", port);
	else
		fprintf(ft, "\nSeed column: the cases whose suite flags them as the 2012 seed's sequence "
			    "(docs/seed.md), '-' where the seed has no routine for the transition.\n");
	int npeer = 0;
	for (size_t i = 0; i < ncs; i++) {
		if (strcmp(cs[i].suite, "peer"))
			continue;
		char b[64];
		if (!npeer++)
			fprintf(ft, "\nPeers (C code in the same process, same method; switches per switch):\n");
		fprintf(ft, "  %-30s %s\n", cs[i].name, fmt_val(b, sizeof b, &res[i]));
	}
	{
		const char *ck;
		json_t *cv;
		json_object_foreach(context, ck, cv)
			fprintf(ft, "  (%s: %s)\n", ck, json_string_value(cv));
	}
	if (go_unavail)
		fprintf(ft, "\nGo column: unavailable: %s\n", go_unavail);
	else {
		fprintf(ft, "\nGo column: %s\n", go_method);
		for (size_t g = 0; g < sizeof go_map / sizeof go_map[0]; g++) {
			char b[64];
			fprintf(ft, "  %-10s %-10s %s%s\n", go_map[g].gocase, fmt_val(b, sizeof b, &gores[g]), go_map[g].what,
				gores[g].ok && !gores[g].exact ? " (not exactly repeatable: the minimum over the repetitions)" : "");
		}
	}
	fprintf(ft, "\nEvery case (%d of %zu exact):\n", nexact, ncs);
	fprintf(ft, "%-36s %10s  %s\n", "case", "instr/op", "per symbol (instructions/op)");
	for (size_t i = 0; i < ncs; i++) {
		char b[64];
		fprintf(ft, "%-36s %10s ", cs[i].name, fmt_val(b, sizeof b, &res[i]));
		if (cs[i].flags[0] && strcmp(cs[i].flags, "-"))
			fprintf(ft, " [%s]", cs[i].flags);
		if (res[i].ok) {
			const char *key;
			json_t *val;
			int shown = 0;
			json_object_foreach(res[i].syms, key, val) {
				if (shown++ == 8) {
					fprintf(ft, " ...");
					break;
				}
				fprintf(ft, " %s=%g", key, json_number_value(val));
			}
		}
		fputc('\n', ft);
	}
	if (json_array_size(json_object_get(root, "unavailable"))) {
		fprintf(ft, "\nUnavailable here:\n");
		size_t ix;
		json_t *u;
		json_array_foreach(json_object_get(root, "unavailable"), ix, u)
			fprintf(ft, "  %s: %s\n", json_string_value(json_object_get(u, "name")),
				json_string_value(json_object_get(u, "why")));
	}
	if (json_dumpf(root, oj->f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
		die("report: cannot write %s", json_path);
	gm_out_commit_all();
	json_decref(root);
	return 0;
}

