/*
 * gcc_peers.c — the C-side peers (see peers.h): context switches as C libraries do
 * them, and the floors.  Ordinary C: compiled without gmbench's reserved registers.
 *
 *   setjmp       _setjmp/_longjmp between two stacks.  The second stack is bootstrapped
 *                once with makecontext/swapcontext; from then on every switch is one
 *                _setjmp (save) and one _longjmp (restore), with no signal mask and no
 *                system call: the cheapest switch glibc offers.
 *   swapcontext  glibc swapcontext: saves and restores the signal mask (one
 *                rt_sigprocmask system call per switch) and the FP environment.
 *   plain floors an indirect call of an empty function; one load of a word.
 */
#define _GNU_SOURCE
/* _longjmp onto another stack is what this peer measures: glibc's fortified
 * longjmp_chk would reject it as an "uninitialized stack frame". */
#undef _FORTIFY_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "peers.h"

#define CPEER_STACK (64 * 1024)

void *cpeer_stack_alloc(size_t size, char *why, size_t whylen)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, size + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		       -1, 0);
	if (p == MAP_FAILED) {
		snprintf(why, whylen, "mmap of a %zu-byte stack failed: %s", size, strerror(errno));
		return NULL;
	}
	if (mprotect(p, pg, PROT_NONE) != 0) {
		snprintf(why, whylen, "mprotect of the guard page failed: %s", strerror(errno));
		munmap(p, size + pg);
		return NULL;
	}
	return p + pg;
}

void cpeer_stack_free(void *stack, size_t size)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	if (stack)
		munmap((char *)stack - pg, size + pg);
}

static struct cpeer_switch *sw_alloc(const char *name, size_t implsize, char *why, size_t whylen)
{
	struct cpeer_switch *s = calloc(1, sizeof *s);
	void *impl = calloc(1, implsize);
	if (!s || !impl) {
		snprintf(why, whylen, "out of memory");
		free(s);
		free(impl);
		return NULL;
	}
	s->name = name;
	s->impl = impl;
	s->stack_size = CPEER_STACK;
	s->stack = cpeer_stack_alloc(s->stack_size, why, whylen);
	if (!s->stack) {
		free(impl);
		free(s);
		return NULL;
	}
	return s;
}

static struct cpeer_switch *sw_fail(struct cpeer_switch *s)
{
	cpeer_stack_free(s->stack, s->stack_size);
	free(s->impl);
	free(s);
	return NULL;
}

/* The second context of a ucontext bootstrap finds its switch here: makecontext
 * passes only int arguments, so a pointer cannot travel portably through them.
 * Set just before the bootstrap swapcontext, read once by the new context. */
static struct cpeer_switch *boot_sw;

/* ---------------------------------------------------------------- setjmp */

struct sj {
	jmp_buf main_jb, co_jb;
	ucontext_t boot_main, boot_co;
};

static void sj_entry(void)
{
	struct cpeer_switch *const s = boot_sw;
	struct sj *const st = s->impl;
	s->co_frame = __builtin_frame_address(0);
	/* Park here, then leave the bootstrap: from now on only _setjmp/_longjmp. */
	if (_setjmp(st->co_jb) == 0)
		setcontext(&st->boot_main);
	for (;;) {
		s->co_count++;
		if (_setjmp(st->co_jb) == 0)
			_longjmp(st->main_jb, 1);
	}
}

struct cpeer_switch *cpeer_setjmp_new(char *why, size_t whylen)
{
	struct cpeer_switch *s = sw_alloc("setjmp", sizeof(struct sj), why, whylen);
	if (!s)
		return NULL;
	struct sj *st = s->impl;
	if (getcontext(&st->boot_co) != 0) {
		snprintf(why, whylen, "getcontext failed: %s", strerror(errno));
		return sw_fail(s);
	}
	st->boot_co.uc_stack.ss_sp = s->stack;
	st->boot_co.uc_stack.ss_size = s->stack_size;
	st->boot_co.uc_link = NULL;
	makecontext(&st->boot_co, sj_entry, 0);
	boot_sw = s;
	if (swapcontext(&st->boot_main, &st->boot_co) != 0) {
		snprintf(why, whylen, "swapcontext (bootstrap) failed: %s", strerror(errno));
		return sw_fail(s);
	}
	boot_sw = NULL;
	return s;
}

/* One switch to the second context and, when it switches back, return. */
static __attribute__((noinline)) void sj_switch(struct sj *st)
{
	if (_setjmp(st->main_jb) == 0)
		_longjmp(st->co_jb, 1);
}

int cpeer_setjmp_run(void *arg)
{
	struct cpeer_req *r = arg;
	struct cpeer_switch *s = r->sw;
	for (long i = 0; i < r->n; i += 2) {
		sj_switch(s->impl);
		s->main_count++;
	}
	return 0;
}

/* ---------------------------------------------------------------- swapcontext */

struct uc {
	ucontext_t main_uc, co_uc;
};

static void uc_entry(void)
{
	struct cpeer_switch *const s = boot_sw;
	struct uc *const st = s->impl;
	s->co_frame = __builtin_frame_address(0);
	for (;;) {
		swapcontext(&st->co_uc, &st->main_uc);
		s->co_count++;
	}
}

struct cpeer_switch *cpeer_swapcontext_new(char *why, size_t whylen)
{
	struct cpeer_switch *s = sw_alloc("swapcontext", sizeof(struct uc), why, whylen);
	if (!s)
		return NULL;
	struct uc *st = s->impl;
	if (getcontext(&st->co_uc) != 0) {
		snprintf(why, whylen, "getcontext failed: %s", strerror(errno));
		return sw_fail(s);
	}
	st->co_uc.uc_stack.ss_sp = s->stack;
	st->co_uc.uc_stack.ss_size = s->stack_size;
	st->co_uc.uc_link = NULL;
	makecontext(&st->co_uc, uc_entry, 0);
	boot_sw = s;
	/* bootstrap: the new context starts, parks in its first swapcontext */
	if (swapcontext(&st->main_uc, &st->co_uc) != 0) {
		snprintf(why, whylen, "swapcontext failed: %s", strerror(errno));
		return sw_fail(s);
	}
	boot_sw = NULL;
	return s;
}

int cpeer_swapcontext_run(void *arg)
{
	struct cpeer_req *r = arg;
	struct cpeer_switch *s = r->sw;
	struct uc *st = s->impl;
	for (long i = 0; i < r->n; i += 2) {
		swapcontext(&st->main_uc, &st->co_uc);
		s->main_count++;
	}
	return 0;
}

/* ---------------------------------------------------------------- floors */

int __attribute__((noinline)) cpeer_empty(void *arg)
{
	__asm__ volatile("" : : "r"(arg) : "memory");
	return 0;
}

int (*volatile cpeer_indirect_target)(void *) = cpeer_empty;

int cpeer_plain_indirect_run(void *arg)
{
	struct cpeer_req *r = arg;
	for (long i = 0; i < r->n; i++)
		cpeer_indirect_target(NULL);
	return 0;
}

/* The word a TLS read reads, without the TLS: a load from a static (L1 hit). */
static volatile unsigned long plain_word = 42;

int cpeer_plain_load_run(void *arg)
{
	struct cpeer_req *r = arg;
	for (long i = 0; i < r->n; i++) {
		unsigned long v = plain_word;
		__asm__ volatile("" : : "r"(v));
	}
	return 0;
}
