/*
 * gmcompare - compare Google Benchmark JSON results of an OLD and a NEW side,
 * benchstat-style: per-benchmark median with a distribution-free 95% CI,
 * Mann-Whitney U test, geomean.
 *
 * usage: gmcompare [--metric M] [--alpha A] [--out DIR] OLD.json [...] -- NEW.json [...]
 *        gmcompare [--metric M] [--alpha A] [--out DIR] OLD.json NEW.json
 *
 * Exit status: 0 = comparison printed (whatever the result),
 *              2 = error (message on stderr starting with "gmcompare: ";
 *                  nothing on stdout, nothing written to --out DIR).
 */
#define _POSIX_C_SOURCE 200809L

#include "stats.h"
#include "util.h"
#include "../report/gbjson.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define GMC_CI_LEVEL 0.95

static const char *usage_text =
    "usage: gmcompare [--metric M] [--alpha A] [--out DIR] OLD.json [OLD2.json ...] -- NEW.json [NEW2.json ...]\n"
    "       gmcompare --paired [--alpha A] [--out DIR] PAIRS.json... (gmpair processes: see paired.c)\n"
    "       gmcompare [--metric M] [--alpha A] [--out DIR] OLD.json NEW.json\n"
    "       gmcompare --count [--timing T.json] [--predict OLD.json NEW.json] [--paths FILE] [--out DIR]\n"
    "                 OLD.json [OLD2.json] -- NEW.json [NEW2.json]   (make pathlen results: see count.c)\n"
    "  --metric M  'time' (real_time in ns/op) or a per-op counter (cycles, ticks, ...);\n"
    "              default: cycles if every compared benchmark has it, else ticks, else time\n"
    "  --alpha A   significance level, 0 < A < 1 (default 0.05)\n"
    "  --out DIR   also write DIR/compare.txt and DIR/compare.json\n";

/* ------------------------------------------------------------------ */
/* errors, memory                                                      */

#define die gmc_die     /* util.c: "gmcompare: " message, exit 2 */

static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("gmcompare: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage_text, stderr);
    exit(2);
}

static void warn(const char *fmt, ...)
{
    va_list ap;
    fputs("gmcompare: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

/* growable string */
struct sb {
    char *s;
    size_t len, cap;
};

static void sb_printf(struct sb *b, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        die("formatting error");
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        b->s = xrealloc(b->s, cap);
        b->cap = cap;
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void sb_pad(struct sb *b, size_t n)
{
    while (n--)
        sb_printf(b, " ");
}

/* ------------------------------------------------------------------ */
/* input                                                               */

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

static struct bench *side_find(struct side *s, const char *name)
{
    for (size_t i = 0; i < s->nb; i++)
        if (strcmp(s->b[i].name, name) == 0)
            return &s->b[i];
    return NULL;
}

static struct bench *side_get(struct side *s, const char *name)
{
    /* rows of one benchmark are usually adjacent: try the last one first */
    if (s->nb && strcmp(s->b[s->nb - 1].name, name) == 0)
        return &s->b[s->nb - 1];
    struct bench *b = side_find(s, name);
    if (b)
        return b;
    if (s->nb == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->b = xrealloc(s->b, s->cap * sizeof *s->b);
    }
    b = &s->b[s->nb++];
    memset(b, 0, sizeof *b);
    b->name = xstrdup(name);
    return b;
}

static void bench_add(struct bench *b, json_t *obj, size_t file)
{
    if (b->nrows == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
    }
    b->rows[b->nrows++] = (struct row){ obj, file };
}

static json_t *load_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: cannot open: %s", path, strerror(errno));
    size_t len = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - len < 65536) {
            cap = cap ? 2 * cap : 65536;
            buf = xrealloc(buf, cap);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("%s: read error: %s", path, strerror(errno));
    fclose(f);

    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
                       buf[i] == '\r'))
        i++;
    if (i == len)
        die("%s: empty file (no JSON)", path);

    json_error_t err;
    /* Google Benchmark's bare NaN (a CV of 0/0) reads as null */
    json_t *root = gb_json_loadb(buf, len, &err);
    free(buf);
    if (!root)
        die("%s: line %d, column %d: invalid JSON (truncated or malformed): %s",
            path, err.line, err.column, err.text);
    return root;
}

