/*
 * cmd-compare-states.c — machine states named across runs (docs/compare.md, "Machine states").
 *
 * A VM's state (which other work shares the core, the host's own settings) changes how
 * fast the same code runs, and with it sometimes a change's effect.  Every gmpair process
 * measures a canary (a dependent add chain, a call loop, a store-to-load forwarding loop,
 * ticks per operation), as does every make bench run, and each compare and run files its
 * canaries in a per-host record, results/<host-id>/states.json.  A state is a cluster in that record: a canary
 * vector within STATE_TOL (on the log scale, every field) of a state's first member
 * belongs to it; one further away founds the next state.  A label, once given, names the
 * same state on that host for good (S1, S2, ... in the order they were first seen).
 *
 * A missing record is started; an empty or corrupt one is set aside as <file>.corrupt,
 * started again, and the output says so.
 */
#define _GNU_SOURCE

#include "cmd-compare.h"
#include "cmd-compare-states.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_TOL 0.12	/* 12%: the S1/S2 ssb canaries of the Zen 5 VM differ by 40-60% */

static const char *const fields[GM_CANARY_N] = { "add", "call", "ssb" };

static int near(const double *a, const double *b)
{
	for (int f = 0; f < GM_CANARY_N; f++)
		if (!(a[f] > 0 && b[f] > 0) || fabs(log(a[f] / b[f])) > STATE_TOL)
			return 0;
	return 1;
}

/* the record's states, or an empty list (with *warn set) when it cannot be read */
static json_t *load_record(const char *path, char *warn, size_t nwarn)
{
	struct stat st;
	warn[0] = 0;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			die("%s: %s", path, strerror(errno));
		return json_array();
	}
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file (the per-host state record)", path);
	json_error_t e;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	json_t *states = root ? json_object_get(root, "states") : NULL;
	int good = json_is_array(states);
	for (size_t i = 0; good && i < json_array_size(states); i++) {
		json_t *s = json_array_get(states, i);
		good = json_is_string(json_object_get(s, "label")) && json_is_integer(json_object_get(s, "seen"));
		for (int f = 0; good && f < GM_CANARY_N; f++) {
			json_t *v = json_object_get(s, fields[f]);
			good = json_is_number(v) && json_number_value(v) > 0 && isfinite(json_number_value(v));
		}
	}
	if (good) {
		json_incref(states);
		json_decref(root);
		return states;
	}
	json_decref(root);
	char aside[4096];
	snprintf(aside, sizeof aside, "%s.corrupt", path);
	if (rename(path, aside) != 0)
		die("%s: corrupt, and cannot be set aside: %s", path, strerror(errno));
	snprintf(warn, nwarn, "the state record %s was %s: set aside as %s and started again (labels from here on are new)",
		 path, st.st_size ? "corrupt" : "empty", aside);
	return json_array();
}

void gm_states_assign(const char *record, const char *run_id, const double (*canary)[GM_CANARY_N], size_t np,
		      struct gm_state_names *out)
{
	memset(out, 0, sizeof *out);
	out->label = xcalloc(np ? np : 1, sizeof *out->label);
	out->seen = xcalloc(np ? np : 1, sizeof *out->seen);
	out->center = xcalloc(np ? np : 1, sizeof *out->center);
	json_t *states = record ? load_record(record, out->warning, sizeof out->warning) : json_array();
	int *counted = xcalloc(json_array_size(states) + np + 1, sizeof *counted);
	for (size_t p = 0; p < np; p++) {
		size_t k, n = json_array_size(states);
		for (k = 0; k < n; k++) {
			json_t *s = json_array_get(states, k);
			double c[GM_CANARY_N];
			for (int f = 0; f < GM_CANARY_N; f++)
				c[f] = json_number_value(json_object_get(s, fields[f]));
			if (near(canary[p], c))
				break;
		}
		if (k == n) {
			int ok = 1;
			for (int f = 0; f < GM_CANARY_N; f++)
				ok &= canary[p][f] > 0 && isfinite(canary[p][f]);
			if (!ok) {
				snprintf(out->label[p], sizeof out->label[p], "?");
				continue;
			}
			char lab[16];
			snprintf(lab, sizeof lab, "S%zu", n + 1);
			json_t *s = json_pack("{s:s s:i s:s}", "label", lab, "seen", 0, "first", run_id ? run_id : "");
			for (int f = 0; f < GM_CANARY_N; f++)
				json_object_set_new(s, fields[f], json_real(canary[p][f]));
			json_array_append_new(states, s);
		}
		json_t *s = json_array_get(states, k);
		snprintf(out->label[p], sizeof out->label[p], "%s", json_string_value(json_object_get(s, "label")));
		if (!counted[k]) {	/* a run or compare counts once per state it saw */
			counted[k] = 1;
			json_object_set_new(s, "seen", json_integer(json_integer_value(json_object_get(s, "seen")) + 1));
			json_object_set_new(s, "last", json_string(run_id ? run_id : ""));
		}
		for (int f = 0; f < GM_CANARY_N; f++)
			out->center[p][f] = json_number_value(json_object_get(s, fields[f]));
	}
	size_t total = 0;
	for (size_t k = 0; k < json_array_size(states); k++)
		total += (size_t)json_integer_value(json_object_get(json_array_get(states, k), "seen"));
	for (size_t p = 0; p < np; p++)
		for (size_t k = 0; k < json_array_size(states); k++) {
			json_t *s = json_array_get(states, k);
			if (!strcmp(json_string_value(json_object_get(s, "label")), out->label[p]))
				out->seen[p] = (size_t)json_integer_value(json_object_get(s, "seen"));
		}
	out->total = total;
	out->recorded = record != NULL;
	if (record) {
		json_t *root = json_pack("{s:i s:s s:f s:O}", "format_version", 1, "note",
					 "machine states of this host, from the canaries of every make bench run and "
					 "paired compare (gm report, gm compare paired --states); labels are stable",
					 "tolerance", STATE_TOL, "states", states);
		char *js = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp.%d", record, (int)getpid());
		FILE *f = fopen(tmp, "w");
		if (!f || fputs(js, f) < 0 || fputc('\n', f) < 0 || fclose(f) != 0 || rename(tmp, record) != 0) {
			unlink(tmp);
			die("%s: cannot write the state record: %s", record, strerror(errno));
		}
		free(js);
		json_decref(root);
	}
	json_decref(states);
	free(counted);
}

void gm_state_desc(char *out, size_t n, const struct gm_state_names *s, size_t p, const char *unit)
{
	char seen[120] = "";
	if (s->recorded)
		snprintf(seen, sizeof seen, "; seen in %zu of %zu runs and compares on this host", s->seen[p], s->total);
	snprintf(out, n, "%s (ssb %.3g, add %.3g, call %.3g %s/op%s)", s->label[p], s->center[p][2], s->center[p][0],
		 s->center[p][1], unit ? unit : "", seen);
}

void gm_states_free(struct gm_state_names *s)
{
	free(s->label);
	free(s->seen);
	free(s->center);
}
