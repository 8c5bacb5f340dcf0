/* --dump: the resolved model of each policy, as policy text. */
#ifndef CPOLC_DUMP_H
#define CPOLC_DUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "cpolc/buf.h"
#include "cpolc/policy.h"

/*
 * Write p as one `policy` block in canonical form: one statement a line,
 * in model order, every default spelled out where the language has a
 * word for it.  The text compiles back to the same model.
 */
void cp_dump_policy(struct cp_buf *b, const struct cp_policy *p);

/*
 * The statements of a resolved policy, one each, in dump order: what
 * --dump prints and what `cpolc diff` compares.  A capability is its
 * own "capability NAME".  A scalar (description, image, user, mode, a
 * limit, the mount at one target) has a key naming what it sets, and a
 * text that is the whole statement; for the others the key is the text.
 */
struct cp_stmt {
	char *key;
	char *text;
	bool scalar;
};

struct cp_stmts {
	struct cp_stmt *v;
	size_t n, cap;
};

void cp_policy_stmts(const struct cp_policy *p, struct cp_stmts *out);
void cp_stmts_free(struct cp_stmts *s);

/* Write path as the language reads it: bare when it can be, else as a
 * quoted string with '"' and '\' escaped. */
void cp_dump_path(struct cp_buf *b, const char *path);

#endif