static void side_load(struct side *s)
{
    s->docs = xrealloc(NULL, s->nfiles * sizeof *s->docs);
    for (size_t fi = 0; fi < s->nfiles; fi++) {
        const char *path = s->files[fi];
        json_t *root = load_json(path);
        s->docs[fi] = root;
        json_t *arr = json_is_object(root) ? json_object_get(root, "benchmarks")
                                           : NULL;
        if (!json_is_array(arr))
            die("%s: no \"benchmarks\" array (not a Google Benchmark JSON "
                "file? write one with --benchmark_out_format=json)", path);
        size_t idx;
        json_t *e;
        json_array_foreach(arr, idx, e) {
            if (!json_is_object(e))
                die("%s: benchmarks[%zu] is not an object", path, idx);
            json_t *rn = json_object_get(e, "run_name");
            if (!json_is_string(rn))
                rn = json_object_get(e, "name");
            if (!json_is_string(rn))
                die("%s: benchmarks[%zu] has no \"run_name\" or \"name\"",
                    path, idx);
            const char *name = json_string_value(rn);
            json_t *rt = json_object_get(e, "run_type");
            if (rt) {
                if (!json_is_string(rt))
                    die("%s: benchmarks[%zu] (%s): \"run_type\" is not a string",
                        path, idx, name);
                const char *t = json_string_value(rt);
                if (strcmp(t, "aggregate") == 0)
                    continue;
                if (strcmp(t, "iteration") != 0)
                    die("%s: benchmarks[%zu] (%s): unknown run_type \"%s\"",
                        path, idx, name, t);
            } else if (json_object_get(e, "aggregate_name")) {
                continue;   /* old format without run_type */
            }
            if (json_is_true(json_object_get(e, "error_occurred"))) {
                json_t *m = json_object_get(e, "error_message");
                warn("%s: %s: skipping a run that reported an error%s%s", path,
                     name, json_is_string(m) ? ": " : "",
                     json_is_string(m) ? json_string_value(m) : "");
                continue;
            }
            /* Google Benchmark appends "/manual_time" to benchmarks timed with
             * UseManualTime (all of gmbench's): it is not part of the name */
            char shortname[512];
            snprintf(shortname, sizeof shortname, "%s", name);
            size_t sl = strlen(shortname), ml = strlen("/manual_time");
            if (sl > ml && strcmp(shortname + sl - ml, "/manual_time") == 0)
                shortname[sl - ml] = 0;
            bench_add(side_get(s, shortname), e, fi);
        }
    }
}

/* Standard Google Benchmark fields that are not per-op counters. */
static const char *const reserved_keys[] = {
    "name", "run_name", "run_type", "repetitions", "repetition_index",
    "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "family_index", "per_family_instance_index", "aggregate_name",
    "aggregate_unit", "error_occurred", "error_message", "label", NULL
};

static int is_reserved(const char *m)
{
    for (size_t i = 0; reserved_keys[i]; i++)
        if (strcmp(reserved_keys[i], m) == 0)
            return 1;
    return 0;
}

static int row_has(const struct row *r, const char *metric)
{
    if (strcmp(metric, "time") == 0)
        return json_is_number(json_object_get(r->obj, "real_time"));
    return json_is_number(json_object_get(r->obj, metric));
}

/* value of the metric for one row; dies with a clear message if absent */
static double row_value(const struct side *s, const struct bench *b,
                        const struct row *r, const char *metric)
{
    const char *path = s->files[r->file];
    double v;
    if (strcmp(metric, "time") == 0) {
        json_t *t = json_object_get(r->obj, "real_time");
        if (!json_is_number(t))
            die("%s: benchmark \"%s\" has no numeric \"real_time\"", path,
                b->name);
        v = json_number_value(t);
        json_t *u = json_object_get(r->obj, "time_unit");
        const char *unit = json_is_string(u) ? json_string_value(u) : "ns";
        if (strcmp(unit, "ns") == 0)
            ;
        else if (strcmp(unit, "us") == 0)
            v *= 1e3;
        else if (strcmp(unit, "ms") == 0)
            v *= 1e6;
        else if (strcmp(unit, "s") == 0)
            v *= 1e9;
        else
            die("%s: benchmark \"%s\": unknown time_unit \"%s\"", path,
                b->name, unit);
    } else {
        json_t *c = json_object_get(r->obj, metric);
        if (!json_is_number(c))
            die("%s: benchmark \"%s\" has no numeric \"%s\" value "
                "(choose another with --metric, e.g. --metric time)",
                path, b->name, metric);
        v = json_number_value(c);
    }
    if (!isfinite(v))
        die("%s: benchmark \"%s\": %s value is not finite", path, b->name,
            metric);
    return v;
}

