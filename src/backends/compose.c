/*
 * A compose service: NAME.compose.yaml, one service named after the
 * policy with the same settings as NAME.docker, for `docker compose`.
 *
 * The YAML is produced by libyaml's emitter, event by event, so that
 * every value is quoted and escaped by the library that defines the
 * format; only the header comment, which YAML events cannot carry, is
 * written as text (and its text has been made printable).
 *
 * Strings are emitted double-quoted: compose files are read by YAML 1.1
 * parsers too, which take a bare 101:101 for a base-60 number and a bare
 * "on" for a boolean.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cpolc/backend.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "runtime.h"

struct yw {
	yaml_emitter_t em;
	struct cp_buf *out;
	bool failed;
};

static int
yw_write(void *data, unsigned char *buf, size_t size)
{
	struct yw *w = data;

	cp_buf_add(w->out, (const char *)buf, size);
	return 1;
}

static void
yw_emit(struct yw *w, yaml_event_t *ev)
{
	/* The emitter frees the event, also when it fails. */
	if (!w->failed && !yaml_emitter_emit(&w->em, ev))
		w->failed = true;
	else if (w->failed)
		yaml_event_delete(ev);
}

static void
yw_scalar(struct yw *w, const char *v, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	/* libyaml takes the value as non-const but only copies it. */
	yaml_char_t *value = (yaml_char_t *)(uintptr_t)v;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, value,
					  (int)strlen(v), 1, 1, style)) {
		w->failed = true;
		return;
	}
	yw_emit(w, &ev);
}

/* A plain scalar: keys, numbers, booleans, and known words. */
static void
yw_plain(struct yw *w, const char *v)
{
	yw_scalar(w, v, YAML_PLAIN_SCALAR_STYLE);
}

/* A string from the policy: always quoted. */
static void
yw_str(struct yw *w, const char *v)
{
	yw_scalar(w, v, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

static void
yw_uint(struct yw *w, unsigned long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", v);
	yw_plain(w, num);
}

static void
yw_map_start(struct yw *w)
{
	yaml_event_t ev;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
					    YAML_BLOCK_MAPPING_STYLE);
	yw_emit(w, &ev);
}

static void
yw_map_end(struct yw *w)
{
	yaml_event_t ev;

	yaml_mapping_end_event_initialize(&ev);
	yw_emit(w, &ev);
}

static void
yw_seq_start(struct yw *w)
{
	yaml_event_t ev;

	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
					     YAML_BLOCK_SEQUENCE_STYLE);
	yw_emit(w, &ev);
}

static void
yw_seq_end(struct yw *w)
{
	yaml_event_t ev;

	yaml_sequence_end_event_initialize(&ev);
	yw_emit(w, &ev);
}

static void
caps(struct yw *w, const struct cp_policy *p)
{
	yw_plain(w, "cap_drop");
	yw_seq_start(w);
	yw_str(w, "ALL");
	yw_seq_end(w);
	if (p->caps == 0)
		return;
	yw_plain(w, "cap_add");
	yw_seq_start(w);
	for (int c = 0; c < CP_CAP_COUNT; c++) {
		char up[CP_CAP_NAME_MAX];

		if (!(p->caps & ((cp_capset)1 << c)))
			continue;
		cp_cap_upper(c, up);
		yw_str(w, up);
	}
	yw_seq_end(w);
}

static void
security_opts(struct yw *w, const struct cp_policy *p)
{
	char *ident = cp_policy_ident(p);
	char *opt;

	yw_plain(w, "security_opt");
	yw_seq_start(w);
	if (!p->new_privileges)
		yw_str(w, "no-new-privileges:true");
	opt = cp_xasprintf("apparmor=%s", p->name);
	yw_str(w, opt);
	free(opt);
	opt = cp_xasprintf("label=type:%s_t", ident);
	yw_str(w, opt);
	free(opt);
	yw_seq_end(w);
	free(ident);
}

