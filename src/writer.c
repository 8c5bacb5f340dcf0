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
