/*
 * util.h — the library every gm command shares (docs/tools/gm.md): errors, memory,
 * a text buffer, the option parser, the atomic writer and the JSON helpers.  The file
 * loaders are in load.h, the statistics in stats.h.
 *
 * One writer, one cleanup: every output file or run folder a command writes goes
 * through out.c, which writes it under a temporary name in the same folder and renames
 * it on success; die() removes every temporary still open, so no error path can leave a
 * half-written result.
 */
#ifndef GM_UTIL_H
#define GM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* ---- errors (die.c) */

/* "gm report", "gm compare": the prefix of every message; gm.c sets it. */
extern const char *gm_prog;
void gm_set_prog(const char *command);

/* PROG: message, the temporaries removed, exit 2. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* PROG: warning: message. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* PROG: message and the command's synopsis (from its docs page) on stderr, exit 2. */
void die_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* The running command's synopsis (gm.c). */
void gm_print_usage(FILE *f);

/* ---- memory (die.c): they never return NULL */

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);	/* NULL gives "" */

/* Make room for one more element in arr[n] (capacity cap, doubled from 16). */
#define GROW(arr, n, cap)                                                        \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			(cap) = (cap) ? 2 * (cap) : 16;                          \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));          \
		}                                                                \
	} while (0)

/* ---- a growable text buffer (die.c) */

struct gm_buf {
	char *s;	/* NUL-terminated; NULL while empty */
	size_t len, cap;
};

void gm_bprintf(struct gm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gm_bpad(struct gm_buf *b, size_t n);	/* n spaces */

/* ---- options (opt.c): --opt value and --opt=value, for every command alike */

/* argv[*i] is NAME ("--out") or NAME=value: 1 and *val set (the next argument is taken
 * for the first form; missing, die_usage), else 0. */
int gm_opt(int argc, char **argv, int *i, const char *name, const char **val);
/* The same for an option of n values (--predict OLD NEW, --meta KEY VALUE). */
int gm_optn(int argc, char **argv, int *i, const char *name, int n, const char **vals);
/* argv[*i] is the flag NAME exactly. */
int gm_flag(char **argv, int i, const char *name);
/* A command's modes (a list ended by { NULL }): argv[1] names one, which runs with argv
 * from its word on; else DFLT runs with argv as given, or without DFLT it is a usage error. */
struct gm_mode {
	const char *word;
	int (*fn)(int argc, char **argv);
};
int gm_run_mode(int argc, char **argv, int (*dflt)(int, char **), const struct gm_mode *modes);
/* LINE (its newline dropped) split at SEP into at most MAX fields, in place: their count. */
int gm_split(char *line, const char *sep, char **fld, int max);
/* The one argument (WHAT) of a mode that takes one option OPT (its value into *val). */
const char *gm_one_arg(int argc, char **argv, const char *opt, const char **val, const char *what);
/* A number for OPT from TEXT: the whole text, finite; else die_usage with WHAT. */
double gm_parse_double(const char *opt, const char *text, const char *what);

/* ---- the atomic writer (out.c) */

struct gm_out {
	FILE *f;
	char *tmp, *final;
};

/* PATH's temporary (.NAME.tmp.PID beside it), open for writing; die() removes it. */
struct gm_out *gm_out_open(const char *path);
struct gm_out *gm_out_open_in(const char *dir, const char *name);
/* Flush, sync, close and rename every open output, in the order they were opened:
 * all or nothing (a failure removes the ones already renamed, then dies). */
void gm_out_commit_all(void);
/* One file, whole: DIR/NAME holds DATA when this returns. */
void gm_write_file(const char *dir, const char *name, const char *data, size_t len);
/* Files of one result, written whole into DIR (created with its parents; WHAT names the
 * option in messages) and renamed together: NAMES and DATA end with NULL. */
void gm_write_files(const char *dir, const char *what, const char *const *names, const char *const *data);
/* mkdir -p DIR (die with WHAT on failure). */
void gm_mkdir_p(const char *dir, const char *what);

/* Every temporary still open removed (die() and gm's main call it). */
void gm_out_cleanup(void);

/* A run folder written whole: files go into a temporary folder beside FINAL
 * (.NAME.tmp.PID), renamed to FINAL by gm_dir_commit; die() removes it. */
void gm_dir_begin(const char *final);
FILE *gm_dir_open(const char *name);	/* NAME inside the folder (may hold a '/') */
void gm_dir_mkdir(const char *name);
void gm_dir_close(FILE *f, const char *name);
void gm_dir_commit(void);

/* ---- small things many commands print */

/* A JSON string's contents escaped as gmbench's C writers escape them (\" \\ \u00XX). */
void gm_fput_jescaped(FILE *f, const char *s);
/* F read to its end: die "WHAT: cannot read it" when reading failed (a folder opens and
 * then fails to read: never taken for an empty file); closes F unless it is stdin. */
void gm_read_end(FILE *f, const char *what);
/* The whole of stdin's remaining input read and dropped (a writer must not die of SIGPIPE). */
void gm_drain(FILE *f);

#endif
