/*
 * arm/arm64/counter.h — the AArch64 port's counter reads and add chain.
 */
#ifndef GM_PORT_COUNTER_H
#define GM_PORT_COUNTER_H
#include <stdint.h>

/* The generic timer's virtual count.  isb first: mrs of the counter may be executed
 * early, before the ops being timed (Arm ARM: reads are not ordered without it). */
static inline uint64_t gm_port_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}
static inline uint64_t gm_port_cntfrq(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
#define GM_PORT_HAS_CNTVCT 1

/* A PMU counter read from EL0, as the perf mmap page allows with perf_user_access=1
 * (Linux 5.17+) and config1 bit 1: counter 31 is the cycle counter, others are event
 * counters selected through PMSELR_EL0. */
static inline uint64_t gm_port_rdpmc(uint32_t counter)
{
	uint64_t v;
	if (counter == 31) {
		__asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v) : : "memory");
	} else {
		__asm__ volatile("msr pmselr_el0, %1\n\tisb\n\tmrs %0, pmxevcntr_el0"
				 : "=r"(v) : "r"((uint64_t)counter) : "memory");
	}
	return v;
}
#define GM_PORT_HAS_RDPMC 1

#define GM_PORT_ADD8(x) __asm__ volatile( \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t" \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1" : "+r"(x))

#endif
