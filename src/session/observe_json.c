/*
 * observe_json.c: `--json FILE`: the end-of-run report as one JSON object,
 * for autograders and scripts. Its schema is docs/lde-report.schema.json
 * (JSON Schema 2020-12), described in docs/observe.md; a test checks every
 * report it makes against it. "schema_version" changes only when a field
 * changes meaning or goes away; new fields may be added.
 *
 * Everything in it is exact and deterministic except "host" (the host's
 * time and speed).
 */
#include <inttypes.h>
#include <string.h>

#include "kstate.h"
#include "observe.h"
#include "session.h"

#define REPORT_SCHEMA_VERSION 1

void observe_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                fprintf(f, "\\u%04x", *p); /* names are bytes, not UTF-8 */
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void key(FILE *f, const char *k)
{
    observe_json_string(f, k);
    fputc(':', f);
}

static double avg(uint64_t sum, uint64_t n)
{
    return n ? (double)sum / (double)n : 0.0;
}

static void cost(FILE *f, const struct obs_cost *c)
{
    uint64_t n = c->count;
    fprintf(f,
            "{\"count\":%" PRIu64
            ",\"trap_entry\":%.3f,\"kernel\":%.3f,\"idle\":%.3f,\"rti\":%.3f,"
            "\"total\":%.3f}",
            n, avg(c->trap, n), avg(c->kernel, n), avg(c->idle, n),
            avg(c->rti, n), avg(c->trap + c->kernel + c->idle + c->rti, n));
}

/* How the run ended, from the machine and lde's exit status. */
static const char *end_how(const struct observer *o)
{
    const struct cpu *cpu = o->s->cpu;
    if (cpu->halted) {
        switch (cpu->halt_kind) {
        case STOP_HALT: return "halt";
        case STOP_PANIC: return "panic";
        case STOP_DOUBLE_FAULT: return "double_fault";
        default: return "deadlock";
        }
    }
    if (o->exit_status == SESSION_EXIT_LIMIT)
        return "limit";
    if (o->exit_status == SESSION_EXIT_DEADLOCK)
        return "deadlock";
    return "interrupted";
}

static void machine(FILE *f, const struct observer *o)
{
    const struct session_options *opt = &o->s->opt;
    const struct cpu *cpu = o->s->cpu;
    fprintf(f,
            "\"machine\":{\"clock_hz\":%" PRIu32 ",\"ram_bytes\":%" PRIu32
            ",\"quantum\":%" PRIu64
            ",\"preemptive\":%s,\"divzero_traps\":%s,\"sched\":",
            opt->clock_hz, opt->ram_size, opt->quantum,
            opt->cooperative ? "false" : "true",
            opt->trap_divzero ? "true" : "false");
    observe_json_string(f, opt->sched[0].spec);
    if (opt->max_cycles)
        fprintf(f, ",\"max_cycles\":%" PRIu64, opt->max_cycles);
    else
        fputs(",\"max_cycles\":null", f);
    fputs(",\"costs\":{", f);
    for (int c = 0; c < NCOST; c++)
        fprintf(f, "%s\"%s\":%" PRIu32, c ? "," : "", cost_class_names[c],
                cpu->costs[c]);
    fputs("}},\n", f);
}

static void totals(FILE *f, const struct observer *o, double host_s)
{
    const struct cpu *cpu = o->s->cpu;
    fprintf(f,
            "\"end\":{\"how\":\"%s\",\"cycle\":%" PRIu64
            ",\"exit_status\":%d,\"reason\":",
            end_how(o), o->end_cycle, o->exit_status);
    observe_json_string(
        f, cpu->halted && cpu->halt_kind != STOP_HALT ? cpu->halt_reason : "");
    fprintf(f,
            "},\n\"cycles\":{\"total\":%" PRIu64 ",\"user\":%" PRIu64
            ",\"kernel\":%" PRIu64 ",\"idle\":%" PRIu64
            ",\"kernel_at_boot\":%" PRIu64 "},\n\"instructions\":%" PRIu64
            ",\n",
            cpu->cycle, cpu_user_cycles(cpu), cpu_kernel_cycles(cpu),
            cpu->idle_cycles, session_pid_acct(o->s, 0).kernel, cpu->instret);
    fprintf(f, "\"host\":{\"seconds\":%.6f,\"mips\":%.3f},\n", host_s,
            host_s > 0 ? (double)cpu->instret / host_s / 1e6 : 0.0);
    fputs("\"traps\":{", f);
    bool any = false;
    for (uint32_t v = 0; v < NVECTORS; v++) {
        const char *w = cpu_vector_word(v);
        if (w == NULL)
            continue;
        fprintf(f, "%s\"%s\":%" PRIu64, any ? "," : "", w, cpu->traps[v]);
        any = true;
    }
    fputs("},\n\"syscalls\":{", f);
    const struct session_acct *a = &o->s->acct;
    for (unsigned i = 0; i < SESSION_NSYSCALL_SLOTS; i++) {
        fprintf(f, "%s", i ? "," : "");
        key(f, i == SESSION_SYS_UNKNOWN ? "unknown"
                                        : session_syscall_slot_name(i));
        fprintf(f, "%" PRIu64, a->syscall_count[i]);
    }
    fprintf(f, "},\n\"context_switches\":%" PRIu64 ",\n", a->total_switches);
}

