/*
 * From syntax trees to the policy model.
 *
 * 1. Every template and policy body is checked on its own, once, into a
 *    fragment: what that body says, in model form.  A template used by a
 *    hundred policies still reports each of its mistakes once.
 * 2. Names are bound: duplicates, unknown parents and `extends` cycles
 *    are reported.
 * 3. Each policy is the merge of its ancestors' fragments, each ancestor
 *    once, parents before children and in the order written, then its
 *    own body: sets are unions, scalars take the last value written, and
 *    a mount replaces an earlier one at the same target.
 * 4. The merged model is sorted, deduplicated and checked as a whole
 *    (a `publish` needs a `listen`, host networking excludes the rest).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "dump.h"

#define MAX_PIDS   4194304u		     /* the kernel's PID_MAX_LIMIT */
#define MIN_MEMORY (6ull << 20)		     /* Docker refuses less */
#define MIN_CPUS   10000000ull		     /* 0.01 CPU, Docker's minimum */
#define MAX_CPUS   (1024ull * 1000000000ull) /* 1024 CPUs */
#define MAX_UID	   4294967294ull	     /* (uid_t)-1 means "none" */

/* What one body says, before it is merged with its ancestors'. */
struct frag {
	struct cp_policy p;
	bool mode_set;
};

enum mark { WHITE, GREY, BLACK };

struct decl {
	const struct ast_decl *ast;
	size_t file;	   /* index in read order */
	bool checkable;	   /* its name is valid: its body can be checked */
	bool checked;	   /* its body was checked (frag, unless dropped) */
	struct frag *frag; /* built on first use, dropped after last */
	size_t *parents;   /* indices into the name-sorted decl array */
	size_t nparents;
	bool broken;	  /* in or above an `extends` cycle */
	bool extended;	  /* another declaration extends this one */
	enum mark mark;	  /* for the cycle search */
	unsigned visited; /* generation, for linearising one policy */
};

struct resolver {
	struct cp_diags *d;
	struct ast_file **files; /* a file's tree is freed once done with */
	size_t nfiles;
	size_t *live;	    /* per file: its declarations not yet done with */
	struct decl *decls; /* sorted by name, duplicates dropped */
	size_t ndecls;
	unsigned gen;
	/* Scratch for linearising one policy. */
	size_t *order;
	size_t norder, order_cap;
};

/* Array append through cp_xgrow, for the model's (ptr, n) pairs. */
#define PUSH(arr, n, cap, val)                                     \
	do {                                                       \
		cp_xgrow(&(arr), &(cap), (n) + 1, sizeof(*(arr))); \
		(arr)[(n)++] = (val);                              \
	} while (0)

/* ---- names ---------------------------------------------------------- */

static bool
check_name(struct cp_diags *d, const struct ast_word *w, const char *what)
{
	const char *s = w->text;

	if (w->quoted || !(s[0] >= 'a' && s[0] <= 'z') ||
	    s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-")] != '\0') {
		cp_error(d, &w->loc,
			 "invalid %s name '%s': names are lower-case letters, "
			 "digits, '_' and '-', starting with a letter",
			 what, s);
		return false;
	}
	if (strlen(s) > CP_MAX_NAME_LEN) {
		cp_error(d, &w->loc, "%s name longer than %d characters", what,
			 CP_MAX_NAME_LEN);
		return false;
	}
	return true;
}

/*
 * A policy's name becomes an AppArmor profile name and, with "_t", an
 * SELinux type, and the docker flags name both.  Some names already
 * mean something there: --security-opt apparmor=unconfined runs a
 * container unconfined, and label=type:spc_t or unconfined_t as a
 * super-privileged one, whether or not cpolc's outputs are loaded.
 * Those names are refused outright.
 */
static const char *const aa_reserved[] = {"docker-default", "unconfined"};
static const char *const se_reserved[] = {
	"auditadm",
	"container",
	"container_runtime",
	"init",
	"initrc",
	"kernel",
	"logadm",
	"secadm",
	"spc",
	"staff",
	"sysadm",
	"system",
	"unconfined",
	"unconfined_service",
	"user",
};

static bool
check_policy_name(struct cp_diags *d, const struct ast_word *w)
{
	char *ident = cp_xstrdup(w->text);
	bool bad = false;

	for (char *c = ident; *c; c++)
		if (*c == '-')
			*c = '_';
	for (size_t i = 0; i < CP_ARRAY_LEN(aa_reserved); i++)
		bad |= strcmp(w->text, aa_reserved[i]) == 0;
	for (size_t i = 0; i < CP_ARRAY_LEN(se_reserved); i++)
		bad |= strcmp(ident, se_reserved[i]) == 0;
	if (bad)
		cp_error(d, &w->loc,
			 "'%s' cannot name a policy: AppArmor or SELinux "
			 "already gives it a meaning of its own, which the "
			 "docker flags would ask for",
			 w->text);
	free(ident);
	return !bad;
}

/* ---- paths ---------------------------------------------------------- */

enum path_flags {
	PATH_GLOB_OK = 1, /* a file rule: globs allowed */
	PATH_MOUNT = 2,	  /* a mount source or target */
};

/* The location of character index i of an unquoted word. */
static struct cp_loc
char_loc(const struct ast_word *w, const char *s, size_t i)
{
	struct cp_loc loc = w->loc;

	if (w->quoted || loc.first_line != loc.last_line)
		return loc;
	loc.first_col += (unsigned)cp_utf8_count(s, i);
	loc.last_col = loc.first_col;
	return loc;
}

/*
 * Check the class that opens at s[0] == '[': "[abc]", "[a-z]", negated
 * "[!abc]" or "[^abc]".  Returns the offset of its closing ']', or 0
 * with *at and *why set.  A class matches one ASCII character, never
 * '/'; '-' stands first, or between the two ends of a rising range.
 */
static size_t
glob_class(const char *s, size_t *at, const char **why)
{
	size_t i = 1, first;

	if (s[i] == '!' || s[i] == '^')
		i++;
	for (first = i;; i++) {
		unsigned char c = (unsigned char)s[i], hi;

		*at = i;
		if (c == '\0') {
			*at = 0;
			*why = "an unbalanced '[' in a path";
			return 0;
		}
		if (c == ']' && i == first) {
			*at = 0;
			*why = "an empty '[]' in a path";
			return 0;
		}
		if (c == ']')
			return i;
		if (c == '/' || c == '[') {
			*why = c == '/' ? "a '/' inside '[...]' in a path"
					: "a '[' inside '[...]' in a path";
			return 0;
		}
		if (c >= 0x80) {
			*why = "a '[...]' class matches one ASCII character";
			return 0;
		}
		if (c == '-' && i != first) {
			*why = "a '-' in '[...]' stands first or in a range";
			return 0;
		}
		if (s[i + 1] != '-' || s[i + 2] == ']' || s[i + 2] == '\0')
			continue;
		hi = (unsigned char)s[i + 2];
		if (hi == '[' || hi >= 0x80 || hi < c ||
		    (c < '/' && hi >= '/')) {
			*why = "a '[...]' range must rise from one ASCII "
			       "character to another, not across '/'";
			return 0;
		}
		i += 2;
	}
}

/*
 * The brackets of a glob: each [...] class valid (glob_class), each
 * {a,b} alternation closed, with two or more alternatives and none
 * nested.  Returns a reason and sets *at to the offending character, or
 * returns NULL.
 */
