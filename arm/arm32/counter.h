/*
 * arm/arm32/counter.h — the ARMv7 port's counter reads and add chain.
 * Every one of these may raise SIGILL (no user access, no generic timer, QEMU):
 * core/counter.c probes them under gm_try_insn before use.
 */
#ifndef GM_PORT_COUNTER_H
#define GM_PORT_COUNTER_H
#include <stdint.h>

/* PMUSERENR: bit 0 set when the kernel lets user space read the PMU. */
static inline uint32_t gm_port_pmuserenr(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c9, c14, 0" : "=r"(v));
	return v;
}
/* PMCR: bit 3 (D) = PMCCNTR counts every 64th cycle. */
static inline uint32_t gm_port_pmcr(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(v));
	return v;
}
static inline uint64_t gm_port_pmccntr(void)
{
	uint32_t v;
	__asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
	return v;
}
/* The generic timer (Cortex-A7/A15 and later; Cortex-A8/A9 have none). */
static inline uint64_t gm_port_cntvct(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t gm_port_cntfrq(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}
#define GM_PORT_HAS_PMCCNTR 1
#define GM_PORT_HAS_CNTVCT 1

#define GM_PORT_ADD8(x) __asm__ volatile( \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t" \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1" : "+r"(x))

#endif
