/*
 * cpolc fmt FILE...: one canonical layout for policy files.
 *
 * The formatter reprints the file's own tokens, each exactly as written,
 * with canonical white space between them: four spaces per level, one
 * statement a line, a space after each comma and around "->", none
 * before ';', ',' or ':', a blank line between declarations, at most
 * one blank line wherever the author left some, comments kept where
 * they were (at the end of a line, or alone on one).  A statement longer
 * than 80 columns breaks after a comma, continued eight spaces in.
 *
 * Since only white space changes, what the file means cannot: before
 * anything is printed or written, the formatted text is scanned again
 * and its tokens compared with the original's, one by one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "compile.h"
#include "cpolc/buf.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "emit.h"
#include "parse.h"
#include "parser.h"

#define INDENT 4
#define WIDTH  80

struct printer {
	struct cp_buf out;
	size_t col;	 /* characters on the current line */
	bool line_start; /* nothing on the current line yet */
	unsigned depth;	 /* brace depth */
	bool in_stmt;	 /* inside a statement (or a header) */
	bool continued;	 /* the statement has wrapped already */
	const struct cp_token *prev;
	bool prev_own_line; /* prev is a comment alone on its line */
};

static void
newline(struct printer *pr)
{
	if (!pr->line_start)
		cp_buf_putc(&pr->out, '\n');
	pr->line_start = true;
	pr->col = 0;
}

/* Take back the line break just printed: a comment trails that line. */
static void
unnewline(struct printer *pr)
{
	struct cp_buf *b = &pr->out;
	size_t bol;

	if (!pr->line_start || b->len == 0 || b->data[b->len - 1] != '\n')
		return;
	b->data[--b->len] = '\0';
	bol = b->len;
	while (bol > 0 && b->data[bol - 1] != '\n')
		bol--;
	pr->col = cp_utf8_count(b->data + bol, b->len - bol);
	pr->line_start = false;
}

static void
blank_line(struct printer *pr)
{
	newline(pr);
	if (pr->out.len >= 2 && pr->out.data[pr->out.len - 2] != '\n')
		cp_buf_putc(&pr->out, '\n');
}

static void
indent(struct printer *pr, unsigned extra)
{
	unsigned n = pr->depth * INDENT + extra;

	for (unsigned i = 0; i < n; i++)
		cp_buf_putc(&pr->out, ' ');
	pr->col = n;
	pr->line_start = false;
}

static void
put(struct printer *pr, const char *s, size_t n)
{
	cp_buf_add(&pr->out, s, n);
	pr->col += cp_utf8_count(s, n);
	pr->line_start = false;
}

/* Whether a space goes between tokens a and b on one line. */
static bool
spaced(const struct cp_token *a, const struct cp_token *b)
{
	if (b->kind == ';' || b->kind == ',' || b->kind == ':')
		return false;
	if (a->kind == ':')
		return false;
	return true;
}

/* The width of the statement from token i on, up to its end. */
static size_t
rest_width(const struct cp_source *src, const struct cp_token *t, size_t n,
	   size_t i)
{
	size_t w = 0;

	for (; i < n; i++) {
		if (t[i].comment)
			break;
		w += cp_utf8_count(src->text + t[i].byte, t[i].len) + 1;
		if (t[i].kind == ';' || t[i].kind == ',' || t[i].kind == '{')
			break;
	}
	return w;
}

static void
format(const struct cp_source *src, const struct cp_token *t, size_t n,
       struct cp_buf *out)
{
	struct printer pr = {CP_BUF_INIT, 0,	 true, 0,
			     false,	  false, NULL, false};

	for (size_t i = 0; i < n; i++) {
		const struct cp_token *tok = &t[i];
		const char *text = src->text + tok->byte;
		bool gap = pr.prev != NULL &&
			   tok->loc.first_line > pr.prev->loc.last_line + 1;

		if (tok->comment) {
			bool trailing =
				pr.prev != NULL &&
				tok->loc.first_line == pr.prev->loc.last_line;

			if (trailing) {
				unnewline(&pr);
				put(&pr, "  ", 2);
			} else {
				/* A comment between declarations belongs to
				 * the one that follows: the blank goes above. */
				if (!pr.in_stmt && pr.prev != NULL &&
				    (gap ||
				     (pr.depth == 0 && pr.prev->kind == '}')))
					blank_line(&pr);
				newline(&pr);
				indent(&pr, pr.in_stmt ? 2 * INDENT : 0);
			}
			put(&pr, text, tok->len);
			newline(&pr);
			if (pr.in_stmt)
				pr.continued = true;
			pr.prev = tok;
			pr.prev_own_line = !trailing;
			continue;
		}
		if (tok->kind == '}') {
			if (pr.depth > 0)
				pr.depth--;
			newline(&pr);
			indent(&pr, 0);
			put(&pr, "}", 1);
			newline(&pr);
			pr.in_stmt = false;
			pr.prev = tok;
			continue;
		}
		if (!pr.in_stmt) {
			/* A new statement, include or declaration. */
			if (pr.prev != NULL && pr.depth == 0 &&
			    !(pr.prev->comment && pr.prev_own_line) &&
			    (tok->kind == POLICY || tok->kind == TEMPLATE ||
			     pr.prev->kind == '}'))
				blank_line(&pr);
			else if (gap && pr.prev != NULL && pr.prev->kind != '{')
				blank_line(&pr);
			newline(&pr);
			indent(&pr, 0);
			put(&pr, text, tok->len);
			pr.in_stmt = true;
			pr.continued = false;
		} else if (pr.line_start) {
			/* After a comment inside a statement. */
			indent(&pr, 2 * INDENT);
			put(&pr, text, tok->len);
		} else if (pr.prev->kind == ',' &&
			   pr.col + rest_width(src, t, n, i) > WIDTH) {
			newline(&pr);
			indent(&pr, 2 * INDENT);
			put(&pr, text, tok->len);
			pr.continued = true;
		} else {
			if (spaced(pr.prev, tok))
				put(&pr, " ", 1);
			put(&pr, text, tok->len);
		}
		if (tok->kind == '{') {
			pr.depth++;
			pr.in_stmt = false;
			newline(&pr);
		} else if (tok->kind == ';') {
			pr.in_stmt = false;
			newline(&pr);
		}
		pr.prev = tok;
	}
	newline(&pr);
	*out = pr.out;
}

