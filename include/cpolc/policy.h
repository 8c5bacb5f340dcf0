/*
 * The policy model: what one `policy` means once includes, templates and
 * `extends` have been resolved and every default applied.
 *
 * Backends see only this.  Every array is sorted and free of duplicates,
 * so a backend that walks it in order produces deterministic text.  Every
 * element keeps the location of the statement that produced it, for
 * messages.  The model owns all of its strings; the whole model is freed
 * by cp_policy_set_free().  Nothing in it may be modified by a backend.
 *
 * Strings in the model have been checked: they are valid UTF-8 with no
 * control characters and no NUL.  Paths are absolute and normalised (no
 * "//", no "." or ".." segment).  Backends must still quote or escape them
 * for their own syntax: a path may hold spaces, quotes, commas, braces,
 * backslashes and any other printable character.
 */
#ifndef CPOLC_POLICY_H
#define CPOLC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpolc/loc.h"

/* Capabilities are numbered as in <linux/capability.h>. */
#define CP_CAP_COUNT 41 /* chown (0) .. checkpoint_restore (40) */

/* One bit per capability number. */
typedef uint64_t cp_capset;

/* File access kinds; a rule holds exactly one. */
enum cp_access {
	CP_ACCESS_READ,	  /* read, and list directories */
	CP_ACCESS_WRITE,  /* read and write, create and delete */
	CP_ACCESS_APPEND, /* append only */
	CP_ACCESS_EXEC,	  /* execute, staying in the same confinement */
};
#define CP_ACCESS_COUNT 4

/*
 * One file rule: `read PATH;` or `deny write PATH;`.  Sorted by path
 * (bytewise), then allows before denies, then by access.
 */
struct cp_file_rule {
	char *path; /* may hold glob characters: * ** ? [..] {..,..} */
	enum cp_access access;
	bool deny;
	struct cp_loc loc;
};

enum cp_mount_kind {
	CP_MOUNT_TMPFS,
	CP_MOUNT_VOLUME,
	CP_MOUNT_BIND,
};

/*
 * One mount, sorted by target.  Targets are unique within a policy.
 * Neither source nor target holds glob characters, ',' ':' or '"'.
 * A mount grants file access under its target by itself: read (and
 * write unless read_only) on the target and everything below it; a
 * tmpfs is always writable, never executable by that grant alone.
 */
struct cp_mount {
	enum cp_mount_kind kind;
	char *source;	/* volume name or host path; NULL for tmpfs */
	char *target;	/* absolute path inside the container */
	bool read_only; /* always false for tmpfs */
	bool noexec;	/* tmpfs only */
	uint64_t size;	/* tmpfs only; bytes; 0 when not given */
	int mode;	/* tmpfs only; permission bits; -1 when not given */
	bool is_unsafe; /* written as `unsafe mount ...` */
	struct cp_loc loc;
};

enum cp_proto {
	CP_PROTO_TCP,
	CP_PROTO_UDP,
};

/* A port or a range of ports, first <= last, both in 1..65535. */
struct cp_port_range {
	enum cp_proto proto;
	unsigned first;
	unsigned last;
	struct cp_loc loc;
};

enum cp_addr_family {
	CP_ADDR_NONE, /* every interface */
	CP_ADDR_INET,
	CP_ADDR_INET6,
};

/*
 * `publish [ADDR:]HOST -> PORT[/PROTO];`  The host range and the
 * container range have the same length.  Sorted by proto, container
 * port, host port, address.
 */
struct cp_publish {
	enum cp_addr_family family;
	char *addr; /* canonical text form (inet_ntop); NULL for CP_ADDR_NONE */
	unsigned host_first, host_last;
	unsigned ctr_first, ctr_last;
	enum cp_proto proto;
	struct cp_loc loc;
};

/* A user-defined network; sorted by name. */
struct cp_network {
	char *name;
	struct cp_loc loc;
};

enum cp_mode {
	CP_MODE_ENFORCE,
	CP_MODE_COMPLAIN,
};

/*
 * `user UID[:GID];` or `user NAME[:GROUP];`.  Each part is either a
 * decimal id or a name; the text is kept as written (after checks), so
 * that "101" and "nginx" reach the runtime unchanged.
 */
struct cp_user {
	char *user;
	char *group; /* NULL when not given */
	struct cp_loc loc;
};

/* A setting that is either absent or set at a location. */
struct cp_limit {
	bool set;
	uint64_t value;
	struct cp_loc loc;
};

struct cp_policy {
	char *name;	   /* [a-z][a-z0-9_-]* */
	struct cp_loc loc; /* of the name in `policy NAME` */

	char *description; /* NULL when not given */
	char *image;	   /* NULL when not given */
	struct cp_loc image_loc;
	struct cp_user *user; /* NULL means the image's default (root) */

	cp_capset caps;
	struct cp_loc cap_loc[CP_CAP_COUNT]; /* valid for the bits set */

	/* Defaults: both false.  Set only by an explicit `unsafe`. */
	bool new_privileges;
	struct cp_loc new_privileges_loc;
	bool writable_root;
	struct cp_loc writable_root_loc;
	bool host_network;
	struct cp_loc host_network_loc;

	enum cp_mode mode;

	struct cp_file_rule *files;
	size_t nfiles;
	struct cp_mount *mounts;
	size_t nmounts;
	struct cp_network *networks;
	size_t nnetworks;
	/* listen and connect, sorted by proto then first port. */
	struct cp_port_range *listens;
	size_t nlistens;
	struct cp_port_range *connects;
	size_t nconnects;
	struct cp_publish *publishes;
	size_t npublishes;

	struct cp_limit memory; /* bytes */
	struct cp_limit pids;
	struct cp_limit cpus; /* in units of 1e-9 CPU, as Docker's NanoCpus */

	/* For output headers: the file that defined the policy, as named on
	 * the command line or in an include, and the SHA-256 (lower-case
	 * hex) of the policy's canonical text (what --dump prints): the same
	 * meaning gives the same digest, however the source is laid out. */
	const char *source_file;
	char source_sha256[65];
};

/* Everything one compilation produced: the policies in name order. */
struct cp_policy_set {
	struct cp_policy *policies;
	size_t npolicies, cap;
};

/* True when the policy has any network statement at all. */
bool cp_policy_has_network(const struct cp_policy *p);

/* The SELinux-style base name: `-` becomes `_` ("my-app" -> "my_app"). */
char *cp_policy_ident(const struct cp_policy *p);

/* Free what a policy owns (not the struct itself); used by the set. */
void cp_policy_free_fields(struct cp_policy *p);
void cp_policy_set_free(struct cp_policy_set *set);

#endif
