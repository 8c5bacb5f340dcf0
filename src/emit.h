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

/* A set of (place, message) pairs, kept as hashes. */
struct cp_seen {
	uint64_t *slots;
	size_t n, cap;
};

/* Add what loc says; true when it was there already. */
bool cp_seen_add(struct cp_seen *s, const struct cp_loc *loc, const char *msg);
void cp_seen_clear(struct cp_seen *s);
void cp_seen_free(struct cp_seen *s);

struct cp_emit {
	struct cp_diags *diags;
	struct cp_output *outs;
	size_t n, cap;
	bool failed;
	/* The fidelity notes given, to give each once. */
	struct cp_seen seen;
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
 * (When dir does not exist yet, they are written to a directory beside
 * it that becomes dir with one rename.)
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
	/*
	 * When dir did not exist: the directory beside it that the
	 * outputs are written to under their own names, renamed to dir
	 * as a whole at commit (one rename instead of one per output).
	 */
	char *stage;
	/*
	 * Every output: its name, as an offset into one pool of strings
	 * (tens of thousands of small allocations kept to the end would
	 * spread over the heap of every thread), and the number in the
	 * name of its temporary (CP_NO_TEMP for none, or once renamed).
	 */
	struct cp_buf pool;
	size_t *name_at;
	unsigned long *serial;
	size_t n, names_cap, serials_cap;
	char **suffixes; /* of the outputs seen, for stale files */
	size_t nsuffixes, suffixes_cap;
};

bool cp_writer_open(struct cp_writer *w, const char *dir, bool compare,
		    FILE *report);
#define CP_NO_TEMP ((unsigned long)-1)

/*
 * Write one output to its temporary (*serial names it), or with
 * compare set, append what differs to report and count it in *problems.
 * Only reads w: threads may call it at once.  False after a write error
 * (printed).
 */
bool cp_writer_put(const struct cp_writer *w, const struct cp_output *o,
		   unsigned long *serial, struct cp_buf *report,
		   long *problems);
/* Remember an output put: a copy of its name, and its temporary. */
void cp_writer_keep(struct cp_writer *w, const char *name,
		    unsigned long serial);
/* Put everything in place (or report stale files); false on failure. */
bool cp_writer_commit(struct cp_writer *w, bool verbose, FILE *log);
/* Remove what a failed or unfinished run left; free the writer. */
void cp_writer_close(struct cp_writer *w);

/*
 * Replace path's contents with data[0..len), all or nothing: a temporary
 * beside it, renamed over it.  With mode >= 0 the file gets that mode,
 * else the one new files get.  False with errno set on failure, and
 * path is left as it was.
 */
bool cp_replace_file(const char *path, const char *data, size_t len, int mode);

/*
 * A make(1) rule naming every source read as a prerequisite of every
 * output the writer put in place, plus an empty rule per source (so
 * that a deleted include does not stop make), written all or nothing.
 */
struct cp_sources;
bool cp_write_depfile(const char *path, const struct cp_writer *w,
		      const struct cp_sources *srcs);

#endif
