/*
 * load.h — the one loader of each file format gm reads (docs/tools/gm.md lists the
 * formats), and the small JSON accessors every command uses.
 *
 * A loader reads and parses the file and checks what makes it that format (its kind);
 * it does not print: it returns NULL with a gm_lerr saying what failed, and the command
 * words the message (the commands' messages are part of their interface).  Checks of a
 * command's own needs (a field it requires) stay in the command.
 *
 * Where bad input is to be refused (issue 22), one place each: non-finite numbers enter
 * only through GM_GB's token reading (load.c) and reach commands through gm_jnum and
 * gm_jval (a check there covers every reader); an optional file that exists but cannot be
 * read is classified by gm_optional_file; every loader's failure comes back as a gm_lerr.
 */
#ifndef GM_LOAD_H
#define GM_LOAD_H

#include <jansson.h>
#include <stddef.h>

enum gm_fmt {
	GM_JSON,	/* any JSON (jansson's own parser and messages) */
	GM_GB,		/* Google Benchmark JSON: bare NaN/Infinity tokens read as null */
	GM_PATHLEN,	/* make pathlen's pathlen.json: kind gmbench-pathlen */
	GM_PREDICT,	/* make predict's predict.json: kind gmbench-predict, a results array */
	GM_COMPARE,	/* gm compare's compare.json: tool gmcompare, a benchmarks array */
	GM_PAIR,	/* a gmpair process (bench/pair): integer gmpair, a cases array */
};

/* With GM_GB's token reading, any format may be read as Google Benchmark writes JSON. */
#define GM_NAN_TOKENS 0x100

enum gm_lerr_kind { GM_LOK, GM_LOPEN, GM_LREAD, GM_LEMPTY, GM_LSYNTAX, GM_LKIND };

struct gm_lerr {
	enum gm_lerr_kind kind;
	int line, column;
	char text[256];	/* jansson's or the loader's words */
};

/* FMT | GM_NAN_TOKENS optionally.  NULL on failure, e filled. */
json_t *gm_load(const char *path, int fmt, struct gm_lerr *e);
/* GM_GB's reading of a buffer (the file itself is never rewritten). */
json_t *gm_gb_loadb(const char *buf, size_t len, struct gm_lerr *e);

/* An optional file of a run folder (machine.json, board.json): what is there.  Only
 * GM_ABSENT is absent: gm report and gm xreport load anything else, and a folder, a symlink
 * loop or an unreadable file fails there with its reason (issue 22). */
enum gm_optional {
	GM_ABSENT,	/* no such file */
	GM_REGULAR,
	GM_NOTREG,	/* exists: a folder, a device */
	GM_UNREADABLE,	/* stat failed otherwise: a symlink loop, no permission */
};
enum gm_optional gm_optional_file(const char *path);

/* RUNDIR/bench.json (its path into PATH) as a run's commands read it: Google Benchmark
 * JSON with a context object and a benchmarks array, or die saying which is wrong. */
json_t *gm_load_run_bench(const char *rundir, char *path, size_t pathlen);

/* ---- accessors: NULL / NAN / "" when absent or of another type */
const char *gm_jstr(json_t *o, const char *key);
const char *gm_jstr0(json_t *o, const char *key);	/* "" instead of NULL */
double gm_jnum(json_t *o, const char *key);
double gm_jval(json_t *v);				/* a number, else NAN */
/* V is a count or a cost: a number from 0 to 1e12 (sums and deltas of such stay finite). */
int count_sane(json_t *v);

/* ---- Google Benchmark rows */
/* A time in UNIT (ns, us, ms, s; NULL = ns) as ns; NAN for an unknown unit. */
double gb_to_ns(double v, const char *unit);
/* "callback/crosscall2/le/manual_time" -> "callback/crosscall2/le" */
void gb_base_name(const char *run_name, char *buf, size_t len);
/* The per-op counter of a row named for its unit (cycles, ticks, ns): 1 and the unit and
 * value, or 0. */
int gb_row_counter(json_t *b, const char **unit, double *v);

/* Every S in the JSON array ARR of strings appended unless it is there already. */
void gm_jadd_unique(json_t *arr, const char *s);
/* The first element of ARR whose KEY is the string NAME. */
json_t *gm_jfind(json_t *arr, const char *key, const char *name);

#endif
