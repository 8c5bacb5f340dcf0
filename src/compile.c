/*
 * Reading sources: the files named on the command line and, depth
 * first, everything they include.  Each file is read once, however many
 * times it is included; an include that leads back to a file still
 * being read is a cycle, reported with its chain.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "parse.h"

/* Reasons of our own, beside errno values, for read_error(). */
#define ENOTREG	    (-1)
#define ENOTPOL	    (-2)
#define ENOTPOLLINK (-3)

struct loaded {
	dev_t dev;
	ino_t ino;
	bool done; /* false while the file and its includes are read */
	size_t src_index;
};

struct loader {
	struct cp_sources *srcs;
	struct cp_diags *diags;
	struct loaded *files;
	size_t nfiles, cap;
	/* files by inode: index + 1, 0 for an empty slot */
	size_t *by_inode;
	size_t by_inode_cap;
	/* The chain of includes being read, for cycle messages. */
	const struct cp_source *stack[CP_MAX_INCLUDE_DEPTH + 1];
	unsigned depth;
	/* Parsed files in the order read. */
	struct ast_file **asts;
	size_t nasts, asts_cap;
	/* The files of the command line, read and parsed ahead, or NULL. */
	struct preparsed *pre;
};

/*
 * A file of the command line read and parsed by a thread of its own,
 * before the loader (which follows includes, and keeps the order every
 * source and message would have had) takes it.
 */
struct preparsed {
	const char *path;
	int err;	       /* of reading, or 0 */
	struct stat st;	       /* when err is 0 */
	struct cp_source *src; /* not yet in the sources */
	struct ast_file *ast;  /* NULL when its text was refused */
	struct cp_diags diags;
};

void
cp_sources_free(struct cp_sources *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i]->name);
		free(s->items[i]->text);
		free(s->items[i]);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static struct cp_source *
new_source(const char *name, char *text, size_t len)
{
	struct cp_source *src = cp_xcalloc(1, sizeof(*src));

	src->name = cp_xstrdup(name);
	src->text = text;
	src->len = len;
	return src;
}

/* Number src in read order, for messages, and keep it. */
static struct cp_source *
push_source(struct cp_sources *srcs, struct cp_source *src)
{
	src->order = srcs->n;
	cp_xgrow(&srcs->items, &srcs->cap, srcs->n + 1, sizeof(*srcs->items));
	srcs->items[srcs->n++] = src;
	return src;
}

static struct cp_source *
add_source(struct cp_sources *srcs, const char *name, char *text, size_t len)
{
	return push_source(srcs, new_source(name, text, len));
}

/* The location of byte offset off in src, one character wide. */
static struct cp_loc
loc_at(const struct cp_source *src, size_t off)
{
	struct cp_loc loc = {src, 1, 1, 1, 1};
	size_t bol = 0;

	for (size_t i = 0; i < off; i++) {
		if (src->text[i] == '\n') {
			loc.first_line++;
			bol = i + 1;
		}
	}
	loc.first_col = (unsigned)cp_utf8_count(src->text + bol, off - bol) + 1;
	loc.last_line = loc.first_line;
	loc.last_col = loc.first_col;
	return loc;
}

/*
 * The text must be UTF-8 without NUL: a NUL would cut strings short in
 * every later stage, and every output format expects UTF-8.
 */
static bool
check_text(const struct cp_source *src, struct cp_diags *d)
{
	const char *nul = memchr(src->text, '\0', src->len);
	size_t bad;

	if (nul != NULL) {
		struct cp_loc loc = loc_at(src, (size_t)(nul - src->text));

		cp_error(d, &loc, "NUL byte in the policy text");
		return false;
	}
	if (!cp_utf8_valid(src->text, src->len, &bad)) {
		struct cp_loc loc = loc_at(src, bad);

		cp_error(d, &loc, "the policy text is not valid UTF-8");
		return false;
	}
	return true;
}

/* Open a file to read: 0 with *fd open and *st set, or an errno value. */
static int
open_source(const char *path, int *fd, struct stat *st)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int err = 0;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (*fd < 0)
		return errno;
	if (fstat(*fd, st) != 0)
		err = errno;
	if (err != 0) {
		close(*fd);
		*fd = -1;
	}
	return err;
}

