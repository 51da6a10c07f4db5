/*
 * cside.h — the benchmarks' C side (bench/cside.c), compiled normally.
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
#endif
