/*
 * cmd-compare-predict.c — the prediction rows of gm compare count (docs/tools/compare.md):
 * per changed routine and llvm-mca model, the cycles old -> new, and which model stood
 * in for which core (as predict.json recorded it from llvm-mca's resource names).  Apart from the counts because it reads another kind of
 * result (predict.json) and says so on every line it prints: a static prediction is
 * never shown as a measurement.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-compare.h"
#include "cmd-pathlen.h"
#include "util/load.h"
#include "util/util.h"

#define jstr gm_jstr0
#define add_unique gm_jadd_unique
#define num_or_nan gm_jval

/* ------------------------------------------------------------------ models */

/* The model a prediction ran with: what predict.json recorded from llvm-mca's own output
 * (gm predict report), never a table of what a -mcpu should mean; "" in a predict.json
 * from before the model was recorded. */
static const char *model_of(json_t *o, json_t *n)
{
	const char *m = o ? jstr(o, "model") : "";
	if (!*m && n)
		m = jstr(n, "model");
	return m;
}

/* The cores a -mcpu stood in for (a predict.json's meta "cores"), "A, B" into BUF */
static const char *cores_of(json_t *meta, const char *cpu, char *buf, size_t n)
{
	size_t i, len = 0;
	json_t *c;
	buf[0] = 0;
	json_array_foreach(json_object_get(meta, "cores"), i, c)
		if (!strcmp(jstr(c, "mcpu"), cpu) && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", jstr(c, "core"));
	return buf;
}

/* ------------------------------------------------------------------ main */

void count_predictions(struct gm_buf *t, json_t *P[2], json_t *paths, const char *paths_path, size_t npaths,
		       size_t npaths_same, size_t nchanged, json_t *prows, json_t *models)
{
	size_t i;
	json_t *c;
	json_t *R[2] = { json_object_get(P[0], "results"), json_object_get(P[1], "results") };
	/* routines: those the paths file calls changed (or, without it, every routine whose
	 * prediction or instruction count differs) */
	json_t *routines = json_array();
	for (int s = 0; s < 2; s++)
		json_array_foreach(R[s], i, c) {
			const char *sym = jstr(c, "symbol");
			add_unique(routines, sym);
		}
	json_t *meta = json_object_get(P[0], "meta");
	if (!json_array_size(json_object_get(meta, "cores")))
		meta = json_object_get(P[1], "meta");	/* side A had nothing to predict */
	const char *ver = jstr(meta, "llvm_mca");
	gm_bprintf(t, "\n== prediction: llvm-mca cycles of each changed routine's straight-line path -- STATIC PREDICTION, "
		   "NOT A MEASUREMENT\n(%s; entry to the first return or tail jump, forward branches not taken, calls "
		   "left out, warm caches, perfect branch prediction)\n", *ver ? ver : "llvm-mca");
	struct gm_buf pt = { 0 };
	size_t nr_changed = 0, nunlisted = 0;
	json_array_foreach(routines, i, c) {
		const char *sym = json_string_value(c);
		const char *st = json_string_value(json_object_get(paths, sym));
		/* predicted but not in the paths file: counted among the routines ("1 of 0" else) */
		nunlisted += paths_path && !st;
		if (st && !strcmp(st, "same"))
			continue;
		int any = 0, first = 1;
		json_t *rr;
		size_t j;
		/* every core this routine was predicted for, on either side */
		json_t *cpus = json_array();
		for (int s = 0; s < 2; s++)
			json_array_foreach(R[s], j, rr) {
				if (strcmp(jstr(rr, "symbol"), sym))
					continue;
				add_unique(cpus, jstr(rr, "cpu"));
			}
		size_t q;
		json_t *cx;
		json_array_foreach(cpus, q, cx) {
			const char *cpu = json_string_value(cx);
			json_t *o = NULL, *n = NULL;
			json_array_foreach(R[0], j, rr)
				if (!strcmp(jstr(rr, "symbol"), sym) && !strcmp(jstr(rr, "cpu"), cpu))
					o = rr;
			json_array_foreach(R[1], j, rr)
				if (!strcmp(jstr(rr, "symbol"), sym) && !strcmp(jstr(rr, "cpu"), cpu))
					n = rr;
			double oc = o ? num_or_nan(json_object_get(o, "cycles_one_pass")) : NAN;
			double nc = n ? num_or_nan(json_object_get(n, "cycles_one_pass")) : NAN;
			double ot = o ? num_or_nan(json_object_get(o, "rthroughput")) : NAN;
			double nt = n ? num_or_nan(json_object_get(n, "rthroughput")) : NAN;
			double oi = o ? num_or_nan(json_object_get(o, "instructions")) : NAN;
			double ni = n ? num_or_nan(json_object_get(n, "instructions")) : NAN;
			json_t *ou = o ? json_object_get(o, "uncosted") : NULL, *nu = n ? json_object_get(n, "uncosted") : NULL;
			if (!st && o && n && oc == nc && ot == nt && oi == ni && json_equal(ou, nu))
				continue;   /* without --paths: an unchanged prediction */
			any = 1;
			const char *model = model_of(o, n);
			char for_cores[256];
			cores_of(meta, cpu, for_cores, sizeof for_cores);
			json_t *pr = json_pack("{s:s s:s s:s s:s s:s}", "kind", "prediction", "name", sym, "routine", sym,
								   "arch", o ? jstr(o, "arch") : jstr(n, "arch"), "cpu", cpu);
			json_object_set_new(pr, "model", *model ? json_string(model) : json_null());
			json_object_set_new(pr, "stands_in_for", json_string(for_cores));
			json_object_set_new(pr, "label", json_string("static prediction, not a measurement"));
			json_object_set_new(pr, "path", json_string(st ? st : "changed"));
			json_object_set_new(pr, "old_instructions", jnv(oi));
			json_object_set_new(pr, "new_instructions", jnv(ni));
			json_object_set_new(pr, "old_cycles_one_pass", jnv(oc));
			json_object_set_new(pr, "new_cycles_one_pass", jnv(nc));
			json_object_set_new(pr, "delta_cycles_one_pass", jnv(nc - oc));
			json_object_set_new(pr, "old_rthroughput", jnv(ot));
			json_object_set_new(pr, "new_rthroughput", jnv(nt));
			json_object_set_new(pr, "delta_rthroughput", jnv(round((nt - ot) * 100) / 100));
			json_object_set_new(pr, "old_uncosted", ou ? json_incref(ou) : json_array());
			json_object_set_new(pr, "new_uncosted", nu ? json_incref(nu) : json_array());
			json_array_append_new(prows, pr);
			char b1[48], b2[48], b3[48], b4[48], b5[48], b6[48], ins[64], one[96], thr[96], lbl[96];
			snprintf(ins, sizeof ins, "%s -> %s", fmtn(b1, sizeof b1, oi), fmtn(b2, sizeof b2, ni));
			snprintf(one, sizeof one, "%s -> %s (%s)", fmtn(b3, sizeof b3, oc), fmtn(b4, sizeof b4, nc),
					 fmtd(b5, sizeof b5, nc - oc));
			/* "-" where llvm-mca gave no figure (make predict writes null) */
			char t1[48] = "-", t2[48] = "-";
			if (isfinite(ot))
				snprintf(t1, sizeof t1, "%.1f", ot);
			if (isfinite(nt))
				snprintf(t2, sizeof t2, "%.1f", nt);
			if (isfinite(ot) && isfinite(nt))
				snprintf(thr, sizeof thr, "%s -> %s (%s)", t1, t2,
					 fmtd(b6, sizeof b6, round((nt - ot) * 10) / 10));
			else
				snprintf(thr, sizeof thr, "%s -> %s (llvm-mca gave no figure)", t1, t2);
			if (*model)
				snprintf(lbl, sizeof lbl, "%s model (-mcpu=%s)", model, cpu);
			else
				snprintf(lbl, sizeof lbl, "-mcpu=%s (model not recorded)", cpu);
			gm_bprintf(&pt, "%-24s %-54s %9s  %-18s %s\n", first ? sym : "", lbl, ins, one, thr);
			first = 0;
			int ju = json_equal(ou, nu);
			if (!ju || json_array_size(nu)) {
				struct gm_buf u = { 0 };
				size_t z;
				json_t *v;
				json_array_foreach(nu, z, v) {
					/* the instruction, without the model's reason */
					const char *w = json_string_value(v);
					const char *cut = strstr(w, " (");
					gm_bprintf(&u, "%s[%.*s]", z ? " " : "", (int)(cut ? (size_t)(cut - w) : strlen(w)), w);
				}
				gm_bprintf(&pt, "%-24s   not costed by this model%s: %s\n", "", ju ? " (on both sides)" : " (new side)",
				   u.s ? u.s : "nothing");
				free(u.s);
			}
		}
		json_decref(cpus);
		nr_changed += any;
	}
	size_t nroutines = json_array_size(routines);
	if (!nr_changed)
		gm_bprintf(t, "no predicted path changed: the straight-line paths of all %zu routines of the port's assembly "
			   "are the same instructions on both sides%s\n", paths_path ? npaths : nroutines,
		   nchanged ? " (the counted change is in C code, or off those paths)" : "");
	else {
		if (paths_path)
			gm_bprintf(t, "%zu of %zu routines' paths changed; the other %zu are identical instruction for instruction "
				   "(a zero predicted delta by construction)\n", nr_changed, npaths + nunlisted, npaths_same);
		gm_bprintf(t, "\n%-24s %-54s %9s  %-18s %s\n", "routine", "llvm-mca model (cores: below)", "insns",
		   "one pass, cycles", "back to back, cycles/pass");
		gm_bprintf(t, "%s", pt.s);
	}
	free(pt.s);
	/* the models: which stood in for which core, as llvm-mca's own output named them */
	struct gm_buf cb = { 0 };
	predict_cores_text(&cb, meta);
	gm_bprintf(t, "\nmodels (which llvm-mca model stands in for which core; %s, read from its resource names):\n%s",
		   *ver ? ver : "llvm-mca version not recorded",
		   cb.s ? cb.s : json_array_size(R[0]) + json_array_size(R[1]) ? "  not recorded (a predict.json from before "
		   "gmbench recorded the model llvm-mca ran)\n" : "  none ran: no routine's path was predicted\n");
	free(cb.s);
	json_array_foreach(json_object_get(meta, "cores"), i, c)
		json_array_append_new(models, json_pack("{s:s s:s s:s s:s s:s}", "core", jstr(c, "core"), "boards",
							jstr(c, "boards"), "class", jstr(c, "class"), "mcpu", jstr(c, "mcpu"),
							"model", jstr(c, "model")));
	gm_bprintf(t, "not modelled by any: cache and TLB misses, branch mispredictions, the memory system and "
		   "barriers' real cost, system-register reads beyond the model's table, the kernel; read the "
		   "direction and rough size, never the cycles as a measurement\n");
	json_decref(routines);
}
