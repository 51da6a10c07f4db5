/*
 * cmd-pathlen.c — gm pathlen (docs/tools/pathlen.md): the mode words, and the small
 * modes that read one file or stream each: check (a pathlen.json's shape), same-counts
 * (two runs' exact counts) and mca-input (one symbol's disassembly as llvm-mca input).
 * The counting modes are in cmd-pathlen-trace.c, the report in cmd-pathlen-report.c.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-pathlen.h"
#include "cmds.h"
#include "util/load.h"
#include "util/util.h"

int nok, nnotok;

void check(int cond, const char *fmt, ...)
{
	va_list ap;
	printf(cond ? "ok - " : "not ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		nok++;
	else
		nnotok++;
}

json_t *check_load(const char *path)
{
	struct gm_lerr err;
	json_t *j = gm_load(path, GM_JSON, &err);
	if (!j) {
		check(0, "%s parses as JSON (%s, line %d)", path, err.text, err.line);
		return NULL;
	}
	return j;
}

json_t *check_arg(int argc, char **argv, const char *what, const char **path)
{
	if (argc != 2)
		die_usage("check takes one %s", what);
	*path = argv[1];
	return check_load(argv[1]);
}

static int pathlen_check(int argc, char **argv)
{
	const char *path;
	json_t *j = check_arg(argc, argv, "pathlen.json", &path);
	if (!j)
		return 1;
	check(!strcmp(json_string_value(json_object_get(j, "kind")) ?: "", "gmbench-pathlen"),
	      "%s: kind is gmbench-pathlen", path);
	check(json_is_string(json_object_get(j, "port")) && json_is_string(json_object_get(j, "method")) &&
	      json_is_integer(json_object_get(j, "k")), "%s: port, method and k present", path);
	json_t *cases = json_object_get(j, "cases");
	check(json_is_array(cases) && json_array_size(cases) > 0, "%s: has cases", path);
	size_t i;
	json_t *c;
	int shape = 1, ints = 1, nsyms = 0, empty_zero = 1, have_empty = 0;
	json_array_foreach(cases, i, c) {
		json_t *v = json_object_get(c, "instructions_per_op");
		shape &= json_is_string(json_object_get(c, "name")) && json_is_string(json_object_get(c, "port")) &&
			 json_is_string(json_object_get(c, "method")) && json_is_boolean(json_object_get(c, "exact")) &&
			 (json_is_number(v) || json_is_null(v));
		json_t *u = json_object_get(c, "instructions_per_unit");
		if (json_is_true(json_object_get(c, "exact")))
			ints &= (json_is_integer(v) && json_integer_value(v) >= 0) ||
				(json_is_number(v) && json_is_integer(u) && json_integer_value(u) >= 0);
		else
			ints = 0;
		nsyms += json_is_object(json_object_get(c, "symbols")) && json_object_size(json_object_get(c, "symbols")) > 0;
		if (!strcmp(json_string_value(json_object_get(c, "name")) ?: "", "counter/empty/batch")) {
			have_empty = 1;
			empty_zero = json_is_integer(v) && json_integer_value(v) == 0;
		}
	}
	check(shape, "%s: every case has name, port, method, exact and instructions_per_op", path);
	check(ints, "%s: every gmbench case is exact: a non-negative integer count per operation (per round trip for switches)", path);
	check(nsyms > 0, "%s: per-symbol breakdowns present (%d cases)", path, nsyms);
	if (have_empty)
		check(empty_zero, "%s: known answer: counter/empty/batch costs 0 instructions per operation", path);
	json_t *table = json_object_get(j, "table");
	int tshape = json_is_array(table) && json_array_size(table) > 0;
	int seed_column = json_is_true(json_object_get(j, "seed_column"));
	int distinct = 1;
	json_array_foreach(table, i, c) {
		json_t *gb = json_object_get(c, "gmbench");
		tshape &= json_is_string(json_object_get(c, "transition")) && (json_is_object(gb) || json_is_null(gb)) &&
			  (json_object_get(c, "seed") != NULL) == seed_column && json_object_get(c, "go") != NULL;
		json_t *sd = json_object_get(c, "seed");
		const char *sv = json_string_value(json_object_get(sd, "variant"));
		const char *gv = json_string_value(json_object_get(json_object_get(c, "gmbench"), "variant"));
		if (sv && gv && !strcmp(sv, gv))
			distinct = 0;
	}
	check(tshape && json_is_boolean(json_object_get(j, "seed_column")), "%s: table rows have transition, "
	      "gmbench and go, and seed exactly when the port has a seed column (%s)", path, seed_column ? "it has" : "it has not");
	check(distinct, "%s: no row puts the same case in the gmbench and the seed column", path);
	json_t *go = json_object_get(j, "go");
	check(json_is_boolean(json_object_get(go, "available")) &&
	      (json_is_true(json_object_get(go, "available")) ? json_is_array(json_object_get(go, "cases"))
							    : json_is_string(json_object_get(go, "why"))),
	      "%s: the Go column is there or says why not", path);
	json_decref(j);
	return nnotok != 0;
}

static int pathlen_same(int argc, char **argv)
{
	if (argc != 3)
		die_usage("same-counts takes two pathlen.json");
	const char *a = argv[1], *b = argv[2];
	json_t *x = check_load(a), *y = check_load(b);
	if (!x || !y)
		return 1;
	json_t *cx = json_object_get(x, "cases"), *cy = json_object_get(y, "cases");
	size_t i;
	json_t *c;
	int n = 0, same = 1;
	json_array_foreach(cx, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *v1 = json_object_get(c, "instructions_per_op"), *v2 = NULL;
		size_t j2;
		json_t *d;
		json_array_foreach(cy, j2, d)
			if (!strcmp(json_string_value(json_object_get(d, "name")) ?: "", name ?: ""))
				v2 = json_object_get(d, "instructions_per_op");
		int eq = v2 && json_equal(v1, v2) && json_is_number(v1) &&
			 json_is_true(json_object_get(c, "exact"));
		if (!eq) {
			char *s1 = json_dumps(v1, JSON_ENCODE_ANY), *s2 = v2 ? json_dumps(v2, JSON_ENCODE_ANY) : NULL;
			check(0, "%s: same instructions/op in both runs (%s vs %s)", name, s1, s2 ? s2 : "missing");
			free(s1);
			free(s2);
		}
		same &= eq;
		n++;
	}
	/* B's cases must be A's: an extra case on either side is a mismatch (issue 22) */
	int sets = n == (int)json_array_size(cy);
	check(same && sets, "%d cases%s: identical exact counts in two runs of %s", n,
	      sets ? "" : " (the other run has a different number of cases)",
	      json_string_value(json_object_get(x, "port")) ?: "?");
	return !(same && sets);
}

