/*
 * observe_states.c: `--states`: the process-run.py table of OSTEP's
 * scheduling chapters, from the real machine (docs/observe.md).
 *
 * One row per stretch between two events (a trap, a return-from-trap):
 * when it began, how long it lasted, what the CPU did (a process in user
 * mode, the kernel on a process's behalf, idle), and every process's state
 * as the kernel's table had it at the start: RUN, READY, BLOCKED (with the
 * system call it blocked in), DONE, or blank before it exists. Then the
 * figures OSTEP asks for: CPU busy, and per process its arrival, response
 * (first run - arrival), turnaround (end - arrival), the cycles it ran
 * (user + kernel), was blocked, and waited ready (turnaround - run -
 * blocked).
 */
#include <inttypes.h>
#include <string.h>

#include "observe.h"
#include "session.h"

#define W_STATE 10 /* at least */

/* "RUN", "READY", "BLOCKED:read", "DONE" or "". */
static void state_word(const struct obs_snap *sn, uint32_t pid, bool kernel,
                       char *buf, size_t len)
{
    switch (sn->state[pid]) {
    case PS_RUNNING: snprintf(buf, len, kernel ? "RUN:kernel" : "RUN"); break;
    case PS_RUNNABLE: snprintf(buf, len, "READY"); break;
    case PS_EMBRYO: snprintf(buf, len, "NEW"); break;
    case PS_ZOMBIE: snprintf(buf, len, "DONE"); break;
    case PS_BLOCKED:
        if (sn->why[pid] != 0)
            snprintf(buf, len, "BLOCKED:%s",
                     session_syscall_slot_name(sn->why[pid] - 1u));
        else
            snprintf(buf, len, "BLOCKED");
        break;
    default: buf[0] = '\0'; break;
    }
}

/* What the CPU does from event e on. */
static void cpu_word(const struct observer *o, const struct obs_event *e,
                     uint64_t idle, char *buf, size_t len)
{
    char name[32];
    if (e->kind == OBS_RTI && e->mode == MODE_USER) {
        snprintf(buf, len, "user pid %" PRIu32, e->pid);
        return;
    }
    if (e->kind == OBS_TRAP) {
        if (e->vector == VEC_SYSCALL)
            observe_syscall_name(e->sysno, name, sizeof name);
        else
            snprintf(name, sizeof name, "%s", cpu_vector_word(e->vector));
    } else {
        snprintf(name, sizeof name, "boot");
    }
    (void)o;
    if (idle > 0)
        snprintf(buf, len, "kernel %s, idle %" PRIu64, name, idle);
    else
        snprintf(buf, len, "kernel %s", name);
}

/* A line without its trailing blanks. */
static void end_line(FILE *f, char *line)
{
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == ' ')
        line[--n] = '\0';
    fprintf(f, "%s\n", line);
}

static void figures(FILE *f, const struct observer *o)
{
    const struct cpu *cpu = o->s->cpu;
    uint64_t total = o->end_cycle, idle = cpu->idle_cycles;
    uint64_t busy = total - idle;
    fprintf(f,
            "CPU busy: %" PRIu64 " of %" PRIu64
            " cycles (%.2f%%): user %" PRIu64 ", kernel %" PRIu64
            "; idle %" PRIu64 "\n",
            busy, total, total ? 100.0 * (double)busy / (double)total : 0.0,
            cpu_user_cycles(cpu), cpu_kernel_cycles(cpu), idle);
    if (o->nprocs == 0) {
        fprintf(f, "processes: unknown (%s)\n",
                o->procs_err[0] ? o->procs_err : "none");
        return;
    }
    fprintf(f, "%5s %-15s %10s %10s %10s %10s %10s %10s %10s\n", "pid", "name",
            "arrival", "response", "turnaround", "run", "blocked", "wait",
            "status");
    for (unsigned i = 0; i < o->nprocs; i++) {
        const struct lde_procinfo *p = &o->procs[i];
        uint32_t pid = p->pid;
        if (pid >= OBS_PIDS || !window_has_pid(&o->opt.window, pid))
            continue;
        struct session_pid_acct a = session_pid_acct(o->s, pid);
        char name[LDE_NAME_MAX + 1], resp[24] = "-", turn[24] = "-";
        observe_proc_name(o, pid, name, sizeof name);
        uint64_t first = a.first_user;
        if (first >= p->created && first != 0)
            snprintf(resp, sizeof resp, "%" PRIu64, first - p->created);
        if (p->ended != 0 && p->ended >= p->created)
            snprintf(turn, sizeof turn, "%" PRIu64, p->ended - p->created);
        fprintf(f,
                "%5" PRIu32 " %-15s %10" PRIu64 " %10s %10s %10" PRIu64
                " %10" PRIu64 " %10" PRIu64 " %10s\n",
                pid, name, p->created, resp, turn, a.user + a.kernel,
                observe_blocked(o, pid), observe_wait(o, pid),
                p->ended != 0 ? "done" : "not done");
    }
}

