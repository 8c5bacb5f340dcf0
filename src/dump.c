/* The canonical text form of a resolved policy. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "dump.h"

static const char *const access_words[CP_ACCESS_COUNT] = {
	"read",
	"write",
	"append",
	"exec",
};

/*
 * Whether the scanner would read path back whole as a bare word: no
 * white space, ';', '#', quote or backslash, and no ',' or '}' outside
 * an alternation or a class.
 */
static bool
bare_path_ok(const char *path)
{
	int braces = 0;
	bool in_class = false;

	for (const char *p = path; *p; p++) {
		char c = *p;

		if (c == ' ' || c == '\t' || c == ';' || c == '#' || c == '"' ||
		    c == '\\')
			return false;
		if (in_class) {
			in_class = c != ']';
		} else if (c == '[') {
			in_class = true;
		} else if (c == '{') {
			braces++;
		} else if (c == '}') {
			if (braces-- == 0)
				return false;
		} else if (c == ',' && braces == 0) {
			return false;
		}
	}
	return true;
}

static void
dump_string(struct cp_buf *b, const char *s)
{
	cp_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			cp_buf_putc(b, '\\');
		cp_buf_putc(b, *s);
	}
	cp_buf_putc(b, '"');
}

void
cp_dump_path(struct cp_buf *b, const char *path)
{
	if (bare_path_ok(path))
		cp_buf_puts(b, path);
	else
		dump_string(b, path);
}

static const char *
proto_word(enum cp_proto proto)
{
	return proto == CP_PROTO_TCP ? "tcp" : "udp";
}

static void
dump_range(struct cp_buf *b, unsigned first, unsigned last)
{
	if (first == last)
		cp_buf_printf(b, "%u", first);
	else
		cp_buf_printf(b, "%u-%u", first, last);
}

static void
mount_text(struct cp_buf *b, const struct cp_mount *m)
{
	char size[32];

	cp_buf_puts(b, m->is_unsafe ? "unsafe mount " : "mount ");
	switch (m->kind) {
	case CP_MOUNT_TMPFS:
		cp_buf_puts(b, "tmpfs ");
		cp_dump_path(b, m->target);
		if (m->size) {
			cp_text_size(size, m->size);
			cp_buf_printf(b, " size %s", size);
		}
		if (m->noexec)
			cp_buf_puts(b, " noexec");
		if (m->mode >= 0)
			cp_buf_printf(b, " mode %04o", (unsigned)m->mode);
		break;
	case CP_MOUNT_VOLUME:
	case CP_MOUNT_BIND:
		if (m->kind == CP_MOUNT_VOLUME) {
			cp_buf_printf(b, "volume %s at ", m->source);
		} else {
			cp_buf_puts(b, "bind ");
			cp_dump_path(b, m->source);
			cp_buf_puts(b, " at ");
		}
		cp_dump_path(b, m->target);
		cp_buf_puts(b, m->read_only ? " read-only" : " read-write");
		break;
	}
}

/* Add a statement; key NULL makes the text its own key. */
static void
add(struct cp_stmts *out, const char *key, struct cp_buf *text, bool scalar)
{
	struct cp_stmt st;

	st.text = cp_buf_take(text);
	st.key = key ? cp_xstrdup(key) : cp_xstrdup(st.text);
	st.scalar = scalar;
	cp_xgrow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
	out->v[out->n++] = st;
}

static void
ports_text(struct cp_stmts *out, const char *verb,
	   const struct cp_port_range *r, size_t n)
{
	struct cp_buf b = CP_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		cp_buf_printf(&b, "%s %s ", verb, proto_word(r[i].proto));
		dump_range(&b, r[i].first, r[i].last);
		add(out, NULL, &b, false);
	}
}

