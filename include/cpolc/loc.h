/*
 * Source locations.  Every syntax-tree node and every model element
 * carries one, so that any message can point at the text behind it.
 */
#ifndef CPOLC_LOC_H
#define CPOLC_LOC_H

#include <stddef.h>

/*
 * One source file, read whole into memory.  Sources are owned by the
 * compilation (struct cp_sources) and outlive every tree, model and
 * diagnostic that points into them.
 */
struct cp_source {
	char *name; /* as the user or the include named it */
	char *text; /* NUL-terminated; the file holds no NUL itself */
	size_t len;
	size_t order; /* 0 for the first file read, and so on */
};

/*
 * A span of text: lines from 1, columns from 1 counted in characters
 * (UTF-8 code points), last_col inclusive.  src is NULL for locations
 * that have no text behind them (built-in defaults).
 */
struct cp_loc {
	const struct cp_source *src;
	unsigned first_line, first_col;
	unsigned last_line, last_col;
};

#endif
