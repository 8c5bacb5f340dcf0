/*
 * cpolc lint FILE...: findings a reviewer should see, at the statement
 * behind each, with a stable id and, where one applies, the CIS Docker
 * Benchmark v1.6.0 section 5 number.
 *
 * A finding is silenced at its line by a comment on that line or on the
 * line above, which must give a reason:
 *
 *   unsafe writable-root;  # lint: allow unsafe-writable-root -- legacy
 *
 * Exit status: 0 when no finding reaches --fail-on (default: warning),
 * 1 when one does, 2 on usage errors and policies that do not compile.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "dump.h"

enum lint_rule {
	R_ROOT,
	R_UNSAFE_NNP,
	R_UNSAFE_ROOT,
	R_HOST_NETWORK,
	R_RUNTIME_SOCKET,
	R_SENSITIVE_DIR,
	R_UNSAFE_MOUNT,
	R_CAPABILITY,
	R_PRIVILEGED_PORT,
	R_ALL_INTERFACES,
	R_NO_MEMORY,
	R_NO_CPUS,
	R_NO_PIDS,
	R_COMPLAIN,
	R_WRITE_EXEC,
	R_IMAGE_TAG,
	R_SILENCE_REASON,
	R_SILENCE_UNUSED,
	R_COUNT
};

/* Severities, from the least: a finding fails lint from --fail-on up. */
enum lint_sev {
	SEV_NOTE,
	SEV_WARNING,
	SEV_ERROR,
	SEV_NONE, /* --fail-on=none: never fail */
};

static const struct rule_info {
	const char *id;
	const char *cis; /* CIS Docker Benchmark v1.6.0 section, or NULL */
	enum lint_sev sev;
	const char *title;
} rules[R_COUNT] = {
	[R_ROOT] = {"root-user", NULL, SEV_WARNING,
		    "the container runs as root"},
	[R_UNSAFE_NNP] = {"unsafe-new-privileges", "5.26", SEV_WARNING,
			  "no-new-privileges is dropped"},
	[R_UNSAFE_ROOT] = {"unsafe-writable-root", "5.13", SEV_WARNING,
			   "the root filesystem is writable"},
	[R_HOST_NETWORK] = {"unsafe-host-network", "5.10", SEV_ERROR,
			    "the host's network namespace is shared"},
	[R_RUNTIME_SOCKET] = {"runtime-socket", "5.32", SEV_ERROR,
			      "a container runtime's socket is mounted"},
	[R_SENSITIVE_DIR] = {"sensitive-host-directory", "5.6", SEV_WARNING,
			     "a sensitive host directory is mounted"},
	[R_UNSAFE_MOUNT] = {"unsafe-mount", NULL, SEV_WARNING,
			    "a bind mount is marked unsafe"},
	[R_CAPABILITY] = {"dangerous-capability", "5.4", SEV_WARNING,
			  "a capability that undoes isolation"},
	[R_PRIVILEGED_PORT] = {"privileged-port", "5.8", SEV_NOTE,
			       "a privileged host port is published"},
	[R_ALL_INTERFACES] = {"publish-all-interfaces", "5.14", SEV_WARNING,
			      "a port is published on every interface"},
	[R_NO_MEMORY] = {"no-memory-limit", "5.11", SEV_WARNING,
			 "memory is not limited"},
	[R_NO_CPUS] = {"no-cpu-limit", "5.12", SEV_WARNING,
		       "CPU is not limited"},
	[R_NO_PIDS] = {"no-pids-limit", "5.29", SEV_WARNING,
		       "the number of processes is not limited"},
	[R_COMPLAIN] = {"complain-mode", "5.2", SEV_WARNING,
			"the profiles only log"},
	[R_WRITE_EXEC] = {"writable-and-executable", NULL, SEV_WARNING,
			  "a path is both writable and executable"},
	[R_IMAGE_TAG] = {"image-without-tag", NULL, SEV_WARNING,
			 "the image is not pinned by a tag or digest"},
	[R_SILENCE_REASON] = {"silence-without-reason", NULL, SEV_ERROR,
			      "a silenced finding gives no reason"},
	[R_SILENCE_UNUSED] = {"unused-silence", NULL, SEV_NOTE,
			      "a silence that matches no finding"},
};

static const char *const sev_names[] = {"note", "warning", "error", "none"};

