/*
 * The libFuzzer (and AFL++) entry point: bytes -> the front end -> every
 * backend -> free everything, all in memory.  Besides what the
 * sanitizers catch, every accepted input is checked for the properties
 * a policy compiler must never lose, and abort() marks a violation:
 *
 *   - every .apparmor output holds each protection of Docker's default
 *     profile once (the list of tests/validate/aa-protections.sh), and
 *     its "capability X," rules are exactly the policy's declared set;
 *   - no .apparmor line grants a whole class ("file,", "capability,",
 *     "network,", ...);
 *   - every line of a .docker output is an option ("--...");
 *   - an output is named NAME.SUFFIX for its own policy, with no '/'.
 *
 * Diagnostics are printed (to /dev/null) so that their rendering runs
 * too.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "cpolc/backend.h"
#include "cpolc/buf.h"
#include "cpolc/diag.h"
#include "cpolc/policy.h"
#include "cpolc/tables.h"
#include "dump.h"
#include "emit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "%s" is the profile's own name. */
static const char *const fz_protections[] = {
	"abi <abi/3.0>,",
	"include <tunables/global>",
	"signal (receive) peer=unconfined,",
	"signal (receive) peer=runc,",
	"signal (receive) peer=crun,",
	"signal (send,receive) peer=%s,",
	"ptrace (trace,tracedby,read,readby) peer=%s,",
	"deny mount,",
	"deny umount,",
	"deny pivot_root,",
	"deny network alg,",
	"deny /proc/* w,",
	"deny /proc/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],"
	"[^1-9/][^0-9/][^0-9/][^0-9/]*}/** w,",
	"deny /proc/sys/[^k]** w,",
	"deny /proc/sys/kernel/{?,??,[^s][^h][^m]**} w,",
	"deny /proc/sysrq-trigger rwklx,",
	"deny /proc/kcore rwklx,",
	"deny /sys/[^f]*/** wklx,",
	"deny /sys/f[^s]*/** wklx,",
	"deny /sys/fs/[^c]*/** wklx,",
	"deny /sys/fs/c[^g]*/** wklx,",
	"deny /sys/fs/cg[^r]*/** wklx,",
	"deny /sys/firmware/** rwklx,",
	"deny /sys/devices/virtual/powercap/** rwklx,",
	"deny /sys/kernel/security/** rwklx,",
};
#define FZ_NPROT (sizeof(fz_protections) / sizeof(fz_protections[0]))

/* Rules that would grant a whole class; none may appear. */
static const char *const fz_whole[] = {
	"file,",   "network,",	      "capability,", "ptrace,",
	"signal,", "unix,",	      "dbus,",	     "mount,",
	"umount,", "change_profile,", "remount,",
};
#define FZ_NWHOLE (sizeof(fz_whole) / sizeof(fz_whole[0]))

static FILE *fz_null;

static _Noreturn void
fz_fail(const char *what, const char *name, const char *line, size_t len)
{
	fprintf(stderr, "fuzz_compile: property violated: %s in %s: '%.*s'\n",
		what, name, (int)(len > 200 ? 200 : len), line ? line : "");
	abort();
}

static bool
fz_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void
fz_check_apparmor(const struct cp_policy *p, const struct cp_output *o)
{
	char want[FZ_NPROT][512];
	unsigned seen[FZ_NPROT] = {0};
	cp_capset caps = 0;
	const char *s = o->text.data, *end = s + o->text.len;

	for (size_t i = 0; i < FZ_NPROT; i++)
		snprintf(want[i], sizeof(want[i]), fz_protections[i], p->name,
			 p->name);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		size_t len;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		len = (size_t)(e - s);
		if (len > 0 && *s != '#') {
			for (size_t i = 0; i < FZ_NPROT; i++)
				if (strlen(want[i]) == len &&
				    memcmp(want[i], s, len) == 0)
					seen[i]++;
			for (size_t i = 0; i < FZ_NWHOLE; i++)
				if (strlen(fz_whole[i]) == len &&
				    memcmp(fz_whole[i], s, len) == 0)
					fz_fail("whole-class rule", o->name, s,
						len);
			if (len > 11 && memcmp(s, "capability ", 11) == 0) {
				char nm[64];
				int cap;

				if (len - 11 >= sizeof(nm) || s[len - 1] != ',')
					fz_fail("odd capability rule", o->name,
						s, len);
				memcpy(nm, s + 11, len - 12);
				nm[len - 12] = '\0';
				cap = cp_cap_lookup(nm);
				if (cap < 0 || cp_cap_name(cap) == NULL ||
				    strcmp(cp_cap_name(cap), nm) != 0)
					fz_fail("unknown capability", o->name,
						s, len);
				if (((p->caps >> cap) & 1) == 0)
					fz_fail("undeclared capability",
						o->name, s, len);
				if ((caps >> cap) & 1)
					fz_fail("capability twice", o->name, s,
						len);
				caps |= (cp_capset)1 << cap;
			}
		}
		s = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < FZ_NPROT; i++)
		if (seen[i] != 1)
			fz_fail(seen[i] ? "protection repeated"
					: "protection missing",
				o->name, want[i], strlen(want[i]));
	if (caps != p->caps)
		fz_fail("declared capability without a rule", o->name, NULL, 0);
}

static void
fz_check_docker(const struct cp_output *o)
{
	const char *s = o->text.data, *end = s + o->text.len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = (size_t)((nl ? nl : end) - s);

		if (len < 3 || s[0] != '-' || s[1] != '-')
			fz_fail("docker line not an option", o->name, s, len);
		s = nl ? nl + 1 : end;
	}
}

static void
fz_check_output(const struct cp_policy *p, const struct cp_output *o)
{
	size_t n = strlen(p->name);

	if (strchr(o->name, '/') != NULL || strncmp(o->name, p->name, n) != 0 ||
	    o->name[n] != '.')
		fz_fail("output name", o->name, p->name, strlen(p->name));
	if (o->text.len > 0 && memchr(o->text.data, '\0', o->text.len))
		fz_fail("NUL in output", o->name, NULL, 0);
	if (fz_has_suffix(o->name, ".apparmor"))
		fz_check_apparmor(p, o);
	else if (fz_has_suffix(o->name, ".docker"))
		fz_check_docker(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_sources srcs = {0};
	struct cp_diags diags;
	struct cp_policy_set set;
	struct cp_emit emit;
	enum cp_compile_status st;

	if (fz_null == NULL && (fz_null = fopen("/dev/null", "w")) == NULL)
		abort();
	cp_diags_init(&diags);
	st = cp_compile_buffer("fuzz.pol", (const char *)data, size, &srcs,
			       &diags, &set);
	cp_emit_init(&emit, &diags);
	if (st == CP_COMPILE_OK) {
		struct cp_buf b = CP_BUF_INIT;

		for (size_t i = 0; i < set.npolicies; i++) {
			const struct cp_policy *p = &set.policies[i];

			cp_dump_policy(&b, p);
			for (size_t k = 0; cp_backends[k] != NULL; k++) {
				size_t first = emit.n;

				if (!cp_emit_run(&emit, cp_backends[k], p))
					continue;
				for (size_t j = first; j < emit.n; j++)
					fz_check_output(p, &emit.outs[j]);
			}
		}
		cp_buf_free(&b);
	}
	cp_diags_print(&diags, fz_null, true, false);
	cp_emit_free(&emit);
	if (st == CP_COMPILE_OK)
		cp_policy_set_free(&set);
	cp_diags_free(&diags);
	cp_sources_free(&srcs);
	return 0;
}