/*
 * Read an open regular file whole, and close it.  Returns 0, or an
 * errno value; EFBIG when it is past CP_MAX_SOURCE_BYTES.
 */
static int
read_source(int fd, const struct stat *st, char **text, size_t *len)
{
	struct cp_buf b = CP_BUF_INIT;
	int err = 0;

	if (S_ISDIR(st->st_mode))
		err = EISDIR;
	/* Devices, FIFOs and sockets never end, or end when they like. */
	else if (!S_ISREG(st->st_mode))
		err = ENOTREG;
	if (err != 0) {
		close(fd);
		return err;
	}

	/* The size is known: one read usually does, with no regrowth. */
	if (st->st_size > 0 && st->st_size <= (off_t)CP_MAX_SOURCE_BYTES)
		cp_buf_reserve(&b, (size_t)st->st_size + 1);
	err = cp_buf_read_fd(&b, fd, CP_MAX_SOURCE_BYTES);
	close(fd);
	if (err != 0) {
		cp_buf_free(&b);
		return err;
	}
	*len = b.len;
	*text = cp_buf_take(&b);
	/* Sources are kept until the end, for messages: keep no slack. */
	{
		char *trimmed = realloc(*text, *len + 1);

		if (trimmed != NULL)
			*text = trimmed;
	}
	return 0;
}

static int
read_file(const char *path, char **text, size_t *len, struct stat *st)
{
	int fd, err = open_source(path, &fd, st);

	return err != 0 ? err : read_source(fd, st, text, len);
}

static const char *
read_error(int err)
{
	static char msg[64];

	if (err == ENOTREG)
		return "not a regular file";
	if (err == ENOTPOL)
		return "an included file's name must end in '.pol'";
	if (err == ENOTPOLLINK)
		return "it is a link to a file whose name does not end in "
		       "'.pol'";
	if (err == EFBIG) {
		snprintf(msg, sizeof(msg), "larger than %u MiB",
			 CP_MAX_SOURCE_BYTES >> 20);
		return msg;
	}
	return strerror(err);
}

/* An include's path, relative to the directory of the including file. */
static char *
include_path(const char *from, const char *path)
{
	const char *slash = strrchr(from, '/');

	if (path[0] == '/' || slash == NULL)
		return cp_xstrdup(path);
	return cp_xasprintf("%.*s/%s", (int)(slash - from), from, path);
}

/*
 * An include names a policy file: its name, and the name of the file it
 * resolves to through any link, end in ".pol".  Otherwise a hostile
 * policy could include /etc/shadow and have the diagnostics quote it.
 */
static bool
ends_in_pol(const char *s)
{
	size_t n = strlen(s);

	return n > 4 && strcmp(s + n - 4, ".pol") == 0;
}

static int
check_include_name(const char *path)
{
	char *real;
	bool ok;

	if (!ends_in_pol(path))
		return ENOTPOL;
	real = realpath(path, NULL);
	if (real == NULL)
		return errno;
	ok = ends_in_pol(real);
	free(real);
	return ok ? 0 : ENOTPOLLINK;
}

static size_t
inode_hash(dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ull) ^ (uint64_t)ino;

	return (size_t)(h ^ (h >> 29));
}

/* The file already read with this inode, or NULL. */
static struct loaded *
find_loaded(const struct loader *ld, const struct stat *st)
{
	if (ld->by_inode_cap == 0)
		return NULL;
	for (size_t k = inode_hash(st->st_dev, st->st_ino);;
	     k = (k + 1) % ld->by_inode_cap) {
		size_t at = ld->by_inode[k % ld->by_inode_cap];
		struct loaded *f;

		if (at == 0)
			return NULL;
		f = &ld->files[at - 1];
		if (f->dev == st->st_dev && f->ino == st->st_ino)
			return f;
	}
}

