/*
 * What the scanner and the parser share.  Internal to the front end:
 * the rest of cpolc calls cp_parse_source() only.
 */
#ifndef CPOLC_PARSE_H
#define CPOLC_PARSE_H

#include "cpolc/ast.h"
#include "cpolc/diag.h"
#include "cpolc/loc.h"

struct cp_parse {
	struct cp_diags *diags;
	const struct cp_source *src;
	struct ast_file *file;
	/* Circular tails of file->includes and file->decls while parsing. */
	struct ast_include *inc_tail;
	struct ast_decl *decl_tail;
	/* Where the next character is. */
	unsigned line, col;
	/* The last token returned, and the one before it. */
	struct cp_loc cur, prev;
	/* Bytes: where the last token starts, and how far the scanner has
	 * read; for cpolc fmt, which reprints tokens as written. */
	size_t tok_byte, byte;
	/* cpolc fmt: return comments as COMMENT tokens. */
	bool keep_comments;
};

/* --debug: trace the scanner's tokens and the parser's steps on stderr. */
enum cp_parse_debug {
	CP_DEBUG_SCANNER = 1,
	CP_DEBUG_PARSER = 2,
};
extern unsigned cp_parse_debug;

/*
 * Parse one source into a syntax tree.  Diagnostics go to d.  Returns
 * the tree (possibly partial after errors: the caller checks d); never
 * NULL.
 */
struct ast_file *cp_parse_source(const struct cp_source *src,
				 struct cp_diags *d);

/* One token as written, for cpolc fmt. */
struct cp_token {
	int kind; /* the parser's token number, or '{' and the like */
	bool comment;
	size_t byte, len; /* the text in the source */
	struct cp_loc loc;
};

/*
 * Every token of a source that parsed cleanly, comments included, in
 * order.  The caller frees *toks.
 */
void cp_lex_tokens(const struct cp_source *src, struct cp_diags *d,
		   struct cp_token **toks, size_t *n);

#endif
