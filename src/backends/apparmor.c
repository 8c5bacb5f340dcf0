/*
 * The AppArmor profile: NAME.apparmor, for apparmor_parser and
 * `docker run --security-opt apparmor=NAME`.
 *
 * The profile is an allow-list.  It grants a small runtime baseline, the
 * declared capabilities, sockets and file access, and nothing else; on
 * top of that it keeps every protection of Docker's default profile as
 * deny rules, which win over any allow.  docs/apparmor.md gives the
 * mapping statement by statement and the reason for each baseline line.
 *
 * Every path is hostile input.  It comes out as one double-quoted token
 * in which no backslash is next to a quote, so apparmor_parser's lexer
 * cannot end the token early, and a path that AppArmor would read
 * otherwise than the language means it is refused with an error at its
 * statement.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "cpolc/policy.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"

/* File permissions as bits, so that rules on one path can be merged. */
enum {
	AA_M = 1 << 0, /* mmap with PROT_EXEC */
	AA_R = 1 << 1,
	AA_W = 1 << 2, /* in AppArmor, w implies a */
	AA_A = 1 << 3,
	AA_K = 1 << 4, /* lock */
	AA_L = 1 << 5, /* link; only in the fixed deny rules */
	AA_X = 1 << 6, /* ix on allow rules, plain x on deny rules */
};

#define AA_ALL (AA_R | AA_W | AA_K | AA_L | AA_X)

/* '{...}' groups nest at most this deep (AppArmor's limit is 50). */
#define AA_MAX_DEPTH 8
/* Past this many alternatives, or this many steps of matching one
 * pattern, the dead-rule check gives up (and so stays conservative). */
#define AA_MAX_ALTS  256
#define AA_MAX_STEPS 100000

/*
 * Docker's default protections that are file rules, as printed.  The
 * /proc patterns are the 2026 ones, whose classes exclude '/'.  Plain
 * "/proc" rather than @{PROC}: the profile does not depend on how the
 * host's tunables define it.
 */
struct aa_protect {
	const char *pat;
	unsigned perms;
	const char *modes;
};

static const struct aa_protect aa_protects[] = {
	{"/proc/*", AA_W, "w"},
	{"/proc/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],"
	 "[^1-9/][^0-9/][^0-9/][^0-9/]*}/**",
	 AA_W, "w"},
	{"/proc/sys/[^k]**", AA_W, "w"},
	{"/proc/sys/kernel/{?,??,[^s][^h][^m]**}", AA_W, "w"},
	{"/proc/sysrq-trigger", AA_ALL, "rwklx"},
	{"/proc/kcore", AA_ALL, "rwklx"},
	{"/sys/[^f]*/**", AA_ALL & ~AA_R, "wklx"},
	{"/sys/f[^s]*/**", AA_ALL & ~AA_R, "wklx"},
	{"/sys/fs/[^c]*/**", AA_ALL & ~AA_R, "wklx"},
	{"/sys/fs/c[^g]*/**", AA_ALL & ~AA_R, "wklx"},
	{"/sys/fs/cg[^r]*/**", AA_ALL & ~AA_R, "wklx"},
	{"/sys/firmware/**", AA_ALL, "rwklx"},
	{"/sys/devices/virtual/powercap/**", AA_ALL, "rwklx"},
	{"/sys/kernel/security/**", AA_ALL, "rwklx"},
};

/*
 * The runtime baseline: what a dynamically linked program in a container
 * needs before it does anything of its own.  The comments say why each
 * line is there; docs/apparmor.md says it at more length.
 */
static const char *const aa_baseline[] = {
	"# Runtime baseline (docs/apparmor.md has the reason for each line).",
	"# The dynamic loader maps shared libraries executable (m) and reads",
	"# them; glibc's and musl's loaders find them through ld.so.cache and",
	"# ld-musl-*.path.  Official images keep libraries in /usr/local/lib.",
	"/{usr/,}lib{,32,64,x32}/**.so* mr,",
	"/usr/local/lib/**.so* mr,",
	"/etc/ld.so.cache r,",
	"/etc/ld-musl-*.path r,",
	"# iconv(3) reads its module list beside the gconv modules.",
	"/usr/lib{,32,64}/{,*/}gconv/** r,",
	"# Devices every program may open: the bit bucket, zeros and",
	"# randomness, and the terminal the runtime hands over (run -t).",
	"/dev/null rw,",
	"/dev/zero rw,",
	"/dev/random r,",
	"/dev/urandom r,",
	"/dev/tty rw,",
	"/dev/pts/[0-9]* rw,",
	"# The container's own processes, read only: status and limits (libc,",
	"# runtimes that size themselves to their cgroup), open descriptors",
	"# (closed before exec) and the AppArmor label.",
	"/proc/[1-9]*/{,task/[1-9]*/}{stat,statm,status,comm,cmdline,maps,"
	"limits,cgroup,mounts,mountinfo} r,",
	"/proc/[1-9]*/{,task/[1-9]*/}fd/ r,",
	"/proc/[1-9]*/{,task/[1-9]*/}attr/{,apparmor/}current r,",
	"# The number of CPUs (sysconf, worker counts).",
	"/sys/devices/system/cpu/online r,",
	"# Locale data and message catalogues.",
	"/usr/lib/locale/** r,",
	"/usr/share/locale/** r,",
	"# Time zone.",
	"/etc/localtime r,",
	"/etc/timezone r,",
	"/usr/share/zoneinfo/** r,",
	"# Users and groups (getpwnam, getgrnam) and how to look them up.",
	"/etc/passwd r,",
	"/etc/group r,",
	"/etc/nsswitch.conf r,",
	"# Local IPC: socketpair(2), pipes to helpers, /dev/log.  Unix",
	"# sockets are not network: --network none keeps them too.",
	"network unix,",
	NULL,
};

