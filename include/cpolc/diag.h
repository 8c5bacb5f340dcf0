/*
 * Diagnostics.  Every stage records messages here instead of printing;
 * main() prints the queue once, in the order recorded, in GNU form:
 *
 *   file:line:col: error: message
 *       source line
 *       ^~~~
 *
 * A note records extra information about the message before it (a
 * previous definition, an include chain).
 */
#ifndef CPOLC_DIAG_H
#define CPOLC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "cpolc/loc.h"

enum cp_severity {
	CP_SEV_NOTE,
	CP_SEV_WARNING,
	CP_SEV_ERROR,
};

/* Stop recording errors after this many: the rest are likely knock-on. */
#define CP_MAX_ERRORS 20

struct cp_diag {
	enum cp_severity sev;
	bool verbose_only; /* a fidelity note, printed only under -v */
	struct cp_loc loc;
	char *msg;
};

struct cp_diags {
	struct cp_diag *items;
	size_t n, cap;
	unsigned nerrors; /* counting warnings promoted by werror */
	unsigned nwarnings;
	bool werror;	  /* -Werror: warnings count as errors */
	bool quiet_notes; /* drop the notes only -v prints, unformatted */
	bool truncated;	  /* errors were dropped past CP_MAX_ERRORS */
	bool dropping;	  /* the last error was dropped: drop its notes */
	/* The messages' text, in blocks that never move: thousands of
	 * messages kept to the end cost a few allocations, not one each
	 * spread over the heap. */
	char **blocks;
	size_t nblocks, blocks_cap;
	char *next; /* free room in the last block */
	size_t room;
};

void cp_diags_init(struct cp_diags *d);
void cp_diags_free(struct cp_diags *d);

void cp_diag_add(struct cp_diags *d, enum cp_severity sev,
		 const struct cp_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cp_diag_vadd(struct cp_diags *d, enum cp_severity sev, bool verbose_only,
		  const struct cp_loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

#define cp_error(d, loc, ...) cp_diag_add((d), CP_SEV_ERROR, (loc), __VA_ARGS__)
#define cp_warning(d, loc, ...) \
	cp_diag_add((d), CP_SEV_WARNING, (loc), __VA_ARGS__)
#define cp_note(d, loc, ...) cp_diag_add((d), CP_SEV_NOTE, (loc), __VA_ARGS__)

/*
 * Copy every message of src to the end of dst, as if recorded there
 * (the error cap applies), leaving out those keep() refuses.  For
 * messages recorded apart, by a worker thread: the copies are made,
 * and src is left to be freed, by the thread that calls this.
 */
void cp_diags_take(struct cp_diags *dst, const struct cp_diags *src,
		   bool (*keep)(const struct cp_diag *, void *), void *arg);

/* True once an error (or, under werror, a warning) was recorded. */
bool cp_diags_failed(const struct cp_diags *d);

/*
 * Print every message to f.  verbose adds the fidelity notes; quiet
 * leaves out warnings and notes that are not attached to an error.
 */
void cp_diags_print(const struct cp_diags *d, FILE *f, bool verbose,
		    bool quiet);

#endif
