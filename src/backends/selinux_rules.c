/*
 * The SELinux domain of one policy (see selinux_rules.h).
 *
 * The domain NAME_t joins only the attributes that every domain needs
 * (domain, mcs_constrained_type, process_user_target, mlsrangetrans)
 * and none of the container module's: container_domain alone grants
 * dac_override, kill, setgid, setuid, sys_boot and sys_chroot to every
 * member, container_net_domain adds net_admin and net_raw and binds to
 * every port.  What those attributes give a container that it really
 * needs is written here as explicit rules, so that NAME_t holds exactly
 * the capabilities and ports the policy declares.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/tables.h"
#include "cpolc/util.h"
#include "selinux_ports.h"
#include "selinux_rules.h"

/* Permission sets, sorted, as the kernel's classes name them. */
#define P_DIR_R "getattr ioctl lock open read search"
#define P_DIR_W                                                          \
	"add_name create getattr ioctl link lock open read remove_name " \
	"rename reparent rmdir search setattr unlink write"
#define P_FILE_R "getattr ioctl lock map open read"
#define P_FILE_X "execute execute_no_trans getattr ioctl lock map open read"
#define P_FILE_W                                                      \
	"append create getattr ioctl link lock map open read rename " \
	"setattr unlink write"
#define P_FILE_XW                                                         \
	"append create execute execute_no_trans getattr ioctl link lock " \
	"map open read rename setattr unlink write"
#define P_LNK_R	 "getattr read"
#define P_LNK_W	 "create getattr link read rename setattr unlink"
#define P_NODE_R "getattr open read"
#define P_NODE_W                                                          \
	"append create getattr ioctl link lock open read rename setattr " \
	"unlink write"
#define P_CHR_RW  "append getattr ioctl lock open read write"
#define P_FIFO_RW "append getattr ioctl lock open read write"
#define P_SOCK_BASE                                                      \
	"append bind connect create getattr getopt ioctl lock map read " \
	"setattr setopt shutdown write"
#define P_SOCK_LISTEN                                                    \
	"accept append bind connect create getattr getopt ioctl listen " \
	"lock map read setattr setopt shutdown write"
#define P_IPC                                                      \
	"associate create destroy getattr read setattr unix_read " \
	"unix_write write"

/* The types the container engine gives the image and its mounts. */
#define T_IMAGE	   "container_file_t"
#define T_IMAGE_RO "container_ro_file_t"

/* Attributes and role attributes this module joins or names. */
static const char *const sel_attrs[] = {
	"container_engine_domain",
	"container_mountpoint_type",
	"domain",
	"file_type",
	"mcs_constrained_type",
	"mlsrangetrans",
	"non_auth_file_type",
	"non_security_file_type",
	"process_user_target",
};

/* Accesses a label can carry. */
enum {
	ACC_R = 1,
	ACC_W = 2,
	ACC_X = 4,
	ACC_A = 8,
};

/* One host directory that gets a type of its own. */
struct sel_mtype {
	const struct cp_mount *m; /* the first mount of this source */
	const char *type;	  /* held by the plan */
	unsigned acc;
	unsigned type_acc; /* at the first mount: the access of all of them */
	bool refused;	   /* a system directory cpolc will not relabel */
};

/*
 * The mounts sorted two ways, so that finding the mount of a path or
 * the mounts of a source is a binary search and not a scan: a policy
 * may have many mounts and very many file rules.
 */
struct sel_mindex {
	const struct cp_mount **by_target; /* all; by target, then order */
	const struct cp_mount **by_source; /* no tmpfs; kind, source, order */
	size_t nsource;
	size_t *reach; /* room for every mount, for rule_reach() */
};

struct sel_ctx {
	struct cp_sel_plan *pl;
	const struct cp_policy *p;
	struct cp_emit *e;
	struct sel_mtype *mt; /* one per mount, in mount order */
	struct sel_mindex ix;
	unsigned image_acc; /* access on the image types */
	bool tmpfs_any;
};

/* --- plan primitives --- */

struct cp_sel_text {
	struct cp_sel_text *next;
	size_t used, cap;
	char data[];
};

/*
 * n bytes that live as long as the plan.  They come from blocks that
 * the plan frees together, so that a rule's strings cost no allocation
 * of their own.
 */
static char *
plan_alloc(struct cp_sel_plan *pl, size_t n)
{
	struct cp_sel_text *t = pl->text;

	if (!t || t->cap - t->used < n) {
		size_t cap = n > 4000 ? n : 4000;

		t = cp_xmalloc(sizeof(*t) + cap);
		t->next = pl->text;
		t->used = 0;
		t->cap = cap;
		pl->text = t;
	}
	t->used += n;
	return t->data + t->used - n;
}

/* The strings up to the NULL, joined, in the plan's text. */
static const char *plan_cat(struct cp_sel_plan *pl, ...)
	__attribute__((sentinel));

static const char *
plan_cat(struct cp_sel_plan *pl, ...)
{
	va_list ap;
	size_t n = 1;
	const char *s;
	char *r, *o;

	va_start(ap, pl);
	while ((s = va_arg(ap, const char *)) != NULL)
		n += strlen(s);
	va_end(ap);
	r = o = plan_alloc(pl, n);
	va_start(ap, pl);
	while ((s = va_arg(ap, const char *)) != NULL) {
		size_t k = strlen(s);

		memcpy(o, s, k);
		o += k;
	}
	va_end(ap);
	*o = '\0';
	return r;
}

/* The strings stay the caller's: static text, the plan's ident or
 * domain, or the plan's text (see cp_sel_item). */
static void
plan_item(struct cp_sel_plan *pl, enum cp_sel_kind kind, const char *a,
	  const char *b, const char *c, const char *d)
{
	struct cp_sel_item *it;

	cp_xgrow(&pl->items, &pl->capitems, pl->nitems + 1, sizeof(*it));
	it = &pl->items[pl->nitems++];
	it->kind = kind;
	it->a = a;
	it->b = b;
	it->c = c;
	it->d = d;
}

static void
plan_comment(struct cp_sel_plan *pl, const char *text)
{
	plan_item(pl, CP_SEL_COMMENT, text, NULL, NULL, NULL);
}

/* A comment wrapped at spaces so that lines stay short; later lines
 * are indented by two spaces.  The lines are copies: text may go. */
static void
plan_comment_wrap(struct cp_sel_plan *pl, const char *text)
{
	const size_t width = 72;
	const char *s = text;
	size_t left = strlen(text);
	bool first = true;

	while (left) {
		size_t lim = first ? width : width - 2;
		size_t n = left, ind = first ? 0 : 2;
		char *line;

		if (n > lim) {
			size_t cut = lim;

			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0) {
				cut = lim;
				while (s[cut] && s[cut] != ' ')
					cut++;
			}
			n = cut;
		}
		line = plan_alloc(pl, ind + n + 1);
		memcpy(line, "  ", ind);
		memcpy(line + ind, s, n);
		line[ind + n] = '\0';
		plan_comment(pl, line);
		s += n;
		left -= n;
		while (*s == ' ') {
			s++;
			left--;
		}
		first = false;
	}
}

