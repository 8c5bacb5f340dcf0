/*
 * A growable text buffer.  Every backend writes its output through one,
 * so that nothing reaches the disk before the whole run has succeeded.
 */
#ifndef CPOLC_BUF_H
#define CPOLC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct cp_buf {
	char *data; /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
};

#define CP_BUF_INIT        \
	{                  \
		NULL, 0, 0 \
	}

/* Make room for n more bytes at once, for text whose size is known. */
void cp_buf_reserve(struct cp_buf *b, size_t n);

/*
 * Append what can be read from fd up to its end.  Returns 0, an errno
 * value, or EFBIG once more than limit bytes came.  Reserve the size
 * first, when known, plus one: the read that finds the end needs room.
 */
int cp_buf_read_fd(struct cp_buf *b, int fd, size_t limit);

/*
 * Appending is inline: backends append many short pieces, and the call
 * cost more than the copy.  Only growing is out of line.
 */
static inline void
cp_buf_add(struct cp_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		cp_buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
cp_buf_puts(struct cp_buf *b, const char *s)
{
	cp_buf_add(b, s, strlen(s));
}

static inline void
cp_buf_putc(struct cp_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		cp_buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void cp_buf_printf(struct cp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cp_buf_vprintf(struct cp_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Give up the text: the caller frees it; the buffer is empty again. */
char *cp_buf_take(struct cp_buf *b);
void cp_buf_free(struct cp_buf *b);

#endif
