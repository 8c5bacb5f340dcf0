/* Syntax-tree constructors and destructors, called from the grammar. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/ast.h"
#include "cpolc/util.h"

struct ast_word *
ast_word_new(char *text, const struct cp_loc *loc, bool quoted)
{
	struct ast_word *w = cp_xcalloc(1, sizeof(*w));

	w->text = text;
	w->loc = *loc;
	w->quoted = quoted;
	return w;
}

struct ast_stmt *
ast_stmt_new(enum ast_stmt_kind kind, const struct cp_loc *loc)
{
	struct ast_stmt *s = cp_xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->loc = *loc;
	return s;
}

struct ast_decl *
ast_decl_new(enum ast_decl_kind kind, struct ast_word *name,
	     struct ast_word *parents, struct ast_stmt *body)
{
	struct ast_decl *d = cp_xcalloc(1, sizeof(*d));

	d->kind = kind;
	d->name = name;
	d->parents = parents;
	d->body = body;
	return d;
}

/*
 * Circular-list append and close, one pair per node type.  Each node
 * type has its `next` member under that name.
 */
#define CIRCULAR_LIST(type, prefix)                                     \
	struct type *prefix##_append(struct type *tail, struct type *n) \
	{                                                               \
		if (tail == NULL) {                                     \
			n->next = n;                                    \
		} else {                                                \
			n->next = tail->next;                           \
			tail->next = n;                                 \
		}                                                       \
		return n;                                               \
	}                                                               \
	struct type *prefix##_close(struct type *tail)                  \
	{                                                               \
		struct type *head;                                      \
                                                                        \
		if (tail == NULL)                                       \
			return NULL;                                    \
		head = tail->next;                                      \
		tail->next = NULL;                                      \
		return head;                                            \
	}

CIRCULAR_LIST(ast_word, ast_word)
CIRCULAR_LIST(ast_port, ast_port)
CIRCULAR_LIST(ast_mount_opt, ast_mount_opt)
CIRCULAR_LIST(ast_stmt, ast_stmt)
CIRCULAR_LIST(ast_decl, ast_decl)
CIRCULAR_LIST(ast_include, ast_include)

void
ast_word_free(struct ast_word *w)
{
	while (w != NULL) {
		struct ast_word *next = w->next;

		free(w->text);
		free(w);
		w = next;
	}
}

void
ast_port_free(struct ast_port *p)
{
	while (p != NULL) {
		struct ast_port *next = p->next;

		free(p->proto);
		free(p);
		p = next;
	}
}

void
ast_mount_opt_free(struct ast_mount_opt *o)
{
	while (o != NULL) {
		struct ast_mount_opt *next = o->next;

		free(o);
		o = next;
	}
}

static void
stmt_free_one(struct ast_stmt *s)
{
	switch (s->kind) {
	case AST_DESCRIPTION:
	case AST_IMAGE:
		ast_word_free(s->u.str);
		break;
	case AST_USER:
		ast_word_free(s->u.user.user);
		ast_word_free(s->u.user.group);
		break;
	case AST_CAPABILITIES:
	case AST_NETWORK:
	case AST_UNSAFE_NETWORK_HOST: /* keeps the word, to check it */
		ast_word_free(s->u.words);
		break;
	case AST_MODE:
		ast_word_free(s->u.mode);
		break;
	case AST_FILE:
		ast_word_free(s->u.file.paths);
		break;
	case AST_MOUNT:
		ast_word_free(s->u.mount.source);
		ast_word_free(s->u.mount.target);
		ast_mount_opt_free(s->u.mount.opts);
		break;
	case AST_LISTEN:
	case AST_CONNECT:
		ast_word_free(s->u.ports.proto);
		ast_port_free(s->u.ports.ports);
		break;
	case AST_PUBLISH:
		ast_word_free(s->u.publish.addr);
		ast_port_free(s->u.publish.host);
		ast_port_free(s->u.publish.ctr);
		break;
	case AST_UNSAFE_NEW_PRIVILEGES:
	case AST_UNSAFE_WRITABLE_ROOT:
	case AST_LIMIT:
		break;
	}
	free(s);
}

void
ast_stmt_free(struct ast_stmt *s)
{
	while (s != NULL) {
		struct ast_stmt *next = s->next;

		stmt_free_one(s);
		s = next;
	}
}

void
ast_decl_free(struct ast_decl *d)
{
	while (d != NULL) {
		struct ast_decl *next = d->next;

		ast_word_free(d->name);
		ast_word_free(d->parents);
		ast_stmt_free(d->body);
		free(d);
		d = next;
	}
}

void
ast_include_free(struct ast_include *i)
{
	while (i != NULL) {
		struct ast_include *next = i->next;

		ast_word_free(i->path);
		free(i);
		i = next;
	}
}

void
ast_file_free(struct ast_file *f)
{
	if (f == NULL)
		return;
	ast_include_free(f->includes);
	ast_decl_free(f->decls);
	free(f);
}
