/*
 * cmd-report.h — the parts of gm report (docs/tools/report.md): the run mode
 * (cmd-report.c) and the modes for plots (cmd-report-csv.c).
 */
#ifndef GM_CMD_REPORT_H
#define GM_CMD_REPORT_H

double report_to_ns(double v, const char *unit);	/* dies on an unknown unit */
int report_samples(int argc, char **argv);
int report_paired_samples(int argc, char **argv);
int report_compare_csv(int argc, char **argv);
int report_context_line(int argc, char **argv);

#endif
