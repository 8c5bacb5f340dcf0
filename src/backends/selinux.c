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

static void
te_perms(struct cp_buf *b, const char *perms)
{
	if (strchr(perms, ' '))
		cp_buf_printf(b, "{ %s }", perms);
	else
		cp_buf_puts(b, perms);
}

/* The statements of items, each line led by indent. */
static void
te_items(struct cp_buf *b, const struct cp_sel_item *items, size_t n,
	 const char *indent)
{
	for (size_t i = 0; i < n; i++) {
		const struct cp_sel_item *it = &items[i];

		switch (it->kind) {
		case CP_SEL_COMMENT:
			cp_buf_printf(b, "%s# %s\n", indent, it->a);
			break;
		case CP_SEL_BLANK:
			cp_buf_putc(b, '\n');
			break;
		case CP_SEL_TYPE:
			cp_buf_printf(b, "%stype %s;\n", indent, it->a);
			break;
		case CP_SEL_ATTR:
			cp_buf_printf(b, "%stypeattribute %s %s;\n", indent,
				      it->a, it->b);
			break;
		case CP_SEL_ROLE:
			/* object_r goes with every type implicitly. */
			if (strcmp(it->a, "object_r") != 0)
				cp_buf_printf(b, "%srole %s types %s;\n",
					      indent, it->a, it->b);
			break;
		case CP_SEL_ALLOW:
		case CP_SEL_DONTAUDIT:
			cp_buf_printf(b, "%s%s %s %s:%s ", indent,
				      it->kind == CP_SEL_ALLOW ? "allow"
							       : "dontaudit",
				      it->a, it->b, it->c);
			te_perms(b, it->d);
			cp_buf_puts(b, ";\n");
			break;
		case CP_SEL_PERMISSIVE:
			cp_buf_printf(b, "%spermissive %s;\n", indent, it->a);
			break;
		}
	}
}

static void
te_require(struct cp_buf *b, const struct cp_sel_plan *pl)
{
	if (!pl->next_types && !pl->next_attrs && !pl->next_roles)
		return;
	cp_buf_puts(b, "gen_require(`\n");
	for (size_t i = 0; i < pl->next_roles; i++)
		cp_buf_printf(b, "\tattribute_role %s;\n", pl->ext_roles[i]);
	for (size_t i = 0; i < pl->next_attrs; i++)
		cp_buf_printf(b, "\tattribute %s;\n", pl->ext_attrs[i]);
	for (size_t i = 0; i < pl->next_types; i++)
		cp_buf_printf(b, "\ttype %s;\n", pl->ext_types[i]);
	cp_buf_puts(b, "')\n\n");
}

static void
write_te(struct cp_buf *b, const struct cp_policy *p,
	 const struct cp_sel_plan *pl)
{
	cp_emit_header(b, p, "# ");
	/* Named as the file, as checkmodule demands; see m4_hazard(). */
	cp_buf_printf(b, "\npolicy_module(%s, 1.0.0)\n\n", p->name);
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
	cp_buf_printf(b, "\n## <summary>Container domain %s.</summary>\n\n",
		      pl->domain);
	cp_buf_puts(b, "########################################\n");
	cp_buf_puts(b, "## <summary>\n");
	cp_buf_printf(b, "##\tStart processes in the %s container domain,\n",
		      pl->domain);
	cp_buf_puts(b, "##\tas container engines do.\n");
	cp_buf_puts(b, "## </summary>\n");
	cp_buf_puts(b, "## <param name=\"domain\">\n");
	cp_buf_puts(b, "##\t<summary>\n");
	cp_buf_puts(b, "##\tDomain allowed to start the container.\n");
	cp_buf_puts(b, "##\t</summary>\n");
	cp_buf_puts(b, "## </param>\n");
	cp_buf_puts(b, "#\n");
	cp_buf_printf(b, "interface(`%s_start',`\n", pl->ident);
	cp_buf_printf(b, "\tgen_require(`\n\t\ttype %s;\n\t')\n\n", pl->domain);
	te_items(b, start.items, start.nitems, "\t");
	cp_buf_puts(b, "')\n");

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

		cp_buf_printf(b, "\n# %s\n", fc->path);
		cp_buf_printf(b, "`%s'\tgen_context(system_u:object_r:%s,s0)\n",
			      fc->regex, fc->type);
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