static const char *
glob_brackets(const char *s, size_t *at)
{
	size_t open_brace = 0;
	unsigned alts = 0;
	bool in_brace = false;
	const char *why = NULL;

	for (size_t i = 0; s[i]; i++) {
		size_t n;

		switch (s[i]) {
		case '[':
			n = glob_class(s + i, at, &why);
			if (n == 0) {
				*at += i;
				return why;
			}
			i += n;
			break;
		case ']':
			*at = i;
			return "an unbalanced ']' in a path";
		case '{':
			if (in_brace) {
				*at = i;
				return "nested '{' in a path: alternations "
				       "take one level";
			}
			in_brace = true;
			open_brace = i;
			alts = 1;
			break;
		case ',':
			alts += in_brace;
			break;
		case '}':
			if (!in_brace) {
				*at = i;
				return "an unbalanced '}' in a path";
			}
			if (alts < 2) {
				*at = open_brace;
				return "a '{...}' alternation needs two or "
				       "more "
				       "alternatives";
			}
			in_brace = false;
			break;
		default:
			break;
		}
	}
	if (in_brace) {
		*at = open_brace;
		return "an unbalanced '{' in a path";
	}
	return NULL;
}

/*
 * Check a path and return it normalised ("//" and "/./" folded), or
 * NULL after an error.  A ".." segment is refused, not folded: in a
 * policy it is either a mistake or an attempt to escape a prefix.
 */
static char *
check_path(struct cp_diags *d, const struct ast_word *w, unsigned flags,
	   const char *what)
{
	const char *s = w->text;
	size_t len = strlen(s), at;
	const char *why;
	char *out;
	size_t j = 0;

	if (s[0] != '/') {
		cp_error(d, &w->loc, "%s '%s' is not absolute", what, s);
		return NULL;
	}
	if (len > CP_MAX_PATH_LEN) {
		cp_error(d, &w->loc, "%s longer than %d bytes", what,
			 CP_MAX_PATH_LEN);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)s[i + 1] >= 0x80 &&
		     (unsigned char)s[i + 1] <= 0x9f)) {
			struct cp_loc loc = char_loc(w, s, i);

			cp_error(d, &loc, "control character in %s", what);
			return NULL;
		}
	}
	if (flags & PATH_GLOB_OK) {
		why = glob_brackets(s, &at);
		if (why != NULL) {
			struct cp_loc loc = char_loc(w, s, at);

			cp_error(d, &loc, "%s", why);
			return NULL;
		}
	} else {
		at = strcspn(s, "*?[]{}");
		if (s[at] != '\0') {
			struct cp_loc loc = char_loc(w, s, at);

			cp_error(d, &loc,
				 "%s cannot hold the glob character "
				 "'%c'",
				 what, s[at]);
			return NULL;
		}
	}
	if (flags & PATH_MOUNT) {
		/* Docker's --mount and --tmpfs values split on these. */
		at = strcspn(s, ",:\"");
		if (s[at] != '\0') {
			struct cp_loc loc = char_loc(w, s, at);

			cp_error(d, &loc,
				 "%s cannot hold '%c': container runtimes' "
				 "mount syntax splits on it",
				 what, s[at]);
			return NULL;
		}
	}
	out = cp_xmalloc(len + 1);
	for (size_t i = 0; i < len;) {
		/* At a '/': look at the segment after it. */
		if (s[i] == '/') {
			size_t seg = i + 1, n = strcspn(s + seg, "/");

			if (n == 2 && s[seg] == '.' && s[seg + 1] == '.') {
				struct cp_loc loc = char_loc(w, s, seg);

				cp_error(d, &loc, "'..' in %s", what);
				free(out);
				return NULL;
			}
			if (n == 0 && seg < len) {
				i++; /* "//" */
				continue;
			}
			if (n == 1 && s[seg] == '.') {
				i += 2; /* "/." */
				if (i >= len)
					out[j++] = '/';
				continue;
			}
		}
		out[j++] = s[i++];
	}
	out[j] = '\0';
	if ((flags & PATH_MOUNT) && j > 1 && out[j - 1] == '/')
		out[--j] = '\0';
	return out;
}

/* ---- numbers -------------------------------------------------------- */

static bool
check_port(struct cp_diags *d, const struct ast_port *p, unsigned *first,
	   unsigned *last)
{
	if (p->first.overflow || p->first.value < 1 || p->first.value > 65535 ||
	    p->last.overflow || p->last.value < 1 || p->last.value > 65535) {
		cp_error(d, &p->loc, "port out of range (1-65535)");
		return false;
	}
	if (p->last.value < p->first.value) {
		cp_error(d, &p->loc, "port range %llu-%llu is empty",
			 (unsigned long long)p->first.value,
			 (unsigned long long)p->last.value);
		return false;
	}
	*first = (unsigned)p->first.value;
	*last = (unsigned)p->last.value;
	return true;
}

static bool
parse_proto(struct cp_diags *d, const char *s, const struct cp_loc *loc,
	    enum cp_proto *proto)
{
	if (strcmp(s, "tcp") == 0) {
		*proto = CP_PROTO_TCP;
		return true;
	}
	if (strcmp(s, "udp") == 0) {
		*proto = CP_PROTO_UDP;
		return true;
	}
	cp_error(d, loc, "unknown protocol '%s'; expected tcp or udp", s);
	return false;
}

/* ---- image references ----------------------------------------------- */

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component of a repository: [a-z0-9]+ joined by . _ __ -+ */
static bool
ref_component(const char *s, size_t n)
{
	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (is_lower_alnum(s[i]))
			continue;
		if (s[i] == '.' || s[i] == '_' || s[i] == '-') {
			/* "." and "_" stand alone, "__" is one separator,
			 * dashes may repeat. */
			if (s[i] == '.' && !is_lower_alnum(s[i + 1]))
				return false;
			if (s[i] == '_' && s[i + 1] == '_')
				i++;
			if (s[i] == '_' && !is_lower_alnum(s[i + 1]))
				return false;
			continue;
		}
		return false;
	}
	return true;
}

static bool
ref_domain(const char *s, size_t n)
{
	size_t colon = n;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			colon = i;
	if (colon == 0)
		return false;
	for (size_t i = 0; i < colon; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '-'))
			return false;
	if (colon < n) {
		if (colon + 1 == n)
			return false;
		for (size_t i = colon + 1; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return false;
	}
	return true;
}

