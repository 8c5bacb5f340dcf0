/* UTF-8 checks, did-you-mean suggestions and SHA-256 (FIPS 180-4). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/buf.h"
#include "cpolc/text.h"
#include "cpolc/util.h"

bool
cp_utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			goto fail;
		}
		if (len - i <= n)
			goto fail;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += n + 1;
	}
	return true;
fail:
	*bad = i;
	return false;
}

size_t
cp_utf8_count(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

bool
cp_has_control(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f)
			return true;
		/* C1 controls are U+0080..U+009F: 0xc2 0x80..0x9f in UTF-8. */
		if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			return true;
	}
	return false;
}

/* Optimal string alignment distance; words here are short. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d = cp_xcalloc((la + 1) * (lb + 1), sizeof(*d));
	size_t r;

#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *
cp_text_nearest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t len = strlen(word);
	/* Short words are one typo away from too many others. */
	size_t limit = len <= 4 ? 1 : len / 4 + 1;

	/* Very long words are not typos of short names. */
	if (len > 64)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct cp_sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t s1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = h + s1 + ch + sha_k[i] + w[i];
		uint32_t s0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
		uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
		uint32_t t2 = s0 + maj;

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

void
cp_sha256_init(struct cp_sha256 *c)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, h0, sizeof(h0));
	c->len = 0;
	c->nblk = 0;
}

void
cp_sha256_update(struct cp_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	while (n > 0) {
		size_t k = 64 - c->nblk;

		if (k > n)
			k = n;
		memcpy(c->blk + c->nblk, p, k);
		c->nblk += k;
		p += k;
		n -= k;
		if (c->nblk == 64) {
			sha256_block(c, c->blk);
			c->nblk = 0;
		}
	}
}

void
cp_sha256_hex(struct cp_sha256 *c, char hex[65])
{
	uint64_t bits = c->len * 8;
	const unsigned char pad = 0x80;
	unsigned char len[8];

	static const unsigned char zeros[64];
	static const char digits[] = "0123456789abcdef";

	cp_sha256_update(c, &pad, 1);
	/* Zeros up to 56 bytes into a block, in one update. */
	cp_sha256_update(c, zeros, (56 + 64 - c->nblk) % 64);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	cp_sha256_update(c, len, 8);
	for (int i = 0; i < 8; i++)
		for (int k = 0; k < 8; k++)
			hex[8 * i + k] = digits[c->h[i] >> (28 - 4 * k) & 15];
	hex[64] = '\0';
}

void
cp_json_str(struct cp_buf *b, const char *s)
{
	cp_buf_putc(b, '"');
	for (; s != NULL && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			cp_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			cp_buf_printf(b, "\\u%04x", c);
		else
			cp_buf_putc(b, (char)c);
	}
	cp_buf_putc(b, '"');
}

char *
cp_text_printable(const char *s)
{
	char *out = cp_xstrdup(s);
	unsigned char *p = (unsigned char *)out;

	while (*p) {
		size_t n = 1, bad;

		while (p[n] != '\0' && (p[n] & 0xc0) == 0x80)
			n++;
		/* Invalid UTF-8 too: YAML and JSON carry none. */
		if (*p >= 0x80 && !cp_utf8_valid((const char *)p, n, &bad)) {
			for (size_t i = 0; i < n; i++)
				p[i] = '?';
		} else if (*p < 0x20 || *p == 0x7f ||
			   (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			for (size_t i = 0; i < n; i++)
				p[i] = '?';
		}
		p += n;
	}
	return out;
}

static void
size_text(char out[32], uint64_t bytes, const char *units)
{
	static const unsigned shifts[3] = {30, 20, 10};

	for (int i = 0; i < 3; i++) {
		uint64_t unit = (uint64_t)1 << shifts[i];

		if (bytes != 0 && bytes % unit == 0) {
			snprintf(out, 32, "%llu%c",
				 (unsigned long long)(bytes / unit), units[i]);
			return;
		}
	}
	snprintf(out, 32, "%llu", (unsigned long long)bytes);
}

void
cp_text_size(char out[32], uint64_t bytes)
{
	size_text(out, bytes, "GMK");
}

void
cp_text_size_lower(char out[32], uint64_t bytes)
{
	size_text(out, bytes, "gmk");
}

void
cp_text_nanos(char out[32], uint64_t nanos)
{
	uint64_t whole = nanos / 1000000000u, frac = nanos % 1000000000u;
	int digits = 9;

	if (frac == 0) {
		snprintf(out, 32, "%llu", (unsigned long long)whole);
		return;
	}
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	snprintf(out, 32, "%llu.%0*llu", (unsigned long long)whole, digits,
		 (unsigned long long)frac);
}