void
cp_policy_stmts(const struct cp_policy *p, struct cp_stmts *out)
{
	struct cp_buf b = CP_BUF_INIT;
	char num[32];

	memset(out, 0, sizeof(*out));
	if (p->description) {
		cp_buf_puts(&b, "description ");
		dump_string(&b, p->description);
		add(out, "description", &b, true);
	}
	if (p->image) {
		cp_buf_puts(&b, "image ");
		dump_string(&b, p->image);
		add(out, "image", &b, true);
	}
	if (p->user) {
		cp_buf_printf(&b, "user %s", p->user->user);
		if (p->user->group)
			cp_buf_printf(&b, ":%s", p->user->group);
		add(out, "user", &b, true);
	}
	cp_buf_printf(&b, "mode %s",
		      p->mode == CP_MODE_COMPLAIN ? "complain" : "enforce");
	add(out, "mode", &b, true);
	for (int c = 0; c < CP_CAP_COUNT; c++) {
		if (!(p->caps & ((cp_capset)1 << c)))
			continue;
		cp_buf_printf(&b, "capability %s", cp_cap_name(c));
		add(out, NULL, &b, false);
	}
	if (p->new_privileges) {
		cp_buf_puts(&b, "unsafe new-privileges");
		add(out, NULL, &b, false);
	}
	if (p->writable_root) {
		cp_buf_puts(&b, "unsafe writable-root");
		add(out, NULL, &b, false);
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *r = &p->files[i];

		cp_buf_printf(&b, "%s%s ", r->deny ? "deny " : "",
			      access_words[r->access]);
		cp_dump_path(&b, r->path);
		add(out, NULL, &b, false);
	}
	for (size_t i = 0; i < p->nmounts; i++) {
		struct cp_buf key = CP_BUF_INIT;

		cp_buf_puts(&key, "mount at ");
		cp_dump_path(&key, p->mounts[i].target);
		mount_text(&b, &p->mounts[i]);
		add(out, key.data, &b, true);
		cp_buf_free(&key);
	}
	if (p->host_network) {
		cp_buf_puts(&b, "unsafe network host");
		add(out, NULL, &b, false);
	}
	for (size_t i = 0; i < p->nnetworks; i++) {
		cp_buf_printf(&b, "network %s", p->networks[i].name);
		add(out, NULL, &b, false);
	}
	ports_text(out, "listen", p->listens, p->nlistens);
	ports_text(out, "connect", p->connects, p->nconnects);
	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];

		cp_buf_puts(&b, "publish ");
		if (pub->family == CP_ADDR_INET)
			cp_buf_printf(&b, "%s:", pub->addr);
		else if (pub->family == CP_ADDR_INET6)
			cp_buf_printf(&b, "[%s]:", pub->addr);
		dump_range(&b, pub->host_first, pub->host_last);
		cp_buf_puts(&b, " -> ");
		dump_range(&b, pub->ctr_first, pub->ctr_last);
		cp_buf_printf(&b, "/%s", proto_word(pub->proto));
		add(out, NULL, &b, false);
	}
	if (p->memory.set) {
		cp_text_size(num, p->memory.value);
		cp_buf_printf(&b, "limit memory %s", num);
		add(out, "limit memory", &b, true);
	}
	if (p->pids.set) {
		cp_buf_printf(&b, "limit pids %llu",
			      (unsigned long long)p->pids.value);
		add(out, "limit pids", &b, true);
	}
	if (p->cpus.set) {
		cp_text_nanos(num, p->cpus.value);
		cp_buf_printf(&b, "limit cpus %s", num);
		add(out, "limit cpus", &b, true);
	}
}

void
cp_stmts_free(struct cp_stmts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].text);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
cp_dump_policy(struct cp_buf *b, const struct cp_policy *p)
{
	struct cp_stmts st;
	bool in_caps = false;

	cp_policy_stmts(p, &st);
	cp_buf_printf(b, "policy %s {\n", p->name);
	for (size_t i = 0; i < st.n; i++) {
		const char *t = st.v[i].text;
		bool cap = strncmp(t, "capability ", 11) == 0;

		/* The capabilities, one statement, as a person writes them. */
		if (cap) {
			cp_buf_printf(b, "%s%s",
				      in_caps ? ", " : "\tcapabilities ",
				      t + 11);
			in_caps = true;
			if (i + 1 < st.n &&
			    strncmp(st.v[i + 1].text, "capability ", 11) == 0)
				continue;
			cp_buf_puts(b, ";\n");
			in_caps = false;
			continue;
		}
		cp_buf_printf(b, "\t%s;\n", t);
	}
	cp_buf_puts(b, "}\n");
	cp_stmts_free(&st);
}
