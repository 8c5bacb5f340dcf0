/*
 * The emit context behind backend.h, and the writer that puts a run's
 * outputs in place.  Internal to cpolc; backends see only backend.h.
 */
#ifndef CPOLC_EMIT_H
#define CPOLC_EMIT_H

#include <stdbool.h>
#include <stdint.h>
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
	/* Hashes of the fidelity notes given, to give each once. */
	uint64_t *seen;
	size_t nseen, seen_cap;
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

/*
 * The up-to-date check: compare the outputs with what dir holds, writing
 * nothing.  Prints one line per output that is missing or differs, and
 * per file in dir that looks like an output of these targets (the same
 * suffix) but that no policy produced any more.  Returns the number of
 * lines printed, or -1 after an I/O error.
 */
long cp_check_outputs(const char *dir, const struct cp_emit *e, FILE *report);

/*
 * A make(1) rule naming every source read as a prerequisite of every
 * output in dir, plus an empty rule per source (so that a deleted
 * include does not stop make), written all or nothing like the outputs.
 */
struct cp_sources;
bool cp_write_depfile(const char *path, const char *dir,
		      const struct cp_emit *e, const struct cp_sources *srcs);

#endif