static void lint_diag(struct cp_diags *d, enum lint_sev sev,
		      const struct cp_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Capabilities that break out of a container's isolation, by severity. */
static const struct {
	const char *name;
	enum lint_sev sev;
} dangerous_caps[] = {
	{"sys_admin", SEV_ERROR},	  {"sys_module", SEV_ERROR},
	{"sys_rawio", SEV_ERROR},	  {"mac_admin", SEV_ERROR},
	{"mac_override", SEV_ERROR},	  {"bpf", SEV_ERROR},
	{"sys_ptrace", SEV_WARNING},	  {"net_admin", SEV_WARNING},
	{"dac_read_search", SEV_WARNING}, {"dac_override", SEV_WARNING},
	{"sys_boot", SEV_WARNING},	  {"sys_time", SEV_WARNING},
	{"syslog", SEV_WARNING},	  {"perfmon", SEV_WARNING},
	{"setfcap", SEV_WARNING},	  {"linux_immutable", SEV_WARNING},
	{"sys_chroot", SEV_NOTE},	  {"net_raw", SEV_NOTE},
};

struct finding {
	enum lint_rule rule;
	enum lint_sev sev;
	const char *policy; /* NULL for findings about comments */
	struct cp_loc loc;
	char *msg;
	bool silenced;
};

/* `# lint: allow ID -- reason` */
struct silence {
	const struct cp_source *src;
	unsigned line, col;
	bool own_line; /* alone on its line: it covers the next line */
	char *id;
	bool has_reason;
	bool used;
};

struct lint {
	struct finding *f;
	size_t n, cap;
	struct silence *s;
	size_t ns, scap;
};

static void add(struct lint *l, enum lint_rule rule, enum lint_sev sev,
		const struct cp_policy *p, const struct cp_loc *loc,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
add(struct lint *l, enum lint_rule rule, enum lint_sev sev,
    const struct cp_policy *p, const struct cp_loc *loc, const char *fmt, ...)
{
	struct cp_buf b = CP_BUF_INIT;
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	cp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	cp_xgrow(&l->f, &l->cap, l->n + 1, sizeof(*l->f));
	f = &l->f[l->n++];
	f->rule = rule;
	f->sev = sev;
	f->policy = p ? p->name : NULL;
	f->loc = *loc;
	f->msg = cp_buf_take(&b);
	f->silenced = false;
}

/* ---- the checks ------------------------------------------------------ */

/* The literal start of a glob: "/srv/app/" of "/srv/app/x*". */
static size_t
literal_prefix(const char *path)
{
	return strcspn(path, "*?[{");
}

/* Whether a write grant on w reaches path x (conservatively: by prefix). */
static bool
write_reaches(const char *w, const char *x)
{
	size_t n = literal_prefix(w);

	if (w[n] == '\0')
		return strcmp(w, x) == 0;
	/* w holds a glob: anything that starts with its literal part and
	 * is under a directory of it may be written. */
	return strncmp(x, w, n) == 0;
}

static void
check_files(struct lint *l, const struct cp_policy *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *x = &p->files[i];
		bool hit = false;

		if (x->deny || x->access != CP_ACCESS_EXEC)
			continue;
		for (size_t k = 0; k < p->nfiles && !hit; k++) {
			const struct cp_file_rule *w = &p->files[k];

			if (w->deny || w->access != CP_ACCESS_WRITE ||
			    !write_reaches(w->path, x->path))
				continue;
			add(l, R_WRITE_EXEC, SEV_WARNING, p, &x->loc,
			    "policy '%s' may execute '%s', which it may also "
			    "write ('write %s'): a written file can be run",
			    p->name, x->path, w->path);
			hit = true;
		}
		for (size_t k = 0; k < p->nmounts && !hit; k++) {
			const struct cp_mount *m = &p->mounts[k];

			if (m->read_only ||
			    (m->kind == CP_MOUNT_TMPFS && m->noexec) ||
			    !cp_path_within(x->path, m->target))
				continue;
			add(l, R_WRITE_EXEC, SEV_WARNING, p, &x->loc,
			    "policy '%s' may execute '%s', on the writable "
			    "mount at '%s'",
			    p->name, x->path, m->target);
			hit = true;
		}
	}
}

static const char *const sensitive[] = {
	"/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr",
};

static void
check_mounts(struct lint *l, const struct cp_policy *p)
{
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];
		bool socket, sens = false;

		if (m->kind != CP_MOUNT_BIND)
			continue;
		/* The same test as the compiler's, which refuses these
		 * binds unless they are marked unsafe. */
		socket = cp_bind_exposes_socket(m->source) != NULL;
		for (size_t k = 0; k < CP_ARRAY_LEN(sensitive) && !socket; k++)
			sens |= cp_path_within(m->source, sensitive[k]);
		if (socket)
			add(l, R_RUNTIME_SOCKET, SEV_ERROR, p, &m->loc,
			    "policy '%s' mounts '%s', which holds a container "
			    "runtime's socket: whoever holds it is root on the "
			    "host",
			    p->name, m->source);
		else if (sens)
			add(l, R_SENSITIVE_DIR,
			    m->read_only ? SEV_WARNING : SEV_ERROR, p, &m->loc,
			    "policy '%s' mounts the host's '%s'%s", p->name,
			    m->source, m->read_only ? "" : " read-write");
		else if (m->is_unsafe)
			add(l, R_UNSAFE_MOUNT, SEV_WARNING, p, &m->loc,
			    "policy '%s' marks the bind mount of '%s' unsafe",
			    p->name, m->source);
	}
}

