/* Allocation wrappers: out of memory is fatal, with a message. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/buf.h"
#include "cpolc/util.h"

static _Noreturn void
out_of_memory(void)
{
	fputs("cpolc: out of memory\n", stderr);
	exit(2);
}

void *
cp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
cp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void
cp_xgrow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t ncap;
	void *np;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			out_of_memory();
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		out_of_memory();
	np = realloc(*p, ncap * size);
	if (np == NULL)
		out_of_memory();
	*p = np;
	*cap = ncap;
}

char *
cp_xstrndup(const char *s, size_t n)
{
	char *p = cp_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
cp_xstrdup(const char *s)
{
	return cp_xstrndup(s, strlen(s));
}

void
cp_qsort(void *base, size_t n, size_t size,
	 int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

char *
cp_xasprintf(const char *fmt, ...)
{
	struct cp_buf b = CP_BUF_INIT;
	char *p;
	va_list ap;

	/* Room for the usual result at once, then trimmed to size: the
	 * strings made here are small and many of them are kept. */
	cp_xgrow(&b.data, &b.cap, 128, 1);
	va_start(ap, fmt);
	cp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p = realloc(b.data, b.len + 1);
	return p != NULL ? p : b.data;
}

void
cp_assert_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "cpolc: internal error: %s:%d: assertion '%s' failed\n",
		file, line, what);
	abort();
}
