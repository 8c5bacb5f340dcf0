/* Every backend, in the order -t lists them and outputs are made. */
#include "config.h"

#include <stddef.h>

#include "cpolc/backend.h"

extern const struct cp_backend cp_backend_apparmor;
extern const struct cp_backend cp_backend_selinux;
extern const struct cp_backend cp_backend_cil;
extern const struct cp_backend cp_backend_docker;
extern const struct cp_backend cp_backend_compose;

const struct cp_backend *const cp_backends[] = {
	&cp_backend_apparmor, &cp_backend_selinux, &cp_backend_cil,
	&cp_backend_docker,   &cp_backend_compose, NULL,
};
