/*
 * arm/arm32/variants.c — the ARMv7 port's variants, its probes, its per-thread TLS
 * set-up and its name.  Names read <suite>/<transition>/<variant> (README: "Variants").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "runtime.h"

const char *gm_port_name(void) { return GM_PORT; }

/* Symbols of the assembly (goside.h names the Go-side ones; these are C-ABI or addresses). */
extern char gm_gogo[], gm_gogo_savegm[];
extern char gm_asmcgocall_mask[], gm_asmcgocall_static[], gm_asmcgocall_over[], gm_asmcgocall_none[];
extern char gm_crosscall2_mrc[], gm_crosscall2_kuser[], gm_crosscall2_kuser_tail[];
extern char gm_crosscall2_aeabi[], gm_crosscall2_tpidrurw[], gm_crosscall2_call[];
extern char gm_crosscall2_fp[], gm_crosscall2_go[];
extern char gm_crosscall2_mask[], gm_crosscall2_static[], gm_crosscall2_none[];
extern char gm_slot_mrc[], gm_slot_kuser[], gm_slot_kuser_tail[], gm_slot_aeabi[], gm_slot_tpidrurw[];
extern char gm_tlsloop_mrc[], gm_tlsloop_kuser[], gm_tlsloop_kuser_tail[], gm_tlsloop_aeabi[];
extern char gm_tlsloop_tpidrurw[], gm_tlsloop_le[];
void gm_tpidrurw_set(void *v);
void *gm_tp_mrc(void);
void *gm_tp_kuser(void);

/* ---- kernel user helpers ---- */

#define KUSER_PAGE     0xffff0000u
#define KUSER_VERSION  0xffff0ffcu   /* __kuser_helper_version */
#define KUSER_GET_TLS  0xffff0fe0u   /* __kuser_get_tls, helper version >= 1 */

static pthread_once_t kuser_once = PTHREAD_ONCE_INIT;
static int kuser_ok;
static char kuser_why[160];
static volatile int kuser_version;
static void *volatile kuser_tp;

static void read_kuser_version(void) { kuser_version = *(volatile int *)(uintptr_t)KUSER_VERSION; }
static void call_kuser_get_tls(void) { kuser_tp = gm_tp_kuser(); }

/* Is the page at 0xffff0000 mapped?  Linux names it [vectors]; QEMU user mode maps it
 * unnamed.  Kernels without CONFIG_KUSER_HELPERS do not map it at all. */
static int vectors_mapped(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	char line[256];
	int found = 0;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo <= KUSER_PAGE &&
		    KUSER_PAGE < hi && perms[0] == 'r')
			found = 1;
	}
	fclose(f);
	return found;
}

static void probe_kuser_once(void)
{
	int mapped = vectors_mapped();
	if (mapped == 0) {
		snprintf(kuser_why, sizeof kuser_why,
			 "no readable page at 0xffff0000 in /proc/self/maps: kernel built without "
			 "CONFIG_KUSER_HELPERS");
		return;
	}
	/* Read the version word under a SIGSEGV guard (maps may be unreadable, or lie). */
	if (!gm_try_insn(read_kuser_version)) {
		snprintf(kuser_why, sizeof kuser_why,
			 "reading __kuser_helper_version at 0xffff0ffc faulted: no kernel user helpers");
		return;
	}
	if (kuser_version < 1) {
		snprintf(kuser_why, sizeof kuser_why,
			 "__kuser_helper_version is %d: __kuser_get_tls needs version 1", kuser_version);
		return;
	}
	if (!gm_try_insn(call_kuser_get_tls) || kuser_tp != gm_tp_mrc()) {
		snprintf(kuser_why, sizeof kuser_why,
			 "__kuser_get_tls (helper version %d) faulted or disagrees with TPIDRURO",
			 kuser_version);
		return;
	}
	kuser_ok = 1;
}

int gm_probe_kuser(char *why, size_t whylen)
{
	pthread_once(&kuser_once, probe_kuser_once);
	if (!kuser_ok && whylen)
		snprintf(why, whylen, "%s", kuser_why);
	return kuser_ok;
}

/* ---- TPIDRURW ---- */

static pthread_once_t tpidrurw_once = PTHREAD_ONCE_INIT;
static int tpidrurw_ok;
static char tpidrurw_why[160];
static void *volatile tpidrurw_old, *volatile tpidrurw_back;

static void tpidrurw_read(void) { tpidrurw_old = (void *)((gm_slot_fn)(void *)gm_slot_tpidrurw)(); }
static void tpidrurw_write_read(void)
{
	gm_tpidrurw_set((void *)(uintptr_t)0x5eedf00d);
	tpidrurw_back = (void *)((gm_slot_fn)(void *)gm_slot_tpidrurw)();
}

