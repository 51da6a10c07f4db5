/*
 * arm/adds.h — the add chains of the counter's known-answer tests, the same text in A32
 * and A64 (add Rd, Rd, #1): included by arm/arm32/counter.h and arm/arm64/counter.h.
 */
#ifndef GM_ARM_ADDS_H
#define GM_ARM_ADDS_H

/* Eight dependent adds on %0. */
#define GM_ARM_ADD8_TEXT \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\t" \
	"add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1"

#define GM_PORT_ADD8(x) __asm__ volatile(GM_ARM_ADD8_TEXT : "+r"(x))

/* Eight adds on four independent chains (two each). */
#define GM_PORT_ADD8_INDEP(a, b, c, d) __asm__ volatile( \
	"add %0, %0, #1\n\tadd %1, %1, #1\n\tadd %2, %2, #1\n\tadd %3, %3, #1\n\t" \
	"add %0, %0, #1\n\tadd %1, %1, #1\n\tadd %2, %2, #1\n\tadd %3, %3, #1" \
	: "+r"(a), "+r"(b), "+r"(c), "+r"(d))

#endif
