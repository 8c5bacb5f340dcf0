/*
 * cpolc diff OLD NEW: what a change grants or takes away, in policy
 * terms, after every template is resolved.  A reviewer sees
 *
 *   policy web:
 *   + capability net_admin
 *   - write /var/log/app.log
 *   ~ limit memory 256M → 1G
 *
 * rather than a textual diff of files whose meaning depends on other
 * files.  Exit status as diff(1): 0 the same, 1 different, 2 trouble.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compile.h"
#include "cpolc/util.h"
#include "dump.h"

struct side {
	struct cp_sources srcs;
	struct cp_diags diags;
	struct cp_policy_set set;
};

static bool
load_side(struct side *s, const char *file)
{
	const char *files[1] = {file};

	cp_diags_init(&s->diags);
	memset(&s->srcs, 0, sizeof(s->srcs));
	if (cp_compile_files(files, 1, &s->srcs, &s->diags, &s->set) ==
	    CP_COMPILE_OK)
		return true;
	cp_diags_print(&s->diags, stderr, false, true);
	return false;
}

static void
free_side(struct side *s)
{
	cp_policy_set_free(&s->set);
	cp_diags_free(&s->diags);
	cp_sources_free(&s->srcs);
}

static const struct cp_stmt *
find(const struct cp_stmts *st, const char *key)
{
	for (size_t i = 0; i < st->n; i++)
		if (strcmp(st->v[i].key, key) == 0)
			return &st->v[i];
	return NULL;
}

/* A scalar's value: its text without the key ("limit memory 1G"). */
static const char *
value_of(const struct cp_stmt *s)
{
	size_t n = strlen(s->key);

	if (strncmp(s->text, s->key, n) == 0 && s->text[n] == ' ')
		return s->text + n + 1;
	return s->text;
}

/* A new or gone policy is listed without what every policy has. */
static bool
is_default(const struct cp_stmt *s)
{
	return strcmp(s->text, "mode enforce") == 0;
}

static void
heading(bool *shown, const char *name, const char *what)
{
	if (!*shown)
		printf("policy %s%s:\n", name, what);
	*shown = true;
}

/* Print the differences of one policy; returns whether there were any. */
static bool
diff_policy(const char *name, const struct cp_policy *a,
	    const struct cp_policy *b)
{
	struct cp_stmts sa = {0}, sb = {0};
	bool shown = false;
	const char *what = a == NULL ? " (new)" : b == NULL ? " (gone)" : "";

	if (a != NULL)
		cp_policy_stmts(a, &sa);
	if (b != NULL)
		cp_policy_stmts(b, &sb);
	for (size_t i = 0; i < sa.n; i++)
		if (find(&sb, sa.v[i].key) == NULL &&
		    !(b == NULL && is_default(&sa.v[i]))) {
			heading(&shown, name, what);
			printf("- %s\n", sa.v[i].text);
		}
	for (size_t i = 0; i < sb.n; i++) {
		const struct cp_stmt *old = find(&sa, sb.v[i].key);

		if (old == NULL && a == NULL && is_default(&sb.v[i]))
			continue;
		if (old == NULL) {
			heading(&shown, name, what);
			printf("+ %s\n", sb.v[i].text);
		} else if (strcmp(old->text, sb.v[i].text) != 0) {
			const char *va = value_of(old),
				   *vb = value_of(&sb.v[i]);

			heading(&shown, name, what);
			/* "~ limit pids 100 → 50", "~ mount at /tmp: ... → ..." */
			printf("~ %s%s %s \xe2\x86\x92 %s\n", sb.v[i].key,
			       va == old->text ? ":" : "", va, vb);
		}
	}
	if (a != NULL && b != NULL && !shown &&
	    strcmp(a->source_sha256, b->source_sha256) != 0) {
		/* Cannot happen while the digest is of these statements;
		 * say so rather than report "the same". */
		heading(&shown, name, " (differs in a way diff cannot show)");
	}
	cp_stmts_free(&sa);
	cp_stmts_free(&sb);
	return shown;
}

int
cp_cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct side old, new;
	bool quiet = false, differ = false;
	size_t i = 0, k = 0;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'h':
			puts("Usage: cpolc diff [-q] OLD.pol NEW.pol\n"
			     "Show what NEW grants or takes away compared "
			     "with OLD, policy by policy.\n"
			     "  -q, --quiet   print nothing; the exit status "
			     "says\n"
			     "Exit status: 0 the same, 1 different, 2 "
			     "trouble.");
			return 0;
		default:
			cp_cmd_usage("diff", "unknown option",
				     argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		cp_cmd_usage("diff", "needs two policy files, OLD and NEW",
			     NULL);
	if (!load_side(&old, argv[optind])) {
		free_side(&old);
		return 2;
	}
	if (!load_side(&new, argv[optind + 1])) {
		free_side(&old);
		free_side(&new);
		return 2;
	}
	if (quiet && freopen("/dev/null", "w", stdout) == NULL)
		return 2;
	/* Both sets are sorted by name: walk them together. */
	while (i < old.set.npolicies || k < new.set.npolicies) {
		const struct cp_policy *a =
			i < old.set.npolicies ? &old.set.policies[i] : NULL;
		const struct cp_policy *b =
			k < new.set.npolicies ? &new.set.policies[k] : NULL;
		if (a != NULL && (b == NULL || strcmp(a->name, b->name) < 0)) {
			differ |= diff_policy(a->name, a, NULL);
			i++;
		} else if (b != NULL &&
			   (a == NULL || strcmp(a->name, b->name) > 0)) {
			differ |= diff_policy(b->name, NULL, b);
			k++;
		} else if (a != NULL && b != NULL) {
			differ |= diff_policy(a->name, a, b);
			i++;
			k++;
		}
	}
	free_side(&old);
	free_side(&new);
	return differ ? 1 : 0;
}
