/*
 * The emit context behind backend.h, and the writer that puts a run's
 * outputs in place.  Internal to cpolc; backends see only backend.h.
 */
#ifndef CPOLC_EMIT_H
#define CPOLC_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "cpolc/diag.h"

struct cp_output {
	char *name; /* file name within the output directory */
	struct cp_buf text;
};

struct cp_emit {
	struct cp_diags *diags;
	struct cp_output *outs;
	size_t n, cap;
	bool failed;
};

void cp_emit_init(struct cp_emit *e, struct cp_diags *d);
void cp_emit_free(struct cp_emit *e);

/* Run one backend over one policy; false after an error. */
bool cp_emit_run(struct cp_emit *e, const struct cp_backend *be,
		 const struct cp_policy *p);

/*
 * Write every output into dir, all or nothing: each goes to a temporary
 * file in dir first, and only when all are written are they renamed
 * into place.  dir (and its parents) are created when missing, and
 * removed again if the run fails.  verbose prints each file written to
 * log.  Returns false after printing why to stderr.
 */
bool cp_write_outputs(const char *dir, const struct cp_emit *e, bool verbose,
		      FILE *log);

#endif
