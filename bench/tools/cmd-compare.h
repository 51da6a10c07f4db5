/*
 * cmd-compare.h — what the parts of gm compare share (docs/tools/compare.md): the
 * process-level comparison's data (cmd-compare.c) and its renderers
 * (cmd-compare-table.c), and the other modes' entry points.
 */
#ifndef GM_CMD_COMPARE_H
#define GM_CMD_COMPARE_H

#include <jansson.h>

#include "util/stats.h"
#include "util/util.h"

#define GMC_CI_LEVEL 0.95

struct row {
	json_t *obj;        /* borrowed from the side's documents */
	size_t file;        /* index into side.files */
};

struct bench {
	char *name;
	struct row *rows;
	size_t nrows, cap;
};

struct side {
	const char *label;  /* "OLD" / "NEW" */
	const char **files;
	size_t nfiles;
	json_t **docs;
	struct bench *b;
	size_t nb, cap;
};


struct result {
	const char *name;
	gm_summary old, new;
	gm_modes mold, mnew;    /* the runs (processes) of a side in two clusters */
	gm_mwu mw;
	double delta;       /* % ; NaN if old median is 0 */
	int significant;
};

struct report {
	const char *metric;
	char unit[256];
	double alpha;
	struct result *res;
	size_t nres;
	size_t nsig;
	int any_inexact;
	double geo_old, geo_new, geo_delta;     /* NaN if not available */
	double geo_lo, geo_hi;                  /* its 95% interval (%), from the medians' intervals */
	size_t geo_n;                           /* benchmarks in the geomean */
	const char **only_old, **only_new;
	size_t n_only_old, n_only_new;
	struct side *o, *n;
};


struct bench *side_find(struct side *s, const char *name);
void render(const struct report *rp, struct gm_buf *out);
char *render_json(const struct report *rp, const struct side *o, const struct side *n);

/* cmd-compare-count.c: the count cells, shared with the prediction rows */
const char *fmtn(char *b, size_t n, double v);
const char *fmtd(char *b, size_t n, double v);
json_t *jnv(double v);
void count_predictions(struct gm_buf *t, json_t *P[2], json_t *paths, const char *paths_path, size_t npaths,
		       size_t npaths_same, size_t nchanged, json_t *prows, json_t *models);

int compare_paired(int argc, char **argv);	/* cmd-compare-paired.c */
int compare_count(int argc, char **argv);	/* cmd-compare-count.c */
int compare_header(int argc, char **argv);	/* cmd-compare-header.c */
int compare_verdicts(int argc, char **argv);	/* cmd-compare-header.c */
int compare_plan(int argc, char **argv);	/* cmd-compare-plan.c */

#endif
