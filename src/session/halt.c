/*
 * halt.c: the one halt report (loop.h): what a stop means, as lde's exit
 * status and, for `lde run`, its message on stderr.
 */
#include <inttypes.h>
#include <stdio.h>

#include "kstate.h"
#include "loop.h"

void session_still_running(const struct session *s, char *buf, size_t len)
{
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[160];
    buf[0] = '\0';
    if (kstate_procinfo(s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0)
        return;
    size_t at = 0;
    for (unsigned i = 0; i < n && at < len; i++) {
        if (acct[i].ended != 0 || acct[i].state == PS_ZOMBIE ||
            acct[i].state == PS_REAPED || acct[i].state == PS_UNUSED)
            continue;
        char name[LDE_NAME_MAX + 1], why[32] = "";
        kstate_name(&acct[i], name, sizeof name);
        if (acct[i].state == PS_BLOCKED) /* what it waits for */
            snprintf(why, sizeof why, ", %s",
                     kstate_block_name(acct[i].blocked));
        int w = snprintf(buf + at, len - at, "%s%s (pid %" PRIu32 "%s)",
                         at ? ", " : "", name, acct[i].pid, why);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

const char *session_halt_reason(const struct cpu *cpu, enum cpu_stop why)
{
    return cpu->halt_reason[0] ? cpu->halt_reason : cpu_stop_name(why);
}

int session_exit_status(const struct cpu *cpu, enum cpu_stop why,
                        enum session_end end)
{
    if (end == SESSION_END_INTERRUPT)
        return SESSION_EXIT_INTERRUPTED;
    if (end == SESSION_END_LIMIT)
        return SESSION_EXIT_LIMIT;
    switch (why) {
    case STOP_HALT: return cpu->exit_status & 0xff;
    case STOP_PANIC: return SESSION_EXIT_PANIC;
    case STOP_DOUBLE_FAULT: return SESSION_EXIT_DFAULT;
    case STOP_DEADLOCK: return SESSION_EXIT_DEADLOCK;
    /* lde run's console hook always supplies a line or closes the input,
     * so the guest cannot be left waiting; if it is, nothing will come. */
    case STOP_WAIT_INPUT: return SESSION_EXIT_DEADLOCK;
    default: return SESSION_EXIT_FILE; /* no hook asks to stop */
    }
}

int session_report_halt(FILE *f, const struct session *s, enum cpu_stop why,
                        enum session_end end)
{
    const struct cpu *cpu = s->cpu;
    char who[512];
    if (end == SESSION_END_INTERRUPT) {
        session_still_running(s, who, sizeof who);
        fprintf(f, "lde: interrupted at cycle %" PRIu64 "%s%s\n", cpu->cycle,
                who[0] ? "; still running: " : "", who);
    } else if (end == SESSION_END_LIMIT) {
        session_still_running(s, who, sizeof who);
        fprintf(f,
                "lde: stopped at cycle %" PRIu64 " (--max-cycles %" PRIu64
                ")%s%s\n",
                cpu->cycle, s->opt.max_cycles,
                who[0] ? "; still running: " : "", who);
    } else if (why != STOP_HALT) {
        fprintf(f, "lde: %s\n", session_halt_reason(cpu, why));
        fprintf(f, "lde: pc 0x%08" PRIx32 ", %s mode, cycle %" PRIu64 "\n",
                cpu->pc, cpu->mode == MODE_USER ? "user" : "kernel",
                cpu->cycle);
        if (why == STOP_DEADLOCK || why == STOP_WAIT_INPUT) {
            /* Who waits for something that cannot come. */
            session_still_running(s, who, sizeof who);
            if (who[0])
                fprintf(f, "lde: blocked for ever: %s\n", who);
        }
    }
    return session_exit_status(cpu, why, end);
}
