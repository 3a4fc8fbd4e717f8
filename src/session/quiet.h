/*
 * quiet.h: a run with nobody watching: no console output, no trace, the
 * input from a file or none. The first run that learns job lengths
 * (learn.h) is one, and the scheduling tests run the policies this way.
 */
#ifndef LDE_QUIET_H
#define LDE_QUIET_H

#include <stddef.h>
#include <stdio.h>

#include "loop.h"
#include "session.h"

/* Boot o's programs under o->sched[0] into *s and run them to the end
 * (the machine stops, or --max-cycles), console output dropped, input
 * from `in` (NULL: none). *why and *end say how it ended. Returns 0 with
 * *s open, for the caller to read and session_close(); or
 * SESSION_EXIT_FILE with err, *s closed. */
int session_run_quiet(struct session *s, const struct session_options *o,
                      FILE *in, enum cpu_stop *why, enum session_end *end,
                      char *err, size_t errlen);

#endif /* LDE_QUIET_H */
