/*
 * The backend interface.  A backend is a pure function from one checked
 * policy model to text: it reads no file, looks at nothing on the host
 * and writes nothing to disk.  It opens its outputs through the emit
 * context, which keeps them in memory until the whole run has
 * succeeded; then the writer puts them all in place at once.
 *
 * Where a backend cannot express a statement exactly, it says so twice:
 * as a comment in its output, and as a fidelity note (shown under -v) at
 * the statement's location.  It never grants more or less in silence.
 */
#ifndef CPOLC_BACKEND_H
#define CPOLC_BACKEND_H

#include <stdbool.h>

#include "cpolc/buf.h"
#include "cpolc/loc.h"
#include "cpolc/policy.h"

struct cp_emit; /* opaque: the outputs and diagnostics of one run */

struct cp_backend {
	const char *name;    /* as -t names it: "docker" */
	const char *summary; /* one line for --help */
	/* Write every output of this target for p.  Returns 0, or -1 after
	 * recording at least one error with cp_emit_error(). */
	int (*emit)(const struct cp_policy *p, struct cp_emit *e);
};

/* Every backend, in the order -t lists them; NULL-terminated. */
extern const struct cp_backend *const cp_backends[];

/*
 * Start the output file "NAME.SUFFIX" for p (for example "web" and
 * "docker" give "web.docker").  The buffer belongs to the emit context.
 */
struct cp_buf *cp_emit_open(struct cp_emit *e, const struct cp_policy *p,
			    const char *suffix);

/*
 * The header every text output starts with: generator, version, source
 * file and its hash, and the description, each line led by prefix (for
 * example "# " or ";; ").  Text from the command line is made printable.
 */
void cp_emit_header(struct cp_buf *b, const struct cp_policy *p,
		    const char *prefix);

/*
 * Data that several targets build alike for one policy (the SELinux
 * module and its CIL twin share one rule list): the first call for p
 * builds it with make, later calls for the same p and key return it, and
 * drop frees it when the run moves on to the next policy.  key tells one
 * kind of shared data from another.
 */
void *cp_emit_shared(struct cp_emit *e, const struct cp_policy *p,
		     const void *key,
		     void *(*make)(const struct cp_policy *, struct cp_emit *),
		     void (*drop)(void *));

void cp_emit_error(struct cp_emit *e, const struct cp_loc *loc, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
void cp_emit_warning(struct cp_emit *e, const struct cp_loc *loc,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* More about the error or warning just recorded (another place). */
void cp_emit_note(struct cp_emit *e, const struct cp_loc *loc, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));
/* A fidelity note: what this target cannot express of the statement at
 * loc.  Shown under -v; the backend also writes it into its output. */
void cp_emit_fidelity(struct cp_emit *e, const struct cp_loc *loc,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
