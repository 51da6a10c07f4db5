/* gopl.c — markers and the C functions of gopl.
 *
 * gopl_begin/gopl_end bracket a measured region.  Under QEMU the exec trace names them;
 * on x86-64 under callgrind they also issue client requests (zero the counts and start
 * collecting on this thread / stop and dump), which are no-ops when not under valgrind. */
#include "gopl.h"
#include "_cgo_export.h"

#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define GOPL_CALLGRIND 1
#endif
#endif

__attribute__((noinline)) void gopl_begin(void)
{
#ifdef GOPL_CALLGRIND
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("gopl_begin");	/* zeroes: the region starts here */
#endif
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void gopl_end(void)
{
#ifdef GOPL_CALLGRIND
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT("gopl_region");
#endif
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void gopl_empty(void)
{
	__asm__ volatile("" ::: "memory");
}

void gopl_callback_loop(long n)
{
	for (long i = 0; i < n; i++)
		goplCallback();
}

void gopl_callback_once(void)
{
	goplCallback();
}
