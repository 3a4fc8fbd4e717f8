/*
 * observe_phases.c: the cost of one system call and one context switch,
 * in phases, for --stats (docs/observe.md, "Phases").
 *
 * Every kernel window, from a trap out of user mode to the rti back into
 * user mode, is split where the machine can see it: the hardware's trap
 * entry (save the registers on the kernel stack, kernel mode, jump to the
 * handler), the kernel's own instructions, the time the CPU idled in wfi,
 * and the hardware's rti (restore the registers, user mode, jump). What
 * happens inside the kernel's part (the handler, switch(), the scheduler)
 * no hook reports: the kernel column is all of it. (In this kernel a timer
 * interrupt that resumes the same process makes no switch, and a switch is
 * one call of swtch(), from one process straight to the next: the
 * difference between a window with a switch and one without is about the
 * cost of switch().)
 */
#include <inttypes.h>

#include "observe.h"

static uint64_t avg(uint64_t sum, uint64_t n)
{
    return n ? (sum + n / 2) / n : 0;
}

void observe_print_phases(FILE *f, const struct observer *o)
{
    bool any = false;
    for (unsigned p = 0; p < OBS_NPHASES; p++)
        any |= o->phase[p].count != 0;
    if (!any)
        return;
    fprintf(f, "phases (average cycles per kernel window):\n");
    fprintf(f, "  %-38s %7s %7s %7s %7s %7s %7s\n", "what", "count", "trap",
            "kernel", "idle", "rti", "total");
    for (unsigned p = 0; p < OBS_NPHASES; p++) {
        const struct obs_cost *c = &o->phase[p];
        if (c->count == 0)
            continue;
        uint64_t n = c->count;
        fprintf(f,
                "  %-38s %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64
                " %7" PRIu64 " %7" PRIu64 "\n",
                observe_phase_what(p), n, avg(c->trap, n), avg(c->kernel, n),
                avg(c->idle, n), avg(c->rti, n),
                avg(c->trap + c->kernel + c->idle + c->rti, n));
    }
}
