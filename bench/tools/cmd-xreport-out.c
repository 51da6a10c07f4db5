/*
 * cmd-xreport-out.c — gm xreport's outputs (docs/tools/xreport.md): merged.csv,
 * series.csv, report.txt, ratio.csv and the gnuplot inputs under plots/, written from
 * the merged series into the run folder gm_dir_begin() opened, which appears whole or
 * not at all.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-xreport.h"

char **trans;
size_t ntrans, captrans;

#define open_out gm_dir_open
#define close_out gm_dir_close


static void csvs(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

static void num(FILE *f, double v)
{
	if (isnan(v))
		fputs("", f);
	else
		fprintf(f, "%.6g", v);
}

static const char *suffix_of(const char *bench, int parts)    /* parts: 2 = "suite/transition" */
{
	const char *p = bench;
	for (int i = 0; i < parts; i++) {
		p = strchr(p, '/');
		if (!p)
			return "";
		p++;
	}
	return p;
}

static int same_trans(const char *bench, const char *t)
{
	size_t n = strlen(t);
	return !strncmp(bench, t, n) && bench[n] == '/';
}

static const char *yesno_emu(const struct board *b) { return b->emu_why ? "yes" : "no"; }

void write_merged(void)
{
	FILE *f = open_out("merged.csv");
	fprintf(f, "board,core,counter,unit,benchmark,suite,transition,variant,run,repetition,value,value_ns,"
		   "canary_add,canary_call,canary_ssb,cycles_per_tick,ticks_per_ns,emulated,flags\n");
	for (size_t s = 0; s < nser; s++) {
		struct series *x = &ser[s];
		struct board *b = &boards[x->board];
		char suite[256], trans[256];
		snprintf(suite, sizeof suite, "%s", x->bench);
		char *p = strchr(suite, '/');
		if (p)
			*p = 0;
		snprintf(trans, sizeof trans, "%s", suffix_of(x->bench, 1));
		p = strchr(trans, '/');
		if (p)
			*p = 0;
		for (size_t i = 0; i < x->n; i++) {
			struct rep *r = &x->r[i];
			csvs(f, b->label); fputc(',', f);
			csvs(f, x->core); fputc(',', f);
			csvs(f, x->counter); fputc(',', f);
			fprintf(f, "%s,", x->unit);
			csvs(f, x->bench); fputc(',', f);
			csvs(f, suite); fputc(',', f);
			csvs(f, trans); fputc(',', f);
			csvs(f, suffix_of(x->bench, 2)); fputc(',', f);
			csvs(f, runs[r->run].dir); fputc(',', f);
			fprintf(f, "%d,", r->idx);
			num(f, r->v); fputc(',', f);
			num(f, r->ns); fputc(',', f);
			num(f, r->cadd); fputc(',', f);
			num(f, r->ccall); fputc(',', f);
			num(f, r->cssb); fputc(',', f);
			num(f, r->cpt); fputc(',', f);
			num(f, r->tpn); fputc(',', f);
			fprintf(f, "%s,%s\n", yesno_emu(b), b->flags);
		}
	}
	close_out(f, "merged.csv");

	f = open_out("series.csv");
	fprintf(f, "board,core,counter,unit,benchmark,n,median,ci_lo,ci_hi,ci_exact,cv_pct,median_ns,ci_lo_ns,ci_hi_ns,emulated,flags\n");
	for (size_t s = 0; s < nser; s++) {
		struct series *x = &ser[s];
		struct board *b = &boards[x->board];
		csvs(f, b->label); fputc(',', f);
		csvs(f, x->core); fputc(',', f);
		csvs(f, x->counter); fputc(',', f);
		fprintf(f, "%s,", x->unit);
		csvs(f, x->bench);
		fprintf(f, ",%zu,", x->n);
		num(f, x->s.median); fputc(',', f);
		num(f, x->s.lo); fputc(',', f);
		num(f, x->s.hi);
		fprintf(f, ",%d,", x->s.ci_exact);
		num(f, x->cv); fputc(',', f);
		num(f, x->sns.median); fputc(',', f);
		num(f, x->sns.lo); fputc(',', f);
		num(f, x->sns.hi);
		fprintf(f, ",%s,%s\n", yesno_emu(b), b->flags);
	}
	close_out(f, "series.csv");
}

void list_trans(void)
{
	for (size_t s = 0; s < nser; s++) {
		char t[512];
		trans_of(ser[s].bench, t, sizeof t);
		add_unique(&trans, &ntrans, &captrans, t);
	}
}

static const char *label_flags(const struct board *b, char *buf, size_t n)
{
	if (b->flags[0])
		snprintf(buf, n, "%s [%s]", b->label, b->flags);
	else
		snprintf(buf, n, "%s", b->label);
	return buf;
}

