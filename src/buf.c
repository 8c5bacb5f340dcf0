/* Growable text buffers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/buf.h"
#include "cpolc/util.h"

void
cp_buf_add(struct cp_buf *b, const char *s, size_t n)
{
	cp_xgrow(&b->data, &b->cap, b->len + n + 1, 1);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cp_buf_putc(struct cp_buf *b, char c)
{
	cp_buf_add(b, &c, 1);
}

void
cp_buf_puts(struct cp_buf *b, const char *s)
{
	cp_buf_add(b, s, strlen(s));
}

void
cp_buf_vprintf(struct cp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	/* Format straight into the spare room; only text that does not
	 * fit is formatted twice. */
	cp_xgrow(&b->data, &b->cap, b->len + 64, 1);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	CP_ASSERT(n >= 0);
	if ((size_t)n >= room) {
		cp_xgrow(&b->data, &b->cap, b->len + (size_t)n + 1, 1);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void
cp_buf_printf(struct cp_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
cp_buf_take(struct cp_buf *b)
{
	char *s = b->data ? b->data : cp_xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
cp_buf_free(struct cp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