/* A Docker image reference: [domain/]path[:tag][@digest]. */
static const char *
check_image(const char *ref)
{
	const char *at = strchr(ref, '@');
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	const char *slash, *colon;
	size_t start = 0;

	if (strlen(ref) > 255)
		return "longer than 255 characters";
	if (at != NULL) {
		const char *alg = at + 1, *hex = strchr(alg, ':');

		if (hex == NULL || hex == alg || hex[1] == '\0')
			return "the digest is not ALGORITHM:HEX";
		for (const char *p = alg; p < hex; p++)
			if (!is_lower_alnum(*p) && *p != '+' && *p != '.' &&
			    *p != '_' && *p != '-')
				return "the digest algorithm is not valid";
		for (const char *p = hex + 1; *p; p++)
			if (!((*p >= '0' && *p <= '9') ||
			      (*p >= 'a' && *p <= 'f')))
				return "the digest is not lower-case hex";
		if (strncmp(alg, "sha256:", 7) == 0 && strlen(hex + 1) != 64)
			return "a sha256 digest has 64 hex digits";
	}
	/* A tag is after the last ':' that follows the last '/'. */
	slash = memrchr(ref, '/', n);
	colon = memrchr(slash ? slash : ref, ':',
			n - (size_t)((slash ? slash : ref) - ref));
	if (colon != NULL) {
		size_t tlen = n - (size_t)(colon - ref) - 1;
		const char *t = colon + 1;

		if (tlen == 0 || tlen > 128)
			return "the tag is empty or longer than 128 characters";
		for (size_t i = 0; i < tlen; i++) {
			char c = t[i];
			bool word = (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9') || c == '_';

			if (!word && (i == 0 || (c != '.' && c != '-')))
				return "the tag is not valid";
		}
		n = (size_t)(colon - ref);
	}
	if (n == 0)
		return "the repository name is empty";
	/* A first component with '.' or ':', or "localhost", is a domain. */
	slash = memchr(ref, '/', n);
	if (slash != NULL) {
		size_t dn = (size_t)(slash - ref);

		if (memchr(ref, '.', dn) || memchr(ref, ':', dn) ||
		    (dn == 9 && strncmp(ref, "localhost", 9) == 0)) {
			if (!ref_domain(ref, dn))
				return "the registry host is not valid";
			start = dn + 1;
		}
	}
	while (start <= n) {
		const char *e = memchr(ref + start, '/', n - start);
		size_t cn = e ? (size_t)(e - ref) - start : n - start;

		if (!ref_component(ref + start, cn))
			return "the repository name is not lower-case letters "
			       "and digits joined by '.', '_' or '-'";
		start += cn + 1;
	}
	return NULL;
}

/* ---- one body ------------------------------------------------------- */

/* Host directories that no container should see without `unsafe`. */
static const char *const sensitive_dirs[] = {
	"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr",
};

struct body_seen {
	const struct cp_loc *description, *image, *user, *mode;
	const struct cp_loc *memory, *pids, *cpus;
};

/* A scalar written twice in one body: legal, last wins, but say so. */
static void
seen_scalar(struct cp_diags *d, const struct cp_loc **seen,
	    const struct cp_loc *loc, const char *what)
{
	if (*seen != NULL) {
		cp_warning(d, loc,
			   "'%s' is set again in the same body; the later "
			   "value wins",
			   what);
		cp_note(d, *seen, "set here before");
	}
	*seen = loc;
}

static void
body_caps(struct cp_diags *d, const struct ast_stmt *s, struct frag *f)
{
	for (const struct ast_word *w = s->u.words; w; w = w->next) {
		const char *name = w->text;
		int cap = cp_cap_lookup(name);

		if (cap >= 0 && !w->quoted) {
			if (!(f->p.caps & ((cp_capset)1 << cap)))
				f->p.cap_loc[cap] = w->loc;
			f->p.caps |= (cp_capset)1 << cap;
			continue;
		}
		{
			/* Upper case is a common slip from Docker's
			 * spelling: name the lower-case form. */
			char *lower = cp_xstrdup(name);
			const char *near;

			for (char *p = lower; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			if (strcmp(lower, name) != 0 &&
			    cp_cap_lookup(lower) >= 0) {
				cp_error(d, &w->loc,
					 "capability names are lower case: "
					 "write '%s'",
					 lower);
			} else if ((near = cp_cap_suggest(lower)) != NULL) {
				cp_error(d, &w->loc,
					 "unknown capability '%s'; did you "
					 "mean '%s'?",
					 name, near);
			} else {
				cp_error(d, &w->loc, "unknown capability '%s'",
					 name);
			}
			free(lower);
		}
	}
}

static void
body_user(struct cp_diags *d, const struct ast_stmt *s, struct frag *f)
{
	const struct ast_word *parts[2] = {s->u.user.user, s->u.user.group};

	for (int i = 0; i < 2; i++) {
		const struct ast_word *w = parts[i];
		const char *t;

		if (w == NULL)
			continue;
		t = w->text;
		if (t[strspn(t, "0123456789")] == '\0') {
			if (strlen(t) > 10 || strtoull(t, NULL, 10) > MAX_UID) {
				cp_error(d, &w->loc,
					 "%s id out of range (0-%llu)",
					 i == 0 ? "user" : "group", MAX_UID);
				return;
			}
		} else if (strlen(t) > 32) {
			cp_error(d, &w->loc,
				 "%s name longer than 32 characters",
				 i == 0 ? "user" : "group");
			return;
		}
	}
	if (f->p.user != NULL) {
		free(f->p.user->user);
		free(f->p.user->group);
		free(f->p.user);
	}
	f->p.user = cp_xcalloc(1, sizeof(*f->p.user));
	f->p.user->user = cp_xstrdup(parts[0]->text);
	f->p.user->group = parts[1] ? cp_xstrdup(parts[1]->text) : NULL;
	f->p.user->loc = s->loc;
}

static void
body_files(struct cp_diags *d, const struct ast_stmt *s, struct frag *f,
	   size_t *cap)
{
	for (const struct ast_word *w = s->u.file.paths; w; w = w->next) {
		char *path = check_path(d, w, PATH_GLOB_OK, "path");
		struct cp_file_rule r;

		if (path == NULL)
			continue;
		r.path = path;
		r.access = s->u.file.access;
		r.deny = s->u.file.deny;
		r.loc = w->loc;
		PUSH(f->p.files, f->p.nfiles, *cap, r);
	}
}

static bool
mount_opts(struct cp_diags *d, const struct ast_stmt *s, struct cp_mount *m)
{
	const struct cp_loc *seen[5] = {NULL};
	static const char *const opt_names[5] = {
		"size", "noexec", "mode", "read-only", "read-write",
	};
	bool ok = true;

	for (const struct ast_mount_opt *o = s->u.mount.opts; o; o = o->next) {
		int k = (int)o->kind;

		if (seen[k] != NULL) {
			cp_error(d, &o->loc, "'%s' is given twice",
				 opt_names[k]);
			ok = false;
			continue;
		}
		seen[k] = &o->loc;
		if (m->kind != CP_MOUNT_TMPFS &&
		    (o->kind == AST_MOPT_SIZE || o->kind == AST_MOPT_NOEXEC ||
		     o->kind == AST_MOPT_MODE)) {
			cp_error(d, &o->loc,
				 "'%s' applies only to tmpfs mounts",
				 opt_names[k]);
			ok = false;
			continue;
		}
		switch (o->kind) {
		case AST_MOPT_SIZE:
			if (o->num.overflow || o->num.value == 0 ||
			    o->num.value > (UINT64_MAX >> 1)) {
				cp_error(d, &o->loc,
					 "tmpfs size out of range (1 byte to "
					 "8388607T)");
				ok = false;
			}
			m->size = o->num.value;
			break;
		case AST_MOPT_NOEXEC:
			m->noexec = true;
			break;
		case AST_MOPT_MODE:
			if (!o->mode_ok) {
				cp_error(d, &o->loc,
					 "mode must be octal, 0 to 07777");
				ok = false;
			}
			m->mode = (int)o->num.value;
			break;
		case AST_MOPT_READ_ONLY:
		case AST_MOPT_READ_WRITE:
			if (m->kind == CP_MOUNT_TMPFS) {
				cp_error(d, &o->loc,
					 "a tmpfs is always writable; '%s' "
					 "does not apply",
					 opt_names[k]);
				ok = false;
				break;
			}
			if (seen[AST_MOPT_READ_ONLY] &&
			    seen[AST_MOPT_READ_WRITE]) {
				cp_error(d, &o->loc,
					 "'read-only' and 'read-write' "
					 "contradict each other");
				ok = false;
			}
			m->read_only = o->kind == AST_MOPT_READ_ONLY;
			break;
		}
	}
	return ok;
}

static bool
body_mount(struct cp_diags *d, const struct ast_stmt *s, struct frag *f,
	   size_t *cap)
{
	struct cp_mount m = {0};
	static const char *const reserved[] = {"/proc", "/sys"};
	bool ok = true;

	m.kind = s->u.mount.kind;
	m.read_only = m.kind != CP_MOUNT_TMPFS;
	m.mode = -1;
	m.is_unsafe = s->u.mount.is_unsafe;
	m.loc = s->loc;
	m.target = check_path(d, s->u.mount.target, PATH_MOUNT, "mount target");
	if (m.target == NULL)
		ok = false;
	if (m.kind == CP_MOUNT_VOLUME) {
		const struct ast_word *w = s->u.mount.source;

		if (!check_name(d, w, "volume")) {
			ok = false;
		} else if (strlen(w->text) < 2) {
			/* Docker requires [a-zA-Z0-9][a-zA-Z0-9_.-]+. */
			cp_error(d, &w->loc,
				 "volume names need at least two characters");
			ok = false;
		} else {
			m.source = cp_xstrdup(w->text);
		}
	} else if (m.kind == CP_MOUNT_BIND) {
		m.source = check_path(d, s->u.mount.source, PATH_MOUNT,
				      "bind source");
		if (m.source == NULL)
			ok = false;
	}
	if (!mount_opts(d, s, &m))
		ok = false;
	if (m.target != NULL) {
		if (strcmp(m.target, "/") == 0 ||
		    strcmp(m.target, "/dev") == 0) {
			cp_error(d, &s->u.mount.target->loc,
				 "cannot mount over '%s'", m.target);
			ok = false;
		}
		for (size_t i = 0; i < CP_ARRAY_LEN(reserved); i++) {
			if (cp_path_within(m.target, reserved[i])) {
				cp_error(d, &s->u.mount.target->loc,
					 "cannot mount inside %s: the kernel's "
					 "interfaces there stay as the "
					 "runtime set them",
					 reserved[i]);
				ok = false;
			}
		}
	}
	if (m.is_unsafe && m.kind != CP_MOUNT_BIND) {
		cp_error(d, &s->loc, "'unsafe' applies only to bind mounts");
		ok = false;
	}
	if (m.kind == CP_MOUNT_BIND && m.source != NULL && !m.is_unsafe) {
		const char *sock = cp_bind_exposes_socket(m.source);

		if (sock != NULL) {
			cp_error(d, &s->u.mount.source->loc,
				 "binding '%s' exposes %s, which is root on "
				 "the host; write 'unsafe mount' if that is "
				 "really meant",
				 m.source, sock);
			ok = false;
		} else {
			for (size_t i = 0; i < CP_ARRAY_LEN(sensitive_dirs);
			     i++) {
				if (strcmp(m.source, sensitive_dirs[i]) != 0)
					continue;
				cp_error(d, &s->u.mount.source->loc,
					 "binding the host's '%s' needs "
					 "'unsafe mount'",
					 m.source);
				ok = false;
			}
		}
	}
	if (!ok) {
		free(m.source);
		free(m.target);
		return false;
	}
	PUSH(f->p.mounts, f->p.nmounts, *cap, m);
	return true;
}

static void
body_networks(struct cp_diags *d, const struct ast_stmt *s, struct frag *f,
	      size_t *cap)
{
	for (const struct ast_word *w = s->u.words; w; w = w->next) {
		struct cp_network n;

		if (!check_name(d, w, "network"))
			continue;
		if (strcmp(w->text, "host") == 0) {
			cp_error(d, &w->loc,
				 "'host' is the host's own network; write "
				 "'unsafe network host;' if that is meant");
			continue;
		}
		if (strcmp(w->text, "none") == 0) {
			cp_error(d, &w->loc,
				 "'none' is not a network: a policy without "
				 "network statements has no network");
			continue;
		}
		if (strcmp(w->text, "bridge") == 0 ||
		    strcmp(w->text, "default") == 0) {
			cp_error(d, &w->loc,
				 "'%s' is Docker's default network, not a "
				 "user-defined one; create a network and name "
				 "it here",
				 w->text);
			continue;
		}
		n.name = cp_xstrdup(w->text);
		n.loc = w->loc;
		PUSH(f->p.networks, f->p.nnetworks, *cap, n);
	}
}

static void
body_ports(struct cp_diags *d, const struct ast_stmt *s,
	   struct cp_port_range **arr, size_t *n, size_t *cap)
{
	enum cp_proto proto;

	if (!parse_proto(d, s->u.ports.proto->text, &s->u.ports.proto->loc,
			 &proto))
		return;
	for (const struct ast_port *p = s->u.ports.ports; p; p = p->next) {
		struct cp_port_range r;

		if (p->has_proto) {
			cp_error(d, &p->loc,
				 "the protocol is given once, after '%s'",
				 s->kind == AST_LISTEN ? "listen" : "connect");
			continue;
		}
		if (!check_port(d, p, &r.first, &r.last))
			continue;
		r.proto = proto;
		r.loc = p->loc;
		PUSH(*arr, *n, *cap, r);
	}
}

static void
body_publish(struct cp_diags *d, const struct ast_stmt *s, struct frag *f,
	     size_t *cap)
{
	struct cp_publish pub = {0};
	const struct ast_port *host = s->u.publish.host,
			      *ctr = s->u.publish.ctr;
	const struct ast_word *addr = s->u.publish.addr;

	pub.loc = s->loc;
	pub.proto = CP_PROTO_TCP;
	if (host->has_proto) {
		cp_error(d, &host->loc,
			 "the protocol goes after the container port: "
			 "'HOST -> PORT/%s'",
			 host->proto);
		return;
	}
	if (ctr->has_proto &&
	    !parse_proto(d, ctr->proto, &ctr->loc, &pub.proto))
		return;
	if (!check_port(d, host, &pub.host_first, &pub.host_last) ||
	    !check_port(d, ctr, &pub.ctr_first, &pub.ctr_last))
		return;
	if (pub.host_last - pub.host_first != pub.ctr_last - pub.ctr_first) {
		cp_error(d, &s->loc,
			 "the host range and the container range differ in "
			 "length");
		return;
	}
	if (addr != NULL) {
		unsigned char bin[16];
		char text[INET6_ADDRSTRLEN];
		bool v6 = addr->quoted; /* [bracketed] by the scanner */
		int af = v6 ? AF_INET6 : AF_INET;

		if (inet_pton(af, addr->text, bin) != 1) {
			cp_error(d, &addr->loc, "invalid %s address '%s'",
				 v6 ? "IPv6" : "IPv4", addr->text);
			return;
		}
		inet_ntop(af, bin, text, sizeof(text));
		pub.family = v6 ? CP_ADDR_INET6 : CP_ADDR_INET;
		pub.addr = cp_xstrdup(text);
	}
	PUSH(f->p.publishes, f->p.npublishes, *cap, pub);
}

static void
body_limit(struct cp_diags *d, const struct ast_stmt *s, struct frag *f,
	   struct body_seen *seen)
{
	const struct ast_num *n = &s->u.limit.num;
	struct cp_limit *lim;

	switch (s->u.limit.kind) {
	case AST_LIMIT_MEMORY:
		seen_scalar(d, &seen->memory, &s->loc, "limit memory");
		if (n->overflow || n->value > (UINT64_MAX >> 1)) {
			cp_error(d, &n->loc, "memory limit out of range");
			return;
		}
		if (n->value < MIN_MEMORY) {
			cp_error(d, &n->loc,
				 "memory limit below 6M, the least a "
				 "container runtime accepts");
			return;
		}
		lim = &f->p.memory;
		break;
	case AST_LIMIT_PIDS:
		seen_scalar(d, &seen->pids, &s->loc, "limit pids");
		if (n->overflow || n->value < 1 || n->value > MAX_PIDS) {
			cp_error(d, &n->loc, "pids limit out of range (1-%u)",
				 MAX_PIDS);
			return;
		}
		lim = &f->p.pids;
		break;
	case AST_LIMIT_CPUS:
	default:
		seen_scalar(d, &seen->cpus, &s->loc, "limit cpus");
		if (n->overflow || n->value < MIN_CPUS || n->value > MAX_CPUS) {
			cp_error(d, &n->loc,
				 "cpus limit out of range "
				 "(0.01-1024)");
			return;
		}
		lim = &f->p.cpus;
		break;
	}
	lim->set = true;
	lim->value = n->value;
	lim->loc = s->loc;
}

static void
replace_str(char **dst, const char *src)
{
	free(*dst);
	*dst = cp_xstrdup(src);
}

static int
mount_target_cmp(const void *a, const void *b)
{
	const struct cp_mount *x = *(const struct cp_mount *const *)a;
	const struct cp_mount *y = *(const struct cp_mount *const *)b;
	int c = strcmp(x->target, y->target);

	if (c != 0)
		return c;
	/* Same target: source order, so the first written comes first. */
	if (x->loc.first_line != y->loc.first_line)
		return x->loc.first_line < y->loc.first_line ? -1 : 1;
	return x->loc.first_col < y->loc.first_col
		       ? -1
		       : x->loc.first_col > y->loc.first_col;
}

/*
 * Two mounts at one target in one body are an error (between bodies, the
 * later replaces the earlier).  Sorting keeps this O(n log n) for a body
 * of any size; the duplicates are dropped, the first kept.
 */
static void
body_mount_targets(struct cp_diags *d, struct frag *f)
{
	size_t n = f->p.nmounts, j = 0;
	struct cp_mount **by = cp_xcalloc(n ? n : 1, sizeof(*by));
	bool *drop = cp_xcalloc(n ? n : 1, sizeof(*drop));

	for (size_t i = 0; i < n; i++)
		by[i] = &f->p.mounts[i];
	cp_qsort(by, n, sizeof(*by), mount_target_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;

		while (first > 0 && drop[by[first] - f->p.mounts])
			first--;
		if (strcmp(by[i]->target, by[first]->target) != 0)
			continue;
		cp_error(d, &by[i]->loc,
			 "'%s' is mounted twice in the same body",
			 by[i]->target);
		cp_note(d, &by[first]->loc, "mounted here before");
		drop[by[i] - f->p.mounts] = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			free(f->p.mounts[i].source);
			free(f->p.mounts[i].target);
			continue;
		}
		f->p.mounts[j++] = f->p.mounts[i];
	}
	f->p.nmounts = j;
	free(by);
	free(drop);
}

/* Check one body into its fragment. */
static void
check_body(struct cp_diags *d, const struct ast_decl *decl, struct frag *f)
{
	struct body_seen seen = {0};
	size_t files_cap = 0, mounts_cap = 0, nets_cap = 0;
	size_t listen_cap = 0, connect_cap = 0, pub_cap = 0;

	f->p.mode = CP_MODE_ENFORCE;
	for (const struct ast_stmt *s = decl->body; s; s = s->next) {
		switch (s->kind) {
		case AST_DESCRIPTION:
			seen_scalar(d, &seen.description, &s->loc,
				    "description");
			if (cp_has_control(s->u.str->text)) {
				cp_error(d, &s->u.str->loc,
					 "control character in a description");
				break;
			}
			replace_str(&f->p.description, s->u.str->text);
			break;
		case AST_IMAGE: {
			const char *why = check_image(s->u.str->text);

			seen_scalar(d, &seen.image, &s->loc, "image");
			if (why != NULL) {
				cp_error(d, &s->u.str->loc,
					 "invalid image reference: %s", why);
				break;
			}
			replace_str(&f->p.image, s->u.str->text);
			f->p.image_loc = s->u.str->loc;
			break;
		}
		case AST_USER:
			seen_scalar(d, &seen.user, &s->loc, "user");
			body_user(d, s, f);
			break;
		case AST_CAPABILITIES:
			body_caps(d, s, f);
			break;
		case AST_UNSAFE_NEW_PRIVILEGES:
			if (!f->p.new_privileges)
				f->p.new_privileges_loc = s->loc;
			f->p.new_privileges = true;
			break;
		case AST_UNSAFE_WRITABLE_ROOT:
			if (!f->p.writable_root)
				f->p.writable_root_loc = s->loc;
			f->p.writable_root = true;
			break;
		case AST_UNSAFE_NETWORK_HOST:
			if (strcmp(s->u.words->text, "host") != 0) {
				cp_error(d, &s->u.words->loc,
					 "unknown 'unsafe network %s'; the one "
					 "unsafe network is 'host'",
					 s->u.words->text);
				break;
			}
			if (!f->p.host_network)
				f->p.host_network_loc = s->loc;
			f->p.host_network = true;
			break;
		case AST_MODE:
			seen_scalar(d, &seen.mode, &s->loc, "mode");
			if (strcmp(s->u.mode->text, "complain") == 0) {
				f->p.mode = CP_MODE_COMPLAIN;
			} else if (strcmp(s->u.mode->text, "enforce") == 0) {
				f->p.mode = CP_MODE_ENFORCE;
			} else {
				cp_error(d, &s->u.mode->loc,
					 "unknown mode '%s'; expected "
					 "'complain' or 'enforce'",
					 s->u.mode->text);
				break;
			}
			f->mode_set = true;
			break;
		case AST_FILE:
			body_files(d, s, f, &files_cap);
			break;
		case AST_MOUNT:
			body_mount(d, s, f, &mounts_cap);
			break;
		case AST_NETWORK:
			body_networks(d, s, f, &nets_cap);
			break;
		case AST_LISTEN:
			body_ports(d, s, &f->p.listens, &f->p.nlistens,
				   &listen_cap);
			break;
		case AST_CONNECT:
			body_ports(d, s, &f->p.connects, &f->p.nconnects,
				   &connect_cap);
			break;
		case AST_PUBLISH:
			body_publish(d, s, f, &pub_cap);
			break;
		case AST_LIMIT:
			body_limit(d, s, f, &seen);
			break;
		}
	}
	body_mount_targets(d, f);
}

/* ---- binding names -------------------------------------------------- */

static int
decl_cmp(const void *a, const void *b)
{
	const struct decl *x = a, *y = b;
	int c = strcmp(x->ast->name->text, y->ast->name->text);

	if (c != 0)
		return c;
	/* The first definition read stays; later ones are duplicates. */
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->ast->name->loc.first_line != y->ast->name->loc.first_line)
		return x->ast->name->loc.first_line <
				       y->ast->name->loc.first_line
			       ? -1
			       : 1;
	return 0;
}

