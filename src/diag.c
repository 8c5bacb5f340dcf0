/* The diagnostics queue and its GNU-style printer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cpolc/buf.h"
#include "cpolc/diag.h"
#include "cpolc/text.h"
#include "cpolc/util.h"

/* Longest stretch of a source line shown under a message, in characters. */
#define SHOW_WIDTH 120

void
cp_diags_init(struct cp_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void
cp_diags_free(struct cp_diags *d)
{
	for (size_t i = 0; i < d->nblocks; i++)
		free(d->blocks[i]);
	free(d->blocks);
	free(d->items);
	cp_diags_init(d);
}

/* A copy of s[0..n) among the messages' text. */
static char *
text_copy(struct cp_diags *d, const char *s, size_t n)
{
	char *p;

	if (n + 1 > d->room) {
		/* Blocks double from 512 bytes to 64 KB: a policy's few
		 * messages take little, a run's thousands few blocks. */
		size_t size =
			d->nblocks < 7 ? (size_t)512 << d->nblocks : 65536;

		if (size < n + 1)
			size = n + 1;

		cp_xgrow(&d->blocks, &d->blocks_cap, d->nblocks + 1,
			 sizeof(*d->blocks));
		d->blocks[d->nblocks++] = d->next = cp_xmalloc(size);
		d->room = size;
	}
	p = d->next;
	memcpy(p, s, n);
	p[n] = '\0';
	d->next += n + 1;
	d->room -= n + 1;
	return p;
}

/*
 * Count a message about to be recorded, or refuse it: an error past the
 * cap (and the notes that follow it), and the notes only -v prints when
 * they are not kept.  Messages taken from another queue pass here too,
 * so that the cap holds over the whole run.
 */
static bool
admit(struct cp_diags *d, enum cp_severity sev, bool verbose_only)
{
	bool is_error =
		sev == CP_SEV_ERROR || (sev == CP_SEV_WARNING && d->werror);

	if (sev == CP_SEV_NOTE && d->dropping)
		return false;
	if (verbose_only && d->quiet_notes)
		return false;
	if (sev != CP_SEV_NOTE)
		d->dropping = false;
	if (is_error) {
		if (d->nerrors >= CP_MAX_ERRORS) {
			d->truncated = true;
			d->dropping = true;
			return false;
		}
		d->nerrors++;
	} else if (sev == CP_SEV_WARNING) {
		d->nwarnings++;
	}
	return true;
}

/* Record a message admitted; its text is copied. */
static void
append(struct cp_diags *d, enum cp_severity sev, bool verbose_only,
       const struct cp_loc *loc, const char *msg, size_t len)
{
	struct cp_diag *it;

	cp_xgrow(&d->items, &d->cap, d->n + 1, sizeof(*d->items));
	it = &d->items[d->n++];
	it->sev = sev;
	it->verbose_only = verbose_only;
	if (loc != NULL)
		it->loc = *loc;
	else
		memset(&it->loc, 0, sizeof(it->loc));
	it->msg = text_copy(d, msg, len);
}

void
cp_diag_vadd(struct cp_diags *d, enum cp_severity sev, bool verbose_only,
	     const struct cp_loc *loc, const char *fmt, va_list ap)
{
	struct cp_buf b = CP_BUF_INIT;

	if (!admit(d, sev, verbose_only))
		return;
	cp_buf_vprintf(&b, fmt, ap);
	append(d, sev, verbose_only, loc, b.data, b.len);
	cp_buf_free(&b);
}

void
cp_diags_take(struct cp_diags *dst, const struct cp_diags *src,
	      bool (*keep)(const struct cp_diag *, void *), void *arg)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct cp_diag *it = &src->items[i];

		if ((keep == NULL || keep(it, arg)) &&
		    admit(dst, it->sev, it->verbose_only))
			append(dst, it->sev, it->verbose_only, &it->loc,
			       it->msg, strlen(it->msg));
	}
	if (src->truncated)
		dst->truncated = true;
}

