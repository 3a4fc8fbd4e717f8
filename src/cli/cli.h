/*
 * cli.h: the subcommands of the lde executable. Each takes its argv with
 * argv[0] = the subcommand's name and returns lde's exit status
 * (session.h lists lde's own statuses).
 */
#ifndef LDE_CLI_H
#define LDE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "schedrep.h"
#include "session.h"

/* run.c: `lde run`. */
int run_main(int argc, char **argv);

/* run.c: one run of the programs under o->sched[0]: boot, run to the end,
 * the halt report, --stats and every --trace, --lde-table, --states,
 * --timeline and --json output; the guest's console on `out` (its errors
 * on stderr), its input from `in`. With r, the scheduling figures too;
 * with `record`, the --json report is written there instead of to the
 * file of --json. Returns lde's exit status; *booted says whether the
 * machine ran at all (a file that cannot be loaded stops it before). */
int run_session(const struct session_options *o, FILE *in, FILE *out,
                struct schedrep *r, FILE *record, bool *booted);

/* policies.c: the runs, one per policy of --sched (o->nsched), each in a
 * fresh machine with the same input; their figures and the comparison.
 * Returns the exit status of the first run that did not end with 0, or
 * 0. */
int run_policies(struct session_options *o);

/* cc.c: `lde cc`, the cross compiler with lde's runtime. */
int cc_main(int argc, char **argv);

#endif /* LDE_CLI_H */
