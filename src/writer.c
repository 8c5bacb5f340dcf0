/*
 * The writer: a run's outputs reach the disk all together or not at
 * all.  Each output is written to a temporary file beside its final
 * name, and the temporaries are renamed into place only once every one
 * of them is complete.  A rename replaces a symbolic link rather than
 * writing through it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/util.h"
#include "emit.h"

/* Directories this run created, innermost last, to remove on failure. */
struct made {
	char **dirs;
	size_t n, cap;
};

static bool
make_dirs(const char *dir, struct made *made)
{
	char *path = cp_xstrdup(dir);
	size_t len = strlen(path);
	bool ok = true;

	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	for (size_t i = 1; i <= len && ok; i++) {
		struct stat st;

		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (stat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				fprintf(stderr,
					"cpolc: '%s' is not a directory\n",
					path);
				ok = false;
			}
		} else if (mkdir(path, 0777) == 0) {
			cp_xgrow(&made->dirs, &made->cap, made->n + 1,
				 sizeof(*made->dirs));
			made->dirs[made->n++] = cp_xstrdup(path);
		} else {
			fprintf(stderr, "cpolc: cannot create '%s': %s\n", path,
				strerror(errno));
			ok = false;
		}
		if (i < len)
			path[i] = '/';
	}
	free(path);
	return ok;
}

static bool
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

bool
cp_write_outputs(const char *dir, const struct cp_emit *e, bool verbose,
		 FILE *log)
{
	struct made made = {0};
	char **tmps = cp_xcalloc(e->n ? e->n : 1, sizeof(*tmps));
	mode_t mask = umask(0);
	bool ok;

	umask(mask);
	ok = make_dirs(dir, &made);
	for (size_t i = 0; ok && i < e->n; i++) {
		const struct cp_output *o = &e->outs[i];
		int fd;

		tmps[i] = cp_xasprintf("%s/.%s.XXXXXX", dir, o->name);
		fd = mkstemp(tmps[i]);
		if (fd < 0) {
			fprintf(stderr,
				"cpolc: cannot create a file in '%s': %s\n",
				dir, strerror(errno));
			free(tmps[i]);
			tmps[i] = NULL;
			ok = false;
			break;
		}
		if (!write_all(fd, o->text.data ? o->text.data : "",
			       o->text.len) ||
		    fchmod(fd, 0666 & ~mask) != 0) {
			fprintf(stderr, "cpolc: cannot write '%s': %s\n",
				tmps[i], strerror(errno));
			ok = false;
		}
		if (close(fd) != 0 && ok) {
			fprintf(stderr, "cpolc: cannot write '%s': %s\n",
				tmps[i], strerror(errno));
			ok = false;
		}
	}
	for (size_t i = 0; ok && i < e->n; i++) {
		char *final = cp_xasprintf("%s/%s", dir, e->outs[i].name);

		if (rename(tmps[i], final) != 0) {
			fprintf(stderr,
				"cpolc: cannot rename '%s' to '%s': %s\n",
				tmps[i], final, strerror(errno));
			ok = false;
		} else {
			free(tmps[i]);
			tmps[i] = NULL;
			if (verbose)
				fprintf(log, "wrote %s\n", final);
		}
		free(final);
	}
	for (size_t i = 0; i < e->n; i++) {
		if (tmps[i] != NULL)
			unlink(tmps[i]);
		free(tmps[i]);
	}
	free(tmps);
	while (made.n > 0) {
		char *d = made.dirs[--made.n];

		if (!ok)
			rmdir(d);
		free(d);
	}
	free(made.dirs);
	return ok;
}