/* ------------------------------------------------------------------ */
/* comparison                                                          */

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
    size_t geo_n;                           /* benchmarks in the geomean */
    const char **only_old, **only_new;
    size_t n_only_old, n_only_new;
    struct side *o, *n;
};

static double *values(const struct side *s, const struct bench *b,
                      const char *metric)
{
    double *v = xrealloc(NULL, b->nrows * sizeof *v);
    for (size_t i = 0; i < b->nrows; i++)
        v[i] = row_value(s, b, &b->rows[i], metric);
    return v;
}

static int all_common_have(struct side *o, struct side *n, const char *metric)
{
    for (size_t i = 0; i < o->nb; i++) {
        struct bench *nb = side_find(n, o->b[i].name);
        if (!nb)
            continue;
        for (size_t k = 0; k < o->b[i].nrows; k++)
            if (!row_has(&o->b[i].rows[k], metric))
                return 0;
        for (size_t k = 0; k < nb->nrows; k++)
            if (!row_has(&nb->rows[k], metric))
                return 0;
    }
    return 1;
}

static void compare(struct side *o, struct side *n, const char *metric_opt,
                    double alpha, struct report *rp)
{
    memset(rp, 0, sizeof *rp);
    rp->alpha = alpha;
    rp->o = o;
    rp->n = n;
    rp->res = xrealloc(NULL, (o->nb ? o->nb : 1) * sizeof *rp->res);
    rp->only_old = xrealloc(NULL, (o->nb ? o->nb : 1) * sizeof(char *));
    rp->only_new = xrealloc(NULL, (n->nb ? n->nb : 1) * sizeof(char *));

    size_t ncommon = 0;
    for (size_t i = 0; i < o->nb; i++) {
        if (side_find(n, o->b[i].name))
            ncommon++;
        else
            rp->only_old[rp->n_only_old++] = o->b[i].name;
    }
    for (size_t i = 0; i < n->nb; i++)
        if (!side_find(o, n->b[i].name))
            rp->only_new[rp->n_only_new++] = n->b[i].name;
    if (ncommon == 0)
        die("no benchmark in common between OLD (%zu benchmark%s) and NEW "
            "(%zu benchmark%s)", o->nb, o->nb == 1 ? "" : "s", n->nb,
            n->nb == 1 ? "" : "s");

    if (metric_opt)
        rp->metric = metric_opt;
    else if (all_common_have(o, n, "cycles"))
        rp->metric = "cycles";
    else if (all_common_have(o, n, "ticks"))
        rp->metric = "ticks";
    else
        rp->metric = "time";
    snprintf(rp->unit, sizeof rp->unit, "%s/op",
             strcmp(rp->metric, "time") == 0 ? "ns" : rp->metric);

    double *gold = xrealloc(NULL, ncommon * sizeof *gold);
    double *gnew = xrealloc(NULL, ncommon * sizeof *gnew);
    for (size_t i = 0; i < o->nb; i++) {
        struct bench *ob = &o->b[i], *nb = side_find(n, ob->name);
        if (!nb)
            continue;
        struct result *r = &rp->res[rp->nres++];
        double *ov = values(o, ob, rp->metric);
        double *nv = values(n, nb, rp->metric);
        r->name = ob->name;
        if (gm_summarize(ov, ob->nrows, GMC_CI_LEVEL, &r->old) ||
            gm_summarize(nv, nb->nrows, GMC_CI_LEVEL, &r->new) ||
            gm_mann_whitney(ov, ob->nrows, nv, nb->nrows, &r->mw) ||
            gm_find_modes(ov, ob->nrows, 1.10, &r->mold) ||
            gm_find_modes(nv, nb->nrows, 1.10, &r->mnew))
            die("out of memory");
        free(ov);
        free(nv);
        r->delta = r->old.median != 0.0
                       ? (r->new.median - r->old.median) / r->old.median * 100.0
                       : NAN;
        r->significant = r->mw.p < alpha;
        if (r->significant)
            rp->nsig++;
        if (!r->old.ci_exact || !r->new.ci_exact)
            rp->any_inexact = 1;
        if (r->old.median > 0.0 && r->new.median > 0.0) {
            gold[rp->geo_n] = r->old.median;
            gnew[rp->geo_n] = r->new.median;
            rp->geo_n++;
        }
    }
    rp->geo_old = gm_geomean(gold, rp->geo_n);
    rp->geo_new = gm_geomean(gnew, rp->geo_n);
    rp->geo_delta = (rp->geo_old > 0.0 && rp->geo_new > 0.0)
                        ? (rp->geo_new / rp->geo_old - 1.0) * 100.0
                        : NAN;
    free(gold);
    free(gnew);
}