static void probe_tpidrurw_once(void)
{
	if (!gm_try_insn(tpidrurw_read)) {
		snprintf(tpidrurw_why, sizeof tpidrurw_why, "mrc of TPIDRURW (c13, c0, 2) raised SIGILL");
		return;
	}
	if (!gm_try_insn(tpidrurw_write_read)) {
		snprintf(tpidrurw_why, sizeof tpidrurw_why, "mcr to TPIDRURW (c13, c0, 2) raised SIGILL");
		return;
	}
	/* The kernel must keep it per thread across context switches (Linux does since 3.x). */
	for (int i = 0; i < 3 && tpidrurw_back == (void *)(uintptr_t)0x5eedf00d; i++) {
		sched_yield();
		tpidrurw_back = (void *)((gm_slot_fn)(void *)gm_slot_tpidrurw)();
	}
	void *back = tpidrurw_back;
	gm_tpidrurw_set(tpidrurw_old);
	if (back != (void *)(uintptr_t)0x5eedf00d) {
		snprintf(tpidrurw_why, sizeof tpidrurw_why,
			 "TPIDRURW did not keep a written value (wrote 0x5eedf00d, read back %p)", back);
		return;
	}
	tpidrurw_ok = 1;
}

int gm_probe_tpidrurw(char *why, size_t whylen)
{
	pthread_once(&tpidrurw_once, probe_tpidrurw_once);
	if (!tpidrurw_ok && whylen)
		snprintf(why, whylen, "%s", tpidrurw_why);
	return tpidrurw_ok;
}

/* Per thread, once TLS g is set (m0 in gm_runtime_init, new m's after gm_thread_entry):
 * keep this thread's g in TPIDRURW.  C code is only ever entered on g0 here, so the
 * tpidrurw crosscall2 finds the g it needs there without any transition writing it. */
void gm_tls_port_thread_init(void)
{
	char why[8];
	if (gm_probe_tpidrurw(why, 0))
		gm_tpidrurw_set(gm_tls.g);
}

/* ---- the 2012 seed's mode (docs/seed.md) ---- */

_Static_assert(__builtin_offsetof(struct gm_gobuf2012, sp) == GOBUF_SP, "2012 gobuf sp");
_Static_assert(__builtin_offsetof(struct gm_gobuf2012, pc) == GOBUF_PC, "2012 gobuf pc");
_Static_assert(__builtin_offsetof(struct gm_gobuf2012, g) == GOBUF_G, "2012 gobuf g");
_Static_assert(__builtin_offsetof(struct gm_tlsslot, m) == SEED_TP_M - SEED_TP_G, "TP+8 / TP+12");

/* The seed stores g and m at TP+8 / TP+12: that is gm_tls only when it is the first
 * thing in the executable's TLS block (core/tls.c asks the linker for that). */
static int seed_layout(char *why, size_t whylen)
{
	long off = (long)((char *)&gm_tls - (char *)gm_tp_mrc());
	if (off == SEED_TP_G)
		return 1;
	if (whylen)
		snprintf(why, whylen, "gm_tls is at TP%+ld, not at TP+%d where the seed's cgo_tls_set_gm "
			 "stores g: something else is first in this executable's TLS block", off, SEED_TP_G);
	return 0;
}

int gm_probe_seed(char *why, size_t whylen)
{
	char kwhy[200];
	if (!gm_probe_kuser(kwhy, sizeof kwhy)) {
		if (whylen)
			snprintf(why, whylen, "the seed's __aeabi_read_tp jumps into the kernel helper: %s", kwhy);
		return 0;
	}
	return seed_layout(why, whylen);
}

void gm_gosched_seed(void)
{
	gm_mcall_seed(gm_gosched_m);
}

int gm_signal_install_seed(int sig)
{
	return gm_signal_install_tramp(sig, gm_sigtramp_seed);
}

void gm_badcgocallback_seed_nocurg(void)
{
	gm_fatal("callback from C through crosscall2_seed while m %lu runs no goroutine (m->curg is NULL: "
		 "C was called from g0)", (unsigned long)gm_tls.m->id);
}

extern char gm_seed_return[];	/* cgo.S: the g->sched.pc asmcgocall_seed records */

int gm_seed_in_asmcgocall(const struct gm_g *gp)
{
	return gp && gp->magic == GM_G_MAGIC && gp->m && gp == gp->m->curg &&
	       gp->sched.pc == (uintptr_t)gm_seed_return;
}