static int
decl_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct decl *)elem)->ast->name->text);
}

static struct decl *
find_decl(struct resolver *r, const char *name)
{
	return bsearch(name, r->decls, r->ndecls, sizeof(*r->decls),
		       decl_key_cmp);
}

static void
suggest_decl(struct resolver *r, const struct ast_word *w)
{
	const char **names;
	const char *near;

	/* Past the error cap nothing is shown: spare the search. */
	if (r->d->nerrors >= CP_MAX_ERRORS) {
		cp_error(r->d, &w->loc, "unknown template or policy");
		return;
	}
	names = cp_xcalloc(r->ndecls, sizeof(*names));
	for (size_t i = 0; i < r->ndecls; i++)
		names[i] = r->decls[i].ast->name->text;
	near = cp_text_nearest(w->text, names, r->ndecls);
	if (near != NULL)
		cp_error(r->d, &w->loc,
			 "unknown template or policy '%s'; did you mean '%s'?",
			 w->text, near);
	else
		cp_error(r->d, &w->loc, "unknown template or policy '%s'",
			 w->text);
	free(names);
}

static void
bind_parents(struct resolver *r, struct decl *dc)
{
	size_t cap = 0;

	for (const struct ast_word *w = dc->ast->parents; w; w = w->next) {
		struct decl *p = find_decl(r, w->text);
		size_t idx;
		bool dup = false;

		if (p == NULL) {
			suggest_decl(r, w);
			dc->broken = true;
			continue;
		}
		idx = (size_t)(p - r->decls);
		for (size_t i = 0; i < dc->nparents; i++)
			dup |= dc->parents[i] == idx;
		if (dup) {
			cp_warning(r->d, &w->loc, "'%s' is extended twice",
				   w->text);
			continue;
		}
		PUSH(dc->parents, dc->nparents, cap, idx);
		p->extended = true;
	}
}

