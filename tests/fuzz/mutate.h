/*
 * mutate.h — what gm-fuzz.c and mutate.c share: the PRNG, a byte buffer, the mutations.
 */
#ifndef GM_FUZZ_MUTATE_H
#define GM_FUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* the PRNG (splitmix64): rs is its state, seeded per run */
extern uint64_t rs;
uint64_t rnd(void);
size_t below(size_t n);	/* 0 .. n-1 (0 for 0) */

struct buf { char *p; size_t n, cap; };
void reserve(struct buf *b, size_t n);
/* at AT, DEL bytes replaced by NINS bytes of INS */
void bsplice(struct buf *b, size_t at, size_t del, const char *ins, size_t nins);
int read_file(const char *path, struct buf *b);	/* -1 when it cannot be opened */
void write_file(const char *path, const char *p, size_t n);
/* one mutation of B; its description into WHAT */
void mutate(struct buf *b, char *what, size_t wlen);

/* gm-fuzz.c: a message and exit 2 */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