void
cp_diag_add(struct cp_diags *d, enum cp_severity sev, const struct cp_loc *loc,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cp_diag_vadd(d, sev, false, loc, fmt, ap);
	va_end(ap);
}

bool
cp_diags_failed(const struct cp_diags *d)
{
	return d->nerrors > 0 || d->truncated;
}

/*
 * Where each line starts, per source, built on first use: a file with
 * many messages is not scanned from the top for each one.
 */
struct line_index {
	const struct cp_source *src;
	size_t *starts;
	size_t n;
};

struct line_cache {
	struct line_index *idx;
	size_t n, cap;
};

/* The start of line `line` (from 1) in src, or NULL. */
static const char *
line_start(struct line_cache *lc, const struct cp_source *src, unsigned line)
{
	struct line_index *li = NULL;

	for (size_t i = 0; i < lc->n; i++)
		if (lc->idx[i].src == src)
			li = &lc->idx[i];
	if (li == NULL) {
		size_t cap = 0;

		cp_xgrow(&lc->idx, &lc->cap, lc->n + 1, sizeof(*lc->idx));
		li = &lc->idx[lc->n++];
		li->src = src;
		li->starts = NULL;
		li->n = 0;
		cp_xgrow(&li->starts, &cap, 1, sizeof(*li->starts));
		li->starts[li->n++] = 0;
		for (size_t i = 0; i < src->len; i++) {
			if (src->text[i] != '\n')
				continue;
			cp_xgrow(&li->starts, &cap, li->n + 1,
				 sizeof(*li->starts));
			li->starts[li->n++] = i + 1;
		}
	}
	if (line == 0 || line > li->n)
		return NULL;
	return src->text + li->starts[line - 1];
}

static void
line_cache_free(struct line_cache *lc)
{
	for (size_t i = 0; i < lc->n; i++)
		free(lc->idx[i].starts);
	free(lc->idx);
}