static void phases(FILE *f, const struct observer *o)
{
    fputs("\"phases\":{", f);
    for (unsigned p = 0; p < OBS_NPHASES; p++) {
        fprintf(f, "%s", p ? ",\n  " : "\n  ");
        key(f, observe_phase_word(p));
        cost(f, &o->phase[p]);
    }
    fputs("},\n\"syscall_phases\":{", f);
    bool any = false;
    for (unsigned i = 0; i < SESSION_NSYSCALL_SLOTS; i++) {
        if (o->by_syscall[i].count == 0)
            continue;
        fprintf(f, "%s", any ? ",\n  " : "\n  ");
        key(f, i == SESSION_SYS_UNKNOWN ? "unknown"
                                        : session_syscall_slot_name(i));
        cost(f, &o->by_syscall[i]);
        any = true;
    }
    fputs("},\n", f);
}

static void null_or(FILE *f, bool valid, uint64_t v)
{
    if (valid)
        fprintf(f, "%" PRIu64, v);
    else
        fputs("null", f);
}

static void process(FILE *f, const struct observer *o,
                    const struct lde_procinfo *p)
{
    uint32_t pid = p->pid;
    struct session_pid_acct a = session_pid_acct(o->s, pid);
    char name[LDE_NAME_MAX + 1];
    kstate_name(p, name, sizeof name);
    bool ended = p->ended != 0 || p->state == PS_ZOMBIE;
    bool killed =
        ended && (p->kill_vector != LDE_KILLED_NONE || p->kill_signal != 0);
    fprintf(f, "{\"pid\":%" PRIu32 ",\"ppid\":%" PRIu32 ",\"name\":", p->pid,
            p->ppid);
    observe_json_string(f, name);
    fprintf(f, ",\"state\":\"%s\",\"status\":\"%s\",\"exit_status\":",
            kstate_state_name(p->state),
            !ended   ? "running"
            : killed ? "killed"
                     : "exit");
    if (ended)
        fprintf(f, "%" PRId32, p->exit_status);
    else
        fputs("null", f);
    fputs(",\"killed_by\":", f);
    if (killed && p->kill_vector != LDE_KILLED_NONE) {
        const char *w = cpu_vector_word(p->kill_vector);
        fprintf(f, "{\"vector\":\"%s\",\"name\":", w ? w : "unknown");
        observe_json_string(f, cpu_vector_name(p->kill_vector));
        fprintf(f, ",\"pc\":%" PRIu32 ",\"tval\":%" PRIu32 "}", p->kill_pc,
                p->kill_tval);
    } else if (killed) {
        fprintf(f, "{\"signal\":%" PRIu32 "}", p->kill_signal);
    } else {
        fputs("null", f);
    }
    uint64_t first = a.first_user;
    fprintf(f, ",\"created\":%" PRIu64 ",\"ended\":", p->created);
    null_or(f, p->ended != 0, p->ended);
    fprintf(f,
            ",\"user_cycles\":%" PRIu64 ",\"kernel_cycles\":%" PRIu64
            ",\"syscalls\":%" PRIu32 ",\"switched_to\":%" PRIu32
            ",\"first_run\":",
            a.user, a.kernel, a.syscalls, a.switches);
    null_or(f, pid != 0 && first != 0, first);
    fputs(",\"response\":", f);
    null_or(f, pid != 0 && first >= p->created && first != 0,
            first - p->created);
    fputs(",\"turnaround\":", f);
    null_or(f, p->ended != 0 && p->ended >= p->created, p->ended - p->created);
    fprintf(f, ",\"blocked\":%" PRIu64 ",\"wait\":%" PRIu64,
            observe_blocked(o, pid), observe_wait(o, pid));
    fputs("}", f);
}

int observe_json(FILE *f, const struct observer *o, double host_seconds)
{
    fprintf(f, "{\"schema\":\"lde-report\",\"schema_version\":%d,\"lde\":",
            REPORT_SCHEMA_VERSION);
    observe_json_string(f, session_version);
    fputs(",\n", f);
    machine(f, o);
    totals(f, o, host_seconds);
    phases(f, o);
    fputs("\"processes\":[", f);
    if (o->nprocs > 0) {
        for (unsigned i = 0; i < o->nprocs; i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            process(f, o, &o->procs[i]);
        }
    }
    fputs("],\n\"processes_error\":", f);
    if (o->nprocs == 0 && o->procs_err[0])
        observe_json_string(f, o->procs_err);
    else
        fputs("null", f);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}