/* The same tokens, with the same text, in the same order. */
static bool
same_tokens(const struct cp_source *a, const struct cp_token *ta, size_t na,
	    const struct cp_source *b, const struct cp_token *tb, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (ta[i].kind != tb[i].kind || ta[i].len != tb[i].len ||
		    memcmp(a->text + ta[i].byte, b->text + tb[i].byte,
			   ta[i].len) != 0)
			return false;
	return true;
}

/*
 * Format one file into *out.  Returns 0, 1 when the file has errors
 * (printed), 2 when it cannot be read.
 */
static int
format_file(const char *path, struct cp_buf *out, struct cp_sources *srcs)
{
	struct cp_diags d;
	struct cp_token *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0;
	const struct cp_source *src;
	struct cp_source again = {0};
	enum cp_compile_status st;
	int rc = 0;

	/* fmt formats only what parses; what the file means (and what
	 * its includes say) is for the compiler and lint to judge. */
	cp_diags_init(&d);
	st = cp_parse_file(path, srcs, &d);
	cp_diags_print(&d, stderr, false, true);
	cp_diags_free(&d);
	if (st != CP_COMPILE_OK)
		return st == CP_COMPILE_IO ? 2 : 1;
	src = srcs->items[0];
	cp_diags_init(&d);
	cp_lex_tokens(src, &d, &ta, &na);
	format(src, ta, na, out);
	again.name = src->name;
	again.text = out->data;
	again.len = out->len;
	cp_lex_tokens(&again, &d, &tb, &nb);
	if (cp_diags_failed(&d) || !same_tokens(src, ta, na, &again, tb, nb)) {
		/* A bug in the formatter, never the user's: keep the file. */
		fprintf(stderr,
			"cpolc fmt: internal error: formatting '%s' would "
			"change its tokens; left as it is\n",
			path);
		rc = 2;
	}
	cp_diags_free(&d);
	free(ta);
	free(tb);
	return rc;
}

/* Replace path's contents, all or nothing, keeping its mode. */
static bool
rewrite(const char *path, const struct cp_buf *text)
{
	struct stat st;
	int mode = stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;

	if (cp_replace_file(path, text->data, text->len, mode))
		return true;
	fprintf(stderr, "cpolc fmt: cannot write '%s': %s\n", path,
		strerror(errno));
	return false;
}

int
cp_cmd_fmt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"check", no_argument, NULL, 'c'},
		{"in-place", no_argument, NULL, 'i'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool check = false, in_place = false;
	int c, rc = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = true;
			break;
		case 'i':
			in_place = true;
			break;
		case 'h':
			puts("Usage: cpolc fmt [-i | --check] FILE...\n"
			     "Print each policy file in cpolc's one layout, "
			     "comments kept.\n"
			     "  -i, --in-place  rewrite the files instead\n"
			     "      --check     list the files that would "
			     "change; exit 1 if any\n"
			     "Exit status: 0 success (nothing to change, for "
			     "--check), 1 a file would\n"
			     "change or does not compile, 2 usage and file "
			     "errors.");
			return 0;
		default:
			cp_cmd_usage("fmt", "unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		cp_cmd_usage("fmt", "no policy file given", NULL);
	if (check && in_place)
		cp_cmd_usage("fmt", "-i and --check exclude each other", NULL);
	for (int i = optind; i < argc; i++) {
		struct cp_sources srcs = {0};
		struct cp_buf out = CP_BUF_INIT;
		int frc = format_file(argv[i], &out, &srcs);

		if (frc != 0) {
			if (frc > rc)
				rc = frc;
		} else {
			const struct cp_source *src = srcs.items[0];
			bool changed =
				src->len != out.len ||
				memcmp(src->text, out.data, out.len) != 0;

			if (check && changed) {
				char *shown = cp_text_printable(argv[i]);

				printf("%s\n", shown);
				free(shown);
				if (rc == 0)
					rc = 1;
			} else if (in_place && changed) {
				if (!rewrite(argv[i], &out))
					rc = 2;
			} else if (!check && !in_place) {
				fwrite(out.data, 1, out.len, stdout);
			}
		}
		cp_buf_free(&out);
		cp_sources_free(&srcs);
	}
	return rc;
}
