/*
 * Fixed tables: Linux capabilities (capabilities(7), numbered as in
 * <linux/capability.h>), and the host paths that hold container runtime
 * sockets.
 */
#ifndef CPOLC_TABLES_H
#define CPOLC_TABLES_H

#include <stdbool.h>

/* The lower-case name without "cap_" ("net_bind_service"), or NULL. */
const char *cp_cap_name(int cap);
/* The name as container runtimes spell it: "NET_BIND_SERVICE". */
#define CP_CAP_NAME_MAX 32
void cp_cap_upper(int cap, char out[CP_CAP_NAME_MAX]);
/* The number of a lower-case name, with or without "cap_"; -1 if none. */
int cp_cap_lookup(const char *name);
/* The known name nearest to name, for did-you-mean; NULL if none close. */
const char *cp_cap_suggest(const char *name);

/* path equals dir, or lies below it ("/" holds every path). */
bool cp_path_within(const char *path, const char *dir);

/*
 * The container runtime socket that binding host path src would expose
 * (src is the socket, or a directory above it, /var/run standing for
 * /run), or NULL.  Whoever holds such a socket is root on the host.
 */
const char *cp_bind_exposes_socket(const char *src);

#endif