/* Only with network: the files of name resolution. */
static const char *const aa_baseline_net[] = {
	"# Name resolution (getaddrinfo): hosts, resolver, its options,",
	"# address selection and service names.",
	"/etc/hosts r,",
	"/etc/resolv.conf r,",
	"/etc/host.conf r,",
	"/etc/gai.conf r,",
	"/etc/services r,",
	NULL,
};

/* Docker's default protections that are not file rules (NAME is %s). */
static const char *const aa_protect_head[] = {
	"",
	"# Kept from Docker's default profile (moby/profiles, 2026).  Deny",
	"# rules win over every allow, so no statement can reopen these.",
	"# Signals only from the runtime and within this profile; ptrace",
	"# only within it.",
	"signal (receive) peer=unconfined,",
	"signal (receive) peer=runc,",
	"signal (receive) peer=crun,",
	"signal (send,receive) peer=%s,",
	"ptrace (trace,tracedby,read,readby) peer=%s,",
	"# No mount of any kind; an unmount could also uncover what the",
	"# runtime masks.",
	"deny mount,",
	"deny umount,",
	"deny pivot_root,",
	"# No AF_ALG socket (kernel crypto; seccomp cannot stop socketcall).",
	"deny network alg,",
	"# No write to /proc outside the task's own entries, to /proc/sys",
	"# (but kernel/shm*) or to /sys (but cgroups); no access at all to",
	"# sysrq-trigger, kcore, firmware, powercap or the security fs.",
	NULL,
};

static const char *const access_names[CP_ACCESS_COUNT] = {
	"read",
	"write",
	"append",
	"exec",
};

/* Each line indented, with every %s in it replaced by name. */
static void
put_lines(struct cp_buf *b, const char *const *lines, const char *name)
{
	for (; *lines != NULL; lines++) {
		const char *s = *lines, *hole;

		if (*s == '\0') {
			cp_buf_putc(b, '\n');
			continue;
		}
		cp_buf_puts(b, "  ");
		while ((hole = strstr(s, "%s")) != NULL) {
			cp_buf_add(b, s, (size_t)(hole - s));
			cp_buf_puts(b, name);
			s = hole + 2;
		}
		cp_buf_puts(b, s);
		cp_buf_putc(b, '\n');
	}
}

/*
 * Paths: checking, quoting and the patterns that statements become.
 */