/* ------------------------------------------------------------------ */
/* text output                                                         */

/* The canary of every repetition (gbshim's canary_* counters), per side: states that
 * changed within a side, and sides that ran in different states. */
static void canary_notes(struct side *o, struct side *n, struct sb *out)
{
    static const char *const keys[3] = { "canary_add", "canary_call", "canary_ssb" };
    struct side *sd[2] = { o, n };
    double med[2][3];
    int have = 0;
    for (int k = 0; k < 3; k++) {
        for (int s = 0; s < 2; s++) {
            size_t cap = 0, nv = 0;
            double *v = NULL;
            for (size_t b = 0; b < sd[s]->nb; b++)
                for (size_t r = 0; r < sd[s]->b[b].nrows; r++) {
                    json_t *x = json_object_get(sd[s]->b[b].rows[r].obj, keys[k]);
                    if (!json_is_number(x))
                        continue;
                    if (nv == cap)
                        v = xrealloc(v, (cap = cap ? 2 * cap : 64) * sizeof *v);
                    v[nv++] = json_number_value(x);
                }
            med[s][k] = nv ? gm_median(v, nv) : NAN;
            gm_modes m;
            if (nv && gm_find_modes(v, nv, 1.25, &m) == 0 && m.split)
                sb_printf(out, "MACHINE STATES in %s: the %s canary read %.4g in %zu repetitions and %.4g in "
                               "%zu: the machine changed state during that side's runs\n",
                          s ? "NEW" : "OLD", keys[k] + 7, m.lo_median, m.n_lo, m.hi_median, m.n_hi);
            have |= nv > 0;
            free(v);
        }
        if (med[0][k] > 0 && med[1][k] > 0 && fabs(med[1][k] / med[0][k] - 1) > 0.03)
            sb_printf(out, "WARNING: the sides' %s canaries differ: %.4g (OLD) vs %.4g (NEW): the two sides ran in "
                           "different machine states (or the change touches the canary's code); a verdict may "
                           "reflect the state, not the change\n", keys[k] + 7, med[0][k], med[1][k]);
    }
    if (have)
        sb_printf(out, "canary medians (OLD / NEW): add %.4g / %.4g, call %.4g / %.4g, ssb %.4g / %.4g\n",
                  med[0][0], med[1][0], med[0][1], med[1][1], med[0][2], med[1][2]);
}

/* about 4 significant digits, never an exponent for usual magnitudes */
static void fmt_val(char *buf, size_t n, double v)
{
    double a = fabs(v);
    if (v == 0.0)
        snprintf(buf, n, "0");
    else if (a >= 1e15 || a < 1e-3)
        snprintf(buf, n, "%.4g", v);
    else if (a >= 1000.0)
        snprintf(buf, n, "%.0f", v);
    else if (a >= 100.0)
        snprintf(buf, n, "%.1f", v);
    else if (a >= 10.0)
        snprintf(buf, n, "%.2f", v);
    else if (a >= 1.0)
        snprintf(buf, n, "%.3f", v);
    else
        snprintf(buf, n, "%.4g", v);
}

