/*
 * cmds.h — the commands gm.c dispatches to.  Each gets argv from its own name on
 * (argv[0] is "report", "compare", ...), the way perf hands argv to a builtin.
 */
#ifndef GM_CMDS_H
#define GM_CMDS_H

int cmd_report(int argc, char **argv);
int cmd_xreport(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_pathlen(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_peers(int argc, char **argv);
int cmd_icount(int argc, char **argv);
int cmd_kind(int argc, char **argv);

#endif
