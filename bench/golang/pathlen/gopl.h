/* gopl.h — the C half of gopl (compiled as ordinary C by cgo). */
#ifndef GOPL_H
#define GOPL_H
void gopl_begin(void);
void gopl_end(void);
void gopl_empty(void);
void gopl_callback_loop(long n);
void gopl_callback_once(void);
#endif