/* plan_comment_wrap() of the strings up to the NULL, joined. */
static void plan_comment_cat(struct cp_sel_plan *pl, ...)
	__attribute__((sentinel));

static void
plan_comment_cat(struct cp_sel_plan *pl, ...)
{
	struct cp_buf b = CP_BUF_INIT;
	va_list ap;
	const char *s;

	va_start(ap, pl);
	while ((s = va_arg(ap, const char *)) != NULL)
		cp_buf_puts(&b, s);
	va_end(ap);
	if (b.len)
		plan_comment_wrap(pl, b.data);
	cp_buf_free(&b);
}

static void
plan_blank(struct cp_sel_plan *pl)
{
	if (pl->nitems && pl->items[pl->nitems - 1].kind != CP_SEL_BLANK)
		plan_item(pl, CP_SEL_BLANK, NULL, NULL, NULL, NULL);
}

static void
plan_allow(struct cp_sel_plan *pl, const char *src, const char *tgt,
	   const char *cls, const char *perms)
{
	plan_item(pl, CP_SEL_ALLOW, src, tgt, cls, perms);
}

/* A fidelity note: to the user at loc, and as a comment in the output. */
static void plan_note(struct sel_ctx *cx, const struct cp_loc *loc,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
plan_note(struct sel_ctx *cx, const struct cp_loc *loc, const char *fmt, ...)
{
	static const char lead[] = "fidelity: ";
	struct cp_buf b = CP_BUF_INIT;
	va_list ap;

	cp_buf_add(&b, lead, sizeof(lead) - 1);
	va_start(ap, fmt);
	cp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (cx->e)
		cp_emit_fidelity(cx->e, loc, "%s", b.data + sizeof(lead) - 1);
	plan_comment_wrap(cx->pl, b.data);
	cp_buf_free(&b);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
name_push(const char ***v, size_t *n, size_t *cap, const char *s)
{
	cp_xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static bool
is_attr(const char *s)
{
	for (size_t i = 0; i < CP_ARRAY_LEN(sel_attrs); i++)
		if (strcmp(sel_attrs[i], s) == 0)
			return true;
	return false;
}

/*
 * The names plan_collect_ext() has met, hashed so that a plan of many
 * mounts and ports costs no scan per name: open addressing, never more
 * than half full.
 */
struct name_set {
	const char **slot;
	size_t mask; /* slots - 1; the slots are a power of two */
	size_t n;
	const char *last; /* the name added or found last */
};

static size_t
name_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
name_set_put(struct name_set *set, const char *s)
{
	size_t i = name_hash(s) & set->mask;

	while (set->slot[i])
		i = (i + 1) & set->mask;
	set->slot[i] = s;
	set->n++;
}

/* Add s; false when it was there already. */
static bool
name_set_add(struct name_set *set, const char *s)
{
	size_t i;

	/* Rules on one target follow each other and share its string. */
	if (s == set->last)
		return false;
	set->last = s;
	i = name_hash(s) & set->mask;
	for (; set->slot[i]; i = (i + 1) & set->mask)
		if (strcmp(set->slot[i], s) == 0)
			return false;
	if (2 * (set->n + 1) > set->mask + 1) {
		struct name_set big = {NULL, 2 * set->mask + 1, 0, s};

		big.slot = cp_xcalloc(big.mask + 1, sizeof(*big.slot));
		for (size_t k = 0; k <= set->mask; k++)
			if (set->slot[k])
				name_set_put(&big, set->slot[k]);
		free(set->slot);
		*set = big;
	}
	name_set_put(set, s);
	return true;
}

/* Note s for the require block unless this module declares it; own
 * holds the module's types and every name noted so far. */
static void
ext_note(struct cp_sel_plan *pl, struct name_set *own, const char *s)
{
	if (!s || s == pl->domain || strcmp(s, "self") == 0 || s[0] == '$' ||
	    !name_set_add(own, s))
		return;
	if (is_attr(s))
		name_push(&pl->ext_attrs, &pl->next_attrs, &pl->capext_attrs,
			  s);
	else
		name_push(&pl->ext_types, &pl->next_types, &pl->capext_types,
			  s);
}

/* Collect what other modules must declare, for the require block. */
static void
plan_collect_ext(struct cp_sel_plan *pl)
{
	struct name_set own = {NULL, 127, 0, NULL};
	struct name_set roles = {NULL, 7, 0, NULL};

	own.slot = cp_xcalloc(own.mask + 1, sizeof(*own.slot));
	roles.slot = cp_xcalloc(roles.mask + 1, sizeof(*roles.slot));
	for (size_t i = 0; i < pl->nitems; i++)
		if (pl->items[i].kind == CP_SEL_TYPE)
			name_set_add(&own, pl->items[i].a);
	for (size_t i = 0; i < pl->nitems; i++) {
		const struct cp_sel_item *it = &pl->items[i];

		switch (it->kind) {
		case CP_SEL_ATTR:
			ext_note(pl, &own, it->b);
			break;
		case CP_SEL_ROLE:
			if (strcmp(it->a, "object_r") != 0 &&
			    name_set_add(&roles, it->a))
				name_push(&pl->ext_roles, &pl->next_roles,
					  &pl->capext_roles, it->a);
			break;
		case CP_SEL_ALLOW:
		case CP_SEL_DONTAUDIT:
			ext_note(pl, &own, it->a);
			ext_note(pl, &own, it->b);
			break;
		default:
			break;
		}
	}
	free(own.slot);
	free(roles.slot);
	cp_qsort(pl->ext_types, pl->next_types, sizeof(char *), str_cmp);
	cp_qsort(pl->ext_attrs, pl->next_attrs, sizeof(char *), str_cmp);
	cp_qsort(pl->ext_roles, pl->next_roles, sizeof(char *), str_cmp);
}

/* --- file contexts --- */

/* Whether the byte at s, in path, stays as it is. */
static bool
fc_plain(const char *path, const char *s)
{
	unsigned char c = (unsigned char)*s;

	/* genhomedircon rewrites lines holding these words. */
	if ((c == 'U' && strncmp(s, "USER", 4) == 0) ||
	    (c == 'R' && strncmp(s, "ROLE", 4) == 0))
		return false;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '/' || c == '-' || c >= 0x80)
		return true;
	return c == '_' && !(s - path >= 4 && strncmp(s - 4, "HOME", 4) == 0);
}

/* Runs of plain bytes go in whole: most paths are nothing else. */
void
cp_sel_fc_regex(struct cp_buf *b, const char *path)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = path;

	while (*s) {
		const char *run = s;
		unsigned char c;
		char esc[4] = {'\\', 'x'};

		while (*s && fc_plain(path, s))
			s++;
		if (s > run)
			cp_buf_add(b, run, (size_t)(s - run));
		if (!*s)
			break;
		c = (unsigned char)*s++;
		if (strchr(".^$|?*+()[]{}\\", c)) {
			esc[1] = (char)c;
			cp_buf_add(b, esc, 2);
		} else {
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			cp_buf_add(b, esc, 4);
		}
	}
}

/* A file context for path and below; home, when true, puts the
 * genhomedircon template HOME_DIR before it (path is then relative). */
static void
plan_fc_at(struct cp_sel_plan *pl, bool home, const char *path,
	   const char *type)
{
	struct cp_buf b = CP_BUF_INIT;
	struct cp_sel_fc *fc;

	if (home)
		cp_buf_puts(&b, "HOME_DIR/");
	cp_sel_fc_regex(&b, path);
	cp_buf_puts(&b, "(/.*)?");
	cp_xgrow(&pl->fcs, &pl->capfcs, pl->nfcs + 1, sizeof(*fc));
	fc = &pl->fcs[pl->nfcs++];
	fc->regex = plan_cat(pl, b.data, NULL);
	fc->type = type;
	fc->path = plan_cat(pl, home ? "~/" : "", path, NULL);
	cp_buf_free(&b);
}

static void
plan_fc(struct cp_sel_plan *pl, const char *path, const char *type)
{
	plan_fc_at(pl, false, path, type);
}

/* --- sections --- */

static void
sect_declare(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;

	plan_comment(pl, "The container's domain.  It joins none of the "
			 "container module's");
	plan_comment(pl, "attributes: container_domain and "
			 "container_net_domain grant capabilities");
	plan_comment(pl, "and ports to every member.  What a container "
			 "needs is below, rule by rule.");
	plan_item(pl, CP_SEL_TYPE, d, NULL, NULL, NULL);
	plan_item(pl, CP_SEL_ATTR, d, "domain", NULL, NULL);
	plan_item(pl, CP_SEL_ATTR, d, "process_user_target", NULL, NULL);
	plan_item(pl, CP_SEL_ATTR, d, "mlsrangetrans", NULL, NULL);
	plan_item(pl, CP_SEL_ATTR, d, "mcs_constrained_type", NULL, NULL);
	plan_item(pl, CP_SEL_ROLE, "container_roles", d, NULL, NULL);
	if (cx->p->mode == CP_MODE_COMPLAIN) {
		plan_comment(pl, "mode complain: the domain is permissive "
				 "(denials are logged, not enforced).");
		plan_item(pl, CP_SEL_PERMISSIVE, d, NULL, NULL, NULL);
	}
	plan_blank(pl);
}

static void
sect_caps(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	struct cp_buf lo = CP_BUF_INIT, hi = CP_BUF_INIT;
	/* SELinux sorts permissions itself; sort here for stable text. */
	const char *names[CP_CAP_COUNT];
	size_t n = 0;

	for (int cap = 0; cap < CP_CAP_COUNT; cap++)
		if (cx->p->caps & (UINT64_C(1) << cap))
			names[n++] = cp_cap_name(cap);
	if (n == 0) {
		plan_comment(pl, "capabilities: none.");
		plan_blank(pl);
		return;
	}
	cp_qsort(names, n, sizeof(names[0]), str_cmp);
	for (size_t i = 0; i < n; i++) {
		int cap = cp_cap_lookup(names[i]);
		struct cp_buf *b = cap < 32 ? &lo : &hi;

		if (b->len)
			cp_buf_putc(b, ' ');
		cp_buf_puts(b, names[i]);
	}
	plan_comment(pl, "capabilities: exactly the declared ones, in the "
			 "initial and in user");
	plan_comment(pl, "namespaces (capability2 holds those numbered 32 "
			 "and up).");
	if (lo.len) {
		const char *perms = plan_cat(pl, lo.data, NULL);

		plan_allow(pl, pl->domain, "self", "capability", perms);
		plan_allow(pl, pl->domain, "self", "cap_userns", perms);
	}
	if (hi.len) {
		const char *perms = plan_cat(pl, hi.data, NULL);

		plan_allow(pl, pl->domain, "self", "capability2", perms);
		plan_allow(pl, pl->domain, "self", "cap2_userns", perms);
	}
	cp_buf_free(&lo);
	cp_buf_free(&hi);
	plan_blank(pl);
}

static void
sect_process(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;

	plan_comment(pl, "Processes, signals and IPC within the container "
			 "only; no execmem, no ptrace.");
	plan_allow(pl, d, "self", "process",
		   "fork getattr getcap getpgid getrlimit getsched "
		   "getsession setcap setpgid setrlimit setsched sigchld "
		   "sigkill signal signull sigstop");
	plan_allow(pl, d, "self", "fifo_file", P_NODE_W);
	plan_allow(pl, d, "self", "unix_stream_socket",
		   "accept append bind connect connectto create getattr "
		   "getopt ioctl listen lock map read setattr setopt "
		   "shutdown write");
	plan_allow(pl, d, "self", "unix_dgram_socket",
		   "append bind connect create getattr getopt ioctl lock "
		   "map read sendto setattr setopt shutdown write");
	plan_allow(pl, d, "self", "sem", P_IPC);
	plan_allow(pl, d, "self", "shm",
		   "associate create destroy getattr "
		   "lock read setattr unix_read "
		   "unix_write write");
	plan_allow(pl, d, "self", "msgq",
		   "associate create destroy enqueue "
		   "getattr read setattr unix_read "
		   "unix_write write");
	plan_allow(pl, d, "self", "msg", "receive send");
	plan_allow(pl, d, "self", "key",
		   "create link read search setattr view write");
	plan_comment(pl, "Its own /proc/PID entries.");
	plan_allow(pl, d, "self", "dir", P_DIR_R);
	plan_allow(pl, d, "self", "file",
		   "append getattr ioctl lock open "
		   "read write");
	plan_allow(pl, d, "self", "lnk_file", P_LNK_R);
	plan_comment(pl, "As every domain: tell init about exits.");
	plan_allow(pl, d, "init_t", "process", "sigchld signull");
	plan_blank(pl);
}

void
cp_sel_plan_starter(struct cp_sel_plan *pl, const struct cp_policy *p,
		    const char *src)
{
	const char *d = pl->domain;

	plan_allow(pl, src, d, "process",
		   "getattr sigkill signal signull sigstop transition");
	if (p->new_privileges)
		plan_allow(pl, src, d, "process2", "nosuid_transition");
	else
		plan_allow(pl, src, d, "process2",
			   "nnp_transition nosuid_transition");
	plan_item(pl, CP_SEL_DONTAUDIT, src, d, "process",
		  "noatsecure rlimitinh siginh");
	plan_allow(pl, src, d, "dir", P_DIR_R);
	plan_allow(pl, src, d, "file", "getattr ioctl lock open read");
	plan_allow(pl, src, d, "lnk_file", P_LNK_R);
	plan_allow(pl, src, d, "key", "create search setattr view");
	plan_allow(pl, d, src, "fd", "use");
	plan_allow(pl, d, src, "fifo_file", P_FIFO_RW);
	plan_allow(pl, d, src, "process", "sigchld");
}

static void
sect_engine(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;

	plan_comment(pl, "Container engines (runc, podman, docker as the "
			 "container module labels");
	plan_comment(pl, "them) start the container in this domain, also "
			 "under no-new-privileges.");
	cp_sel_plan_starter(pl, cx->p, "container_engine_domain");
	plan_blank(pl);
}

static void
put_image_rules(struct sel_ctx *cx, const char *t, unsigned acc)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;
	bool w = acc & ACC_W;

	plan_allow(pl, d, t, "dir", w ? P_DIR_W : P_DIR_R);
	plan_allow(pl, d, t, "file",
		   w ? (acc & ACC_X ? P_FILE_XW : P_FILE_W)
		     : (acc & ACC_X ? P_FILE_X : P_FILE_R));
	plan_allow(pl, d, t, "lnk_file", w ? P_LNK_W : P_LNK_R);
	plan_allow(pl, d, t, "fifo_file", w ? P_NODE_W : P_NODE_R);
	plan_allow(pl, d, t, "sock_file", w ? P_NODE_W : P_NODE_R);
}

