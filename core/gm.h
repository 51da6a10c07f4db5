/*
 * gm.h — the gmbench runtime model: g, m, gobuf, and the transitions.
 *
 * Two kinds of translation unit include this:
 *  - "Go side" units (core/, the Go-side halves of tests and suites) are built with the
 *    port's g (and on arm32 m) register reserved (-ffixed-...), and include goside.h for
 *    the register variable and the clobber-list call wrappers.
 *  - "C side" units are built normally; to them g/m are ordinary data and the
 *    reserved registers are just callee-saved registers they may clobber and restore.
 */
#ifndef GM_H
#define GM_H

#include <stddef.h>
#include <stdint.h>
#include "gm_abi.h"

struct gm_g;
struct gm_m;

struct gm_gobuf {
	uintptr_t sp;
	uintptr_t pc;
	struct gm_g *g;
	uintptr_t lr;
	uintptr_t ctxt;
	uintptr_t bp;
};

struct gm_g {
	uintptr_t stack_lo;      /* lowest usable address (above the guard page) */
	uintptr_t stack_hi;      /* one past the highest address */
	uintptr_t stackguard;    /* stack_lo + GM_STACKGUARD_GAP: the model's overflow check point */
	struct gm_gobuf sched;
	struct gm_m *m;
	uintptr_t goid;
	uintptr_t status;        /* GM_G*; atomics */
	uintptr_t magic;         /* GM_G_MAGIC while the g is valid */
	/* not used by assembly: */
	void (*entry)(void *);
	void *arg;
	void *mapping;           /* mmap base (guard page included), 0 for g0/gsignal on OS stacks */
	size_t mapping_size;
	struct gm_g *schedlink;  /* run queue link */
	/* the runtime's bookkeeping around cgo calls (core/cgocall.c; C only) */
	unsigned cgomode;        /* GM_CGO_*: the bookkeeping of the innermost cgocall */
	struct gm_defer *defer;  /* go2012: the defer chain cgocall/cgocallbackg push on */
	struct gm_m *lockedm;    /* go2012: g locked to m for the cgo call */
	uintptr_t gcsp, gcstack, gcguard;  /* go2012: entersyscall's record for the GC */
	uintptr_t syscallsp, syscallpc;    /* gotoday: reentersyscall's record */
	uintptr_t stackguard0;   /* gotoday: poisoned with GM_STACKPREEMPT in a syscall */
	int throwsplit, preempt; /* gotoday */
	int seed;                /* arm32: a goroutine of the 2012 seed's protocol (gm_run_seed): the
	                          * scheduler starts it with gogocall_seed, it ends through mcall_seed;
	                          * goroutines it creates are seed goroutines too (docs/seed.md) */
};

/* Bookkeeping modes of a cgo call (core/cgocall.c, docs/run-format.md "cgocall/cgocall/<mode>"). */
#define GM_CGO_BARE    0u  /* status store + CAS only */
#define GM_CGO_GO2012  1u  /* 2012: lockedg + defer + ncgo, entersyscall with gosave and sched.atomic */
#define GM_CGO_GOTODAY 2u  /* Go 1.19: reentersyscall's status CAS and P hand-off, exitsyscallfast */
#define GM_CGO_SEED    3u  /* arm32: go2012's bookkeeping around the seed's asmcgocall, with the seed's gosave */

/* go2012: a defer record on the goroutine's stack (Go 1.0's Defer, the fields cgocall sets). */
struct gm_defer {
	void (*fn)(void);
	uintptr_t siz;
	void *argp;
	struct gm_defer *link;
	int nofree;
};

/* gotoday: a P (only what syscall entry/exit touch). */
struct gm_p {
	uint32_t status;         /* GM_P* */
	struct gm_m *m;
	uintptr_t syscalltick;
	uint32_t runsafepointfn;
};
#define GM_PIDLE    0
#define GM_PRUNNING 1
#define GM_PSYSCALL 2

/* The global scheduler words the bookkeeping reads (core/cgocall.c). */
struct gm_sched {
	uint32_t atomic;          /* go2012: mcpu | mcpumax | waitstop | gwaiting (Go 1.0) */
	int32_t profilehz;        /* go2012: compared with m->profilehz on exitsyscall */
	uint32_t sysmonwait, gcwaiting, stopwait; /* gotoday: reentersyscall/exitsyscall checks */
	int disable_user;         /* gotoday: sched.disable.user */
};
extern struct gm_sched gm_sched;

/* A callback in flight on an m: cgocallbackg links one per callback (innermost first)
 * so that a callback returning out of order (another goroutine's callback frames still
 * live on g0's stack) is stopped with a message instead of reusing those frames. */
struct gm_cbframe {
	struct gm_g *g;
	struct gm_cbframe *prev;
};

struct gm_probe_ring;

