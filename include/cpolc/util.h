/*
 * Allocation wrappers and small helpers.  Running out of memory is the
 * one fatal error: the wrappers print a message and exit with status 2.
 * Everything else is freed on every path, so that sanitizer and valgrind
 * runs stay clean.
 */
#ifndef CPOLC_UTIL_H
#define CPOLC_UTIL_H

#include <stddef.h>

void *cp_xmalloc(size_t n);
void *cp_xcalloc(size_t n, size_t size);
/* Grow *p to hold at least need elements of size each; *cap tracks it. */
void cp_xgrow(void *pp, size_t *cap, size_t need, size_t size);
char *cp_xstrdup(const char *s);
char *cp_xstrndup(const char *s, size_t n);
/* qsort(3) that takes an empty or one-element array as it is: qsort
 * may not be handed a NULL base, even with nothing to sort. */
void cp_qsort(void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));
char *cp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Internal invariants: a failure is a bug in cpolc, never a policy error. */
#define CP_ASSERT(cond) \
	((cond) ? (void)0 : cp_assert_fail(#cond, __FILE__, __LINE__))
_Noreturn void cp_assert_fail(const char *what, const char *file, int line);

#define CP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