static void
check_caps(struct lint *l, const struct cp_policy *p)
{
	for (size_t i = 0; i < CP_ARRAY_LEN(dangerous_caps); i++) {
		int c = cp_cap_lookup(dangerous_caps[i].name);

		if (c < 0 || !(p->caps & ((cp_capset)1 << c)))
			continue;
		add(l, R_CAPABILITY, dangerous_caps[i].sev, p, &p->cap_loc[c],
		    "policy '%s' keeps capability '%s'", p->name,
		    dangerous_caps[i].name);
	}
}

static void
check_network(struct lint *l, const struct cp_policy *p)
{
	if (p->host_network)
		add(l, R_HOST_NETWORK, SEV_ERROR, p, &p->host_network_loc,
		    "policy '%s' shares the host's network namespace", p->name);
	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];

		if (pub->family == CP_ADDR_NONE)
			add(l, R_ALL_INTERFACES, SEV_WARNING, p, &pub->loc,
			    "policy '%s' publishes host port %u on every "
			    "interface; bind it to one address ('publish "
			    "127.0.0.1:%u -> ...')",
			    p->name, pub->host_first, pub->host_first);
		if (pub->host_first < 1024)
			add(l, R_PRIVILEGED_PORT, SEV_NOTE, p, &pub->loc,
			    "policy '%s' publishes privileged host port %u",
			    p->name, pub->host_first);
	}
}

/* An image with neither a tag nor a digest, or with "latest". */
static bool
image_unpinned(const char *ref)
{
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');

	if (strchr(ref, '@') != NULL)
		return false;
	return colon == NULL || strcmp(colon, ":latest") == 0;
}

static void
check_policy(struct lint *l, const struct cp_policy *p)
{
	const char *u = p->user ? p->user->user : NULL;

	if (u == NULL)
		add(l, R_ROOT, SEV_WARNING, p, &p->loc,
		    "policy '%s' names no 'user': the container runs as the "
		    "image's user, usually root",
		    p->name);
	else if (strcmp(u, "0") == 0 || strcmp(u, "root") == 0)
		add(l, R_ROOT, SEV_WARNING, p, &p->user->loc,
		    "policy '%s' runs as root", p->name);
	if (p->new_privileges)
		add(l, R_UNSAFE_NNP, SEV_WARNING, p, &p->new_privileges_loc,
		    "policy '%s' drops no-new-privileges: setuid programs "
		    "and file capabilities work again",
		    p->name);
	if (p->writable_root)
		add(l, R_UNSAFE_ROOT, SEV_WARNING, p, &p->writable_root_loc,
		    "policy '%s' makes the root filesystem writable", p->name);
	if (p->mode == CP_MODE_COMPLAIN)
		add(l, R_COMPLAIN, SEV_WARNING, p, &p->loc,
		    "policy '%s' is in complain mode: its profiles log "
		    "instead of deny",
		    p->name);
	check_caps(l, p);
	check_mounts(l, p);
	check_network(l, p);
	check_files(l, p);
	if (!p->memory.set)
		add(l, R_NO_MEMORY, SEV_WARNING, p, &p->loc,
		    "policy '%s' sets no 'limit memory'", p->name);
	if (!p->cpus.set)
		add(l, R_NO_CPUS, SEV_WARNING, p, &p->loc,
		    "policy '%s' sets no 'limit cpus'", p->name);
	if (!p->pids.set)
		add(l, R_NO_PIDS, SEV_WARNING, p, &p->loc,
		    "policy '%s' sets no 'limit pids'", p->name);
	if (p->image != NULL && image_unpinned(p->image))
		add(l, R_IMAGE_TAG, SEV_WARNING, p, &p->image_loc,
		    "policy '%s' names image '%s' without a tag or digest "
		    "(or as 'latest'): what runs can change under it",
		    p->name, p->image);
}