struct gm_m {
	struct gm_g *g0;
	struct gm_g *curg;
	struct gm_g *gsignal;
	uintptr_t id;
	uintptr_t ncgocall;
	/* not used by assembly: */
	struct gm_g *runq_head, *runq_tail;
	unsigned long pthread;   /* pthread_t of the thread */
	int tid;
	struct gm_g g0_storage, gsignal_storage;
	void (*mstartfn)(void *);
	void *mstartarg;
	struct gm_probe_ring *probes;
	struct gm_m *alllink;
	void *schedreturn;       /* gobuf in gm_run the scheduler returns to when idle */
	int schedreturn_seed;    /* arm32: saved by gm_run_seed with gosave_seed: return through gogo_seed */
	struct gm_cbframe *cbtop; /* innermost callback in flight on this m */
	/* the runtime's bookkeeping around cgo calls (core/cgocall.c) */
	uintptr_t ncgo;          /* cgo calls in flight (go2012, gotoday) */
	int incgo, locks, profilehz;
	struct gm_g *lockedg;    /* go2012 */
	struct gm_p *p, *oldp;   /* gotoday: the P, and the one left in a syscall */
	uintptr_t syscalltick;
	struct gm_p p_storage;   /* every m has a P of its own: the model has no P hand-over */
	/* extra m's for callbacks on threads the runtime did not create (core/extram.c) */
	int isextra;
	struct gm_m *extralink;
	uintptr_t sigaltstack_saved[4]; /* the C thread's own sigaltstack (a stack_t), put back by dropm */
};

struct gm_tlsslot {
	struct gm_g *g;
	struct gm_m *m;
};

/* The thread's slot, defined in the executable (core/tls.c) and exported so that the
 * shared-object TLS variants reach the very same storage through IE/GD/descriptors. */
extern __thread struct gm_tlsslot gm_tls __attribute__((aligned(8)));

/* ---- runtime (core/proc.c) ---- */

#define GM_STACKGUARD_GAP 4096

/* Make this OS thread m0 with g0 on the current stack.  Idempotent per thread. */
struct gm_m *gm_runtime_init(void);
/* On g0: run fn(arg) as a goroutine and run the scheduler until this m's run queue is empty. */
void gm_run(void (*fn)(void *), void *arg);
/* Create a goroutine on the current m's run queue. */
struct gm_g *gm_go(void (*fn)(void *), void *arg);
/* A goroutine not yet on any run queue (start it with gm_ready, or switch to it
 * directly: gogocall(&g->sched, gm_goroutine_start)), and queueing one. */
struct gm_g *gm_newg(void (*fn)(void *), void *arg);
void gm_ready(struct gm_g *gp);
void gm_goroutine_start(void);
/* Yield: mcall to the scheduler, come back later (Go's runtime.Gosched). */
void gm_gosched(void);
/* Goroutine stack size for new goroutines (default 256 KiB). */
void gm_set_stack_size(size_t bytes);
/* Leave bytes (rounded down to 16) unused at the top of each new goroutine's stack. */
void gm_set_stack_skew(size_t bytes);

/* Start a new OS thread running fn(arg) on its g0 as a new m (core/thread.c).
 * Returns 0 or an errno; *mp receives the m. */
int gm_newm(void (*fn)(void *), void *arg, struct gm_m **mp);
int gm_joinm(struct gm_m *m);

/* ---- cgo (core/cgocall.c) ---- */
/* Go -> C with entersyscall/exitsyscall around asmcgocall (Go side only): the bare
 * bookkeeping (status store + CAS), and 2012's and today's Go (GM_CGO_*). */
int gm_cgocall(int (*fn)(void *), void *arg);
int gm_cgocall_go2012(int (*fn)(void *), void *arg);
int gm_cgocall_gotoday(int (*fn)(void *), void *arg);
/* Go -> C through one asmcgocall variant, with the same entersyscall/exitsyscall. */
int gm_cgocall_via(int (*asmcgocall)(int (*)(void *), void *), int (*fn)(void *), void *arg);
/* The C-level half of a callback: runs on m->curg's stack. */
void gm_cgocallbackg(void (*fn)(void *), void *arg);

/* ---- callbacks from threads the runtime did not create (core/extram.c) ---- */
/* Called by cgocallback (assembly) on a thread whose TLS g is NULL: borrow an extra m
 * (Go's needm) and return with its g0 in the g register and TLS; dropm gives it back
 * once the callback has returned.  Both run on the C thread's own stack. */
void gm_needm(void);
void gm_dropm(void);
/* Foreign callbacks are on once gm_runtime_init has run (Go: once cgo is initialised);
 * off, a callback from a thread without g stops with "callback from C on a thread
 * without g".  Returns the previous setting. */
int gm_set_foreign_callbacks(int on);
/* Extra m's made so far (each is reused; they are never freed, as in Go). */
long gm_extram_count(void);

