/* gopeers.c — C functions the Go peer benchmarks call through cgo. */
#include <pthread.h>

#include "gopeers.h"
#include "_cgo_export.h"

void gp_empty(void)
{
	__asm__ volatile("" ::: "memory");
}

void gp_callback(void)
{
	gpGoEmpty();
}

/* A thread Go did not create, calling back into Go n times: each callback borrows an
 * extra M (needm) and gives it back (dropm), as Go 1.19 does on every such callback. */
static void *cthread_main(void *arg)
{
	long n = *(long *)arg;
	for (long i = 0; i < n; i++)
		gpGoEmpty();
	return NULL;
}

int gp_cthread_callbacks(long n)
{
	pthread_t t;
	int e = pthread_create(&t, NULL, cthread_main, &n);
	if (e)
		return e;
	return pthread_join(t, NULL);
}
