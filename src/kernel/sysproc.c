/*
 * sysproc.c: process calls: clone (fork), exit, waitid, identity, yield,
 * kill, brk, and lde's own lde_procinfo, lde_proctable and lde_divzero.
 * execve is exec.c's.
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

/* The parent's pid: 0 for a boot program (the kernel's child), 1 for an
 * orphan that pid 1 adopted. */
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

/* clone(flags, stack, ptid, tls, ctid) as a C library's fork() calls it:
 * flags = SIGCHLD (the signal the parent gets when the child ends), a
 * zero stack (the child runs on a copy of the caller's). The thread
 * arguments mean nothing without thread flags. Anything else: -EINVAL. */
int32_t sys_clone(struct trapframe *tf)
{
    if (tf->a0 != LDE_CLONE_FORK || tf->a1 != 0)
        return -LDE_EINVAL;
    return fork_proc();
}

/* waitid(idtype, id, infop, options, rusage): P_ALL or P_PID (id > 0);
 * options WEXITED (required: the only events there are), WNOHANG,
 * WNOWAIT (report, do not reap), and WSTOPPED/WCONTINUED, accepted but
 * never met (nothing stops). lde has no process groups: P_PGID is
 * -EINVAL. infop (if not NULL) gets the child's siginfo, or zeros when
 * WNOHANG finds nothing; rusage (if not NULL) is written all zero. */
#define WAITID_OPTIONS                                                         \
    (LDE_WNOHANG | LDE_WSTOPPED | LDE_WEXITED | LDE_WCONTINUED | LDE_WNOWAIT | \
     LDE_WNOTHREAD | LDE_WALL | LDE_WCLONE)
int32_t sys_waitid(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t idtype = tf->a0, id = tf->a1, infop = tf->a2;
    uint32_t options = tf->a3, rusage = tf->a4;
    if ((options & ~(uint32_t)WAITID_OPTIONS) ||
        !(options & (LDE_WEXITED | LDE_WSTOPPED | LDE_WCONTINUED)))
        return -LDE_EINVAL;
    if (idtype != LDE_P_ALL && (idtype != LDE_P_PID || (int32_t)id <= 0))
        return -LDE_EINVAL;
    if ((infop && !user_range_ok(p, infop, sizeof(struct lde_siginfo))) ||
        (rusage && !user_range_ok(p, rusage, LDE_RUSAGE_SIZE)))
        return -LDE_EFAULT;
    struct lde_siginfo si;
    int32_t r = wait_child(idtype, id, options, &si);
    if (r < 0)
        return r;
    if (r == 0)
        memset(&si, 0, sizeof si); /* WNOHANG, nothing yet */
    if (infop)
        copyout(p, infop, &si, sizeof si);
    if (rusage) {
        static const uint8_t zero[LDE_RUSAGE_SIZE];
        copyout(p, rusage, zero, sizeof zero);
    }
    return 0;
}

/* kill(pid, sig): a signal with the default action "end" marks its
 * target killed: it ends with status 128 + sig the next time it would
 * return to user mode (at once if it is the caller, or if it was blocked).
 * pid > 0 is one process; -1 all but pid 1 and the caller. lde has no
 * process groups (pid 0 or below -1: -EINVAL) and no job control (the
 * stop signals: -EINVAL); ignored signals change nothing. sig 0 only
 * checks that a target exists. */
int32_t sys_kill(struct trapframe *tf)
{
    int32_t pid = (int32_t)tf->a0;
    int32_t sig = (int32_t)tf->a1;
    if (sig < 0 || sig > LDE_NSIG || pid == 0 || pid < -1)
        return -LDE_EINVAL;
    if (sig && signal_action((uint32_t)sig) == LDE_SIGACT_STOP)
        return -LDE_EINVAL;
    return kill_proc(pid, (uint32_t)sig, myproc()->pid);
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

/* lde_proctable(struct lde_procinfo *buf, n): copies the records of the
 * processes that exist (every state but reaped), in pid order, at most n
 * of them; returns how many there are (which may be more than n). What
 * `ps` shows. */
extern struct lde_procinfo lde_procinfo[];
extern uint32_t lde_nprocinfo;
int32_t sys_lde_proctable(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t buf = tf->a0, max = tf->a1;
    if (max > LDE_PROCS_MAX)
        max = LDE_PROCS_MAX;
    if (!user_range_ok(p, buf, max * (uint32_t)sizeof(struct lde_procinfo)))
        return -LDE_EFAULT;
    /* Records are reused, so the table is not in pid order: take them by
     * increasing pid, each the smallest above the last one taken. */
    uint32_t n = 0, last = 0;
    for (;;) {
        const struct lde_procinfo *next = 0;
        for (uint32_t i = 0; i < lde_nprocinfo; i++) {
            const struct lde_procinfo *a = &lde_procinfo[i];
            if (a->state != PS_REAPED && a->pid > last &&
                (!next || a->pid < next->pid))
                next = a;
        }
        if (!next)
            return (int32_t)n;
        if (n < max)
            copyout(p, buf + n * (uint32_t)sizeof *next, next, sizeof *next);
        n++;
        last = next->pid;
    }
}