/* The name is printed bare, so it must be what the language allows. */
static bool
name_ok(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

/*
 * Check the class that opens at s[0] == '['.  Returns the offset of its
 * closing ']', or 0 with *why set when AppArmor cannot hold the class as
 * the language means it.
 */
static size_t
class_end(const char *s, const char **why)
{
	size_t i = 1, first;

	if (s[i] == '!' || s[i] == '^')
		i++;
	if (s[i] == ']') {
		*why = "a '[...]' class must not be empty or start with ']'";
		return 0;
	}
	for (first = i; s[i] != ']'; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char hi;

		if (c == '\0') {
			*why = "a '[' has no closing ']'";
			return 0;
		}
		if (c == '/' || c == '[') {
			*why = "a '[...]' class cannot hold '/' or '['";
			return 0;
		}
		if (c >= 0x80) {
			*why = "AppArmor classes match bytes, so a '[...]' "
			       "class cannot hold a non-ASCII character";
			return 0;
		}
		if (c == '-' && i != first) {
			*why = "AppArmor takes a '-' in a '[...]' class only "
			       "first or in a range";
			return 0;
		}
		if (s[i + 1] != '-' || s[i + 2] == ']' || s[i + 2] == '\0')
			continue;
		hi = (unsigned char)s[i + 2];
		if (hi == '[' || hi >= 0x80 || hi < c) {
			*why = "a '[...]' range must run from a lower to a "
			       "higher ASCII character";
			return 0;
		}
		if (c < '/' && hi >= '/') {
			*why = "a '[...]' range cannot span '/'";
			return 0;
		}
		i += 2;
	}
	return i;
}

/*
 * Why AppArmor cannot take path as the language means it, or NULL when
 * it can.  The front end has checked most of this; the backend checks
 * again because what it prints must be right on its own.
 */
static const char *
path_problem(const char *path)
{
	unsigned alts[AA_MAX_DEPTH + 1];
	unsigned depth = 0;
	const char *why = NULL;

	if (path[0] != '/')
		return "it is not absolute";
	if (cp_has_control(path))
		return "it holds a control character";
	for (size_t i = 0; path[i] != '\0'; i++) {
		size_t n;

		switch (path[i]) {
		case '[':
			n = class_end(path + i, &why);
			if (n == 0)
				return why;
			i += n;
			break;
		case ']':
			return "a ']' has no opening '['";
		case '{':
			if (depth == AA_MAX_DEPTH)
				return "'{...}' groups are nested too deep";
			alts[++depth] = 1;
			break;
		case ',':
			if (depth > 0)
				alts[depth]++;
			break;
		case '}':
			if (depth == 0)
				return "a '}' has no opening '{'";
			if (alts[depth] < 2)
				return "AppArmor needs two or more "
				       "alternatives in a '{...}' group";
			depth--;
			break;
		default:
			break;
		}
	}
	if (depth > 0)
		return "a '{' has no closing '}'";
	return NULL;
}

/*
 * Print pat, a checked pattern, as one double-quoted AppArmor token.
 *
 * apparmor_parser reads a quoted token as the longest match of
 * "(anything but '"' | \")*", so a backslash just before the closing
 * quote would let the token run on into the next rule.  Hence '"' and
 * '\' are written as octal escapes (\042, \134), which the parser turns
 * back into a literal quote and a literal backslash.  The parser
 * expands "@{NAME}" even inside quotes, so an '@' before a '{' is
 * written as the class "[@]".  Glob characters pass through, but inside
 * a class '*' and '?' (which AppArmor expands even there) and '{' and
 * '}' are escaped, and a class negated with '!' or '^' gets '/' added to
 * its set: the language's classes, like fnmatch(3)'s, never match '/',
 * AppArmor's do.  So the only backslashes in the token are those of
 * \042 and \134 and those before "*?{}" in a class: none is ever next
 * to a quote.
 */
static void
put_quoted(struct cp_buf *b, const char *pat)
{
	bool in_class = false, class_start = false, negated = false;

	cp_buf_putc(b, '"');
	for (const char *s = pat; *s != '\0'; s++) {
		char c = *s;

		if (class_start && (c == '!' || c == '^')) {
			cp_buf_putc(b, '^');
			negated = true;
			class_start = false;
			continue;
		}
		class_start = false;
		if (c == '"') {
			cp_buf_puts(b, "\\042");
			continue;
		}
		if (c == '\\') {
			cp_buf_puts(b, "\\134");
			continue;
		}
		if (!in_class && c == '@' && s[1] == '{') {
			cp_buf_puts(b, "[@]");
			continue;
		}
		if (in_class && strchr("*?{}", c) != NULL)
			cp_buf_putc(b, '\\');
		else if (in_class && c == ']') {
			if (negated)
				cp_buf_putc(b, '/');
			in_class = false;
		} else if (!in_class && c == '[') {
			in_class = class_start = true;
			negated = false;
		}
		cp_buf_putc(b, c);
	}
	cp_buf_putc(b, '"');
}

static void
put_modes(struct cp_buf *b, unsigned perms, bool deny)
{
	if (perms & AA_M)
		cp_buf_putc(b, 'm');
	if (perms & AA_R)
		cp_buf_putc(b, 'r');
	/* 'w' and 'a' cannot share a rule, and 'w' implies 'a' */
	if (perms & AA_W)
		cp_buf_putc(b, 'w');
	else if (perms & AA_A)
		cp_buf_putc(b, 'a');
	if (perms & AA_K)
		cp_buf_putc(b, 'k');
	if (perms & AA_L)
		cp_buf_putc(b, 'l');
	if (perms & AA_X)
		cp_buf_puts(b, deny ? "x" : "ix");
}

/* Read and write name a file or a directory; append and exec a file. */
static bool
names_dirs(enum cp_access acc)
{
	return acc == CP_ACCESS_READ || acc == CP_ACCESS_WRITE;
}

/*
 * The pattern a statement on path becomes.  AppArmor tells a directory
 * from a file by a trailing '/', so a path that may name either covers
 * both, and a tree "X" + "/" + "**" also covers X/ itself, so that its
 * top can be listed.
 */
static char *
rule_pattern(const char *path, enum cp_access acc)
{
	size_t n = strlen(path);

	if (!names_dirs(acc) || path[n - 1] == '/')
		return cp_xstrdup(path);
	if (n >= 3 && strcmp(path + n - 3, "/**") == 0)
		return cp_xasprintf("%.*s{,**}", (int)(n - 2), path);
	return cp_xasprintf("%s{,/}", path);
}

/*
 * A mount's target and everything under it.  A bind mount's target may
 * be a file (a socket, say), so the printed rule covers TARGET itself
 * too; the dead-rule check looks at the directory form, the usual case.
 */
static char *
mount_pattern(const char *target, bool dir_only)
{
	size_t n = strlen(target);

	if (target[n - 1] == '/')
		return cp_xasprintf("%s{,**}", target);
	return cp_xasprintf(dir_only ? "%s/{,**}" : "%s{,/**}", target);
}

static unsigned
allow_perms(enum cp_access acc)
{
	switch (acc) {
	case CP_ACCESS_READ:
		return AA_R;
	case CP_ACCESS_WRITE:
		/* creating, deleting and renaming are all 'w' in AppArmor;
		 * 'k' because writers lock what they write */
		return AA_R | AA_W | AA_K;
	case CP_ACCESS_APPEND:
		return AA_A | AA_K;
	case CP_ACCESS_EXEC:
		/* 'r' so that an interpreter can read a script, 'm' for the
		 * loader's executable mappings */
		return AA_M | AA_R | AA_X;
	}
	CP_ASSERT(0);
	return 0;
}

static unsigned
deny_perms(enum cp_access acc)
{
	switch (acc) {
	case CP_ACCESS_READ:
		return AA_R;
	case CP_ACCESS_WRITE:
		return AA_W; /* and so append too */
	case CP_ACCESS_APPEND:
		return AA_A;
	case CP_ACCESS_EXEC:
		/* an executable mapping runs the file's code as surely */
		return AA_M | AA_X;
	}
	CP_ASSERT(0);
	return 0;
}

/* The permission without which an allow of acc grants nothing. */
static unsigned
needed_perm(enum cp_access acc)
{
	static const unsigned need[CP_ACCESS_COUNT] = {
		AA_R,
		AA_W,
		AA_A,
		AA_X,
	};

	return need[acc];
}

/*
 * The rules of one group, sorted by their printed path and merged, so
 * that two statements on one path make one rule.
 */
struct aa_rule {
	char *text; /* the quoted path */
	unsigned perms;
};

struct aa_rules {
	struct aa_rule *v;
	size_t n, cap;
};

/* Add a rule on pat, a checked pattern, which this frees. */
static void
rules_add(struct aa_rules *r, char *pat, unsigned perms)
{
	struct cp_buf b = CP_BUF_INIT;

	put_quoted(&b, pat);
	free(pat);
	cp_xgrow(&r->v, &r->cap, r->n + 1, sizeof(r->v[0]));
	r->v[r->n].text = cp_buf_take(&b);
	r->v[r->n].perms = perms;
	r->n++;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct aa_rule *x = a, *y = b;

	return strcmp(x->text, y->text);
}

static void
rules_merge(struct aa_rules *r)
{
	size_t j = 0;

	if (r->n == 0)
		return;
	cp_qsort(r->v, r->n, sizeof(r->v[0]), rule_cmp);
	for (size_t i = 1; i < r->n; i++) {
		if (strcmp(r->v[i].text, r->v[j].text) == 0) {
			r->v[j].perms |= r->v[i].perms;
			free(r->v[i].text);
		} else {
			r->v[++j] = r->v[i];
		}
	}
	r->n = j + 1;
}

static void
put_rules(struct cp_buf *b, const struct aa_rules *r, bool deny)
{
	for (size_t i = 0; i < r->n; i++) {
		cp_buf_puts(b, deny ? "  deny " : "  ");
		cp_buf_puts(b, r->v[i].text);
		cp_buf_putc(b, ' ');
		put_modes(b, r->v[i].perms, deny);
		cp_buf_puts(b, ",\n");
	}
}

static void
rules_free(struct aa_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
}

/*
 * The dead-rule check.  AppArmor's deny rules always win, so an allow
 * that deny rules cover entirely grants nothing, and the policy author
 * should hear of it.  The check is exact for a literal path and
 * conservative for a glob: it says "covered" only when it can show it,
 * so it may miss a dead rule but never calls a live one dead.
 */

/* Does the class at p[0] == '[' hold c?  *end is set past its ']'. */
static bool
class_match(const char *p, unsigned char c, const char **end)
{
	bool neg = false, hit = false;
	const char *q = p + 1;

	if (*q == '!' || *q == '^') {
		neg = true;
		q++;
	}
	do {
		unsigned char lo = (unsigned char)*q, hi = lo;

		if (q[1] == '-' && q[2] != ']' && q[2] != '\0') {
			hi = (unsigned char)q[2];
			q += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
		q++;
	} while (*q != ']' && *q != '\0');
	*end = *q == ']' ? q + 1 : q;
	/* neither kind of class matches '/' (see put_quoted) */
	return c != '/' && hit != neg;
}

/*
 * AppArmor's globs on a pattern without braces: '*' within a segment,
 * '**' across segments; either, when it is a whole segment (after a '/'
 * and before a '/' or the end), needs one character or more.  pat is
 * where the pattern starts, p where matching it has got to; *steps
 * bounds the backtracking, and running out means "no match".
 */
static bool
glob_step(const char *pat, const char *p, const char *s, unsigned *steps)
{
	for (;;) {
		const char *q, *t;
		bool deep;

		if (*steps == 0)
			return false;
		--*steps;
		switch (*p) {
		case '\0':
			return *s == '\0';
		case '*':
			for (q = p; *q == '*'; q++)
				;
			deep = q - p >= 2;
			t = s;
			if (p > pat && p[-1] == '/' &&
			    (*q == '/' || *q == '\0')) {
				if (*t == '\0' || *t == '/')
					return false;
				t++;
			}
			for (;;) {
				if (glob_step(pat, q, t, steps))
					return true;
				if (*t == '\0' || (!deep && *t == '/'))
					return false;
				t++;
			}
		case '?':
			if (*s == '\0' || *s == '/')
				return false;
			p++;
			s++;
			break;
		case '[':
			if (*s == '\0' ||
			    !class_match(p, (unsigned char)*s, &q))
				return false;
			p = q;
			s++;
			break;
		default:
			if (*p != *s)
				return false;
			p++;
			s++;
			break;
		}
	}
}

static bool
glob_match(const char *pat, const char *s)
{
	unsigned steps = AA_MAX_STEPS;

	return glob_step(pat, pat, s, &steps);
}

/* The length of the literal start of s, before any glob character. */
static size_t
literal_len(const char *s)
{
	return strcspn(s, "*?[{");
}

/* Offset of the ']' that closes the class at s[0] == '[', or 0. */
static size_t
skip_class(const char *s)
{
	size_t i = 1;

	if (s[i] == '!' || s[i] == '^')
		i++;
	for (i++; s[i] != '\0'; i++)
		if (s[i] == ']')
			return i;
	return 0;
}

struct aa_strv {
	char **v;
	size_t n, cap;
};

static void
strv_free(struct aa_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/*
 * Append the alternatives of pat's '{...}' groups to *out, each without
 * braces.  Returns false when there would be more than AA_MAX_ALTS.
 */
static bool
expand_braces(const char *pat, struct aa_strv *out)
{
	size_t open = 0, close = 0, depth = 0, start;
	bool found = false;

	for (size_t i = 0; pat[i] != '\0' && !found; i++) {
		if (pat[i] == '[') {
			i += skip_class(pat + i);
		} else if (pat[i] == '{') {
			if (depth++ == 0)
				open = i;
		} else if (pat[i] == '}' && depth > 0 && --depth == 0) {
			close = i;
			found = true;
		}
	}
	if (!found) {
		if (out->n == AA_MAX_ALTS)
			return false;
		cp_xgrow(&out->v, &out->cap, out->n + 1, sizeof(out->v[0]));
		out->v[out->n++] = cp_xstrdup(pat);
		return true;
	}
	start = open + 1;
	depth = 0;
	for (size_t i = open + 1; i <= close; i++) {
		char c = pat[i];
		char *alt;
		bool ok;

		if (c == '[') {
			i += skip_class(pat + i);
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && i < close)
			depth--;
		if (i < close && (c != ',' || depth > 0))
			continue;
		alt = cp_xasprintf("%.*s%.*s%s", (int)open, pat,
				   (int)(i - start), pat + start,
				   pat + close + 1);
		ok = expand_braces(alt, out);
		free(alt);
		if (!ok)
			return false;
		start = i + 1;
	}
	return true;
}

/* Does the brace-free deny pattern q cover all that the brace-free
 * allow pattern v matches? */
static bool
covers(const char *q, const char *v)
{
	size_t nq = strlen(q), lit = literal_len(v);
	char *head;
	bool hit = false;

	if (v[lit] == '\0')
		return glob_match(q, v);
	if (strcmp(q, v) == 0)
		return true;
	/* q = A followed by "**" covers v when A matches a literal start
	 * of v: whatever follows it in v, "**" matches too (real paths
	 * never hold "//", so what follows a '/' starts with another
	 * character) */
	if (nq < 3 || strcmp(q + nq - 2, "**") != 0)
		return false;
	head = cp_xstrndup(q, nq - 2);
	for (size_t k = 1; k <= lit && !hit; k++) {
		char *pre = cp_xstrndup(v, k);

		hit = glob_match(head, pre);
		free(pre);
	}
	free(head);
	return hit;
}

/* A deny rule with its permissions, for the check. */
struct aa_deny {
	struct aa_strv alts;
	unsigned perms;
	const struct cp_file_rule *rule;  /* NULL for a protection */
	const struct aa_protect *protect; /* NULL for a statement */
};

/*
 * One alternative of a deny, by the literal start of its pattern.  A
 * deny alternative q can cover an allow v only when q's literal start is
 * a start of v's literal start (or v's glob could produce whatever q's
 * literal part requires, which covers() would not show anyway): so the
 * check looks up only those, and stays fast for thousands of denies.
 */
struct aa_alt {
	const char *lit; /* the alternative itself; lit_len bytes count */
	size_t lit_len;
	size_t deny; /* index in aa_denies.v */
};

struct aa_denies {
	struct aa_deny *v;
	size_t n, cap;
	struct aa_alt *alts; /* sorted by literal start */
	size_t nalts, alts_cap;
	/* The lengths of the literal starts, ascending, each once: only
	 * those need looking up. */
	size_t *lens;
	size_t nlens, lens_cap;
};

static void
denies_add(struct aa_denies *d, const char *pat, unsigned perms,
	   const struct cp_file_rule *rule, const struct aa_protect *protect)
{
	struct aa_strv alts = {NULL, 0, 0};

	if (!expand_braces(pat, &alts)) {
		/* too many alternatives: leaving it out keeps the check
		 * conservative */
		strv_free(&alts);
		return;
	}
	cp_xgrow(&d->v, &d->cap, d->n + 1, sizeof(d->v[0]));
	d->v[d->n].alts = alts;
	/* 'w' implies 'a' in AppArmor */
	d->v[d->n].perms = perms & AA_W ? perms | AA_A : perms;
	d->v[d->n].rule = rule;
	d->v[d->n].protect = protect;
	d->n++;
}

static int
alt_cmp(const void *a, const void *b)
{
	const struct aa_alt *x = a, *y = b;
	size_t n = x->lit_len < y->lit_len ? x->lit_len : y->lit_len;
	int c = memcmp(x->lit, y->lit, n);

	if (c != 0)
		return c;
	if (x->lit_len != y->lit_len)
		return x->lit_len < y->lit_len ? -1 : 1;
	return x->deny < y->deny ? -1 : x->deny > y->deny;
}

/* Index every alternative of every deny by its literal start. */
static void
denies_index(struct aa_denies *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->v[i].alts.n; k++) {
			const char *q = d->v[i].alts.v[k];
			struct aa_alt a = {q, literal_len(q), i};

			cp_xgrow(&d->alts, &d->alts_cap, d->nalts + 1,
				 sizeof(d->alts[0]));
			d->alts[d->nalts++] = a;
		}
	}
	if (d->nalts > 1)
		cp_qsort(d->alts, d->nalts, sizeof(d->alts[0]), alt_cmp);
	for (size_t i = 0; i < d->nalts; i++) {
		size_t k = 0, len = d->alts[i].lit_len;

		while (k < d->nlens && d->lens[k] < len)
			k++;
		if (k < d->nlens && d->lens[k] == len)
			continue;
		cp_xgrow(&d->lens, &d->lens_cap, d->nlens + 1,
			 sizeof(d->lens[0]));
		memmove(d->lens + k + 1, d->lens + k,
			(d->nlens - k) * sizeof(d->lens[0]));
		d->lens[k] = len;
		d->nlens++;
	}
}

static void
denies_free(struct aa_denies *d)
{
	for (size_t i = 0; i < d->n; i++)
		strv_free(&d->v[i].alts);
	free(d->v);
	free(d->alts);
	free(d->lens);
}

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Collect in *cand the denies of d (numbered from base) that take some
 * of need from path v: those whose literal start is a start of v's.
 */
static void
denies_matching(const struct aa_denies *d, size_t base, const char *v,
		size_t lit, unsigned need, size_t **cand, size_t *ncand,
		size_t *cap)
{
	for (size_t l = 0; l < d->nlens && d->lens[l] <= lit; l++) {
		size_t len = d->lens[l], lo = 0, hi = d->nalts;
		struct aa_alt key = {v, len, 0};

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (alt_cmp(&d->alts[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < d->nalts && d->alts[lo].lit_len == len &&
		       memcmp(d->alts[lo].lit, v, len) == 0;
		     lo++) {
			const struct aa_alt *a = &d->alts[lo];

			if ((d->v[a->deny].perms & need) == 0 ||
			    !covers(a->lit, v))
				continue;
			cp_xgrow(cand, cap, *ncand + 1, sizeof(**cand));
			(*cand)[(*ncand)++] = base + a->deny;
		}
	}
}

/*
 * The first deny, of the policy's (pd) and then the protections' (pr),
 * that takes need from path v, or NULL.
 */
static const struct aa_deny *
deny_for(const struct aa_denies *pd, const struct aa_denies *pr, const char *v,
	 unsigned need)
{
	const struct aa_deny *first = NULL;
	unsigned got = 0;
	size_t lit = literal_len(v), *cand = NULL, ncand = 0, cap = 0;

	denies_matching(pd, 0, v, lit, need, &cand, &ncand, &cap);
	denies_matching(pr, pd->n, v, lit, need, &cand, &ncand, &cap);
	/* In rule order, as a reader would find them. */
	if (ncand > 1)
		cp_qsort(cand, ncand, sizeof(*cand), size_cmp);
	for (size_t i = 0; i < ncand && (got & need) != need; i++) {
		const struct aa_deny *dn = cand[i] < pd->n
						   ? &pd->v[cand[i]]
						   : &pr->v[cand[i] - pd->n];

		got |= dn->perms;
		if (first == NULL)
			first = dn;
	}
	free(cand);
	return (got & need) == need ? first : NULL;
}

/*
 * The deny that takes need from every path pat grants (the first one
 * found, for the message), or NULL when some path keeps it.
 */
static const struct aa_deny *
dead_by(const struct aa_denies *pd, const struct aa_denies *pr, const char *pat,
	unsigned need)
{
	struct aa_strv alts = {NULL, 0, 0};
	const struct aa_deny *first = NULL;
	bool dead;

	/* Most patterns have no alternatives: no copy of them needed. */
	if (strchr(pat, '{') == NULL)
		return deny_for(pd, pr, pat, need);
	dead = expand_braces(pat, &alts);
	for (size_t i = 0; i < alts.n && dead; i++) {
		const struct aa_deny *who = deny_for(pd, pr, alts.v[i], need);

		if (who == NULL)
			dead = false;
		else if (first == NULL)
			first = who;
	}
	strv_free(&alts);
	return dead ? first : NULL;
}

/* Warn at loc that what (a grant) has no effect because of first. */
static void
warn_dead(struct cp_emit *e, const struct cp_loc *loc,
	  const struct aa_deny *first, const char *what)
{
	if (first->rule != NULL) {
		cp_emit_warning(e, loc,
				"%s has no effect: a deny covers it, and "
				"AppArmor's deny rules always win",
				what);
		cp_emit_note(e, &first->rule->loc, "the 'deny %s' is here",
			     access_names[first->rule->access]);
	} else {
		cp_emit_warning(e, loc,
				"%s has no effect: the profile keeps Docker's "
				"default 'deny %s %s', and AppArmor's deny "
				"rules always win",
				what, first->protect->pat,
				first->protect->modes);
	}
}

/*
 * The protections' denies, indexed once per process: they are the same
 * for every policy.
 */
static struct aa_denies protect_denies;

static void
protect_denies_free(void)
{
	denies_free(&protect_denies);
}

static void
protect_denies_init(void)
{
	for (size_t i = 0; i < CP_ARRAY_LEN(aa_protects); i++) {
		const struct aa_protect *pr = &aa_protects[i];

		/* a file's path with '/' appended names nothing that can
		 * exist, so the check may count it as covered too */
		if (literal_len(pr->pat) == strlen(pr->pat)) {
			char *pat = cp_xasprintf("%s{,/}", pr->pat);

			denies_add(&protect_denies, pat, pr->perms, NULL, pr);
			free(pat);
		} else {
			denies_add(&protect_denies, pr->pat, pr->perms, NULL,
				   pr);
		}
	}
	denies_index(&protect_denies);
	/* Freed at exit, so that a leak check sees every block go. */
	atexit(protect_denies_free);
}

static void
check_dead_rules(const struct cp_policy *p, struct cp_emit *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const struct aa_denies *pr = &protect_denies;
	struct aa_denies d = {0};
	const struct aa_deny *who;
	char *pat, *what;

	pthread_once(&once, protect_denies_init);
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *f = &p->files[i];

		if (!f->deny)
			continue;
		pat = rule_pattern(f->path, f->access);
		denies_add(&d, pat, deny_perms(f->access), f, NULL);
		free(pat);
	}
	denies_index(&d);
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *f = &p->files[i];

		if (f->deny)
			continue;
		pat = rule_pattern(f->path, f->access);
		who = dead_by(&d, pr, pat, needed_perm(f->access));
		if (who != NULL) {
			what = cp_xasprintf("this %s of \"%s\"",
					    access_names[f->access], f->path);
			warn_dead(e, &f->loc, who, what);
			free(what);
		}
		free(pat);
	}
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		pat = mount_pattern(m->target, true);
		who = dead_by(&d, pr, pat, AA_R);
		if (who != NULL) {
			what = cp_xasprintf("the read access this mount "
					    "grants under \"%s\"",
					    m->target);
			warn_dead(e, &m->loc, who, what);
			free(what);
		}
		who = m->read_only ? NULL : dead_by(&d, pr, pat, AA_W);
		if (who != NULL) {
			what = cp_xasprintf("the write access this mount "
					    "grants under \"%s\"",
					    m->target);
			warn_dead(e, &m->loc, who, what);
			free(what);
		}
		free(pat);
	}
	denies_free(&d);
}