/*
 * Find `extends` cycles by depth-first search, reporting each once with
 * its chain; everything in or above a cycle is marked broken.
 */
static bool
find_cycles(struct resolver *r, size_t i, size_t *stack, size_t depth)
{
	struct decl *dc = &r->decls[i];
	bool broken = dc->broken;

	if (dc->mark == BLACK)
		return dc->broken;
	if (dc->mark == GREY) {
		struct cp_buf chain = CP_BUF_INIT;
		size_t k = 0;

		while (stack[k] != i)
			k++;
		for (size_t j = k; j < depth; j++)
			cp_buf_printf(&chain, "%s extends ",
				      r->decls[stack[j]].ast->name->text);
		cp_buf_puts(&chain, dc->ast->name->text);
		cp_error(r->d, &r->decls[stack[depth - 1]].ast->name->loc,
			 "'extends' cycle: %s", chain.data);
		cp_buf_free(&chain);
		return true;
	}
	if (depth >= CP_MAX_EXTENDS_DEPTH) {
		cp_error(r->d, &dc->ast->name->loc,
			 "'extends' chains deeper than %d declarations",
			 CP_MAX_EXTENDS_DEPTH);
		dc->broken = true;
		return true;
	}
	dc->mark = GREY;
	stack[depth] = i;
	for (size_t k = 0; k < dc->nparents; k++)
		if (find_cycles(r, dc->parents[k], stack, depth + 1))
			broken = true;
	dc->mark = BLACK;
	dc->broken = broken;
	return broken;
}