static struct series *find_series(int board, const char *bench, const char *core)
{
	for (size_t s = 0; s < nser; s++)
		if (ser[s].board == board && !strcmp(ser[s].bench, bench) && (!core || !strcmp(ser[s].core, core)))
			return &ser[s];
	return NULL;
}

void write_report(int base)
{
	FILE *f = open_out("report.txt");
	fprintf(f, "gmbench cross-board report: %zu board(s), %zu run(s), %zu series (board, core, counter, benchmark)\n\n",
		nboards, nruns, nser);
	fprintf(f, "boards:\n");
	for (size_t b = 0; b < nboards; b++) {
		struct board *x = &boards[b];
		fprintf(f, "  %s%s  port %s, revision %s, flags %s\n", x->label, (int)b == base ? " (baseline)" : "",
			x->port, x->rev, x->flags[0] ? x->flags : "none");
		if (x->emu_why)
			fprintf(f, "    E emulated: %s -- not hardware timings\n", x->emu_why);
		if (x->gov)
			fprintf(f, "    G governor: %s (not 'performance')\n", x->gov);
		if (x->throttle)
			fprintf(f, "    T throttled: %s\n", x->throttle);
		for (size_t w = 0; w < x->nwarn; w++)
			fprintf(f, "    W %s\n", x->warn[w]);
		for (size_t r = 0; r < nruns; r++)
			if (runs[r].board == (int)b)
				fprintf(f, "    run %s: core %s, counter %s (%s)\n", runs[r].dir, runs[r].core, runs[r].counter, runs[r].unit);
	}
	fprintf(f, "\nflags: E emulated (not hardware timings), G not on the performance governor, T throttled, "
		   "W other warnings of the run (listed above)\n"
		   "median: over the repetitions, in the board's own counter unit, with its distribution-free 95%% CI "
		   "(the full range when n < 6); ns/op: the same repetitions timed by the run's clock "
		   "(CLOCK_MONOTONIC_RAW over the same batches), so ns columns compare across boards and units do not\n");
	/* the core column as wide as its longest entry: the core's identity is what tells two
	   machines with one model name apart, so it is never cut */
	int cw = 16;
	for (size_t s = 0; s < nser; s++)
		if ((int)strlen(ser[s].core) > cw)
			cw = (int)strlen(ser[s].core);
	for (size_t t = 0; t < ntrans; t++) {
		fprintf(f, "\n== %s\n", trans[t]);
		fprintf(f, "%-34s %-*s %-9s %-14s %4s %12s %-23s %7s %11s %-21s %-8s %s\n", "board", cw, "core", "counter",
			"variant", "n", "median", "95% CI", "CV %", "ns/op", "ns 95% CI", "emulated", "flags");
		for (size_t b = 0; b < nboards; b++)
			for (size_t s = 0; s < nser; s++) {
				struct series *x = &ser[s];
				if (x->board != (int)b || !same_trans(x->bench, trans[t]))
					continue;
				char med[64], ci[64], cv[32], ns[32], nsci[64];
				snprintf(med, sizeof med, "%.4g %s", x->s.median, x->unit);
				snprintf(ci, sizeof ci, "[%.4g, %.4g]%s", x->s.lo, x->s.hi, x->s.ci_exact ? "" : " range");
				if (isnan(x->cv))
					snprintf(cv, sizeof cv, "-");
				else
					snprintf(cv, sizeof cv, "%.1f", x->cv);
				snprintf(ns, sizeof ns, "%.4g", x->sns.median);
				snprintf(nsci, sizeof nsci, "[%.4g, %.4g]", x->sns.lo, x->sns.hi);
				fprintf(f, "%-34s %-*s %-9s %-14s %4zu %12s %-23s %7s %11s %-21s %-8s %s\n", boards[b].label,
					cw, x->core, x->counter, suffix_of(x->bench, 2), x->n, med, ci, cv, ns, nsci, yesno_emu(&boards[b]),
					boards[b].flags[0] ? boards[b].flags : "-");
			}
	}

	/* ratios against the baseline: ns/ns always; the boards' own unit only when equal */
	FILE *c = open_out("ratio.csv");
	fprintf(c, "benchmark,board,core,baseline,baseline_core,ratio_ns,ratio_native,native_unit,board_flags,baseline_flags\n");
	char bl[600];
	fprintf(f, "\n== ratio against the baseline %s\n", label_flags(&boards[base], bl, sizeof bl));
	fprintf(f, "ratio = board / baseline of the medians.  'ns' divides ns by ns (each board's own clock); the "
		   "boards' own unit is divided only where both count the same unit (cycles by cycles); "
		   "ticks of different timers and cycles vs ticks are never divided.\n");
	if (nboards == 1)
		fprintf(f, "(one board: nothing to divide)\n");
	fprintf(f, "%-40s", "benchmark");
	for (size_t b = 0; b < nboards; b++)
		if ((int)b != base)
			fprintf(f, " %-30.30s", label_flags(&boards[b], bl, sizeof bl));
	fprintf(f, "\n");
	struct board *B = &boards[base];
	for (size_t s = 0; s < nser; s++) {
		struct series *x0 = &ser[s];
		if (x0->board != base)
			continue;
		fprintf(f, "%-40s", x0->bench);
		for (size_t b = 0; b < nboards; b++) {
			if ((int)b == base)
				continue;
			struct series *x = find_series((int)b, x0->bench, NULL);
			char cell[128];
			if (!x) {
				snprintf(cell, sizeof cell, "- (not measured)");
			} else if (is_floor(x0) || x0->sns.median <= 0) {
				snprintf(cell, sizeof cell, "- (baseline ~0: a floor)");
			} else {
				double rn = x->sns.median / x0->sns.median;
				int same = !strcmp(x->unit, x0->unit) && strcmp(x->unit, "ticks");
				double rv = same ? x->s.median / x0->s.median : NAN;
				if (same)
					snprintf(cell, sizeof cell, "%.3g ns, %.3g %s", rn, rv, x->unit);
				else
					snprintf(cell, sizeof cell, "%.3g ns", rn);
				csvs(c, x0->bench); fputc(',', c);
				csvs(c, boards[b].label); fputc(',', c);
				csvs(c, x->core); fputc(',', c);
				csvs(c, B->label); fputc(',', c);
				csvs(c, x0->core); fputc(',', c);
				num(c, rn); fputc(',', c);
				num(c, rv);
				fprintf(c, ",%s,%s,%s\n", same ? x->unit : "", boards[b].flags, B->flags);
			}
			fprintf(f, " %-30s", cell);
		}
		fprintf(f, "\n");
	}
	close_out(c, "ratio.csv");
	close_out(f, "report.txt");
}

