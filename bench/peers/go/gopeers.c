/* gopeers.c — C functions the Go peer benchmarks call through cgo. */
#include "gopeers.h"
#include "_cgo_export.h"

void gp_empty(void)
{
	__asm__ volatile("" ::: "memory");
}

void gp_callback(void)
{
	gpGoEmpty();
}
