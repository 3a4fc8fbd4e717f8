/*
 * stats.h: the report of `lde run --stats` (docs/usage.md has an example).
 */
#ifndef LDE_STATS_H
#define LDE_STATS_H

#include <stdio.h>

#include "session.h"

/* Machine counters, the kernel's system call and context switch counts,
 * and one line per process from the kernel's accounting table. A missing
 * kernel symbol costs one line saying so, not the report. */
void stats_print(FILE *f, const struct session *s, double host_seconds);

#endif /* LDE_STATS_H */