/* Index files[i]: a table kept at most half full. */
static void
index_loaded(struct loader *ld, size_t i)
{
	if (2 * (ld->nfiles + 1) > ld->by_inode_cap) {
		size_t cap = ld->by_inode_cap ? 2 * ld->by_inode_cap : 64;

		free(ld->by_inode);
		ld->by_inode = cp_xcalloc(cap, sizeof(*ld->by_inode));
		ld->by_inode_cap = cap;
		for (size_t j = 0; j < ld->nfiles; j++)
			if (j != i)
				index_loaded(ld, j);
	}
	for (size_t k = inode_hash(ld->files[i].dev, ld->files[i].ino) %
			ld->by_inode_cap;
	     ; k = (k + 1) % ld->by_inode_cap) {
		if (ld->by_inode[k] == 0) {
			ld->by_inode[k] = i + 1;
			return;
		}
	}
}

static void load_includes(struct loader *ld, struct ast_file *f);

static void
parse_and_follow(struct loader *ld, struct cp_source *src)
{
	struct ast_file *f;

	if (!check_text(src, ld->diags))
		return;
	f = cp_parse_source(src, ld->diags);
	cp_xgrow(&ld->asts, &ld->asts_cap, ld->nasts + 1, sizeof(*ld->asts));
	ld->asts[ld->nasts++] = f;
	ld->stack[ld->depth++] = src;
	load_includes(ld, f);
	ld->depth--;
}

/*
 * Load one file, unless it was loaded already.  from is NULL for a file
 * named on the command line; otherwise the include that names it.
 * Returns false on an I/O error for a command-line file.
 */
static bool
load(struct loader *ld, const char *path, const struct ast_include *from)
{
	struct stat st;
	char *text;
	size_t len, slot;
	int err;
	struct cp_source *src;

	int fd = -1;
	struct loaded *seen = NULL;

	err = from != NULL && !ends_in_pol(path) ? ENOTPOL : 0;
	if (err == 0)
		err = open_source(path, &fd, &st);
	/* A file read already (a template every service includes) is
	 * neither checked nor read again: its inode says which it is. */
	if (err == 0)
		seen = find_loaded(ld, &st);
	if (err == 0 && !seen && from != NULL)
		err = check_include_name(path);
	if (err == 0 && !seen)
		err = read_source(fd, &st, &text, &len);
	else if (fd >= 0)
		close(fd);
	if (err != 0) {
		if (from == NULL) {
			char *shown = cp_text_printable(path);

			fprintf(stderr, "cpolc: cannot read '%s': %s\n", shown,
				read_error(err));
			free(shown);
			return false;
		}
		cp_error(ld->diags, &from->path->loc, "cannot read '%s': %s",
			 path, read_error(err));
		return true;
	}
	if (seen != NULL) {
		if (seen->done || from == NULL)
			return true; /* read once */
		/* Still being read: the include closes a cycle. */
		{
			struct cp_buf chain = CP_BUF_INIT;
			const struct cp_source *target =
				ld->srcs->items[seen->src_index];
			unsigned k = 0;

			while (k < ld->depth && ld->stack[k] != target)
				k++;
			for (; k < ld->depth; k++)
				cp_buf_printf(&chain, "%s -> ",
					      ld->stack[k]->name);
			cp_buf_puts(&chain, path);
			cp_error(ld->diags, &from->path->loc,
				 "include cycle: %s", chain.data);
			cp_buf_free(&chain);
		}
		return true;
	}
	if (from != NULL && ld->depth >= CP_MAX_INCLUDE_DEPTH) {
		free(text);
		cp_error(ld->diags, &from->path->loc,
			 "includes nested deeper than %d files",
			 CP_MAX_INCLUDE_DEPTH);
		return true;
	}
	src = add_source(ld->srcs, path, text, len);
	cp_xgrow(&ld->files, &ld->cap, ld->nfiles + 1, sizeof(*ld->files));
	slot = ld->nfiles++;
	ld->files[slot].dev = st.st_dev;
	ld->files[slot].ino = st.st_ino;
	ld->files[slot].done = false;
	ld->files[slot].src_index = ld->srcs->n - 1;
	index_loaded(ld, slot);
	parse_and_follow(ld, src);
	ld->files[slot].done = true;
	return true;
}

static void
load_includes(struct loader *ld, struct ast_file *f)
{
	for (struct ast_include *i = f->includes; i != NULL; i = i->next) {
		char *path;

		if (i->path->text[0] == '\0' || cp_has_control(i->path->text)) {
			cp_error(ld->diags, &i->path->loc,
				 "an include needs a file name without "
				 "control characters");
			continue;
		}
		path = include_path(f->src->name, i->path->text);
		load(ld, path, i);
		free(path);
	}
}

