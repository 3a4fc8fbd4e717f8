/*
 * trace.c: `lde run --trace`. The machine's trap and rti hooks report
 * every mode switch; this file turns each into one line:
 *
 *   lde: trace: cycle 156396 pid 1 U->K timer interrupt at 0x000100a4
 * <main+0x30> lde: trace: cycle 156910 pid 2 K->U rti to 0x0001009c <main+0x28>
 *
 * The pid is the kernel's own (lde_current_pid); a context switch shows
 * as a trap from one pid followed by an rti into another. run.c calls
 * these from the trap and rti hooks only: no cost per instruction.
 */
#include <inttypes.h>
#include <string.h>

#include "kstate.h"
#include "trace.h"

/* "0x000100a4 <main+0x30>": program symbols for user addresses (pid N
 * runs program N-1: the kernel gives pids in boot order), the kernel's
 * otherwise. */
static void format_pc(const struct trace *t, uint32_t mode, uint32_t pid,
                      uint32_t pc, char *buf, size_t len)
{
    const struct sym_table *syms = t->s->ksyms;
    if (mode == MODE_USER)
        syms = pid >= 1 && pid <= t->s->nprogs ? t->s->psyms[pid - 1] : NULL;
    uint32_t off;
    char name[128];
    if (syms == NULL || sym_by_addr(syms, pc, &off) == NULL)
        snprintf(buf, len, "0x%08" PRIx32, pc);
    else
        snprintf(buf, len, "0x%08" PRIx32 " <%s>", pc,
                 sym_format(syms, pc, name, sizeof name));
}

static const char *syscall_name(uint32_t nr)
{
    const char *name = lde_syscall_name(nr);
    return name ? name : "unknown";
}

static void line_start(struct trace *t, const struct cpu *cpu, uint32_t pid,
                       const char *dir)
{
    hostcon_flush(t->hc);
    fprintf(t->out, "lde: trace: cycle %" PRIu64 " pid ", cpu->cycle);
    if (pid)
        fprintf(t->out, "%" PRIu32, pid);
    else
        fputc('-', t->out);
    fprintf(t->out, " %s ", dir);
    t->lines++;
}

void trace_trap(struct trace *t, const struct cpu *cpu,
                const struct cpu_trap_info *ti)
{
    uint32_t pid = session_current_pid(t->s);
    char where[160];
    /* For an interrupt the saved pc is where the process will resume; for
     * a synchronous trap it is the instruction (after it, for ecall). */
    uint32_t at = ti->vector == VEC_SYSCALL ? ti->epc - 4 : ti->epc;
    format_pc(t, ti->from_mode, pid, at, where, sizeof where);
    line_start(t, cpu, pid, ti->from_mode == MODE_USER ? "U->K" : "K->K");
    if (ti->vector == VEC_SYSCALL) {
        uint32_t nr = cpu->x[17]; /* a7: trap entry leaves it as it was */
        fprintf(t->out, "system call %s (%" PRIu32 ") at %s\n",
                syscall_name(nr), nr, where);
    } else if (ti->vector == VEC_TIMER || ti->vector == VEC_CONSOLE) {
        fprintf(t->out, "%s before %s\n", cpu_vector_name(ti->vector), where);
    } else {
        fprintf(t->out, "%s at %s, tval 0x%08" PRIx32 "\n",
                cpu_vector_name(ti->vector), where, ti->tval);
    }
}

void trace_rti(struct trace *t, const struct cpu *cpu)
{
    uint32_t pid = session_current_pid(t->s);
    char where[160];
    format_pc(t, cpu->mode, pid, cpu->pc, where, sizeof where);
    line_start(t, cpu, pid, cpu->mode == MODE_USER ? "K->U" : "K->K");
    fprintf(t->out, "rti to %s\n", where);
}

void trace_init(struct trace *t, const struct session *s, struct hostcon *hc,
                FILE *out)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    t->hc = hc;
    t->out = out;
}
