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

/* A PMU counter read from user space, as the perf mmap page allows (cap_user_rdpmc):
 * a 32-bit program on an arm64 kernel with perf_user_access=1 and an event opened with
 * config1 bit 1, where the kernel sets PMUSERENR.{ER,CR}.  Counter 31 is the cycle
 * counter (PMCCNTR, low 32 bits: the mmap page's pmc_width says how many count);
 * others are selected through PMSELR and read from PMXEVCNTR.  A 32-bit ARM kernel
 * never offers it (the probe in core/counter.c then uses read(2)). */
static inline uint64_t gm_port_rdpmc(uint32_t counter)
{
	uint32_t v;
	if (counter == 31)
		__asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
	else
		__asm__ volatile("mcr p15, 0, %1, c9, c12, 5\n\tisb\n\tmrc p15, 0, %0, c9, c13, 2"
				 : "=r"(v) : "r"(counter) : "memory");
	return v;
}
#define GM_PORT_HAS_RDPMC 1

#include "../adds.h"	/* GM_PORT_ADD8, GM_PORT_ADD8_INDEP */

/* iters x {8 dependent adds; subs; bne}: exactly GM_PORT_LOOP_INSNS instructions. */
#define GM_PORT_LOOP_INSNS 10
static inline uint64_t gm_port_addloop(uint64_t x64, uint64_t iters64)
{
	uint32_t x = (uint32_t)x64, iters = (uint32_t)iters64;
	if (!iters)
		return x;
	__asm__ volatile("1:\n\t" GM_ARM_ADD8_TEXT "\n\t"
		"subs %1, %1, #1\n\tbne 1b" : "+r"(x), "+r"(iters) : : "cc");
	return x;
}

/* The store-bypass canary (see amd64/counter.h): x stays 0; three muls make the
 * store's address late; the load of buf[64] (byte 256) is independent and feeds x. */
static inline uint64_t gm_port_ssb_loop(uint64_t *buf64, uint64_t n64)
{
	uint32_t x = 0, t, v, n = (uint32_t)n64;
	uint32_t *buf = (uint32_t *)buf64;
	__asm__ volatile("1:\n\t"
		"mul %[t], %[x], %[one]\n\tmul %[t], %[t], %[one]\n\tmul %[t], %[t], %[one]\n\t"
		"lsr %[t], %[t], #31\n\t"
		"str %[t], [%[b], %[t], lsl #2]\n\t"
		"ldr %[v], [%[b], #256]\n\t"
		"add %[x], %[x], %[v]\n\t"
		"subs %[n], %[n], #1\n\tbne 1b"
		: [x] "+r"(x), [n] "+r"(n), [t] "=&r"(t), [v] "=&r"(v)
		: [b] "r"(buf), [one] "r"(1u) : "memory", "cc");
	return x;
}

#endif