static void
sect_image(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;
	const struct cp_policy *p = cx->p;

	cx->image_acc = ACC_R | ACC_X;
	for (size_t i = 0; i < p->nmounts; i++)
		if (p->mounts[i].kind == CP_MOUNT_TMPFS)
			cx->tmpfs_any = true;
	if (p->writable_root || cx->tmpfs_any)
		cx->image_acc |= ACC_W;

	plan_comment(
		pl, "The image: the engine labels the root file system " T_IMAGE
		    " (with the");
	plan_comment(pl,
		     "container's MCS categories) and image layers " T_IMAGE_RO
		     ".");
	if (p->writable_root)
		plan_note(cx, &p->writable_root_loc,
			  "unsafe writable-root: write access is granted on "
			  "every file labelled %s, which the engine gives the "
			  "whole root file system and every tmpfs mount of "
			  "the container",
			  T_IMAGE);
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind != CP_MOUNT_TMPFS)
			continue;
		plan_note(cx, &m->loc,
			  "mount tmpfs %s: the engine labels a tmpfs with the "
			  "container's file label %s, which the root file "
			  "system carries too; SELinux grants write on that "
			  "label as a whole, and only the read-only root "
			  "mount keeps the root from being written%s",
			  m->target, T_IMAGE,
			  m->noexec ? "; noexec is enforced by the mount "
				      "option, not by SELinux"
				    : "");
	}
	put_image_rules(cx, T_IMAGE, cx->image_acc);
	put_image_rules(cx, T_IMAGE_RO, ACC_R | ACC_X);
	plan_allow(pl, d, T_IMAGE, "chr_file", P_CHR_RW);
	plan_allow(pl, d, T_IMAGE, "filesystem", "getattr");
	plan_allow(pl, d, T_IMAGE, "file", "entrypoint");
	plan_allow(pl, d, T_IMAGE_RO, "file", "entrypoint");
	plan_comment(pl, "Terminals the engine allocates.");
	plan_allow(pl, d, "container_devpts_t", "chr_file", P_CHR_RW);
	plan_blank(pl);
}

