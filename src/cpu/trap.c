/*
 * trap.c: the only two transitions that change the mode (docs/isa.md §6):
 * trap entry, where the hardware saves the registers on a kernel stack, and
 * rti, which restores them. These are the hardware halves of OSTEP's
 * Figure 6.2: "save regs to kernel stack, move to kernel mode, jump to trap
 * handler" and "restore regs from kernel stack, move to user mode, jump to
 * main/PC".
 */
#include "block.h"
#include "cpu_internal.h"

/* The frame must lie wholly in RAM; 64-bit arithmetic avoids wrap-around. */
static bool frame_fits(const struct cpu *cpu, uint32_t frame, uint32_t stack)
{
    return frame <= stack && (uint64_t)frame + FRAME_SIZE <= cpu->ram_size;
}

static void set_mode(struct cpu *cpu, uint32_t new_mode)
{
    uint32_t old = cpu->mode;
    if (old == new_mode)
        return;
    /* Account the cycles of the mode being left (cpu.h: user + kernel +
     * idle == cycle; kernel is what remains). */
    if (old == MODE_USER)
        cpu->user_cycles += cpu->cycle - cpu->mode_since;
    cpu->mode = new_mode;
    cpu->mode_since = cpu->cycle;
    mem_update_window(cpu);
    if (cpu->hooks.mode && cpu->hooks.mode(cpu->hooks.ctx, cpu, old, new_mode))
        cpu->stop_requested = true;
}

void trap_enter(struct cpu *cpu, uint32_t vector, uint32_t epc, uint32_t tval)
{
    uint32_t from_mode = cpu->mode;

    /* (1) Choose the stack: the kernel stack of the process if the trap
     * comes from user mode, the current stack if the kernel trapped. */
    uint32_t stack = from_mode == MODE_USER ? cpu->ksp : cpu->x[2];
    uint32_t frame = (stack - FRAME_SIZE) & ~15u;

    /* A trap that cannot be delivered is a double fault: halt. */
    const char *why = NULL;
    uint32_t handler = 0;
    if (cpu->ttr == 0)
        why = "TTR is not set";
    else if ((uint64_t)cpu->ttr + 4 * NVECTORS > cpu->ram_size ||
             (cpu->ttr & 3))
        why = "the trap table is not in RAM";
    else if ((handler = rd32(cpu->ram + cpu->ttr + 4 * vector)) == 0)
        why = "no handler for this vector";
    else if ((handler & 3) || handler >= cpu->ram_size)
        why = "the handler address is not an instruction in RAM";
    else if (!frame_fits(cpu, frame, stack))
        why = "the trap frame would fall outside RAM";
    if (why) {
        cpu_halt(cpu, STOP_DOUBLE_FAULT,
                 "double fault: %s (vector %u) in %s mode at pc 0x%08x, "
                 "tval 0x%08x: %s (TTR 0x%08x, %s 0x%08x)",
                 cpu_vector_name(vector), vector,
                 from_mode == MODE_USER ? "user" : "kernel", epc, tval, why,
                 cpu->ttr, from_mode == MODE_USER ? "KSP" : "sp", stack);
        return;
    }

    /* (2) Push the frame: x1..x31, pc, STATUS as it was, cause, tval. */
    uint8_t *f = cpu->ram + frame;
    for (int n = 1; n < 32; n++)
        wr32(f + FRAME_X(n), cpu->x[n]);
    wr32(f + FRAME_PC, epc);
    wr32(f + FRAME_STATUS, cpu->status);
    wr32(f + FRAME_CAUSE, vector);
    wr32(f + FRAME_TVAL, tval);
    wr32(f + FRAME_ZERO, 0);
    blocks_invalidate(cpu, frame, FRAME_SIZE);
    cpu->x[2] = frame;

    /* (3) Kernel mode, interrupts off. The entry's cost is kernel time. */
    cpu->status = (cpu->status | STATUS_MODE) & ~STATUS_IE;
    set_mode(cpu, MODE_KERNEL);
    cpu->cycle += cpu->trap_cost;
    cpu->traps[vector]++;

    /* (4) Jump to the handler the kernel installed for this vector. */
    cpu->pc = handler;
    cpu->in_wfi = false;
    cpu_recheck(cpu);

    if (cpu->hooks.trap) {
        struct cpu_trap_info t = {vector, from_mode, epc, tval, frame, handler};
        if (cpu->hooks.trap(cpu->hooks.ctx, cpu, &t))
            cpu->stop_requested = true;
    }
}

int trap_rti(struct cpu *cpu, uint32_t *tval)
{
    uint32_t frame = cpu->x[2];
    /* Misaligned first: as for any access both misaligned and out of
     * bounds, vector 3 is the one raised (docs/isa.md §5). */
    if (frame & 3) {
        *tval = frame;
        return VEC_MISALIGNED;
    }
    if ((uint64_t)frame + FRAME_SIZE > cpu->ram_size) {
        *tval = frame;
        return VEC_MEMFAULT;
    }
    uint32_t rti_pc = cpu->pc;
    const uint8_t *f = cpu->ram + frame;
    /* Restore x1..x31; sp (x2) comes from the frame like the others. */
    for (int n = 1; n < 32; n++)
        cpu->x[n] = rd32(f + FRAME_X(n));
    uint32_t status = rd32(f + FRAME_STATUS) & (STATUS_MODE | STATUS_WRITABLE);
    cpu->pc = rd32(f + FRAME_PC);
    cpu->status = status;
    cpu->cycle += cpu->rti_cost;
    cpu->instret++;
    set_mode(cpu, status & STATUS_MODE ? MODE_KERNEL : MODE_USER);
    cpu_recheck(cpu);
    if (cpu->hooks.rti && cpu->hooks.rti(cpu->hooks.ctx, cpu, rti_pc))
        cpu->stop_requested = true;
    return TRAP_NONE;
}

int trap_interrupt_pending(const struct cpu *cpu)
{
    if (cpu->timer.pending)
        return VEC_TIMER;
    if ((cpu->console.ctrl & CONSOLE_CTRL_RXIE) &&
        (cpu->console.rx_count || cpu->console.rx_eof_event))
        return VEC_CONSOLE;
    return TRAP_NONE;
}

/* Interrupts are taken when pending and (mode == user or IE == 1): user
 * code can never mask the timer, which is how the OS keeps control. */
int trap_interrupt_deliverable(const struct cpu *cpu)
{
    if (cpu->mode != MODE_USER && !(cpu->status & STATUS_IE))
        return TRAP_NONE;
    return trap_interrupt_pending(cpu);
}