/* From cgocallback_seed: curg's saved pc is not the seed's return<>, so curg did not enter
 * C through asmcgocall_seed.  Today's asmcgocall leaves TLS g = g0 (the seed's leaves the
 * goroutine): name it when TLS says so. */
void gm_badcgocallback_seed_mix(struct gm_g *gp)
{
	struct gm_m *mp = gp->m;
	if (mp && gm_tls.g == mp->g0)
		gm_fatal("callback from C through crosscall2_seed and cgocallback_seed (the 2012 seed's protocol) "
			 "into C that goroutine %lu entered through today's asmcgocall (today's protocol): TLS g "
			 "is g0, not the goroutine, and its frames are not the seed's; the two protocols do not mix "
			 "(docs/seed.md)", (unsigned long)gp->goid);
	gm_fatal("callback from C through crosscall2_seed and cgocallback_seed (the 2012 seed's protocol) while "
		 "goroutine %lu did not enter C through asmcgocall_seed: its saved pc %p is not the seed's "
		 "return<> (docs/seed.md)", (unsigned long)gp->goid, (void *)gp->sched.pc);
}

GM_PROBE_NEVER(gm_probe_rdfsbase, "rdfsbase exists only on x86-64")

#define V GM_VARIANT
const struct gm_variant gm_variants[] = {
	/* read_tp: fn = slot function (&gm_tls), fn2 = batched inline loop where one exists */
	V("tls", "read_tp", "le", gm_slot_le, gm_tlsloop_le, NULL, "__thread local-exec: mrc TPIDRURO + literal gm_tls(tpoff), as GCC emits it", 0),
	V("tls", "read_tp", "mrc", gm_slot_mrc, gm_tlsloop_mrc, NULL, "mrc p15, 0, rX, c13, c0, 3 (TPIDRURO) + offset inline", GM_VF_GOTODAY),
	V("tls", "read_tp", "kuser", gm_slot_kuser, gm_tlsloop_kuser, gm_probe_kuser, "call of the kernel helper __kuser_get_tls at 0xffff0fe0", 0),
	V("tls", "read_tp", "kuser-tail", gm_slot_kuser_tail, gm_tlsloop_kuser_tail, gm_probe_kuser, "the seed's __aeabi_read_tp (gm_kuser_read_tp): tail jump (mvn; sub pc) into the kernel helper", GM_VF_SEED2012),
	V("tls", "read_tp", "aeabi", gm_slot_aeabi, gm_tlsloop_aeabi, NULL, "call of glibc's __aeabi_read_tp (through the PLT)", 0),
	GM_READTP_SHARED_VARIANTS("gnu2"),
	V("tls", "read_tp", "tpidrurw", gm_slot_tpidrurw, gm_tlsloop_tpidrurw, gm_probe_tpidrurw, "g kept in TPIDRURW (c13, c0, 2): one mrc, no memory access; returns g", GM_VF_OWNSLOT),
	/* the seed's TLS protocol alone: cgo_save_gm then cgo_load_gm through their pointers */
	V("tls", "save+load_gm", "seed", NULL, gm_tlsloop_seed_gm, gm_probe_seed, "the 2012 seed's naked cgo_tls_set_gm + cgo_tls_get_gm through their pointers (TP+8/+12)", GM_VF_SEED2012),
	/* switch */
	V("switch", "gogo", "savegm", gm_gogo_savegm, NULL, NULL, "today's gogo plus an inline TLS store of g/m on every switch (the seed's store, not its sequence: that is seed)", 0),
	V("switch", "gogo", "nosave", gm_gogo, NULL, NULL, "gogo without the TLS store (valid only while no C code runs)", 0),
	V("switch", "gogo", "seed", gm_gogo_seed_sym, NULL, gm_probe_seed, "the 2012 seed's gosave/gogo/mcall: three-word gobuf, gogo stores g/m at TP+8/+12 through cgo_save_gm, mcall writes no TLS", GM_VF_SEED2012),
	/* Go -> C */
	V("cgocall", "asmcgocall", "mask", gm_asmcgocall_mask, NULL, NULL, "bic sp, sp, #7 on the g0 stack (as Go does), TLS g = g0 while C runs", GM_VF_GOTODAY),
	V("cgocall", "asmcgocall", "static", gm_asmcgocall_static, NULL, NULL, "frame sized from the g0 sp invariant (4 mod 8), no mask", 0),
	V("cgocall", "asmcgocall", "over", gm_asmcgocall_over, NULL, NULL, "bic sp, sp, #15: 16-byte over-alignment for NEON :128", 0),
	V("cgocall", "asmcgocall", "seed", gm_asmcgocall_seed_sym, NULL, NULL, "the 2012 seed's asmcgocall: sub #24 + bic #7 on g0's stack, g = g0 in the register only (TLS g stays the goroutine)", GM_VF_SEED2012),
	V("cgocall", "asmcgocall", "none", gm_asmcgocall_none, NULL, NULL, "natural frame, alignment forgotten (test of the tests)", GM_VF_BROKEN),
	/* C -> Go: TLS access for g and m (fn2 = slot function to install in gm_tls_slot_fn) */
	V("callback", "crosscall2", "mrc", gm_crosscall2_mrc, NULL, NULL, "g, m from mrc TPIDRURO + offset inline (the default)", 0),
	V("callback", "crosscall2", "kuser", gm_crosscall2_kuser, NULL, gm_probe_kuser, "thread pointer from a call of __kuser_get_tls", 0),
	V("callback", "crosscall2", "kuser-tail", gm_crosscall2_kuser_tail, NULL, gm_probe_kuser, "thread pointer from the seed's __aeabi_read_tp (tail jump to the helper) in today's crosscall2", 0),
	V("callback", "crosscall2", "aeabi", gm_crosscall2_aeabi, NULL, NULL, "thread pointer from glibc's __aeabi_read_tp", 0),
	V("callback", "crosscall2", "tpidrurw", gm_crosscall2_tpidrurw, NULL, gm_probe_tpidrurw, "g from TPIDRURW (checked against the slot's g), m from the slot", 0),
	V("callback", "crosscall2", "le-call", gm_crosscall2_call, gm_slot_le, NULL, "call of the local-exec slot function (compiled C; the inline local-exec read is mrc)", 0),
	GM_CROSSCALL2_SHARED_VARIANTS,
	V("callback", "crosscall2", "fp", gm_crosscall2_fp, NULL, NULL, "the default plus vpush/vpop of the callee-saved d8-d15", 0),
	/* C -> Go: the two historical sequences whole */
	V("callback", "crosscall2", "seed", gm_crosscall2_seed, NULL, gm_probe_seed, "the 2012 seed's protocol: C entered by asmcgocall/seed, crosscall2's 13-word push, g/m at TP+8/+12 by a direct call of cgo_tls_get_gm, cgocallback_seed", GM_VF_SEED2012),
	V("callback", "crosscall2", "go", gm_crosscall2_go, NULL, NULL, "today's Go: stm + vstr d8-d15, load_g (g only; m = g->m), cgocallback", GM_VF_GOTODAY),
	/* C -> Go: alignment of crosscall2's call of the C slot function */
	V("callback", "crosscall2", "mask", gm_crosscall2_mask, gm_slot_le, NULL, "nine words pushed, then bic sp, sp, #7 before calling C", 0),
	V("callback", "crosscall2", "static", gm_crosscall2_static, gm_slot_le, NULL, "ten words pushed (ip as padding): 8-byte alignment kept", 0),
	V("callback", "crosscall2", "none", gm_crosscall2_none, gm_slot_le, NULL, "nine words pushed, no padding (test of the tests)", GM_VF_BROKEN),
	/* signals and thread entry: the seed's trampoline and crosscall_arm2 */
	V("signal", "sigtramp", "seed", gm_sigtramp_seed, NULL, gm_probe_seed, "the 2012 seed's sigtramp: g/m through cgo_load_gm, g = m->gsignal in the register only", GM_VF_SEED2012),
	V("thread", "entry", "seed", gm_thread_entry_seed, NULL, gm_probe_seed, "the 2012 seed's crosscall_arm2: ten-word push, r10/r9 set, cgo_tls_set_gm, mov lr, pc; mov pc", GM_VF_SEED2012),
	GM_BOOKKEEPING_VARIANTS,
	/* the whole 2012 cgo call and round trip: 2012's bookkeeping (go2012) around the seed's
	 * asmcgocall; fn2 = the crosscall2 of the round trip */
	V("cgocall", "cgocall", "seed", gm_cgocall_seed, NULL, NULL, "the 2012 seed's whole cgo call: 2012's cgocall/entersyscall/exitsyscall (go2012) around asmcgocall/seed", GM_VF_SEED2012),
	V("callback", "go-c-go", "seed", gm_cgocall_seed, gm_crosscall2_seed, gm_probe_seed, "the 2012 round trip: cgocall/cgocall/seed into C, crosscall2_seed, cgocallback_seed, 2012's cgocallbackg", GM_VF_SEED2012),
};
const size_t gm_nvariants = sizeof gm_variants / sizeof gm_variants[0];
