/*
 * One compile run of the command line: the front end, the selected
 * targets over every policy, and the writer, as one call.
 */
#ifndef CPOLC_RUN_H
#define CPOLC_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "compile.h"
#include "cpolc/diag.h"

struct cp_run_opts {
	const bool *targets; /* by index in cp_backends */
	const char *outdir;  /* NULL: the current directory */
	const char *depfile;
	bool check, dump, verbose, up_to_date;
	unsigned jobs; /* worker threads; 0: one per online CPU */
};

/*
 * Compile the files and write (or compare, or only check) what the
 * targets make of them.  Messages go to d (the caller prints them).
 * Returns the exit status of main(): 0, 1 for errors in a policy (or,
 * with up_to_date, outputs that are not up to date), 2 for files that
 * cannot be read or written.
 */
int cp_run(const struct cp_run_opts *o, const char *const *files, size_t n,
	   struct cp_sources *srcs, struct cp_diags *d);

#endif
