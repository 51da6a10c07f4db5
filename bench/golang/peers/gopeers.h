/* gopeers.h — the C half of the Go peer benchmarks (bench/golang/peers). */
#ifndef GOPEERS_H
#define GOPEERS_H
void gp_empty(void);        /* the cgo call target: does nothing */
void gp_callback(void);     /* calls back into Go once (gpGoEmpty) */
int gp_cthread_callbacks(long n); /* n callbacks from a new C thread; 0 or an errno */
#endif
