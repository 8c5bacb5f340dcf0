/*
 * The cpolc grammar.  Actions only build the syntax tree through the
 * constructors in src/ast.c; what the statements mean, and whether they
 * make sense, is decided later by the checks in src/resolve.c.
 *
 * Keep %expect at 0: a conflict is a bug in the grammar, to be fixed
 * rather than counted.
 */
%require "3.6"
%define api.pure full
%define parse.error custom
%define parse.trace
%define api.location.type {struct cp_loc}
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct cp_parse *pc}

%code requires {
#include "cpolc/ast.h"
#include "cpolc/loc.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

struct cp_parse;

/* Spans: from the first symbol's start to the last one's end. */
#define YYLLOC_DEFAULT(cur, rhs, n)                                          \
	do {                                                                 \
		if (n) {                                                     \
			(cur).src = YYRHSLOC(rhs, 1).src;                    \
			(cur).first_line = YYRHSLOC(rhs, 1).first_line;      \
			(cur).first_col = YYRHSLOC(rhs, 1).first_col;        \
			(cur).last_line = YYRHSLOC(rhs, n).last_line;        \
			(cur).last_col = YYRHSLOC(rhs, n).last_col;          \
		} else {                                                     \
			(cur) = YYRHSLOC(rhs, 0);                            \
			(cur).first_line = (cur).last_line;                  \
			(cur).first_col = (cur).last_col;                    \
		}                                                            \
	} while (0)
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/diag.h"
#include "cpolc/util.h"
#include "parse.h"

int yylex(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct cp_parse *pc,
		    const char *msg);

static struct ast_stmt *stmt_words(enum ast_stmt_kind kind,
				   const YYLTYPE *loc, struct ast_word *w);
static struct ast_stmt *stmt_mount(const YYLTYPE *loc, enum cp_mount_kind k,
				   struct ast_word *src, struct ast_word *dst,
				   struct ast_mount_opt *opts);
static struct ast_mount_opt *mopt(enum ast_mount_opt_kind kind,
				  const YYLTYPE *loc);
static struct ast_port *port_of_num(struct ast_num n);
static struct ast_word *word_of_num(struct ast_num n);
}

%union {
	struct ast_word *word;	  /* one word, or a closed list */
	struct ast_word *wlist;	  /* a word list being built (circular) */
	struct ast_num num;
	struct ast_port *port;	  /* one port */
	struct ast_port *plist;	  /* circular */
	struct ast_mount_opt *olist; /* circular */
	struct ast_stmt *stmt;
	struct ast_stmt *slist;	  /* circular */
	struct ast_decl *decl;
	int access;
}

%token <word> IDENT "name" STRING "string" PATH "path"
%token <word> ADDR "IPv4 address" ADDR6 "IPv6 address"
%token <num> INT "number" SIZEVAL "size" DECIMAL "decimal number"
%token <port> PORTSPEC "port"
%token ARROW "'->'"
%token COMMENT "comment" /* only for cpolc fmt; the grammar takes none */

/* Keywords carry their text, for where they stand as names. */
%token <word> APPEND "'append'" AT "'at'" BIND "'bind'"
%token <word> CAPABILITIES "'capabilities'" CONNECT "'connect'" CPUS "'cpus'"
%token <word> DENY "'deny'" DESCRIPTION "'description'" EXEC "'exec'"
%token <word> EXTENDS "'extends'" IMAGE "'image'" INCLUDE "'include'"
%token <word> LIMIT "'limit'" LISTEN "'listen'" MEMORY "'memory'" MODE "'mode'"
%token <word> MOUNT "'mount'" NETWORK "'network'"
%token <word> NEW_PRIVILEGES "'new-privileges'" NOEXEC "'noexec'" PIDS "'pids'"
%token <word> POLICY "'policy'" PUBLISH "'publish'" READ "'read'"
%token <word> READ_ONLY "'read-only'" READ_WRITE "'read-write'" SIZE "'size'"
%token <word> TEMPLATE "'template'" TMPFS "'tmpfs'" UNSAFE "'unsafe'"
%token <word> USER "'user'" VOLUME "'volume'" WRITABLE_ROOT "'writable-root'"
%token <word> WRITE "'write'"

%type <word> name keyword path user_part
%type <wlist> names paths extends
%type <port> port
%type <plist> ports
%type <olist> mount_opts
%type <stmt> stmt mount
%type <slist> stmts
%type <num> size cpus
%type <access> access

%destructor { ast_word_free($$); } <word>
%destructor { ast_word_free(ast_word_close($$)); } <wlist>
%destructor { ast_port_free($$); } <port>
%destructor { ast_port_free(ast_port_close($$)); } <plist>
%destructor { ast_mount_opt_free(ast_mount_opt_close($$)); } <olist>
%destructor { ast_stmt_free($$); } <stmt>
%destructor { ast_stmt_free(ast_stmt_close($$)); } <slist>

