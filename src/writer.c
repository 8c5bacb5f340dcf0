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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>

#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/util.h"
#include "emit.h"

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

/* Read path whole; NULL (errno set) when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	struct cp_buf b = CP_BUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	int err;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	cp_buf_reserve(&b, (size_t)st.st_size + 1);
	err = cp_buf_read_fd(&b, fd, SIZE_MAX);
	close(fd);
	if (err != 0) {
		cp_buf_free(&b);
		errno = err;
		return NULL;
	}
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

/*
 * A missing output directory is made as ".NAME.cpolc-PID" beside it,
 * filled, and renamed to NAME at commit: tens of thousands of outputs
 * then cost no rename each, and the directory appears whole or not at
 * all.  Returns false (having said why) when even that cannot be made.
 */
static bool
make_stage(struct cp_writer *w)
{
	char *path = cp_xstrdup(w->dir), *slash, *parent;
	size_t len = strlen(path);
	struct stat st;
	bool ok = true;

	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (lstat(path, &st) == 0 || errno != ENOENT ||
	    strcmp(path, ".") == 0 || strcmp(path, "..") == 0 ||
	    strcmp(path, "/") == 0) {
		free(path);
		return make_dirs(w->dir, &w->made);
	}
	slash = strrchr(path, '/');
	if (slash == path) {
		parent = cp_xstrdup("/");
	} else if (slash != NULL) {
		parent = cp_xstrndup(path, (size_t)(slash - path));
	} else {
		parent = cp_xstrdup(".");
	}
	if (!make_dirs(parent, &w->made)) {
		ok = false;
	} else {
		w->stage =
			cp_xasprintf("%s/.%s.cpolc-%ld", parent,
				     slash ? slash + 1 : path, (long)getpid());
		if (mkdir(w->stage, 0777) != 0) {
			int err = errno;

			free(w->stage);
			w->stage = NULL;
			/* A name near NAME_MAX leaves no room for the
			 * stage's: make the directory itself, and write
			 * it output by output. */
			if (err == ENAMETOOLONG) {
				ok = make_dirs(w->dir, &w->made);
			} else {
				fprintf(stderr,
					"cpolc: cannot create a directory "
					"beside '%s': %s\n",
					w->dir, strerror(err));
				ok = false;
			}
		}
	}
	free(parent);
	free(path);
	return ok;
}

bool
cp_writer_open(struct cp_writer *w, const char *dir, bool compare, FILE *report)
{
	memset(w, 0, sizeof(*w));
	w->dir = dir;
	w->compare = compare;
	w->report = report;
	w->ok = true;
	if (!compare)
		w->ok = make_stage(w);
	return w->ok;
}

static size_t
pool_add(struct cp_writer *w, const char *s)
{
	size_t at = w->pool.len;

	cp_buf_add(&w->pool, s, strlen(s) + 1);
	return at;
}

static const char *
name_of(const struct cp_writer *w, size_t i)
{
	return w->pool.data + w->name_at[i];
}

/* Remember an output's name (and, when writing, its temporary). */
static void
writer_add(struct cp_writer *w, const char *name, unsigned long serial)
{
	cp_xgrow(&w->name_at, &w->names_cap, w->n + 1, sizeof(*w->name_at));
	cp_xgrow(&w->serial, &w->serials_cap, w->n + 1, sizeof(*w->serial));
	w->name_at[w->n] = pool_add(w, name);
	w->serial[w->n] = serial;
	w->n++;
}

/* This process's id, read once: the temporaries' names hold it. */
static long
temp_pid(void)
{
	static _Atomic long pid;

	if (pid == 0)
		pid = (long)getpid();
	return pid;
}

/* The temporary of output i, or NULL when it has none (any more). */
static char *
tmp_of(const struct cp_writer *w, size_t i)
{
	if (w->serial[i] == CP_NO_TEMP)
		return NULL;
	if (w->stage != NULL)
		return cp_xasprintf("%s/%s", w->stage, name_of(w, i));
	return cp_xasprintf("%s/.%s.%ld.%lu", w->dir, name_of(w, i), temp_pid(),
			    w->serial[i]);
}

/*
 * Create a temporary file "PREFIX.PID.N" for writing, with the mode any
 * new file of the user's gets (0666 less the umask), so that it needs no
 * chmod before the rename.  O_EXCL: a name that is taken, by a parallel
 * run or by anyone else, is never written through; the next number is
 * tried instead.  Returns the descriptor and sets *path and *serial (N),
 * or -1.
 */
