/*
 * count.c - gmcompare --count: the exact kinds of result of a comparison.
 *
 * usage: gmcompare --count [--timing T.json] [--predict OLD.json NEW.json] [--paths FILE]
 *                          [--out DIR] OLD.json [OLD2.json] -- NEW.json [NEW2.json]
 *
 * OLD*.json / NEW*.json are `make pathlen` results (pathlen.json) of the two sides,
 * each side counted once or twice (two processes).  Counts are exact, so there is no
 * statistics: the two counts of a side must be identical (a difference is reported,
 * and that row's delta is marked not exact), and the delta of a row is new - old.
 * Per row the delta is split over the routines (symbols) it falls in.
 *
 * --timing T.json  a timing comparison's compare.json (gmcompare or gmcompare --paired):
 *                  its rows are kept (kind timing-paired / timing-process) and each count
 *                  row shows the timing verdict of the same benchmark beside it.
 * --predict O N    `make predict` results (predict.json) of both sides: per routine and
 *                  named core, the predicted cycles old -> new (kind prediction, labelled
 *                  as a static prediction).
 * --paths FILE     lines "same|changed|only-old|only-new<TAB>arch<TAB>routine": which
 *                  routines' straight-line paths differ (make compare diffs llvm-mca's
 *                  inputs; identical paths have a zero predicted delta by construction).
 *
 * Writes the text on stdout; with --out DIR also DIR/compare.json (every kind of row in
 * one "benchmarks" array, each row with its "kind") and DIR/count.csv (for plots).
 * Exit 0 when the comparison is printed, 2 with a message on bad input (nothing written).
 */
#define _GNU_SOURCE

#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gmc_count_main(int argc, char **argv);

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* append s to the array of strings arr unless it is there already */
static void add_unique(json_t *arr, const char *s)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x)
        if (!strcmp(json_string_value(x), s))
            return;
    json_array_append_new(arr, json_string(s));
}

/* ------------------------------------------------------------------ input */

static json_t *load_pathlen(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j)
        gmc_die("%s: %s (line %d): not a readable pathlen.json", path, err.text, err.line);
    if (strcmp(jstr(j, "kind"), "gmbench-pathlen"))
        gmc_die("%s: not a make pathlen result (kind is not gmbench-pathlen)", path);
    json_t *cs = json_object_get(j, "cases");
    if (!json_is_array(cs) || !json_array_size(cs))
        gmc_die("%s: no counted cases", path);
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c) {
        json_t *v = json_object_get(c, "instructions_per_op");
        if (!json_is_string(json_object_get(c, "name")) || !(json_is_number(v) || json_is_null(v)))
            gmc_die("%s: case %zu has no name or no instructions_per_op", path, i);
    }
    return j;
}

static json_t *find_named(json_t *arr, const char *key, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
        if (!strcmp(jstr(c, key), name))
            return c;
    return NULL;
}

/* A side: one or two runs of make pathlen. */
struct side {
    const char *files[2];
    json_t *run[2];
    int n;
};

/* The count of a case on one side: NAN when absent or not counted. */
struct cval {
    int present;          /* listed as a case in the first run */
    double v;             /* instructions per op (first run) */
    double v2;            /* second run (NAN without one) */
    int exact;            /* the runs' own repetitions agreed */
    int repeatable;       /* both runs gave the same count (1 with a single run) */
    json_t *syms;         /* borrowed: first run's per-symbol counts */
    const char *why;      /* unavailable: why */
};

