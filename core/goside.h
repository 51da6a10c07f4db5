/*
 * goside.h — for "Go side" translation units only (built with the port's g/m registers
 * reserved; the Makefile adds -DGM_GOSIDE and the -ffixed flags).
 *
 * The transitions follow Go's ABI, not C's: apart from g (and m on arm32), sp and the
 * frame pointer, every register dies across them.  The wrappers below say so to the
 * compiler with clobber lists (port.h), so the compiler saves what it needs around
 * the call — exactly the work Go's compiler does at a call site.
 */
#ifndef GM_GOSIDE_H
#define GM_GOSIDE_H

#ifndef GM_GOSIDE
#error "goside.h is for Go-side translation units (build with -DGM_GOSIDE and the port's -ffixed flags)"
#endif

#include "gm.h"
#include "port.h"

#define getg() GM_GETG()
#define getm() GM_GETM()

/* switch.S */
#define gm_gosave(buf)          ((uintptr_t)GM_GOCALL3("gm_gosave", (buf), 0, 0))
#define gm_gogo(buf, ret)       ((void)GM_GOCALL3("gm_gogo", (buf), (ret), 0))
#define gm_gogo_savegm(buf, ret) ((void)GM_GOCALL3("gm_gogo_savegm", (buf), (ret), 0))
#define gm_gogocall(buf, fn)    ((void)GM_GOCALL3("gm_gogocall", (buf), (fn), 0))
#define gm_mcall(fn)            ((void)GM_GOCALL3("gm_mcall", (fn), 0, 0))
/* cgo.S: Go -> C.  fn is a C-ABI function int fn(void *). */
#define gm_asmcgocall(fn, arg)  ((int)GM_GOCALL3("gm_asmcgocall", (fn), (arg), 0))
/* Any transition by pointer (variants): asmcgocall variants, gogo variants... */
#define gm_gocallp(fnp, a0, a1, a2) GM_GOCALLP3((fnp), (a0), (a1), (a2))

/* Declarations so that the variant table and tests can take their addresses.
 * Never call these directly from C: use the wrappers above. */
void gm_gosave_sym(void) __asm__("gm_gosave");
void gm_gogo_sym(void) __asm__("gm_gogo");
void gm_gogo_savegm_sym(void) __asm__("gm_gogo_savegm");
void gm_gogocall_sym(void) __asm__("gm_gogocall");
void gm_mcall_sym(void) __asm__("gm_mcall");

/* The gogo variant the scheduler resumes goroutines with (gm_gogo_savegm by default). */
extern void *gm_sched_gogo;

/* The scheduler: */
void gm_schedule(void) __attribute__((noreturn));

#endif
