/*
 * layout.c — compile-time proof that gm_abi.h (what the assembly uses) matches the C
 * structs.  Nothing here runs.
 */
#define _GNU_SOURCE
#include <stddef.h>

#include "gm.h"

#define CHECK(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " != " #off)

CHECK(gm_gobuf, sp, GOBUF_SP);
CHECK(gm_gobuf, pc, GOBUF_PC);
CHECK(gm_gobuf, g, GOBUF_G);
CHECK(gm_gobuf, lr, GOBUF_LR);
CHECK(gm_gobuf, ctxt, GOBUF_CTXT);
CHECK(gm_gobuf, bp, GOBUF_BP);
_Static_assert(sizeof(struct gm_gobuf) == GOBUF_WORDS * GM_PTR, "gobuf size");

CHECK(gm_g, stack_lo, G_STACK_LO);
CHECK(gm_g, stack_hi, G_STACK_HI);
CHECK(gm_g, stackguard, G_STACKGUARD);
CHECK(gm_g, sched, G_SCHED);
CHECK(gm_g, m, G_M);
CHECK(gm_g, goid, G_GOID);
CHECK(gm_g, status, G_STATUS);
CHECK(gm_g, magic, G_MAGIC);

CHECK(gm_m, g0, M_G0);
CHECK(gm_m, curg, M_CURG);
CHECK(gm_m, gsignal, M_GSIGNAL);
CHECK(gm_m, id, M_ID);
CHECK(gm_m, ncgocall, M_NCGOCALL);

CHECK(gm_tlsslot, g, TLS_G);
CHECK(gm_tlsslot, m, TLS_M);
_Static_assert(sizeof(void *) == GM_PTR, "pointer size");
