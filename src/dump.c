/* The canonical text form of a resolved policy. */
#include "config.h"

#include <string.h>

#include "cpolc/tables.h"
#include "cpolc/text.h"
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
dump_mount(struct cp_buf *b, const struct cp_mount *m)
{
	char size[32];

	cp_buf_puts(b, m->is_unsafe ? "\tunsafe mount " : "\tmount ");
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
	cp_buf_puts(b, ";\n");
}

static void
dump_ports(struct cp_buf *b, const char *verb, const struct cp_port_range *r,
	   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cp_buf_printf(b, "\t%s %s ", verb, proto_word(r[i].proto));
		dump_range(b, r[i].first, r[i].last);
		cp_buf_puts(b, ";\n");
	}
}

void
cp_dump_policy(struct cp_buf *b, const struct cp_policy *p)
{
	char num[32];
	bool first = true;

	cp_buf_printf(b, "policy %s {\n", p->name);
	if (p->description) {
		cp_buf_puts(b, "\tdescription ");
		dump_string(b, p->description);
		cp_buf_puts(b, ";\n");
	}
	if (p->image) {
		cp_buf_puts(b, "\timage ");
		dump_string(b, p->image);
		cp_buf_puts(b, ";\n");
	}
	if (p->user) {
		cp_buf_printf(b, "\tuser %s", p->user->user);
		if (p->user->group)
			cp_buf_printf(b, ":%s", p->user->group);
		cp_buf_puts(b, ";\n");
	}
	cp_buf_printf(b, "\tmode %s;\n",
		      p->mode == CP_MODE_COMPLAIN ? "complain" : "enforce");
	for (int c = 0; c < CP_CAP_COUNT; c++) {
		if (!(p->caps & ((cp_capset)1 << c)))
			continue;
		cp_buf_printf(b, "%s%s", first ? "\tcapabilities " : ", ",
			      cp_cap_name(c));
		first = false;
	}
	if (!first)
		cp_buf_puts(b, ";\n");
	if (p->new_privileges)
		cp_buf_puts(b, "\tunsafe new-privileges;\n");
	if (p->writable_root)
		cp_buf_puts(b, "\tunsafe writable-root;\n");
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cp_file_rule *r = &p->files[i];

		cp_buf_printf(b, "\t%s%s ", r->deny ? "deny " : "",
			      access_words[r->access]);
		cp_dump_path(b, r->path);
		cp_buf_puts(b, ";\n");
	}
	for (size_t i = 0; i < p->nmounts; i++)
		dump_mount(b, &p->mounts[i]);
	if (p->host_network)
		cp_buf_puts(b, "\tunsafe network host;\n");
	for (size_t i = 0; i < p->nnetworks; i++)
		cp_buf_printf(b, "\tnetwork %s;\n", p->networks[i].name);
	dump_ports(b, "listen", p->listens, p->nlistens);
	dump_ports(b, "connect", p->connects, p->nconnects);
	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];

		cp_buf_puts(b, "\tpublish ");
		if (pub->family == CP_ADDR_INET)
			cp_buf_printf(b, "%s:", pub->addr);
		else if (pub->family == CP_ADDR_INET6)
			cp_buf_printf(b, "[%s]:", pub->addr);
		dump_range(b, pub->host_first, pub->host_last);
		cp_buf_puts(b, " -> ");
		dump_range(b, pub->ctr_first, pub->ctr_last);
		cp_buf_printf(b, "/%s;\n", proto_word(pub->proto));
	}
	if (p->memory.set) {
		cp_text_size(num, p->memory.value);
		cp_buf_printf(b, "\tlimit memory %s;\n", num);
	}
	if (p->pids.set)
		cp_buf_printf(b, "\tlimit pids %llu;\n",
			      (unsigned long long)p->pids.value);
	if (p->cpus.set) {
		cp_text_nanos(num, p->cpus.value);
		cp_buf_printf(b, "\tlimit cpus %s;\n", num);
	}
	cp_buf_puts(b, "}\n");
}
