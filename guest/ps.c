/*
 * ps: the processes that exist, from the kernel's table (lde_proctable):
 * pid, parent, state (with what a blocked process waits for) and name.
 *
 *     PID  PPID STATE          NAME
 *       1     0 blocked:wait   sh
 *       3     1 running        ps
 *
 * Under another kernel (qemu-riscv32) the call does not exist: ps says so
 * and exits 1.
 */
#include <stdio.h>

#include "lde.h"

static const char *state_name(uint32_t state)
{
    switch (state) {
#define STATE_NAME(st, number, name)                                           \
    case st: return name;
        LDE_PROC_STATES(STATE_NAME)
#undef STATE_NAME
    }
    return "?";
}

static const char *reason_name(uint32_t reason)
{
    switch (reason) {
#define REASON_NAME(r, number, name)                                           \
    case r: return name;
        LDE_BLOCK_REASONS(REASON_NAME)
#undef REASON_NAME
    }
    return "?";
}

int main(void)
{
    static struct lde_procinfo t[LDE_PROCS_MAX];
    long n = lde_proctable(t, LDE_PROCS_MAX);
    if (n < 0) {
        printf("ps: no process table here (%ld): not under lde\n", n);
        return 1;
    }
    printf("  PID  PPID STATE          NAME\n");
    for (long i = 0; i < n && i < LDE_PROCS_MAX; i++) {
        char state[32];
        if (t[i].state == PS_BLOCKED)
            snprintf(state, sizeof state, "blocked:%s",
                     reason_name(t[i].blocked));
        else
            snprintf(state, sizeof state, "%s", state_name(t[i].state));
        printf("%5lu %5lu %-14s %.*s\n", (unsigned long)t[i].pid,
               (unsigned long)t[i].ppid, state, LDE_NAME_MAX, t[i].name);
    }
    return 0;
}