static void
tmpfs(struct yw *w, const struct cp_policy *p)
{
	bool any = false;

	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];
		struct cp_buf b = CP_BUF_INIT;

		if (m->kind != CP_MOUNT_TMPFS)
			continue;
		if (!any) {
			yw_plain(w, "tmpfs");
			yw_seq_start(w);
			any = true;
		}
		/* The same PATH:OPTIONS as --tmpfs: the long syntax has no
		 * noexec. */
		cp_rt_tmpfs(&b, m);
		yw_str(w, b.data);
		cp_buf_free(&b);
	}
	if (any)
		yw_seq_end(w);
}

static void
volumes(struct yw *w, const struct cp_policy *p)
{
	bool any = false;

	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind == CP_MOUNT_TMPFS)
			continue;
		if (!any) {
			yw_plain(w, "volumes");
			yw_seq_start(w);
			any = true;
		}
		yw_map_start(w);
		yw_plain(w, "type");
		yw_plain(w, m->kind == CP_MOUNT_VOLUME ? "volume" : "bind");
		yw_plain(w, "source");
		yw_str(w, m->source);
		yw_plain(w, "target");
		yw_str(w, m->target);
		yw_plain(w, "read_only");
		yw_plain(w, m->read_only ? "true" : "false");
		yw_map_end(w);
	}
	if (any)
		yw_seq_end(w);
}

static void
networks(struct yw *w, const struct cp_policy *p)
{
	if (p->host_network || !cp_policy_has_network(p)) {
		yw_plain(w, "network_mode");
		yw_str(w, p->host_network ? "host" : "none");
		return;
	}
	/* No network named: the default bridge, as docker run does. */
	if (p->nnetworks == 0)
		return;
	yw_plain(w, "networks");
	yw_seq_start(w);
	for (size_t i = 0; i < p->nnetworks; i++)
		yw_str(w, p->networks[i].name);
	yw_seq_end(w);
}

/*
 * Ports in the short syntax, "[ADDR:]HOST:PORT/PROTO", as --publish
 * takes them.  The long syntax would be clearer, but its host_ip is
 * unknown to the compose file schema of docker-compose 1.29 (Debian
 * 12's), which refuses the whole file over it.
 */
static void
ports(struct yw *w, const struct cp_policy *p)
{
	if (p->npublishes == 0)
		return;
	yw_plain(w, "ports");
	yw_seq_start(w);
	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];
		struct cp_buf b = CP_BUF_INIT;

		cp_rt_publish(&b, pub);
		yw_str(w, b.data);
		cp_buf_free(&b);
	}
	yw_seq_end(w);
}

static void
limits(struct yw *w, const struct cp_policy *p)
{
	char num[32];

	if (p->memory.set) {
		cp_text_size_lower(num, p->memory.value);
		yw_plain(w, "mem_limit");
		yw_str(w, num);
	}
	if (p->pids.set) {
		yw_plain(w, "pids_limit");
		yw_uint(w, p->pids.value);
	}
	if (p->cpus.set) {
		cp_text_nanos(num, p->cpus.value);
		yw_plain(w, "cpus");
		/* A decimal, as compose reads it; "2" would do too. */
		yw_plain(w, num);
	}
}

static void
labels(struct yw *w, const struct cp_policy *p)
{
	char *source = cp_text_printable(p->source_file);

	yw_plain(w, "labels");
	yw_map_start(w);
	yw_str(w, "io.cpolc.policy");
	yw_str(w, p->name);
	yw_str(w, "io.cpolc.source");
	yw_str(w, source);
	yw_str(w, "io.cpolc.sha256");
	yw_str(w, p->source_sha256);
	yw_str(w, "io.cpolc.version");
	yw_str(w, PACKAGE_VERSION);
	yw_map_end(w);
	free(source);
}