/*
 * The sections of the profile.
 */

static void
put_capabilities(struct cp_buf *b, const struct cp_policy *p, struct cp_emit *e)
{
	int raw = cp_cap_lookup("net_raw");

	cp_buf_puts(b, "\n  # Capabilities: exactly those the policy "
		       "declares.\n");
	if (p->caps == 0) {
		cp_buf_puts(b, "  # (none: with no capability rule, AppArmor "
			       "allows none)\n");
		return;
	}
	for (int i = 0; i < CP_CAP_COUNT; i++)
		if (p->caps & ((cp_capset)1 << i))
			cp_buf_printf(b, "  capability %s,\n", cp_cap_name(i));
	if (raw >= 0 && (p->caps & ((cp_capset)1 << raw))) {
		cp_buf_puts(b, "  # fidelity: net_raw is granted, but no raw "
			       "or packet socket is:\n"
			       "  # the language has no statement for "
			       "them.\n");
		cp_emit_fidelity(e, &p->cap_loc[raw],
				 "AppArmor: the profile allows no raw or "
				 "packet socket, so net_raw is of no use; the "
				 "language has no statement for them");
	}
}

static void
note_ports(struct cp_emit *e, const struct cp_port_range *r, size_t n,
	   const char *verb)
{
	for (size_t i = 0; i < n; i++) {
		bool tcp = r[i].proto == CP_PROTO_TCP;
		const char *type = tcp ? "stream" : "dgram";
		char ports[32];

		if (r[i].first == r[i].last)
			snprintf(ports, sizeof(ports), "%u", r[i].first);
		else
			snprintf(ports, sizeof(ports), "%u-%u", r[i].first,
				 r[i].last);
		cp_emit_fidelity(e, &r[i].loc,
				 "AppArmor 3 cannot filter ports: '%s %s %s' "
				 "becomes 'network inet %s' and 'network inet6 "
				 "%s', which allow every port, in and out",
				 verb, tcp ? "tcp" : "udp", ports, type, type);
	}
}

