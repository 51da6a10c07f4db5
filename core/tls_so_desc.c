/*
 * tls_so_desc.c — built into libgmtls-desc.so with TLS descriptors (-mtls-dialect=gnu2 on
 * x86-64 and arm, =desc on arm64): the slot is reached through a descriptor whose
 * resolver the dynamic linker picks (R_*_TLSDESC relocations).
 */
#include "gm.h"

extern __thread struct gm_tlsslot gm_tls_desc __asm__("gm_tls")
	__attribute__((tls_model("global-dynamic")));

struct gm_tlsslot *gm_slot_desc(void)
{
	return &gm_tls_desc;
}
