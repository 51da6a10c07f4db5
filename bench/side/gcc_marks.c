/*
 * gcc_marks.c — the region markers of the path-length driver (C side, compiled normally).
 *
 * gm_pl_begin() and gm_pl_end() bracket one measured region.  Under QEMU the exec trace
 * names them (the counter starts at the first instruction of gm_pl_begin and stops at
 * the first of gm_pl_end).  On x86-64 under callgrind they also issue client requests:
 * start collecting on this thread and dump (which zeroes the counts: the region starts)
 * / stop collecting and dump the region.  Outside valgrind a client request is a handful of rotates that
 * do nothing, so the same binary runs natively.
 */
#include "marks.h"

#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define PL_CALLGRIND 1
#endif
#endif

int gm_pl_have_callgrind(void)
{
#ifdef PL_CALLGRIND
	return 1;
#else
	return 0;
#endif
}

__attribute__((noinline)) void gm_pl_begin(void)
{
#ifdef PL_CALLGRIND
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("gm_pl_begin");	/* zeroes: the region starts here */
#endif
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void gm_pl_end(void)
{
#ifdef PL_CALLGRIND
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("gm_pl_region");
#endif
	__asm__ volatile("" ::: "memory");
}
