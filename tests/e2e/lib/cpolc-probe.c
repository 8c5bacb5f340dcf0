/*
 * cpolc-probe: the confined workload of the end-to-end tests.
 *
 * It reads a spec (see tests/e2e/README), prepares files unconfined
 * ("setup"), then ("run") forks a child that enters the AppArmor profile
 * or SELinux context the spec names and performs each check with plain
 * system calls, so that the result is the kernel's answer and nothing
 * else: no shell, no other binary, no library. (Entered by exec, the
 * static probe needed no rule of its own in an AppArmor profile on
 * Debian 12's kernel; under SELinux, lib/se-harness.sh makes it the
 * domain's entrypoint.) It can also enter through runc or podman.
 *
 * The child reports on a pipe (AppArmor does not mediate pipes; the
 * SELinux harness module allows the inherited one):
 *   @@OK NAME: CHECK          the check behaved as the spec says
 *   @@FAIL NAME: CHECK: WHY   it did not
 * and the parent adds @@LABEL NAME: LABEL (read from /proc/PID/attr/current
 * while the child runs) and @@DONE NAME checks=N rc=RC.
 *
 * Built statically on the host: cc -static -O2 -o cpolc-probe cpolc-probe.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define PROBE_MAX_CHECKS 512
#define PROBE_MAX_WORDS 16
#define PROBE_DEFAULT_PATH "/test/bin/cpolc-probe"
#define PROBE_RUNC "/usr/sbin/runc"
#define PROBE_RUNC_ROOT "/ctr"	/* the guest's / bound here for runc */

enum {
	PROBE_ENTER_EXEC,	/* attr/exec, then execve the probe */
	PROBE_ENTER_CHANGE,	/* change_profile or setcon, no exec */
	PROBE_ENTER_RUNC,	/* runc with the label in the OCI spec */
	PROBE_ENTER_PODMAN,	/* podman with generated docker arguments */
};

struct probe_spec {
	char name[128];
	char profile[256];	/* AppArmor profile to enter */
	char context[256];	/* SELinux context to enter */
	char probe[1024];	/* where the probe is installed for exec */
	char podman[1024];	/* file of podman arguments, one a line */
	int enter;		/* PROBE_ENTER_* */
	long uid, gid;		/* -1: stay root */
	int ncheck;
	char *check[PROBE_MAX_CHECKS];	/* "allow read /x", as written */
	int nsetup;
	char *setup[PROBE_MAX_CHECKS];	/* "file /x 0644", "label /x CTX" */
};

static const struct {
	const char *name;
	int value;
} probe_errnos[] = {
	{ "EACCES", EACCES }, { "EPERM", EPERM }, { "EROFS", EROFS },
	{ "ENOENT", ENOENT }, { "EEXIST", EEXIST }, { "EINVAL", EINVAL },
	{ "ENOSPC", ENOSPC }, { "ECONNREFUSED", ECONNREFUSED },
	{ "EAFNOSUPPORT", EAFNOSUPPORT }, { "ENETUNREACH", ENETUNREACH },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "ENOEXEC", ENOEXEC },
};

static const char *
probe_errname(int e)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(probe_errnos) / sizeof(probe_errnos[0]); i++)
		if (probe_errnos[i].value == e)
			return probe_errnos[i].name;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static int
probe_errno_of(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(probe_errnos) / sizeof(probe_errnos[0]); i++)
		if (strcmp(probe_errnos[i].name, s) == 0)
			return probe_errnos[i].value;
	return 0;
}