static void fmt_cell(char *buf, size_t n, const gm_summary *s)
{
    char v[64];
    fmt_val(v, sizeof v, s->median);
    if (s->median == 0.0) {
        snprintf(buf, n, "%s ± ?%s", v, s->ci_exact ? "" : "!");
        return;
    }
    double pct = (s->hi - s->lo) / 2.0 / fabs(s->median) * 100.0;
    snprintf(buf, n, pct < 10.0 ? "%s ± %.1f%%%s" : "%s ± %.0f%%%s", v, pct,
             s->ci_exact ? "" : "!");
}

/* signed percentage with 2 decimals; never "-0.00%" */
static void fmt_pct(char *buf, size_t n, double pct)
{
    if (fabs(pct) < 0.005)
        pct = 0.0;
    snprintf(buf, n, "%+.2f%%", pct);
}

/* display width of a UTF-8 string (counts code points; "±" is 2 bytes) */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void render(const struct report *rp, struct sb *out)
{
    size_t nr = rp->nres;
    char (*c1)[96] = xrealloc(NULL, nr * sizeof *c1);
    char (*c2)[96] = xrealloc(NULL, nr * sizeof *c2);
    char (*c3)[32] = xrealloc(NULL, nr * sizeof *c3);
    char (*c4)[64] = xrealloc(NULL, nr * sizeof *c4);
    char h1[300], h2[300], g1[64], g2[64], g3[32];

    snprintf(h1, sizeof h1, "old %s", rp->unit);
    snprintf(h2, sizeof h2, "new %s", rp->unit);
    size_t w0 = strlen("geomean"), w1 = width(h1), w2 = width(h2),
           w3 = strlen("delta");
    for (size_t i = 0; i < nr; i++) {
        const struct result *r = &rp->res[i];
        fmt_cell(c1[i], sizeof c1[i], &r->old);
        fmt_cell(c2[i], sizeof c2[i], &r->new);
        if (!r->significant)
            snprintf(c3[i], sizeof c3[i], "~");
        else if (isnan(r->delta))
            snprintf(c3[i], sizeof c3[i], "n/a");
        else
            fmt_pct(c3[i], sizeof c3[i], r->delta);
        snprintf(c4[i], sizeof c4[i], "(p=%.3f n=%zu+%zu)", r->mw.p, r->old.n,
                 r->new.n);
        if (width(r->name) > w0) w0 = width(r->name);
        if (width(c1[i]) > w1) w1 = width(c1[i]);
        if (width(c2[i]) > w2) w2 = width(c2[i]);
        if (width(c3[i]) > w3) w3 = width(c3[i]);
    }
    if (rp->geo_n) {
        fmt_val(g1, sizeof g1, rp->geo_old);
        fmt_val(g2, sizeof g2, rp->geo_new);
        fmt_pct(g3, sizeof g3, rp->geo_delta);
    } else {
        snprintf(g1, sizeof g1, "n/a");
        snprintf(g2, sizeof g2, "n/a");
        snprintf(g3, sizeof g3, "n/a");
    }
    if (width(g1) > w1) w1 = width(g1);
    if (width(g2) > w2) w2 = width(g2);
    if (width(g3) > w3) w3 = width(g3);

    /* header */
    sb_printf(out, "name");
    sb_pad(out, w0 - 4 + 2);
    sb_printf(out, "%s", h1);
    sb_pad(out, w1 - width(h1) + 2);
    sb_printf(out, "%s", h2);
    sb_pad(out, w2 - width(h2) + 2);
    sb_pad(out, w3 - 5);
    sb_printf(out, "delta\n");

    for (size_t i = 0; i < nr; i++) {
        const struct result *r = &rp->res[i];
        sb_printf(out, "%s", r->name);
        sb_pad(out, w0 - width(r->name) + 2);
        sb_printf(out, "%s", c1[i]);
        sb_pad(out, w1 - width(c1[i]) + 2);
        sb_printf(out, "%s", c2[i]);
        sb_pad(out, w2 - width(c2[i]) + 2);
        sb_pad(out, w3 - width(c3[i]));
        sb_printf(out, "%s  %s\n", c3[i], c4[i]);
        /* samples in two clusters: a machine state, not noise; never pooled silently */
        for (int s = 0; s < 2; s++) {
            const gm_modes *m = s ? &r->mnew : &r->mold;
            if (m->split)
                sb_printf(out, "  ^ TWO MODES in %s: %.4g (%zu runs) and %.4g (%zu runs): a hidden state "
                               "changed this benchmark between processes; its verdict is not one number\n",
                          s ? "NEW" : "OLD", m->lo_median, m->n_lo, m->hi_median, m->n_hi);
        }
    }
    sb_printf(out, "geomean");
    sb_pad(out, w0 - 7 + 2);
    sb_printf(out, "%s", g1);
    sb_pad(out, w1 - width(g1) + 2);
    sb_printf(out, "%s", g2);
    sb_pad(out, w2 - width(g2) + 2);
    sb_pad(out, w3 - width(g3));
    sb_printf(out, "%s", g3);
    if (rp->geo_n && rp->geo_n < nr)
        sb_printf(out, "  (%zu of %zu benchmarks: medians <= 0 left out)",
                  rp->geo_n, nr);
    sb_printf(out, "\n\n");

    sb_printf(out,
              "%zu benchmark%s compared, %zu significant at alpha=%g; with %zu "
              "comparison%s expect about %.3g false positive%s\n",
              nr, nr == 1 ? "" : "s", rp->nsig, rp->alpha, nr,
              nr == 1 ? "" : "s", (double)nr * rp->alpha,
              (double)nr * rp->alpha == 1.0 ? "" : "s");
    if (rp->any_inexact)
        sb_printf(out, "! fewer than 6 samples: too few for a 95%% CI of the "
                       "median; the range shown is min..max\n");
    if (rp->n_only_old) {
        sb_printf(out, "only in OLD (not compared):");
        for (size_t i = 0; i < rp->n_only_old; i++)
            sb_printf(out, "%s %s", i ? "," : "", rp->only_old[i]);
        sb_printf(out, "\n");
    }
    if (rp->n_only_new) {
        sb_printf(out, "only in NEW (not compared):");
        for (size_t i = 0; i < rp->n_only_new; i++)
            sb_printf(out, "%s %s", i ? "," : "", rp->only_new[i]);
        sb_printf(out, "\n");
    }
    canary_notes(rp->o, rp->n, out);
    free(c1);
    free(c2);
    free(c3);
    free(c4);
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jstrs(const char *const *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

static json_t *jsummary(const gm_summary *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "n", json_integer((json_int_t)s->n));
    json_object_set_new(o, "median", jnum(s->median));
    json_object_set_new(o, "ci_low", jnum(s->lo));
    json_object_set_new(o, "ci_high", jnum(s->hi));
    json_object_set_new(o, "ci_coverage", jnum(s->coverage));
    json_object_set_new(o, "ci_exact", json_boolean(s->ci_exact));
    json_object_set_new(
        o, "ci_halfwidth_pct",
        jnum(s->median != 0.0 ? (s->hi - s->lo) / 2.0 / fabs(s->median) * 100.0
                              : NAN));
    return o;
}

static char *render_json(const struct report *rp, const struct side *o,
                         const struct side *n)
{
    json_t *root = json_object();
    json_object_set_new(root, "tool", json_string("gmcompare"));
    json_object_set_new(root, "format_version", json_integer(1));
    json_object_set_new(root, "mode", json_string("process"));
    json_object_set_new(root, "metric", json_string(rp->metric));
    json_object_set_new(root, "unit", json_string(rp->unit));
    json_object_set_new(root, "alpha", json_real(rp->alpha));
    json_object_set_new(root, "ci_level", json_real(GMC_CI_LEVEL));
    json_object_set_new(root, "comparisons", json_integer((json_int_t)rp->nres));
    json_object_set_new(root, "significant", json_integer((json_int_t)rp->nsig));
    json_object_set_new(root, "expected_false_positives",
                        json_real((double)rp->nres * rp->alpha));
    json_object_set_new(root, "old_files", jstrs(o->files, o->nfiles));
    json_object_set_new(root, "new_files", jstrs(n->files, n->nfiles));

    json_t *arr = json_array();
    for (size_t i = 0; i < rp->nres; i++) {
        const struct result *r = &rp->res[i];
        json_t *b = json_object();
        json_object_set_new(b, "kind", json_string("timing-process"));
        json_object_set_new(b, "name", json_string(r->name));
        json_object_set_new(b, "old", jsummary(&r->old));
        json_object_set_new(b, "new", jsummary(&r->new));
        json_object_set_new(b, "delta_pct", jnum(r->delta));
        json_object_set_new(b, "u", jnum(r->mw.u));
        json_object_set_new(b, "u_old", jnum(r->mw.u_x));
        json_object_set_new(b, "p", jnum(r->mw.p));
        json_object_set_new(b, "p_method",
                            json_string(r->mw.exact ? "exact" : "normal"));
        json_object_set_new(b, "ties", json_boolean(r->mw.ties));
        json_object_set_new(b, "significant", json_boolean(r->significant));
        json_array_append_new(arr, b);
    }
    json_object_set_new(root, "benchmarks", arr);

    json_t *g = json_object();
    json_object_set_new(g, "n", json_integer((json_int_t)rp->geo_n));
    json_object_set_new(g, "old", jnum(rp->geo_old));
    json_object_set_new(g, "new", jnum(rp->geo_new));
    json_object_set_new(g, "delta_pct", jnum(rp->geo_delta));
    json_object_set_new(root, "geomean", g);
    json_object_set_new(root, "only_old", jstrs(rp->only_old, rp->n_only_old));
    json_object_set_new(root, "only_new", jstrs(rp->only_new, rp->n_only_new));

    char *s = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(root);
    if (!s)
        die("cannot encode the JSON report (out of memory?)");
    return s;
}

/* ------------------------------------------------------------------ */
/* atomic file output                                                  */

static int mkdir_p(const char *dir)
{
    char *p = xstrdup(dir);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] == '/' || p[i] == '\0') {
            char c = p[i];
            p[i] = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            p[i] = c;
        }
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

