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

/* Append a string literal: its length is known when compiling. */
#define PUT(b, lit) cp_buf_add((b), (lit), sizeof(lit) - 1)

/* Constant text goes in with cp_buf_add(): it is most of the module. */
static void
cil_items(struct cp_buf *b, const struct cp_sel_plan *pl)
{
	for (size_t i = 0; i < pl->nitems; i++) {
		const struct cp_sel_item *it = &pl->items[i];

		switch (it->kind) {
		case CP_SEL_COMMENT:
			PUT(b, ";; ");
			cp_buf_puts(b, it->a);
			PUT(b, "\n");
			break;
		case CP_SEL_BLANK:
			PUT(b, "\n");
			break;
		case CP_SEL_TYPE:
			PUT(b, "(type ");
			cp_buf_puts(b, it->a);
			PUT(b, ")\n");
			break;
		case CP_SEL_ATTR:
			PUT(b, "(typeattributeset ");
			cp_buf_puts(b, it->b);
			PUT(b, " (");
			cp_buf_puts(b, it->a);
			PUT(b, "))\n");
			break;
		case CP_SEL_ROLE:
			PUT(b, "(roletype ");
			cp_buf_puts(b, it->a);
			PUT(b, " ");
			cp_buf_puts(b, it->b);
			PUT(b, ")\n");
			break;
		case CP_SEL_ALLOW:
		case CP_SEL_DONTAUDIT:
			if (it->kind == CP_SEL_ALLOW)
				PUT(b, "(allow ");
			else
				PUT(b, "(dontaudit ");
			cp_buf_puts(b, it->a);
			PUT(b, " ");
			cp_buf_puts(b, it->b);
			PUT(b, " (");
			cp_buf_puts(b, it->c);
			PUT(b, " (");
			cp_buf_puts(b, it->d);
			PUT(b, ")))\n");
			break;
		case CP_SEL_PERMISSIVE:
			PUT(b, "(typepermissive ");
			cp_buf_puts(b, it->a);
			PUT(b, ")\n");
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
	PUT(b, "\n");
	cil_items(b, pl);
	if (pl->nfcs)
		PUT(b, "\n;; File contexts for the mounted host "
		       "directories (restorecon).\n");
	for (size_t i = 0; i < pl->nfcs; i++) {
		const struct cp_sel_fc *fc = &pl->fcs[i];

		PUT(b, ";; ");
		cp_buf_puts(b, fc->path);
		PUT(b, "\n(filecon \"");
		cp_buf_puts(b, fc->regex);
		PUT(b, "\" any (system_u object_r ");
		cp_buf_puts(b, fc->type);
		PUT(b, " ((s0) (s0))))\n");
	}
	return 0;
}

const struct cp_backend cp_backend_cil = {
	"cil",
	"SELinux CIL module (NAME.cil)",
	cil_emit,
};
