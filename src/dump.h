/* --dump: the resolved model of each policy, as policy text. */
#ifndef CPOLC_DUMP_H
#define CPOLC_DUMP_H

#include "cpolc/buf.h"
#include "cpolc/policy.h"

/*
 * Write p as one `policy` block in canonical form: one statement a line,
 * in model order, every default spelled out where the language has a
 * word for it.  The text compiles back to the same model.
 */
void cp_dump_policy(struct cp_buf *b, const struct cp_policy *p);

/* Write path as the language reads it: bare when it can be, else as a
 * quoted string with '"' and '\' escaped. */
void cp_dump_path(struct cp_buf *b, const char *path);

#endif
