/*
 * trace.c: the traps, syscalls and switches categories of --trace (see
 * trace.h). The traps lines are those `lde run --trace` has always
 * printed; tests/e2e checks them word for word.
 */
#include "trace.h"

#include <inttypes.h>

#include "hostcon.h"
#include "session.h"

/* Within --window: the line's cycle and pid, and the count so far. */
static bool wanted(const struct observer *o, uint64_t cycle, uint32_t pid,
                   uint32_t other_pid)
{
    const struct obs_window *w = &o->opt.window;
    if (!window_has_cycle(w, cycle))
        return false;
    if (!window_has_pid(w, pid) && !window_has_pid(w, other_pid))
        return false;
    return w->first == 0 || o->trace_lines < w->first;
}

/* "lde: trace: cycle N pid P " (pid "-" when none runs). Guest output
 * already produced comes first, so `2>&1` shows things in order. */
static void line_start(struct observer *o, uint64_t cycle, uint32_t pid)
{
    hostcon_flush(o->hc);
    if (pid != 0)
        obuf_printf(o->out, "lde: trace: cycle %" PRIu64 " pid %" PRIu32 " ",
                    cycle, pid);
    else
        obuf_printf(o->out, "lde: trace: cycle %" PRIu64 " pid - ", cycle);
    o->trace_lines++;
}

static void trap_line(struct observer *o, const struct obs_event *e)
{
    char where[160];
    observe_format_pc(o, e->mode, e->pid, e->pc, where, sizeof where);
    line_start(o, e->cycle + e->hw, e->pid);
    obuf_puts(o->out, e->mode == MODE_USER ? "U->K " : "K->K ");
    if (e->vector == VEC_SYSCALL) {
        const char *name = lde_syscall_name(e->sysno);
        obuf_printf(o->out, "system call %s (%" PRIu32 ") at %s\n",
                    name ? name : "unknown", e->sysno, where);
    } else if (e->vector == VEC_TIMER || e->vector == VEC_CONSOLE) {
        /* An interrupt's saved pc is where the process will resume. */
        obuf_printf(o->out, "%s before %s\n", cpu_vector_name(e->vector),
                    where);
    } else {
        obuf_printf(o->out, "%s at %s, tval 0x%08" PRIx32 "\n",
                    cpu_vector_name(e->vector), where, e->tval);
    }
}

static void rti_line(struct observer *o, const struct obs_event *e)
{
    char where[160];
    observe_format_pc(o, e->mode, e->pid, e->pc, where, sizeof where);
    line_start(o, e->cycle + e->hw, e->pid);
    obuf_printf(o->out, "%s rti to %s\n",
                e->mode == MODE_USER ? "K->U" : "K->K", where);
}

/* "write(1, 0x000102c0, 22) = 22 (returned at cycle 15233)". */
static void syscall_line(struct observer *o, const struct obs_pending *p,
                         uint32_t pid, const char *result)
{
    struct obs_event call = {.sysno = p->sysno};
    for (int i = 0; i < 6; i++)
        call.arg[i] = p->arg[i];
    char text[256];
    observe_syscall_call(&call, text, sizeof text);
    line_start(o, p->cycle, pid);
    obuf_printf(o->out, "%s%s\n", text, result);
}

static void syscalls(struct observer *o, const struct obs_event *e)
{
    if (e->pid >= OBS_PIDS)
        return;
    struct obs_pending *p = &o->pending[e->pid];
    if (e->kind == OBS_TRAP && e->vector == VEC_SYSCALL &&
        e->mode == MODE_USER) {
        *p = (struct obs_pending){true, e->cycle + e->hw, e->sysno, {0}};
        for (int i = 0; i < 6; i++)
            p->arg[i] = e->arg[i];
        if (e->sysno == SYS_exit || e->sysno == SYS_exit_group) {
            p->open = false; /* exit does not return */
            if (wanted(o, p->cycle, e->pid, 0))
                syscall_line(o, p, e->pid, "");
        }
        return;
    }
    if (e->kind != OBS_RTI || e->mode != MODE_USER || !p->open)
        return;
    p->open = false;
    if (!wanted(o, p->cycle, e->pid, 0))
        return;
    char value[24], result[80];
    observe_format_value(e->arg[0], value, sizeof value);
    snprintf(result, sizeof result, " = %s (returned at cycle %" PRIu64 ")",
             value, e->cycle + e->hw);
    syscall_line(o, p, e->pid, result);
}

static void switch_line(struct observer *o, const struct obs_event *e)
{
    uint32_t from = o->last_user_pid;
    if (e->kind != OBS_RTI || e->mode != MODE_USER || e->pid == from)
        return;
    uint64_t cycle = e->cycle + e->hw;
    if (!wanted(o, cycle, e->pid, from))
        return;
    line_start(o, cycle, e->pid);
    if (from == 0) {
        obuf_printf(o->out, "switch to pid %" PRIu32 " (its first run)\n",
                    e->pid);
        return;
    }
    const struct obs_event *t = &o->open;
    char why[64];
    if (t->vector == VEC_SYSCALL)
        observe_syscall_name(t->sysno, why, sizeof why);
    else
        snprintf(why, sizeof why, "%s", cpu_vector_name(t->vector));
    obuf_printf(o->out,
                "switch pid %" PRIu32 " -> pid %" PRIu32
                " (%s at cycle %" PRIu64 ")\n",
                from, e->pid, why, t->cycle + t->hw);
}

void trace_event(struct observer *o, const struct obs_event *e)
{
    unsigned cats = o->opt.trace;
    if (cats & OBS_TRACE_TRAPS) {
        uint64_t cycle = e->cycle + e->hw;
        if (e->kind == OBS_TRAP && wanted(o, cycle, e->pid, 0))
            trap_line(o, e);
        else if (e->kind == OBS_RTI && wanted(o, cycle, e->pid, 0))
            rti_line(o, e);
    }
    if (cats & OBS_TRACE_SYSCALLS)
        syscalls(o, e);
    if (cats & OBS_TRACE_SWITCHES)
        switch_line(o, e);
}

void trace_finish(struct observer *o)
{
    if (!(o->opt.trace & OBS_TRACE_SYSCALLS))
        return;
    for (uint32_t pid = 1; pid < OBS_PIDS; pid++) {
        struct obs_pending *p = &o->pending[pid];
        if (p->open && wanted(o, p->cycle, pid, 0))
            syscall_line(o, p, pid,
                         " = ? (had not returned when the run ended)");
        p->open = false;
    }
}