/* ---- silences -------------------------------------------------------- */

/* After the id: "--" and some text before the end of the line. */
static bool
has_reason(const char *p, const char *eol)
{
	if (eol - p < 2 || strncmp(p, "--", 2) != 0)
		return false;
	for (p += 2; p < eol; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return true;
	return false;
}

/*
 * Find `# lint: allow ID -- REASON` comments.  Comments start at '#'
 * outside strings; the scanner ends an unquoted path at '#' too.
 */
static void
scan_silences(struct lint *l, const struct cp_source *src)
{
	const char *t = src->text, *end = t + src->len;
	unsigned line = 1;
	const char *bol = t;
	bool in_str = false, code = false;

	for (const char *p = t; p < end; p++) {
		if (*p == '\n') {
			line++;
			bol = p + 1;
			in_str = code = false;
			continue;
		}
		if (in_str) {
			if (*p == '\\' && p + 1 < end && p[1] != '\n')
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"') {
			in_str = code = true;
			continue;
		}
		if (*p != '#') {
			if (*p != ' ' && *p != '\t' && *p != '\r')
				code = true;
			continue;
		}
		{
			const char *c = p + 1,
				   *eol = memchr(p, '\n', (size_t)(end - p));
			struct silence s = {0};
			size_t idlen;

			if (eol == NULL)
				eol = end;
			c += strspn(c, " \t");
			if (strncmp(c, "lint:", 5) == 0) {
				c += 5 + strspn(c + 5, " \t");
				if (strncmp(c, "allow", 5) == 0 &&
				    (c[5] == ' ' || c[5] == '\t')) {
					const char *dash;

					c += 5 + strspn(c + 5, " \t");
					idlen = strcspn(c, " \t\r\n");
					if ((size_t)(eol - c) < idlen)
						idlen = (size_t)(eol - c);
					s.src = src;
					s.line = line;
					s.col = (unsigned)cp_utf8_count(
							bol,
							(size_t)(p - bol)) +
						1;
					s.own_line = !code;
					s.id = cp_xstrndup(c, idlen);
					dash = c + idlen;
					dash += strspn(dash, " \t");
					s.has_reason = has_reason(dash, eol);
					cp_xgrow(&l->s, &l->scap, l->ns + 1,
						 sizeof(*l->s));
					l->s[l->ns++] = s;
				}
			}
			p = eol - 1;
		}
	}
}

static void
apply_silences(struct lint *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct finding *f = &l->f[i];

		for (size_t k = 0; k < l->ns; k++) {
			struct silence *s = &l->s[k];
			unsigned line = s->own_line ? s->line + 1 : s->line;

			if (s->src != f->loc.src || line != f->loc.first_line ||
			    strcmp(s->id, rules[f->rule].id) != 0)
				continue;
			s->used = true;
			if (s->has_reason)
				f->silenced = true;
		}
	}
	for (size_t k = 0; k < l->ns; k++) {
		struct silence *s = &l->s[k];
		struct cp_loc loc = {s->src, s->line, s->col, s->line, s->col};
		bool known = false;

		for (int r = 0; r < R_COUNT; r++)
			known |= strcmp(s->id, rules[r].id) == 0;
		if (!s->has_reason)
			add(l, R_SILENCE_REASON, SEV_ERROR, NULL, &loc,
			    "silencing '%s' needs a reason: '# lint: allow %s "
			    "-- why'",
			    s->id, s->id);
		else if (!known)
			add(l, R_SILENCE_UNUSED, SEV_NOTE, NULL, &loc,
			    "no finding is called '%s'", s->id);
		else if (!s->used)
			add(l, R_SILENCE_UNUSED, SEV_NOTE, NULL, &loc,
			    "'%s' silences nothing here", s->id);
	}
}

/* ---- output ---------------------------------------------------------- */