%%

/* file: { top } */
file
	: %empty
	| file top
	;

/* top: include | template | policy */
top
	: INCLUDE STRING ';'
		{
			struct ast_include *i = cp_xcalloc(1, sizeof(*i));

			ast_word_free($1);
			i->path = $2;
			pc->inc_tail = ast_include_append(pc->inc_tail, i);
		}
	| TEMPLATE name extends '{' stmts '}'
		{
			ast_word_free($1);
			pc->decl_tail = ast_decl_append(pc->decl_tail,
			    ast_decl_new(AST_TEMPLATE, $2, ast_word_close($3),
					 ast_stmt_close($5)));
		}
	| POLICY name extends '{' stmts '}'
		{
			ast_word_free($1);
			pc->decl_tail = ast_decl_append(pc->decl_tail,
			    ast_decl_new(AST_POLICY, $2, ast_word_close($3),
					 ast_stmt_close($5)));
		}
	| error ';'
	| error '}'
	;

/* extends: [ "extends" name { "," name } ] */
extends
	: %empty		{ $$ = NULL; }
	| EXTENDS names		{ ast_word_free($1); $$ = $2; }
	;

/* stmts: { stmt } */
stmts
	: %empty		{ $$ = NULL; }
	| stmts stmt		{ $$ = ast_stmt_append($1, $2); }
	| stmts error ';'	{ $$ = $1; }
	;

stmt
	: DESCRIPTION STRING ';'
		{ ast_word_free($1); $$ = stmt_words(AST_DESCRIPTION, &@$, $2); }
	| IMAGE STRING ';'
		{ ast_word_free($1); $$ = stmt_words(AST_IMAGE, &@$, $2); }
	| USER user_part ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_USER, &@$);
			$$->u.user.user = $2;
		}
	| USER user_part ':' user_part ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_USER, &@$);
			$$->u.user.user = $2;
			$$->u.user.group = $4;
		}
	| CAPABILITIES names ';'
		{
			ast_word_free($1);
			$$ = stmt_words(AST_CAPABILITIES, &@$,
					ast_word_close($2));
		}
	| UNSAFE NEW_PRIVILEGES ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = ast_stmt_new(AST_UNSAFE_NEW_PRIVILEGES, &@$);
		}
	| UNSAFE WRITABLE_ROOT ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = ast_stmt_new(AST_UNSAFE_WRITABLE_ROOT, &@$);
		}
	| UNSAFE NETWORK name ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = stmt_words(AST_UNSAFE_NETWORK_HOST, &@$, $3);
		}
	| UNSAFE mount
		{
			ast_word_free($1);
			$$ = $2;
			$$->loc = @$;
			$$->u.mount.is_unsafe = true;
		}
	| MODE name ';'
		{ ast_word_free($1); $$ = stmt_words(AST_MODE, &@$, $2); }
	| access paths ';'
		{
			$$ = ast_stmt_new(AST_FILE, &@$);
			$$->u.file.access = (enum cp_access)$1;
			$$->u.file.paths = ast_word_close($2);
		}
	| DENY access paths ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_FILE, &@$);
			$$->u.file.access = (enum cp_access)$2;
			$$->u.file.deny = true;
			$$->u.file.paths = ast_word_close($3);
		}
	| mount
	| NETWORK names ';'
		{
			ast_word_free($1);
			$$ = stmt_words(AST_NETWORK, &@$, ast_word_close($2));
		}
	| LISTEN name ports ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_LISTEN, &@$);
			$$->u.ports.proto = $2;
			$$->u.ports.ports = ast_port_close($3);
		}
	| CONNECT name ports ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_CONNECT, &@$);
			$$->u.ports.proto = $2;
			$$->u.ports.ports = ast_port_close($3);
		}
	| PUBLISH port ARROW port ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_PUBLISH, &@$);
			$$->u.publish.host = $2;
			$$->u.publish.ctr = $4;
		}
	| PUBLISH ADDR ':' port ARROW port ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_PUBLISH, &@$);
			$$->u.publish.addr = $2;
			$$->u.publish.host = $4;
			$$->u.publish.ctr = $6;
		}
	| PUBLISH ADDR6 ':' port ARROW port ';'
		{
			ast_word_free($1);
			$$ = ast_stmt_new(AST_PUBLISH, &@$);
			$$->u.publish.addr = $2;
			$$->u.publish.host = $4;
			$$->u.publish.ctr = $6;
		}
	| LIMIT MEMORY size ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = ast_stmt_new(AST_LIMIT, &@$);
			$$->u.limit.kind = AST_LIMIT_MEMORY;
			$$->u.limit.num = $3;
		}
	| LIMIT PIDS INT ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = ast_stmt_new(AST_LIMIT, &@$);
			$$->u.limit.kind = AST_LIMIT_PIDS;
			$$->u.limit.num = $3;
		}
	| LIMIT CPUS cpus ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = ast_stmt_new(AST_LIMIT, &@$);
			$$->u.limit.kind = AST_LIMIT_CPUS;
			$$->u.limit.num = $3;
		}
	;

