/*
 * cmd-compare-states.h — machine states named across runs (cmd-compare-states.c).
 */
#ifndef GM_CMD_COMPARE_STATES_H
#define GM_CMD_COMPARE_STATES_H

#include <stddef.h>

#define GM_CANARY_N 3	/* add, call, ssb */

struct gm_state_names {
	char (*label)[16];                  /* per process: "S1", ...; "?" without a canary */
	double (*center)[GM_CANARY_N];      /* per process: its state's canary (the first member's) */
	size_t *seen;                       /* per process: runs and compares on this host that saw its state */
	size_t total;                       /* the sum of seen over the record's states */
	int recorded;                       /* a record was given (else the labels are this compare's) */
	char warning[4400];                 /* the record was rebuilt, and why; or "" */
};

/* Label np processes by their canary vectors; with a record path, read it (missing: start
 * it; empty or corrupt: set aside and start again, with a warning) and write it back with
 * this run or compare counted once per state it saw. */
void gm_states_assign(const char *record, const char *run_id, const double (*canary)[GM_CANARY_N], size_t np,
		      struct gm_state_names *out);
void gm_states_free(struct gm_state_names *s);

/* "S2 (ssb 1.11, add 39.3, call 19.6 ticks/op; seen in 9 of 20 runs and compares on this
 * host)" for process p (the "seen" part only with a record): the one wording of a state */
void gm_state_desc(char *out, size_t n, const struct gm_state_names *s, size_t p, const char *unit);

#endif
