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

#include "../adds.h"	/* GM_PORT_ADD8, GM_PORT_ADD8_INDEP */

/* iters x {8 dependent adds; subs; b.ne}: exactly GM_PORT_LOOP_INSNS instructions. */
#define GM_PORT_LOOP_INSNS 10
static inline uint64_t gm_port_addloop(uint64_t x, uint64_t iters)
{
	if (!iters)
		return x;
	__asm__ volatile("1:\n\t" GM_ARM_ADD8_TEXT "\n\t"
		"subs %1, %1, #1\n\tb.ne 1b" : "+r"(x), "+r"(iters) : : "cc");
	return x;
}

/* The store-bypass canary (see amd64/counter.h): x stays 0; three muls make the
 * store's address late; the load of buf[32] is independent of it and feeds x. */
static inline uint64_t gm_port_ssb_loop(uint64_t *buf, uint64_t n)
{
	uint64_t x = 0, t, v;
	__asm__ volatile("1:\n\t"
		"mul %[t], %[x], %[one]\n\tmul %[t], %[t], %[one]\n\tmul %[t], %[t], %[one]\n\t"
		"lsr %[t], %[t], #63\n\t"
		"str %[t], [%[b], %[t], lsl #3]\n\t"
		"ldr %[v], [%[b], #256]\n\t"
		"add %[x], %[x], %[v]\n\t"
		"subs %[n], %[n], #1\n\tb.ne 1b"
		: [x] "+r"(x), [n] "+r"(n), [t] "=&r"(t), [v] "=&r"(v)
		: [b] "r"(buf), [one] "r"((uint64_t)1) : "memory", "cc");
	return x;
}

#endif
