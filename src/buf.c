/* Growable text buffers. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpolc/buf.h"
#include "cpolc/util.h"

/* Room for n more bytes and the NUL, growing by doubling. */
static inline void
reserve(struct cp_buf *b, size_t n)
{
	size_t need = b->len + n + 1;

	if (need <= b->cap)
		return;
	/* Text rarely stays under a few hundred bytes: skip the first
	 * doublings, each a realloc and a copy. */
	if (need < 256)
		need = 256;
	cp_xgrow(&b->data, &b->cap, need, 1);
}

void
cp_buf_reserve(struct cp_buf *b, size_t n)
{
	reserve(b, n);
}

int
cp_buf_read_fd(struct cp_buf *b, int fd, size_t limit)
{
	size_t start = b->len;

	for (;;) {
		ssize_t n;

		/* Read straight into the room, doubling it when full. */
		if (b->cap - b->len < 2)
			reserve(b, b->len < 4096 ? 4096 : b->len);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return 0;
		if (b->len - start + (size_t)n > limit)
			return EFBIG;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
}

static void
put_unsigned(struct cp_buf *b, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do
		digits[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	cp_buf_add(b, digits + i, sizeof(digits) - i);
}

static void
put_signed(struct cp_buf *b, long long v)
{
	if (v < 0) {
		cp_buf_putc(b, '-');
		put_unsigned(b, 0ull - (unsigned long long)v);
	} else {
		put_unsigned(b, (unsigned long long)v);
	}
}

/* What vsnprintf() makes of fmt, appended: for the conversions that the
 * fast path below leaves alone (widths, flags, hex). */
static void slow_vprintf(struct cp_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void
slow_vprintf(struct cp_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	size_t room;
	int n;

	/* Format straight into the spare room; only text that does not
	 * fit is formatted twice. */
	reserve(b, 63);
	room = b->cap - b->len;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	CP_ASSERT(n >= 0);
	if ((size_t)n >= room) {
		reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

/*
 * Backends write most of their text through here, so the common
 * conversions (%s %.*s %c %d %u %lu %llu %zu %%) are done by hand:
 * vsnprintf() costs several times as much per call.  The first
 * conversion of any other form hands the rest of the format, and the
 * arguments not yet taken, to vsnprintf().  The format attribute on the
 * declaration still has the compiler check every call.
 */
void
cp_buf_vprintf(struct cp_buf *b, const char *fmt, va_list ap)
{
	const char *p = fmt;

	for (;;) {
		const char *pct = strchr(p, '%');
		const char *s;

		if (pct == NULL) {
			cp_buf_puts(b, p);
			break;
		}
		cp_buf_add(b, p, (size_t)(pct - p));
		p = pct + 2;
		switch (pct[1]) {
		case 's':
			s = va_arg(ap, const char *);
			cp_buf_puts(b, s ? s : "(null)");
			continue;
		case 'c':
			cp_buf_putc(b, (char)va_arg(ap, int));
			continue;
		case 'd':
			put_signed(b, va_arg(ap, int));
			continue;
		case 'u':
			put_unsigned(b, va_arg(ap, unsigned));
			continue;
		case '%':
			cp_buf_putc(b, '%');
			continue;
		case 'l':
			if (pct[2] == 'u') {
				put_unsigned(b, va_arg(ap, unsigned long));
				p = pct + 3;
				continue;
			}
			if (pct[2] == 'l' && pct[3] == 'u') {
				put_unsigned(b, va_arg(ap, unsigned long long));
				p = pct + 4;
				continue;
			}
			break;
		case 'z':
			if (pct[2] == 'u') {
				put_unsigned(b, va_arg(ap, size_t));
				p = pct + 3;
				continue;
			}
			break;
		case '.':
			if (pct[2] == '*' && pct[3] == 's') {
				int prec = va_arg(ap, int);

				s = va_arg(ap, const char *);
				if (s == NULL)
					s = "(null)";
				cp_buf_add(b, s,
					   prec < 0 ? strlen(s)
						    : strnlen(s, (size_t)prec));
				p = pct + 4;
				continue;
			}
			break;
		default:
			break;
		}
		/* pct is the rest of the caller's format, which the
		 * attribute on cp_buf_vprintf() had the compiler check at
		 * the call: only the compiler cannot see that here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		slow_vprintf(b, pct, ap);
#pragma GCC diagnostic pop
		break;
	}
	/* An empty result still leaves a NUL-terminated buffer. */
	reserve(b, 0);
	b->data[b->len] = '\0';
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

	/* What is taken is usually kept (messages, names): no slack. */
	if (b->cap > b->len + 64) {
		char *trimmed = realloc(s, b->len + 1);

		if (trimmed != NULL)
			s = trimmed;
	}
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
