/*
 * stats.c: the --stats report. Where the cycles went (user + kernel + idle
 * == total: the machine keeps that invariant), which traps were taken, the
 * system calls and context switches the machine saw, and, per process, its
 * cycles, turnaround (ended - created) and response time (first user
 * instruction - created) in the sense of OSTEP chapter 7.
 */
#include "stats.h"

#include <inttypes.h>

#include "kstate.h"

static double pct(uint64_t part, uint64_t total)
{
    return total ? 100.0 * (double)part / (double)total : 0.0;
}

/* "1.234567 ms" for a cycle count at the clock. */
static void sim_time(char *buf, size_t len, uint64_t cycles, uint32_t hz)
{
    double s = (double)cycles / (double)hz;
    if (s >= 1.0)
        snprintf(buf, len, "%.6f s", s);
    else if (s >= 1e-3)
        snprintf(buf, len, "%.6f ms", s * 1e3);
    else
        snprintf(buf, len, "%.3f us", s * 1e6);
}

static void machine_part(FILE *f, const struct session *s, double host_s)
{
    const struct cpu *cpu = s->cpu;
    uint64_t total = cpu->cycle;
    uint64_t user = cpu_user_cycles(cpu), kernel = cpu_kernel_cycles(cpu);
    uint64_t idle = cpu->idle_cycles;
    char t[64];
    sim_time(t, sizeof t, total, s->opt.clock_hz);
    fprintf(f, "total cycles:     %" PRIu64 " (%s at %.3f MHz)\n", total, t,
            s->opt.clock_hz / 1e6);
    fprintf(f, "instructions:     %" PRIu64 " (%.3f cycles each)\n",
            cpu->instret,
            cpu->instret ? (double)total / (double)cpu->instret : 0.0);
    fprintf(f, "host time:        %.3f s (%.1f MIPS)\n", host_s,
            host_s > 0 ? (double)cpu->instret / host_s / 1e6 : 0.0);
    fprintf(f, "user cycles:      %" PRIu64 " (%.1f%%)\n", user,
            pct(user, total));
    fprintf(f, "kernel cycles:    %" PRIu64 " (%.1f%%)\n", kernel,
            pct(kernel, total));
    fprintf(f, "idle cycles:      %" PRIu64 " (%.1f%%)\n", idle,
            pct(idle, total));
    fprintf(f, "traps:           ");
    int any = 0;
    for (uint32_t v = 0; v < NVECTORS; v++) {
        if (cpu->traps[v] == 0)
            continue;
        fprintf(f, "%s %s %" PRIu64, any ? "," : "", cpu_vector_name(v),
                cpu->traps[v]);
        any = 1;
    }
    fprintf(f, "%s\n", any ? "" : " none");
}

/* Counted by the machine's mode hook (session.h), not by the kernel. */
static void kernel_part(FILE *f, const struct session *s)
{
    const struct session_acct *a = &s->acct;
    fprintf(f, "system calls:    ");
    int any = 0;
    for (unsigned i = 0; i < SESSION_NSYSCALL_SLOTS; i++) {
        if (a->syscall_count[i] == 0)
            continue;
        fprintf(f, "%s %s %" PRIu64, any ? "," : "",
                session_syscall_slot_name(i), a->syscall_count[i]);
        any = 1;
    }
    fprintf(f, "%s\n", any ? "" : " none");
    fprintf(f, "context switches: %" PRIu64 "\n", a->total_switches);
}

static void cycles_or_dash(char *buf, size_t len, uint64_t from, uint64_t to,
                           int valid)
{
    if (valid)
        snprintf(buf, len, "%" PRIu64, to - from);
    else
        snprintf(buf, len, "-");
}

/* Per process: the user and kernel cycles the machine measured at each
 * mode switch (session.h), with the kernel's records for the rest: who
 * (pid, parent, name), and its state or how it ended. Processes whose
 * records the kernel has recycled (it keeps the newest reaped ones, as
 * many as fit) are summed on one line, so the columns still add up. */
static void process_part(FILE *f, const struct session *s)
{
    char err[160];
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    fprintf(f, "kernel at boot:   %" PRIu64 " (before the first process ran)\n",
            session_pid_acct(s, 0).kernel);
    if (kstate_procinfo(s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0) {
        fprintf(f, "processes:        unknown (%s)\n", err);
        return;
    }
    uint32_t created = kstate_nprocs(s, n);
    fprintf(f, "processes:        %" PRIu32, created);
    if (created > n)
        fprintf(f, " (%" PRIu32 " reaped earlier, records recycled)",
                created - n);
    fprintf(f, "\n");
    if (created == 0)
        return;
    fprintf(f, "%5s %5s %-15s %12s %12s %12s %12s  %s\n", "pid", "ppid", "name",
            "user", "kernel", "turnaround", "response", "status");
    if (created > n) {
        /* Every pid the machine saw that has no record now. */
        uint64_t user = 0, kernel = 0;
        uint32_t npids = session_acct_npids(s);
        for (uint32_t pid = 1, i = 0; pid < npids; pid++) {
            while (i < n && acct[i].pid < pid)
                i++;
            if (i < n && acct[i].pid == pid)
                continue;
            struct session_pid_acct p = session_pid_acct(s, pid);
            user += p.user;
            kernel += p.kernel;
        }
        char name[24];
        snprintf(name, sizeof name, "(%" PRIu32 " more)", created - n);
        fprintf(f, "%5s %5s %-15s %12" PRIu64 " %12" PRIu64 " %12s %12s  %s\n",
                "...", "-", name, user, kernel, "-", "-", "reaped");
    }
    for (unsigned i = 0; i < n; i++) {
        const struct lde_procinfo *a = &acct[i];
        char name[LDE_NAME_MAX + 1], how[128], turn[24], resp[24];
        kstate_name(a, name, sizeof name);
        kstate_describe(a, how, sizeof how);
        cycles_or_dash(turn, sizeof turn, a->created, a->ended,
                       a->ended != 0 && a->ended >= a->created);
        struct session_pid_acct p = session_pid_acct(s, a->pid);
        cycles_or_dash(resp, sizeof resp, a->created, p.first_user,
                       a->pid != 0 && p.first_user != 0 &&
                           p.first_user >= a->created);
        fprintf(f,
                "%5" PRIu32 " %5" PRIu32 " %-15s %12" PRIu64 " %12" PRIu64
                " %12s %12s  %s\n",
                a->pid, a->ppid, name, p.user, p.kernel, turn, resp, how);
    }
}

void stats_print(FILE *f, const struct session *s, double host_seconds)
{
    fprintf(f, "---- lde stats ----\n");
    machine_part(f, s, host_seconds);
    kernel_part(f, s);
    process_part(f, s);
    fflush(f);
}