/* ------------------------------------------------------------------ llvm-mca input */

/* Is this mnemonic + operands the end of the transition's straight path? */
static int is_path_end(const char *mn, const char *ops)
{
	if (!strcmp(mn, "ret") || !strcmp(mn, "retq") || !strcmp(mn, "br") || !strcmp(mn, "ud2") ||
	    !strcmp(mn, "udf") || !strcmp(mn, "brk"))
		return 1;
	if ((!strcmp(mn, "bx") || !strncmp(mn, "bx", 2)) && strlen(mn) <= 3)
		return 1;
	if ((!strncmp(mn, "pop", 3) || !strncmp(mn, "ldm", 3)) && strstr(ops, "pc"))
		return 1;
	if (!strncmp(mn, "ldr", 3) && !strncmp(ops, "pc,", 3))
		return 1;
	if (!strcmp(mn, "jmp") || !strcmp(mn, "jmpq"))
		return 1;
	return 0;
}

static int pathlen_mca_input(int argc, char **argv)
{
	(void)argc, (void)argv;
	char line[1024];
	int n = 0;
	printf("Lpl_target:\n");
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		/* instruction lines of llvm-objdump --no-show-raw-insn: "  addr:\tmnemonic\toperands" */
		char *colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		int hex = 1;
		for (char *p = line; p < colon; p++)
			if (!isxdigit((unsigned char)*p) && *p != ' ')
				hex = 0;
		if (!hex)
			continue;
		char *ins = colon + 1;
		while (*ins == ' ' || *ins == '\t')
			ins++;
		if (!*ins || *ins == '<')
			continue;
		/* drop comments and the symbolic target "<sym+off>" */
		char *c;
		if ((c = strstr(ins, "//")))
			*c = 0;
		if ((c = strchr(ins, '@')) && !strstr(ins, "@tpoff") && !strstr(ins, "@GOT") && !strstr(ins, "@PLT"))
			*c = 0;
		if ((c = strchr(ins, '<')))
			*c = 0;
		char mn[64] = "", ops[512] = "";
		sscanf(ins, "%63s %511[^\n]", mn, ops);
		for (int i = (int)strlen(ops) - 1; i >= 0 && isspace((unsigned char)ops[i]); i--)
			ops[i] = 0;
		/* branch/call to an address: point it at the local label */
		int isbranch = (mn[0] == 'b' && strcmp(mn, "bic") && strcmp(mn, "bics") && strcmp(mn, "bfi") &&
				strcmp(mn, "bfxil") && strcmp(mn, "bfc") && strcmp(mn, "bif") && strcmp(mn, "bit") &&
				strcmp(mn, "bsl") && strcmp(mn, "brk") && strncmp(mn, "bx", 2) && strcmp(mn, "blx") && strcmp(mn, "br") &&
				strcmp(mn, "blr")) ||
			       !strncmp(mn, "cb", 2) || !strncmp(mn, "tb", 2) || (mn[0] == 'j' && strcmp(mn, "jmpq") &&
			       strchr(ops, '*') == NULL) || ((!strcmp(mn, "call") || !strcmp(mn, "callq")) &&
			       strchr(ops, '*') == NULL);
		if (isbranch) {
			char *last = strrchr(ops, ',');
			char *tgt = last ? last + 1 : ops;
			while (*tgt == ' ')
				tgt++;
			if (!strncmp(tgt, "0x", 2) || isxdigit((unsigned char)*tgt) || *tgt == '#') {
				*tgt = 0;
				strncat(ops, "Lpl_target", sizeof ops - strlen(ops) - 1);
			}
		}
		/* jmp to an absolute address (tail jump): path end */
		if ((!strcmp(mn, "jmp") || !strcmp(mn, "jmpq")) && strchr(ops, '*') == NULL)
			snprintf(ops, sizeof ops, "Lpl_target");
		/* calls of a fatal path (gm_bad*) are not on the path */
		if (strstr(line, "<gm_bad") || strstr(line, "<gm_fatal"))
			break;
		/* GNU spellings of coprocessor operands: mrc 15, 0, r0, cr13, cr0, {3} */
		if (!strncmp(mn, "mrc", 3) || !strncmp(mn, "mcr", 3)) {
			int cp, op1, crn, crm, op2;
			char rt[16];
			if (sscanf(ops, "%d, %d, %15[^,], cr%d, cr%d, {%d}", &cp, &op1, rt, &crn, &crm, &op2) == 6)
				snprintf(ops, sizeof ops, "p%d, #%d, %s, c%d, c%d, #%d", cp, op1, rt, crn, crm, op2);
		}
		/* calls: llvm-mca models a call as 100 cycles of latency; the callee is not part of
		 * this symbol's path either.  Left out, and said so. */
		if (!strcmp(mn, "bl") || !strcmp(mn, "blr") || !strcmp(mn, "blx") || !strcmp(mn, "call") ||
		    !strcmp(mn, "callq")) {
			fprintf(stderr, "left out: %s %s\n", mn, ops);
			continue;
		}
		printf("\t%s\t%s\n", mn, ops);
		n++;
		if (is_path_end(mn, ops))
			break;
	}
	gm_drain(stdin);	/* the writer must not die of SIGPIPE */
	gm_read_end(stdin, "mca-input: standard input");
	fprintf(stderr, "%s: mca-input: %d instructions\n", gm_prog, n);
	return n ? 0 : 1;
}


int cmd_pathlen(int argc, char **argv)
{
	return gm_run_mode(argc, argv, NULL, (const struct gm_mode[]){
		{ "qemu", pathlen_qemu }, { "callgrind", pathlen_callgrind }, { "report", pathlen_report },
		{ "check", pathlen_check }, { "same-counts", pathlen_same }, { "mca-input", pathlen_mca_input },
		{ NULL, NULL } });
}