/* ---- merging -------------------------------------------------------- */

/* Ancestors first, each once, in the order written; then d itself. */
static void
linearise(struct resolver *r, size_t i)
{
	struct decl *dc = &r->decls[i];

	if (dc->visited == r->gen)
		return;
	dc->visited = r->gen;
	for (size_t k = 0; k < dc->nparents; k++)
		linearise(r, dc->parents[k]);
	PUSH(r->order, r->norder, r->order_cap, i);
}

struct caps {
	size_t files, mounts, networks, listens, connects, publishes;
};

static void
merge(struct cp_policy *dst, struct caps *cap, const struct frag *f)
{
	const struct cp_policy *src = &f->p;

	if (src->description)
		replace_str(&dst->description, src->description);
	if (src->image) {
		replace_str(&dst->image, src->image);
		dst->image_loc = src->image_loc;
	}
	if (src->user) {
		if (dst->user == NULL)
			dst->user = cp_xcalloc(1, sizeof(*dst->user));
		replace_str(&dst->user->user, src->user->user);
		free(dst->user->group);
		dst->user->group =
			src->user->group ? cp_xstrdup(src->user->group) : NULL;
		dst->user->loc = src->user->loc;
	}
	for (int c = 0; c < CP_CAP_COUNT; c++) {
		cp_capset bit = (cp_capset)1 << c;

		if ((src->caps & bit) && !(dst->caps & bit))
			dst->cap_loc[c] = src->cap_loc[c];
	}
	dst->caps |= src->caps;
	if (src->new_privileges && !dst->new_privileges)
		dst->new_privileges_loc = src->new_privileges_loc;
	dst->new_privileges |= src->new_privileges;
	if (src->writable_root && !dst->writable_root)
		dst->writable_root_loc = src->writable_root_loc;
	dst->writable_root |= src->writable_root;
	if (src->host_network && !dst->host_network)
		dst->host_network_loc = src->host_network_loc;
	dst->host_network |= src->host_network;
	if (f->mode_set)
		dst->mode = src->mode;
	for (size_t i = 0; i < src->nfiles; i++) {
		struct cp_file_rule fr = src->files[i];

		fr.path = cp_xstrdup(fr.path);
		PUSH(dst->files, dst->nfiles, cap->files, fr);
	}
	/* A later mount at the same target replaces this one: finalise()
	 * keeps the last of each target. */
	for (size_t i = 0; i < src->nmounts; i++) {
		struct cp_mount m = src->mounts[i];

		m.source = m.source ? cp_xstrdup(m.source) : NULL;
		m.target = cp_xstrdup(m.target);
		PUSH(dst->mounts, dst->nmounts, cap->mounts, m);
	}
	for (size_t i = 0; i < src->nnetworks; i++) {
		struct cp_network n = src->networks[i];

		n.name = cp_xstrdup(n.name);
		PUSH(dst->networks, dst->nnetworks, cap->networks, n);
	}
	for (size_t i = 0; i < src->nlistens; i++)
		PUSH(dst->listens, dst->nlistens, cap->listens,
		     src->listens[i]);
	for (size_t i = 0; i < src->nconnects; i++)
		PUSH(dst->connects, dst->nconnects, cap->connects,
		     src->connects[i]);
	for (size_t i = 0; i < src->npublishes; i++) {
		struct cp_publish p = src->publishes[i];

		p.addr = p.addr ? cp_xstrdup(p.addr) : NULL;
		PUSH(dst->publishes, dst->npublishes, cap->publishes, p);
	}
	if (src->memory.set)
		dst->memory = src->memory;
	if (src->pids.set)
		dst->pids = src->pids;
	if (src->cpus.set)
		dst->cpus = src->cpus;
}

/* ---- sorting -------------------------------------------------------- */

#define CMP(a, b)                                  \
	do {                                       \
		if ((a) != (b))                    \
			return (a) < (b) ? -1 : 1; \
	} while (0)

static int
file_cmp(const void *a, const void *b)
{
	const struct cp_file_rule *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	CMP(x->deny, y->deny);
	CMP(x->access, y->access);
	return 0;
}

static int
mount_cmp(const void *a, const void *b)
{
	const struct cp_mount *x = a, *y = b;

	return strcmp(x->target, y->target);
}