/* ---- signals (core/signal.c) ---- */
/* Install gm_sigtramp for sig with SA_ONSTACK|SA_SIGINFO (and the guard-page reporter for SIGSEGV/SIGBUS). */
int gm_signal_install(int sig);
/* The same with another trampoline of the port (arm32: gm_sigtramp_seed). */
int gm_signal_install_tramp(int sig, void (*tramp)(int sig, void *info, void *uctx));
/* Optional hook the Go-side handler calls with the g that TLS named at delivery. */
typedef void (*gm_sighook_fn)(int sig, void *info, void *uctx, struct gm_g *interrupted, struct gm_m *m);
void gm_signal_sethook(gm_sighook_fn fn);
/* Called by sigtramp on gsignal's stack with g = m->gsignal in the g register. */
void gm_sighandler(int sig, void *info, void *uctx, struct gm_g *interrupted);

/* ---- the transitions, in assembly, one file per group (<port>/{switch,cgo,thread,tls,signal}.S) ---- */
/* Go-side transitions must be called through goside.h's wrappers (they clobber every register
 * but g/m/sp/fp, as Go's ABI does); the C-ABI entry points below may be called from C. */

/* C-ABI: C -> Go callback entry.  fn runs on the goroutine that made the enclosing cgocall. */
void gm_crosscall2(void (*fn)(void *), void *arg);          /* port default TLS access, no FP saves */
/* C-ABI: thread entry (crosscall_arm2's job): set g/m registers, save to TLS, call fn on g0. */
void gm_thread_entry(void (*fn)(void), struct gm_m *m, struct gm_g *g);
/* C-ABI: run the Go-side function fn(arg) from C code (a host starting a runtime, maybe
 * inside another runtime's C call): every callee-saved register is preserved, the g (and
 * m) registers included, which Go-side code itself never preserves (<port>/thread.S). */
int gm_enter_goside(int (*fn)(void *), void *arg);
/* The entry gm_newm's threads take (default gm_thread_entry; core/thread.c). */
extern void (*gm_thread_entry_fn)(void (*fn)(void), struct gm_m *m, struct gm_g *g);
/* C-ABI: signal entry, installed with SA_SIGINFO. */
void gm_sigtramp(int sig, void *info, void *uctx);

/* ---- variants (core/variants.c) ---- */
struct gm_variant {
	const char *suite;       /* "tls", "cgocall", "callback", "switch", ... */
	const char *transition;  /* "read_tp", "asmcgocall", "crosscall2", ... */
	const char *name;        /* "kuser", "bic", ... */
	void *fn;                /* the entry point (type depends on transition) */
	void *fn2;               /* a paired entry (load_gm for save_gm, ...) or NULL */
	int (*probe)(char *why, size_t whylen); /* NULL: always available */
	const char *doc;
	unsigned flags;
};
#define GM_VF_BROKEN   1u  /* exists only to prove the tests catch it (alignment "none") */
#define GM_VF_SEED2012 2u  /* the 2012 seed's own sequence (arm32 *_seed, docs/seed.md); set on nothing else */
#define GM_VF_GOTODAY  4u  /* today's Go sequence */
#define GM_VF_OWNSLOT  8u  /* keeps g in a slot of its own (not &gm_tls): checked by round trip */

/* The probe of a variant the port cannot have: never available, says why (a literal). */
#define GM_PROBE_NEVER(name, reason) \
	int name(char *why, size_t whylen) \
	{ \
		snprintf(why, whylen, reason); \
		return 0; \
	}

/* A row of a port's table: suite, transition, name, fn, fn2, probe, doc, flags. */
#define GM_VARIANT(s, t, n, f, f2, p, d, fl) { s, t, n, (void *)(f), (void *)(f2), p, d, fl }

/* The read_tp rows every port has, in this order after its own: __thread in a shared
 * object (TLS descriptors with the port's -mtls-dialect=<dialect>) and pthread. */
#define GM_READTP_SHARED_VARIANTS(dialect) \
	GM_VARIANT("tls", "read_tp", "ie", gm_slot_ie, NULL, NULL, "__thread initial-exec (shared object, GOT offset)", 0), \
	GM_VARIANT("tls", "read_tp", "gd", gm_slot_gd, NULL, NULL, "__thread global-dynamic (shared object, __tls_get_addr)", 0), \
	GM_VARIANT("tls", "read_tp", "desc", gm_slot_desc, NULL, NULL, "__thread TLS descriptors (shared object, -mtls-dialect=" dialect ")", 0), \
	GM_VARIANT("tls", "read_tp", "pthread", gm_slot_pthread, NULL, NULL, "pthread_getspecific", 0)

