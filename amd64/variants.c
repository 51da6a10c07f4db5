/*
 * amd64/variants.c — the x86-64 port's variants, its probes and its name.
 * Names read <suite>/<transition>/<variant> (README: "Variants").
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <stdio.h>
#include <sys/auxv.h>

#include "gm.h"
#include "port.h"

const char *gm_port_name(void) { return GM_PORT; }

/* Symbols of the assembly (port.h names the Go-side ones; these are C-ABI or addresses). */
extern char gm_gogo[], gm_gogo_savegm[];
extern char gm_asmcgocall_mask[], gm_asmcgocall_static[], gm_asmcgocall_none[];
extern char gm_crosscall2_le[], gm_crosscall2_fs0[], gm_crosscall2_rdfsbase[], gm_crosscall2_call[];
extern char gm_crosscall2_mask[], gm_crosscall2_static[], gm_crosscall2_none[];
extern char gm_slot_fs0[], gm_slot_rdfsbase[];
extern char gm_tlsloop_le[], gm_tlsloop_fs0[], gm_tlsloop_rdfsbase[];

static void rdfsbase_once(void) { ((struct gm_tlsslot *(*)(void))(void *)gm_slot_rdfsbase)(); }

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

int gm_probe_rdfsbase(char *why, size_t whylen)
{
	unsigned a, b, c, d;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & 1)) {
		snprintf(why, whylen, "CPU lacks FSGSBASE (CPUID.7.0:EBX[0] = 0)");
		return 0;
	}
	if (!(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE)) {
		snprintf(why, whylen, "kernel has not enabled FSGSBASE for user space (AT_HWCAP2 bit 1 clear; Linux < 5.9 or nofsgsbase)");
		return 0;
	}
	if (!gm_try_insn(rdfsbase_once)) {
		snprintf(why, whylen, "rdfsbase raised SIGILL");
		return 0;
	}
	return 1;
}

GM_PROBE_NEVER(gm_probe_kuser, "kernel user helpers exist only on 32-bit ARM")
GM_PROBE_NEVER(gm_probe_tpidrurw, "TPIDRURW exists only on 32-bit ARM")
static GM_PROBE_NEVER(no_fp, "SysV x86-64 has no callee-saved vector registers: nothing to save")

#define V GM_VARIANT
const struct gm_variant gm_variants[] = {
	/* read_tp: fn = slot function (&gm_tls), fn2 = batched inline loop where one exists */
	V("tls", "read_tp", "le", gm_slot_le, gm_tlsloop_le, NULL, "__thread local-exec: %fs:gm_tls@tpoff", 0),
	V("tls", "read_tp", "fs0", gm_slot_fs0, gm_tlsloop_fs0, NULL, "mov %fs:0 (TCB self-pointer) + offset", GM_VF_GOTODAY),
	V("tls", "read_tp", "rdfsbase", gm_slot_rdfsbase, gm_tlsloop_rdfsbase, gm_probe_rdfsbase, "rdfsbase + offset", 0),
	GM_READTP_SHARED_VARIANTS("gnu2"),
	/* switch */
	V("switch", "gogo", "savegm", gm_gogo_savegm, NULL, NULL, "gogo plus a store of g/m in the TLS slot on every switch (as the 2012 seed stored them on ARM, in its own sequence)", 0),
	V("switch", "gogo", "nosave", gm_gogo, NULL, NULL, "gogo without the TLS store (valid only while no C code runs)", 0),
	/* Go -> C */
	V("cgocall", "asmcgocall", "mask", gm_asmcgocall_mask, NULL, NULL, "and $~15, %rsp on the g0 stack (Go)", GM_VF_GOTODAY),
	V("cgocall", "asmcgocall", "static", gm_asmcgocall_static, NULL, NULL, "frame sized from the g0 sp invariant, no mask", 0),
	V("cgocall", "asmcgocall", "none", gm_asmcgocall_none, NULL, NULL, "natural frame, alignment forgotten (test of the tests)", GM_VF_BROKEN),
	/* C -> Go: TLS access for g (fn2 = slot function to install in gm_tls_slot_fn) */
	V("callback", "crosscall2", "le", gm_crosscall2_le, NULL, NULL, "g from %fs:gm_tls@tpoff inline", GM_VF_GOTODAY),
	V("callback", "crosscall2", "fs0", gm_crosscall2_fs0, NULL, NULL, "thread pointer from %fs:0 inline", 0),
	V("callback", "crosscall2", "rdfsbase", gm_crosscall2_rdfsbase, NULL, gm_probe_rdfsbase, "thread pointer from rdfsbase inline", 0),
	GM_CROSSCALL2_SHARED_VARIANTS,
	V("callback", "crosscall2", "fp", NULL, NULL, no_fp, "also save the callee-saved FP/SIMD registers", 0),
	/* C -> Go: alignment of crosscall2's call of the C slot function */
	V("callback", "crosscall2", "mask", gm_crosscall2_mask, gm_slot_le, NULL, "and $~15, %rsp before calling C", 0),
	V("callback", "crosscall2", "static", gm_crosscall2_static, gm_slot_le, NULL, "frame padded to keep 16-byte alignment", GM_VF_GOTODAY),
	V("callback", "crosscall2", "none", gm_crosscall2_none, gm_slot_le, NULL, "six pushes, no padding (test of the tests)", GM_VF_BROKEN),
	GM_BOOKKEEPING_VARIANTS,
};
const size_t gm_nvariants = sizeof gm_variants / sizeof gm_variants[0];
