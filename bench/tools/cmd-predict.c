/*
 * cmd-predict.c — gm predict (docs/tools/predict.md): make predict's llvm-mca records
 * collected into predict.json, predict.txt and predict.dat (report), a predict.json's
 * shape checked (check), the empty prediction make compare writes for a side with
 * nothing to predict (empty), and the scheduling model an llvm-mca output was made with,
 * read from its resource names (model).  Its own command because a prediction is never a
 * count: every file it writes says "static prediction, not a measurement".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-pathlen.h"
#include "cmds.h"
#include "util/load.h"
#include "util/util.h"

static int predict_check(int argc, char **argv)
{
	const char *path;
	json_t *j = check_arg(argc, argv, "predict.json", &path);
	if (!j)
		return 1;
	const char *lbl = json_string_value(json_object_get(j, "label")) ?: "";
	check(strstr(lbl, "static prediction, not a measurement") != NULL,
	      "%s: labelled 'static prediction, not a measurement'", path);
	json_t *rs = json_object_get(j, "results");
	check(json_is_array(rs) && json_array_size(rs) > 0, "%s: has results", path);
	size_t i;
	json_t *r;
	int shape = 1, some = 0;
	json_array_foreach(rs, i, r) {
		shape &= json_is_string(json_object_get(r, "symbol")) && json_is_string(json_object_get(r, "cpu")) &&
			 json_is_string(json_object_get(r, "arch")) && json_is_array(json_object_get(r, "uncosted"));
		some |= json_is_number(json_object_get(r, "cycles_one_pass"));
	}
	check(shape, "%s: every result names arch, cpu, symbol and the uncosted instructions", path);
	check(some, "%s: at least one prediction has cycles", path);
	json_decref(j);
	return nnotok != 0;
}

/* ------------------------------------------------------------------ the model llvm-mca used */

/* LLVM names a scheduling model's processor resources after the model, not after the
 * -mcpu that selected it: -mcpu=cortex-a76 of llvm-mca 14 and 19 lists A57UnitB,
 * A57UnitI..., the Cortex-A57 model.  So the model is read from the first unit's name:
 * "<X>Unit..." (A57Unit, CortexA55Unit, N1Unit, R52Unit) names an Arm model, X86 models
 * use their own prefixes.  NAME gets the model ("Cortex-A57"), MCPU the -mcpu whose own
 * model it is ("cortex-a57"), or "-" when the unit name follows no known pattern. */