/* The crosscall2 rows that call those slot functions (fn2), the same in every port. */
#define GM_CROSSCALL2_SHARED_VARIANTS \
	GM_VARIANT("callback", "crosscall2", "ie", gm_crosscall2_call, gm_slot_ie, NULL, "call of the initial-exec slot function", 0), \
	GM_VARIANT("callback", "crosscall2", "gd", gm_crosscall2_call, gm_slot_gd, NULL, "call of the global-dynamic slot function", 0), \
	GM_VARIANT("callback", "crosscall2", "desc", gm_crosscall2_call, gm_slot_desc, NULL, "call of the TLS-descriptor slot function", 0), \
	GM_VARIANT("callback", "crosscall2", "pthread", gm_crosscall2_call, gm_slot_pthread, NULL, "call of pthread_getspecific", 0)

/* The bookkeeping variants, the same in every port: each port's table ends with this.
 * fn = the cgocall function (int fn(int (*)(void *), void *)) of the mode. */
#define GM_BOOKKEEPING_VARIANTS \
	{ "cgocall", "cgocall", "bare", (void *)gm_cgocall, NULL, NULL, \
	  "asmcgocall + the status word's atomic store and CAS (the model's own bookkeeping)", 0 }, \
	{ "cgocall", "cgocall", "go2012", (void *)gm_cgocall_go2012, NULL, NULL, \
	  "2012: lockedg, defer, ncgo; entersyscall with gosave, gcsp and an xadd on sched.atomic; exitsyscall's xadd", 0 }, \
	{ "cgocall", "cgocall", "gotoday", (void *)gm_cgocall_gotoday, NULL, NULL, \
	  "Go 1.19: ncgo, incgo; reentersyscall's status CAS and P hand-off; exitsyscall's fast path", GM_VF_GOTODAY }, \
	{ "callback", "go-c-go", "bare", (void *)gm_cgocall, NULL, NULL, \
	  "cgocall + crosscall2 + cgocallback with the bare bookkeeping on both sides", 0 }, \
	{ "callback", "go-c-go", "go2012", (void *)gm_cgocall_go2012, NULL, NULL, \
	  "the same with 2012's cgocall and cgocallbackg (exitsyscall, unwindm defer, entersyscall)", 0 }, \
	{ "callback", "go-c-go", "gotoday", (void *)gm_cgocall_gotoday, NULL, NULL, \
	  "the same with Go 1.19's cgocall and cgocallbackg (lockOSThread, exitsyscall, reentersyscall)", GM_VF_GOTODAY }

extern const struct gm_variant gm_variants[];
extern const size_t gm_nvariants;
/* 1 if the variant can run here; else 0 with the reason in why. */
int gm_variant_available(const struct gm_variant *v, char *why, size_t whylen);
const struct gm_variant *gm_variant_find(const char *suite, const char *transition, const char *name);
/* The variants of one suite and transition (NULL: any), in table order:
 *	for (size_t i = 0; (v = gm_variant_next(&i, "tls", "read_tp")); ) */
const struct gm_variant *gm_variant_next(size_t *i, const char *suite, const char *transition);

/* ---- TLS (core/tls.c, core/tls_so*.c) ---- */
/* A read_tp variant: returns the address of this thread's gm_tls slot. */
typedef struct gm_tlsslot *(*gm_slot_fn)(void);
/* Per-thread setup that some variants need (pthread key, TPIDRURW). */
void gm_tls_thread_init(void);
int gm_probe_kuser(char *why, size_t whylen);     /* arm32: kernel helper page present */
int gm_probe_tpidrurw(char *why, size_t whylen);  /* arm32: TPIDRURW usable */
int gm_probe_rdfsbase(char *why, size_t whylen);  /* amd64: FSGSBASE usable from user space */

/* The variants, each returning &gm_tls for the calling thread: */
struct gm_tlsslot *gm_slot_le(void);       /* __thread local-exec (core/tls.c) */
struct gm_tlsslot *gm_slot_pthread(void);  /* pthread_getspecific (core/tls.c) */
struct gm_tlsslot *gm_slot_ie(void);       /* libgmtls.so: initial-exec */
struct gm_tlsslot *gm_slot_gd(void);       /* libgmtls.so: global-dynamic (__tls_get_addr) */
struct gm_tlsslot *gm_slot_desc(void);     /* libgmtls.so: TLS descriptors */
/* The slot function crosscall2's "call" variants use (the seed's _cgo_load_gm pointer). */
extern gm_slot_fn gm_tls_slot_fn;
/* Per-thread setup of the port's TLS variants (<port>/tls.S). */
void gm_tls_port_thread_init(void);
/* Run fn once; 0 if it raised SIGILL/SIGSEGV/SIGBUS (caught), 1 if it returned. */
int gm_try_insn(void (*fn)(void));

const char *gm_port_name(void); /* "amd64", "arm32", "arm64" */

#endif
