/*
 * The subcommands beside compiling: `cpolc lint`, `fmt`, `diff`,
 * `status` and `load`.  Each takes the arguments after its name (argv[0]
 * is the subcommand) and returns the exit status.
 */
#ifndef CPOLC_COMMANDS_H
#define CPOLC_COMMANDS_H

int cp_cmd_diff(int argc, char **argv);
int cp_cmd_lint(int argc, char **argv);
int cp_cmd_fmt(int argc, char **argv);
int cp_cmd_status(int argc, char **argv);
int cp_cmd_load(int argc, char **argv);

/* Shared by the subcommands: a usage error (exit status 2). */
_Noreturn void cp_cmd_usage(const char *cmd, const char *what, const char *arg);

#endif