struct outfile {
    const char *base;    /* "compare.txt" */
    char *tmp, *final;
    const char *data;
    size_t len;
};

static void out_cleanup(struct outfile *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].tmp)
            unlink(f[i].tmp);
}

/* write each file to DIR/.NAME.XXXXXX, then rename all; on any error remove
 * what was written and die. */
static void write_outputs(const char *dir, struct outfile *f, size_t n)
{
    if (mkdir_p(dir) != 0)
        die("--out %s: cannot create directory: %s", dir, strerror(errno));
    mode_t um = umask(0);
    umask(um);
    for (size_t i = 0; i < n; i++) {
        struct sb b = { 0 };
        sb_printf(&b, "%s/.%s.XXXXXX", dir, f[i].base);
        f[i].tmp = b.s;
        struct sb c = { 0 };
        sb_printf(&c, "%s/%s", dir, f[i].base);
        f[i].final = c.s;
    }
    for (size_t i = 0; i < n; i++) {
        int fd = mkstemp(f[i].tmp);
        if (fd < 0) {
            int e = errno;
            out_cleanup(f, i);
            die("--out %s: cannot create a temporary file: %s", dir,
                strerror(e));
        }
        const char *p = f[i].data;
        size_t left = f[i].len;
        int err = fchmod(fd, 0666 & ~um) != 0 ? errno : 0;
        while (!err && left) {
            ssize_t w = write(fd, p, left);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                err = errno;
                break;
            }
            p += w;
            left -= (size_t)w;
        }
        if (!err && fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
            err = errno;
        if (close(fd) != 0 && !err)
            err = errno;
        if (err) {
            out_cleanup(f, i + 1);
            die("--out %s: cannot write %s: %s", dir, f[i].base, strerror(err));
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rename(f[i].tmp, f[i].final) != 0) {
            int e = errno;
            for (size_t k = 0; k < i; k++)      /* undo: nothing partial */
                unlink(f[k].final);
            out_cleanup(f + i, n - i);
            die("--out %s: cannot rename %s: %s", dir, f[i].base, strerror(e));
        }
        free(f[i].tmp);
        f[i].tmp = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(f[i].final);
}

/* ------------------------------------------------------------------ */
/* main                                                                */

static const char *optval(int argc, char **argv, int *i, const char *opt)
{
    size_t l = strlen(opt);
    const char *a = argv[*i];
    if (a[l] == '=')
        return a + l + 1;
    if (*i + 1 >= argc)
        die_usage("option %s needs a value", opt);
    return argv[++*i];
}

static int opt_is(const char *a, const char *opt)
{
    size_t l = strlen(opt);
    return strncmp(a, opt, l) == 0 && (a[l] == '\0' || a[l] == '=');
}

int gmc_paired_main(int argc, char **argv);   /* paired.c */
int gmc_count_main(int argc, char **argv);    /* count.c */

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--paired"))
        return gmc_paired_main(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "--count"))
        return gmc_count_main(argc, argv);
    const char *metric = NULL, *outdir = NULL;
    double alpha = 0.05;
    const char **pos = xrealloc(NULL, (size_t)argc * sizeof *pos);
    const char **newf = xrealloc(NULL, (size_t)argc * sizeof *newf);
    size_t npos = 0, nnew = 0;
    int sep = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (sep) {
            newf[nnew++] = a;
        } else if (strcmp(a, "--") == 0) {
            sep = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            free(pos);
            free(newf);
            return fflush(stdout) == 0 ? 0 : 2;
        } else if (opt_is(a, "--metric")) {
            metric = optval(argc, argv, &i, "--metric");
            if (!*metric)
                die_usage("--metric: empty name");
            if (is_reserved(metric))
                die_usage("--metric %s: not a per-op counter (use 'time' for "
                          "real_time)", metric);
        } else if (opt_is(a, "--alpha")) {
            const char *v = optval(argc, argv, &i, "--alpha");
            char *end;
            errno = 0;
            alpha = strtod(v, &end);
            if (!*v || *end || errno || !(alpha > 0.0 && alpha < 1.0))
                die_usage("--alpha %s: need a number with 0 < alpha < 1", v);
        } else if (opt_is(a, "--out")) {
            outdir = optval(argc, argv, &i, "--out");
            if (!*outdir)
                die_usage("--out: empty directory name");
        } else if (a[0] == '-' && a[1] != '\0') {
            die_usage("unknown option '%s'", a);
        } else {
            pos[npos++] = a;
        }
    }

    struct side old = { .label = "OLD" }, new = { .label = "NEW" };
    if (sep) {
        if (npos == 0)
            die_usage("no OLD file before '--'");
        if (nnew == 0)
            die_usage("no NEW file after '--'");
        old.files = pos;
        old.nfiles = npos;
        new.files = newf;
        new.nfiles = nnew;
    } else {
        if (npos != 2)
            die_usage("need OLD.json NEW.json, or OLD files -- NEW files "
                      "(got %zu file%s)", npos, npos == 1 ? "" : "s");
        old.files = pos;
        old.nfiles = 1;
        new.files = pos + 1;
        new.nfiles = 1;
    }

    side_load(&old);
    side_load(&new);

    struct report rp;
    compare(&old, &new, metric, alpha, &rp);

    struct sb table = { 0 };
    render(&rp, &table);

    if (outdir) {
        char *js = render_json(&rp, &old, &new);
        size_t jl = strlen(js);
        char *jsn = xrealloc(NULL, jl + 2);
        memcpy(jsn, js, jl);
        jsn[jl] = '\n';
        jsn[jl + 1] = '\0';
        free(js);
        struct outfile f[2] = {
            { .base = "compare.txt", .data = table.s, .len = table.len },
            { .base = "compare.json", .data = jsn, .len = jl + 1 },
        };
        write_outputs(outdir, f, 2);
        free(jsn);
    }

    fwrite(table.s, 1, table.len, stdout);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("cannot write to stdout: %s", strerror(errno));

    free(table.s);
    free(rp.res);
    free(rp.only_old);
    free(rp.only_new);
    struct side *sides[2] = { &old, &new };
    for (int s = 0; s < 2; s++) {
        for (size_t i = 0; i < sides[s]->nb; i++) {
            free(sides[s]->b[i].name);
            free(sides[s]->b[i].rows);
        }
        free(sides[s]->b);
        for (size_t i = 0; i < sides[s]->nfiles; i++)
            json_decref(sides[s]->docs[i]);
        free(sides[s]->docs);
    }
    free(pos);
    free(newf);
    return 0;
}