static bool
has_proto(const struct cp_port_range *r, size_t n, enum cp_proto proto)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].proto == proto)
			return true;
	return false;
}

static void
put_network(struct cp_buf *b, const struct cp_policy *p, struct cp_emit *e)
{
	bool tcp, udp;

	cp_buf_puts(b, "\n  # Network.\n");
	if (!cp_policy_has_network(p)) {
		cp_buf_puts(b, "  # No network statement: no IP socket, as "
			       "with --network none.\n"
			       "  deny network inet,\n"
			       "  deny network inet6,\n");
		return;
	}
	put_lines(b, aa_baseline_net, p->name);
	if (p->host_network) {
		cp_buf_puts(b, "  # unsafe network host: the same rules, but "
			       "AppArmor cannot keep the\n"
			       "  # container from the host's abstract unix "
			       "sockets.\n");
		cp_emit_fidelity(e, &p->host_network_loc,
				 "AppArmor: in the host's network namespace "
				 "the container can reach the host's abstract "
				 "unix sockets, which AppArmor 3 cannot "
				 "restrict");
	}
	tcp = has_proto(p->listens, p->nlistens, CP_PROTO_TCP) ||
	      has_proto(p->connects, p->nconnects, CP_PROTO_TCP);
	udp = has_proto(p->listens, p->nlistens, CP_PROTO_UDP) ||
	      has_proto(p->connects, p->nconnects, CP_PROTO_UDP);
	if (!tcp && !udp) {
		cp_buf_puts(b, "  # No listen or connect statement: no IP "
			       "socket.\n");
		return;
	}
	cp_buf_puts(b, "  # fidelity: AppArmor 3 cannot filter ports, nor "
		       "tell listen from\n"
		       "  # connect: these rules allow the protocol on every "
		       "port, both ways.\n");
	if (tcp)
		cp_buf_puts(b, "  network inet stream,\n"
			       "  network inet6 stream,\n");
	if (udp)
		cp_buf_puts(b, "  network inet dgram,\n"
			       "  network inet6 dgram,\n");
	note_ports(e, p->listens, p->nlistens, "listen");
	note_ports(e, p->connects, p->nconnects, "connect");
}

