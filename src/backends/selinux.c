/*
 * SELinux backend: a reference policy module NAME.te, NAME.if, NAME.fc
 * for the container domain NAME_t, built with
 * `make -f /usr/share/selinux/devel/Makefile NAME.pp`.
 *
 * All three files go through m4.  Nothing from the policy source reaches
 * them except in three safe places: identifiers the front end has
 * checked, comments at the top level (m4 copies a comment unexpanded,
 * and none is ever inside a quoted macro argument), and file context
 * regular expressions, which are m4-quoted as a whole and hold no quote
 * character (cp_sel_fc_regex() writes those as \xHH).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "selinux_rules.h"

/* Append a string literal: its length is known when compiling. */
#define PUT(b, lit) cp_buf_add((b), (lit), sizeof(lit) - 1)

static void
te_perms(struct cp_buf *b, const char *perms)
{
	if (strchr(perms, ' ')) {
		PUT(b, "{ ");
		cp_buf_puts(b, perms);
		PUT(b, " }");
	} else {
		cp_buf_puts(b, perms);
	}
}

/*
 * The statements of items, each line led by indent.  Constant text goes
 * in with cp_buf_add(): these are most of the module's lines.
 */
static void
te_items(struct cp_buf *b, const struct cp_sel_item *items, size_t n,
	 const char *indent)
{
	size_t nind = strlen(indent);

	for (size_t i = 0; i < n; i++) {
		const struct cp_sel_item *it = &items[i];

		if (it->kind == CP_SEL_BLANK) {
			cp_buf_putc(b, '\n');
			continue;
		}
		/* object_r goes with every type implicitly. */
		if (it->kind == CP_SEL_ROLE && strcmp(it->a, "object_r") == 0)
			continue;
		if (nind)
			cp_buf_add(b, indent, nind);
		switch (it->kind) {
		case CP_SEL_COMMENT:
			PUT(b, "# ");
			cp_buf_puts(b, it->a);
			break;
		case CP_SEL_BLANK: /* written above */
			break;
		case CP_SEL_TYPE:
			PUT(b, "type ");
			cp_buf_puts(b, it->a);
			PUT(b, ";");
			break;
		case CP_SEL_ATTR:
			PUT(b, "typeattribute ");
			cp_buf_puts(b, it->a);
			PUT(b, " ");
			cp_buf_puts(b, it->b);
			PUT(b, ";");
			break;
		case CP_SEL_ROLE:
			PUT(b, "role ");
			cp_buf_puts(b, it->a);
			PUT(b, " types ");
			cp_buf_puts(b, it->b);
			PUT(b, ";");
			break;
		case CP_SEL_ALLOW:
		case CP_SEL_DONTAUDIT:
			if (it->kind == CP_SEL_ALLOW)
				PUT(b, "allow ");
			else
				PUT(b, "dontaudit ");
			cp_buf_puts(b, it->a);
			PUT(b, " ");
			cp_buf_puts(b, it->b);
			PUT(b, ":");
			cp_buf_puts(b, it->c);
			PUT(b, " ");
			te_perms(b, it->d);
			PUT(b, ";");
			break;
		case CP_SEL_PERMISSIVE:
			PUT(b, "permissive ");
			cp_buf_puts(b, it->a);
			PUT(b, ";");
			break;
		}
		cp_buf_putc(b, '\n');
	}
}

/* Append "\tWORD NAME;\n" for each of the n names. */
static void
te_require_names(struct cp_buf *b, const char *word, const char *const *v,
		 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		PUT(b, "\t");
		cp_buf_puts(b, word);
		PUT(b, " ");
		cp_buf_puts(b, v[i]);
		PUT(b, ";\n");
	}
}

static void
te_require(struct cp_buf *b, const struct cp_sel_plan *pl)
{
	if (!pl->next_types && !pl->next_attrs && !pl->next_roles)
		return;
	PUT(b, "gen_require(`\n");
	te_require_names(b, "attribute_role", pl->ext_roles, pl->next_roles);
	te_require_names(b, "attribute", pl->ext_attrs, pl->next_attrs);
	te_require_names(b, "type", pl->ext_types, pl->next_types);
	PUT(b, "')\n\n");
}

static void
write_te(struct cp_buf *b, const struct cp_policy *p,
	 const struct cp_sel_plan *pl)
{
	cp_emit_header(b, p, "# ");
	/* Named as the file, as checkmodule demands; see m4_hazard(). */
	PUT(b, "\npolicy_module(");
	cp_buf_puts(b, p->name);
	PUT(b, ", 1.0.0)\n\n");
	te_require(b, pl);
	te_items(b, pl->items, pl->nitems, "");
}