static int
network_cmp(const void *a, const void *b)
{
	const struct cp_network *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
port_cmp(const void *a, const void *b)
{
	const struct cp_port_range *x = a, *y = b;

	CMP(x->proto, y->proto);
	CMP(x->first, y->first);
	CMP(x->last, y->last);
	return 0;
}

static int
publish_cmp(const void *a, const void *b)
{
	const struct cp_publish *x = a, *y = b;
	int c;

	CMP(x->proto, y->proto);
	CMP(x->ctr_first, y->ctr_first);
	CMP(x->ctr_last, y->ctr_last);
	CMP(x->host_first, y->host_first);
	CMP(x->host_last, y->host_last);
	CMP(x->family, y->family);
	c = strcmp(x->addr ? x->addr : "", y->addr ? y->addr : "");
	return c;
}

/*
 * Sort stably (a merge sort over indices: equal elements keep source
 * order, so the first location written is the one kept), then, unless
 * keep_all, drop each element equal to the one before it, releasing its
 * strings with drop.
 */
static size_t
sort_unique(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *), void (*drop)(void *),
	    bool keep_all)
{
	char *a = base, *tmp;
	size_t *src, *dst, j = 0;

	if (n < 2)
		return n;
	src = cp_xcalloc(n, sizeof(*src));
	dst = cp_xcalloc(n, sizeof(*dst));
	for (size_t i = 0; i < n; i++)
		src[i] = i;
	for (size_t width = 1; width < n; width *= 2) {
		size_t *t;

		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = mid + width < n ? mid + width : n;
			size_t i = lo, k = mid, o = lo;

			while (i < mid && k < hi)
				dst[o++] = cmp(a + src[k] * size,
					       a + src[i] * size) < 0
						   ? src[k++]
						   : src[i++];
			while (i < mid)
				dst[o++] = src[i++];
			while (k < hi)
				dst[o++] = src[k++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	tmp = cp_xmalloc(n * size);
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + i * size, a + src[i] * size, size);
	for (size_t i = 0; i < n; i++) {
		char *e = tmp + i * size;

		if (!keep_all && j > 0 && cmp(a + (j - 1) * size, e) == 0) {
			if (drop)
				drop(e);
			continue;
		}
		memcpy(a + j * size, e, size);
		j++;
	}
	free(tmp);
	free(src);
	free(dst);
	return j;
}

static void
drop_file(void *p)
{
	free(((struct cp_file_rule *)p)->path);
}

static void
drop_network(void *p)
{
	free(((struct cp_network *)p)->name);
}

static void
drop_publish(void *p)
{
	free(((struct cp_publish *)p)->addr);
}

/* Of mounts at one target, the last merged wins: keep it alone. */
static void
keep_last_mounts(struct cp_policy *p)
{
	size_t j = 0;

	/* A stable sort by target keeps merge order within a target. */
	p->nmounts = sort_unique(p->mounts, p->nmounts, sizeof(*p->mounts),
				 mount_cmp, NULL, true);
	for (size_t i = 0; i < p->nmounts; i++) {
		if (i + 1 < p->nmounts &&
		    strcmp(p->mounts[i].target, p->mounts[i + 1].target) == 0) {
			free(p->mounts[i].source);
			free(p->mounts[i].target);
			continue;
		}
		p->mounts[j++] = p->mounts[i];
	}
	p->nmounts = j;
}

static void
finalise(struct cp_policy *p)
{
	p->nfiles = sort_unique(p->files, p->nfiles, sizeof(*p->files),
				file_cmp, drop_file, false);
	keep_last_mounts(p);
	p->nnetworks =
		sort_unique(p->networks, p->nnetworks, sizeof(*p->networks),
			    network_cmp, drop_network, false);
	p->nlistens = sort_unique(p->listens, p->nlistens, sizeof(*p->listens),
				  port_cmp, NULL, false);
	p->nconnects = sort_unique(p->connects, p->nconnects,
				   sizeof(*p->connects), port_cmp, NULL, false);
	p->npublishes =
		sort_unique(p->publishes, p->npublishes, sizeof(*p->publishes),
			    publish_cmp, drop_publish, false);
}

/* ---- whole-policy checks -------------------------------------------- */

/*
 * The first port of first..last that no listen of proto covers, or 0.
 * The listens are sorted by proto and first port, so one pass over them
 * answers for a whole range.
 */
static unsigned
unlistened(const struct cp_policy *p, enum cp_proto proto, unsigned first,
	   unsigned last)
{
	unsigned next = first; /* the lowest port not yet known covered */

	for (size_t i = 0; i < p->nlistens && next <= last; i++) {
		const struct cp_port_range *l = &p->listens[i];

		if (l->proto != proto || l->last < next)
			continue;
		if (l->first > next)
			return next;
		next = l->last + 1;
	}
	return next <= last ? next : 0;
}

static bool
publish_overlap(const struct cp_publish *a, const struct cp_publish *b)
{
	bool same_addr = a->family == CP_ADDR_NONE ||
			 b->family == CP_ADDR_NONE ||
			 strcmp(a->addr, b->addr) == 0;

	return a->proto == b->proto && same_addr &&
	       a->host_first <= b->host_last && b->host_first <= a->host_last;
}

static int
publish_host_cmp(const void *a, const void *b)
{
	const struct cp_publish *x = *(const struct cp_publish *const *)a;
	const struct cp_publish *y = *(const struct cp_publish *const *)b;

	CMP(x->proto, y->proto);
	CMP(x->host_first, y->host_first);
	return x < y ? -1 : x > y;
}

/*
 * One host port may be published once per protocol and address.  A sweep
 * over the publishes in host-port order compares each with the ones whose
 * range is still open, so the check stays near-linear.
 */
static void
check_publish_twice(struct cp_diags *d, const struct cp_policy *p)
{
	size_t n = p->npublishes, nopen = 0;
	const struct cp_publish **by = cp_xcalloc(n ? n : 1, sizeof(*by));
	const struct cp_publish **open = cp_xcalloc(n ? n : 1, sizeof(*open));

	for (size_t i = 0; i < n; i++)
		by[i] = &p->publishes[i];
	cp_qsort(by, n, sizeof(*by), publish_host_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct cp_publish *pub = by[i];
		size_t k = 0;

		for (size_t j = 0; j < nopen; j++)
			if (open[j]->proto == pub->proto &&
			    open[j]->host_last >= pub->host_first)
				open[k++] = open[j];
		nopen = k;
		for (size_t j = 0; j < nopen; j++) {
			if (!publish_overlap(open[j], pub))
				continue;
			cp_error(d, &pub->loc,
				 "policy '%s' publishes host port %u/%s twice",
				 p->name, pub->host_first,
				 pub->proto == CP_PROTO_TCP ? "tcp" : "udp");
			cp_note(d, &open[j]->loc, "published here too");
			break;
		}
		open[nopen++] = pub;
	}
	free(by);
	free(open);
}

static const char *
proto_name(enum cp_proto proto)
{
	return proto == CP_PROTO_TCP ? "tcp" : "udp";
}

static void
check_policy(struct cp_diags *d, const struct cp_policy *p)
{
	bool has_net_stmt = p->nlistens || p->nconnects || p->npublishes;

	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];
		unsigned port = unlistened(p, pub->proto, pub->ctr_first,
					   pub->ctr_last);

		if (port != 0)
			cp_error(d, &pub->loc,
				 "policy '%s' publishes %u/%s, but nothing "
				 "listens on it; add 'listen %s %u;'",
				 p->name, port, proto_name(pub->proto),
				 proto_name(pub->proto), port);
	}
	check_publish_twice(d, p);
	if (p->host_network) {
		if (p->nnetworks > 0) {
			cp_error(d, &p->networks[0].loc,
				 "policy '%s' shares the host's network and "
				 "cannot also join '%s'",
				 p->name, p->networks[0].name);
			cp_note(d, &p->host_network_loc,
				"host networking is asked for here");
		}
		if (p->npublishes > 0) {
			cp_error(d, &p->publishes[0].loc,
				 "policy '%s' shares the host's network: "
				 "'publish' has nothing to do",
				 p->name);
			cp_note(d, &p->host_network_loc,
				"host networking is asked for here");
		}
	} else if (has_net_stmt && p->nnetworks == 0) {
		const struct cp_loc *loc = p->nlistens ? &p->listens[0].loc
					   : p->nconnects
						   ? &p->connects[0].loc
						   : &p->publishes[0].loc;

		cp_warning(d, loc,
			   "policy '%s' names no network: the container "
			   "joins the runtime's default bridge; add "
			   "'network NAME;'",
			   p->name);
	}
}