static int
create_temp(const char *prefix, char **path, unsigned long *serial)
{
	static _Atomic unsigned long next;

	for (int tries = 0; tries < 1000; tries++) {
		unsigned long n = next++;
		char *tmp = cp_xasprintf("%s.%ld.%lu", prefix, temp_pid(), n);
		int fd = open(tmp,
			      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
				      O_NOFOLLOW | O_NOCTTY,
			      0666);

		if (fd >= 0) {
			*path = tmp;
			*serial = n;
			return fd;
		}
		free(tmp);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* Write one output to a temporary file in the directory. */
static bool
write_temp(const struct cp_writer *w, const struct cp_output *o,
	   unsigned long *serial)
{
	char *tmp = NULL;
	int fd;

	if (w->stage != NULL) {
		/* A directory of this run's own: the final name will do. */
		tmp = cp_xasprintf("%s/%s", w->stage, o->name);
		fd = open(tmp,
			  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
				  O_NOCTTY,
			  0666);
		*serial = 0;
	} else {
		char *prefix = cp_xasprintf("%s/.%s", w->dir, o->name);

		fd = create_temp(prefix, &tmp, serial);
		free(prefix);
	}
	if (fd < 0) {
		fprintf(stderr, "cpolc: cannot create a file in '%s': %s\n",
			w->stage ? w->stage : w->dir, strerror(errno));
		free(tmp);
		return false;
	}
	/* Close once, whatever happened: a second close could hit a
	 * descriptor another thread has opened since. */
	if (!write_all(fd, o->text.data ? o->text.data : "", o->text.len)) {
		int err = errno;

		close(fd);
		errno = err;
		fd = -1;
	}
	if (fd < 0 || close(fd) != 0) {
		fprintf(stderr, "cpolc: cannot write '%s': %s\n", tmp,
			strerror(errno));
		unlink(tmp);
		free(tmp);
		return false;
	}
	free(tmp);
	return true;
}

/* Compare one output with the file of its name, for --up-to-date. */
static void
compare_one(const struct cp_writer *w, const struct cp_output *o,
	    struct cp_buf *report, long *problems)
{
	char *path = cp_xasprintf("%s/%s", w->dir, o->name);
	size_t len = 0;
	char *have = slurp(path, &len);

	if (have == NULL) {
		cp_buf_printf(report, "missing: %s\n", path);
		(*problems)++;
	} else if (len != o->text.len ||
		   memcmp(have, o->text.data ? o->text.data : "", len) != 0) {
		cp_buf_printf(report, "differs: %s\n", path);
		(*problems)++;
	}
	free(have);
	free(path);
}

bool
cp_writer_put(const struct cp_writer *w, const struct cp_output *o,
	      unsigned long *serial, struct cp_buf *report, long *problems)
{
	*serial = CP_NO_TEMP;
	if (w->compare) {
		compare_one(w, o, report, problems);
		return true;
	}
	return write_temp(w, o, serial);
}

void
cp_writer_keep(struct cp_writer *w, const char *name, unsigned long serial)
{
	const char *suf = suffix_of(name);
	bool known = false;

	writer_add(w, name, serial);
	for (size_t k = 0; k < w->nsuffixes && !known; k++)
		known = strcmp(w->suffixes[k], suf) == 0;
	if (!known) {
		cp_xgrow(&w->suffixes, &w->suffixes_cap, w->nsuffixes + 1,
			 sizeof(*w->suffixes));
		w->suffixes[w->nsuffixes++] = cp_xstrdup(suf);
	}
}

/*
 * Files in the directory that look like outputs of these targets (the
 * same suffix) but that no policy produced, for --up-to-date.
 */
static bool
report_stale(struct cp_writer *w)
{
	const char **names = cp_xcalloc(w->n ? w->n : 1, sizeof(*names));
	char **stale = NULL;
	size_t nstale = 0, cap = 0;
	DIR *d = opendir(w->dir);
	struct dirent *de;

	for (size_t i = 0; i < w->n; i++)
		names[i] = name_of(w, i);
	cp_qsort(names, w->n, sizeof(*names), str_cmp);
	if (d == NULL && errno != ENOENT) {
		fprintf(stderr, "cpolc: cannot read '%s': %s\n", w->dir,
			strerror(errno));
		free(names);
		return false;
	}
	while (d != NULL && (de = readdir(d)) != NULL) {
		const char *suf = suffix_of(de->d_name), *key = de->d_name;
		bool ours = false;

		if (de->d_name[0] == '.' || *suf == '\0')
			continue;
		for (size_t i = 0; i < w->nsuffixes && !ours; i++)
			ours = strcmp(w->suffixes[i], suf) == 0;
		if (!ours ||
		    bsearch(&key, names, w->n, sizeof(*names), str_cmp) != NULL)
			continue;
		cp_xgrow(&stale, &cap, nstale + 1, sizeof(*stale));
		stale[nstale++] = cp_xstrdup(de->d_name);
	}
	if (d != NULL)
		closedir(d);
	/* Directory order is the file system's: sort for a stable report. */
	cp_qsort(stale, nstale, sizeof(*stale), str_cmp);
	for (size_t i = 0; i < nstale; i++) {
		fprintf(w->report, "stale: %s/%s (no policy produces it)\n",
			w->dir, stale[i]);
		free(stale[i]);
		w->problems++;
	}
	free(stale);
	free(names);
	return true;
}

bool
cp_writer_commit(struct cp_writer *w, bool verbose, FILE *log)
{
	if (!w->ok)
		return false;
	if (w->compare)
		return report_stale(w);
	if (w->stage != NULL) {
		if (rename(w->stage, w->dir) != 0) {
			fprintf(stderr,
				"cpolc: cannot rename '%s' to '%s': %s\n",
				w->stage, w->dir, strerror(errno));
			w->ok = false;
			return false;
		}
		free(w->stage);
		w->stage = NULL;
		for (size_t i = 0; i < w->n; i++) {
			w->serial[i] = CP_NO_TEMP;
			if (verbose)
				fprintf(log, "wrote %s/%s\n", w->dir,
					name_of(w, i));
		}
		return true;
	}
	for (size_t i = 0; i < w->n; i++) {
		char *final = cp_xasprintf("%s/%s", w->dir, name_of(w, i));
		char *tmp = tmp_of(w, i);

		if (rename(tmp, final) != 0) {
			fprintf(stderr,
				"cpolc: cannot rename '%s' to '%s': "
				"%s\n",
				tmp, final, strerror(errno));
			free(tmp);
			free(final);
			w->ok = false;
			return false;
		}
		free(tmp);
		w->serial[i] = CP_NO_TEMP;
		if (verbose)
			fprintf(log, "wrote %s\n", final);
		free(final);
	}
	return true;
}

void
cp_writer_close(struct cp_writer *w)
{
	bool failed = !w->ok;

	/* Whatever is still a temporary was not put in place. */
	for (size_t i = 0; i < w->n; i++) {
		char *tmp = tmp_of(w, i);

		if (tmp != NULL) {
			unlink(tmp);
			failed = true;
		}
		free(tmp);
	}
	if (w->stage != NULL) {
		rmdir(w->stage);
		free(w->stage);
	}
	while (w->made.n > 0) {
		char *d = w->made.dirs[--w->made.n];

		if (failed)
			rmdir(d);
		free(d);
	}
	for (size_t i = 0; i < w->nsuffixes; i++)
		free(w->suffixes[i]);
	free(w->suffixes);
	free(w->made.dirs);
	free(w->name_at);
	free(w->serial);
	cp_buf_free(&w->pool);
	memset(w, 0, sizeof(*w));
}

bool
cp_replace_file(const char *path, const char *data, size_t len, int mode)
{
	const char *slash = strrchr(path, '/');
	char *prefix =
		slash ? cp_xasprintf("%.*s/.cpolc", (int)(slash - path), path)
		      : cp_xstrdup(".cpolc");
	char *tmp = NULL;
	unsigned long serial;
	int fd = create_temp(prefix, &tmp, &serial), err = 0;

	free(prefix);
	if (fd < 0)
		return false;
	if (!write_all(fd, data, len) ||
	    (mode >= 0 && fchmod(fd, (mode_t)mode) != 0))
		err = errno;
	/* Close once, whatever happened (see write_temp()). */
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = errno;
	if (err != 0)
		unlink(tmp);
	free(tmp);
	errno = err;
	return err == 0;
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
cp_write_depfile(const char *path, const struct cp_writer *w,
		 const struct cp_sources *srcs)
{
	struct cp_buf b = CP_BUF_INIT;
	bool ok;

	for (size_t i = 0; i < w->n; i++) {
		char *out = cp_xasprintf("%s/%s", w->dir, name_of(w, i));

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
	ok = cp_replace_file(path, b.data, b.len, -1);
	if (!ok)
		fprintf(stderr, "cpolc: cannot write '%s': %s\n", path,
			strerror(errno));
	cp_buf_free(&b);
	return ok;
}
