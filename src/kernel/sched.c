/*
 * sched.c: what every policy shares (sched.h): the policy table and the
 * `sched=`, `tickets=` and `arrive=` keys of the kernel command line,
 * the dispatch of each state change to the policy's hook, the helpers
 * the policies are written with, and the lde_tickets system call.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"
#include "syscall.h"

#define SCHED_POLICY_DECL(name, summary)                                       \
    extern const struct sched_policy sched_##name;
LDE_SCHED_POLICIES(SCHED_POLICY_DECL)
#undef SCHED_POLICY_DECL

static const struct sched_policy *const policies[] = {
#define SCHED_POLICY_ENTRY(name, summary) &sched_##name,
    LDE_SCHED_POLICIES(SCHED_POLICY_ENTRY)
#undef SCHED_POLICY_ENTRY
};

const struct sched_policy *sched_policy = &sched_rr;

/* ---- Parameters -------------------------------------------------------- */

/* The parameters, generated from LDE_SCHED_PARAMS: which policy, which
 * key, how many values and their range. */
static const struct param_def {
    const char *policy, *key;
    uint32_t max_values;
    uint64_t min, max;
} param_defs[SCHED_NPARAMS] = {
#define SCHED_PARAM_DEF(policy, key, n, min, max, help)                        \
    [SCHED_P_##policy##_##key] = {#policy, #key, n, min, max},
    LDE_SCHED_PARAMS(SCHED_PARAM_DEF)
#undef SCHED_PARAM_DEF
};

/* The values given; written before read (count says how many). */
static uint32_t param_count[SCHED_NPARAMS];
static uint64_t param_values[SCHED_NPARAMS][LDE_PROCS_MAX]
    __attribute__((section(".noinit.sched")));

/* Per boot program, in order: tickets= and arrive=. */
static uint32_t boot_tickets[BOOT_MAX_PROGS];
static uint32_t nboot_tickets;
static uint64_t boot_arrive[BOOT_MAX_PROGS];
static uint32_t nboot_arrive;

static void bad(const char *key, uint32_t klen, const char *val, uint32_t vlen,
                const char *why)
{
    panic("bad kernel command line: '%.*s=%.*s': %s", (int)klen, key, (int)vlen,
          val, why);
}

/* "V/V/V" into out[], at most max values in [min, max]: how many, or -1. */
static int parse_values(const char *s, uint32_t len, uint64_t *out,
                        uint32_t max, uint64_t min, uint64_t hi)
{
    uint32_t n = 0, at = 0;
    while (at <= len) {
        uint32_t end = at;
        while (end < len && s[end] != '/')
            end++;
        if (n == max || parse_uint(s + at, end - at, UINT64_MAX, &out[n]) < 0 ||
            out[n] < min || out[n] > hi)
            return -1;
        n++;
        at = end + 1;
    }
    return (int)n;
}

/* The part after "NAME:": KEY=V[/V...] words separated by commas. */
static void parse_params(const char *s, uint32_t len, const char *whole,
                         uint32_t wlen)
{
    uint32_t at = 0;
    while (at < len) {
        uint32_t end = at, eq = 0;
        while (end < len && s[end] != ',') {
            if (s[end] == '=' && !eq)
                eq = end;
            end++;
        }
        if (!eq)
            bad("sched", 5, whole, wlen, "parameters are KEY=VALUE");
        int id = -1;
        for (int i = 0; i < SCHED_NPARAMS; i++)
            if (parse_is(s + at, eq - at, param_defs[i].key) &&
                strncmp(param_defs[i].policy, sched_policy->name, 16) == 0)
                id = i;
        if (id < 0)
            bad("sched", 5, whole, wlen, "unknown parameter for this policy");
        const struct param_def *d = &param_defs[id];
        int n = parse_values(s + eq + 1, end - eq - 1, param_values[id],
                             d->max_values, d->min, d->max);
        if (n < 0)
            bad("sched", 5, whole, wlen,
                "a value is not a number in range, or too many");
        param_count[id] = (uint32_t)n;
        at = end + 1;
    }
}

void sched_option(const char *key, uint32_t klen, const char *val,
                  uint32_t vlen)
{
    uint64_t v[BOOT_MAX_PROGS];
    if (parse_is(key, klen, "sched")) {
        uint32_t nlen = 0;
        while (nlen < vlen && val[nlen] != ':')
            nlen++;
        sched_policy = 0;
        for (uint32_t i = 0; i < NELEM(policies) && !sched_policy; i++)
            if (parse_is(val, nlen, policies[i]->name))
                sched_policy = policies[i];
        if (!sched_policy)
            bad(key, klen, val, vlen,
                "no such scheduler (rr fifo sjf stcf mlfq lottery stride)");
        if (nlen < vlen)
            parse_params(val + nlen + 1, vlen - nlen - 1, val, vlen);
    } else if (parse_is(key, klen, "tickets")) {
        int n = parse_values(val, vlen, v, BOOT_MAX_PROGS, 1, LDE_TICKETS_MAX);
        if (n < 0)
            bad(key, klen, val, vlen, "tickets are T/T/..., 1 to 1000000");
        for (int i = 0; i < n; i++)
            boot_tickets[i] = (uint32_t)v[i];
        nboot_tickets = (uint32_t)n;
    } else if (parse_is(key, klen, "arrive")) {
        int n =
            parse_values(val, vlen, boot_arrive, BOOT_MAX_PROGS, 0, UINT64_MAX);
        if (n < 0)
            bad(key, klen, val, vlen, "arrivals are cycles C/C/...");
        nboot_arrive = (uint32_t)n;
    }
}

uint64_t sched_param(enum sched_param_id id, uint32_t i, uint64_t dflt)
{
    uint32_t n = param_count[id];
    if (n == 0)
        return dflt;
    return param_values[id][i < n ? i : n - 1];
}

uint32_t sched_param_count(enum sched_param_id id)
{
    return param_count[id];
}

uint64_t sched_arrival(uint32_t pid)
{
    return pid >= 1 && pid <= nboot_arrive ? boot_arrive[pid - 1] : 0;
}

/* ---- The hooks --------------------------------------------------------- */

uint32_t sched_quantum;
int sched_listens;

void sched_init(uint32_t quantum)
{
    const struct sched_policy *sp = sched_policy;
    sched_quantum = quantum;
    sched_listens = sp->yield || sp->block || sp->exit;
    if (sched_policy->init)
        sched_policy->init();
}

static struct proc *find_pid(uint32_t pid)
{
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->state != UNUSED && p->pid == pid)
            return p;
    return 0;
}