access
	: READ		{ ast_word_free($1); $$ = CP_ACCESS_READ; }
	| WRITE		{ ast_word_free($1); $$ = CP_ACCESS_WRITE; }
	| APPEND	{ ast_word_free($1); $$ = CP_ACCESS_APPEND; }
	| EXEC		{ ast_word_free($1); $$ = CP_ACCESS_EXEC; }
	;

/*
 * mount: "mount" "tmpfs" path opts ";"
 *      | "mount" "volume" name "at" path opts ";"
 *      | "mount" "bind" path "at" path opts ";"
 */
mount
	: MOUNT TMPFS path mount_opts ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			$$ = stmt_mount(&@$, CP_MOUNT_TMPFS, NULL, $3,
					ast_mount_opt_close($4));
		}
	| MOUNT VOLUME name AT path mount_opts ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			ast_word_free($4);
			$$ = stmt_mount(&@$, CP_MOUNT_VOLUME, $3, $5,
					ast_mount_opt_close($6));
		}
	| MOUNT BIND path AT path mount_opts ';'
		{
			ast_word_free($1);
			ast_word_free($2);
			ast_word_free($4);
			$$ = stmt_mount(&@$, CP_MOUNT_BIND, $3, $5,
					ast_mount_opt_close($6));
		}
	;

mount_opts
	: %empty	{ $$ = NULL; }
	| mount_opts SIZE size
		{
			struct ast_mount_opt *o = mopt(AST_MOPT_SIZE, &@$);

			ast_word_free($2);
			o->loc = @2;
			o->num = $3;
			$$ = ast_mount_opt_append($1, o);
		}
	| mount_opts NOEXEC
		{
			ast_word_free($2);
			$$ = ast_mount_opt_append($1, mopt(AST_MOPT_NOEXEC, &@2));
		}
	| mount_opts MODE INT
		{
			struct ast_mount_opt *o = mopt(AST_MOPT_MODE, &@2);

			ast_word_free($2);
			o->loc.last_col = @3.last_col;
			o->num = $3;
			o->num.value = $3.octal;
			o->mode_ok = $3.is_octal;
			$$ = ast_mount_opt_append($1, o);
		}
	| mount_opts READ_ONLY
		{
			ast_word_free($2);
			$$ = ast_mount_opt_append($1,
			    mopt(AST_MOPT_READ_ONLY, &@2));
		}
	| mount_opts READ_WRITE
		{
			ast_word_free($2);
			$$ = ast_mount_opt_append($1,
			    mopt(AST_MOPT_READ_WRITE, &@2));
		}
	;

size
	: INT
	| SIZEVAL
	;

cpus
	: INT
		{
			$$ = $1;
			if ($$.value > UINT64_MAX / 1000000000u)
				$$.overflow = true;
			else
				$$.value *= 1000000000u;
		}
	| DECIMAL
	;

user_part
	: name
	| INT		{ $$ = word_of_num($1); }
	;

port
	: INT		{ $$ = port_of_num($1); }
	| PORTSPEC
	;

ports
	: port			{ $$ = ast_port_append(NULL, $1); }
	| ports ',' port	{ $$ = ast_port_append($1, $3); }
	;

path
	: PATH
	| STRING
	;

paths
	: path			{ $$ = ast_word_append(NULL, $1); }
	| paths ',' path	{ $$ = ast_word_append($1, $3); }
	;

names
	: name			{ $$ = ast_word_append(NULL, $1); }
	| names ',' name	{ $$ = ast_word_append($1, $3); }
	;

/* A name is any word, keywords included: the checks judge it. */
name
	: IDENT
	| keyword
	;

keyword
	: APPEND | AT | BIND | CAPABILITIES | CONNECT | CPUS | DENY
	| DESCRIPTION | EXEC | EXTENDS | IMAGE | INCLUDE | LIMIT | LISTEN
	| MEMORY | MODE | MOUNT | NETWORK | NEW_PRIVILEGES | NOEXEC | PIDS
	| POLICY | PUBLISH | READ | READ_ONLY | READ_WRITE | SIZE | TEMPLATE
	| TMPFS | UNSAFE | USER | VOLUME | WRITABLE_ROOT | WRITE
	;

%%

