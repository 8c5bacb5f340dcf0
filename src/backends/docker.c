/*
 * docker run arguments: NAME.docker, one argument a line, exactly as
 * docker receives them, so that
 *
 *   mapfile -t args < out/web.docker; docker run "${args[@]}" IMAGE
 *
 * runs the container as the policy says.  The file has no comment
 * lines, since each line is an argument; the provenance that other
 * outputs carry in their header rides along as container labels.
 *
 * Every value was checked by the front end: no newline or other control
 * character can reach a line, and mount paths hold no ',', ':' or '"',
 * which the runtimes' --mount and --tmpfs syntaxes split on.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "cpolc/backend.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "runtime.h"

static void arg(struct cp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
arg(struct cp_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_buf_vprintf(b, fmt, ap);
	va_end(ap);
	cp_buf_putc(b, '\n');
}

static void
caps(struct cp_buf *b, const struct cp_policy *p)
{
	arg(b, "--cap-drop=ALL");
	for (int c = 0; c < CP_CAP_COUNT; c++) {
		char up[CP_CAP_NAME_MAX];

		if (!(p->caps & ((cp_capset)1 << c)))
			continue;
		cp_cap_upper(c, up);
		arg(b, "--cap-add=%s", up);
	}
}

static void
mounts(struct cp_buf *b, const struct cp_policy *p)
{
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind != CP_MOUNT_TMPFS)
			continue;
		cp_buf_puts(b, "--tmpfs=");
		cp_rt_tmpfs(b, m);
		cp_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < p->nmounts; i++) {
		const struct cp_mount *m = &p->mounts[i];

		if (m->kind == CP_MOUNT_TMPFS)
			continue;
		arg(b, "--mount=type=%s,source=%s,target=%s%s",
		    m->kind == CP_MOUNT_VOLUME ? "volume" : "bind", m->source,
		    m->target, m->read_only ? ",readonly" : "");
	}
}

static void
network(struct cp_buf *b, const struct cp_policy *p, struct cp_emit *e)
{
	if (p->host_network)
		arg(b, "--network=host");
	else if (!cp_policy_has_network(p))
		arg(b, "--network=none");
	for (size_t i = 0; i < p->nnetworks; i++)
		arg(b, "--network=%s", p->networks[i].name);
	/* The runtime confines the network namespace, not what happens in
	 * it: the ports are the profiles' business. */
	for (size_t i = 0; i < p->nconnects; i++)
		cp_emit_fidelity(
			e, &p->connects[i].loc,
			"docker run cannot limit which ports a "
			"container connects to; SELinux's name_connect "
			"rules can");
	if (p->nnetworks > 1)
		cp_emit_fidelity(e, &p->networks[1].loc,
				 "docker before 25.0 takes one --network when "
				 "a container is created; later networks need "
				 "'docker network connect'");
	for (size_t i = 0; i < p->npublishes; i++) {
		const struct cp_publish *pub = &p->publishes[i];

		cp_buf_puts(b, "--publish=");
		cp_rt_publish(b, pub);
		cp_buf_putc(b, '\n');
	}
}

static int
docker_emit(const struct cp_policy *p, struct cp_emit *e)
{
	struct cp_buf *b = cp_emit_open(e, p, "docker");
	char *ident = cp_policy_ident(p);
	char *source = cp_text_printable(p->source_file);
	char num[32];

	caps(b, p);
	if (!p->writable_root)
		arg(b, "--read-only");
	if (!p->new_privileges)
		arg(b, "--security-opt=no-new-privileges");
	arg(b, "--security-opt=apparmor=%s", p->name);
	arg(b, "--security-opt=label=type:%s_t", ident);
	if (p->user != NULL) {
		if (p->user->group != NULL)
			arg(b, "--user=%s:%s", p->user->user, p->user->group);
		else
			arg(b, "--user=%s", p->user->user);
	}
	mounts(b, p);
	network(b, p, e);
	if (p->memory.set) {
		cp_text_size_lower(num, p->memory.value);
		arg(b, "--memory=%s", num);
	}
	if (p->pids.set)
		arg(b, "--pids-limit=%llu", (unsigned long long)p->pids.value);
	if (p->cpus.set) {
		cp_text_nanos(num, p->cpus.value);
		arg(b, "--cpus=%s", num);
	}
	arg(b, "--label=io.cpolc.policy=%s", p->name);
	arg(b, "--label=io.cpolc.source=%s", source);
	arg(b, "--label=io.cpolc.sha256=%s", p->source_sha256);
	arg(b, "--label=io.cpolc.version=%s", PACKAGE_VERSION);
	free(source);
	free(ident);
	return 0;
}

const struct cp_backend cp_backend_docker = {
	"docker",
	"docker run arguments, one a line (NAME.docker)",
	docker_emit,
};
