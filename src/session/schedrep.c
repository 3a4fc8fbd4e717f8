/*
 * schedrep.c: the scheduling figures of a run and their tables and JSON
 * (schedrep.h).
 */
#include "schedrep.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kstate.h"

static double pct(uint64_t part, uint64_t total)
{
    return total ? 100.0 * (double)part / (double)total : 0.0;
}

static void averages(struct schedrep *r)
{
    uint64_t resp = 0, turn = 0, wait = 0;
    r->nresp = r->nturn = 0;
    for (unsigned i = 0; i < r->nproc; i++) {
        const struct schedrep_proc *p = &r->proc[i];
        if (p->ran) {
            r->nresp++;
            resp += p->response;
            wait += p->wait;
        }
        if (p->ended) {
            r->nturn++;
            turn += p->turnaround;
        }
    }
    r->avg_response = r->nresp ? (double)resp / r->nresp : 0;
    r->avg_wait = r->nresp ? (double)wait / r->nresp : 0;
    r->avg_turnaround = r->nturn ? (double)turn / r->nturn : 0;
}

static int by_pid(const void *x, const void *y)
{
    const struct lde_procinfo *a = x, *b = y;
    return a->pid < b->pid ? -1 : a->pid > b->pid;
}

int schedrep_collect(const struct session *s, int exit_status, const char *end,
                     struct schedrep *r, char *err, size_t errlen)
{
    static struct lde_procinfo rec[LDE_PROCS_MAX];
    const struct cpu *cpu = s->cpu;
    unsigned n;
    memset(r, 0, sizeof *r);
    r->sched = s->opt.sched[0];
    r->end = end;
    r->exit_status = exit_status;
    r->total = cpu->cycle;
    r->user = cpu_user_cycles(cpu);
    r->kernel = cpu_kernel_cycles(cpu);
    r->idle = cpu->idle_cycles;
    r->switches = s->acct.total_switches;
    if (kstate_procinfo(s, rec, LDE_PROCS_MAX, &n, err, errlen) != 0)
        return -1;
    /* Records are recycled (lde/abi.h): in pid order here. */
    qsort(rec, n, sizeof rec[0], by_pid);
    for (unsigned i = 0; i < n; i++) {
        const struct lde_procinfo *k = &rec[i];
        struct schedrep_proc *p = &r->proc[r->nproc++];
        struct session_pid_acct a = session_pid_acct(s, k->pid);
        p->pid = k->pid;
        kstate_name(k, p->name, sizeof p->name);
        kstate_describe(k, p->status, sizeof p->status);
        p->arrival = k->created;
        p->ran = a.first_user != 0 && a.first_user >= k->created;
        p->response = p->ran ? a.first_user - k->created : 0;
        p->ended = k->ended != 0 && k->ended >= k->created;
        p->turnaround = p->ended ? k->ended - k->created : 0;
        p->user = a.user;
        p->kernel = a.kernel;
        p->cpu = p->user + p->kernel;
        p->switches = a.switches;
        p->wait = session_wait(s, k, &p->waits);
    }
    averages(r);
    return 0;
}

static void cell(char *buf, size_t len, bool valid, uint64_t v)
{
    if (valid)
        snprintf(buf, len, "%" PRIu64, v);
    else
        snprintf(buf, len, "-");
}

/* An average, or "-" if it is over nothing. */
static void mean(char *buf, size_t len, unsigned over, double v)
{
    if (over)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "-");
}

void schedrep_print(FILE *f, const struct schedrep *r)
{
    uint64_t cpu_all = 0;
    for (unsigned i = 0; i < r->nproc; i++)
        cpu_all += r->proc[i].cpu;
    fprintf(f, "---- sched %s ----\n", r->sched.spec);
    if (r->sched.learn)
        fprintf(f, "(lengths learned from a first run under fifo)\n");
    fprintf(f, "%5s %-15s %11s %11s %11s %9s %11s %6s  %s\n", "pid", "name",
            "response", "turnaround", "wait", "latency", "cpu", "share",
            "status");
    for (unsigned i = 0; i < r->nproc; i++) {
        const struct schedrep_proc *p = &r->proc[i];
        char resp[24], turn[24], wait[24], lat[24];
        cell(resp, sizeof resp, p->ran, p->response);
        cell(turn, sizeof turn, p->ended, p->turnaround);
        cell(wait, sizeof wait, p->ran, p->wait);
        cell(lat, sizeof lat, p->waits != 0, p->waits ? p->wait / p->waits : 0);
        fprintf(f,
                "%5" PRIu32 " %-15s %11s %11s %11s %9s %11" PRIu64
                " %5.1f%%  %s\n",
                p->pid, p->name, resp, turn, wait, lat, p->cpu,
                pct(p->cpu, cpu_all), p->status);
    }
    char turn[24];
    mean(turn, sizeof turn, r->nturn, r->avg_turnaround);
    fprintf(f, "%5s %-15s %11.0f %11s %11.0f\n", "", "average", r->avg_response,
            turn, r->avg_wait);
    fprintf(f,
            "total %" PRIu64 " cycles (%s), %" PRIu64
            " switches, kernel %.1f%%, idle %.1f%%\n",
            r->total, r->end, r->switches, pct(r->kernel, r->total),
            pct(r->idle, r->total));
}

/* A policy in one column: as given, shortened if long; learned lengths
 * are not repeated. */
static void label(char *buf, size_t len, const struct session_sched *sp)
{
    if (sp->learn)
        snprintf(buf, len, "%s (learned)", sp->name);
    else if (strlen(sp->spec) < len)
        snprintf(buf, len, "%s", sp->spec);
    else
        snprintf(buf, len, "%.*s...", (int)len - 4, sp->spec);
}

void schedrep_compare(FILE *f, const struct schedrep *r, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        schedrep_print(f, &r[i]);
    fprintf(f, "---- sched: %u policies, the same programs ----\n", n);
    fprintf(f, "%-22s %11s %11s %11s %10s %8s %6s\n", "policy", "response",
            "turnaround", "wait", "cycles", "switches", "kernel");
    for (unsigned i = 0; i < n; i++) {
        char name[23], turn[24];
        label(name, sizeof name, &r[i].sched);
        mean(turn, sizeof turn, r[i].nturn, r[i].avg_turnaround);
        fprintf(f,
                "%-22s %11.0f %11s %11.0f %10" PRIu64 " %8" PRIu64 " %5.1f%%\n",
                name, r[i].avg_response, turn, r[i].avg_wait, r[i].total,
                r[i].switches, pct(r[i].kernel, r[i].total));
    }
    fprintf(f, "(response, turnaround, wait: averages over the processes, "
               "in cycles)\n");
}
