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

/* Eight adds on four independent chains (two each). */
#define GM_PORT_ADD8_INDEP(a, b, c, d) __asm__ volatile( \
	"add $1, %0\n\tadd $1, %1\n\tadd $1, %2\n\tadd $1, %3\n\t" \
	"add $1, %0\n\tadd $1, %1\n\tadd $1, %2\n\tadd $1, %3" : "+r"(a), "+r"(b), "+r"(c), "+r"(d))

/* iters x {8 dependent adds; dec; jnz}: exactly GM_PORT_LOOP_INSNS instructions per
 * iteration, so retired instructions per op have a known answer. */
#define GM_PORT_LOOP_INSNS 10
static inline uint64_t gm_port_addloop(uint64_t x, uint64_t iters)
{
	if (!iters)
		return x;
	__asm__ volatile("1:\n\t"
		"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
		"add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
		"dec %1\n\tjnz 1b" : "+r"(x), "+r"(iters) : : "cc");
	return x;
}

/* The store-bypass canary, n iterations.  x (rax-like, loop-carried) stays 0:
 *   t = x * 1 * 1 * 1 & 0       three imuls: the store's address resolves late
 *   store t -> buf[1 + t]       (line 0 of buf)
 *   x += buf[32]                an independent load (line 4), on the loop-carried path
 * A load that may bypass the older store runs at once: the loop costs the add chain.
 * With speculative store bypass disabled it waits for the store's address: ~4x. */
static inline uint64_t gm_port_ssb_loop(uint64_t *buf, uint64_t n)
{
	uint64_t x = 0, t;
	__asm__ volatile("1:\n\t"
		"mov %[x], %[t]\n\t"
		"imul $1, %[t], %[t]\n\timul $1, %[t], %[t]\n\timul $1, %[t], %[t]\n\t"
		"and $0, %[t]\n\t"
		"mov %[t], 8(%[b],%[t],8)\n\t"
		"add 256(%[b]), %[x]\n\t"
		"dec %[n]\n\tjnz 1b"
		: [x] "+r"(x), [n] "+r"(n), [t] "=&r"(t) : [b] "r"(buf) : "memory", "cc");
	return x;
}

#endif
