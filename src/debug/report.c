/*
 * report.c: what a stop shows, and what the hardware did, in the
 * words of OSTEP chapter 6 (Figure 6.2): on a trap the hardware "saves
 * regs to kernel stack, moves to kernel mode, jumps to trap handler"; on
 * a return-from-trap it "restores regs from kernel stack, moves to user
 * mode, jumps to main/PC".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dbg.h"
#include "lde/syscalls.h"

/* "(instruction 0x00000073)", "(bad address 0x00000000)" or "". */
static void trap_detail(const struct cpu_trap_info *t, char *buf, size_t len)
{
    switch (t->vector) {
    case VEC_MEMFAULT:
    case VEC_MISALIGNED:
        snprintf(buf, len, " (bad address 0x%08" PRIx32 ")", t->tval);
        break;
    case VEC_ILLEGAL:
    case VEC_PRIVILEGED:
    case VEC_BREAKPOINT:
    case VEC_DIVZERO:
        snprintf(buf, len, " (instruction 0x%08" PRIx32 ")", t->tval);
        break;
    default: buf[0] = '\0'; break;
    }
}

void dbg_describe_trap(struct dbg *d, const struct cpu_trap_info *t, char *buf,
                       size_t len)
{
    int from = t->from_mode == MODE_USER ? DBG_USER : DBG_KERNEL;
    bool interrupt = t->vector == VEC_TIMER || t->vector == VEC_CONSOLE;
    /* A system call saves the pc after the ecall; show the ecall. */
    uint32_t at = t->vector == VEC_SYSCALL ? t->epc - 4 : t->epc;
    char what[96], where[160], handler[160], detail[64];
    if (t->vector == VEC_SYSCALL) {
        uint32_t a7 = d->s.cpu->x[17];
        const char *n = lde_syscall_name(a7);
        snprintf(what, sizeof what, "system call %s (a7 = %" PRIu32 ")",
                 n ? n : "?", a7);
    } else {
        snprintf(what, sizeof what, "%s (vector %" PRIu32 ")",
                 cpu_vector_name(t->vector), t->vector);
    }
    dbg_format_addr(d, (struct dbg_loc){at, from}, where, sizeof where);
    dbg_format_addr(d, (struct dbg_loc){t->handler, DBG_KERNEL}, handler,
                    sizeof handler);
    trap_detail(t, detail, sizeof detail);
    if (t->from_mode == MODE_USER)
        snprintf(buf, len,
                 "%s in user mode %s %s%s: saved registers of pid %" PRIu32
                 " on its kernel stack at 0x%08" PRIx32
                 ", moved to kernel mode, jumped to trap handler %s",
                 what, interrupt ? "before" : "at", where, detail,
                 dbg_current_pid(d), t->frame, handler);
    else
        snprintf(buf, len,
                 "%s in kernel mode %s %s%s: saved registers on the kernel "
                 "stack at 0x%08" PRIx32
                 ", stayed in kernel mode (interrupts off), jumped to trap "
                 "handler %s",
                 what, interrupt ? "before" : "at", where, detail, t->frame,
                 handler);
}

bool dbg_rti_frame(const struct dbg *d, uint32_t *frame)
{
    const struct cpu *cpu = d->s.cpu;
    if (d->step_sp_known) {
        *frame = d->step_sp;
        return true;
    }
    /* A frame from user mode lies at the top of the process's kernel
     * stack (KSP); a kernel one just below the sp it saved. Believe the
     * guess only if the frame holds the pc and sp just restored. */
    uint32_t top = cpu->mode == MODE_USER ? cpu->ksp : cpu->x[2];
    uint32_t f = (top - FRAME_SIZE) & ~15u, pc, sp;
    if (cpu_read_phys(cpu, f + FRAME_PC, &pc, 4) != 0 ||
        cpu_read_phys(cpu, f + FRAME_X(2), &sp, 4) != 0 || pc != cpu->pc ||
        sp != cpu->x[2])
        return false;
    *frame = f;
    return true;
}

void dbg_describe_rti(struct dbg *d, uint32_t rti_pc, uint32_t frame,
                      bool frame_known, char *buf, size_t len)
{
    (void)rti_pc;
    const struct cpu *cpu = d->s.cpu;
    char where[160], from[48];
    dbg_format_addr(d, (struct dbg_loc){cpu->pc, dbg_current_space(d)}, where,
                    sizeof where);
    if (frame_known)
        snprintf(from, sizeof from, "0x%08" PRIx32, frame);
    else
        snprintf(from, sizeof from, "the frame at the old sp");
    if (cpu->mode == MODE_USER)
        snprintf(buf, len,
                 "return-from-trap: restored registers of pid %" PRIu32
                 " from %s, moved to user mode, resumed at %s",
                 dbg_current_pid(d), from, where);
    else
        snprintf(buf, len,
                 "return-from-trap: restored registers from %s, stayed in "
                 "kernel mode, resumed at %s",
                 from, where);
}

void dbg_snapshot_regs(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    for (int i = 0; i < 32; i++) {
        d->changed[i] = cpu->x[i] != d->shown_regs[i];
        d->shown_regs[i] = cpu->x[i];
    }
}

void dbg_show_location(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    struct dbg_loc here = {cpu->pc, dbg_current_space(d)};
    uint32_t pid = dbg_current_pid(d);
    char where[160], text[192], pidbuf[32];
    if (pid != 0)
        snprintf(pidbuf, sizeof pidbuf, "pid %" PRIu32, pid);
    else
        snprintf(pidbuf, sizeof pidbuf, "no process");
    printf("cycle %" PRIu64 ", %s mode, %s", cpu->cycle,
           cpu->mode == MODE_USER ? "user" : "kernel", pidbuf);
    int im = dbg_space_image(d, here.space);
    const char *file;
    int line;
    if (im >= 0 && dbg_dwarf_line(d->img[im].dw, cpu->pc, &file, &line) == 0) {
        const char *base = strrchr(file, '/');
        printf(", %s:%d", base ? base + 1 : file, line);
    }
    if (im > 0)
        printf(" (%s)", d->img[im].name);
    printf("\n");
    bool ok = dbg_disasm_at(d, here, text, sizeof text) == 0;
    printf("=> %s:\t%s%s%s\n", dbg_format_addr(d, here, where, sizeof where),
           ok ? "" : "(", text, ok ? "" : ")");
}

void dbg_report_stop(struct dbg *d)
{
    dbg_sync_output(d);
    d->list_file[0] = '\0';
    if (d->s.cpu->halted) {
        fflush(stdout);
        return;
    }
    dbg_show_location(d);
    dbg_snapshot_regs(d);
    dbg_show_displays(d);
    fflush(stdout);
}
