/* marks.h — region markers of the path-length driver (bench/side/gcc_marks.c, C side). */
#ifndef GM_PL_MARKS_H
#define GM_PL_MARKS_H
void gm_pl_begin(void);
void gm_pl_end(void);
int gm_pl_have_callgrind(void);
#endif
