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

/* A trap taken in kernel mode: the kernel runs with interrupts off, so it
 * can only be a kernel bug. */
static void kerneltrap(const struct trapframe *tf) __attribute__((noreturn));
static void kerneltrap(const struct trapframe *tf)
{
    panic("%s (vector %u) in kernel mode at pc 0x%x, tval 0x%x, pid %u",
          vector_name(tf->cause), tf->cause, tf->pc, tf->tval,
          myproc() ? myproc()->pid : 0);
}

/* Called by trapentry.S with the frame the hardware pushed. Returns to
 * trapentry.S, which executes rti on the same frame. */
void trap(struct trapframe *tf)
{
    if (tf->status & STATUS_MODE)
        kerneltrap(tf);
    struct proc *p = myproc();
    if (!p || p->state != RUNNING)
        panic("trap from user mode with no running process");
    if (tf != p->tf)
        panic("pid %u: trap frame at %p, not at the top of its kernel stack",
              p->pid, tf);

    switch (tf->cause) {
    case VEC_SYSCALL:
        /* OSTEP 6.2: "Handle trap: do work of syscall". The saved pc is
         * already past the ecall, so rti does not repeat it. */
        syscall(tf);
        break;
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

/* A new process's first run: the scheduler's swtch() "returns" here, on
 * the kernel stack just below the frame exec.c built (or fork copied);
 * rti into it starts the program (OSTEP 6.2: "restore regs from kernel
 * stack, move to user mode, jump to main"), or returns from fork. */
void forkret(void)
{
    struct proc *p = myproc();
    prepare_user_return(p);
    userret(p->tf);
}
