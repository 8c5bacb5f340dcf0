/*
 * Fixed tables: Linux capabilities (capabilities(7), numbered as in
 * <linux/capability.h>).
 */
#ifndef CPOLC_TABLES_H
#define CPOLC_TABLES_H

/* The lower-case name without "cap_" ("net_bind_service"), or NULL. */
const char *cp_cap_name(int cap);
/* The name as container runtimes spell it: "NET_BIND_SERVICE". */
#define CP_CAP_NAME_MAX 32
void cp_cap_upper(int cap, char out[CP_CAP_NAME_MAX]);
/* The number of a lower-case name, with or without "cap_"; -1 if none. */
int cp_cap_lookup(const char *name);
/* The known name nearest to name, for did-you-mean; NULL if none close. */
const char *cp_cap_suggest(const char *name);

#endif