static void
sect_system(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;

	plan_comment(pl, "Runtime baseline: read /proc and kernel sysctls, "
			 "the random devices,");
	plan_comment(pl, "cgroup limits.  No writes to /proc or /sys.");
	plan_allow(pl, d, "proc_t", "dir", P_DIR_R);
	plan_allow(pl, d, "proc_t", "file", "getattr ioctl lock open read");
	plan_allow(pl, d, "proc_t", "lnk_file", P_LNK_R);
	plan_allow(pl, d, "sysctl_t", "dir", P_DIR_R);
	plan_allow(pl, d, "sysctl_kernel_t", "dir", P_DIR_R);
	plan_allow(pl, d, "sysctl_kernel_t", "file",
		   "getattr ioctl lock open read");
	plan_allow(pl, d, "sysctl_vm_t", "dir", P_DIR_R);
	plan_allow(pl, d, "sysctl_vm_overcommit_t", "file",
		   "getattr ioctl lock open read");
	plan_allow(pl, d, "random_device_t", "chr_file",
		   "getattr ioctl lock open read");
	plan_allow(pl, d, "urandom_device_t", "chr_file",
		   "getattr ioctl lock open read");
	plan_allow(pl, d, "cgroup_t", "dir", P_DIR_R);
	plan_allow(pl, d, "cgroup_t", "file", "getattr ioctl lock open read");
	plan_allow(pl, d, "cgroup_t", "lnk_file", P_LNK_R);
	plan_blank(pl);
}

