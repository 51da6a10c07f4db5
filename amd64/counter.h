/*
 * amd64/counter.h — the x86-64 port's counter reads and add chain.
 */
#ifndef GM_PORT_COUNTER_H
#define GM_PORT_COUNTER_H
#include <stdint.h>

/* rdtsc is not ordered with earlier instructions; lfence before it makes the read wait
 * for them (Intel SDM: "LFENCE; RDTSC"), so a batch's last op is inside the interval. */
static inline uint64_t gm_port_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}
#define GM_PORT_HAS_TSC 1

/* rdpmc of the counter the perf mmap page names (index - 1): user-space reads of a
 * perf event where the kernel allows it (cap_user_rdpmc). */
static inline uint64_t gm_port_rdpmc(uint32_t counter)
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter) : "memory");
	return ((uint64_t)hi << 32) | lo;
}
#define GM_PORT_HAS_RDPMC 1

/* eight dependent adds */
#define GM_PORT_ADD8(x) __asm__ volatile( \
	"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t" \
	"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x))

#endif
