/*
 * sysproc.c: process calls: exit, identity, yield, kill, brk, and our own
 * lde_procinfo.
 */
#include "defs.h"
#include "proc.h"
#include "syscall.h"

/* exit(status) and exit_group(status): one thread per process, so both
 * end the process. Like Linux, only the low 8 bits are the status. */
int32_t sys_exit(struct trapframe *tf)
{
    exit_proc((int)(tf->a0 & 0xFF));
}

int32_t sys_getpid(struct trapframe *tf)
{
    (void)tf;
    return (int32_t)myproc()->pid;
}

/* Every process is created by the kernel at boot: the parent is 0. */
int32_t sys_getppid(struct trapframe *tf)
{
    (void)tf;
    return (int32_t)myproc()->ppid;
}

/* set_tid_address(tidptr): one thread per process; the tid is the pid. */
int32_t sys_set_tid_address(struct trapframe *tf)
{
    (void)tf;
    return (int32_t)myproc()->pid;
}

/* sched_yield(): give the CPU to the next runnable process (the
 * cooperative way of OSTEP 6.2: "a yield system call"). */
int32_t sys_sched_yield(struct trapframe *tf)
{
    (void)tf;
    yield();
    return 0;
}

/* kill(pid, sig): the target is marked killed and ends with status
 * 128 + sig the next time it would return to user mode (at once if it is
 * the caller). No process groups: pid must be positive. sig 0 only checks
 * that the target exists. */
int32_t sys_kill(struct trapframe *tf)
{
    int32_t pid = (int32_t)tf->a0;
    int32_t sig = (int32_t)tf->a1;
    if (sig < 0 || sig > 64 || pid <= 0)
        return -LDE_EINVAL;
    return kill_proc((uint32_t)pid, (uint32_t)sig, myproc()->pid);
}

/* brk(addr), Linux semantics: set the program break to addr if it lies
 * between the initial break and LDE_USER_STACK_MIN below the stack
 * pointer; return the break in force afterwards (so brk(0) asks for it,
 * and failure returns the old one). New memory reads as zero. */
int32_t sys_brk(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t addr = tf->a0;
    uint32_t sp = tf->sp;
    if (sp < USER_NULL_GUARD || sp > p->ubound)
        sp = p->ubound;
    uint32_t limit = sp > LDE_USER_STACK_MIN ? sp - LDE_USER_STACK_MIN : 0;
    if (addr < p->brk_min || addr > limit)
        return (int32_t)p->brk;
    /* Memory above brk_max was never handed out: it is still as the
     * partition came, zero (unless the program wrote there by itself,
     * which base and bounds cannot stop; its own data). Only memory given
     * back by an earlier shrink is cleared again. */
    if (addr > p->brk && p->brk < p->brk_max) {
        uint32_t end = addr < p->brk_max ? addr : p->brk_max;
        memset(user_ptr(p, p->brk), 0, end - p->brk);
    }
    if (addr > p->brk_max)
        p->brk_max = addr;
    p->brk = addr;
    return (int32_t)addr;
}

/* lde_divzero(trap): from now on, an integer division by zero in the
 * caller traps (trap = 1) or gives RISC-V's result (0). rti restores
 * STATUS from the frame, so the frame's copy is the process's setting.
 * Returns the previous setting. */
int32_t sys_lde_divzero(struct trapframe *tf)
{
    int32_t was = (tf->status & STATUS_DZ) != 0;
    if (tf->a0 > 1)
        return -LDE_EINVAL;
    tf->status = tf->a0 ? tf->status | STATUS_DZ : tf->status & ~STATUS_DZ;
    return was;
}

/* lde_procinfo(struct lde_procinfo *out): a copy of the caller's record,
 * as the host sees it. */
int32_t sys_lde_procinfo(struct trapframe *tf)
{
    struct proc *p = myproc();
    return copyout(p, tf->a0, p->info, sizeof *p->info);
}
