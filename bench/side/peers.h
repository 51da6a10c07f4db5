/*
 * peers.h — the C-side peers of gmbench's transitions (bench/side/gcc_peers.c and
 * bench/side/gcc_fcontext.cc, compiled normally, as any C library is).
 *
 * Every run function has the shape int fn(void *req) with req a struct cpeer_req, so
 * the Go side (bench/side/suite_peer.c) calls it with one gm_cgocall per batch: the loop
 * runs on the thread's own (g0) stack as real C code does, and the one cgocall per
 * batch cancels out in gmbench's N vs 2N differencing.
 *
 * A switch peer ping-pongs between the caller's context and a second context on its
 * own mmap'd stack (with a guard page).  One operation is one switch: a run of n does
 * n/2 round trips; each side counts its resumptions (main_count, co_count), so the
 * tests can prove that the switches really happen.
 */
#ifndef GM_CPEERS_H
#define GM_CPEERS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpeer_switch {
	const char *name;              /* "setjmp", "swapcontext", "boost-fcontext" */
	void *impl;                    /* the implementation's contexts */
	void *stack;                   /* the second context's stack (guard page below) */
	size_t stack_size;
	volatile unsigned long main_count;   /* times the caller's side was resumed */
	volatile unsigned long co_count;     /* times the second context was resumed */
	void *volatile co_frame;       /* a frame address of the second context (tests) */
};

struct cpeer_req {
	struct cpeer_switch *sw;       /* switch peers only */
	long n;                        /* operations (switches, calls, loads) */
};

/* Create a switch peer; returns NULL with the reason in why where it cannot run. */
struct cpeer_switch *cpeer_setjmp_new(char *why, size_t whylen);
struct cpeer_switch *cpeer_swapcontext_new(char *why, size_t whylen);
struct cpeer_switch *cpeer_fcontext_new(char *why, size_t whylen);   /* gcc_fcontext.cc */

int cpeer_setjmp_run(void *req);        /* _setjmp/_longjmp switches */
int cpeer_swapcontext_run(void *req);   /* glibc swapcontext switches */
int cpeer_fcontext_run(void *req);      /* Boost.Context jump_fcontext switches */
const char *cpeer_fcontext_version(void);  /* "Boost.Context 1_74 jump_fcontext" */

/* The floors. */
int cpeer_plain_indirect_run(void *req);   /* n indirect calls of an empty function */
int cpeer_plain_load_run(void *req);       /* n loads of one word (L1 hit) */
/* What cpeer_plain_indirect_run calls: an empty function (the tests swap in a counter). */
extern int (*volatile cpeer_indirect_target)(void *);
int cpeer_empty(void *arg);

/* Shared by the implementations: a stack with a PROT_NONE guard page below it. */
void *cpeer_stack_alloc(size_t size, char *why, size_t whylen);
void cpeer_stack_free(void *stack, size_t size);

#ifdef __cplusplus
}
#endif
#endif