/* Read path whole; NULL (errno set) when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	struct cp_buf b = CP_BUF_INIT;
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		cp_buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	return cp_buf_take(&b);
}

/* The suffix of an output's name: "web.compose.yaml" -> "compose.yaml". */
static const char *
suffix_of(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? dot + 1 : "";
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

long
cp_check_outputs(const char *dir, const struct cp_emit *e, FILE *report)
{
	long problems = 0;
	const char **names = cp_xcalloc(e->n ? e->n : 1, sizeof(*names));
	DIR *d;
	struct dirent *de;
	char **stale = NULL;
	size_t nstale = 0, stale_cap = 0;

	for (size_t i = 0; i < e->n; i++) {
		const struct cp_output *o = &e->outs[i];
		char *path = cp_xasprintf("%s/%s", dir, o->name);
		size_t len = 0;
		char *have = slurp(path, &len);

		names[i] = o->name;
		if (have == NULL) {
			fprintf(report, "missing: %s\n", path);
			problems++;
		} else if (len != o->text.len ||
			   memcmp(have, o->text.data ? o->text.data : "",
				  len) != 0) {
			fprintf(report, "differs: %s\n", path);
			problems++;
		}
		free(have);
		free(path);
	}
	cp_qsort(names, e->n, sizeof(*names), str_cmp);
	d = opendir(dir);
	if (d == NULL && errno != ENOENT) {
		fprintf(stderr, "cpolc: cannot read '%s': %s\n", dir,
			strerror(errno));
		free(names);
		return -1;
	}
	while (d != NULL && (de = readdir(d)) != NULL) {
		const char *suf = suffix_of(de->d_name), *key = de->d_name;
		bool ours = false;

		if (de->d_name[0] == '.' || *suf == '\0')
			continue;
		for (size_t i = 0; i < e->n && !ours; i++)
			ours = strcmp(suffix_of(e->outs[i].name), suf) == 0;
		if (!ours ||
		    bsearch(&key, names, e->n, sizeof(*names), str_cmp) != NULL)
			continue;
		cp_xgrow(&stale, &stale_cap, nstale + 1, sizeof(*stale));
		stale[nstale++] = cp_xstrdup(de->d_name);
	}
	if (d != NULL)
		closedir(d);
	/* Directory order is the file system's: sort for a stable report. */
	cp_qsort(stale, nstale, sizeof(*stale), str_cmp);
	for (size_t i = 0; i < nstale; i++) {
		fprintf(report, "stale: %s/%s (no policy produces it)\n", dir,
			stale[i]);
		free(stale[i]);
		problems++;
	}
	free(stale);
	free(names);
	return problems;
}

/* A name for make: spaces and '#' escaped, '$' doubled. */
static void
make_quote(struct cp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '#' || *s == '\\')
			cp_buf_putc(b, '\\');
		if (*s == '$')
			cp_buf_putc(b, '$');
		cp_buf_putc(b, *s);
	}
}

bool
cp_write_depfile(const char *path, const char *dir, const struct cp_emit *e,
		 const struct cp_sources *srcs)
{
	struct cp_buf b = CP_BUF_INIT;
	char *tmp, *slash;
	int fd;
	bool ok;

	for (size_t i = 0; i < e->n; i++) {
		char *out = cp_xasprintf("%s/%s", dir, e->outs[i].name);

		if (i > 0)
			cp_buf_puts(&b, " \\\n ");
		make_quote(&b, out);
		free(out);
	}
	cp_buf_puts(&b, ":");
	for (size_t i = 0; i < srcs->n; i++) {
		cp_buf_puts(&b, " \\\n ");
		make_quote(&b, srcs->items[i]->name);
	}
	cp_buf_puts(&b, "\n");
	for (size_t i = 0; i < srcs->n; i++) {
		cp_buf_putc(&b, '\n');
		make_quote(&b, srcs->items[i]->name);
		cp_buf_puts(&b, ":\n");
	}
	slash = strrchr(path, '/');
	tmp = slash ? cp_xasprintf("%.*s/.cpolc-dep.XXXXXX",
				   (int)(slash - path), path)
		    : cp_xstrdup(".cpolc-dep.XXXXXX");
	fd = mkstemp(tmp);
	ok = fd >= 0;
	if (ok) {
		mode_t mask = umask(0);

		umask(mask);
		ok = write_all(fd, b.data, b.len) &&
		     fchmod(fd, 0666 & ~mask) == 0;
		ok = close(fd) == 0 && ok;
		ok = ok && rename(tmp, path) == 0;
		if (!ok)
			unlink(tmp);
	}
	if (!ok)
		fprintf(stderr, "cpolc: cannot write '%s': %s\n", path,
			strerror(errno));
	free(tmp);
	cp_buf_free(&b);
	return ok;
}