static const char *
mount_kind(enum cp_mount_kind k)
{
	switch (k) {
	case CP_MOUNT_TMPFS:
		return "tmpfs";
	case CP_MOUNT_VOLUME:
		return "volume";
	case CP_MOUNT_BIND:
		return "bind";
	}
	return "mount";
}

static void
put_mounts(struct cp_buf *b, const struct cp_policy *p)
{
	if (p->nmounts == 0)
		return;
	cp_buf_puts(b, "\n  # Mounts: each grants access under its target; "
		       "a tmpfs is writable,\n"
		       "  # and no mount makes anything executable.\n");
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];
		char *pat = mount_pattern(m->target, false);

		cp_buf_printf(b, "  # %s at ", mount_kind(m->kind));
		put_quoted(b, m->target);
		cp_buf_puts(b, m->read_only ? ", read-only\n  "
					    : ", read-write\n  ");
		put_quoted(b, pat);
		cp_buf_puts(b, m->read_only ? " r,\n" : " rwk,\n");
		free(pat);
	}
}

/*
 * The kernel counts O_CREAT as creating even when the file exists, and
 * only 'w' grants that, so an append-only rule fails for the many
 * programs that open their logs with O_APPEND | O_CREAT.
 */
static void
note_appends(struct cp_buf *b, const struct cp_policy *p, struct cp_emit *e)
{
	bool any = false;

	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *f = &p->files[i];

		if (f->deny || f->access != CP_ACCESS_APPEND)
			continue;
		any = true;
		cp_emit_fidelity(e, &f->loc,
				 "AppArmor: 'append' lets a program append to "
				 "\"%s\" only if it opens the file without "
				 "O_CREAT; most loggers pass O_CREAT, which "
				 "needs 'write'",
				 f->path);
	}
	if (any)
		cp_buf_puts(b, "  # fidelity: an append rule (a) works only "
			       "for opens without O_CREAT,\n"
			       "  # which the kernel counts as creating and "
			       "only w allows.\n");
}