/* A new process's share: its boot program's tickets=, or its parent's. */
static uint32_t initial_tickets(const struct proc *p)
{
    const struct proc *parent = p->ppid ? find_pid(p->ppid) : 0;
    if (parent)
        return parent->sched.tickets;
    if (p->pid >= 1 && p->pid <= nboot_tickets)
        return boot_tickets[p->pid - 1];
    return LDE_TICKETS_DEFAULT;
}

void sched_new(struct proc *p)
{
    p->sched.tickets = initial_tickets(p);
    if (sched_policy->create)
        sched_policy->create(p);
}

void sched_leave(struct proc *p)
{
    const struct sched_policy *sp = sched_policy;
    void (*hook)(struct proc *) = p->state == RUNNABLE  ? sp->yield
                                  : p->state == BLOCKED ? sp->block
                                  : p->state == ZOMBIE  ? sp->exit
                                                        : 0;
    if (hook)
        hook(p);
}

/* ---- Helpers for the policies ----------------------------------------- */

struct proc *sched_first(int (*before)(const struct proc *a,
                                       const struct proc *b))
{
    struct proc *best = 0;
    for (struct proc *p = proc; p < proc_end; p++) {
        if (p->state != RUNNABLE)
            continue;
        if (!best || before(p, best) ||
            (!before(best, p) && p->info->ready_at < best->info->ready_at))
            best = p;
    }
    return best;
}

int sched_any(int (*pred)(const struct proc *q, const struct proc *cur),
              const struct proc *cur)
{
    for (struct proc *q = proc; q < proc_end; q++)
        if (q->state == RUNNABLE && pred(q, cur))
            return 1;
    return 0;
}

uint64_t sched_ran(const struct proc *p)
{
    return rdcycle64() - p->oncpu_since;
}

/* ---- lde_tickets ------------------------------------------------------- */

/* lde_tickets(n): the caller's tickets become n (1..LDE_TICKETS_MAX), as
 * nice(2) changes a priority; n = 0 only asks. Returns the tickets it had.
 * Every policy keeps them; lottery and stride use them. Children inherit
 * them. */
int32_t sys_lde_tickets(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t n = tf->a0;
    uint32_t had = p->sched.tickets;
    if (n > LDE_TICKETS_MAX)
        return -LDE_EINVAL;
    if (n)
        p->sched.tickets = n;
    return (int32_t)had;
}
