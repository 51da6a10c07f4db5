/*
 * arm/arm64/variants.c — the AArch64 port's variants, its probes and its name.
 * Names read <suite>/<transition>/<variant> (README: "Variants").
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "gm.h"
#include "port.h"

const char *gm_port_name(void) { return GM_PORT; }

/* Symbols of the assembly (port.h names the Go-side ones; these are C-ABI or addresses). */
extern char gm_gogo[], gm_gogo_savegm[];
extern char gm_asmcgocall_mask[], gm_asmcgocall_static[], gm_asmcgocall_none[];
extern char gm_crosscall2_le[], gm_crosscall2_fp[], gm_crosscall2_call[];
extern char gm_crosscall2_mask[], gm_crosscall2_static[], gm_crosscall2_none[];
extern char gm_slot_tpidr[];
extern char gm_tlsloop_le[];

GM_PROBE_NEVER(gm_probe_kuser, "kernel user helpers exist only on 32-bit ARM (AArch64 reads tpidr_el0 directly)")
GM_PROBE_NEVER(gm_probe_tpidrurw, "TPIDRURW exists only on 32-bit ARM (AArch64's tpidr_el0 already holds the C library's thread pointer)")
GM_PROBE_NEVER(gm_probe_rdfsbase, "rdfsbase exists only on x86-64")

#define V GM_VARIANT
const struct gm_variant gm_variants[] = {
	/* read_tp: fn = slot function (&gm_tls), fn2 = batched inline loop where one exists */
	V("tls", "read_tp", "le", gm_slot_le, gm_tlsloop_le, NULL, "__thread local-exec: mrs tpidr_el0 + :tprel: offset", GM_VF_GOTODAY),
	V("tls", "read_tp", "tpidr", gm_slot_tpidr, NULL, NULL, "call of a hand-written mrs tpidr_el0 + offset function", 0),
	GM_READTP_SHARED_VARIANTS("desc"),
	/* switch */
	V("switch", "gogo", "savegm", gm_gogo_savegm, NULL, NULL, "gogo plus a store of g/m in the TLS slot on every switch (as the 2012 seed stored them on ARM, in its own sequence)", 0),
	V("switch", "gogo", "nosave", gm_gogo, NULL, NULL, "gogo without the TLS store (valid only while no C code runs)", 0),
	/* Go -> C */
	V("cgocall", "asmcgocall", "mask", gm_asmcgocall_mask, NULL, NULL, "and #~15 through a scratch register on the g0 stack", 0),
	V("cgocall", "asmcgocall", "static", gm_asmcgocall_static, NULL, NULL, "32-byte frame below the 16-aligned g0 sp, no mask (Go)", GM_VF_GOTODAY),
	V("cgocall", "asmcgocall", "none", gm_asmcgocall_none, NULL, NULL, "24-byte frame, alignment forgotten (test of the tests; SIGBUS on hardware)", GM_VF_BROKEN),
	/* C -> Go: TLS access for g (fn2 = slot function to install in gm_tls_slot_fn) */
	V("callback", "crosscall2", "le", gm_crosscall2_le, NULL, NULL, "g from mrs tpidr_el0 + :tprel: offset inline", 0),
	GM_CROSSCALL2_SHARED_VARIANTS,
	V("callback", "crosscall2", "fp", gm_crosscall2_fp, NULL, NULL, "also save the callee-saved d8-d15 (Go's SAVE_F8_TO_F15)", GM_VF_GOTODAY),
	/* C -> Go: alignment of crosscall2's call of the C slot function */
	V("callback", "crosscall2", "mask", gm_crosscall2_mask, gm_slot_le, NULL, "and #~15 through a scratch register before calling C", 0),
	V("callback", "crosscall2", "static", gm_crosscall2_static, gm_slot_le, NULL, "12-word frame: 16-byte alignment kept", GM_VF_GOTODAY),
	V("callback", "crosscall2", "none", gm_crosscall2_none, gm_slot_le, NULL, "13-word frame, not rounded (test of the tests; SIGBUS on hardware)", GM_VF_BROKEN),
	GM_BOOKKEEPING_VARIANTS,
};
const size_t gm_nvariants = sizeof gm_variants / sizeof gm_variants[0];