static void
put_files(struct cp_buf *b, const struct cp_policy *p, struct cp_emit *e)
{
	struct aa_rules allow = {NULL, 0, 0}, deny = {NULL, 0, 0};

	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *f = &p->files[i];
		char *pat = rule_pattern(f->path, f->access);

		if (f->deny)
			rules_add(&deny, pat, deny_perms(f->access));
		else
			rules_add(&allow, pat, allow_perms(f->access));
	}
	rules_merge(&allow);
	rules_merge(&deny);

	if (allow.n > 0 || p->writable_root)
		cp_buf_puts(b, "\n  # Files: the read, write, append and exec "
			       "statements.\n");
	if (p->writable_root) {
		cp_buf_puts(b, "  # fidelity: unsafe writable-root makes the "
			       "root filesystem\n"
			       "  # writable, but this profile still allows "
			       "writes only where\n"
			       "  # statements say.\n");
		cp_emit_fidelity(e, &p->writable_root_loc,
				 "AppArmor: the profile still allows writes "
				 "only where write statements and mounts say");
	}
	note_appends(b, p, e);
	put_rules(b, &allow, false);
	put_mounts(b, p);
	if (deny.n > 0) {
		cp_buf_puts(b, "\n  # Deny statements: AppArmor's deny rules "
			       "always win.\n");
		put_rules(b, &deny, true);
	}
	rules_free(&allow);
	rules_free(&deny);
}

