/*
 * window.h: which part of a run an observation shows (docs/observe.md,
 * "Windows"): `--window SPEC`, shared by --lde-table, --states and every
 * --trace category, so that a student can print one system call or one
 * switch and nothing else.
 *
 * SPEC is a comma-separated list of
 *     A..B      cycles from A up to (not including) B; either end may be
 *               left out ("..50k", "1M.."); cycles or times as --max-cycles
 *               takes them (200k, 3M, 1ms, 500us)
 *     pid=P     only what process P does (its traps, its rows, its
 *               instructions)
 *     first=N   only the first N items (events, rows or instructions)
 * e.g. `--window pid=2,first=1` is pid 2's first system call.
 */
#ifndef LDE_WINDOW_H
#define LDE_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct obs_window {
    uint64_t from, to;       /* cycles [from, to); to == UINT64_MAX: open */
    uint64_t from_ps, to_ps; /* given as times: resolved with the clock */
    uint64_t first;          /* at most this many items; 0 = no limit */
    uint32_t pid;            /* only this pid; 0 = every pid */
    bool given;              /* --window appeared */
};

/* The whole run. */
void window_all(struct obs_window *w);

/* Parse SPEC into w. 0, or -1 with one line in err naming the problem. */
int window_parse(const char *spec, struct obs_window *w, char *err,
                 size_t errlen);

/* Turn the ends given as times into cycles at hz (after option parsing,
 * when the clock is known). */
void window_resolve(struct obs_window *w, uint64_t hz);

/* Is cycle inside [from, to)? */
static inline bool window_has_cycle(const struct obs_window *w, uint64_t c)
{
    return c >= w->from && c < w->to;
}

/* Does pid pass the pid filter (pid 0, the kernel's own, passes only an
 * unfiltered window)? */
static inline bool window_has_pid(const struct obs_window *w, uint32_t pid)
{
    return w->pid == 0 || w->pid == pid;
}

#endif /* LDE_WINDOW_H */
