/*
 * The host side: what this machine enforces (cpolc status) and loading
 * what was compiled (cpolc load).  Compiling never looks at the host;
 * only these two do, through libapparmor and libselinux, which they
 * load when they need them (see "the host's libraries" below).
 *
 *   cpolc status [--format=text|json] [-o DIR] [NAME...]
 *   cpolc load -o DIR [--dry-run] [--lsm=apparmor|selinux] [NAME...]
 *
 * Loading goes through the tools that own each policy store:
 * apparmor_parser -r for profiles, semodule -i for the CIL modules.
 * Commands are run without a shell, their arguments one by one.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/apparmor.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <selinux/selinux.h>

#include "commands.h"
#include "cpolc/buf.h"
#include "cpolc/text.h"
#include "cpolc/util.h"

extern char **environ;

/* ---- the host's libraries --------------------------------------------- */

/*
 * Compiling needs neither libapparmor nor libselinux, yet linking them
 * costs every start of cpolc (libselinux and the libpcre2 it brings are
 * mapped and relocated, and its constructor probes selinuxfs): status
 * and load open them here instead, by soname (configure.ac).  A bare
 * soname is searched for exactly as the dynamic linker would have
 * searched for it as a NEEDED entry.  The types come from the headers,
 * so a call through a pointer is checked like a direct call.
 */
struct aa_lib {
	void *handle;
	__typeof__(aa_is_enabled) *aa_is_enabled;
	__typeof__(aa_find_mountpoint) *aa_find_mountpoint;
	__typeof__(aa_features_new_from_kernel) *aa_features_new_from_kernel;
	__typeof__(aa_features_id) *aa_features_id;
	__typeof__(aa_features_unref) *aa_features_unref;
};

struct se_lib {
	void *handle;
	__typeof__(is_selinux_enabled) *is_selinux_enabled;
	__typeof__(security_getenforce) *security_getenforce;
	__typeof__(selinux_getpolicytype) *selinux_getpolicytype;
};

/* Open soname, or say why not in *why and return NULL. */
static void *
lib_open(const char *soname, char **why)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		*why = cp_xasprintf("%s could not be loaded: %s", soname,
				    dlerror());
	return h;
}

/* The function name in handle, or NULL with *why set (once). */
static void *
lib_sym(void *handle, const char *soname, const char *name, char **why)
{
	void *p;

	(void)dlerror();
	p = dlsym(handle, name);
	if (p == NULL && *why == NULL) {
		const char *err = dlerror();

		*why = cp_xasprintf("%s could not be loaded: %s", soname,
				    err ? err : name);
	}
	return p;
}

