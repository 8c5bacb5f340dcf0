/*
 * What the container runtime targets share: the docker flags and the
 * compose service spell tmpfs options and published ports alike, and
 * must keep doing so (tests/compose.sh compares them).
 */
#ifndef CPOLC_BACKENDS_RUNTIME_H
#define CPOLC_BACKENDS_RUNTIME_H

#include "cpolc/buf.h"
#include "cpolc/policy.h"

/* "PATH:rw[,noexec],nosuid,nodev[,size=S],mode=M", as --tmpfs takes it. */
void cp_rt_tmpfs(struct cp_buf *b, const struct cp_mount *m);

/* "[ADDR:]HOST:PORT/PROTO", as --publish takes it. */
void cp_rt_publish(struct cp_buf *b, const struct cp_publish *pub);

#endif
