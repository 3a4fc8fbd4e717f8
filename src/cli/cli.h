/*
 * cli.h: the subcommands of the lde executable. Each takes its argv with
 * argv[0] = the subcommand's name and returns lde's exit status
 * (session.h lists lde's own statuses).
 */
#ifndef LDE_CLI_H
#define LDE_CLI_H

/* run.c: `lde run`. */
int run_main(int argc, char **argv);

/* cc.c: `lde cc`, the cross compiler with lde's runtime. */
int cc_main(int argc, char **argv);

#endif /* LDE_CLI_H */