/* Point lib->name at the function name of the library soname. */
#define LIB_BIND(lib, soname, name, why)                                       \
	((lib)->name = (__typeof__((lib)->name))lib_sym((lib)->handle, soname, \
							#name, why))

static bool
aa_lib_open(struct aa_lib *lib, char **why)
{
	lib->handle = lib_open(APPARMOR_SONAME, why);
	if (lib->handle == NULL)
		return false;
	LIB_BIND(lib, APPARMOR_SONAME, aa_is_enabled, why);
	LIB_BIND(lib, APPARMOR_SONAME, aa_find_mountpoint, why);
	LIB_BIND(lib, APPARMOR_SONAME, aa_features_new_from_kernel, why);
	LIB_BIND(lib, APPARMOR_SONAME, aa_features_id, why);
	LIB_BIND(lib, APPARMOR_SONAME, aa_features_unref, why);
	if (*why == NULL)
		return true;
	dlclose(lib->handle);
	return false;
}

static bool
se_lib_open(struct se_lib *lib, char **why)
{
	lib->handle = lib_open(SELINUX_SONAME, why);
	if (lib->handle == NULL)
		return false;
	LIB_BIND(lib, SELINUX_SONAME, is_selinux_enabled, why);
	LIB_BIND(lib, SELINUX_SONAME, security_getenforce, why);
	LIB_BIND(lib, SELINUX_SONAME, selinux_getpolicytype, why);
	if (*why == NULL)
		return true;
	dlclose(lib->handle);
	return false;
}

/* ---- what the host has ------------------------------------------------ */

/*
 * unknown: the library that would tell could not be loaded, and why
 * says so; enabled is then false, but that means nothing.
 */
struct aa_state {
	bool enabled;
	bool unknown;
	char *why;   /* when not enabled */
	char *abi;   /* the kernel's feature ABI id, or NULL */
	char *mount; /* securityfs mount of AppArmor, or NULL */
};

struct se_state {
	bool enabled;
	bool unknown;
	bool enforcing;
	char *why;  /* when unknown */
	char *type; /* policy type, e.g. "default", or NULL */
};

static void
aa_probe_with(struct aa_state *aa, const struct aa_lib *lib)
{
	aa_features *f = NULL;

	if (lib->aa_is_enabled() == 1) {
		aa->enabled = true;
	} else {
		switch (errno) {
		case ENOSYS:
			aa->why = cp_xstrdup("the kernel has no AppArmor");
			break;
		case ECANCELED:
			aa->why = cp_xstrdup("AppArmor is built in but not "
					     "enabled (boot with "
					     "lsm=...,apparmor)");
			break;
		case ENOENT:
			aa->why = cp_xstrdup("securityfs is not mounted "
					     "(/sys/kernel/security)");
			break;
		case EPERM:
		case EACCES:
			aa->why = cp_xstrdup("AppArmor's state cannot be read "
					     "here (permission denied)");
			break;
		default:
			aa->why = cp_xasprintf("AppArmor is not active (%s)",
					       strerror(errno));
			break;
		}
		return;
	}
	if (lib->aa_find_mountpoint(&aa->mount) != 0)
		aa->mount = NULL;
	if (lib->aa_features_new_from_kernel(&f) == 0) {
		char *id = lib->aa_features_id(f);

		aa->abi = id ? cp_xstrdup(id) : NULL;
		free(id);
		lib->aa_features_unref(f);
	}
}

static void
aa_probe(struct aa_state *aa)
{
	struct aa_lib lib;

	memset(aa, 0, sizeof(*aa));
	if (!aa_lib_open(&lib, &aa->why)) {
		aa->unknown = true;
		return;
	}
	aa_probe_with(aa, &lib);
	dlclose(lib.handle);
}

static void
se_probe(struct se_state *se)
{
	struct se_lib lib;
	char *type = NULL;

	memset(se, 0, sizeof(*se));
	if (!se_lib_open(&lib, &se->why)) {
		se->unknown = true;
		return;
	}
	se->enabled = lib.is_selinux_enabled() == 1;
	if (se->enabled) {
		se->enforcing = lib.security_getenforce() == 1;
		if (lib.selinux_getpolicytype(&type) == 0) {
			se->type = cp_xstrdup(type);
			free(type);
		}
	}
	dlclose(lib.handle);
}

/* The mode of a loaded profile ("enforce", "complain"), or NULL. */
static char *
aa_profile_mode(const struct aa_state *aa, const char *name)
{
	char *path, line[4096], *mode = NULL;
	size_t n = strlen(name);
	FILE *f;

	if (aa->mount == NULL)
		return NULL;
	path = cp_xasprintf("%s/profiles", aa->mount);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return NULL;
	/* One profile a line: "NAME (MODE)". */
	while (mode == NULL && fgets(line, sizeof(line), f) != NULL) {
		char *close;

		if (strncmp(line, name, n) != 0 || strncmp(line + n, " (", 2))
			continue;
		close = strchr(line + n + 2, ')');
		if (close != NULL)
			mode = cp_xstrndup(line + n + 2,
					   (size_t)(close - line - n - 2));
	}
	fclose(f);
	return mode;
}

/* Whether module name is in the store of SELinux policy type. */
static bool
se_module_installed(const struct se_state *se, const char *name)
{
	static const char *const prios[] = {"100", "200", "300", "400", "500"};
	bool found = false;

	if (se->type == NULL)
		return false;
	for (size_t i = 0; i < CP_ARRAY_LEN(prios) && !found; i++) {
		char *dir = cp_xasprintf("/var/lib/selinux/%s/active/modules/"
					 "%s/%s",
					 se->type, prios[i], name);
		struct stat st;

		found = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
		free(dir);
	}
	return found;
}

/* ---- which policies --------------------------------------------------- */

struct names {
	char **v;
	size_t n, cap;
};

static void
names_add(struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return;
	cp_xgrow(&ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = cp_xstrdup(name);
}

static void
names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The policies compiled into dir: every NAME.apparmor and NAME.cil. */
static bool
names_from_dir(struct names *ns, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		fprintf(stderr, "cpolc: cannot read '%s': %s\n", dir,
			strerror(errno));
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		const char *dot = strrchr(de->d_name, '.');
		char *name;

		if (de->d_name[0] == '.' || dot == NULL ||
		    (strcmp(dot, ".apparmor") != 0 && strcmp(dot, ".cil") != 0))
			continue;
		name = cp_xstrndup(de->d_name, (size_t)(dot - de->d_name));
		names_add(ns, name);
		free(name);
	}
	closedir(d);
	cp_qsort(ns->v, ns->n, sizeof(*ns->v), name_cmp);
	return true;
}

/* A policy name as the language writes it: safe in paths and argv. */
static bool
valid_name(const char *s)
{
	if (*s < 'a' || *s > 'z' || strlen(s) > 64)
		return false;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-")] == '\0';
}

/* ---- cpolc status ----------------------------------------------------- */

static void
json_str(const char *s)
{
	struct cp_buf b = CP_BUF_INIT;

	cp_json_str(&b, s);
	fputs(b.data, stdout);
	cp_buf_free(&b);
}

/* "enabled" in JSON: null when the library that would tell is missing. */
static const char *
json_state(bool unknown, bool enabled)
{
	if (unknown)
		return "null";
	return enabled ? "true" : "false";
}

static void
status_text(const struct aa_state *aa, const struct se_state *se,
	    const struct names *ns)
{
	if (aa->unknown) {
		printf("AppArmor: unknown: %s\n", aa->why);
	} else if (aa->enabled) {
		printf("AppArmor: enabled%s%s\n",
		       aa->abi ? "; kernel ABI " : "", aa->abi ? aa->abi : "");
		for (size_t i = 0; i < ns->n; i++) {
			char *mode = aa_profile_mode(aa, ns->v[i]);

			if (mode != NULL)
				printf("  profile %s: loaded, %s mode\n",
				       ns->v[i], mode);
			else
				printf("  profile %s: not loaded\n", ns->v[i]);
			free(mode);
		}
	} else {
		printf("AppArmor: not enabled: %s\n", aa->why);
	}
	if (se->unknown) {
		printf("SELinux: unknown: %s\n", se->why);
	} else if (se->enabled) {
		printf("SELinux: enabled, %s; policy type %s\n",
		       se->enforcing ? "enforcing" : "permissive",
		       se->type ? se->type : "unknown");
		for (size_t i = 0; i < ns->n; i++)
			printf("  module %s: %s\n", ns->v[i],
			       se_module_installed(se, ns->v[i])
				       ? "installed"
				       : "not installed");
	} else {
		printf("SELinux: not enabled\n");
	}
	if (!aa->enabled && !aa->unknown && !se->enabled && !se->unknown)
		printf("Neither AppArmor nor SELinux is active: no profile or "
		       "module compiled by cpolc is enforced on this host; the "
		       "container runtime flags still apply.\n");
}

static void
status_json(const struct aa_state *aa, const struct se_state *se,
	    const struct names *ns)
{
	printf("{\n  \"apparmor\": {\"enabled\": %s, ",
	       json_state(aa->unknown, aa->enabled));
	if (aa->enabled) {
		printf("\"abi\": ");
		if (aa->abi)
			json_str(aa->abi);
		else
			printf("null");
		printf(", \"profiles\": [");
		for (size_t i = 0; i < ns->n; i++) {
			char *mode = aa_profile_mode(aa, ns->v[i]);

			printf("%s{\"name\": ", i ? ", " : "");
			json_str(ns->v[i]);
			printf(", \"loaded\": %s, \"mode\": ",
			       mode ? "true" : "false");
			if (mode)
				json_str(mode);
			else
				printf("null");
			printf("}");
			free(mode);
		}
		printf("]},\n");
	} else {
		printf("\"reason\": ");
		json_str(aa->why);
		printf("},\n");
	}
	printf("  \"selinux\": {\"enabled\": %s",
	       json_state(se->unknown, se->enabled));
	if (se->unknown) {
		printf(", \"reason\": ");
		json_str(se->why);
	} else if (se->enabled) {
		printf(", \"enforcing\": %s, \"policy_type\": ",
		       se->enforcing ? "true" : "false");
		if (se->type)
			json_str(se->type);
		else
			printf("null");
		printf(", \"modules\": [");
		for (size_t i = 0; i < ns->n; i++) {
			printf("%s{\"name\": ", i ? ", " : "");
			json_str(ns->v[i]);
			printf(", \"installed\": %s}",
			       se_module_installed(se, ns->v[i]) ? "true"
								 : "false");
		}
		printf("]");
	}
	printf("}\n}\n");
}

static void
states_free(struct aa_state *aa, struct se_state *se)
{
	free(aa->why);
	free(aa->abi);
	free(aa->mount);
	free(se->why);
	free(se->type);
}

static bool
collect_names(struct names *ns, const char *dir, int argc, char **argv,
	      const char *cmd)
{
	for (int i = optind; i < argc; i++) {
		if (!valid_name(argv[i]))
			cp_cmd_usage(cmd, "not a policy name:", argv[i]);
		names_add(ns, argv[i]);
	}
	if (ns->n == 0 && dir != NULL)
		return names_from_dir(ns, dir);
	return true;
}

int
cp_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *format = "text";
	struct aa_state aa;
	struct se_state se;
	struct names ns = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "json"))
				cp_cmd_usage(
					"status",
					"--format takes text or json:", format);
			break;
		case 'o':
			dir = optarg;
			break;
		case 'h':
			puts("Usage: cpolc status [--format=text|json] [-o "
			     "DIR] "
			     "[NAME...]\n"
			     "Say whether AppArmor and SELinux are active "
			     "here, "
			     "and for each policy\n"
			     "named (or compiled into DIR) whether its profile "
			     "is loaded and in which\n"
			     "mode, and whether its module is installed.");
			return 0;
		default:
			cp_cmd_usage("status", "unknown option",
				     argv[optind - 1]);
		}
	}
	if (!collect_names(&ns, dir, argc, argv, "status")) {
		names_free(&ns);
		return 2;
	}
	aa_probe(&aa);
	se_probe(&se);
	if (strcmp(format, "json") == 0)
		status_json(&aa, &se, &ns);
	else
		status_text(&aa, &se, &ns);
	states_free(&aa, &se);
	names_free(&ns);
	return 0;
}