static enum cp_compile_status
finish(struct loader *ld, bool io_ok, const struct cp_policy_sink *sink)
{
	enum cp_compile_status st = CP_COMPILE_OK;

	if (!io_ok)
		st = CP_COMPILE_IO;
	else if (!cp_resolve(ld->asts, ld->nasts, ld->diags, sink))
		st = CP_COMPILE_ERRORS;
	for (size_t i = 0; i < ld->nasts; i++)
		ast_file_free(ld->asts[i]);
	free(ld->asts);
	free(ld->files);
	free(ld->by_inode);
	return st;
}

/* The sink behind the set versions: keep every policy. */
static void
collect(struct cp_policy *p, void *arg)
{
	struct cp_policy_set *set = arg;

	cp_xgrow(&set->policies, &set->cap, set->npolicies + 1,
		 sizeof(*set->policies));
	set->policies[set->npolicies++] = *p;
}

static enum cp_compile_status
finish_set(struct loader *ld, bool io_ok, struct cp_policy_set *set)
{
	const struct cp_policy_sink sink = {collect, set};
	enum cp_compile_status st;

	memset(set, 0, sizeof(*set));
	st = finish(ld, io_ok, &sink);
	if (st != CP_COMPILE_OK)
		cp_policy_set_free(set);
	return st;
}

/* Read and parse one file of the command line; any thread. */
static void
preparse(struct preparsed *pp, bool werror)
{
	char *text;
	size_t len;
	int fd;

	cp_diags_init(&pp->diags);
	pp->diags.werror = werror;
	pp->err = open_source(pp->path, &fd, &pp->st);
	if (pp->err == 0)
		pp->err = read_source(fd, &pp->st, &text, &len);
	if (pp->err != 0)
		return;
	pp->src = new_source(pp->path, text, len);
	if (check_text(pp->src, &pp->diags))
		pp->ast = cp_parse_source(pp->src, &pp->diags);
}

struct preparse_pool {
	struct preparsed *pre;
	size_t n;
	bool werror;
	atomic_size_t next;
};

static void *
preparse_worker(void *arg)
{
	struct preparse_pool *pool = arg;

	for (;;) {
		size_t i = atomic_fetch_add(&pool->next, 1);

		if (i >= pool->n)
			return NULL;
		preparse(&pool->pre[i], pool->werror);
	}
}

/* Read and parse every file of the command line on jobs threads. */
static struct preparsed *
preparse_all(const char *const *files, size_t n, unsigned jobs, bool werror)
{
	struct preparse_pool pool;
	pthread_t threads[CP_MAX_THREADS];
	unsigned started = 0;

	pool.pre = cp_xcalloc(n, sizeof(*pool.pre));
	pool.n = n;
	pool.werror = werror;
	atomic_init(&pool.next, 0);
	for (size_t i = 0; i < n; i++)
		pool.pre[i].path = files[i];
	if (jobs > CP_MAX_THREADS)
		jobs = CP_MAX_THREADS;
	/* This thread is one of the jobs. */
	while (started + 1 < jobs &&
	       pthread_create(&threads[started], NULL, preparse_worker,
			      &pool) == 0)
		started++;
	preparse_worker(&pool);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	return pool.pre;
}

/* Take a file read ahead, as load() would have read it. */
static bool
load_preparsed(struct loader *ld, struct preparsed *pp)
{
	size_t slot;

	if (pp->err != 0) {
		char *shown = cp_text_printable(pp->path);

		fprintf(stderr, "cpolc: cannot read '%s': %s\n", shown,
			read_error(pp->err));
		free(shown);
		return false;
	}
	if (find_loaded(ld, &pp->st) != NULL)
		return true; /* named twice, or included already */
	push_source(ld->srcs, pp->src);
	cp_xgrow(&ld->files, &ld->cap, ld->nfiles + 1, sizeof(*ld->files));
	slot = ld->nfiles++;
	ld->files[slot].dev = pp->st.st_dev;
	ld->files[slot].ino = pp->st.st_ino;
	ld->files[slot].done = false;
	ld->files[slot].src_index = ld->srcs->n - 1;
	index_loaded(ld, slot);
	cp_diags_take(ld->diags, &pp->diags, NULL, NULL);
	if (pp->ast != NULL) {
		cp_xgrow(&ld->asts, &ld->asts_cap, ld->nasts + 1,
			 sizeof(*ld->asts));
		ld->asts[ld->nasts++] = pp->ast;
		ld->stack[ld->depth++] = pp->src;
		load_includes(ld, pp->ast);
		ld->depth--;
	}
	ld->files[slot].done = true;
	pp->src = NULL;
	pp->ast = NULL;
	return true;
}

