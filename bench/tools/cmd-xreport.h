/*
 * cmd-xreport.h — the parts of gm xreport (docs/tools/xreport.md): reading and merging
 * the runs (cmd-xreport.c), and the report, CSVs and plots written from the merged
 * series (cmd-xreport-out.c).  The data is global because the command is one pass over
 * one set of runs, as it always was.
 */
#ifndef GM_CMD_XREPORT_H
#define GM_CMD_XREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "util/stats.h"
#include "util/util.h"

/* every error of this command says "error:" */
#define xdie(...) die("error: " __VA_ARGS__)

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

extern struct run *runs;
extern size_t nruns, capruns;
extern struct board *boards;
extern size_t nboards, capboards;
extern struct series *ser;
extern size_t nser, capser;

/* the distinct transitions, in first-seen order */
extern char **trans;
extern size_t ntrans, captrans;

void add_unique(char ***list, size_t *n, size_t *cap, const char *s);
void trans_of(const char *bench, char *t, size_t size);
char *clean(const char *s);
int is_floor(const struct series *x);
int find_board(const char *label);

void write_merged(void);
void list_trans(void);
void write_report(int base);
void write_plots(void);

#endif
