/* Text helpers shared by the stages: UTF-8, suggestions, hashing. */
#ifndef CPOLC_TEXT_H
#define CPOLC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Check that s[0..len) is UTF-8 as RFC 3629 defines it (no overlong
 * forms, no surrogates, nothing past U+10FFFF).  On failure returns
 * false and sets *bad to the offset of the first offending byte.
 */
bool cp_utf8_valid(const char *s, size_t len, size_t *bad);

/* The number of UTF-8 code points in s[0..len). */
size_t cp_utf8_count(const char *s, size_t len);

/* True when s holds a control character (C0, DEL or C1). */
bool cp_has_control(const char *s);

/* A copy of s with each control character and each byte of invalid
 * UTF-8 replaced by '?', for text that did not pass the checks (file
 * names from the command line). */
char *cp_text_printable(const char *s);

/* Append s (NULL as "") as a JSON string: quotes, backslashes and
 * control characters escaped. */
struct cp_buf;
void cp_json_str(struct cp_buf *b, const char *s);

/* Sizes as the language writes them: the largest of G, M, K that
 * divides exactly ("256M"), else bytes. */
void cp_text_size(char out[32], uint64_t bytes);
/* The same with lower-case units, as Docker and mount options take. */
void cp_text_size_lower(char out[32], uint64_t bytes);
/* A count of 1e-9 units as a minimal decimal: 1500000000 -> "1.5". */
void cp_text_nanos(char out[32], uint64_t nanos);

/*
 * The candidate nearest to word by edit distance (adjacent swaps count
 * as one edit), or NULL when none is close: one edit for words of up
 * to four characters, else a quarter of the word's length, plus one.
 */
const char *cp_text_nearest(const char *word, const char *const *cands,
			    size_t n);

/* SHA-256, incrementally. */
struct cp_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char blk[64];
	size_t nblk;
};

void cp_sha256_init(struct cp_sha256 *c);
void cp_sha256_update(struct cp_sha256 *c, const void *data, size_t n);
/* Finish and write 64 lower-case hex digits and a NUL to hex. */
void cp_sha256_hex(struct cp_sha256 *c, char hex[65]);

#endif