static int
finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	size_t xo = x->loc.src ? x->loc.src->order : 0;
	size_t yo = y->loc.src ? y->loc.src->order : 0;
	int c;

	if (xo != yo)
		return xo < yo ? -1 : 1;
	if (x->loc.first_line != y->loc.first_line)
		return x->loc.first_line < y->loc.first_line ? -1 : 1;
	if (x->loc.first_col != y->loc.first_col)
		return x->loc.first_col < y->loc.first_col ? -1 : 1;
	c = strcmp(x->policy ? x->policy : "", y->policy ? y->policy : "");
	if (c != 0)
		return c;
	return (int)x->rule - (int)y->rule;
}

static void
print_text(const struct lint *l)
{
	struct cp_diags d;

	cp_diags_init(&d);
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->f[i];
		const struct rule_info *r = &rules[f->rule];
		struct cp_loc loc = f->loc;

		if (f->silenced)
			continue;
		/* A note stands alone here, not as part of the message
		 * before it: the queue prints those that are "verbose". */
		lint_diag(&d, f->sev, &loc, "%s [%s%s%s]", f->msg, r->id,
			  r->cis ? ", CIS " : "", r->cis ? r->cis : "");
	}
	cp_diags_print(&d, stdout, true, false);
	cp_diags_free(&d);
}

static void
lint_diag(struct cp_diags *d, enum lint_sev sev, const struct cp_loc *loc,
	  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_diag_vadd(d,
		     sev == SEV_ERROR	  ? CP_SEV_ERROR
		     : sev == SEV_WARNING ? CP_SEV_WARNING
					  : CP_SEV_NOTE,
		     sev == SEV_NOTE, loc, fmt, ap);
	va_end(ap);
}

static void
json_loc(struct cp_buf *b, const struct cp_loc *loc)
{
	char *name = cp_text_printable(loc->src ? loc->src->name : "");

	cp_buf_puts(b, "\"file\": ");
	cp_json_str(b, name);
	cp_buf_printf(b,
		      ", \"line\": %u, \"column\": %u, \"end_line\": %u, "
		      "\"end_column\": %u",
		      loc->first_line, loc->first_col, loc->last_line,
		      loc->last_col + 1);
	free(name);
}

static void
print_json(const struct lint *l)
{
	struct cp_buf b = CP_BUF_INIT;
	bool first = true;

	cp_buf_puts(&b, "[");
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->f[i];
		const struct rule_info *r = &rules[f->rule];

		if (f->silenced)
			continue;
		cp_buf_puts(&b, first ? "\n  {" : ",\n  {");
		first = false;
		cp_buf_puts(&b, "\"id\": ");
		cp_json_str(&b, r->id);
		cp_buf_puts(&b, ", \"cis\": ");
		if (r->cis)
			cp_json_str(&b, r->cis);
		else
			cp_buf_puts(&b, "null");
		cp_buf_printf(&b, ", \"severity\": \"%s\", \"policy\": ",
			      sev_names[f->sev]);
		if (f->policy)
			cp_json_str(&b, f->policy);
		else
			cp_buf_puts(&b, "null");
		cp_buf_puts(&b, ", ");
		json_loc(&b, &f->loc);
		cp_buf_puts(&b, ", \"message\": ");
		cp_json_str(&b, f->msg);
		cp_buf_puts(&b, "}");
	}
	cp_buf_puts(&b, first ? "]\n" : "\n]\n");
	fwrite(b.data, 1, b.len, stdout);
	cp_buf_free(&b);
}

