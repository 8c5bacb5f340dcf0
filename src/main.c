/*
 * cpolc: the command line.  Everything else lives behind compile.h,
 * backend.h and emit.h; this file reads options, runs the stages in
 * order and maps their outcome to an exit status:
 *
 *   0  success
 *   1  errors in a policy (or warnings under -Werror)
 *   2  usage errors, and files that cannot be read or written
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compile.h"
#include "cpolc/backend.h"
#include "cpolc/text.h"
#include "cpolc/util.h"
#include "dump.h"
#include "emit.h"
#include "parse.h"
#include "run.h"

enum {
	OPT_CHECK = 256,
	OPT_DUMP,
	OPT_VERSION,
	OPT_HELP,
	OPT_DEBUG,
	OPT_UP_TO_DATE,
	OPT_DEPFILE,
};

struct options {
	const char *outdir;
	const char *depfile;
	bool targets[16]; /* by index in cp_backends */
	bool check, dump, verbose, quiet, werror, up_to_date;
	unsigned jobs;
};

static void
usage(FILE *f)
{
	fputs("Usage: cpolc [OPTION]... FILE... [-o DIR]\n"
	      "       cpolc lint [--format=text|json|sarif] FILE...\n"
	      "       cpolc fmt [-i | --check] FILE...\n"
	      "       cpolc diff OLD.pol NEW.pol\n"
	      "       cpolc status [--format=text|json] [-o DIR] [NAME...]\n"
	      "       cpolc load -o DIR [--dry-run] [NAME...]\n"
	      "Compile container policies into AppArmor, SELinux and "
	      "container runtime\nconfiguration.\n\n"
	      "  -o, --output=DIR    write outputs into DIR (default: the "
	      "current directory)\n"
	      "  -t, --targets=LIST  only these targets, comma-separated\n"
	      "  -j, --jobs=N        emit with N threads (default: one per "
	      "CPU); the outputs\n"
	      "                      are the same for any N\n"
	      "      --check         parse and check only; write nothing\n"
	      "      --dump          print each resolved policy on standard "
	      "output\n"
	      "      --up-to-date    list outputs in DIR that are missing, "
	      "differ or are stale;\n"
	      "                      write nothing; exit 1 if there are any\n"
	      "      --depfile=FILE  write a make rule: the outputs depend on "
	      "every source read\n"
	      "  -v, --verbose       say what was written where, and what a "
	      "target cannot\n"
	      "                      express exactly\n"
	      "  -q, --quiet         print errors only\n"
	      "  -Werror             treat warnings as errors\n"
	      "      --debug=AREAS   trace the scanner and/or the parser on "
	      "standard error\n"
	      "      --version       print the version and exit\n"
	      "      --help          print this help and exit\n\n"
	      "Targets:\n",
	      f);
	for (size_t i = 0; cp_backends[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", cp_backends[i]->name,
			cp_backends[i]->summary);
	fputs("\nExit status: 0 on success, 1 when a policy has errors, 2 on "
	      "usage\nand file errors.\n",
	      f);
}

static _Noreturn void
usage_error(const char *what, const char *arg)
{
	char *shown = cp_text_printable(arg ? arg : "");

	fprintf(stderr, "cpolc: %s%s%s%s\n", what, arg ? " '" : "", shown,
		arg ? "'" : "");
	fputs("Try 'cpolc --help' for more information.\n", stderr);
	free(shown);
	exit(2);
}

static void
parse_targets(struct options *o, const char *list)
{
	char *copy = cp_xstrdup(list), *save = NULL;
	size_t nbe = 0;
	const char *names[16];

	while (cp_backends[nbe] != NULL) {
		names[nbe] = cp_backends[nbe]->name;
		nbe++;
	}
	memset(o->targets, 0, sizeof(o->targets));
	for (char *t = strtok_r(copy, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < nbe; i++)
			if (strcmp(t, names[i]) == 0)
				break;
		if (i == nbe) {
			const char *near = cp_text_nearest(t, names, nbe);
			char *shown = cp_text_printable(t);

			fprintf(stderr, "cpolc: unknown target '%s'", shown);
			if (near != NULL)
				fprintf(stderr, "; did you mean '%s'?", near);
			fputs("\nTry 'cpolc --help' for the list of targets.\n",
			      stderr);
			free(shown);
			free(copy);
			exit(2);
		}
		o->targets[i] = true;
	}
	free(copy);
	for (size_t i = 0; i < nbe; i++)
		if (o->targets[i])
			return;
	usage_error("-t needs at least one target", NULL);
}

/* -j N: threads, 1 to CP_MAX_THREADS (64) */
static unsigned
parse_jobs(const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' ||
	    n < 1 || n > CP_MAX_THREADS)
		usage_error("-j takes a number of threads from 1 to 64:", arg);
	return (unsigned)n;
}

