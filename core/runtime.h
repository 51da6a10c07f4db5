/*
 * runtime.h — internal declarations shared by the core C files (Go side).
 */
#ifndef GM_RUNTIME_H
#define GM_RUNTIME_H

#include "goside.h"

/* Print "gmbench: fatal: ..." on stderr and exit(2).  Async-signal tolerant. */
void gm_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

struct gm_m *gm_allocm(void);
void gm_minit(struct gm_m *m);        /* on the m's own thread: sigaltstack, TLS variants */
void gm_munit(struct gm_m *m);
void gm_signal_minit(struct gm_m *m); /* sigaltstack on gsignal's stack */
void gm_signal_munit(struct gm_m *m);

/* Set g0->sched from a gosave'd buffer and bias its sp (see port.h GM_G0_SP_BIAS). */
void gm_set_g0_sched(struct gm_g *g0, const struct gm_gobuf *buf);
/* The scheduler's half of gosched, run on g0 by mcall(fn) (core/proc.c). */
void gm_gosched_m(struct gm_g *gp);

/* Called from assembly on impossible paths. */
void gm_badmcall(void) __attribute__((noreturn));
void gm_badmcall2(void) __attribute__((noreturn));
void gm_badcgocallback_nog(void) __attribute__((noreturn));
void gm_badcgocallback_notg0(struct gm_g *gp) __attribute__((noreturn));
void gm_badcgocallback_nocurg(void) __attribute__((noreturn));
/* core/cgocall.c: one more m holds a cpu in the 2012 scheduler word */
void gm_sched_addm(void);
/* core/extram.c: the extra-m list exists (gm_runtime_init) */
void gm_extram_init(void);
struct gm_g *gm_malg(void);           /* a goroutine with a guarded stack (core/proc.c) */
uintptr_t gm_newgoid(void);
void gm_tls_thread_drop(void);        /* core/tls.c: this thread has no g any more */
/* core/signal.c: an extra m's signal stack; enter installs it unless the C thread has
 * one of its own (then gsignal uses that one, as Go does), leave undoes enter. */
void gm_signal_extra_alloc(struct gm_m *mp);
void gm_signal_extra_enter(struct gm_m *mp);
void gm_signal_extra_leave(struct gm_m *mp);
void gm_goexit1(void) __attribute__((noreturn));
void gm_goexit(void);  /* switch.S */

#endif
