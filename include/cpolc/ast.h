/*
 * The syntax tree: what the parser read, before any include, template or
 * `extends` is resolved.  Every node carries its location.  Lists are
 * singly linked in source order; each node owns its strings and the
 * nodes after it, and ast_file_free() frees a whole file's tree.
 *
 * While the parser builds a list it holds only the list's tail, and the
 * list is circular (tail->next is the head), so that appending stays
 * O(1) however long the list; *_close() turns it into a plain list.
 */
#ifndef CPOLC_AST_H
#define CPOLC_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "cpolc/loc.h"
#include "cpolc/policy.h"

/* A word, name, path or string, with where it was written. */
struct ast_word {
	char *text;
	struct cp_loc loc;
	bool quoted; /* written as a "string" */
	struct ast_word *next;
};

/* A number as written, with where it was written. */
struct ast_num {
	uint64_t value;
	bool overflow; /* did not fit: the checks report it */
	struct cp_loc loc;
	/* The same digits read in base 8, for `mode 0755`; is_octal is
	 * false when a digit is 8 or 9 or the value passes 07777. */
	uint64_t octal;
	bool is_octal;
};

/* A port or a range, optionally with a protocol ("80/tcp"). */
struct ast_port {
	struct ast_num first, last; /* last == first for a single port */
	bool has_proto;
	char *proto; /* as written; checked later */
	struct cp_loc loc;
	struct ast_port *next;
};

enum ast_stmt_kind {
	AST_DESCRIPTION,
	AST_IMAGE,
	AST_USER,
	AST_CAPABILITIES,
	AST_UNSAFE_NEW_PRIVILEGES,
	AST_UNSAFE_WRITABLE_ROOT,
	AST_UNSAFE_NETWORK_HOST,
	AST_MODE,
	AST_FILE,
	AST_MOUNT,
	AST_NETWORK,
	AST_LISTEN,
	AST_CONNECT,
	AST_PUBLISH,
	AST_LIMIT,
};

enum ast_mount_opt_kind {
	AST_MOPT_SIZE,
	AST_MOPT_NOEXEC,
	AST_MOPT_MODE,
	AST_MOPT_READ_ONLY,
	AST_MOPT_READ_WRITE,
};

struct ast_mount_opt {
	enum ast_mount_opt_kind kind;
	struct ast_num num; /* size in bytes, or mode as written in octal */
	bool mode_ok;	    /* the mode's digits were octal */
	struct cp_loc loc;
	struct ast_mount_opt *next;
};

enum ast_limit_kind {
	AST_LIMIT_MEMORY,
	AST_LIMIT_PIDS,
	AST_LIMIT_CPUS,
};

struct ast_stmt {
	enum ast_stmt_kind kind;
	struct cp_loc loc; /* the whole statement, from its first keyword */
	union {
		struct ast_word *str; /* description, image */
		struct {
			struct ast_word *user, *group; /* group may be NULL */
		} user;
		struct ast_word *words; /* capabilities, network names */
		struct ast_word *mode;	/* complain or enforce */
		struct {
			enum cp_access access;
			bool deny;
			struct ast_word *paths;
		} file;
		struct {
			enum cp_mount_kind kind;
			bool is_unsafe;
			struct ast_word *source; /* NULL for tmpfs */
			struct ast_word *target;
			struct ast_mount_opt *opts;
		} mount;
		struct {
			struct ast_word *proto;
			struct ast_port *ports;
		} ports; /* listen, connect */
		struct {
			struct ast_word *addr; /* NULL when not given */
			struct ast_port *host;
			struct ast_port *ctr;
		} publish;
		struct {
			enum ast_limit_kind kind;
			struct ast_num num; /* cpus: in 1e-9 units */
		} limit;
	} u;
	struct ast_stmt *next;
};

enum ast_decl_kind {
	AST_TEMPLATE,
	AST_POLICY,
};

struct ast_decl {
	enum ast_decl_kind kind;
	struct ast_word *name;
	struct ast_word *parents; /* extends A, B */
	struct ast_stmt *body;
	struct ast_decl *next;
};

struct ast_include {
	struct ast_word *path;
	struct ast_include *next;
};

/* One parsed file.  Includes and declarations are kept in source order. */
struct ast_file {
	const struct cp_source *src;
	struct ast_include *includes;
	struct ast_decl *decls;
};

/* Constructors called from the grammar's actions. */
struct ast_word *ast_word_new(char *text, const struct cp_loc *loc,
			      bool quoted);
struct ast_stmt *ast_stmt_new(enum ast_stmt_kind kind,
			      const struct cp_loc *loc);

/* Append to a circular list given by its tail (NULL: empty); returns
 * the new tail.  Close returns the head of a plain list. */
struct ast_word *ast_word_append(struct ast_word *tail, struct ast_word *w);
struct ast_word *ast_word_close(struct ast_word *tail);
struct ast_port *ast_port_append(struct ast_port *tail, struct ast_port *p);
struct ast_port *ast_port_close(struct ast_port *tail);
struct ast_mount_opt *ast_mount_opt_append(struct ast_mount_opt *tail,
					   struct ast_mount_opt *o);
struct ast_mount_opt *ast_mount_opt_close(struct ast_mount_opt *tail);
struct ast_stmt *ast_stmt_append(struct ast_stmt *tail, struct ast_stmt *s);
struct ast_stmt *ast_stmt_close(struct ast_stmt *tail);
struct ast_decl *ast_decl_append(struct ast_decl *tail, struct ast_decl *d);
struct ast_decl *ast_decl_close(struct ast_decl *tail);
struct ast_include *ast_include_append(struct ast_include *tail,
				       struct ast_include *i);
struct ast_include *ast_include_close(struct ast_include *tail);
struct ast_decl *ast_decl_new(enum ast_decl_kind kind, struct ast_word *name,
			      struct ast_word *parents, struct ast_stmt *body);

void ast_word_free(struct ast_word *w);
void ast_port_free(struct ast_port *p);
void ast_mount_opt_free(struct ast_mount_opt *o);
void ast_stmt_free(struct ast_stmt *s);
void ast_decl_free(struct ast_decl *d);
void ast_include_free(struct ast_include *i);
void ast_file_free(struct ast_file *f);

#endif
