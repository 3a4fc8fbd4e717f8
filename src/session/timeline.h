/*
 * timeline.h: the machine's past, for reverse execution.
 *
 * The machine is deterministic: from a given state and the same console
 * input it always goes through the same states. So the past is kept as
 * snapshots taken every so often while the machine runs forward, plus a
 * log of the console input it was given; any earlier moment is reached
 * by restoring the nearest snapshot before it and running forward again.
 *
 * Time is counted in steps (cpu_steps(): instructions retired plus traps
 * entered), the unit of `si` and of gdb's stepi: "one step back" is one
 * less. A moment is the first instruction boundary at which the count
 * has a given value.
 *
 * What a snapshot holds: the cpu's state (registers, privileged
 * registers, counters, timer, console, halt state), RAM, the session's
 * per-process accounting, the console output position, the input log's
 * position, and whatever bytes the front end asked to keep
 * (timeline_keep). RAM is incremental: the cpu notes the pages written
 * (cpu_track_writes), and a snapshot stores only the pages written since
 * the one before it; restoring rewrites only the pages that differ.
 *
 * Memory is bounded: past max_bytes (or max_snaps snapshots) the oldest
 * snapshots are thinned out, so that they are dense near now and sparse
 * far back; going back far costs more replay, never more memory.
 *
 * Console output already printed stays printed. The output position (the
 * bytes the guest has written so far) is part of the state; a byte is
 * printed only the first time the machine writes it, i.e. when the
 * position passes the furthest point printed so far (the high-water mark).
 * So replaying is silent, and going forward after going back prints only
 * what was never printed.
 *
 * Console input is logged when it enters the machine; while the machine
 * runs through its recorded past (before the frontier, the furthest step
 * reached), the guest gets the logged input at the same steps, and no
 * live input. A change made by the user (a register, memory, closing the
 * input) at a moment in the past makes a new history: what was recorded
 * after that moment is dropped (timeline_fork).
 *
 *     struct timeline *t = timeline_create(&s, NULL);   // after boot
 *     s.timeline = t;          // session_run() now calls timeline_tick()
 *     ... run ...
 *     timeline_seek(t, timeline_now(t) - 1, err, sizeof err);  // 1 back
 */
#ifndef LDE_TIMELINE_H
#define LDE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"

struct session;
struct timeline;

struct timeline_limits {
    uint64_t interval; /* steps between two snapshots, at least */
    size_t max_bytes;  /* memory for the snapshots, about */
    unsigned max_snaps;
};

/* Defaults: a snapshot every 2^22 steps, 256 MiB, 1024 snapshots. */
#define TIMELINE_INTERVAL (UINT64_C(1) << 22)
#define TIMELINE_MAX_BYTES ((size_t)256 << 20)
#define TIMELINE_MAX_SNAPS 1024u

/* Start recording s's machine from its state now (the first snapshot).
 * lim NULL: the defaults. NULL if out of memory. */
struct timeline *timeline_create(struct session *s,
                                 const struct timeline_limits *lim);
void timeline_destroy(struct timeline *t);
/* Forget the past (the machine booted again); the present is the start. */
int timeline_reset(struct timeline *t);
/* Keep these host bytes with every snapshot and put them back with it
 * (state the front end derives from the run, e.g. the last trap frame).
 * At most 8 regions. 0, or -1. */
int timeline_keep(struct timeline *t, void *bytes, size_t len);

/* The machine moved forward (between two cpu_run slices, after a step):
 * the frontier moves with it, and a snapshot is taken when one is due. */
void timeline_tick(struct timeline *t);

/* Now, the earliest moment that can be reached, and the frontier. */
uint64_t timeline_now(const struct timeline *t);
uint64_t timeline_start(const struct timeline *t);
uint64_t timeline_frontier(const struct timeline *t);
/* Is the machine in its recorded past (before the frontier)? */
bool timeline_replaying(const struct timeline *t);

/* The latest snapshot strictly before `when`; false if there is none. */
bool timeline_snapshot_before(const struct timeline *t, uint64_t when,
                              uint64_t *at);

/*
 * Go to the moment `when` (start <= when <= frontier): restore the
 * nearest snapshot at or before it (or keep the present if that is
 * nearer) and run forward with the hooks the cpu has (the caller makes
 * them quiet; breakpoints are put aside meanwhile). 0, or -1 with one
 * line in err (out of range, or the machine stopped short of it).
 */
int timeline_seek(struct timeline *t, uint64_t when, char *err, size_t errlen);

/* The user changed the machine at this moment: it becomes a snapshot,
 * and whatever was recorded after it is dropped. */
void timeline_fork(struct timeline *t);

/* Console output: the guest wrote one byte. True: print it (it is past
 * the high-water mark); false: it was printed before. */
bool timeline_output(struct timeline *t);

/*
 * Console input, from the cpu's console_rx_wanted hook. In the recorded
 * past, the input logged for this step is given to the guest and feed is
 * not called; at the frontier, feed(ctx, cpu) may give live input
 * (cpu_console_input, cpu_console_close), and what it gave is logged.
 */
void timeline_input(struct timeline *t, struct cpu *cpu,
                    void (*feed)(void *ctx, struct cpu *cpu), void *ctx);

struct timeline_stats {
    unsigned snaps;
    size_t bytes;      /* held by the snapshots (pages, states) */
    size_t pages;      /* RAM pages stored */
    uint64_t oldest;   /* the earliest snapshot's step */
    uint64_t newest;   /* the latest's */
    size_t input_log;  /* entries */
    uint64_t replayed; /* steps run again by seeks, in total */
};
void timeline_stats(const struct timeline *t, struct timeline_stats *out);

#endif /* LDE_TIMELINE_H */
