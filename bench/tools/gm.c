/*
 * gm.c — the host tool's front end: the command table, help, and the program name in
 * messages, in the manner of Linux perf's perf.c.  Each command's usage text is its page
 * in docs/tools/ turned into a C string at build time (bench/tools/rules.mk), so the
 * page and `gm <command> --help` cannot disagree.
 */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "util/util.h"

#include "help-gm.h"
#include "help-report.h"
#include "help-xreport.h"
#include "help-compare.h"
#include "help-pathlen.h"
#include "help-predict.h"
#include "help-peers.h"
#include "help-icount.h"
#include "help-kind.h"

static int cmd_help(int argc, char **argv);

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *help, *usage;
} cmds[] = {
	{ "report", cmd_report, "a run's result files from its bench.json; samples and CSV for plots",
	  gm_help_report, gm_usage_report },
	{ "xreport", cmd_xreport, "one report across boards from many run folders", gm_help_xreport,
	  gm_usage_xreport },
	{ "compare", cmd_compare, "compare two sides: process level, paired, exact counts; the header",
	  gm_help_compare, gm_usage_compare },
	{ "pathlen", cmd_pathlen, "count instructions per operation (QEMU, callgrind) and report them",
	  gm_help_pathlen, gm_usage_pathlen },
	{ "predict", cmd_predict, "llvm-mca predictions collected into predict.json, and checked",
	  gm_help_predict, gm_usage_predict },
	{ "peers", cmd_peers, "real Go's results merged into a run; gmbench against its peers",
	  gm_help_peers, gm_usage_peers },
	{ "icount", cmd_icount, "perf counts under qemu -icount against make pathlen's counts",
	  gm_help_icount, gm_usage_icount },
	{ "kind", cmd_kind, "name the kind of a result file", gm_help_kind, gm_usage_kind },
	{ "help", cmd_help, "this list, or a command's page", gm_help_gm, gm_usage_gm },
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static const struct cmd *current;

void gm_print_usage(FILE *f)
{
	fputs(current ? current->usage : gm_usage_gm, f);
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int list(FILE *f)
{
	fputs(gm_usage_gm, f);
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'gm help COMMAND' or 'gm COMMAND --help' prints a command's page (docs/tools/COMMAND.md).\n");
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2)
		return list(stdout);
	const struct cmd *c = find(argv[1]);
	if (!c)
		die_usage("no command '%s'", argv[1]);
	fputs(c->help, stdout);
	return 0;
}

/* --help or -h anywhere before a "--" */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return list(stdout);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return list(stdout);
	current = find(argv[1]);
	if (!current) {
		fprintf(stderr, "gm: no command '%s'\n", argv[1]);
		list(stderr);
		return 2;
	}
	gm_set_prog(current->name);
	if (current->fn != cmd_help && wants_help(argc - 1, argv + 1)) {
		fputs(current->help, stdout);
		return fflush(stdout) == 0 ? 0 : 2;
	}
	int rc = current->fn(argc - 1, argv + 1);
	gm_out_cleanup();	/* a command that returns without committing leaves nothing */
	return rc;
}