static double num_or_nan(json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static struct cval side_val(const struct side *s, const char *name)
{
    struct cval r = { 0 };
    r.v = r.v2 = NAN;
    json_t *c = find_named(json_object_get(s->run[0], "cases"), "name", name);
    if (!c) {
        json_t *u = find_named(json_object_get(s->run[0], "unavailable"), "name", name);
        if (u)
            r.why = jstr(u, "why");
        return r;
    }
    r.present = 1;
    r.v = num_or_nan(json_object_get(c, "instructions_per_op"));
    r.exact = json_is_true(json_object_get(c, "exact"));
    r.syms = json_object_get(c, "symbols");
    r.repeatable = 1;
    if (s->n == 2) {
        json_t *c2 = find_named(json_object_get(s->run[1], "cases"), "name", name);
        r.v2 = c2 ? num_or_nan(json_object_get(c2, "instructions_per_op")) : NAN;
        r.exact &= c2 && json_is_true(json_object_get(c2, "exact"));
        r.repeatable = !isnan(r.v) && r.v == r.v2;
    }
    return r;
}

/* "36.5", "207", "-" */
static const char *fmtn(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else if (v == floor(v))
        snprintf(b, n, "%.0f", v);
    else {
        /* per-op counts of round trips are halves; keep two decimals at most */
        snprintf(b, n, "%.2f", v);
        size_t l = strlen(b);
        while (l && b[l - 1] == '0')
            b[--l] = 0;
        if (l && b[l - 1] == '.')
            b[--l] = 0;
    }
    return b;
}

static const char *fmtd(char *b, size_t n, double v)
{
    char t[48];
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%s%s", v > 0 ? "+" : "", fmtn(t, sizeof t, v));
    return b;
}

static json_t *jnv(double v)
{
    if (isnan(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* ------------------------------------------------------------------ timing */

struct timing {
    json_t *root;
    const char *kind;     /* timing-paired / timing-process */
    char unit[64];        /* "ticks", "cycles", "ns" */
    double min_p, alpha;  /* paired: the smallest p its layouts can give */
    long layouts;
};

static void load_timing(struct timing *t, const char *path)
{
    json_error_t err;
    t->root = json_load_file(path, 0, &err);
    if (!t->root)
        gmc_die("--timing %s: %s (line %d)", path, err.text, err.line);
    if (strcmp(jstr(t->root, "tool"), "gmcompare") || !json_is_array(json_object_get(t->root, "benchmarks")))
        gmc_die("--timing %s: not a gmcompare compare.json", path);
    t->kind = !strcmp(jstr(t->root, "mode"), "paired") ? "timing-paired" : "timing-process";
    snprintf(t->unit, sizeof t->unit, "%s", jstr(t->root, "unit"));
    t->alpha = json_is_number(json_object_get(t->root, "alpha")) ? json_number_value(json_object_get(t->root, "alpha"))
                                                                   : 0.05;
    t->layouts = (long)json_integer_value(json_object_get(t->root, "layouts"));
    t->min_p = t->layouts > 0 ? ldexp(2.0, -(int)t->layouts) : 0;
    char *sl = strstr(t->unit, "/op");
    if (sl)
        *sl = 0;
    /* every timing row says which kind it is */
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(t->root, "benchmarks"), i, b)
        if (!json_object_get(b, "kind"))
            json_object_set_new(b, "kind", json_string(t->kind));
}

/* The timing verdict of a benchmark, as words beside its count. */
static void timing_words(const struct timing *t, const char *name, double dcount, char *out, size_t n,
                         json_t **summary)
{
    *summary = NULL;
    if (!t->root) {
        snprintf(out, n, "-");
        return;
    }
    json_t *b = find_named(json_object_get(t->root, "benchmarks"), "name", name);
    if (!b) {
        snprintf(out, n, "not timed (not in the timing run)");
        return;
    }
    json_t *dp = json_object_get(b, "delta_pct"), *p = json_object_get(b, "p");
    double om = num_or_nan(json_object_get(json_object_get(b, "old"), "median"));
    double nm = num_or_nan(json_object_get(json_object_get(b, "new"), "median"));
    if (json_is_string(json_object_get(b, "error"))) {
        snprintf(out, n, "timing failed: %s", jstr(b, "error"));
        return;
    }
    if (!json_is_number(dp) || !json_is_number(p)) {
        snprintf(out, n, "no timing verdict (a ~0 floor)");
        return;
    }
    double d = json_number_value(dp), pv = json_number_value(p);
    /* the delta in the counter's unit: the old median times the relative delta (paired:
     * the median paired ratio; process level: the medians' delta) */
    double abs_d = !strcmp(t->kind, "timing-paired") ? om * d / 100.0 : nm - om;
    int sig = json_is_true(json_object_get(b, "significant"));
    *summary = json_pack("{s:s s:f s:f s:b s:s}", "from", t->kind, "delta_pct", d, "p", pv, "significant", sig,
                         "unit", t->unit);
    if (isfinite(abs_d))
        json_object_set_new(*summary, "delta", json_real(abs_d));
    if (sig)
        snprintf(out, n, "%+.3g %s (%+.1f%%), p=%.3f: %s", abs_d, t->unit, d, pv, d > 0 ? "slower" : "faster");
    else if (!strcmp(t->kind, "timing-paired") && t->min_p >= t->alpha)
        snprintf(out, n, "~ (p=%.2f: %ld layouts cannot reach p < %g, no verdict; %+.1f%%)", pv, t->layouts,
                 t->alpha, d);
    else if (dcount != 0 && !isnan(dcount))
        snprintf(out, n, "~ (p=%.2f: hidden by the out-of-order core, or below this machine's noise)", pv);
    else
        snprintf(out, n, "~ (p=%.2f)", pv);
}

/* ------------------------------------------------------------------ cores */

/* Which llvm-mca model stands in for which core (llvm-mca 14; docs/pathlen.md). */
static const struct core {
    const char *cpu, *core, *cls, *note;
} cores[] = {
    { "cortex-a53", "Cortex-A53", "in-order, dual-issue", "its own model (Raspberry Pi 3, many AArch64 boards)" },
    { "cortex-a55", "Cortex-A55", "in-order, dual-issue", "its own model" },
    { "cortex-a72", "Cortex-A72", "out-of-order, 3-wide", "its own model (Raspberry Pi 4)" },
    { "cortex-a76", "Cortex-A76", "out-of-order, 4-wide", "its own model (Raspberry Pi 5)" },
    { "neoverse-n1", "Neoverse-N1", "out-of-order", "its own model (Graviton2, Ampere Altra)" },
    { "cortex-r52", "Cortex-A7/A8 class", "in-order, dual-issue",
      "stand-in: Cortex-R52's model (an in-order dual-issue AArch32 core); llvm-mca 14 has no Cortex-A7 or A8 "
      "model.  It cannot cost mrc/mcr, vpush/vstm or barriers (listed), and charges load-multiple (pop, ldm) about "
      "19 cycles: its absolute figures run high, read the deltas" },
    { "cortex-a57", "Cortex-A9/A15/A17 class", "out-of-order",
      "stand-in: Cortex-A57's model in AArch32 (3-wide out-of-order, the successor of A15's design); A9 is 2-wide, "
      "so it is optimistic there.  LLVM's cortex-a9/a15/a17 models reject push/pop/ldm/stm and crash llvm-mca 14" },
    { "skylake", "Skylake", "out-of-order", "its own model" },
    { "znver2", "Zen 2", "out-of-order", "its own model" },
};

static const struct core *core_of(const char *cpu)
{
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++)
        if (!strcmp(cores[i].cpu, cpu))
            return &cores[i];
    return NULL;
}

/* ------------------------------------------------------------------ main */

static int cmp_abs_desc(const void *a, const void *b)
{
    double x = fabs(json_number_value(json_array_get(*(json_t *const *)a, 1)));
    double y = fabs(json_number_value(json_array_get(*(json_t *const *)b, 1)));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* new - old per symbol, zero entries dropped, largest first: [[name, delta], ...] */
static json_t *sym_delta(json_t *o, json_t *n)
{
    json_t *acc = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(n, k, v)
        json_object_set_new(acc, k, json_real(json_number_value(v)));
    json_object_foreach(o, k, v) {
        json_t *a = json_object_get(acc, k);
        json_object_set_new(acc, k, json_real((a ? json_number_value(a) : 0) - json_number_value(v)));
    }
    size_t na = json_object_size(acc), m = 0;
    json_t **arr = calloc(na + 1, sizeof *arr);
    if (!arr)
        gmc_die("out of memory");
    json_object_foreach(acc, k, v) {
        double x = json_number_value(v);
        if (fabs(x) > 1e-9)
            arr[m++] = json_pack("[s o]", k, jnv(round(x * 100) / 100));
    }
    qsort(arr, m, sizeof *arr, cmp_abs_desc);
    json_t *out = json_array();
    for (size_t i = 0; i < m; i++)
        json_array_append_new(out, arr[i]);
    free(arr);
    json_decref(acc);
    return out;
}

static void write_file(const char *dir, const char *name, const char *data)
{
    char tmp[4096], fin[4096];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(fin, sizeof fin, "%s/%s", dir, name);
    FILE *f = fopen(tmp, "w");
    if (!f || fputs(data, f) < 0 || fclose(f) != 0 || rename(tmp, fin) != 0) {
        int e = errno;
        unlink(tmp);
        gmc_die("writing %s failed: %s", fin, strerror(e));
    }
}

/* the short name of a counting method: "qemu-aarch64 exec trace", "callgrind" */
static void method_short(const char *m, char *out, size_t n)
{
    if (strstr(m, "callgrind"))
        snprintf(out, n, "callgrind (Ir)%s", "");
    else if (strstr(m, "-singlestep")) {
        char q[64] = "qemu";
        sscanf(m, "%63s", q);
        snprintf(out, n, "%s exec trace", q);
    } else
        snprintf(out, n, "%.60s", m);
}

int gmc_count_main(int argc, char **argv)
{
    const char *outdir = NULL, *timing_path = NULL, *paths_path = NULL, *pred[2] = { 0 };
    struct side S[2] = { 0 };
    int sep = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--out") && i + 1 < argc)
            outdir = argv[++i];
        else if (!strcmp(a, "--timing") && i + 1 < argc)
            timing_path = argv[++i];
        else if (!strcmp(a, "--paths") && i + 1 < argc)
            paths_path = argv[++i];
        else if (!strcmp(a, "--predict") && i + 2 < argc) {
            pred[0] = argv[++i];
            pred[1] = argv[++i];
        } else if (!strcmp(a, "--"))
            sep = 1;
        else if (a[0] == '-' && a[1] == '-')
            gmc_die("--count: unknown option %s (usage: gmcompare --count [--timing T.json] [--predict OLD.json "
                 "NEW.json] [--paths FILE] [--out DIR] OLD.json [OLD2.json] -- NEW.json [NEW2.json])", a);
        else {
            struct side *s = &S[sep];
            if (s->n == 2)
                gmc_die("--count: at most two counts per side (%s)", a);
            s->files[s->n++] = a;
        }
    }
    if (!sep || !S[0].n || !S[1].n)
        gmc_die("--count needs OLD.json [OLD2.json] -- NEW.json [NEW2.json] (make pathlen results)");
    for (int s = 0; s < 2; s++)
        for (int r = 0; r < S[s].n; r++)
            S[s].run[r] = load_pathlen(S[s].files[r]);
    const char *arch = jstr(S[0].run[0], "arch"), *port = jstr(S[0].run[0], "port");
    for (int s = 0; s < 2; s++)
        for (int r = 0; r < S[s].n; r++)
            if (strcmp(jstr(S[s].run[r], "arch"), arch))
                gmc_die("%s counts arch %s, but %s counts %s: both sides must be one port", S[s].files[r],
                     jstr(S[s].run[r], "arch"), S[0].files[0], arch);
    struct timing T = { 0 };
    if (timing_path)
        load_timing(&T, timing_path);
    json_t *P[2] = { 0 };
    for (int s = 0; s < 2 && pred[0]; s++) {
        json_error_t err;
        P[s] = json_load_file(pred[s], 0, &err);
        if (!P[s])
            gmc_die("--predict %s: %s (line %d)", pred[s], err.text, err.line);
        if (strcmp(jstr(P[s], "kind"), "gmbench-predict") || !json_is_array(json_object_get(P[s], "results")))
            gmc_die("--predict %s: not a make predict result (kind is not gmbench-predict)", pred[s]);
    }
    /* routines whose paths differ */
    json_t *paths = json_object();   /* routine -> status */
    size_t npaths = 0, npaths_same = 0;
    if (paths_path) {
        FILE *f = fopen(paths_path, "r");
        if (!f)
            gmc_die("--paths %s: %s", paths_path, strerror(errno));
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            char st[32], ar[32], sym[512];
            if (sscanf(line, "%31s %31s %511s", st, ar, sym) != 3)
                continue;
            if (strcmp(st, "same") && strcmp(st, "changed") && strcmp(st, "only-old") && strcmp(st, "only-new")) {
                fclose(f);
                gmc_die("--paths %s: bad status '%s' (same, changed, only-old, only-new)", paths_path, st);
            }
            npaths++;
            npaths_same += !strcmp(st, "same");
            json_object_set_new(paths, sym, json_string(st));
        }
        fclose(f);
    }

    /* ---- the count rows ---- */
    json_t *rows = json_array();
    json_t *names = json_array();
    size_t i;
    json_t *c;
    for (int s = 0; s < 2; s++)
        json_array_foreach(json_object_get(S[s].run[0], "cases"), i, c) {
            const char *nm = jstr(c, "name");
            add_unique(names, nm);
        }
    size_t nrows = json_array_size(names), nchanged = 0, nnotrep = 0, nnotexact = 0;
    struct gmc_buf ch = { 0 }, notes = { 0 };
    char mshort[96];
    method_short(jstr(S[0].run[0], "method"), mshort, sizeof mshort);
    json_t *timing_only = json_array();
    for (size_t r = 0; r < nrows; r++) {
        const char *nm = json_string_value(json_array_get(names, r));
        struct cval o = side_val(&S[0], nm), n = side_val(&S[1], nm);
        json_t *row = json_pack("{s:s s:s s:s}", "kind", "count", "name", nm, "unit", "instructions/op");
        json_object_set_new(row, "old", jnv(o.v));
        json_object_set_new(row, "new", jnv(n.v));
        if (S[0].n == 2)
            json_object_set_new(row, "old_runs", json_pack("[o o]", jnv(o.v), jnv(o.v2)));
        if (S[1].n == 2)
            json_object_set_new(row, "new_runs", json_pack("[o o]", jnv(n.v), jnv(n.v2)));
        double d = (o.present && n.present) ? n.v - o.v : NAN;
        int exact = o.exact && n.exact && o.repeatable && n.repeatable;
        json_object_set_new(row, "delta", jnv(d));
        json_object_set_new(row, "exact", json_boolean(exact));
        json_object_set_new(row, "repeatable", json_pack("{s:b s:b}", "old", o.repeatable, "new", n.repeatable));
        int changed = !o.present || !n.present ? (o.present != n.present) : (d != 0 || isnan(d));
        if ((o.present && !o.repeatable) || (n.present && !n.repeatable)) {
            nnotrep++;
            changed = 1;
        } else if ((o.present && !o.exact) || (n.present && !n.exact))
            nnotexact++;
        json_object_set_new(row, "changed", json_boolean(changed));
        json_t *sd = sym_delta(o.syms, n.syms);
        json_t *sdo = json_object();
        size_t k;
        json_t *e;
        json_array_foreach(sd, k, e)
            json_object_set(sdo, json_string_value(json_array_get(e, 0)), json_array_get(e, 1));
        json_object_set_new(row, "symbols_delta", sdo);
        char tw[256];
        json_t *tsum = NULL;
        timing_words(&T, nm, d, tw, sizeof tw, &tsum);
        if (tsum)
            json_object_set_new(row, "timing", tsum);
        if (!o.present && o.why)
            json_object_set_new(row, "old_unavailable", json_string(o.why));
        if (!n.present && n.why)
            json_object_set_new(row, "new_unavailable", json_string(n.why));
        if (changed) {
            nchanged++;
            char b1[48], b2[48], b3[48];
            struct gmc_buf where = { 0 };
            json_array_foreach(sd, k, e) {
                if (k == 4) {
                    gmc_bprintf(&where, " ...");
                    break;
                }
                gmc_bprintf(&where, "%s%s %s", k ? ", " : "", json_string_value(json_array_get(e, 0)),
                   fmtd(b3, sizeof b3, json_number_value(json_array_get(e, 1))));
            }
            const char *mark = (o.present && !o.repeatable) || (n.present && !n.repeatable) ? "!" :
                               exact ? "" : "~";
            if (!o.present)
                gmc_bprintf(&ch, "%-36s %8s %8s %7s  %s\n", nm, "-", fmtn(b2, sizeof b2, n.v), "new",
                   o.why ? o.why : "only in NEW");
            else if (!n.present)
                gmc_bprintf(&ch, "%-36s %8s %8s %7s  %s\n", nm, fmtn(b1, sizeof b1, o.v), "-", "gone",
                   n.why ? n.why : "only in OLD");
            else {
                char dd[56];
                snprintf(dd, sizeof dd, "%s%s", mark, fmtd(b3, sizeof b3, d));
                gmc_bprintf(&ch, "%-36s %8s %8s %7s  %s", nm, fmtn(b1, sizeof b1, o.v), fmtn(b2, sizeof b2, n.v), dd,
                   where.s ? where.s : "");
                if (T.root) {
                    char lead[160];
                    snprintf(lead, sizeof lead, "%s instruction%s, ", fmtd(b3, sizeof b3, d),
                             fabs(d) == 1 ? "" : "s");
                    gmc_bprintf(&ch, "\n%-36s   timing: %s%s", "", d != 0 ? lead : "", tw);
                }
                gmc_bprintf(&ch, "\n");
            }
            free(where.s);
            if (o.present && !o.repeatable)
                gmc_bprintf(&notes, "! %s: OLD counted %s in one run and %s in the other: not repeatable, the delta is not "
                           "exact\n", nm, fmtn(b1, sizeof b1, o.v), fmtn(b2, sizeof b2, o.v2));
            if (n.present && !n.repeatable)
                gmc_bprintf(&notes, "! %s: NEW counted %s in one run and %s in the other: not repeatable, the delta is not "
                           "exact\n", nm, fmtn(b1, sizeof b1, n.v), fmtn(b2, sizeof b2, n.v2));
        } else if (tsum && json_is_true(json_object_get(tsum, "significant"))) {
            json_array_append_new(timing_only, json_pack("{s:s s:s}", "name", nm, "words", tw));
        }
        json_decref(sd);
        json_array_append_new(rows, row);
    }

    /* ---- the text ---- */
    struct gmc_buf t = { 0 };
    int runs = S[0].n < S[1].n ? S[0].n : S[1].n;
    gmc_bprintf(&t, "== count: exact instructions per operation (%s, %s port; not timings, not cycles)\n", mshort, port);
    if (runs == 2)
        gmc_bprintf(&t, "counted twice on each side (two processes, each repeating every region %d times): %s\n",
           (int)json_integer_value(json_object_get(S[0].run[0], "reps")),
           nnotrep ? "SOME COUNTS DIFFER (marked !, listed below)" : "every count identical");
    else
        gmc_bprintf(&t, "counted once on each side (the run's own repetitions only)\n");
    if (strcmp(jstr(S[0].run[0], "method"), jstr(S[1].run[0], "method")))
        gmc_bprintf(&t, "WARNING: the two sides were counted by different methods:\n  OLD: %s\n  NEW: %s\n",
           jstr(S[0].run[0], "method"), jstr(S[1].run[0], "method"));
    if (!nchanged) {
        gmc_bprintf(&t, "no counted path changed: %zu rows, the same instructions per operation on both sides\n", nrows);
    } else {
        gmc_bprintf(&t, "%zu of %zu rows changed (%zu unchanged rows not listed); '~' marks a count the runs' repetitions "
               "did not reproduce, '!' one the two runs did not\n\n", nchanged, nrows, nrows - nchanged);
        gmc_bprintf(&t, "%-36s %8s %8s %7s  %s\n", "name", "old", "new", "delta", "where (routines: instructions/op)");
        gmc_bprintf(&t, "%s", ch.s ? ch.s : "");
    }
    if (notes.s)
        gmc_bprintf(&t, "%s", notes.s);
    if (nnotexact)
        gmc_bprintf(&t, "%zu rows were not exactly repeatable within a run (their repetitions differed)\n", nnotexact);
    if (T.root && json_array_size(timing_only)) {
        gmc_bprintf(&t, "\ntiming moved where no instruction count did (layout, machine state, or one of the expected "
               "false positives):\n");
        json_array_foreach(timing_only, i, c)
            gmc_bprintf(&t, "%-36s   0 instructions, timing: %s\n", jstr(c, "name"), jstr(c, "words"));
    }

    /* ---- predictions ---- */
    json_t *prows = json_array();
    json_t *models = json_array();
    if (P[0]) {
        json_t *R[2] = { json_object_get(P[0], "results"), json_object_get(P[1], "results") };
        /* routines: those the paths file calls changed (or, without it, every routine whose
         * prediction or instruction count differs) */
        json_t *routines = json_array();
        for (int s = 0; s < 2; s++)
            json_array_foreach(R[s], i, c) {
                const char *sym = jstr(c, "symbol");
                add_unique(routines, sym);
            }
        const char *ver = jstr(json_object_get(P[0], "meta"), "llvm_mca");
        gmc_bprintf(&t, "\n== prediction: llvm-mca cycles of each changed routine's straight-line path -- STATIC PREDICTION, "
               "NOT A MEASUREMENT\n(%s; entry to the first return or tail jump, forward branches not taken, calls "
               "left out, warm caches, perfect branch prediction)\n", *ver ? ver : "llvm-mca");
        struct gmc_buf pt = { 0 };
        size_t nr_changed = 0;
        json_array_foreach(routines, i, c) {
            const char *sym = json_string_value(c);
            const char *st = json_string_value(json_object_get(paths, sym));
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
                const struct core *co = core_of(cpu);
                json_t *pr = json_pack("{s:s s:s s:s s:s s:s}", "kind", "prediction", "name", sym, "routine", sym,
                                       "arch", o ? jstr(o, "arch") : jstr(n, "arch"), "cpu", cpu);
                json_object_set_new(pr, "core", json_string(co ? co->core : cpu));
                json_object_set_new(pr, "core_class", json_string(co ? co->cls : "?"));
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
                snprintf(thr, sizeof thr, "%.1f -> %.1f (%s)", ot, nt, fmtd(b6, sizeof b6, round((nt - ot) * 10) / 10));
                snprintf(lbl, sizeof lbl, "%s, %s (%s)", co ? co->core : cpu, co ? co->cls : "?", cpu);
                gmc_bprintf(&pt, "%-24s %-54s %9s  %-18s %s\n", first ? sym : "", lbl, ins, one, thr);
                first = 0;
                int ju = json_equal(ou, nu);
                if (!ju || json_array_size(nu)) {
                    struct gmc_buf u = { 0 };
                    size_t z;
                    json_t *v;
                    json_array_foreach(nu, z, v) {
                        /* the instruction, without the model's reason */
                        const char *w = json_string_value(v);
                        const char *cut = strstr(w, " (");
                        gmc_bprintf(&u, "%s[%.*s]", z ? " " : "", (int)(cut ? (size_t)(cut - w) : strlen(w)), w);
                    }
                    gmc_bprintf(&pt, "%-24s   not costed by this model%s: %s\n", "", ju ? " (on both sides)" : " (new side)",
                       u.s ? u.s : "nothing");
                    free(u.s);
                }
            }
            json_decref(cpus);
            nr_changed += any;
        }
        size_t nroutines = json_array_size(routines);
        if (!nr_changed)
            gmc_bprintf(&t, "no predicted path changed: the straight-line paths of all %zu routines of the port's assembly "
                   "are the same instructions on both sides%s\n", paths_path ? npaths : nroutines,
               nchanged ? " (the counted change is in C code, or off those paths)" : "");
        else {
            if (paths_path)
                gmc_bprintf(&t, "%zu of %zu routines' paths changed; the other %zu are identical instruction for instruction "
                       "(a zero predicted delta by construction)\n", nr_changed, npaths, npaths_same);
            gmc_bprintf(&t, "\n%-24s %-54s %9s  %-18s %s\n", "routine", "core (llvm-mca model)", "insns",
               "one pass, cycles", "back to back, cycles/pass");
            gmc_bprintf(&t, "%s", pt.s);
        }
        free(pt.s);
        /* the models: which stands in for which core */
        gmc_bprintf(&t, "\nmodels (which llvm-mca model stands in for which core):\n");
        json_t *seen = json_object();
        json_array_foreach(R[0], i, c) {
            const char *cpu = jstr(c, "cpu");
            if (json_object_get(seen, cpu))
                continue;
            json_object_set_new(seen, cpu, json_true());
            const struct core *co = core_of(cpu);
            gmc_bprintf(&t, "  %-12s %s (%s): %s\n", cpu, co ? co->core : cpu, co ? co->cls : "?",
               co ? co->note : "no description");
            json_array_append_new(models, json_pack("{s:s s:s s:s s:s}", "cpu", cpu, "core", co ? co->core : cpu,
                                                    "class", co ? co->cls : "?", "note", co ? co->note : ""));
        }
        json_decref(seen);
        gmc_bprintf(&t, "not modelled by any: cache and TLB misses, branch mispredictions, the memory system and "
               "barriers' real cost, system-register reads beyond the model's table, the kernel; read the "
               "direction and rough size, never the cycles as a measurement\n");
        json_decref(routines);
    }
    fputs(t.s, stdout);

    /* ---- compare.json: every kind of row in one array ---- */
    if (outdir) {
        json_t *root = T.root ? json_incref(T.root) : json_pack("{s:s}", "tool", "gmcompare");
        json_object_set_new(root, "format_version", json_integer(3));
        json_t *kinds = json_array();
        if (T.root)
            json_array_append_new(kinds, json_string(T.kind));
        json_array_append_new(kinds, json_string("count"));
        if (P[0])
            json_array_append_new(kinds, json_string("prediction"));
        json_object_set_new(root, "kinds", kinds);
        json_t *bs = json_object_get(root, "benchmarks");
        if (!bs) {
            bs = json_array();
            json_object_set_new(root, "benchmarks", bs);
        }
        json_array_extend(bs, rows);
        json_array_extend(bs, prows);
        json_t *cs = json_pack("{s:s s:s s:s s:i s:i s:i s:i s:b}", "arch", arch, "port", port, "method",
                               jstr(S[0].run[0], "method"), "rows", (int)nrows, "changed", (int)nchanged,
                               "runs_per_side", runs, "not_repeatable", (int)nnotrep, "no_counted_path_changed",
                               nchanged == 0);
        json_object_set_new(root, "count", cs);
        if (P[0])
            json_object_set_new(root, "prediction",
                                json_pack("{s:s s:s s:o}", "label", "static prediction, not a measurement",
                                          "llvm_mca", jstr(json_object_get(P[0], "meta"), "llvm_mca"), "models",
                                          json_incref(models)));
        char *js = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        json_decref(root);
        if (!js)
            gmc_die("out of memory");
        struct gmc_buf csv = { 0 };
        gmc_bprintf(&csv, "name,old,new,delta,changed,exact\n");
        json_array_foreach(rows, i, c) {
            char b1[48], b2[48], b3[48];
            gmc_bprintf(&csv, "%s,%s,%s,%s,%d,%d\n", jstr(c, "name"), fmtn(b1, sizeof b1, num_or_nan(json_object_get(c, "old"))),
               fmtn(b2, sizeof b2, num_or_nan(json_object_get(c, "new"))),
               fmtn(b3, sizeof b3, num_or_nan(json_object_get(c, "delta"))),
               json_is_true(json_object_get(c, "changed")), json_is_true(json_object_get(c, "exact")));
        }
        if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
            gmc_die("cannot create %s: %s", outdir, strerror(errno));
        write_file(outdir, "count.csv", csv.s);
        write_file(outdir, "compare.json", js);
        free(csv.s);
        free(js);
    }
    free(t.s);
    free(ch.s);
    free(notes.s);
    json_decref(rows);
    json_decref(prows);
    json_decref(models);
    json_decref(names);
    json_decref(paths);
    json_decref(timing_only);
    for (int s = 0; s < 2; s++) {
        for (int r = 0; r < S[s].n; r++)
            json_decref(S[s].run[r]);
        if (P[s])
            json_decref(P[s]);
    }
    if (T.root)
        json_decref(T.root);
    return 0;
}
