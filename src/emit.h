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
	/* cp_emit_shared(): what one policy's targets share. */
	const struct cp_policy *shared_policy;
	const void *shared_key;
	void *shared;
	void (*shared_drop)(void *);
};

void cp_emit_init(struct cp_emit *e, struct cp_diags *d);
void cp_emit_free(struct cp_emit *e);

/* Run one backend over one policy; false after an error. */
bool cp_emit_run(struct cp_emit *e, const struct cp_backend *be,
		 const struct cp_policy *p);

/* Drop the outputs held so far (the writer has taken them). */
void cp_emit_clear(struct cp_emit *e);

/*
 * The writer: a run's outputs reach dir all together or not at all.
 * Each policy's outputs go to temporary files in dir as soon as its
 * targets are done (so that memory does not grow with the number of
 * policies), and the temporaries are renamed into place only when every
 * policy and every target has succeeded.  dir and its parents are
 * created when missing, and removed again if the run fails.
 *
 * With compare set (--up-to-date), nothing is written: each output is
 * compared with the file of its name, and a line is printed to report
 * per output missing or different and, at commit, per file in dir that
 * looks like an output of these targets but that no policy produced.
 */
struct made {
	char **dirs; /* created by this run, innermost last */
	size_t n, cap;
};

struct cp_writer {
	const char *dir;
	bool compare;
	FILE *report;
	long problems; /* lines reported, with compare */
	bool ok;
	struct made made;
	char **names, **tmps; /* every output: its name, its temporary */
	size_t n, names_cap, tmps_cap;
	char **suffixes; /* of the outputs seen, for stale files */
	size_t nsuffixes, suffixes_cap;
};

bool cp_writer_open(struct cp_writer *w, const char *dir, bool compare,
		    FILE *report);
/* Write (or compare) the outputs e holds, and empty e. */
bool cp_writer_take(struct cp_writer *w, struct cp_emit *e);
/* Put everything in place (or report stale files); false on failure. */
bool cp_writer_commit(struct cp_writer *w, bool verbose, FILE *log);
/* Remove what a failed or unfinished run left; free the writer. */
void cp_writer_close(struct cp_writer *w);

/*
 * A make(1) rule naming every source read as a prerequisite of every
 * output the writer put in place, plus an empty rule per source (so
 * that a deleted include does not stop make), written all or nothing.
 */
struct cp_sources;
bool cp_write_depfile(const char *path, const struct cp_writer *w,
		      const struct cp_sources *srcs);

#endif