/* Check every name and path the profile will print. */
static bool
check_input(const struct cp_policy *p, struct cp_emit *e)
{
	bool ok = true;
	const char *why;

	if (!name_ok(p->name)) {
		cp_emit_error(e, &p->loc,
			      "cannot name an AppArmor profile \"%s\"",
			      p->name);
		ok = false;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		why = path_problem(p->files[i].path);
		if (why == NULL)
			continue;
		cp_emit_error(e, &p->files[i].loc,
			      "cannot write \"%s\" into an AppArmor profile: "
			      "%s",
			      p->files[i].path, why);
		ok = false;
	}
	for (size_t i = 0; i < p->nmounts; i++) {
		const char *t = p->mounts[i].target;

		why = path_problem(t);
		if (why == NULL && literal_len(t) != strlen(t))
			why = "a mount target cannot hold glob characters";
		if (why == NULL)
			continue;
		cp_emit_error(e, &p->mounts[i].loc,
			      "cannot write mount target \"%s\" into an "
			      "AppArmor profile: %s",
			      t, why);
		ok = false;
	}
	return ok;
}

static int
apparmor_emit(const struct cp_policy *p, struct cp_emit *e)
{
	struct cp_buf *b;

	if (!check_input(p, e))
		return -1;
	check_dead_rules(p, e);

	b = cp_emit_open(e, p, "apparmor");
	cp_emit_header(b, p, "# ");
	cp_buf_printf(b,
		      "\n"
		      "# ABI 3.0, pinned: under later ABIs the same rules "
		      "mean other things.\n"
		      "abi <abi/3.0>,\n"
		      "\n"
		      "include <tunables/global>\n"
		      "\n"
		      "profile %s flags=(attach_disconnected,mediate_deleted%s)"
		      " {\n",
		      p->name, p->mode == CP_MODE_COMPLAIN ? ",complain" : "");
	put_lines(b, aa_baseline, p->name);
	put_lines(b, aa_protect_head, p->name);
	for (size_t i = 0; i < CP_ARRAY_LEN(aa_protects); i++)
		cp_buf_printf(b, "  deny %s %s,\n", aa_protects[i].pat,
			      aa_protects[i].modes);
	put_capabilities(b, p, e);
	put_network(b, p, e);
	put_files(b, p, e);
	cp_buf_puts(b, "}\n");
	return 0;
}

const struct cp_backend cp_backend_apparmor = {
	"apparmor",
	"AppArmor profile, an allow-list (NAME.apparmor)",
	apparmor_emit,
};
