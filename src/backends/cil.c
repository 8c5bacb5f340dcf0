/*
 * CIL backend: the SELinux domain of selinux.c as one CIL module,
 * NAME.cil, for `semodule -i NAME.cil`.  It names the container
 * module's types and the base policy's attributes directly, so it links
 * against any store that holds the container module.
 *
 * Only checked identifiers, comments (";;" to the end of a line; model
 * text holds no newline) and file context regular expressions (in a
 * CIL string; cp_sel_fc_regex() leaves no '"' in them) come from the
 * source.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "selinux_rules.h"

static void
cil_items(struct cp_buf *b, const struct cp_sel_plan *pl)
{
	for (size_t i = 0; i < pl->nitems; i++) {
		const struct cp_sel_item *it = &pl->items[i];

		switch (it->kind) {
		case CP_SEL_COMMENT:
			cp_buf_printf(b, ";; %s\n", it->a);
			break;
		case CP_SEL_BLANK:
			cp_buf_putc(b, '\n');
			break;
		case CP_SEL_TYPE:
			cp_buf_printf(b, "(type %s)\n", it->a);
			break;
		case CP_SEL_ATTR:
			cp_buf_printf(b, "(typeattributeset %s (%s))\n", it->b,
				      it->a);
			break;
		case CP_SEL_ROLE:
			cp_buf_printf(b, "(roletype %s %s)\n", it->a, it->b);
			break;
		case CP_SEL_ALLOW:
		case CP_SEL_DONTAUDIT:
			cp_buf_printf(b, "(%s %s %s (%s (%s)))\n",
				      it->kind == CP_SEL_ALLOW ? "allow"
							       : "dontaudit",
				      it->a, it->b, it->c, it->d);
			break;
		case CP_SEL_PERMISSIVE:
			cp_buf_printf(b, "(typepermissive %s)\n", it->a);
			break;
		}
	}
}

static int
cil_emit(const struct cp_policy *p, struct cp_emit *e)
{
	const struct cp_sel_plan *pl = cp_sel_plan_shared(p, e);
	struct cp_buf *b;

	b = cp_emit_open(e, p, "cil");
	cp_emit_header(b, p, ";; ");
	cp_buf_putc(b, '\n');
	cil_items(b, pl);
	if (pl->nfcs)
		cp_buf_puts(b, "\n;; File contexts for the mounted host "
			       "directories (restorecon).\n");
	for (size_t i = 0; i < pl->nfcs; i++) {
		const struct cp_sel_fc *fc = &pl->fcs[i];

		cp_buf_printf(b, ";; %s\n", fc->path);
		cp_buf_printf(b,
			      "(filecon \"%s\" any (system_u object_r %s "
			      "((s0) (s0))))\n",
			      fc->regex, fc->type);
	}
	return 0;
}

const struct cp_backend cp_backend_cil = {
	"cil",
	"SELinux CIL module (NAME.cil)",
	cil_emit,
};