/* The top-level declarations: what the service uses, made elsewhere. */
static void
declarations(struct yw *w, const struct cp_policy *p)
{
	bool any = false;

	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind != CP_MOUNT_VOLUME)
			continue;
		if (!any) {
			yw_plain(w, "volumes");
			yw_map_start(w);
			any = true;
		}
		/* Named as docker run names it, not prefixed with the
		 * project. */
		yw_str(w, m->source);
		yw_map_start(w);
		yw_plain(w, "name");
		yw_str(w, m->source);
		yw_map_end(w);
	}
	if (any)
		yw_map_end(w);
	if (p->host_network || p->nnetworks == 0)
		return;
	yw_plain(w, "networks");
	yw_map_start(w);
	for (size_t i = 0; i < p->nnetworks; i++) {
		yw_str(w, p->networks[i].name);
		yw_map_start(w);
		yw_plain(w, "external");
		yw_plain(w, "true");
		yw_plain(w, "name");
		yw_str(w, p->networks[i].name);
		yw_map_end(w);
	}
	yw_map_end(w);
}

static void
service(struct yw *w, const struct cp_policy *p, struct cp_emit *e)
{
	yw_str(w, p->name);
	yw_map_start(w);
	yw_plain(w, "image");
	if (p->image != NULL) {
		yw_str(w, p->image);
	} else {
		/* Compose needs an image; the policy names none.  Ask for
		 * it at deploy time rather than guess one. */
		char *var = cp_policy_ident(p);
		char *ref;

		for (char *c = var; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		ref = cp_xasprintf("${CPOLC_IMAGE_%s:?policy %s names no "
				   "image}",
				   var, p->name);
		yw_str(w, ref);
		cp_emit_fidelity(e, &p->loc,
				 "policy '%s' names no image: its compose "
				 "service takes it from CPOLC_IMAGE_%s",
				 p->name, var);
		free(ref);
		free(var);
	}
	if (p->user != NULL) {
		char *u = p->user->group ? cp_xasprintf("%s:%s", p->user->user,
							p->user->group)
					 : cp_xstrdup(p->user->user);

		yw_plain(w, "user");
		yw_str(w, u);
		free(u);
	}
	caps(w, p);
	yw_plain(w, "read_only");
	yw_plain(w, p->writable_root ? "false" : "true");
	security_opts(w, p);
	tmpfs(w, p);
	volumes(w, p);
	networks(w, p);
	ports(w, p);
	limits(w, p);
	labels(w, p);
	yw_map_end(w);
}

static int
compose_emit(const struct cp_policy *p, struct cp_emit *e)
{
	struct cp_buf *b = cp_emit_open(e, p, "compose.yaml");
	struct yw w = {0};
	yaml_event_t ev;

	cp_emit_header(b, p, "# ");
	w.out = b;
	if (!yaml_emitter_initialize(&w.em)) {
		cp_emit_error(e, &p->loc, "libyaml could not start an emitter");
		return -1;
	}
	yaml_emitter_set_output(&w.em, yw_write, &w);
	yaml_emitter_set_unicode(&w.em, 1);
	yaml_emitter_set_indent(&w.em, 2);
	yaml_emitter_set_width(&w.em, 78);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	yw_emit(&w, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	yw_emit(&w, &ev);
	yw_map_start(&w);
	yw_plain(&w, "services");
	yw_map_start(&w);
	service(&w, p, e);
	yw_map_end(&w);
	declarations(&w, p);
	yw_map_end(&w);
	yaml_document_end_event_initialize(&ev, 1);
	yw_emit(&w, &ev);
	yaml_stream_end_event_initialize(&ev);
	yw_emit(&w, &ev);
	if (w.failed)
		cp_emit_error(e, &p->loc,
			      "libyaml could not write the compose "
			      "file: %s",
			      w.em.problem ? w.em.problem : "no reason given");
	yaml_emitter_delete(&w.em);
	return w.failed ? -1 : 0;
}

const struct cp_backend cp_backend_compose = {
	"compose",
	"a compose service with the same settings (NAME.compose.yaml)",
	compose_emit,
};