void mca_model_of(const char *unit, char *name, size_t nn, char *mcpu, size_t nm)
{
	static const struct { const char *prefix, *name, *mcpu; } x86[] = {
		{ "SKX", "Skylake-X", "skylake-avx512" }, { "SKL", "Skylake", "skylake" }, { "HW", "Haswell", "haswell" },
		{ "BW", "Broadwell", "broadwell" }, { "Zn4", "Zen 4", "znver4" }, { "Zn3", "Zen 3", "znver3" },
		{ "Zn2", "Zen 2", "znver2" }, { "Zn", "Zen", "znver1" },
	};
	const char *u = strstr(unit, "Unit");
	if (u && u > unit) {
		const char *t = unit;
		if (!strncmp(t, "Cortex", 6) && t + 6 < u)
			t += 6;
		int n = (int)(u - t), digits = n > 1;
		for (int i = 1; i < n; i++)
			digits &= isdigit((unsigned char)t[i]) != 0;
		const char *family = "";
		if (digits && strchr("ARMX", t[0]))
			family = "Cortex-";
		else if (digits && strchr("NVE", t[0]))
			family = "Neoverse-";
		snprintf(name, nn, "%s%.*s", family, n, t);
		snprintf(mcpu, nm, "%s", name);
		for (char *c = mcpu; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return;
	}
	for (size_t i = 0; i < sizeof x86 / sizeof x86[0]; i++)
		if (!strncmp(unit, x86[i].prefix, strlen(x86[i].prefix)) &&
		    isupper((unsigned char)unit[strlen(x86[i].prefix)])) {
			snprintf(name, nn, "%s", x86[i].name);
			snprintf(mcpu, nm, "%s", x86[i].mcpu);
			return;
		}
	snprintf(name, nn, "an unnamed model (units %s...)", unit);
	snprintf(mcpu, nm, "-");
}

/* gm predict model [FILE]: "MODEL<tab>MCPU<tab>UNITS" of an llvm-mca output (stdin
 * without FILE); "none - -" when it lists no resources (no scheduling model, or it failed) */
static int predict_model(int argc, char **argv)
{
	if (argc > 2)
		die_usage("model: one FILE at most");
	FILE *f = argc == 2 ? fopen(argv[1], "r") : stdin;
	if (!f)
		die("model: %s: %s", argv[1], strerror(errno));
	char line[4096], first[128] = "";
	struct gm_buf units = { 0 };
	int in = 0;
	/* read to the end, past the section: a writer still writing when we exit would die of
	 * SIGPIPE, and predict.sh's `echo "$out" | gm predict model` under pipefail with it */
	while (fgets(line, sizeof line, f)) {
		char unit[128];
		if (!in && !strncmp(line, "Resources:", 10)) {
			in = 1;
			continue;
		}
		if (in != 1)
			continue;
		/* "[0]   - A57UnitB", "[1.0] - A57UnitI"; the section ends at the first other line */
		if (sscanf(line, "[%*[0-9.]] - %127s", unit) != 1) {
			in = 2;
			continue;
		}
		if (!*first)
			snprintf(first, sizeof first, "%s", unit);
		char *prev = units.s ? strrchr(units.s, ',') : NULL;
		if (!units.s || strcmp(prev ? prev + 1 : units.s, unit))
			gm_bprintf(&units, "%s%s", units.s ? "," : "", unit);
	}
	if (ferror(f))
		die("model: cannot read %s", argc == 2 ? argv[1] : "stdin");
	if (f != stdin)
		fclose(f);
	if (!*first) {
		printf("none\t-\t-\n");
		return 0;
	}
	char name[160], mcpu[160];
	mca_model_of(first, name, sizeof name, mcpu, sizeof mcpu);
	printf("%s\t%s\t%s\n", name, mcpu, units.s);
	free(units.s);
	return 0;
}

/* "19.1.7" of "Debian LLVM version 19.1.7", else the whole string */
static const char *mca_version(const char *s)
{
	const char *v = strstr(s, "version ");
	return v ? v + 8 : s;
}

/* One line per core of META's "cores" (gm predict report's C records): which model stood in */
void predict_cores_text(struct gm_buf *b, json_t *meta)
{
	const char *ver = mca_version(gm_jstr0(meta, "llvm_mca"));
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(meta, "cores"), i, c) {
		const char *core = gm_jstr0(c, "core"), *model = gm_jstr0(c, "model"), *mcpu = gm_jstr0(c, "mcpu");
		const char *asked = gm_jstr0(c, "own_mcpu"), *got = gm_jstr0(c, "own_model"), *note = gm_jstr0(c, "note");
		gm_bprintf(b, "  %s: %s (%s; %s): ", gm_jstr0(c, "arch"), core, gm_jstr0(c, "boards"), gm_jstr0(c, "class"));
		if (!*mcpu) {
			gm_bprintf(b, "no model of llvm-mca %s fits: not predicted\n", ver);
			continue;
		}
		if (!strcmp(model, core))
			gm_bprintf(b, "its own model, %s (-mcpu=%s, llvm-mca %s)", model, mcpu, ver);
		else
			gm_bprintf(b, "the %s model stands in (-mcpu=%s, llvm-mca %s)", model, mcpu, ver);
		if (*asked && strcmp(asked, mcpu)) {
			if (!strcmp(got, "unknown"))
				gm_bprintf(b, "; llvm-mca %s does not know -mcpu=%s", ver, asked);
			else if (!strcmp(got, "none"))
				gm_bprintf(b, "; its -mcpu=%s has no scheduling model", asked);
			else
				gm_bprintf(b, "; its -mcpu=%s is the %s model", asked, got);
		}
		gm_bprintf(b, "%s%s\n", *note && strcmp(model, core) ? ". " : "", strcmp(model, core) ? note : "");
	}
}

/* ------------------------------------------------------------------ predict report */

