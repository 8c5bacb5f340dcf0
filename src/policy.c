/* Small helpers over the policy model, and its destructor. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/policy.h"
#include "cpolc/util.h"

bool
cp_policy_has_network(const struct cp_policy *p)
{
	return p->nnetworks > 0 || p->nlistens > 0 || p->nconnects > 0 ||
	       p->npublishes > 0 || p->host_network;
}

char *
cp_policy_ident(const struct cp_policy *p)
{
	char *s = cp_xstrdup(p->name);

	for (char *c = s; *c; c++)
		if (*c == '-')
			*c = '_';
	return s;
}

void
cp_policy_free_fields(struct cp_policy *p)
{
	free(p->name);
	free(p->description);
	free(p->image);
	if (p->user != NULL) {
		free(p->user->user);
		free(p->user->group);
		free(p->user);
	}
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i].path);
	free(p->files);
	for (size_t i = 0; i < p->nmounts; i++) {
		free(p->mounts[i].source);
		free(p->mounts[i].target);
	}
	free(p->mounts);
	for (size_t i = 0; i < p->nnetworks; i++)
		free(p->networks[i].name);
	free(p->networks);
	free(p->listens);
	free(p->connects);
	for (size_t i = 0; i < p->npublishes; i++)
		free(p->publishes[i].addr);
	free(p->publishes);
	memset(p, 0, sizeof(*p));
}

void
cp_policy_set_free(struct cp_policy_set *set)
{
	for (size_t i = 0; i < set->npolicies; i++)
		cp_policy_free_fields(&set->policies[i]);
	free(set->policies);
	memset(set, 0, sizeof(*set));
}
