/*
 * trap.c: the kernel's half of every trap (OSTEP Figure 6.2, "Handle
 * trap"). The hardware has already saved the user registers in a frame on
 * the process's kernel stack and jumped here through the trap table
 * (trapentry.S). One dispatcher for every vector: system call, timer and
 * console interrupts, and faults.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

/* The trap table: 32 handler addresses, installed in TTR at boot (OSTEP
 * Figure 6.2, "initialize trap table" / the hardware "remember address
 * of syscall handler"). Every vector goes to the same entry, which finds
 * the vector in the frame; no entry is 0, so no trap is undeliverable. */
static uint32_t trap_table[NVECTORS] __attribute__((aligned(16)));

void trapinit(void)
{
    for (int v = 0; v < NVECTORS; v++)
        trap_table[v] = (uint32_t)(uintptr_t)trap_vector;
    csr_write(CSR_TTR, (uint32_t)(uintptr_t)trap_table);
}

const char *vector_name(uint32_t vector)
{
    switch (vector) {
#define VECTOR_CASE(v, word, name, signal)                                     \
    case v: return name;
        LDE_VECTORS(VECTOR_CASE)
#undef VECTOR_CASE
    }
    return "unknown trap";
}

/* A trap that cannot be: taken in kernel mode (the kernel runs with
 * interrupts off, so it can only be a kernel bug), or from user mode with
 * no running process or with its frame elsewhere than at the top of the
 * process's kernel stack. Out of line: the common path only tests. */
static void bad_trap(const struct trapframe *tf, const struct proc *p)
    __attribute__((noreturn, noinline, cold));
static void bad_trap(const struct trapframe *tf, const struct proc *p)
{
    if (tf->status & STATUS_MODE)
        panic("%s (vector %u) in kernel mode at pc 0x%x, tval 0x%x, pid %u",
              vector_name(tf->cause), tf->cause, tf->pc, tf->tval,
              p ? p->pid : 0);
    if (!p)
        panic("trap from user mode with no running process");
    panic("pid %u: trap frame at %p, not at the top of its kernel stack",
          p->pid, tf);
}

/* Every trap but a system call: interrupts and faults. */
static void other_trap(struct trapframe *tf, struct proc *p)
    __attribute__((noinline));
static void other_trap(struct trapframe *tf, struct proc *p)
{
    switch (tf->cause) {
    case VEC_TIMER:
        /* OSTEP 6.3: "Handle the trap: call switch()". */
        timer_ack();
        wake_sleepers(rdcycle64());
        console_poll(); /* input that came while the kernel ran */
        if (timer_preemptive() && sched_tick(p))
            yield();
        break;
    case VEC_CONSOLE: console_intr(); break;
    case VEC_ILLEGAL:
    case VEC_PRIVILEGED:
    case VEC_MEMFAULT:
    case VEC_MISALIGNED:
    case VEC_BREAKPOINT:
    case VEC_DIVZERO: kill_on_fault(p, tf); break;
    default:
        panic("unexpected trap vector %u from user mode at pc 0x%x", tf->cause,
              tf->pc);
    }
}

/* Called by trapentry.S with the frame the hardware pushed. Returns to
 * trapentry.S, which executes rti on the same frame. The hardware has
 * saved every user register there, so nothing here saves them again:
 * only what this C function itself needs across its calls. */
void trap(struct trapframe *tf)
{
    struct proc *p = myproc();
    if ((tf->status & STATUS_MODE) || !p || tf != p->tf)
        bad_trap(tf, p);

    if (tf->cause == VEC_SYSCALL) {
        /* OSTEP 6.2: "Handle trap: do work of syscall". The saved pc is
         * already past the ecall, so rti does not repeat it; the result
         * goes in a0 of the frame, where rti hands it to the process
         * (p's frame: the call may have switched away from p and back). */
        p->tf->a0 = (uint32_t)syscall(tf);
    } else {
        other_trap(tf, p);
    }
    prepare_user_return(p);
}

/* The last kernel step before rti to user mode (OSTEP 6.2: "return-from-
 * trap"): a process marked killed dies here instead of returning. The
 * caller then executes rti (trapentry.S, or userret for a new process). */
void prepare_user_return(struct proc *p)
{
    if (p->killed)
        proc_die(p);
}

/* A new process's first run: the first swtch() to it (from the process
 * that ran before, or from the scheduler) "returns" here, on the kernel
 * stack just below the frame exec.c built (or fork copied);
 * rti into it starts the program (OSTEP 6.2: "restore regs from kernel
 * stack, move to user mode, jump to main"), or returns from fork. */
void forkret(void)
{
    struct proc *p = myproc();
    switched_to(p);
    prepare_user_return(p);
    userret(p->tf);
}