/* ------------------------------------------------------------------ plots */
static void gp_head(FILE *g, const char *png, const char *title)
{
	fprintf(g, "set terminal pngcairo size 1200,650 noenhanced font ',10'\n"
		   "set output '%s'\n"
		   "set title \"%s\" noenhanced\n"
		   "set style data histogram\n"
		   "set style histogram errorbars gap 2 lw 1\n"
		   "set style fill solid 0.6 border -1\n"
		   "set key outside right top noenhanced\n"
		   "set xtics rotate by -30 noenhanced\n"
		   "set grid ytics\n"
		   "set xzeroaxis\n"
		   "set bmargin 7\n"
		   "set label 1 'E emulated (hatched: not hardware timings), G not on the performance governor, T throttled, W other warnings' at screen 0.01,0.02 font ',8'\n",
		png, title);
}

/* bars start at 0 unless a value is negative (an emulated or noisy floor can be) */
static void gp_yrange(FILE *g, double lo)
{
	fprintf(g, lo < 0 ? "set yrange [*:*]\n" : "set yrange [0:*]\n");
}

void write_plots(void)
{
	char bl[600];
	gm_dir_mkdir("plots");
	FILE *all = open_out("plots/all.gp");
	int anyemu = 0;
	for (size_t b = 0; b < nboards; b++)
		anyemu |= boards[b].emu_why != NULL;
	/* 1. per transition: grouped bars across boards, ns/op (the common unit), CI whiskers */
	for (size_t t = 0; t < ntrans; t++) {
		char *ct = clean(trans[t]);
		char dat[1024], gpn[1024];
		snprintf(dat, sizeof dat, "plots/transition-%s.dat", ct);
		snprintf(gpn, sizeof gpn, "plots/transition-%s.gp", ct);
		FILE *d = open_out(dat);
		/* rows: variants (union over boards); per board: median lo hi (ns), '-' when absent */
		char **vars = NULL;
		size_t nv = 0, cv = 0;
		for (size_t s = 0; s < nser; s++) {
			if (!same_trans(ser[s].bench, trans[t]))
				continue;
			add_unique(&vars, &nv, &cv, suffix_of(ser[s].bench, 2));
		}
		double ymin = 0;
		fprintf(d, "# variant, then per board: median_ns ci_lo_ns ci_hi_ns ('-': not measured)\n");
		for (size_t i = 0; i < nv; i++) {
			fprintf(d, "\"%s\"", vars[i]);
			char bench[600];
			snprintf(bench, sizeof bench, "%s/%s", trans[t], vars[i]);
			for (size_t b = 0; b < nboards; b++) {
				struct series *x = find_series((int)b, bench, NULL);
				if (x) {
					fprintf(d, " %.6g %.6g %.6g", x->sns.median, x->sns.lo, x->sns.hi);
					if (x->sns.lo < ymin)
						ymin = x->sns.lo;
				}
				else
					fprintf(d, " - - -");
			}
			fprintf(d, "\n");
		}
		close_out(d, dat);
		FILE *g = open_out(gpn);
		char title[1024], png[1024];
		snprintf(title, sizeof title, "%s across boards: median ns/op, 95%% CI whiskers%s", trans[t],
			 anyemu ? " (E = emulated: not hardware timings)" : "");
		snprintf(png, sizeof png, "transition-%s.png", ct);
		gp_head(g, png, title);
		gp_yrange(g, ymin);
		fprintf(g, "set ylabel \"ns/op (each board's own clock)\"\nset datafile missing '-'\nplot ");
		for (size_t b = 0; b < nboards; b++)
			fprintf(g, "%s'transition-%s.dat' using %zu:%zu:%zu:xtic(1) title \"%s\"%s", b ? ", \\\n     " : "", ct,
				2 + 3 * b, 3 + 3 * b, 4 + 3 * b, label_flags(&boards[b], bl, sizeof bl),
				boards[b].emu_why ? " fs pattern 4 border -1" : "");
		fprintf(g, "\n");
		close_out(g, gpn);
		fprintf(all, "load 'transition-%s.gp'\n", ct);
		free(ct);
	}
	/* 2. per board and suite: its variants side by side in the board's own unit */
	for (size_t b = 0; b < nboards; b++) {
		char *cb = clean(boards[b].label);
		char **suites = NULL;
		size_t ns = 0, cs = 0;
		for (size_t s = 0; s < nser; s++) {
			if (ser[s].board != (int)b)
				continue;
			char su[256];
			snprintf(su, sizeof su, "%s", ser[s].bench);
			char *q = strchr(su, '/');
			if (q)
				*q = 0;
			add_unique(&suites, &ns, &cs, su);
		}
		for (size_t i = 0; i < ns; i++) {
			char dat[1024], gpn[1024], png[1024], title[1024];
			snprintf(dat, sizeof dat, "plots/board-%s-%s.dat", cb, suites[i]);
			snprintf(gpn, sizeof gpn, "plots/board-%s-%s.gp", cb, suites[i]);
			FILE *d = open_out(dat);
			const char *unit = NULL, *counter = NULL, *core = NULL;
			int mixed = 0;
			double ymin = 0;
			fprintf(d, "# benchmark median ci_lo ci_hi (the board's own unit)\n");
			for (size_t s = 0; s < nser; s++) {
				struct series *x = &ser[s];
				size_t l = strlen(suites[i]);
				if (x->board != (int)b || strncmp(x->bench, suites[i], l) || x->bench[l] != '/')
					continue;
				if (unit && (strcmp(unit, x->unit) || strcmp(core, x->core)))
					mixed = 1;    /* several cores or counters: one plot per the first; the rest in the table */
				if (!unit) {
					unit = x->unit;
					counter = x->counter;
					core = x->core;
				}
				if (strcmp(unit, x->unit) || strcmp(core, x->core))
					continue;
				fprintf(d, "\"%s\" %.6g %.6g %.6g\n", suffix_of(x->bench, 1), x->s.median, x->s.lo, x->s.hi);
				if (x->s.lo < ymin)
					ymin = x->s.lo;
			}
			close_out(d, dat);
			FILE *g = open_out(gpn);
			snprintf(title, sizeof title, "%s: %s variants, median %s/op (%s on %s), 95%% CI whiskers%s%s",
				 label_flags(&boards[b], bl, sizeof bl), suites[i], unit, counter, core,
				 boards[b].emu_why ? " -- EMULATED, not hardware timings" : "",
				 mixed ? " (other cores/counters: see report.txt)" : "");
			snprintf(png, sizeof png, "board-%s-%s.png", cb, suites[i]);
			gp_head(g, png, title);
			gp_yrange(g, ymin);
			fprintf(g, "set ylabel '%s/op (%s)'\nplot 'board-%s-%s.dat' using 2:3:4:xtic(1) title '%s' lc rgb '#4070a0'%s\n",
				unit, counter, cb, suites[i], unit, boards[b].emu_why ? " fs pattern 4 border -1" : "");
			close_out(g, gpn);
			fprintf(all, "load 'board-%s-%s.gp'\n", cb, suites[i]);
		}
		free(cb);
	}
	close_out(all, "plots/all.gp");
}

