/*
 * tls_so_ie.c — built into libgmtls-ie.so: the slot reached initial-exec (a GOT entry
 * holding the slot's offset from the thread pointer, filled by the dynamic linker).
 * In an executable the linker would relax this to local-exec; in a shared object it
 * stays initial-exec.
 */
#include "gm.h"

extern __thread struct gm_tlsslot gm_tls_ie __asm__("gm_tls")
	__attribute__((tls_model("initial-exec")));

struct gm_tlsslot *gm_slot_ie(void)
{
	return &gm_tls_ie;
}
