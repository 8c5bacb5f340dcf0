/*
 * Port types of the reference policy, for the SELinux backends.
 *
 * The table is the portcon list of Debian's refpolicy (selinux-policy-
 * default 2:2.20221101-9) for TCP and UDP, so that the generated module
 * does not depend on the build host.  tests/validate/selinux.sh checks it
 * against the portcon statements of the linked policy.
 */
#ifndef CPOLC_SELINUX_PORTS_H
#define CPOLC_SELINUX_PORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cpolc/buf.h"
#include "cpolc/policy.h"

struct cp_sel_port {
	enum cp_proto proto;
	unsigned first, last;
	const char *type;
};

/*
 * Sorted by proto, first, last; two ranges of one proto nest or are
 * disjoint (the unit tests check both).
 */
extern const struct cp_sel_port cp_sel_ports[];
extern const size_t cp_sel_nports;

/*
 * The type the kernel finds for one port: the narrowest portcon range
 * that holds it, as libsepol orders them.  Every port 1..65535 has one.
 */
const char *cp_sel_port_type(enum cp_proto proto, unsigned port);

/*
 * The first port after port at which cp_sel_port_type() may change;
 * 65536 when none.
 */
unsigned cp_sel_port_next(enum cp_proto proto, unsigned port);

/* True for the catch-all types (reserved_port_t and the like). */
bool cp_sel_port_generic(const char *type);

/* The ports first..last. */
struct cp_sel_span {
	unsigned first, last;
};

/*
 * Append to b, as "80, 443, 8000-8010", every port of proto that
 * cp_sel_port_type() maps to type and that no span of exclude holds
 * (nexclude spans, sorted and disjoint).  Returns whether there is any
 * such port; with b NULL it only tells that.
 */
bool cp_sel_port_others(struct cp_buf *b, enum cp_proto proto, const char *type,
			const struct cp_sel_span *exclude, size_t nexclude);

#endif