/* ---- cpolc load ------------------------------------------------------- */

/* argv as a shell would need it typed, for --dry-run. */
static void
print_command(const char *const *args)
{
	for (size_t i = 0; args[i] != NULL; i++) {
		const char *a = args[i];
		bool plain = a[strspn(a, "abcdefghijklmnopqrstuvwxyz"
					 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					 "0123456789-_./=:")] == '\0' &&
			     *a != '\0';

		if (i > 0)
			putchar(' ');
		if (plain) {
			fputs(a, stdout);
			continue;
		}
		putchar('\'');
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*a);
		}
		putchar('\'');
	}
	putchar('\n');
}

static bool
run(const char *const *args, bool dry_run)
{
	char **argv;
	size_t n = 0;
	pid_t pid;
	int st, err;

	if (dry_run) {
		print_command(args);
		return true;
	}
	/* posix_spawn takes char *const[]: give it copies it may keep. */
	while (args[n] != NULL)
		n++;
	argv = cp_xcalloc(n + 1, sizeof(*argv));
	for (size_t i = 0; i < n; i++)
		argv[i] = cp_xstrdup(args[i]);
	err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	for (size_t i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	if (err != 0) {
		fprintf(stderr, "cpolc load: cannot run %s: %s\n", args[0],
			strerror(err));
		return false;
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "cpolc load: %s: %s\n", args[0],
				strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	fprintf(stderr, "cpolc load: %s failed (%s %d)\n", args[0],
		WIFEXITED(st) ? "exit status" : "signal",
		WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return false;
}

static bool
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
cp_cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"dry-run", no_argument, NULL, 'n'},
		{"lsm", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL, *lsm = NULL;
	bool dry_run = false, use_aa, use_se, ok = true;
	struct aa_state aa;
	struct se_state se;
	struct names ns = {0};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:n", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'l':
			lsm = optarg;
			if (strcmp(lsm, "apparmor") && strcmp(lsm, "selinux"))
				cp_cmd_usage("load",
					     "--lsm takes apparmor or selinux:",
					     lsm);
			break;
		case 'h':
			puts("Usage: cpolc load -o DIR [--dry-run] "
			     "[--lsm=apparmor|selinux] [NAME...]\n"
			     "Load what was compiled into DIR (every policy, "
			     "or those named) for the\n"
			     "security module active here: apparmor_parser -r "
			     "for profiles, semodule -i\n"
			     "for modules.  --dry-run prints the commands "
			     "instead; --lsm chooses the\n"
			     "module instead of asking the kernel.\n"
			     "Exit status: 0 loaded, 1 a command failed, 2 "
			     "usage errors, nothing to load\n"
			     "for, or not root.");
			return 0;
		default:
			cp_cmd_usage("load", "unknown option",
				     argv[optind - 1]);
		}
	}
	if (dir == NULL)
		cp_cmd_usage("load", "-o DIR names the compiled outputs", NULL);
	if (!collect_names(&ns, dir, argc, argv, "load")) {
		names_free(&ns);
		return 2;
	}
	if (ns.n == 0) {
		fprintf(stderr,
			"cpolc load: '%s' holds no compiled profile "
			"or module (NAME.apparmor, NAME.cil)\n",
			dir);
		names_free(&ns);
		return 2;
	}
	/* --lsm needs neither library: only asking the kernel does. */
	memset(&aa, 0, sizeof(aa));
	memset(&se, 0, sizeof(se));
	if (lsm == NULL) {
		aa_probe(&aa);
		if (!aa.enabled && !aa.unknown)
			se_probe(&se);
	}
	if (aa.unknown || se.unknown) {
		fprintf(stderr,
			"cpolc load: cannot tell whether %s is active here: "
			"%s; name the module with --lsm\n",
			aa.unknown ? "AppArmor" : "SELinux",
			aa.unknown ? aa.why : se.why);
		states_free(&aa, &se);
		names_free(&ns);
		return 2;
	}
	use_aa = lsm ? strcmp(lsm, "apparmor") == 0 : aa.enabled;
	use_se = lsm ? strcmp(lsm, "selinux") == 0 : se.enabled;
	if (!use_aa && !use_se) {
		fprintf(stderr,
			"cpolc load: neither AppArmor nor SELinux is active "
			"here (AppArmor: %s); nothing to load\n",
			aa.why ? aa.why : "enabled");
		states_free(&aa, &se);
		names_free(&ns);
		return 2;
	}
	if (!dry_run && geteuid() != 0) {
		fprintf(stderr,
			"cpolc load: loading %s needs root; run it "
			"with sudo, or see the commands with "
			"--dry-run\n",
			use_aa ? "AppArmor profiles" : "SELinux modules");
		states_free(&aa, &se);
		names_free(&ns);
		return 2;
	}
	for (size_t i = 0; i < ns.n; i++) {
		char *file = cp_xasprintf("%s/%s.%s", dir, ns.v[i],
					  use_aa ? "apparmor" : "cil");

		if (!exists(file)) {
			fprintf(stderr,
				"cpolc load: no %s: compile it with "
				"-t %s\n",
				file, use_aa ? "apparmor" : "cil");
			ok = false;
		} else if (use_aa) {
			/* No -W: a profile outside /etc/apparmor.d is not
			 * loaded at boot, so a cache would only go stale. */
			const char *args[] = {"apparmor_parser", "-r", "--",
					      file, NULL};

			ok &= run(args, dry_run);
		} else {
			const char *args[] = {"semodule", "-i", file, NULL};

			ok &= run(args, dry_run);
		}
		free(file);
	}
	states_free(&aa, &se);
	names_free(&ns);
	return ok ? 0 : 1;
}