/* SARIF 2.1.0, as code-scanning services read it. */
static void
print_sarif(const struct lint *l)
{
	struct cp_buf b = CP_BUF_INIT;
	bool first = true;

	cp_buf_printf(&b,
		      "{\n  \"version\": \"2.1.0\",\n"
		      "  \"$schema\": \"https://json.schemastore.org/"
		      "sarif-2.1.0.json\",\n"
		      "  \"runs\": [{\n    \"tool\": {\"driver\": {\n"
		      "      \"name\": \"cpolc\", \"version\": \"%s\",\n"
		      "      \"rules\": [",
		      PACKAGE_VERSION);
	for (int r = 0; r < R_COUNT; r++) {
		cp_buf_puts(&b,
			    r ? ",\n        {\"id\": " : "\n        {\"id\": ");
		cp_json_str(&b, rules[r].id);
		cp_buf_puts(&b, ", \"shortDescription\": {\"text\": ");
		cp_json_str(&b, rules[r].title);
		cp_buf_printf(
			&b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}",
			sev_names[rules[r].sev]);
		if (rules[r].cis) {
			cp_buf_puts(&b, ", \"properties\": {\"cis-docker\": ");
			cp_json_str(&b, rules[r].cis);
			cp_buf_puts(&b, "}");
		}
		cp_buf_puts(&b, "}");
	}
	cp_buf_puts(&b, "\n      ]\n    }},\n    \"results\": [");
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->f[i];
		char *uri;

		if (f->silenced)
			continue;
		uri = cp_text_printable(f->loc.src ? f->loc.src->name : "");
		cp_buf_puts(&b, first ? "\n      {" : ",\n      {");
		first = false;
		cp_buf_puts(&b, "\"ruleId\": ");
		cp_json_str(&b, rules[f->rule].id);
		cp_buf_printf(&b, ", \"ruleIndex\": %d, \"level\": \"%s\"",
			      (int)f->rule, sev_names[f->sev]);
		cp_buf_puts(&b, ", \"message\": {\"text\": ");
		cp_json_str(&b, f->msg);
		cp_buf_puts(&b, "}, \"locations\": [{\"physicalLocation\": "
				"{\"artifactLocation\": {\"uri\": ");
		cp_json_str(&b, uri);
		cp_buf_printf(&b,
			      "}, \"region\": {\"startLine\": %u, "
			      "\"startColumn\": %u, \"endLine\": %u, "
			      "\"endColumn\": %u}}}]}",
			      f->loc.first_line, f->loc.first_col,
			      f->loc.last_line, f->loc.last_col + 1);
		free(uri);
	}
	cp_buf_puts(&b, first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n");
	fwrite(b.data, 1, b.len, stdout);
	cp_buf_free(&b);
}

static enum lint_sev
parse_sev(const char *s)
{
	for (int i = 0; i <= SEV_NONE; i++)
		if (strcmp(s, sev_names[i]) == 0)
			return (enum lint_sev)i;
	cp_cmd_usage("lint",
		     "--fail-on takes error, warning, note or none:", s);
}

int
cp_cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"fail-on", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text";
	enum lint_sev fail_on = SEV_WARNING;
	struct cp_sources srcs = {0};
	struct cp_diags d;
	struct cp_policy_set set;
	struct lint l = {0};
	int c, rc = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "text") != 0 &&
			    strcmp(format, "json") != 0 &&
			    strcmp(format, "sarif") != 0)
				cp_cmd_usage("lint",
					     "--format takes text, json or "
					     "sarif:",
					     format);
			break;
		case 'F':
			fail_on = parse_sev(optarg);
			break;
		case 'h':
			puts("Usage: cpolc lint [--format=text|json|sarif] "
			     "[--fail-on=error|warning|note|none] FILE...\n"
			     "Report what a reviewer should see in each "
			     "policy, with a stable id and,\n"
			     "where one applies, its CIS Docker Benchmark "
			     "section.  Silence one finding\n"
			     "at its line with '# lint: allow ID -- reason'.\n"
			     "Exit status: 0 clean, 1 a finding at or above "
			     "--fail-on (default:\n"
			     "warning), 2 usage errors and policies that do "
			     "not compile.");
			return 0;
		default:
			cp_cmd_usage("lint", "unknown option",
				     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		cp_cmd_usage("lint", "no policy file given", NULL);
	cp_diags_init(&d);
	if (cp_compile_files((const char *const *)argv + optind,
			     (size_t)(argc - optind), &srcs, &d,
			     &set) != CP_COMPILE_OK) {
		cp_diags_print(&d, stderr, false, true);
		cp_diags_free(&d);
		cp_sources_free(&srcs);
		return 2;
	}
	for (size_t i = 0; i < set.npolicies; i++)
		check_policy(&l, &set.policies[i]);
	for (size_t i = 0; i < srcs.n; i++)
		scan_silences(&l, srcs.items[i]);
	apply_silences(&l);
	if (l.n > 1)
		cp_qsort(l.f, l.n, sizeof(*l.f), finding_cmp);
	if (strcmp(format, "json") == 0)
		print_json(&l);
	else if (strcmp(format, "sarif") == 0)
		print_sarif(&l);
	else
		print_text(&l);
	for (size_t i = 0; i < l.n; i++) {
		if (!l.f[i].silenced && fail_on != SEV_NONE &&
		    l.f[i].sev >= fail_on)
			rc = 1;
		free(l.f[i].msg);
	}
	for (size_t i = 0; i < l.ns; i++)
		free(l.s[i].id);
	free(l.f);
	free(l.s);
	cp_policy_set_free(&set);
	cp_diags_free(&d);
	cp_sources_free(&srcs);
	return rc;
}