/* --debug=scanner,parser */
static void
parse_debug(const char *list)
{
	char *copy = cp_xstrdup(list), *save = NULL;

	for (char *t = strtok_r(copy, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "scanner") == 0) {
			cp_parse_debug |= CP_DEBUG_SCANNER;
		} else if (strcmp(t, "parser") == 0) {
			cp_parse_debug |= CP_DEBUG_PARSER;
		} else {
			char area[64];

			snprintf(area, sizeof(area), "%s", t);
			free(copy);
			usage_error("unknown --debug area (scanner, parser):",
				    area);
		}
	}
	free(copy);
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"targets", required_argument, NULL, 't'},
		{"jobs", required_argument, NULL, 'j'},
		{"check", no_argument, NULL, OPT_CHECK},
		{"dump", no_argument, NULL, OPT_DUMP},
		{"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'},
		{"debug", required_argument, NULL, OPT_DEBUG},
		{"up-to-date", no_argument, NULL, OPT_UP_TO_DATE},
		{"depfile", required_argument, NULL, OPT_DEPFILE},
		{"version", no_argument, NULL, OPT_VERSION},
		{"help", no_argument, NULL, OPT_HELP},
		{NULL, 0, NULL, 0},
	};
	int c;

	for (size_t i = 0; cp_backends[i] != NULL; i++)
		o->targets[i] = true;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:j:vqW:", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			o->outdir = optarg;
			break;
		case 't':
			parse_targets(o, optarg);
			break;
		case 'j':
			o->jobs = parse_jobs(optarg);
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_DUMP:
			o->dump = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'W':
			if (strcmp(optarg, "error") == 0)
				o->werror = true;
			else if (strcmp(optarg, "no-error") == 0)
				o->werror = false;
			else
				usage_error("unknown warning option -W",
					    optarg);
			break;
		case OPT_UP_TO_DATE:
			o->up_to_date = true;
			break;
		case OPT_DEPFILE:
			o->depfile = optarg;
			break;
		case OPT_DEBUG:
			parse_debug(optarg);
			break;
		case OPT_VERSION:
			printf("cpolc %s\n", PACKAGE_VERSION);
			exit(0);
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case ':':
			usage_error("this option needs an argument:",
				    argv[optind - 1]);
		default:
			usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		usage_error("no policy file given", NULL);
	if (o->check && o->outdir != NULL)
		usage_error("--check writes nothing; -o does not go with it",
			    NULL);
	if (o->up_to_date && o->outdir == NULL)
		usage_error("--up-to-date compares with -o DIR: name it", NULL);
	if (o->depfile != NULL && (o->check || o->up_to_date))
		usage_error("--depfile goes with a run that writes outputs",
			    NULL);
}

void
cp_cmd_usage(const char *cmd, const char *what, const char *arg)
{
	char *shown = cp_text_printable(arg ? arg : "");

	fprintf(stderr, "cpolc %s: %s%s%s%s\n", cmd, what, arg ? " '" : "",
		shown, arg ? "'" : "");
	fprintf(stderr, "Try 'cpolc %s --help' for more information.\n", cmd);
	free(shown);
	exit(2);
}

/* The subcommands; anything else is a file to compile. */
static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{"diff", cp_cmd_diff}, {"fmt", cp_cmd_fmt},	  {"lint", cp_cmd_lint},
	{"load", cp_cmd_load}, {"status", cp_cmd_status},
};

int
main(int argc, char **argv)
{
	struct options o = {0};
	struct cp_run_opts ro = {0};
	struct cp_sources srcs = {0};
	struct cp_diags diags;
	int rc;

	/* A file named like a subcommand can be compiled as ./NAME. */
	for (size_t i = 0; argc > 1 && i < CP_ARRAY_LEN(subcommands); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	parse_args(argc, argv, &o);
	cp_diags_init(&diags);
	diags.werror = o.werror;
	/* Fidelity notes are printed under -v only: else not kept. */
	diags.quiet_notes = !o.verbose;
	ro.targets = o.targets;
	ro.outdir = o.outdir;
	ro.depfile = o.depfile;
	ro.check = o.check;
	ro.dump = o.dump;
	ro.verbose = o.verbose;
	ro.up_to_date = o.up_to_date;
	ro.jobs = o.jobs;
	rc = cp_run(&ro, (const char *const *)argv + optind,
		    (size_t)(argc - optind), &srcs, &diags);
	cp_diags_print(&diags, stderr, o.verbose, o.quiet);
	if (fflush(stdout) != 0 && rc == 0) {
		perror("cpolc: standard output");
		rc = 2;
	}
	cp_diags_free(&diags);
	cp_sources_free(&srcs);
	return rc;
}