void observe_states_table(FILE *f, const struct observer *o)
{
    const struct obs_window *w = &o->opt.window;
    uint32_t maxpid = o->maxpid < OBS_PIDS ? o->maxpid : OBS_PIDS - 1;
    fprintf(f, "---- lde states: process states, cycles at %.3f MHz ----\n",
            o->s->opt.clock_hz / 1e6);
    /* Each process's column is as wide as its widest state. */
    int width[OBS_PIDS];
    char line[64 + OBS_PIDS * 48];
    size_t at = (size_t)snprintf(line, sizeof line, "%10s %9s  %-30s", "cycle",
                                 "cycles", "CPU");
    for (uint32_t pid = 1; pid <= maxpid; pid++) {
        if (!window_has_pid(w, pid))
            continue;
        char name[LDE_NAME_MAX + 1], head[40], st[48];
        observe_proc_name(o, pid, name, sizeof name);
        snprintf(head, sizeof head, "%" PRIu32 ":%s", pid, name);
        width[pid] = (int)strlen(head) > W_STATE ? (int)strlen(head) : W_STATE;
        for (size_t k = 0; k < o->nsnap; k++) {
            state_word(&o->snap[k], pid, true, st, sizeof st);
            if ((int)strlen(st) > width[pid])
                width[pid] = (int)strlen(st);
        }
        at += (size_t)snprintf(line + at, sizeof line - at, " %-*s", width[pid],
                               head);
    }
    end_line(f, line);
    uint64_t rows = 0;
    /* Rows run from one trap or rti to the next; the boot is the first,
     * from cycle 0 (TTR and timer stamps fall inside it). */
    struct obs_event boot = {.kind = OBS_TTR, .snap = OBS_NO_SNAP};
    static const struct obs_snap none;
    const struct obs_event *e = &boot;
    for (size_t i = 0; i < o->nev; i++) {
        const struct obs_event *next = &o->ev[i];
        if (next->kind == OBS_TTR || next->kind == OBS_TIMER)
            continue;
        uint64_t start = e->cycle, len = next->cycle - e->cycle;
        uint64_t idle = next->idle - e->idle;
        bool user = e->kind == OBS_RTI && e->mode == MODE_USER;
        const struct obs_event *from = e;
        e = next;
        if (len == 0 || !window_has_cycle(w, start) ||
            (w->first != 0 && rows >= w->first))
            continue;
        rows++;
        char cpu[96];
        cpu_word(o, from, idle, cpu, sizeof cpu);
        at = (size_t)snprintf(line, sizeof line,
                              "%10" PRIu64 " %9" PRIu64 "  %-30s", start, len,
                              cpu);
        /* The boot's row: nothing exists before it. */
        const struct obs_snap *sn =
            from == &boot ? &none : observe_snap(o, from);
        for (uint32_t pid = 1; pid <= maxpid; pid++) {
            if (!window_has_pid(w, pid))
                continue;
            char st[48];
            state_word(sn, pid, !user && pid == from->pid, st, sizeof st);
            at += (size_t)snprintf(line + at, sizeof line - at, " %-*s",
                                   width[pid], st);
        }
        end_line(f, line);
    }
    if (rows == 0)
        fprintf(f, "(nothing in the window)\n");
    if (o->truncated)
        fprintf(f, "(the log kept only the first %u events)\n", OBS_MAX_EVENTS);
    figures(f, o);
}
