/*
 * tls.c — the thread's g/m slot and the read_tp variants the compiler writes.
 *
 * gm_tls is defined here, in the executable, so the executable reaches it local-exec
 * (a constant offset from the thread pointer, like the seed's TP+8/TP+12), and it is
 * exported (--export-dynamic-symbol) so that libgmtls-{ie,gd,desc}.so (core/tls_so_*.c) reaches the
 * same storage with initial-exec, global-dynamic and descriptor sequences.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#include "runtime.h"

/* On ARM the slot is the first thing in the executable's TLS block, so that it sits at
 * TP+8 / TP+12, the fixed offsets the 2012 seed's cgo_tls_set_gm/get_gm use
 * (arm/arm32/tls.S): .tdata comes before .tbss in the block and nothing else in the
 * executable has initialised TLS.  gm_seed_layout_ok() checks it at run time. */
#if defined(__arm__)
#define GM_TLS_SECTION __attribute__((section(".tdata")))
#else
#define GM_TLS_SECTION
#endif
__attribute__((visibility("default"))) __thread struct gm_tlsslot gm_tls
	__attribute__((aligned(8), tls_model("local-exec"))) GM_TLS_SECTION;

/* The C-ABI slot function crosscall2's "call" variants use (the seed's _cgo_load_gm
 * pointer): any gm_slot_fn. */
gm_slot_fn gm_tls_slot_fn = gm_slot_le;

struct gm_tlsslot *gm_slot_le(void)
{
	return &gm_tls;
}

static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;

static void make_key(void)
{
	if (pthread_key_create(&slot_key, NULL) != 0)
		gm_fatal("pthread_key_create failed");
}

/* On a thread without the key set (one gmbench did not create, or whose extra m was
 * given back) the route has no slot: it reads an empty one, so crosscall2 finds no g
 * (and borrows an m) instead of loading through NULL. */
static const struct gm_tlsslot noslot;

struct gm_tlsslot *gm_slot_pthread(void)
{
	struct gm_tlsslot *s = pthread_getspecific(slot_key);
	return s ? s : (struct gm_tlsslot *)&noslot;
}

void gm_tls_thread_init(void)
{
	pthread_once(&slot_once, make_key);
	pthread_setspecific(slot_key, &gm_tls);
	gm_tls_port_thread_init();
}

void gm_tls_thread_drop(void)
{
	pthread_setspecific(slot_key, NULL);
	gm_tls_port_thread_init();	/* arm32: TPIDRURW = TLS g = NULL */
}

/* A safe probe for instructions that may raise SIGILL (or SIGSEGV): run fn once with
 * handlers that siglongjmp back.  Only this thread, only inside the window. */
static __thread sigjmp_buf *probe_jmp;

static void probe_handler(int sig)
{
	(void)sig;
	if (probe_jmp)
		siglongjmp(*probe_jmp, 1);
	/* a fault outside the window: restore the default action and let it re-raise */
	signal(sig, SIG_DFL);
}

int gm_try_insn(void (*fn)(void))
{
	struct sigaction sa, oill, osegv, obus;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = probe_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGILL, &sa, &oill);
	sigaction(SIGSEGV, &sa, &osegv);
	sigaction(SIGBUS, &sa, &obus);
	sigjmp_buf jb;
	volatile int ok = 0;
	if (sigsetjmp(jb, 1) == 0) {
		probe_jmp = &jb;
		fn();
		ok = 1;
	}
	probe_jmp = NULL;
	sigaction(SIGILL, &oill, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	sigaction(SIGBUS, &obus, NULL);
	return ok;
}