/* Directories whose relabelling would break the host. */
static bool
system_dir(const char *path)
{
	static const char *const exact[] = {
		"/",	    "/bin",	"/boot",      "/dev",	  "/etc",
		"/home",    "/lib",	"/lib32",     "/lib64",	  "/libx32",
		"/proc",    "/root",	"/run",	      "/sbin",	  "/sys",
		"/tmp",	    "/usr",	"/var",	      "/var/lib", "/var/log",
		"/var/run", "/var/tmp", "/var/spool", "/srv",	  "/opt",
		"/mnt",	    "/media",
	};
	static const char *const tree[] = {
		"/boot",
		"/dev",
		"/etc/selinux",
		"/proc",
		"/run",
		"/sys",
		"/var/lib/containers",
		"/var/lib/docker",
		"/var/lib/selinux",
		"/var/run",
	};

	for (size_t i = 0; i < CP_ARRAY_LEN(exact); i++)
		if (strcmp(path, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < CP_ARRAY_LEN(tree); i++) {
		size_t n = strlen(tree[i]);

		if (strncmp(path, tree[i], n) == 0 && path[n] == '/')
			return true;
	}
	return false;
}

/* The engines' API sockets, which the container module labels
 * container_runtime_t: `unsafe mount bind` of one grants the engine. */
static bool
engine_socket(const char *path)
{
	static const char *const socks[] = {
		"/run/containerd/containerd.sock",
		"/run/docker.sock",
		"/run/podman/podman.sock",
		"/var/run/containerd/containerd.sock",
		"/var/run/docker.sock",
		"/var/run/podman/podman.sock",
	};

	for (size_t i = 0; i < CP_ARRAY_LEN(socks); i++)
		if (strcmp(path, socks[i]) == 0)
			return true;
	return false;
}

/* strcmp() of s with the n bytes at key. */
static int
cmp_n(const char *s, const char *key, size_t n)
{
	int c = strncmp(s, key, n);

	return c ? c : s[n] != '\0';
}

static int
mount_target_cmp(const void *a, const void *b)
{
	const struct cp_mount *x = *(const struct cp_mount *const *)a;
	const struct cp_mount *y = *(const struct cp_mount *const *)b;
	int c = strcmp(x->target, y->target);

	return c ? c : (x > y) - (x < y);
}

static int
mount_source_cmp(const void *a, const void *b)
{
	const struct cp_mount *x = *(const struct cp_mount *const *)a;
	const struct cp_mount *y = *(const struct cp_mount *const *)b;
	int c = x->kind == y->kind ? strcmp(x->source, y->source)
				   : (x->kind > y->kind) - (x->kind < y->kind);

	return c ? c : (x > y) - (x < y);
}

static void
mindex_build(struct sel_mindex *ix, const struct cp_policy *p)
{
	size_t n = p->nmounts ? p->nmounts : 1;

	ix->by_target = cp_xmalloc(n * sizeof(*ix->by_target));
	ix->by_source = cp_xmalloc(n * sizeof(*ix->by_source));
	ix->reach = cp_xmalloc(n * sizeof(*ix->reach));
	ix->nsource = 0;
	for (size_t i = 0; i < p->nmounts; i++) {
		ix->by_target[i] = &p->mounts[i];
		if (p->mounts[i].kind != CP_MOUNT_TMPFS)
			ix->by_source[ix->nsource++] = &p->mounts[i];
	}
	cp_qsort(ix->by_target, p->nmounts, sizeof(*ix->by_target),
		 mount_target_cmp);
	cp_qsort(ix->by_source, ix->nsource, sizeof(*ix->by_source),
		 mount_source_cmp);
}

static void
mindex_free(struct sel_mindex *ix)
{
	free(ix->by_target);
	free(ix->by_source);
	free(ix->reach);
}

/* The first position in by_target whose target is not below the n
 * bytes at key. */
static size_t
target_lower(const struct sel_ctx *cx, const char *key, size_t n)
{
	size_t lo = 0, hi = cx->p->nmounts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_n(cx->ix.by_target[mid]->target, key, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first mount whose target is the n bytes at key, or -1. */
static long
target_find(const struct sel_ctx *cx, const char *key, size_t n)
{
	size_t i = target_lower(cx, key, n);

	if (i < cx->p->nmounts &&
	    cmp_n(cx->ix.by_target[i]->target, key, n) == 0)
		return cx->ix.by_target[i] - cx->p->mounts;
	return -1;
}

/* The first volume or bind mount of kind from the source that is the n
 * bytes at key, or -1. */
static long
source_find(const struct sel_ctx *cx, enum cp_mount_kind kind, const char *key,
	    size_t n)
{
	size_t lo = 0, hi = cx->ix.nsource;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cp_mount *m = cx->ix.by_source[mid];

		if (m->kind < kind ||
		    (m->kind == kind && cmp_n(m->source, key, n) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cx->ix.nsource && cx->ix.by_source[lo]->kind == kind &&
	    cmp_n(cx->ix.by_source[lo]->source, key, n) == 0)
		return cx->ix.by_source[lo] - cx->p->mounts;
	return -1;
}

/*
 * The mount whose target holds path (the deepest one), or -1.  A target
 * holds path when it is path, path up to one of its '/', or "/"; both
 * are absolute.  So look those up, longest first.
 */
static long
mount_of(const struct sel_ctx *cx, const char *path)
{
	size_t len = strlen(path);

	for (size_t n = len; n >= 2; n--) {
		long i;

		if (n < len && path[n] != '/')
			continue;
		i = target_find(cx, path, n);
		if (i >= 0)
			return i;
	}
	return target_find(cx, "/", 1);
}

/* True when the rule names the whole mount: TARGET or TARGET/ **. */
static bool
rule_whole(const char *path, const char *target)
{
	size_t n = strlen(target);

	return strncmp(path, target, n) == 0 &&
	       (path[n] == '\0' || strcmp(path + n, "/**") == 0);
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/*
 * The mounts whose files the rule's pattern can match, in mount order,
 * into cx->ix.reach; returns how many.  mi is mount_of(path).  A rule
 * reaches the mount it lies in, and a "**" in it reaches every mount
 * below the directory where it starts (exec of everything under /opt
 * reaches a mount at /opt/app).  Both are runs of by_target.
 */
static size_t
rule_reach(const struct sel_ctx *cx, const char *path, long mi)
{
	const struct cp_policy *p = cx->p;
	const char *dstar = strstr(path, "**");
	size_t a1 = 0, b1 = 0, a2 = 0, b2 = 0, k = 0, n;
	bool sorted = true;

	if (mi >= 0) {
		const char *t = p->mounts[mi].target;

		a1 = b1 = target_lower(cx, t, strlen(t));
		while (b1 < p->nmounts &&
		       strcmp(cx->ix.by_target[b1]->target, t) == 0)
			b1++;
	}
	n = strcspn(path, "*?[{");
	/* path[0..n) must be a literal directory prefix ending in '/',
	 * with no other glob before the "**". */
	if (dstar && (size_t)(dstar - path) == n && n > 0 &&
	    path[n - 1] == '/') {
		a2 = b2 = target_lower(cx, path, n);
		while (b2 < p->nmounts &&
		       strncmp(cx->ix.by_target[b2]->target, path, n) == 0)
			b2++;
	}
	for (size_t i = a1; i < b1; i++)
		cx->ix.reach[k++] = (size_t)(cx->ix.by_target[i] - p->mounts);
	for (size_t i = a2; i < b2; i++)
		if (i < a1 || i >= b1)
			cx->ix.reach[k++] =
				(size_t)(cx->ix.by_target[i] - p->mounts);
	for (size_t i = 1; i < k; i++)
		if (cx->ix.reach[i - 1] > cx->ix.reach[i])
			sorted = false;
	if (!sorted)
		cp_qsort(cx->ix.reach, k, sizeof(*cx->ix.reach), size_cmp);
	return k;
}

static unsigned
access_bits(enum cp_access a)
{
	switch (a) {
	case CP_ACCESS_READ:
		return ACC_R;
	case CP_ACCESS_WRITE:
		return ACC_W;
	case CP_ACCESS_APPEND:
		return ACC_A;
	case CP_ACCESS_EXEC:
		return ACC_X;
	}
	return 0;
}

static const char *
access_word(enum cp_access a)
{
	switch (a) {
	case CP_ACCESS_READ:
		return "read";
	case CP_ACCESS_WRITE:
		return "write";
	case CP_ACCESS_APPEND:
		return "append";
	case CP_ACCESS_EXEC:
		return "exec";
	}
	return "?";
}

/* Give each volume and bind source a type; fold in exec rules and
 * denials that cover a whole mount. */
static void
mounts_assign(struct sel_ctx *cx)
{
	const struct cp_policy *p = cx->p;
	unsigned nvol = 0, nbind = 0;

	cx->mt = cp_xcalloc(p->nmounts ? p->nmounts : 1, sizeof(*cx->mt));
	mindex_build(&cx->ix, p);
	for (size_t i = 0; i < p->nmounts; i++)
		cx->mt[i].m = &p->mounts[i];
	/* The first mount of each source, in mount order, owns the type:
	 * by_source holds every source's mounts together, first first. */
	for (size_t k = 1; k < cx->ix.nsource; k++) {
		const struct cp_mount *o = cx->ix.by_source[k - 1];
		const struct cp_mount *m = cx->ix.by_source[k];

		if (o->kind == m->kind && strcmp(o->source, m->source) == 0)
			cx->mt[m - p->mounts].m = cx->mt[o - p->mounts].m;
	}
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];
		struct sel_mtype *t = &cx->mt[i];
		char num[16];

		if (m->kind == CP_MOUNT_TMPFS)
			continue;
		t->acc = ACC_R | (m->read_only ? 0 : ACC_W);
		if (t->m != m) {
			const struct sel_mtype *o = &cx->mt[t->m - p->mounts];

			t->type = o->type;
			t->refused = o->refused;
			continue;
		}
		if (m->kind == CP_MOUNT_BIND && system_dir(m->source)) {
			t->refused = true;
			t->type = "";
			continue;
		}
		snprintf(num, sizeof(num), "%u",
			 m->kind == CP_MOUNT_VOLUME ? ++nvol : ++nbind);
		t->type = plan_cat(cx->pl, cx->pl->ident,
				   m->kind == CP_MOUNT_VOLUME ? "_volume"
							      : "_bind",
				   num, "_t", NULL);
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *r = &p->files[i];
		size_t k;

		if (r->deny || r->access != CP_ACCESS_EXEC)
			continue;
		k = rule_reach(cx, r->path, mount_of(cx, r->path));
		for (size_t j = 0; j < k; j++)
			if (p->mounts[cx->ix.reach[j]].kind != CP_MOUNT_TMPFS)
				cx->mt[cx->ix.reach[j]].acc |= ACC_X;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *r = &p->files[i];
		long mi;
		struct sel_mtype *t;

		if (!r->deny)
			continue;
		mi = mount_of(cx, r->path);
		if (mi < 0 || p->mounts[mi].kind == CP_MOUNT_TMPFS ||
		    !rule_whole(r->path, p->mounts[mi].target))
			continue;
		t = &cx->mt[mi];
		if (r->access == CP_ACCESS_READ)
			t->acc = 0;
		else if (r->access == CP_ACCESS_EXEC)
			t->acc &= ~(unsigned)ACC_X;
		else
			t->acc &= ~(unsigned)(ACC_W | ACC_A);
	}
	/* Every mount of a source shares its type, and its access. */
	for (size_t i = 0; i < p->nmounts; i++)
		if (p->mounts[i].kind != CP_MOUNT_TMPFS)
			cx->mt[cx->mt[i].m - p->mounts].type_acc |=
				cx->mt[i].acc;
}

/* The access of every mount of the type of mount i, unioned. */
static unsigned
type_access(const struct sel_ctx *cx, size_t i)
{
	return cx->mt[cx->mt[i].m - cx->p->mounts].type_acc;
}

static void
put_mount_rules(struct sel_ctx *cx, const char *type, unsigned acc)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *d = pl->domain;
	bool w = acc & ACC_W;

	if (!(acc & (ACC_R | ACC_W)))
		return;
	plan_allow(pl, d, type, "dir", w ? P_DIR_W : P_DIR_R);
	plan_allow(pl, d, type, "file",
		   w ? (acc & ACC_X ? P_FILE_XW : P_FILE_W)
		     : (acc & ACC_X ? P_FILE_X : P_FILE_R));
	plan_allow(pl, d, type, "lnk_file", w ? P_LNK_W : P_LNK_R);
	if (w) {
		plan_allow(pl, d, type, "fifo_file", P_NODE_W);
		plan_allow(pl, d, type, "sock_file", P_NODE_W);
	}
}

static void
sect_mounts(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const struct cp_policy *p = cx->p;
	bool any = false;

	mounts_assign(cx);
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct sel_mtype *t = &cx->mt[i];
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind == CP_MOUNT_TMPFS)
			continue;
		if (!any)
			plan_comment(pl, "Volumes and bind mounts: one type "
					 "per host directory, labelled");
		if (!any)
			plan_comment(pl, "by the .fc file (restorecon), "
					 "with the declared access.");
		any = true;
		if (t->refused && m->is_unsafe && engine_socket(m->source)) {
			plan_note(cx, &m->loc,
				  "unsafe mount bind %s: the container may "
				  "connect to every socket labelled "
				  "container_runtime_t and to every container "
				  "engine, which is root on the host",
				  m->source);
			plan_allow(pl, pl->domain, "container_runtime_t", "dir",
				   "getattr open search");
			plan_allow(pl, pl->domain, "container_runtime_t",
				   "sock_file", "append getattr open write");
			plan_allow(pl, pl->domain, "container_engine_domain",
				   "unix_stream_socket", "connectto");
			continue;
		}
		if (t->refused) {
			plan_note(cx, &m->loc,
				  "mount bind %s: cpolc does not relabel a "
				  "system directory, so the container gets "
				  "no SELinux access to it; bind a directory "
				  "of its own instead",
				  m->source);
			continue;
		}
		plan_comment(
			pl,
			plan_cat(pl, "mount ",
				 m->kind == CP_MOUNT_VOLUME ? "volume" : "bind",
				 " ", m->source, " at ", m->target, " ",
				 t->acc & ACC_W ? "read-write" : "read-only",
				 ": ", t->type, NULL));
		if (t->m != m)
			continue; /* the type exists already */
		plan_item(pl, CP_SEL_TYPE, t->type, NULL, NULL, NULL);
		plan_item(pl, CP_SEL_ATTR, t->type, "file_type", NULL, NULL);
		plan_item(pl, CP_SEL_ATTR, t->type, "non_security_file_type",
			  NULL, NULL);
		plan_item(pl, CP_SEL_ATTR, t->type, "non_auth_file_type", NULL,
			  NULL);
		plan_item(pl, CP_SEL_ATTR, t->type, "container_mountpoint_type",
			  NULL, NULL);
		plan_item(pl, CP_SEL_ROLE, "object_r", t->type, NULL, NULL);
		if (m->kind == CP_MOUNT_VOLUME) {
			/* Where podman (also rootless) and docker keep
			 * named volumes. */
			plan_fc(pl,
				plan_cat(pl,
					 "/var/lib/containers/storage/volumes/",
					 m->source, "/_data", NULL),
				t->type);
			plan_fc(pl,
				plan_cat(pl, "/var/lib/docker/volumes/",
					 m->source, "/_data", NULL),
				t->type);
			plan_fc_at(pl, true,
				   plan_cat(pl,
					    ".local/share/containers/storage/"
					    "volumes/",
					    m->source, "/_data", NULL),
				   t->type);
		} else {
			plan_fc(pl, m->source, t->type);
		}
	}
	/* Rules per type, with the access of every mount of it and of
	 * every bind mount of an enclosing host directory. */
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct sel_mtype *t = &cx->mt[i];
		unsigned acc;

		if (p->mounts[i].kind == CP_MOUNT_TMPFS || t->refused ||
		    t->m != &p->mounts[i])
			continue;
		acc = type_access(cx, i);
		/* The bind mounts of "/" and of the source up to each of
		 * its '/' (not the source itself). */
		for (size_t n = t->m->kind == CP_MOUNT_BIND
					? strlen(t->m->source)
					: 0;
		     n-- > 1;) {
			const char *src = t->m->source;
			long j;

			if (src[n] != '/')
				continue;
			j = source_find(cx, CP_MOUNT_BIND, src, n);
			if (j >= 0 && !cx->mt[j].refused)
				acc |= type_access(cx, (size_t)j);
		}
		if (t->m->kind == CP_MOUNT_BIND && strcmp(t->m->source, "/")) {
			long j = source_find(cx, CP_MOUNT_BIND, "/", 1);

			if (j >= 0 && !cx->mt[j].refused)
				acc |= type_access(cx, (size_t)j);
		}
		put_mount_rules(cx, t->type, acc);
	}
	if (any)
		plan_blank(pl);
}

