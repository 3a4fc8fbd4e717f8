/*
 * cli.h: the subcommands of the lde executable. Each takes its argv with
 * argv[0] = the subcommand's name and returns lde's exit status
 * (session.h lists lde's own statuses).
 */
#ifndef LDE_CLI_H
#define LDE_CLI_H

int run_main(int argc, char **argv);

/* src/cli/debug*.c, when the debugger is built in (LDE_HAVE_DEBUGGER). */
int debug_main(int argc, char **argv);

/* "lde 0.1" */
extern const char cli_version[];

#endif /* LDE_CLI_H */
