/*
 * tls_so_gd.c — built into libgmtls-gd.so with the traditional TLS dialect: the slot is
 * reached global-dynamic, through __tls_get_addr (R_*_DTPMOD / DTPOFF relocations).
 */
#include "gm.h"

extern __thread struct gm_tlsslot gm_tls_gd __asm__("gm_tls")
	__attribute__((tls_model("global-dynamic")));

struct gm_tlsslot *gm_slot_gd(void)
{
	return &gm_tls_gd;
}