/* One line per file rule: what SELinux makes of it. */
static void
sect_files(struct sel_ctx *cx)
{
	const struct cp_policy *p = cx->p;
	struct cp_sel_plan *pl = cx->pl;

	if (p->nfiles == 0)
		return;
	plan_comment(pl, "File rules: SELinux labels files, not paths.");
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *r = &p->files[i];
		long mi = mount_of(cx, r->path);
		const char *what = access_word(r->access);
		const char *neg = r->deny ? "deny " : "";
		unsigned want = access_bits(r->access);
		unsigned have;
		const char *label, *where;
		struct cp_buf at = CP_BUF_INIT;

		if (mi >= 0 && p->mounts[mi].kind != CP_MOUNT_TMPFS) {
			const struct sel_mtype *t = &cx->mt[mi];

			if (t->refused) {
				plan_note(cx, &r->loc,
					  "%s%s %s: the mount at %s has no "
					  "SELinux label of its own (see the "
					  "mount)",
					  neg, what, r->path,
					  p->mounts[mi].target);
				continue;
			}
			label = t->type;
			have = type_access(cx, (size_t)mi);
			cp_buf_puts(&at, "the mount at ");
			cp_buf_puts(&at, p->mounts[mi].target);
			where = at.data;
		} else {
			label = T_IMAGE;
			have = cx->image_acc;
			where = mi >= 0 ? "the tmpfs mounts and the root file "
					  "system"
					: "the root file system";
		}
		if (want == ACC_A && (have & ACC_W))
			have |= ACC_A;
		if (r->deny && !(have & want)) {
			plan_comment_cat(pl, "deny ", what, " ", r->path,
					 ": exact, nothing grants it on ",
					 label, NULL);
		} else if (r->deny) {
			plan_note(cx, &r->loc,
				  "deny %s %s: not expressible, %s is "
				  "granted on %s, which labels all of %s",
				  what, r->path, what, label, where);
		} else if (!(have & want)) {
			plan_note(cx, &r->loc,
				  "%s %s: not granted, %s is read-only "
				  "(label %s)",
				  what, r->path, where, label);
		} else if (mi >= 0 && p->mounts[mi].kind != CP_MOUNT_TMPFS &&
			   rule_whole(r->path, p->mounts[mi].target)) {
			plan_comment_cat(pl, what, " ", r->path, ": exact, on ",
					 label, NULL);
		} else {
			struct cp_buf also = CP_BUF_INIT;

			/* An exec glob from above a mount also gave the
			 * mount's type execute (mounts_assign()). */
			size_t k = r->access == CP_ACCESS_EXEC
					   ? rule_reach(cx, r->path, mi)
					   : 0;

			for (size_t q = 0; q < k; q++) {
				size_t j = cx->ix.reach[q];
				const struct sel_mtype *t = &cx->mt[j];

				if (t->refused ||
				    p->mounts[j].kind == CP_MOUNT_TMPFS ||
				    (long)j == mi)
					continue;
				cp_buf_puts(&also, ", and on ");
				cp_buf_puts(&also, t->type);
				cp_buf_puts(&also, ", all of the mount at ");
				cp_buf_puts(&also, p->mounts[j].target);
			}
			plan_note(cx, &r->loc,
				  "%s %s: granted on every file labelled "
				  "%s, that is all of %s%s",
				  what, r->path, label, where,
				  also.len ? also.data : "");
			cp_buf_free(&also);
		}
		cp_buf_free(&at);
	}
	plan_blank(pl);
}