static struct ast_stmt *
stmt_words(enum ast_stmt_kind kind, const YYLTYPE *loc, struct ast_word *w)
{
	struct ast_stmt *s = ast_stmt_new(kind, loc);

	/* Every one-word and word-list statement keeps its words here. */
	switch (kind) {
	case AST_DESCRIPTION:
	case AST_IMAGE:
		s->u.str = w;
		break;
	case AST_MODE:
		s->u.mode = w;
		break;
	default:
		s->u.words = w;
		break;
	}
	return s;
}

static struct ast_stmt *
stmt_mount(const YYLTYPE *loc, enum cp_mount_kind k, struct ast_word *src,
	   struct ast_word *dst, struct ast_mount_opt *opts)
{
	struct ast_stmt *s = ast_stmt_new(AST_MOUNT, loc);

	s->u.mount.kind = k;
	s->u.mount.source = src;
	s->u.mount.target = dst;
	s->u.mount.opts = opts;
	return s;
}

static struct ast_mount_opt *
mopt(enum ast_mount_opt_kind kind, const YYLTYPE *loc)
{
	struct ast_mount_opt *o = cp_xcalloc(1, sizeof(*o));

	o->kind = kind;
	o->loc = *loc;
	return o;
}

static struct ast_port *
port_of_num(struct ast_num n)
{
	struct ast_port *p = cp_xcalloc(1, sizeof(*p));

	p->first = n;
	p->last = n;
	p->loc = n.loc;
	return p;
}

/* A numeric user or group id, as text; too large is kept visible. */
static struct ast_word *
word_of_num(struct ast_num n)
{
	char *text = n.overflow ? cp_xstrdup("18446744073709551616")
				: cp_xasprintf("%llu",
					       (unsigned long long)n.value);

	return ast_word_new(text, &n.loc, false);
}

static void
yyerror(YYLTYPE *loc, yyscan_t scanner, struct cp_parse *pc, const char *msg)
{
	(void)scanner;
	cp_error(pc->diags, loc, "%s", msg);
}

/* Every keyword can stand where a name can: count them all as "name". */
static bool
is_name_token(yysymbol_kind_t k)
{
	const char *n = yysymbol_name(k);

	return k == YYSYMBOL_IDENT || (n[0] == '\'' && n[1] >= 'a' &&
				      n[1] <= 'z');
}

/*
 * "unexpected X, expecting Y or Z", naming at most a few expected
 * tokens: past that the list helps less than the caret does.  Keywords
 * and plain names count as one "name".
 */
static int
yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
		      struct cp_parse *pc)
{
	enum { MAX_SHOWN = 4, MAX_TOKENS = 128 };
	yysymbol_kind_t expected[MAX_TOKENS];
	const char *shown[MAX_SHOWN + 1];
	yysymbol_kind_t got = yypcontext_token(ctx);
	int n = yypcontext_expected_tokens(ctx, expected, MAX_TOKENS);
	int nshown = 0;
	bool name_shown = false;
	char msg[512];
	size_t len;

	(void)scanner;
	/*
	 * A statement that ends without its ';' is the commonest slip, and
	 * the token that shows it is often on the next line: point just
	 * past the statement instead, as a reader would.
	 */
	for (int i = 0; i < n; i++) {
		const struct cp_loc *at = yypcontext_location(ctx);
		struct cp_loc end = pc->prev;

		if (strcmp(yysymbol_name(expected[i]), "';'") != 0 ||
		    end.src == NULL || at->first_line == end.last_line)
			continue;
		end.first_line = end.last_line;
		end.first_col = end.last_col + 1;
		end.last_col = end.first_col;
		cp_error(pc->diags, &end,
			 "missing ';' at the end of the statement");
		return 0;
	}
	for (int i = 0; i < n && nshown <= MAX_SHOWN; i++) {
		if (is_name_token(expected[i])) {
			if (!name_shown)
				shown[nshown++] = "name";
			name_shown = true;
		} else {
			shown[nshown++] = yysymbol_name(expected[i]);
		}
	}
	if (got == YYSYMBOL_YYEOF)
		len = (size_t)snprintf(msg, sizeof(msg),
				       "unexpected end of file");
	else
		len = (size_t)snprintf(msg, sizeof(msg), "unexpected %s",
				       yysymbol_name(got));
	if (nshown > 0 && nshown <= MAX_SHOWN) {
		for (int i = 0; i < nshown && len < sizeof(msg); i++)
			len += (size_t)snprintf(
			    msg + len, sizeof(msg) - len, "%s%s",
			    i == 0 ? ", expecting " :
			    i == nshown - 1 ? " or " : ", ",
			    shown[i]);
	}
	cp_error(pc->diags, yypcontext_location(ctx), "%s", msg);
	return 0;
}