static void
probe_die(const char *fmt, ...)
{
	va_list ap;

	fputs("cpolc-probe: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Split S in place on blanks; returns the number of words. */
static int
probe_split(char *s, char **w)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t", &save); t && n < PROBE_MAX_WORDS;
	    t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	return n;
}

static void
probe_copy(char *dst, size_t size, const char *src, const char *what)
{
	if (strlen(src) >= size)
		probe_die("%s too long: %s", what, src);
	strcpy(dst, src);
}

static void
probe_read_spec(const char *path, struct probe_spec *sp)
{
	FILE *f = fopen(path, "r");
	char line[4096], copy[4096], *w[PROBE_MAX_WORDS], *p;
	const char *base;
	int n, lineno = 0;

	if (!f)
		probe_die("%s: %s", path, strerror(errno));
	memset(sp, 0, sizeof(*sp));
	sp->uid = sp->gid = -1;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	probe_copy(sp->name, sizeof(sp->name), base, "name");
	if ((p = strstr(sp->name, ".spec")))
		*p = '\0';
	probe_copy(sp->probe, sizeof(sp->probe), PROBE_DEFAULT_PATH, "probe");
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if ((p = strchr(line, '#')))
			*p = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		strcpy(copy, line);
		n = probe_split(copy, w);
		if (n == 0)
			continue;
		if (strcmp(w[0], "allow") == 0 || strcmp(w[0], "deny") == 0) {
			if (n < 3)
				probe_die("%s:%d: check needs an operation "
				    "and an argument", path, lineno);
			if (sp->ncheck == PROBE_MAX_CHECKS)
				probe_die("%s:%d: too many checks", path,
				    lineno);
			/* normalise blanks so names are stable */
			line[0] = '\0';
			for (int i = 0; i < n; i++) {
				strcat(line, w[i]);
				if (i + 1 < n)
					strcat(line, " ");
			}
			sp->check[sp->ncheck++] = strdup(line);
		} else if (strcmp(w[0], "file") == 0 ||
		    strcmp(w[0], "dir") == 0 || strcmp(w[0], "label") == 0 ||
		    strcmp(w[0], "program") == 0) {
			if (n < 2 || (strcmp(w[0], "label") == 0 && n != 3))
				probe_die("%s:%d: bad %s line", path, lineno,
				    w[0]);
			if (sp->nsetup == PROBE_MAX_CHECKS)
				probe_die("%s:%d: too many setup lines", path,
				    lineno);
			sp->setup[sp->nsetup++] = strdup(line);
		} else if (n == 2 && strcmp(w[0], "name") == 0) {
			probe_copy(sp->name, sizeof(sp->name), w[1], "name");
		} else if (n == 2 && strcmp(w[0], "profile") == 0) {
			probe_copy(sp->profile, sizeof(sp->profile), w[1],
			    "profile");
		} else if (n == 2 && strcmp(w[0], "context") == 0) {
			probe_copy(sp->context, sizeof(sp->context), w[1],
			    "context");
		} else if (n == 2 && strcmp(w[0], "probe") == 0) {
			probe_copy(sp->probe, sizeof(sp->probe), w[1],
			    "probe");
		} else if (n == 2 && strcmp(w[0], "podman") == 0) {
			probe_copy(sp->podman, sizeof(sp->podman), w[1],
			    "podman");
			sp->enter = PROBE_ENTER_PODMAN;
		} else if (n == 2 && strcmp(w[0], "enter") == 0) {
			if (strcmp(w[1], "exec") == 0)
				sp->enter = PROBE_ENTER_EXEC;
			else if (strcmp(w[1], "change") == 0)
				sp->enter = PROBE_ENTER_CHANGE;
			else if (strcmp(w[1], "runc") == 0)
				sp->enter = PROBE_ENTER_RUNC;
			else
				probe_die("%s:%d: enter exec, change or runc",
				    path, lineno);
		} else if (n == 2 && strcmp(w[0], "user") == 0) {
			char *colon = strchr(w[1], ':');

			sp->uid = strtol(w[1], NULL, 10);
			sp->gid = colon ? strtol(colon + 1, NULL, 10) :
			    sp->uid;
		} else {
			probe_die("%s:%d: unknown line: %s", path, lineno,
			    line);
		}
	}
	fclose(f);
	if (!*sp->name || strspn(sp->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(sp->name))
		probe_die("%s: spec name '%s' is not [A-Za-z0-9._-]+", path,
		    sp->name);
}

static void
probe_mkdirs(const char *path)
{
	char buf[4096], *p;

	probe_copy(buf, sizeof(buf), path, "path");
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			probe_die("mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
}

static void
probe_install(const char *self, const char *dst)
{
	char buf[65536], a[PATH_MAX], b[PATH_MAX];
	ssize_t n;
	int in, out;

	if (realpath(self, a) && realpath(dst, b) && strcmp(a, b) == 0)
		return;
	probe_mkdirs(dst);
	in = open(self, O_RDONLY);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		probe_die("install %s: %s", dst, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			probe_die("install %s: %s", dst, strerror(errno));
	close(in);
	if (close(out) < 0)
		probe_die("install %s: %s", dst, strerror(errno));
	chmod(dst, 0755);
}

static int probe_lsm(const char *which);

static void
probe_label(const char *path, const char *ctx)
{
	if (setxattr(path, "security.selinux", ctx, strlen(ctx) + 1, 0) < 0)
		probe_die("label %s %s: %s", path, ctx, strerror(errno));
}

/* setup: unconfined preparation, in spec order after installing the probe */
static int
probe_setup(const char *self, struct probe_spec *sp, const char *plabel)
{
	char copy[4096], *w[PROBE_MAX_WORDS];
	int i, n, fd;
	mode_t mode;

	probe_install(self, sp->probe);
	if (plabel)
		probe_label(sp->probe, plabel);
	for (i = 0; i < sp->nsetup; i++) {
		strcpy(copy, sp->setup[i]);
		n = probe_split(copy, w);
		if (strcmp(w[0], "label") == 0) {
			/* labels mean nothing without SELinux */
			if (probe_lsm("selinux"))
				probe_label(w[1], w[2]);
			continue;
		}
		if (strcmp(w[0], "program") == 0) {
			/* run without arguments the probe exits 0 */
			probe_install(self, w[1]);
			continue;
		}
		mode = n > 2 ? (mode_t)strtol(w[2], NULL, 8) :
		    strcmp(w[0], "dir") == 0 ? 0755 : 0644;
		probe_mkdirs(w[1]);
		if (strcmp(w[0], "dir") == 0) {
			if (mkdir(w[1], mode) < 0 && errno != EEXIST)
				probe_die("mkdir %s: %s", w[1],
				    strerror(errno));
		} else {
			fd = open(w[1], O_WRONLY | O_CREAT | O_TRUNC, mode);
			if (fd < 0 || write(fd, "cpolc\n", 6) != 6)
				probe_die("create %s: %s", w[1],
				    strerror(errno));
			close(fd);
		}
		chmod(w[1], mode);
	}
	printf("@@SETUP %s\n", sp->name);
	return 0;
}

/* Each operation returns 0 on success or the errno it failed with. */

static int
probe_op_read(const char *path)
{
	char buf[4096];
	struct stat st;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (syscall(SYS_getdents64, fd, buf, sizeof(buf)) < 0)
			rc = errno;
	} else if (read(fd, buf, sizeof(buf)) < 0) {
		rc = errno;
	}
	close(fd);
	return rc;
}

static int
probe_op_open_write(const char *path, int flags)
{
	int fd, rc = 0;

	fd = open(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	if (write(fd, "probe\n", 6) < 0)
		rc = errno;
	if (close(fd) < 0 && rc == 0)
		rc = errno;
	return rc;
}

/*
 * exec PATH [ARG...]: success means execve worked and the program exited
 * 0. A failed execve reports its errno through anonymous shared memory,
 * which no LSM mediates (a pipe would need a policy rule of its own).
 */
static int
probe_op_exec(char **w, int n, char *why, size_t whysize)
{
	char *argv[PROBE_MAX_WORDS + 1];
	char *envp[] = { "PATH=/bin:/usr/bin:/sbin:/usr/sbin", NULL };
	volatile int *err;
	int status, i, e;
	pid_t pid;

	for (i = 1; i < n; i++)
		argv[i - 1] = w[i];
	argv[n - 1] = NULL;
	err = mmap(NULL, sizeof(*err), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (err == MAP_FAILED)
		return errno;
	*err = 0;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		/* no stdin (a shell would wait on it), and a time limit
		 * that survives the exec */
		close(0);
		alarm(10);
		execve(w[1], argv, envp);
		*err = errno;
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	e = *err;
	munmap((void *)err, sizeof(*err));
	if (e)
		return e;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(why, whysize, "exec worked but status 0x%x", status);
		return -1;
	}
	return 0;
}

static int
probe_family(const char *s)
{
	if (strcmp(s, "inet") == 0)
		return AF_INET;
	if (strcmp(s, "inet6") == 0)
		return AF_INET6;
	if (strcmp(s, "unix") == 0)
		return AF_UNIX;
	if (strcmp(s, "netlink") == 0)
		return AF_NETLINK;
	if (strcmp(s, "packet") == 0)
		return AF_PACKET;
	if (strcmp(s, "alg") == 0)
		return AF_ALG;
	return -1;
}

static int
probe_socktype(const char *s)
{
	if (strcmp(s, "stream") == 0)
		return SOCK_STREAM;
	if (strcmp(s, "dgram") == 0)
		return SOCK_DGRAM;
	if (strcmp(s, "raw") == 0)
		return SOCK_RAW;
	if (strcmp(s, "seqpacket") == 0)
		return SOCK_SEQPACKET;
	return -1;
}

/* bind|connect tcp|udp PORT on 127.0.0.1 (bind: 0.0.0.0) */
static int
probe_op_net(const char *op, const char *proto, const char *port)
{
	struct sockaddr_in sa;
	int fd, rc = 0, type;

	type = strcmp(proto, "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(port));
	if (strcmp(op, "bind") == 0) {
		sa.sin_addr.s_addr = htonl(INADDR_ANY);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			rc = errno;
		else if (type == SOCK_STREAM && listen(fd, 1) < 0)
			rc = errno;
	} else {
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			rc = errno;
		/* nobody listens: refused means the LSM let it through */
		if (rc == ECONNREFUSED)
			rc = 0;
	}
	close(fd);
	return rc;
}

/* cap NAME: one operation that needs exactly that capability (as root) */
static int
probe_op_cap(const char *cap, char *why, size_t whysize)
{
	struct rlimit rl;
	pid_t pid;
	int status, fd, rc = 0;

	if (strcmp(cap, "net_bind_service") == 0)
		return probe_op_net("bind", "tcp", "80");
	if (strcmp(cap, "net_raw") == 0) {
		fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
	if (strcmp(cap, "sys_chroot") == 0)
		return chroot("/") < 0 ? errno : 0;
	if (strcmp(cap, "sys_admin") == 0) {
		char name[65];

		if (gethostname(name, sizeof(name)) < 0)
			return errno;
		return sethostname(name, strlen(name)) < 0 ? errno : 0;
	}
	if (strcmp(cap, "sys_nice") == 0)
		return setpriority(PRIO_PROCESS, 0, -1) < 0 ? errno : 0;
	if (strcmp(cap, "sys_resource") == 0) {
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return errno;
		rl.rlim_max += 1;
		return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? errno : 0;
	}
	if (strcmp(cap, "setuid") == 0 || strcmp(cap, "setgid") == 0 ||
	    strcmp(cap, "ipc_lock") == 0) {
		/* in a child: these change the process for good */
		pid = fork();
		if (pid < 0)
			return errno;
		if (pid == 0) {
			if (strcmp(cap, "setuid") == 0)
				rc = setresuid(65534, 65534, 65534);
			else if (strcmp(cap, "setgid") == 0)
				rc = setresgid(65534, 65534, 65534);
			else {
				static char page[4096];

				rl.rlim_cur = rl.rlim_max = 0;
				rc = setrlimit(RLIMIT_MEMLOCK, &rl);
				if (rc == 0)
					rc = mlock(page, sizeof(page));
			}
			_exit(rc < 0 ? errno & 0xff : 0);
		}
		if (waitpid(pid, &status, 0) < 0)
			return errno;
		return WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	}
	snprintf(why, whysize, "no probe for capability %s", cap);
	return -1;
}

/*
 * Run one check line; prints its result and returns 1 if it behaved as
 * the spec says.
 */
static int
probe_check(const char *name, const char *line)
{
	char copy[4096], *w[PROBE_MAX_WORDS], why[256] = "";
	int n, rc, allow, want = 0, explicit;
	const char *op;

	if (strlen(line) >= sizeof(copy)) {
		printf("@@FAIL %s: check too long\n", name);
		return 0;
	}
	strcpy(copy, line);
	n = probe_split(copy, w);
	allow = strcmp(w[0], "allow") == 0;
	if (n > 3 && strncmp(w[n - 1], "errno=", 6) == 0) {
		want = probe_errno_of(w[n - 1] + 6);
		if (!want) {
			printf("@@FAIL %s: %s: unknown errno\n", name, line);
			return 0;
		}
		n--;
	}
	op = w[1];
	explicit = want != 0;
	if (!want)
		want = strcmp(op, "cap") == 0 ? EPERM : EACCES;
	if (strcmp(op, "read") == 0 && n == 3)
		rc = probe_op_read(w[2]);
	else if (strcmp(op, "write") == 0 && n == 3)
		rc = probe_op_open_write(w[2], 0);
	else if (strcmp(op, "append") == 0 && n == 3)
		rc = probe_op_open_write(w[2], O_APPEND);
	else if (strcmp(op, "create") == 0 && n == 3)
		rc = probe_op_open_write(w[2], O_EXCL);
	else if (strcmp(op, "delete") == 0 && n == 3)
		rc = unlink(w[2]) < 0 ? errno : 0;
	else if (strcmp(op, "mkdir") == 0 && n == 3)
		rc = mkdir(w[2], 0755) < 0 ? errno : 0;
	else if (strcmp(op, "exec") == 0)
		rc = probe_op_exec(w + 1, n - 1, why, sizeof(why));
	else if (strcmp(op, "socket") == 0 && n == 4 &&
	    probe_family(w[2]) >= 0 && probe_socktype(w[3]) >= 0) {
		int fd = socket(probe_family(w[2]),
		    probe_socktype(w[3]) | SOCK_CLOEXEC, 0);

		rc = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
	} else if ((strcmp(op, "bind") == 0 || strcmp(op, "connect") == 0) &&
	    n == 4)
		rc = probe_op_net(op, w[2], w[3]);
	else if (strcmp(op, "cap") == 0 && n == 3)
		rc = probe_op_cap(w[2], why, sizeof(why));
	else {
		printf("@@FAIL %s: %s: unknown check\n", name, line);
		return 0;
	}
	if (rc < 0) {
		printf("@@FAIL %s: %s: %s\n", name, line, why);
		return 0;
	}
	if (allow && rc == 0) {
		printf("@@OK %s: %s\n", name, line);
		return 1;
	}
	/* a capability may be refused by the capability hook (EPERM) or,
	 * first, by the LSM's mediation of the operation (EACCES) */
	if (!allow && !explicit && strcmp(op, "cap") == 0 && rc == EACCES)
		want = EACCES;
	if (!allow && rc == want) {
		printf("@@OK %s: %s (%s)\n", name, line, probe_errname(rc));
		return 1;
	}
	if (allow)
		printf("@@FAIL %s: %s: failed with %s\n", name, line,
		    probe_errname(rc));
	else if (rc == 0)
		printf("@@FAIL %s: %s: succeeded\n", name, line);
	else
		printf("@@FAIL %s: %s: %s, not %s\n", name, line,
		    probe_errname(rc), probe_errname(want));
	return 0;
}

/* The confined side: wait for the parent to read our label, then check. */
static int
probe_checks(const char *name, int n, char **checks)
{
	char go;
	int i, ok = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("@@READY %s\n", name);
	if (read(0, &go, 1) != 1)
		return 3;
	alarm(60);
	for (i = 0; i < n; i++)
		ok += probe_check(name, checks[i]);
	return ok == n ? 0 : 1;
}

static int
probe_lsm(const char *which)
{
	char buf[512];
	int fd = open("/sys/kernel/security/lsm", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, which) != NULL;
}

/* One write() with no newline: see REAL-TESTS.md on busybox echo. */
static int
probe_write_attr(const char *attr, const char *value)
{
	int fd = open(attr, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

static void probe_podman(struct probe_spec *sp);

/* Child: drop to the user, enter the confinement, run the checks. */
static void
probe_child(struct probe_spec *sp)
{
	char value[512];
	const char *attr;
	char *argv[PROBE_MAX_CHECKS + 4];
	int i, aa = probe_lsm("apparmor");

	/* the container's user comes from its --user or OCI process.user */
	if (sp->enter == PROBE_ENTER_PODMAN)
		probe_podman(sp);
	if (sp->enter == PROBE_ENTER_RUNC) {
		char bundle[512];

		snprintf(bundle, sizeof(bundle), "/tmp/cpolc-runc/%s", sp->name);
		execl(PROBE_RUNC, "runc", "--root", "/tmp/cpolc-runc/state",
		    "run", "--no-pivot", "--bundle", bundle, sp->name,
		    (char *)NULL);
		probe_die("%s: exec %s: %s", sp->name, PROBE_RUNC,
		    strerror(errno));
	}
	if (sp->gid >= 0 && (setgroups(0, NULL) < 0 ||
	    setresgid(sp->gid, sp->gid, sp->gid) < 0))
		probe_die("setgid %ld: %s", sp->gid, strerror(errno));
	if (sp->uid >= 0 && setresuid(sp->uid, sp->uid, sp->uid) < 0)
		probe_die("setuid %ld: %s", sp->uid, strerror(errno));
	attr = sp->enter == PROBE_ENTER_CHANGE ? "/proc/self/attr/current" :
	    "/proc/self/attr/exec";
	if (aa && *sp->profile) {
		snprintf(value, sizeof(value), "%s %s",
		    sp->enter == PROBE_ENTER_CHANGE ? "changeprofile" : "exec",
		    sp->profile);
	} else if (!aa && *sp->context) {
		snprintf(value, sizeof(value), "%s", sp->context);
	} else {
		probe_die("%s: no %s to enter", sp->name,
		    aa ? "profile" : "context");
	}
	if (probe_write_attr(attr, value) < 0)
		probe_die("%s: write '%s' to %s: %s", sp->name, value, attr,
		    strerror(errno));
	if (sp->enter == PROBE_ENTER_CHANGE)
		exit(probe_checks(sp->name, sp->ncheck, sp->check));
	argv[0] = sp->probe;
	argv[1] = "checks";
	argv[2] = sp->name;
	for (i = 0; i < sp->ncheck; i++)
		argv[3 + i] = sp->check[i];
	argv[3 + sp->ncheck] = NULL;
	execv(sp->probe, argv);
	probe_die("%s: exec %s: %s", sp->name, sp->probe, strerror(errno));
}

/*
 * The confined probe's pid: the process whose command line is
 * "PROBE checks NAME ..." (under runc it is runc's grandchild).
 */
static pid_t
probe_find(const char *name)
{
	char path[320], buf[4096];
	struct dirent *d;
	pid_t found = -1;
	DIR *dir = opendir("/proc");
	ssize_t n, len;
	int fd;

	while (dir && found < 0 && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", d->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		n = strlen(buf) + 1;
		if (n + 7 < len && strcmp(buf + n, "checks") == 0 &&
		    strcmp(buf + n + 7, name) == 0)
			found = atoi(d->d_name);
	}
	if (dir)
		closedir(dir);
	return found;
}

static void
probe_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static const char *const probe_caps[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
	"KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
	"IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
	"SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
	"SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
	"AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
	"MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

/* The container root for runc and podman: the guest's own tree. */
static void
probe_bind_root(void)
{
	struct stat st;

	if (stat(PROBE_RUNC_ROOT "/init", &st) == 0)
		return;
	mkdir(PROBE_RUNC_ROOT, 0755);
	if (mount("/", PROBE_RUNC_ROOT, NULL, MS_BIND | MS_REC, NULL) < 0)
		probe_die("bind / at %s: %s", PROBE_RUNC_ROOT, strerror(errno));
}

/*
 * "podman ARGSFILE": run the probe as a container with the generated
 * arguments, unedited, plus what podman needs in this guest (printed as
 * @@ADDED): runc, vfs storage (overlay is a module), -i for the probe's
 * handshake on stdin, and --read-only-tmpfs=false with --read-only
 * (docker's --read-only has no writable /run and /var/tmp).
 */
static void
probe_podman(struct probe_spec *sp)
{
	char *gen[PROBE_MAX_CHECKS], *argv[PROBE_MAX_CHECKS * 2 + 16];
	char line[4096];
	int ngen = 0, argc = 0, i, ro = 0;
	FILE *f = fopen(sp->podman, "r");

	if (!f)
		probe_die("%s: %s", sp->podman, strerror(errno));
	while (fgets(line, sizeof(line), f) && ngen < PROBE_MAX_CHECKS) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (strcmp(line, "--read-only") == 0 ||
		    strcmp(line, "--read-only=true") == 0)
			ro = 1;
		gen[ngen++] = strdup(line);
	}
	fclose(f);
	argv[argc++] = "podman";
	argv[argc++] = "--runtime";
	argv[argc++] = PROBE_RUNC;
	argv[argc++] = "--storage-driver";
	argv[argc++] = "vfs";
	argv[argc++] = "run";
	argv[argc++] = "--rm";
	argv[argc++] = "-i";
	if (ro)
		argv[argc++] = "--read-only-tmpfs=false";
	for (i = 0; i < ngen; i++)
		argv[argc++] = gen[i];
	argv[argc++] = "--rootfs";
	argv[argc++] = PROBE_RUNC_ROOT;
	argv[argc++] = sp->probe;
	argv[argc++] = "checks";
	argv[argc++] = sp->name;
	for (i = 0; i < sp->ncheck; i++)
		argv[argc++] = sp->check[i];
	argv[argc] = NULL;
	printf("@@ADDED %s: --runtime runc --storage-driver vfs -i%s\n",
	    sp->name, ro ? " --read-only-tmpfs=false" : "");
	fflush(stdout);
	execv("/usr/bin/podman", argv);
	probe_die("%s: exec podman: %s", sp->name, strerror(errno));
}

/*
 * The OCI bundle for "enter runc": the guest's own tree as the root (so
 * paths are the same as for the other ways in), every capability (the
 * LSM alone decides), no-new-privileges as a container engine sets it,
 * and the label in process.apparmorProfile or process.selinuxLabel.
 */
static void
probe_bundle(struct probe_spec *sp)
{
	static const char *const sets[] = {
		"bounding", "effective", "permitted",
	};
	char path[512];
	size_t i, j;
	FILE *f;

	probe_bind_root();
	snprintf(path, sizeof(path), "/tmp/cpolc-runc/%s/config.json",
	    sp->name);
	probe_mkdirs(path);
	if (!(f = fopen(path, "w")))
		probe_die("%s: %s", path, strerror(errno));
	fprintf(f, "{\"ociVersion\": \"1.0.2\", \"hostname\": \"cpolc\",\n");
	fprintf(f, "\"root\": {\"path\": \"%s\", \"readonly\": false},\n",
	    PROBE_RUNC_ROOT);
	fprintf(f, "\"process\": {\"terminal\": false, \"cwd\": \"/\",\n");
	fprintf(f, " \"user\": {\"uid\": %ld, \"gid\": %ld},\n",
	    sp->uid < 0 ? 0 : sp->uid, sp->gid < 0 ? 0 : sp->gid);
	fprintf(f, " \"env\": [\"PATH=/bin:/usr/bin:/sbin:/usr/sbin\"],\n");
	fprintf(f, " \"noNewPrivileges\": true,\n");
	if (probe_lsm("apparmor")) {
		fputs(" \"apparmorProfile\": ", f);
		probe_json_str(f, sp->profile);
	} else {
		fputs(" \"selinuxLabel\": ", f);
		probe_json_str(f, sp->context);
	}
	fputs(",\n \"capabilities\": {", f);
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		fprintf(f, "%s\"%s\": [", i ? ", " : "", sets[i]);
		for (j = 0; j < sizeof(probe_caps) / sizeof(probe_caps[0]);
		    j++)
			fprintf(f, "%s\"CAP_%s\"", j ? ", " : "",
			    probe_caps[j]);
		fputs("]", f);
	}
	fputs("},\n \"args\": [", f);
	probe_json_str(f, sp->probe);
	fputs(", \"checks\", ", f);
	probe_json_str(f, sp->name);
	for (i = 0; i < (size_t)sp->ncheck; i++) {
		fputs(", ", f);
		probe_json_str(f, sp->check[i]);
	}
	fputs("]},\n", f);
	fputs("\"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", "
	    "\"source\": \"proc\"}],\n", f);
	fputs("\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, "
	    "{\"type\": \"mount\"}, {\"type\": \"ipc\"}, "
	    "{\"type\": \"uts\"}]}}\n", f);
	if (fclose(f) != 0)
		probe_die("%s: %s", path, strerror(errno));
}

static int
probe_run(struct probe_spec *sp)
{
	int to[2], from[2], status, rc;
	char line[4096], label[512] = "?", path[64];
	FILE *in;
	pid_t pid;
	ssize_t n;
	int fd;

	if (sp->enter == PROBE_ENTER_RUNC)
		probe_bundle(sp);
	if (sp->enter == PROBE_ENTER_PODMAN)
		probe_bind_root();
	if (pipe(to) < 0 || pipe(from) < 0)
		probe_die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		probe_die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		dup2(from[1], 2);
		close(to[0]); close(to[1]); close(from[0]); close(from[1]);
		probe_child(sp);
	}
	close(to[0]);
	close(from[1]);
	in = fdopen(from[0], "r");
	while (fgets(line, sizeof(line), in)) {
		fputs(line, stdout);
		if (strncmp(line, "@@READY ", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/attr/current",
		    (int)probe_find(sp->name));
		fd = open(path, O_RDONLY);
		if (fd >= 0 && (n = read(fd, label, sizeof(label) - 1)) > 0) {
			label[n] = '\0';
			label[strcspn(label, "\n")] = '\0';
		}
		if (fd >= 0)
			close(fd);
		printf("@@LABEL %s: %s\n", sp->name, label);
		fflush(stdout);
		if (write(to[1], "g", 1) != 1)
			break;
	}
	close(to[1]);
	fclose(in);
	if (waitpid(pid, &status, 0) < 0)
		probe_die("waitpid: %s", strerror(errno));
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("@@DONE %s checks=%d rc=%d\n", sp->name, sp->ncheck, rc);
	return rc;
}

int
main(int argc, char **argv)
{
	struct probe_spec spec;
	const char *plabel = NULL;
	int i = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* as a "program" of the spec: a harmless target for exec checks */
	if (argc == 1)
		return 0;
	if (argc >= 3 && strcmp(argv[1], "checks") == 0)
		return probe_checks(argv[2], argc - 3, argv + 3);
	if (argc >= 5 && strcmp(argv[1], "setup") == 0 &&
	    strcmp(argv[2], "--probe-label") == 0) {
		plabel = argv[3];
		i = 4;
	}
	if (argc != i + 1 ||
	    (strcmp(argv[1], "setup") != 0 && strcmp(argv[1], "run") != 0)) {
		fprintf(stderr, "usage: cpolc-probe setup [--probe-label CTX] "
		    "SPEC | run SPEC\n");
		return 2;
	}
	probe_read_spec(argv[i], &spec);
	if (strcmp(argv[1], "setup") == 0)
		return probe_setup("/proc/self/exe", &spec, plabel);
	return probe_run(&spec);
}
