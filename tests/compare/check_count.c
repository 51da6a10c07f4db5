/*
 * check_count.c - the behaviour test of a count comparison (tests/compare/run-count-e2e.sh).
 *
 * usage: check_count CMPDIR SYMBOL L [PREDICT]
 *
 * CMPDIR is a make compare folder of BASE vs a fixture that adds exactly one instruction
 * to the straight-line, branch-free routine SYMBOL, whose BASE body is L instructions.
 * The expectation is derived from BASE's own count (CMPDIR/count/a1.json), not written
 * down: every case whose BASE breakdown runs SYMBOL s instructions per operation calls it
 * s/L times per operation, so its delta must be exactly s/L, all of it in SYMBOL; every
 * other case must not change at all.  With PREDICT=1 the prediction rows must be those of
 * SYMBOL only, one per core, L -> L+1 instructions, labelled as predictions.
 * Prints "ok - ..." / "not ok - ..." lines; exit 1 when one failed.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nfail;

static void check(int cond, const char *fmt, ...)
{
    va_list ap;
    printf(cond ? "ok - " : "not ok - ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    nfail += !cond;
}

static json_t *load(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) {
        printf("not ok - %s: %s\n", path, e.text);
        exit(1);
    }
    return j;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: check_count CMPDIR SYMBOL L [PREDICT]\n");
        return 2;
    }
    const char *dir = argv[1], *sym = argv[2];
    double L = atof(argv[3]);
    int predict = argc > 4 && !strcmp(argv[4], "1");
    char p[4096];
    snprintf(p, sizeof p, "%s/compare.json", dir);
    json_t *cmp = load(p);
    snprintf(p, sizeof p, "%s/count/a1.json", dir);
    json_t *base = load(p);
    const char *arch = json_string_value(json_object_get(base, "arch"));
    if (!arch)
        arch = "?";
    check(L >= 1, "%s: %s has a body of %g instructions in BASE", arch, sym, L);

    json_t *rows = json_object_get(cmp, "benchmarks");
    size_t i, ncount = 0, nexpect = 0, nright = 0, nquiet = 0, nother = 0, nexact = 0;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const char *kind = json_string_value(json_object_get(r, "kind"));
        if (!kind || strcmp(kind, "count"))
            continue;
        ncount++;
        const char *name = json_string_value(json_object_get(r, "name"));
        /* the BASE breakdown of this case */
        double s = 0;
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(base, "cases"), k, c)
            if (!strcmp(json_string_value(json_object_get(c, "name")), name)) {
                json_t *v = json_object_get(json_object_get(c, "symbols"), sym);
                s = json_is_number(v) ? json_number_value(v) : 0;
            }
        double want = s / L, d = json_number_value(json_object_get(r, "delta"));
        json_t *sd = json_object_get(r, "symbols_delta");
        nexact += json_is_true(json_object_get(r, "exact"));
        if (s > 0) {
            nexpect++;
            json_t *only = json_object_get(sd, sym);
            int right = fabs(d - want) < 1e-9 && json_is_true(json_object_get(r, "changed")) &&
                        json_object_size(sd) == 1 && json_is_number(only) &&
                        fabs(json_number_value(only) - want) < 1e-9;
            nright += right;
            check(right, "%s: %s calls %s %g times per op: delta %+g instructions, all in %s (got %+g, %zu routines)",
                  arch, name, sym, want, want, sym, d, json_object_size(sd));
        } else {
            int quiet = d == 0 && json_is_false(json_object_get(r, "changed")) && json_object_size(sd) == 0;
            nquiet += quiet;
            if (!quiet) {
                nother++;
                check(0, "%s: %s does not run %s, yet changed by %+g", arch, name, sym, d);
            }
        }
    }
    check(ncount > 0 && nexpect > 0, "%s: %zu count rows, %zu of them run %s in BASE", arch, ncount, nexpect, sym);
    check(nother == 0, "%s: the %zu rows that do not run %s are unchanged, to the instruction", arch, nquiet, sym);
    check(nexact == ncount, "%s: every count exact and repeated in both runs of each side (%zu of %zu)", arch,
          nexact, ncount);
    json_t *cs = json_object_get(cmp, "count");
    check(json_integer_value(json_object_get(cs, "runs_per_side")) == 2 &&
              json_integer_value(json_object_get(cs, "not_repeatable")) == 0 &&
              (size_t)json_integer_value(json_object_get(cs, "changed")) == nexpect,
          "%s: counted twice per side, nothing unrepeatable, %zu rows changed in the summary", arch, nexpect);

    if (predict) {
        size_t npred = 0, nok = 0, nelse = 0;
        json_array_foreach(rows, i, r) {
            const char *kind = json_string_value(json_object_get(r, "kind"));
            if (!kind || strcmp(kind, "prediction"))
                continue;
            npred++;
            const char *rt = json_string_value(json_object_get(r, "routine"));
            if (!rt || strcmp(rt, sym)) {
                nelse++;
                continue;
            }
            const char *lbl = json_string_value(json_object_get(r, "label"));
            nok += json_number_value(json_object_get(r, "old_instructions")) == L &&
                   json_number_value(json_object_get(r, "new_instructions")) == L + 1 &&
                   json_is_number(json_object_get(r, "old_cycles_one_pass")) &&
                   json_is_number(json_object_get(r, "new_cycles_one_pass")) && lbl &&
                   strstr(lbl, "not a measurement");
        }
        /* one prediction per model that ran: cores that share a stand-in (-mcpu) share it */
        json_t *models = json_object_get(json_object_get(cmp, "prediction"), "models"), *m;
        size_t nmodels = 0, k2;
        json_array_foreach(models, i, m) {
            const char *cpu = json_string_value(json_object_get(m, "mcpu"));
            int seen = 0;
            for (k2 = 0; k2 < i && cpu; k2++) {
                const char *c2 = json_string_value(json_object_get(json_array_get(models, k2), "mcpu"));
                seen |= c2 && !strcmp(c2, cpu);
            }
            nmodels += !seen;
        }
        check(npred > 0 && nok == npred - nelse && npred - nelse == nmodels,
              "%s: predictions of %s for each of the %zu models the cores run: %g -> %g instructions, cycles on "
              "both sides, labelled as predictions (%zu of %zu)", arch, sym, nmodels, L, L + 1, nok, npred);
        check(nelse == 0, "%s: no other routine's prediction (its path did not change)", arch);
    }
    json_decref(cmp);
    json_decref(base);
    return nfail != 0;
}