/* --- network --- */

struct sel_ptype {
	const char *type;
	const struct cp_port_range *r; /* the first range that needs it */
};

/*
 * The port types the ranges of proto in v need, each with the first
 * range that needs it, into out; and the ports they hold, as sorted
 * disjoint spans, into spans.  v is sorted by proto and first port (see
 * struct cp_policy), so the ports of a range below the end of every
 * range before it are held by one of those, and their types are known:
 * each port is looked up once, however the ranges overlap, and in
 * ascending order, so the type changes at most once per table segment.
 */
static void
ports_types(const struct cp_port_range *v, size_t n, enum cp_proto proto,
	    struct sel_ptype *out, size_t *nout, struct cp_sel_span *spans,
	    size_t *nspans)
{
	unsigned done = 0; /* the ranges so far hold up to done - 1 */
	const char *last_t = NULL;

	for (size_t i = 0; i < n; i++) {
		struct cp_sel_span *sp = *nspans ? &spans[*nspans - 1] : NULL;

		if (v[i].proto != proto)
			continue;
		CP_ASSERT(!sp || sp->first <= v[i].first);
		if (sp && v[i].first <= sp->last + 1) {
			if (v[i].last > sp->last)
				sp->last = v[i].last;
		} else {
			spans[*nspans].first = v[i].first;
			spans[*nspans].last = v[i].last;
			(*nspans)++;
		}
		/* The type is constant up to the next break of the table. */
		for (unsigned a = v[i].first > done ? v[i].first : done;
		     a <= v[i].last;) {
			const char *t = cp_sel_port_type(proto, a);
			size_t k;

			a = cp_sel_port_next(proto, a);
			if (t == last_t)
				continue;
			last_t = t;
			for (k = 0; k < *nout; k++)
				if (strcmp(out[k].type, t) == 0)
					break;
			if (k == *nout) {
				out[k].type = t;
				out[k].r = &v[i];
				(*nout)++;
			}
		}
		if (v[i].last + 1 > done)
			done = v[i].last + 1;
	}
}

static int
ptype_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sel_ptype *)a)->type,
		      ((const struct sel_ptype *)b)->type);
}

static bool
has_proto(const struct cp_port_range *v, size_t n, enum cp_proto proto)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].proto == proto)
			return true;
	return false;
}

