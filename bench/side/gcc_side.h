/*
 * gcc_side.h — the benchmarks' C side (bench/side/gcc_side.c), compiled normally.
 */
#ifndef GM_CSIDE_H
#define GM_CSIDE_H

int cside_empty(void *arg);
struct cside_cb { void (*xc2)(void (*)(void *), void *); void (*fn)(void *); void *arg; long n; };
int cside_callback_loop(void *req);   /* n calls of xc2(fn, arg) */
int cside_callback_once(void *req);   /* one call of xc2(fn, arg) */
/* the floor of signal delivery: a plain C handler, installed like gm_sigtramp */
void cside_bare_handler(int sig, void *info, void *uctx);
extern volatile long cside_bare_count;
/* A plain pthread that stamps the counter at its first instruction (thread-start floor). */
struct cside_stamp { unsigned long long (*read)(void); volatile unsigned long long t1; volatile int done; };
void *cside_thread_stamp(void *arg);
/* A plain pthread (not an m) making n crosscall2 callbacks per request, timed there with
 * read (a counter every thread reads alike): callback/foreign/needm. */
struct cside_foreign {
	void (*xc2)(void (*)(void *), void *);
	void (*fn)(void *);
	void *arg;
	unsigned long long (*read)(void);
	/* the thread and its request, private to gcc_side.c */
	void *priv;
};
int cside_foreign_run(struct cside_foreign *f, long n, unsigned long long *ticks); /* 0 or an errno */
#endif