/* Length in bytes of one UTF-8 character starting at p. */
static size_t
char_len(const char *p, const char *end)
{
	size_t n = 1;

	while (p + n < end && ((unsigned char)p[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/*
 * Echo the source line behind loc and a caret under its first column,
 * with `~` under the rest of the span on that line.  Tabs are copied into
 * the caret line so that the caret stays aligned however tabs are shown;
 * control characters are shown as '?' so that a hostile file cannot send
 * escape sequences to the terminal.
 */
static void
print_source(FILE *f, struct line_cache *lc, const struct cp_loc *loc)
{
	const struct cp_source *src = loc->src;
	const char *p, *end, *eol;
	unsigned first, last, col;
	struct cp_buf text = CP_BUF_INIT, mark = CP_BUF_INIT;

	if (src == NULL || loc->first_line == 0)
		return;
	p = line_start(lc, src, loc->first_line);
	if (p == NULL)
		return;
	end = src->text + src->len;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (eol == NULL)
		eol = end;
	if (eol > p && eol[-1] == '\r')
		eol--;
	first = loc->first_col ? loc->first_col : 1;
	last = loc->last_line == loc->first_line ? loc->last_col : first;
	if (last < first)
		last = first;
	if (last - first >= SHOW_WIDTH / 2)
		last = first + SHOW_WIDTH / 2 - 1;

	col = 1;
	/* Skip the start of a long line so that the caret stays in view. */
	if (first > SHOW_WIDTH - 20) {
		unsigned skip = first - SHOW_WIDTH / 2;

		while (p < eol && col < skip) {
			p += char_len(p, eol);
			col++;
		}
		cp_buf_puts(&text, "...");
		cp_buf_puts(&mark, "   ");
	}
	for (unsigned shown = 0; p < eol && shown < SHOW_WIDTH; shown++) {
		size_t n = char_len(p, eol);
		unsigned char c = (unsigned char)*p;

		size_t bad;

		if (c == '\t')
			cp_buf_putc(&text, '\t');
		else if (c < 0x20 || c == 0x7f || !cp_utf8_valid(p, n, &bad) ||
			 (c == 0xc2 && n == 2 && (unsigned char)p[1] < 0xa0))
			cp_buf_putc(&text, '?');
		else
			cp_buf_add(&text, p, n);
		if (col < first)
			cp_buf_putc(&mark, c == '\t' ? '\t' : ' ');
		else if (col == first)
			cp_buf_putc(&mark, '^');
		else if (col <= last)
			cp_buf_putc(&mark, '~');
		p += n;
		col++;
	}
	if (p < eol)
		cp_buf_puts(&text, "...");
	/* A caret just past the end of the line (a missing ';'). */
	while (col <= first) {
		cp_buf_putc(&mark, col == first ? '^' : ' ');
		col++;
	}
	fprintf(f, "%s\n%s\n", text.data ? text.data : "", mark.data);
	cp_buf_free(&text);
	cp_buf_free(&mark);
}

static void
print_one(FILE *f, struct line_cache *lc, const struct cp_diag *it, bool werror)
{
	const char *what = "error";
	const char *suffix = "";
	/* A file named on the command line may hold anything. */
	char *name = it->loc.src ? cp_text_printable(it->loc.src->name) : NULL;

	switch (it->sev) {
	case CP_SEV_NOTE:
		what = "note";
		break;
	case CP_SEV_WARNING:
		what = werror ? "error" : "warning";
		suffix = werror ? " [-Werror]" : "";
		break;
	case CP_SEV_ERROR:
		break;
	}
	if (name != NULL && it->loc.first_line > 0)
		fprintf(f, "%s:%u:%u: %s: %s%s\n", name, it->loc.first_line,
			it->loc.first_col, what, it->msg, suffix);
	else if (name != NULL)
		fprintf(f, "%s: %s: %s%s\n", name, what, it->msg, suffix);
	else
		fprintf(f, "cpolc: %s: %s%s\n", what, it->msg, suffix);
	free(name);
	print_source(f, lc, &it->loc);
}

/* A message with the notes that follow it: sorted as one. */
struct unit {
	const struct cp_diag *head;
	size_t first, count;
};

static int
unit_cmp(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	const struct cp_loc *l = &x->head->loc, *m = &y->head->loc;
	size_t lo = l->src ? l->src->order + 1 : 0;
	size_t mo = m->src ? m->src->order + 1 : 0;

	if (lo != mo)
		return lo < mo ? -1 : 1;
	if (l->first_line != m->first_line)
		return l->first_line < m->first_line ? -1 : 1;
	if (l->first_col != m->first_col)
		return l->first_col < m->first_col ? -1 : 1;
	/* Equal places keep the order they were recorded in. */
	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * Print in source order rather than in the order the stages found
 * things: a reader fixes a file from the top.
 */
void
cp_diags_print(const struct cp_diags *d, FILE *f, bool verbose, bool quiet)
{
	struct unit *units = cp_xcalloc(d->n ? d->n : 1, sizeof(*units));
	struct line_cache lc = {0};
	size_t nunits = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct cp_diag *it = &d->items[i];

		if (it->sev == CP_SEV_NOTE && !it->verbose_only && nunits > 0) {
			units[nunits - 1].count++;
			continue;
		}
		units[nunits].head = it;
		units[nunits].first = i;
		units[nunits].count = 1;
		nunits++;
	}
	cp_qsort(units, nunits, sizeof(*units), unit_cmp);
	for (size_t u = 0; u < nunits; u++) {
		const struct cp_diag *it = units[u].head;
		bool show;

		if (it->verbose_only)
			show = verbose;
		else if (it->sev == CP_SEV_WARNING && !d->werror)
			show = !quiet;
		else
			show = true;
		if (!show)
			continue;
		for (size_t k = 0; k < units[u].count; k++)
			print_one(f, &lc, &d->items[units[u].first + k],
				  d->werror);
	}
	free(units);
	line_cache_free(&lc);
	if (d->truncated)
		fprintf(f, "cpolc: too many errors (more than %d); stopping\n",
			CP_MAX_ERRORS);
}