static void
sect_ports(struct sel_ctx *cx, const struct cp_port_range *v, size_t n,
	   enum cp_proto proto, bool listen)
{
	struct cp_sel_plan *pl = cx->pl;
	const char *pname = proto == CP_PROTO_TCP ? "tcp" : "udp";
	const char *cls = proto == CP_PROTO_TCP ? "tcp_socket" : "udp_socket";
	const char *perm = listen ? "name_bind" : "name_connect";
	/* At most one type per port table entry plus the generic ones. */
	struct sel_ptype *types;
	size_t ntypes = 0, nspans = 0;
	struct cp_sel_span *spans;

	if (!has_proto(v, n, proto))
		return;
	if (!listen && proto == CP_PROTO_UDP) {
		for (size_t i = 0; i < n; i++)
			if (v[i].proto == proto)
				plan_note(cx, &v[i].loc,
					  "connect udp %u: SELinux does not "
					  "check the destination port of UDP; "
					  "the domain can send to any udp port",
					  v[i].first);
		return;
	}
	types = cp_xmalloc((cp_sel_nports + 4) * sizeof(*types));
	spans = cp_xmalloc(n * sizeof(*spans));
	ports_types(v, n, proto, types, &ntypes, spans, &nspans);
	cp_qsort(types, ntypes, sizeof(*types), ptype_cmp);
	for (size_t i = 0; i < ntypes; i++) {
		const struct cp_port_range *r = types[i].r;
		char range[16];

		if (r->first == r->last)
			snprintf(range, sizeof(range), "%u", r->first);
		else
			snprintf(range, sizeof(range), "%u-%u", r->first,
				 r->last);
		/* A generic type's note names no ports: is there one? */
		if (cp_sel_port_generic(types[i].type)) {
			if (cp_sel_port_others(NULL, proto, types[i].type,
					       spans, nspans))
				plan_note(cx, &r->loc,
					  "%s %s %s: %s is granted on %s, the "
					  "catch-all type of every %s port in "
					  "its range that has no type of its "
					  "own",
					  listen ? "listen" : "connect", pname,
					  range, perm, types[i].type, pname);
		} else {
			struct cp_buf others = CP_BUF_INIT;

			if (cp_sel_port_others(&others, proto, types[i].type,
					       spans, nspans))
				plan_note(cx, &r->loc,
					  "%s %s %s: %s is granted on %s, "
					  "which also covers %s %s",
					  listen ? "listen" : "connect", pname,
					  range, perm, types[i].type, pname,
					  others.data);
			cp_buf_free(&others);
		}
		plan_allow(pl, pl->domain, types[i].type, cls, perm);
	}
	free(types);
	free(spans);
}

static void
sect_network(struct sel_ctx *cx)
{
	struct cp_sel_plan *pl = cx->pl;
	const struct cp_policy *p = cx->p;
	const char *d = pl->domain;
	bool tcp_listen = has_proto(p->listens, p->nlistens, CP_PROTO_TCP);
	bool udp_listen = has_proto(p->listens, p->nlistens, CP_PROTO_UDP);

	if (!cp_policy_has_network(p)) {
		plan_comment(pl, "No network statement: no inet sockets.");
		plan_blank(pl);
		return;
	}
	plan_comment(pl, "Network: inet sockets; binds and TCP connects "
			 "only to the port types of");
	plan_comment(pl, "the declared ports.");
	if (p->host_network)
		plan_note(cx, &p->host_network_loc,
			  "unsafe network host: the same socket rules apply, "
			  "to the host's interfaces and ports");
	plan_allow(pl, d, "self", "tcp_socket",
		   tcp_listen ? P_SOCK_LISTEN : P_SOCK_BASE);
	plan_allow(pl, d, "self", "udp_socket", P_SOCK_BASE);
	plan_allow(pl, d, "self", "netlink_route_socket",
		   "bind create getattr getopt nlmsg_read read setopt "
		   "shutdown write");
	plan_allow(pl, d, "netif_t", "netif", "egress ingress");
	plan_allow(pl, d, "node_t", "node", "recvfrom sendto");
	plan_allow(pl, d, "proc_net_t", "dir", P_DIR_R);
	plan_allow(pl, d, "proc_net_t", "file", "getattr ioctl lock open read");
	plan_allow(pl, d, "proc_net_t", "lnk_file", P_LNK_R);
	plan_allow(pl, d, "sysctl_net_t", "dir", P_DIR_R);
	plan_allow(pl, d, "sysctl_net_t", "file",
		   "getattr ioctl lock open read");
	if (tcp_listen)
		plan_allow(pl, d, "node_t", "tcp_socket", "node_bind");
	if (udp_listen)
		plan_allow(pl, d, "node_t", "udp_socket", "node_bind");
	sect_ports(cx, p->listens, p->nlistens, CP_PROTO_TCP, true);
	sect_ports(cx, p->listens, p->nlistens, CP_PROTO_UDP, true);
	sect_ports(cx, p->connects, p->nconnects, CP_PROTO_TCP, false);
	sect_ports(cx, p->connects, p->nconnects, CP_PROTO_UDP, false);
	plan_blank(pl);
}

void
cp_sel_plan_build(struct cp_sel_plan *pl, const struct cp_policy *p,
		  struct cp_emit *e)
{
	struct sel_ctx cx = {.pl = pl, .p = p, .e = e};

	memset(pl, 0, sizeof(*pl));
	pl->ident = cp_policy_ident(p);
	pl->domain = cp_xasprintf("%s_t", pl->ident);
	sect_declare(&cx);
	sect_caps(&cx);
	sect_process(&cx);
	sect_engine(&cx);
	sect_image(&cx);
	sect_system(&cx);
	sect_mounts(&cx);
	sect_files(&cx);
	sect_network(&cx);
	while (pl->nitems && pl->items[pl->nitems - 1].kind == CP_SEL_BLANK)
		pl->nitems--;
	plan_collect_ext(pl);
	free(cx.mt);
	mindex_free(&cx.ix);
}

void
cp_sel_plan_free(struct cp_sel_plan *pl)
{
	free(pl->items);
	free(pl->fcs);
	free(pl->ext_types);
	free(pl->ext_attrs);
	free(pl->ext_roles);
	while (pl->text) {
		struct cp_sel_text *t = pl->text;

		pl->text = t->next;
		free(t);
	}
	free(pl->ident);
	free(pl->domain);
	memset(pl, 0, sizeof(*pl));
}

static void *
plan_make(const struct cp_policy *p, struct cp_emit *e)
{
	struct cp_sel_plan *pl = cp_xcalloc(1, sizeof(*pl));

	cp_sel_plan_build(pl, p, e);
	return pl;
}

static void
plan_drop(void *pl)
{
	cp_sel_plan_free(pl);
	free(pl);
}

/* Its address tells the plan from other shared data. */
static const char plan_key;

const struct cp_sel_plan *
cp_sel_plan_shared(const struct cp_policy *p, struct cp_emit *e)
{
	return cp_emit_shared(e, p, &plan_key, plan_make, plan_drop);
}
