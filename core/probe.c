/*
 * probe.c — the probe ring pointer and edge names (see probe.h).  Present in every
 * build so tools can name edges; only a PROBES=1 build ever writes a ring.
 */
#include <stddef.h>

#include "probe.h"

__thread struct gm_probe_ring *gm_probe_ringp __attribute__((tls_model("local-exec")));

static const char *const names[PR_MAX] = {
	[PR_GO_CALL] = "go-call",
	[PR_GO_BACK] = "go-back",
	[PR_IN_C] = "in-c",
	[PR_IN_GO] = "in-go",
	[PR_C_CALL] = "c-call",
	[PR_C_BACK] = "c-back",
	[PR_IN_HANDLER] = "in-handler",
	[PR_ASMCGOCALL_ONG0] = "asmcgocall-on-g0",
	[PR_ASMCGOCALL_BACK] = "asmcgocall-c-returned",
	[PR_CROSSCALL2_GOTG] = "crosscall2-got-g",
	[PR_CGOCALLBACK_ONCURG] = "cgocallback-on-curg",
	[PR_CGOCALLBACK_BACKG0] = "cgocallback-back-on-g0",
	[PR_GOGO_JUMP] = "gogo-jump",
	[PR_MCALL_ONG0] = "mcall-on-g0",
	[PR_SIGTRAMP_GOTG] = "sigtramp-got-g",
};

const char *gm_probe_name(unsigned id)
{
	return id < PR_MAX && names[id] ? names[id] : "unknown";
}