static void
preparsed_free(struct preparsed *pre, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* What the loader did not take: a file named twice, or
		 * after one that could not be read. */
		ast_file_free(pre[i].ast);
		if (pre[i].src != NULL) {
			free(pre[i].src->name);
			free(pre[i].src->text);
			free(pre[i].src);
		}
		cp_diags_free(&pre[i].diags);
	}
	free(pre);
}

static bool
load_all(struct loader *ld, const char *const *files, size_t n,
	 struct cp_sources *srcs, struct cp_diags *d, unsigned jobs)
{
	struct preparsed *pre = NULL;
	bool io_ok = true;

	ld->srcs = srcs;
	ld->diags = d;
	/* Reading and parsing a file depends on nothing else: with many
	 * files and threads to spare, it is done ahead, all at once (a
	 * few files are read sooner than a thread starts).  Traces of the
	 * scanner and parser would interleave: not then. */
	if (jobs > 1 && n >= 8 && cp_parse_debug == 0)
		pre = preparse_all(files, n, jobs, d->werror);
	for (size_t i = 0; i < n && io_ok; i++)
		io_ok = pre ? load_preparsed(ld, &pre[i])
			    : load(ld, files[i], NULL);
	if (pre != NULL)
		preparsed_free(pre, n);
	return io_ok;
}

enum cp_compile_status
cp_compile_files_to(const char *const *files, size_t n, struct cp_sources *srcs,
		    struct cp_diags *d, const struct cp_policy_sink *sink,
		    unsigned jobs)
{
	struct loader ld = {0};
	bool io_ok = load_all(&ld, files, n, srcs, d, jobs);

	return finish(&ld, io_ok, sink);
}

enum cp_compile_status
cp_compile_files(const char *const *files, size_t n, struct cp_sources *srcs,
		 struct cp_diags *d, struct cp_policy_set *set)
{
	struct loader ld = {0};
	bool io_ok = load_all(&ld, files, n, srcs, d, 1);

	return finish_set(&ld, io_ok, set);
}

enum cp_compile_status
cp_compile_buffer(const char *name, const char *text, size_t len,
		  struct cp_sources *srcs, struct cp_diags *d,
		  struct cp_policy_set *set)
{
	struct loader ld = {0};
	struct cp_source *src;
	char *copy = cp_xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	ld.srcs = srcs;
	ld.diags = d;
	src = add_source(srcs, name, copy, len);
	if (check_text(src, d)) {
		struct ast_file *f = cp_parse_source(src, d);

		cp_xgrow(&ld.asts, &ld.asts_cap, 1, sizeof(*ld.asts));
		ld.asts[ld.nasts++] = f;
		for (struct ast_include *i = f->includes; i; i = i->next)
			cp_error(d, &i->path->loc,
				 "cannot read '%s': includes are not "
				 "followed here",
				 i->path->text);
	}
	return finish_set(&ld, true, set);
}

enum cp_compile_status
cp_parse_file(const char *path, struct cp_sources *srcs, struct cp_diags *d)
{
	struct stat st;
	char *text;
	size_t len;
	int err = read_file(path, &text, &len, &st);
	struct cp_source *src;

	if (err != 0) {
		char *shown = cp_text_printable(path);

		fprintf(stderr, "cpolc: cannot read '%s': %s\n", shown,
			read_error(err));
		free(shown);
		return CP_COMPILE_IO;
	}
	src = add_source(srcs, path, text, len);
	if (check_text(src, d))
		ast_file_free(cp_parse_source(src, d));
	return cp_diags_failed(d) ? CP_COMPILE_ERRORS : CP_COMPILE_OK;
}
