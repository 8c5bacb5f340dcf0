/*
 * The SELinux domain of one policy, as a list of plain statements that
 * both SELinux backends render: selinux.c as a refpolicy module (.te,
 * .if, .fc) and cil.c as CIL.  Building the rules once keeps the two
 * outputs granting exactly the same thing.
 *
 * Every name and permission in a statement is a plain identifier;
 * comments are single lines of printable text; file context regular
 * expressions are escaped so that neither m4, the file_contexts parser
 * nor genhomedircon can read anything but the literal path in them (see
 * cp_sel_fc_regex()).
 */
#ifndef CPOLC_SELINUX_RULES_H
#define CPOLC_SELINUX_RULES_H

#include <stddef.h>

#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "cpolc/policy.h"

enum cp_sel_kind {
	CP_SEL_COMMENT,	   /* a: text */
	CP_SEL_BLANK,	   /* an empty line between sections */
	CP_SEL_TYPE,	   /* a: type declared by this module */
	CP_SEL_ATTR,	   /* a: type, b: attribute it joins */
	CP_SEL_ROLE,	   /* a: role or role attribute, b: type */
	CP_SEL_ALLOW,	   /* a: source, b: target, c: class, d: perms */
	CP_SEL_DONTAUDIT,  /* as CP_SEL_ALLOW */
	CP_SEL_PERMISSIVE, /* a: type */
};

/*
 * The strings of items, file contexts and the ext_ lists are static
 * text, the plan's ident or domain, or copies the plan holds in text;
 * none is freed on its own.
 */
struct cp_sel_item {
	enum cp_sel_kind kind;
	const char *a, *b, *c, *d; /* d: permissions, space-separated, sorted */
};

/* One file context: every file under the host path gets type. */
struct cp_sel_fc {
	const char *regex; /* escaped regular expression, "(/.*)?" included */
	const char *type;
	const char *path; /* the host path, for a comment */
};

/* A block of the plan's text (selinux_rules.c). */
struct cp_sel_text;

struct cp_sel_plan {
	char *ident;  /* the module name: "my_app" */
	char *domain; /* "my_app_t" */
	struct cp_sel_item *items;
	size_t nitems, capitems;
	struct cp_sel_fc *fcs;
	size_t nfcs, capfcs;
	/* Names this module uses but other modules declare, sorted. */
	const char **ext_types;
	size_t next_types, capext_types;
	const char **ext_attrs;
	size_t next_attrs, capext_attrs;
	const char **ext_roles; /* role attributes */
	size_t next_roles, capext_roles;
	struct cp_sel_text *text; /* the copies the strings point into */
};

/*
 * Build the domain of p.  Fidelity notes go to e (when e is not NULL)
 * and into the plan as comments.
 */
void cp_sel_plan_build(struct cp_sel_plan *pl, const struct cp_policy *p,
		       struct cp_emit *e);

/*
 * The rules that let domain src start processes in the domain of pl
 * (transition, also under no-new-privileges and on nosuid mounts, and
 * the descriptors and signals that go with it), appended to pl.  The
 * items point to src and to pl->domain: both must outlive them.
 */
void cp_sel_plan_starter(struct cp_sel_plan *pl, const struct cp_policy *p,
			 const char *src);

void cp_sel_plan_free(struct cp_sel_plan *pl);

/* The plan of p, built once for both SELinux targets of the run. */
const struct cp_sel_plan *cp_sel_plan_shared(const struct cp_policy *p,
					     struct cp_emit *e);

/*
 * Append the regular expression that matches exactly the literal path:
 * letters, digits, '/', '-', '_' and bytes of 128 and up stay as they
 * are, regex metacharacters get a backslash, everything else becomes
 * \xHH (PCRE), so that no space, quote, '#' or '%' is left.  The '_' of
 * "HOME_" and the first letter of "USER" and "ROLE" are written \xHH
 * too: genhomedircon treats a line that holds HOME_DIR, HOME_ROOT or
 * USER as a template for every home directory.
 */
void cp_sel_fc_regex(struct cp_buf *b, const char *path);

#endif
