/*
 * The front end as one call: read the named files and everything they
 * include, parse, resolve templates and `extends`, check, and hand back
 * the policy model.  Nothing here writes a file.
 */
#ifndef CPOLC_COMPILE_H
#define CPOLC_COMPILE_H

#include <stddef.h>

#include "cpolc/ast.h"
#include "cpolc/diag.h"
#include "cpolc/loc.h"
#include "cpolc/policy.h"

/* Documented limits, so that hostile input meets a message, not a crash. */
#define CP_MAX_SOURCE_BYTES  (16u << 20) /* one file */
#define CP_MAX_INCLUDE_DEPTH 64
#define CP_MAX_EXTENDS_DEPTH 256
#define CP_MAX_NAME_LEN	     64
#define CP_MAX_PATH_LEN	     4096

/* Every file read by one compilation, in the order read. */
struct cp_sources {
	struct cp_source **items;
	size_t n, cap;
};

void cp_sources_free(struct cp_sources *s);

enum cp_compile_status {
	CP_COMPILE_OK = 0,
	CP_COMPILE_ERRORS = 1, /* errors in a policy: see the diagnostics */
	CP_COMPILE_IO = 2,     /* a file named on the command line failed */
};

/*
 * Where the front end hands each checked policy, one at a time and in
 * a fixed order, as soon as it is resolved: a run over thousands of
 * policies need not hold them all.  take() owns the policy it is given
 * (it frees it with cp_policy_free_fields() or keeps the struct by
 * value).  A policy may be handed over while errors elsewhere are still
 * to be found: the caller decides at the end what the run produced.
 */
struct cp_policy_sink {
	void (*take)(struct cp_policy *p, void *arg);
	void *arg;
};

/* Threads a run may use, for reading and parsing or for the targets. */
#define CP_MAX_THREADS 64

/*
 * Compile the files named, handing each policy to sink.  With jobs > 1
 * the files named are read and parsed on that many threads; what comes
 * out, messages included, is the same for any jobs.
 */
enum cp_compile_status cp_compile_files_to(const char *const *files, size_t n,
					   struct cp_sources *srcs,
					   struct cp_diags *d,
					   const struct cp_policy_sink *sink,
					   unsigned jobs);

/*
 * Compile the files named.  On CP_COMPILE_OK, *set holds every policy
 * (the caller frees it with cp_policy_set_free()); otherwise it is empty.
 * srcs must outlive the diagnostics and the set, which point into it.
 */
enum cp_compile_status cp_compile_files(const char *const *files, size_t n,
					struct cp_sources *srcs,
					struct cp_diags *d,
					struct cp_policy_set *set);

/* The same for one policy text held in memory (fuzzing, tests); an
 * `include` in it is reported as unreadable. */
enum cp_compile_status cp_compile_buffer(const char *name, const char *text,
					 size_t len, struct cp_sources *srcs,
					 struct cp_diags *d,
					 struct cp_policy_set *set);

/*
 * Read and parse one file, following no include: for cpolc fmt, which
 * needs the syntax right but not what the includes bring.  The source is
 * srcs->items[0] on success.
 */
enum cp_compile_status cp_parse_file(const char *path, struct cp_sources *srcs,
				     struct cp_diags *d);

/*
 * The second half of the front end, in src/resolve.c: from the parsed
 * files (in the order read) to checked policies.  Returns false after
 * recording errors.  When reading or parsing already failed, each body
 * is still checked, so that one run reports as much as it can, but
 * nothing is merged: a declaration lost to a syntax error would only
 * cause knock-on errors there.  A file's tree may be freed on the way
 * (its slot in files is then NULL).
 */
bool cp_resolve(struct ast_file **files, size_t nfiles, struct cp_diags *d,
		const struct cp_policy_sink *sink);

#endif
