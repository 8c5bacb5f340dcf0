/*
 * Capability names.  The numbers are the kernel's ABI and never change;
 * the list ends at CAP_CHECKPOINT_RESTORE (Linux 5.9).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/policy.h"
#include "cpolc/tables.h"
#include "cpolc/text.h"
#include "cpolc/util.h"

static const char *const cap_names[CP_CAP_COUNT] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"audit_control",
	"setfcap",
	"mac_override",
	"mac_admin",
	"syslog",
	"wake_alarm",
	"block_suspend",
	"audit_read",
	"perfmon",
	"bpf",
	"checkpoint_restore",
};

const char *
cp_cap_name(int cap)
{
	if (cap < 0 || cap >= CP_CAP_COUNT)
		return NULL;
	return cap_names[cap];
}

void
cp_cap_upper(int cap, char out[CP_CAP_NAME_MAX])
{
	const char *s = cp_cap_name(cap);
	size_t i = 0;

	CP_ASSERT(s != NULL);
	for (; s[i] != '\0' && i + 1 < CP_CAP_NAME_MAX; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A')
						    : s[i];
	out[i] = '\0';
}

int
cp_cap_lookup(const char *name)
{
	if (strncmp(name, "cap_", 4) == 0)
		name += 4;
	for (int i = 0; i < CP_CAP_COUNT; i++)
		if (strcmp(cap_names[i], name) == 0)
			return i;
	return -1;
}

const char *
cp_cap_suggest(const char *name)
{
	if (strncmp(name, "cap_", 4) == 0)
		name += 4;
	return cp_text_nearest(name, cap_names, CP_CAP_COUNT);
}

bool
cp_path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* Runtime sockets that give whoever holds them root on the host. */
static const char *const runtime_sockets[] = {
	"/run/docker.sock",
	"/run/containerd/containerd.sock",
	"/run/podman/podman.sock",
	"/run/crio/crio.sock",
};

const char *
cp_bind_exposes_socket(const char *src)
{
	/* /var/run is a link to /run on every current distribution. */
	char *alias = NULL;
	const char *hit = NULL;

	if (cp_path_within(src, "/var/run"))
		alias = cp_xasprintf("/run%s", src + strlen("/var/run"));
	for (size_t i = 0; i < CP_ARRAY_LEN(runtime_sockets) && !hit; i++)
		if (cp_path_within(runtime_sockets[i], alias ? alias : src))
			hit = runtime_sockets[i];
	free(alias);
	return hit;
}