static void
write_if(struct cp_buf *b, const struct cp_policy *p,
	 const struct cp_sel_plan *pl)
{
	struct cp_sel_plan start = {0};

	/* The same rules the engines get, for any other domain. */
	start.ident = pl->ident;
	start.domain = pl->domain;
	cp_sel_plan_starter(&start, p, "$1");

	cp_emit_header(b, p, "# ");
	PUT(b, "\n## <summary>Container domain ");
	cp_buf_puts(b, pl->domain);
	PUT(b, ".</summary>\n\n"
	       "########################################\n"
	       "## <summary>\n"
	       "##\tStart processes in the ");
	cp_buf_puts(b, pl->domain);
	PUT(b, " container domain,\n"
	       "##\tas container engines do.\n"
	       "## </summary>\n"
	       "## <param name=\"domain\">\n"
	       "##\t<summary>\n"
	       "##\tDomain allowed to start the container.\n"
	       "##\t</summary>\n"
	       "## </param>\n"
	       "#\n"
	       "interface(`");
	cp_buf_puts(b, pl->ident);
	PUT(b, "_start',`\n\tgen_require(`\n\t\ttype ");
	cp_buf_puts(b, pl->domain);
	PUT(b, ";\n\t')\n\n");
	te_items(b, start.items, start.nitems, "\t");
	PUT(b, "')\n");

	start.ident = NULL;
	start.domain = NULL;
	cp_sel_plan_free(&start);
}

static void
write_fc(struct cp_buf *b, const struct cp_policy *p,
	 const struct cp_sel_plan *pl)
{
	cp_emit_header(b, p, "# ");
	for (size_t i = 0; i < pl->nfcs; i++) {
		const struct cp_sel_fc *fc = &pl->fcs[i];

		PUT(b, "\n# ");
		cp_buf_puts(b, fc->path);
		PUT(b, "\n`");
		cp_buf_puts(b, fc->regex);
		PUT(b, "'\tgen_context(system_u:object_r:");
		cp_buf_puts(b, fc->type);
		PUT(b, ",s0)\n");
	}
}

/*
 * The module name reaches m4 unquoted, because selint parses only a bare
 * name in policy_module().  m4 splits it into words as below; a word
 * that m4 or the refpolicy build defines as a macro that expands without
 * arguments would break the module.  (Interface names need arguments to
 * expand into anything but a syntax error; every type name ends in _t,
 * which no macro does.)
 */
static const char *
m4_hazard(const char *name)
{
	static const char *const words[] = {
		"__file__",
		"__gnu__",
		"__line__",
		"__program__",
		"__unix__",
		"changecom",
		"changequote",
		"debugfile",
		"debugmode",
		"direct_sysadm_daemon",
		"distro_debian",
		"distro_gentoo",
		"distro_redhat",
		"distro_suse",
		"distro_ubuntu",
		"divert",
		"divnum",
		"dnl",
		"dumpdef",
		"enable_mcs",
		"enable_mls",
		"enable_ubac",
		"hide_broken_symptoms",
		"init_systemd",
		"m4exit",
		"mcs_num_cats",
		"mls_num_cats",
		"mls_num_sens",
		"policy_module",
		"sysval",
		"traceoff",
		"traceon",
		"undivert",
	};
	const char *s = name;

	while (*s) {
		size_t n = 0;

		if (!(*s == '_' || (*s >= 'a' && *s <= 'z'))) {
			s++;
			continue;
		}
		while (s[n] == '_' || (s[n] >= 'a' && s[n] <= 'z') ||
		       (s[n] >= '0' && s[n] <= '9'))
			n++;
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i]) == n &&
			    strncmp(s, words[i], n) == 0)
				return words[i];
		s += n;
	}
	return NULL;
}

static int
selinux_emit(const struct cp_policy *p, struct cp_emit *e)
{
	const struct cp_sel_plan *pl;
	const char *bad = m4_hazard(p->name);

	if (bad) {
		cp_emit_error(e, &p->loc,
			      "the SELinux module cannot be named '%s': m4 "
			      "would expand '%s' in it; rename the policy",
			      p->name, bad);
		return -1;
	}
	pl = cp_sel_plan_shared(p, e);
	write_te(cp_emit_open(e, p, "te"), p, pl);
	write_if(cp_emit_open(e, p, "if"), p, pl);
	write_fc(cp_emit_open(e, p, "fc"), p, pl);
	return 0;
}

const struct cp_backend cp_backend_selinux = {
	"selinux",
	"SELinux reference policy module (NAME.te, NAME.if, NAME.fc)",
	selinux_emit,
};