/* A record's figure: empty is null (llvm-mca gave none); else a finite number from 0 to
 * 1e12, or the record is refused (strtod would let nan and inf through). */
static json_t *rec_num(const char *text, const char *path, const char *what, int whole)
{
	if (!*text)
		return json_null();
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || !(v >= 0 && v <= 1e12) || (whole && v != floor(v)))
		die("report: %s: %s '%s' is not a %s from 0 to 1e12", path, what, text, whole ? "count" : "number");
	return whole ? json_integer((json_int_t)v) : json_real(v);
}

/* Records from scripts/predict.sh, one per line, tab-separated:
 *   R arch port cpu triple symbol ninsns cycles_one_pass rthroughput_per_pass ipc uncosted(;-list) note */
static int predict_report(int argc, char **argv)
{
	const char *json_path = NULL, *txt_path = NULL, *dat_path = NULL;
	json_t *meta = json_object(), *results = json_array(), *cores = json_array();
	int nrec = 0;
	char **files = NULL;
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		const char *kv[2];
		if (gm_opt(argc, argv, &i, "--json", &json_path) || gm_opt(argc, argv, &i, "--txt", &txt_path) ||
		    gm_opt(argc, argv, &i, "--dat", &dat_path))
			continue;
		if (gm_optn(argc, argv, &i, "--meta", 2, kv)) {
			json_object_set_new(meta, kv[0], json_string(kv[1]));
		} else {
			files = xrealloc(files, (size_t)(nfiles + 1) * sizeof *files);
			files[nfiles++] = argv[i];
		}
	}
	if (!json_path || !txt_path)
		die("report: --json and --txt are required");
	for (int fi = 0; fi < nfiles; fi++) {
		FILE *f = fopen(files[fi], "r");
		if (!f)
			die("report: %s: %s", files[fi], strerror(errno));
		char line[8192];
		while (fgets(line, sizeof line, f)) {
			char *fld[13] = { 0 };
			int nf = gm_split(line, "\t", fld, 13);
			if (nf >= 10 && !strcmp(fld[0], "C")) {
				/* C arch core boards class mcpu model own_mcpu own_model note */
				json_t *c = json_pack("{s:s s:s s:s s:s s:s s:s s:s s:s s:s}", "arch", fld[1], "core", fld[2],
						      "boards", fld[3], "class", fld[4], "mcpu", fld[5], "model", fld[6],
						      "own_mcpu", fld[7], "own_model", fld[8], "note", fld[9]);
				json_array_append_new(cores, c);
				continue;
			}
			if (nf < 12 || strcmp(fld[0], "R"))
				continue;
			json_t *unc = json_array();
			char *u = fld[10];
			for (char *t; (t = strsep(&u, ";"));)
				if (*t)
					json_array_append_new(unc, json_string(t));
			json_t *r = json_pack("{s:s s:s s:s s:s s:s}", "arch", fld[1], "port", fld[2], "cpu", fld[3],
					      "triple", fld[4], "symbol", fld[5]);
			json_t *ni = rec_num(fld[6], files[fi], "instructions", 1);
			json_object_set_new(r, "instructions", json_is_null(ni) ? json_integer(0) : ni);
			json_object_set_new(r, "cycles_one_pass", rec_num(fld[7], files[fi], "cycles_one_pass", 0));
			json_object_set_new(r, "rthroughput", rec_num(fld[8], files[fi], "rthroughput", 0));
			json_object_set_new(r, "ipc", rec_num(fld[9], files[fi], "ipc", 0));
			json_object_set_new(r, "uncosted", unc);
			json_object_set_new(r, "note", json_string(fld[11]));
			if (nf > 12 && *fld[12]) {
				/* the model this very prediction ran with, from its resource names */
				char name[160], mcpu[160];
				mca_model_of(fld[12], name, sizeof name, mcpu, sizeof mcpu);
				json_object_set_new(r, "model", json_string(name));
				json_object_set_new(r, "model_mcpu", json_string(mcpu));
				json_object_set_new(r, "model_unit", json_string(fld[12]));
			}
			json_array_append_new(results, r);
			nrec++;
		}
		gm_read_end(f, files[fi]);
	}
	if (!nrec)
		die("report: no llvm-mca results");
	json_object_set_new(meta, "cores", cores);
	const char *ver = mca_version(gm_jstr0(meta, "llvm_mca"));
	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string("gmbench-predict"));
	json_object_set_new(root, "label", json_string("static prediction, not a measurement: llvm-mca's "
		"scheduling model of each core, run over the transition's straight-line path (entry to first "
		"return or tail jump), with warm caches, perfect branch prediction and no memory stalls"));
	json_object_set_new(root, "meta", meta);
	json_object_set_new(root, "results", results);

	struct gm_out *ot = gm_out_open(txt_path), *od = dat_path ? gm_out_open(dat_path) : NULL;
	struct gm_out *oj = gm_out_open(json_path);
	FILE *ft = ot->f, *fd = od ? od->f : NULL;
	fprintf(ft, "gmbench predicted cycles: STATIC PREDICTION, NOT A MEASUREMENT\n"
		    "llvm-mca over each transition's straight-line path (entry to its first return or tail jump;\n"
		    "forward branches not taken), warm caches, perfect prediction, no memory stalls.\n"
		    "one-pass = cycles of one pass alone (-iterations=1); rthru = block reciprocal throughput\n"
		    "(cycles per pass when passes run back to back).  '*' = some instructions were not costed.\n"
		    "llvm-mca %s; each column is one -mcpu, each core's stand-in is listed below the tables.\n", ver);
	/* group by arch, then rows = symbols, columns = cpus */
	size_t i;
	json_t *r;
	char archs[8][32];
	int narch = 0;
	json_array_foreach(results, i, r) {
		const char *a = json_string_value(json_object_get(r, "arch"));
		int have = 0;
		for (int x = 0; x < narch; x++)
			have |= !strcmp(archs[x], a);
		if (!have && narch < 8)
			snprintf(archs[narch++], sizeof archs[0], "%s", a);
	}
	if (fd)
		fprintf(fd, "# static prediction, not a measurement: llvm-mca %s cycles of one pass\n", ver);
	for (int x = 0; x < narch; x++) {
		char cpus[16][32], syms[128][64];
		int ncpu = 0, nsym = 0;
		json_array_foreach(results, i, r) {
			if (strcmp(json_string_value(json_object_get(r, "arch")), archs[x]))
				continue;
			const char *c = json_string_value(json_object_get(r, "cpu")),
				   *s = json_string_value(json_object_get(r, "symbol"));
			int hc = 0, hs = 0;
			for (int y = 0; y < ncpu; y++)
				hc |= !strcmp(cpus[y], c);
			for (int y = 0; y < nsym; y++)
				hs |= !strcmp(syms[y], s);
			if (!hc && ncpu < 16)
				snprintf(cpus[ncpu++], sizeof cpus[0], "%s", c);
			if (!hs && nsym < 128)
				snprintf(syms[nsym++], sizeof syms[0], "%s", s);
		}
		fprintf(ft, "\n%s — cycles one-pass / rthru (llvm-mca %s)\n%-26s %5s", archs[x], ver, "symbol", "insns");
		for (int y = 0; y < ncpu; y++)
			fprintf(ft, " %16s", cpus[y]);
		fputc('\n', ft);
		if (fd) {
			fprintf(fd, "\n\n# arch %s\n# symbol", archs[x]);
			for (int y = 0; y < ncpu; y++)
				fprintf(fd, " %s", cpus[y]);
			fputc('\n', fd);
		}
		for (int s = 0; s < nsym; s++) {
			int ni = 0;
			char cells[16][40];
			for (int y = 0; y < ncpu; y++)
				snprintf(cells[y], sizeof cells[y], "-");
			json_array_foreach(results, i, r) {
				if (strcmp(json_string_value(json_object_get(r, "arch")), archs[x]) ||
				    strcmp(json_string_value(json_object_get(r, "symbol")), syms[s]))
					continue;
				ni = (int)json_integer_value(json_object_get(r, "instructions"));
				for (int y = 0; y < ncpu; y++) {
					if (strcmp(json_string_value(json_object_get(r, "cpu")), cpus[y]))
						continue;
					json_t *c1 = json_object_get(r, "cycles_one_pass"), *c2 = json_object_get(r, "rthroughput");
					int unc = json_array_size(json_object_get(r, "uncosted")) > 0;
					if (json_is_number(c1) && json_is_number(c2))
						snprintf(cells[y], sizeof cells[y], "%.0f / %.1f%s", json_number_value(c1),
							 json_number_value(c2), unc ? "*" : "");
					else if (json_is_number(c1))	/* llvm-mca gave no throughput */
						snprintf(cells[y], sizeof cells[y], "%.0f / -%s", json_number_value(c1),
							 unc ? "*" : "");
				}
			}
			fprintf(ft, "%-26s %5d", syms[s], ni);
			for (int y = 0; y < ncpu; y++)
				fprintf(ft, " %16s", cells[y]);
			fputc('\n', ft);
			if (fd) {
				fprintf(fd, "\"%s\"", syms[s]);
				for (int y = 0; y < ncpu; y++) {
					double v = NAN;
					if (strcmp(cells[y], "-"))
						v = atof(cells[y]);
					if (isnan(v))
						fprintf(fd, " -");
					else
						fprintf(fd, " %.0f", v);
				}
				fputc('\n', fd);
			}
		}
	}
	/* which model stood in for which core, and any prediction whose own output names
	 * another model than its column's (the selection went wrong: say so) */
	struct gm_buf cb = { 0 };
	predict_cores_text(&cb, meta);
	if (cb.s)
		fprintf(ft, "\nWhich llvm-mca model stood in for which core (read from llvm-mca's resource names):\n%s", cb.s);
	free(cb.s);
	json_array_foreach(results, i, r) {
		const char *mm = gm_jstr0(r, "model_mcpu"), *cpu = gm_jstr0(r, "cpu");
		if (*mm && strcmp(mm, cpu))
			fprintf(ft, "WARNING: the %s column's prediction of %s ran the %s model\n", cpu,
				gm_jstr0(r, "symbol"), gm_jstr0(r, "model"));
	}
	/* what the models could not cost */
	int any = 0;
	json_array_foreach(results, i, r) {
		json_t *u = json_object_get(r, "uncosted");
		if (!json_array_size(u))
			continue;
		if (!any++)
			fprintf(ft, "\nInstructions the models could not cost (left out of the prediction):\n");
		fprintf(ft, "  %s %s %s:", json_string_value(json_object_get(r, "arch")),
			json_string_value(json_object_get(r, "cpu")), json_string_value(json_object_get(r, "symbol")));
		size_t j;
		json_t *v;
		json_array_foreach(u, j, v)
			fprintf(ft, " [%s]", json_string_value(v));
		fputc('\n', ft);
	}
	if (!any)
		fprintf(ft, "\nEvery instruction was costed by the models.\n");
	if (json_dumpf(root, oj->f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
		die("report: cannot write %s", json_path);
	gm_out_commit_all();
	json_decref(root);
	return 0;
}


/* gm predict empty [--llvm-mca VERSION] FILE: a prediction without results, so that a
 * comparison's report keeps its shape (make compare, a side with no changed routine) */
static int predict_empty(int argc, char **argv)
{
	const char *ver = "";
	const char *path = gm_one_arg(argc, argv, "--llvm-mca", &ver, "FILE");
	json_t *root = json_pack("{s:s s:s s:{s:s} s:[]}", "kind", "gmbench-predict", "label",
				 "static prediction, not a measurement", "meta", "llvm_mca", ver, "results");
	struct gm_out *o = gm_out_open(path);
	if (json_dumpf(root, o->f, JSON_PRESERVE_ORDER) != 0)
		die("cannot write %s", path);
	fputc('\n', o->f);
	gm_out_commit_all();
	json_decref(root);
	return 0;
}

int cmd_predict(int argc, char **argv)
{
	return gm_run_mode(argc, argv, NULL, (const struct gm_mode[]){
		{ "report", predict_report }, { "check", predict_check }, { "empty", predict_empty },
		{ "model", predict_model },
		{ NULL, NULL } });
}
