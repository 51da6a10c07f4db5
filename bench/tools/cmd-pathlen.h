/*
 * cmd-pathlen.h — the parts of gm pathlen (docs/tools/pathlen.md) and the checks gm
 * predict shares: interned symbol names (cmd-pathlen-trace.c), the counting modes, the
 * report (cmd-pathlen-report.c), and the ok / not ok lines of the checks.
 */
#ifndef GM_CMD_PATHLEN_H
#define GM_CMD_PATHLEN_H

#include <jansson.h>
#include <stddef.h>

extern char **names;
size_t intern(const char *s);

int pathlen_qemu(int argc, char **argv);
int pathlen_callgrind(int argc, char **argv);
int pathlen_report(int argc, char **argv);

/* "ok - ..." / "not ok - ..." on stdout, counted */
extern int nok, nnotok;
void check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PATH as JSON, or NULL after a "not ok - PATH parses as JSON" line */
json_t *check_load(const char *path);
/* the one FILE of a check mode (else a usage error), loaded as check_load does */
json_t *check_arg(int argc, char **argv, const char *what, const char **path);

/* cmd-predict.c, shared with gm compare's prediction rows: the scheduling model an
 * llvm-mca resource name belongs to, and one line per core of a predict.json's meta
 * saying which model stood in for it */
struct gm_buf;
void mca_model_of(const char *unit, char *name, size_t nn, char *mcpu, size_t nm);
void predict_cores_text(struct gm_buf *b, json_t *meta);

#endif
