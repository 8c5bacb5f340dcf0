/* Runs the scanner and the parser over one source. */
#include "config.h"

#include <stdlib.h>

#include "cpolc/util.h"
#include "parse.h"
#include "parser.h"
#include "lexer.h"

unsigned cp_parse_debug;

struct ast_file *
cp_parse_source(const struct cp_source *src, struct cp_diags *d)
{
	struct cp_parse pc = {0};
	yyscan_t scanner;
	YY_BUFFER_STATE buf;

	pc.diags = d;
	pc.src = src;
	pc.line = 1;
	pc.col = 1;
	pc.file = cp_xcalloc(1, sizeof(*pc.file));
	pc.file->src = src;
	if (yylex_init_extra(&pc, &scanner) != 0) {
		fputs("cpolc: out of memory\n", stderr);
		exit(2);
	}
	yyset_debug((cp_parse_debug & CP_DEBUG_SCANNER) != 0, scanner);
	/* Written only when it changes: threads parse files at once. */
	if (yydebug != ((cp_parse_debug & CP_DEBUG_PARSER) != 0))
		yydebug = (cp_parse_debug & CP_DEBUG_PARSER) != 0;
	buf = yy_scan_bytes(src->text, (int)src->len, scanner);
	yyparse(scanner, &pc);
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
	pc.file->includes = ast_include_close(pc.inc_tail);
	pc.file->decls = ast_decl_close(pc.decl_tail);
	return pc.file;
}

void
cp_lex_tokens(const struct cp_source *src, struct cp_diags *d,
	      struct cp_token **toks, size_t *n)
{
	struct cp_parse pc = {0};
	yyscan_t scanner;
	YY_BUFFER_STATE buf;
	YYSTYPE val;
	YYLTYPE loc;
	size_t cap = 0;
	int kind;

	pc.diags = d;
	pc.src = src;
	pc.line = 1;
	pc.col = 1;
	pc.keep_comments = true;
	*toks = NULL;
	*n = 0;
	if (yylex_init_extra(&pc, &scanner) != 0) {
		fputs("cpolc: out of memory\n", stderr);
		exit(2);
	}
	buf = yy_scan_bytes(src->text, (int)src->len, scanner);
	while ((kind = yylex(&val, &loc, scanner)) != 0) {
		struct cp_token t;

		/* The values are the parser's business; fmt reprints text. */
		if (kind == PORTSPEC)
			ast_port_free(val.port);
		else if (kind != INT && kind != SIZEVAL && kind != DECIMAL &&
			 kind > 255 && kind != ARROW)
			ast_word_free(val.word);
		t.kind = kind;
		t.comment = kind == COMMENT;
		t.byte = pc.tok_byte;
		t.len = pc.byte - pc.tok_byte;
		t.loc = loc;
		cp_xgrow(toks, &cap, *n + 1, sizeof(**toks));
		(*toks)[(*n)++] = t;
	}
	yy_delete_buffer(buf, scanner);
	yylex_destroy(scanner);
}