/* ---- the whole pass ------------------------------------------------- */

static void
frag_free(struct frag *f)
{
	cp_policy_free_fields(&f->p);
}

/*
 * A policy's digest: SHA-256 of its canonical text, what --dump prints.
 * It names what the policy means, not how it was written: reformatting
 * the source or editing a comment changes no output, while any change
 * of meaning, in the policy or in a template it extends, changes every
 * output's header.
 */
static void
digest_policy(struct cp_policy *p)
{
	struct cp_buf b = CP_BUF_INIT;
	struct cp_sha256 sha;

	cp_dump_policy(&b, p);
	cp_sha256_init(&sha);
	cp_sha256_update(&sha, b.data, b.len);
	cp_sha256_hex(&sha, p->source_sha256);
	cp_buf_free(&b);
}

/*
 * A declaration's fragment, its body checked on first use.  Bodies that
 * nothing extends are checked just before their policy is merged and
 * dropped right after, so that the front end holds the fragments of
 * the templates, not of every policy of the run.
 */
static struct frag *
decl_frag(struct resolver *r, struct decl *dc)
{
	if (dc->frag == NULL) {
		CP_ASSERT(!dc->checked);
		dc->frag = cp_xcalloc(1, sizeof(*dc->frag));
		dc->checked = true;
		if (dc->checkable)
			check_body(r->d, dc->ast, dc->frag);
	}
	return dc->frag;
}

static void
decl_drop_frag(struct decl *dc)
{
	if (dc->frag != NULL) {
		frag_free(dc->frag);
		free(dc->frag);
		dc->frag = NULL;
	}
}

/*
 * Done with a declaration that nothing extends: its fragment goes, and
 * its file's tree once none of the file's declarations is needed.
 * Messages copy their locations, and the model its strings, so neither
 * points into a tree.
 */
static void
decl_done(struct resolver *r, struct decl *dc)
{
	if (dc->extended)
		return;
	decl_drop_frag(dc);
	if (--r->live[dc->file] == 0) {
		ast_file_free(r->files[dc->file]);
		r->files[dc->file] = NULL;
	}
}

/* Drop duplicate names, bind parents, and find `extends` cycles. */
static void
bind_names(struct resolver *r)
{
	size_t j = 0, *stack;

	if (r->ndecls > 0)
		cp_qsort(r->decls, r->ndecls, sizeof(*r->decls), decl_cmp);
	for (size_t i = 0; i < r->ndecls; i++) {
		struct decl *dc = &r->decls[i];

		if (j > 0 && strcmp(r->decls[j - 1].ast->name->text,
				    dc->ast->name->text) == 0) {
			cp_error(r->d, &dc->ast->name->loc,
				 "'%s' is defined twice", dc->ast->name->text);
			cp_note(r->d, &r->decls[j - 1].ast->name->loc,
				"first defined here");
			/* Its mistakes are still worth reporting. */
			decl_frag(r, dc);
			decl_drop_frag(dc);
			continue;
		}
		r->decls[j++] = *dc;
	}
	r->ndecls = j;
	for (size_t i = 0; i < r->ndecls; i++)
		bind_parents(r, &r->decls[i]);
	stack = cp_xcalloc(CP_MAX_EXTENDS_DEPTH + 1, sizeof(*stack));
	for (size_t i = 0; i < r->ndecls; i++)
		find_cycles(r, i, stack, 0);
	free(stack);
}

bool
cp_resolve(struct ast_file **files, size_t nfiles, struct cp_diags *d,
	   const struct cp_policy_sink *sink)
{
	struct resolver r = {0};
	size_t cap = 0;
	unsigned sink_errors = 0;
	bool ok = true, parsed = !cp_diags_failed(d);

	r.d = d;
	r.files = files;
	r.nfiles = nfiles;
	for (size_t i = 0; i < nfiles; i++) {
		for (const struct ast_decl *a = files[i]->decls; a;
		     a = a->next) {
			struct decl dc = {0};

			dc.ast = a;
			dc.file = i;
			PUSH(r.decls, r.ndecls, cap, dc);
		}
	}
	/* Phase 1: names, and each body on its own (see decl_frag()). */
	for (size_t i = 0; i < r.ndecls; i++) {
		struct decl *dc = &r.decls[i];

		dc->checkable =
			check_name(d, dc->ast->name,
				   dc->ast->kind == AST_POLICY ? "policy"
							       : "template") &&
			(dc->ast->kind != AST_POLICY ||
			 check_policy_name(d, dc->ast->name));
		/* After a syntax error nothing is merged: check now. */
		if (!parsed) {
			decl_frag(&r, dc);
			decl_drop_frag(dc);
		}
	}
	/* Phase 2: bind names; the first definition of a name wins. */
	if (parsed)
		bind_names(&r);
	else
		ok = false;
	/* What others extend is checked first, in the order read. */
	for (size_t i = 0; ok && i < r.ndecls; i++)
		if (r.decls[i].extended)
			decl_frag(&r, &r.decls[i]);
	if (cp_diags_failed(d))
		ok = false;
	/*
	 * Phases 3 and 4: each policy, in name order, handed over as soon
	 * as it is checked.  A body with a mistake stops the merging, as
	 * a mistake in a template does, but the bodies after it are still
	 * checked.  Errors that the sink records are not the front end's.
	 * A file whose declarations are all done with is freed; one that
	 * holds something extended stays to the end.
	 */
	r.live = cp_xcalloc(nfiles ? nfiles : 1, sizeof(*r.live));
	for (size_t i = 0; i < r.ndecls; i++)
		r.live[r.decls[i].file]++;
	for (size_t i = 0; i < r.ndecls; i++) {
		struct decl *dc = &r.decls[i];
		struct cp_policy p = {0};
		struct caps caps = {0};
		unsigned before = d->nerrors;

		if (!dc->checked)
			decl_frag(&r, dc);
		if (d->nerrors > before || d->truncated)
			ok = false;
		if (!ok || dc->ast->kind != AST_POLICY || dc->broken) {
			decl_done(&r, dc);
			continue;
		}
		r.gen++;
		r.norder = 0;
		linearise(&r, i);
		p.mode = CP_MODE_ENFORCE;
		for (size_t k = 0; k < r.norder; k++)
			merge(&p, &caps, r.decls[r.order[k]].frag);
		p.name = cp_xstrdup(dc->ast->name->text);
		p.loc = dc->ast->name->loc;
		p.source_file = files[dc->file]->src->name;
		decl_done(&r, dc);
		finalise(&p);
		digest_policy(&p);
		check_policy(d, &p);
		before = d->nerrors;
		sink->take(&p, sink->arg);
		sink_errors += d->nerrors - before;
	}
	free(r.live);
	for (size_t i = 0; i < r.ndecls; i++) {
		decl_drop_frag(&r.decls[i]);
		free(r.decls[i].parents);
	}
	free(r.decls);
	free(r.order);
	/* Only the front end's own errors make the compilation fail here;
	 * the sink's caller sees its own. */
	return ok && d->nerrors == sink_errors &&
	       (!d->truncated || sink_errors > 0);
}
