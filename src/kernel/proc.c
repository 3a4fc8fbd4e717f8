/*
 * proc.c: the process table (OSTEP 4), the context switch (OSTEP Figure
 * 6.3: "switch() ... save regs(A) to proc-struct(A), restore regs(B) from
 * proc-struct(B), switch to k-stack(B)"), done straight from process A to
 * process B as Figure 6.4's switch(A, B), with the scheduler's own loop
 * for idling and reaping; sleep and wakeup; and the process API of OSTEP
 * 5: fork, exit, wait and kill. Making a process image (a program's ELF,
 * its stack and its first trap frame) is exec.c's.
 *
 * One CPU, and the kernel runs with interrupts off (IE = 0), so no locks:
 * nothing can interleave with kernel code.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

struct proc proc[NPROC];
struct cpu cpu;

/* Read by the host by symbol (lde/abi.h): `lde run --stats`, `ps`. */
struct lde_procinfo lde_procinfo[LDE_PROCS_MAX];
uint32_t lde_nprocinfo;   /* records in use: [0, lde_nprocinfo) */
uint32_t lde_nprocs;      /* processes created: pids 1..lde_nprocs */
uint32_t lde_current_pid; /* 0 in the scheduler and while idle */

/* Kernel stacks: one per process-table slot, 16-byte aligned like every
 * trap frame the hardware pushes on them. */
static uint8_t kstacks[NPROC][KSTACKSIZE]
    __attribute__((aligned(16), section(".noinit.kstacks")));

static uint32_t nlive; /* slots in use: not UNUSED */
/* One past the last slot used so far: scans of the table end here. */
struct proc *proc_end = proc;
static int first_status; /* exit status of pid 1: the machine's */
static char sleep_chan;  /* processes in sleep_until() wait here */

/* The PCB's state and its record move together. */
static void setstate(struct proc *p, enum procstate s)
{
    if (s == RUNNABLE) /* the ready queue's order, and the host's waits */
        p->info->ready_at = rdcycle64();
    p->state = s;
    p->info->state = s;
    p->info->blocked = s == BLOCKED ? p->blocked : BLOCK_NONE;
}

void procinit(void)
{
    for (int i = 0; i < NPROC; i++) {
        proc[i].state = UNUSED;
        proc[i].kstack = kstacks[i];
    }
}

/* ---- Process records ---------------------------------------------------- */

/* A record for a new process: a never-used one, else the one of the
 * oldest reaped process (lde/abi.h). 0 if every record belongs to a
 * process that still exists. */
static struct lde_procinfo *procinfo_slot(void)
{
    if (lde_nprocinfo < LDE_PROCS_MAX)
        return &lde_procinfo[lde_nprocinfo];
    struct lde_procinfo *old = 0;
    for (struct lde_procinfo *a = lde_procinfo;
         a < &lde_procinfo[LDE_PROCS_MAX]; a++)
        if (a->state == PS_REAPED && (!old || a->pid < old->pid))
            old = a;
    return old;
}

/* The record of a new process: the next pid, `name`, parent ppid. The
 * caller has checked that procinfo_slot() has one. */
struct lde_procinfo *procinfo_new(const char *name, uint32_t ppid)
{
    struct lde_procinfo *a = procinfo_slot();
    if (!a)
        panic("procinfo_new: no free record");
    if (a == &lde_procinfo[lde_nprocinfo])
        lde_nprocinfo++;
    memset(a, 0, sizeof *a);
    a->pid = ++lde_nprocs;
    a->ppid = ppid;
    a->state = PS_EMBRYO;
    a->kill_vector = LDE_KILLED_NONE;
    safestrcpy(a->name, name, sizeof a->name);
    a->created = rdcycle64();
    return a;
}

/* A process that never ran: its record ends at once, with `status`. */
void procinfo_end(struct lde_procinfo *a, int status)
{
    a->state = PS_REAPED;
    a->exit_status = status;
    a->ended = rdcycle64();
    if (a->pid == 1)
        first_status = status;
}

/* ---- Process slots ---------------------------------------------------- */

/* A free slot, or 0 if the table is full. */
struct proc *proc_free_slot(void)
{
    for (struct proc *p = proc; p < &proc[NPROC]; p++)
        if (p->state == UNUSED)
            return p;
    return 0;
}

/* Can a process be created now: a slot and a record are free? */
int proc_can_create(void)
{
    return proc_free_slot() != 0 && procinfo_slot() != 0;
}

/* Make slot p (from proc_free_slot) the process of record a, in EMBRYO:
 * no memory, no files, and a kernel stack whose top holds a zeroed trap
 * frame; its context starts forkret(), which returns to user mode
 * through that frame once the frame describes a program (exec.c, fork). */
void proc_init(struct proc *p, struct lde_procinfo *a)
{
    uint8_t *kstack = p->kstack;
    memset(p, 0, sizeof *p);
    p->kstack = kstack;
    p->pid = a->pid;
    p->ppid = a->ppid;
    p->info = a;
    safestrcpy(p->name, a->name, sizeof p->name);
    p->ubound = LDE_USER_SIZE;
    p->kill.vector = LDE_KILLED_NONE;

    /* The kernel stack: a canary at the bottom, the trap frame at the top
     * (where the hardware pushes it on every trap from user mode). */
    *(uint32_t *)p->kstack = STACK_CANARY;
    p->kstack_top = (uint32_t)(uintptr_t)(p->kstack + KSTACKSIZE);
    p->tf = (struct trapframe *)(uintptr_t)(p->kstack_top - FRAME_SIZE);
    memset(p->tf, 0, sizeof *p->tf);
    /* swtch() to this context starts forkret(), on the kernel stack just
     * below the frame. */
    p->context.ra = (uint32_t)(uintptr_t)forkret;
    p->context.sp = (uint32_t)(uintptr_t)p->tf;

    a->kstack = p->kstack_top;
    a->ubound = p->ubound;
    setstate(p, EMBRYO);
    nlive++;
    if (p >= proc_end)
        proc_end = p + 1;
}

/* An EMBRYO with its image in place joins the ready processes (and the
 * scheduling policy hears of it: sched.h). */
void proc_ready(struct proc *p)
{
    p->info->ubase = p->ubase;
    sched_new(p);
    setstate(p, RUNNABLE);
}

/* Give the slot of a process that ended back: its record says PS_REAPED
 * from now on. It no longer runs on its kernel stack (the caller is its
 * parent, or the scheduler after switching away from it). */
static void freeproc(struct proc *p)
{
    p->info->state = PS_REAPED;
    p->info = 0;
    p->state = UNUSED;
    p->chan = 0;
    nlive--;
    boot_start_waiting(); /* a boot program may wait for a slot */
}

/* The live process with this pid, or 0. */
static struct proc *find_proc(uint32_t pid)
{
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->pid == pid && p->state != UNUSED)
            return p;
    return 0;
}

/* ---- Scheduling -------------------------------------------------------- */

/* Everything ended: OSTEP's "OS halts", with pid 1's exit status. */
static void poweroff(void) __attribute__((noreturn));
static void poweroff(void)
{
    lde_current_pid = 0;
    mmio_write(POWER_BASE + POWER_HALT, (uint32_t)first_status);
    panic("power device did not halt");
}

/* The earliest wake-up of a sleeper or arrival of a boot program
 * (arrive=); UINT64_MAX if none. A sleep past the end of the cycle counter
 * (time_to_cycles saturates at UINT64_MAX) never ends: it counts as none. */
uint64_t proc_next_event(void)
{
    uint64_t next = boot_next_arrival;
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->state == BLOCKED && p->chan == &sleep_chan && p->wake_at < next)
            next = p->wake_at;
    return next;
}

/* Nothing to run: wait for an interrupt with wfi. Interrupts stay masked
 * in kernel mode (IE = 0), but wfi wakes on a pending one anyway, and the
 * kernel then looks at the devices itself. The timer is set as an alarm
 * for the next event (or turned off, so that the machine can tell a
 * deadlock from a wait: with no event to come it does not re-arm the
 * 32-bit timer for ever), then put back as the processes need it. */
static void idle(void)
{
    /* A sleeper's time may have come, or input (or its end) may already
     * be there for a blocked reader. */
    if (wake_sleepers(rdcycle64()) || console_poll())
        return;
    uint64_t next = proc_next_event();
    timer_alarm(next == UINT64_MAX ? 0 : next);
    wfi();
    timer_ack();
    console_poll();
    timer_resume();
}

/* Make p the running process, before switching to it: the policy sets
 * its time slice, and its slice of CPU time begins. The caller then
 * swtch()es into p's kernel side (or p simply goes on). */
static inline __attribute__((always_inline)) void dispatch(struct proc *p)
{
    cpu.proc = p;
    setstate(p, RUNNING);
    if (sched_policy->dispatch) /* the policy sets p's time slice */
        sched_policy->dispatch(p);
    p->oncpu_since = rdcycle64();
}

/* p's side of a switch to it, first thing on its own kernel stack (OSTEP
 * 6.3: "switch to k-stack(B)"): load the hardware with p's registers, so
 * that its next trap from user mode pushes the frame on p's kernel stack
 * and user addresses are translated through p's partition, and name p
 * the current process for the host. Until the stacks change, the machine
 * still describes the process switched from (what the debugger shows at
 * swtch). */
void switched_to(struct proc *p)
{
    csr_write(CSR_KSP, p->kstack_top);
    csr_write(CSR_UBASE, p->ubase);
    csr_write(CSR_UBOUND, p->ubound);
    lde_current_pid = p->pid;
}

/* The policy's choice of the process to run next (sched.h: round robin
 * unless --sched says otherwise), or 0 if none is RUNNABLE. */
static inline __attribute__((always_inline)) struct proc *pick_next(void)
{
    /* rr wakes the sleepers each time its round passes the end of the
     * table; the others have them woken before each choice. */
    if (!sched_policy->wakes)
        wake_sleepers(rdcycle64());
    return sched_policy->pick();
}

/* The scheduler's own loop (OSTEP 6.3, the OS side of a timer interrupt:
 * "call switch() routine"), on the boot stack, in its own context. The
 * processes switch among themselves (sched()); they come here only when
 * none of them can run (the scheduler idles until an interrupt) and when
 * a child of the kernel ends (its kernel stack is free once nobody runs
 * on it: the scheduler reaps it). */
void scheduler(void)
{
    for (;;) {
        if (nlive == 0 && !boot_waiting())
            poweroff();
        struct proc *p = pick_next();
        if (!p) {
            idle();
            continue;
        }
        dispatch(p);
        swtch(&cpu.context, &p->context);
        /* Back from sched(): the process that ran last (p, or one that p
         * switched to, and so on) left the CPU with nobody to switch to,
         * or as a child of the kernel that ended. The hardware keeps its
         * registers (no user code runs until the next switched_to()). */
        p = cpu.proc;
        cpu.proc = 0;
        lde_current_pid = 0;
        if (p->state == ZOMBIE && p->ppid == 0)
            freeproc(p); /* then choose again */
        else
            idle(); /* sched() chose already, and found nobody */
    }
}

/* The current process p leaves the CPU; the caller has already changed
 * p->state. Switch from p straight to the next process q (OSTEP Figure
 * 6.4's switch(A, B): swtch saves p's kernel registers in its PCB and
 * loads q's), or to the scheduler's context if nobody can run or p is a
 * child of the kernel that ended. If the policy picks p itself (it
 * yielded, and nobody else is RUNNABLE), there is nothing to switch. */
void sched(void)
{
    struct proc *p = myproc();
    if (!p)
        panic("sched: no process");
    if (p->state == RUNNING)
        panic("sched: pid %u still RUNNING", p->pid);
    if (*(uint32_t *)p->kstack != STACK_CANARY)
        panic("kernel stack overflow in pid %u (%s)", p->pid, p->name);
    if (sched_listens) /* the policy hears why p leaves: its state */
        sched_leave(p);
    p->cputime += rdcycle64() - p->oncpu_since;
    /* A child of the kernel that ended goes to the scheduler, which
     * reaps it once off its kernel stack; for any other, the policy
     * chooses. */
    struct proc *q = p->state == ZOMBIE && p->ppid == 0 ? 0 : pick_next();
    if (q == p) {
        dispatch(p); /* p goes on: a new slice, no switch */
        return;
    }
    if (q) {
        dispatch(q);
        swtch(&p->context, &q->context);
    } else {
        swtch(&p->context, &cpu.context); /* to idle, or to be reaped */
    }
    /* Back in p, switched to by some process or by the scheduler, which
     * made p the running process (dispatch) before it switched. */
    switched_to(p);
}

/* Give up the CPU for one round (timer interrupt, sched_yield). */
void yield(void)
{
    setstate(myproc(), RUNNABLE);
    sched();
}

/* Block until wakeup(chan), for reason `why` (shown by ps). The caller
 * re-checks its condition after. */
void sleep(const void *chan, enum lde_block_reason why)
{
    struct proc *p = myproc();
    p->chan = chan;
    p->blocked = why;
    setstate(p, BLOCKED);
    sched();
    p->chan = 0;
    p->blocked = BLOCK_NONE;
}

/* BLOCKED p can run again. */
static void ready(struct proc *p)
{
    setstate(p, RUNNABLE);
    if (sched_policy->wakeup)
        sched_policy->wakeup(p);
}

void wakeup(const void *chan)
{
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->state == BLOCKED && p->chan == chan)
            ready(p);
}

/* No sleeper wakes before this cycle: a lower bound of the sleepers'
 * wake_at (sleep_until lowers it, each scan of the table makes it exact),
 * so that a timer tick or a turn of the round with nobody due looks at
 * no process. */
uint64_t sleep_next = UINT64_MAX;

/* Block until the cycle counter reaches `when`. 0, or -EINTR if killed. */
int sleep_until(uint64_t when)
{
    struct proc *p = myproc();
    while (rdcycle64() < when) {
        if (p->killed)
            return -LDE_EINTR;
        p->wake_at = when;
        if (when < sleep_next)
            sleep_next = when;
        sleep(&sleep_chan, BLOCK_SLEEP);
    }
    p->wake_at = 0;
    return 0;
}

/* wake_sleepers' (defs.h) work when a sleeper may be due or a boot
 * program arrives: wake the sleepers due, in table order, then let in
 * the boot programs that arrive. Returns how many processes that made
 * RUNNABLE. */
int wake_due(uint64_t now)
{
    int n = 0;
    uint64_t next = UINT64_MAX;
    for (struct proc *p = proc; p < proc_end; p++) {
        if (p->state != BLOCKED || p->chan != &sleep_chan)
            continue;
        if (p->wake_at <= now) {
            ready(p);
            n++;
        } else if (p->wake_at < next) {
            next = p->wake_at;
        }
    }
    sleep_next = next;
    if (now >= boot_next_arrival)
        n += boot_arrivals(now);
    return n;
}

/* ---- fork ------------------------------------------------------------- */

/* Copy the parent's memory to the child's partition at base: what the
 * process owns by the ABI, its image and heap up to the highest break
 * [ustart, brk_max) and its stack from sp up (below sp is free by the
 * RISC-V calling convention). The rest is nobody's: zero in the child, as
 * in any new memory (cleared if the partition was used before). A program
 * that kept data there anyway (base and bounds cannot stop it) does not
 * find it in its child. */
static void copy_memory(const struct proc *p, uint32_t base, int fresh)
{
    uint32_t start = p->ustart, brk = p->brk_max, sp = p->tf->sp & ~15u;
    if (sp < brk || sp > p->ubound)
        sp = brk; /* a nonsense sp: copy everything above the break */
    if (!fresh) {
        memset((void *)(uintptr_t)(base + USER_NULL_GUARD), 0,
               start - USER_NULL_GUARD);
        memset((void *)(uintptr_t)(base + brk), 0, sp - brk);
    }
    memcpy((void *)(uintptr_t)(base + start),
           (const void *)(uintptr_t)(p->ubase + start), brk - start);
    memcpy((void *)(uintptr_t)(base + sp),
           (const void *)(uintptr_t)(p->ubase + sp), p->ubound - sp);
    fence_i();
}

/* fork (OSTEP 5.1): a new process, the caller's child, with a copy of the
 * caller's memory in a partition of its own (copy_memory), its open files
 * (shared, as dup shares them), its program break and name, and a copy of
 * its trap frame with a0 = 0: it returns from the same system call, with
 * 0. The parent gets the child's pid, -EAGAIN if the process table is
 * full or -ENOMEM if no partition is free. */
int32_t fork_proc(void)
{
    struct proc *p = myproc();
    /* A process that has been killed makes no more: its children would
     * escape the kill (a fork bomb's, say). */
    if (p->killed)
        return -LDE_EINTR;
    struct proc *np = proc_free_slot();
    if (!np || !procinfo_slot())
        return -LDE_EAGAIN;
    uint32_t base = partition_alloc(PART_FRESH);
    int fresh = base != 0;
    if (!fresh)
        base = partition_alloc(PART_ANY);
    if (!base)
        return -LDE_ENOMEM;
    copy_memory(p, base, fresh);

    proc_init(np, procinfo_new(p->name, p->pid));
    np->ubase = base;
    np->ustart = p->ustart;
    np->brk = p->brk;
    np->brk_min = p->brk_min;
    np->brk_max = p->brk_max;
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->ofile[fd])
            np->ofile[fd] = filedup(p->ofile[fd]);
    np->cloexec = p->cloexec;
    *np->tf = *p->tf;
    np->tf->a0 = 0; /* the child's fork() returns 0 */
    proc_ready(np);
    return (int32_t)np->pid;
}

/* ---- Ending and waiting ---------------------------------------------- */

/* A process that ends hands its children to pid 1, OSTEP's init, which
 * reaps orphans; if pid 1 is gone (or is the one ending), the kernel
 * takes them and reaps each as it ends. */
static void reparent(struct proc *dying)
{
    struct proc *init = find_proc(1);
    if (init == dying || (init && init->state == ZOMBIE))
        init = 0;
    for (struct proc *q = proc; q < proc_end; q++) {
        if (q->state == UNUSED || q->ppid != dying->pid)
            continue;
        q->ppid = init ? 1 : 0;
        q->info->ppid = q->ppid;
        if (q->state == ZOMBIE) {
            if (init)
                wakeup(init);
            else
                freeproc(q);
        }
    }
}

/* The current process ends with `status` (OSTEP Figure 6.2: "free memory
 * of process, remove from process list"): its files are closed and its
 * partition freed here; it stays a ZOMBIE, holding its slot and its exit
 * status, until its parent waits for it (wait_child), or, for the
 * kernel's own children, until the scheduler has switched away from its
 * kernel stack. */
void exit_proc(int status)
{
    struct proc *p = myproc();
    fd_close_all(p, ~0u);
    partition_free(p->ubase);
    p->ubase = 0;
    p->info->ubase = 0;
    p->info->ubound = 0;
    reparent(p);
    p->xstatus = status;
    p->info->exit_status = status;
    p->info->ended = rdcycle64();
    if (p->pid == 1)
        first_status = status;
    setstate(p, ZOMBIE);
    if (p->ppid)
        wakeup(find_proc(p->ppid)); /* a parent in wait sleeps on itself */
    boot_start_waiting();           /* its partition is free */
    sched();
    panic("exit: pid %u ran after exit", p->pid);
}

/* What waitid reports of an ended child q. */
static void child_info(const struct proc *q, struct lde_siginfo *si)
{
    memset(si, 0, sizeof *si);
    si->signo = LDE_SIGNAL_CHLD;
    si->pid = (int32_t)q->pid;
    si->code = q->xsignal ? LDE_CLD_KILLED : LDE_CLD_EXITED;
    si->status = q->xsignal ? (int32_t)q->xsignal : q->xstatus;
}

/* waitid's work (OSTEP 5.2): wait for a child of the caller that has
 * ended: any child (P_ALL) or the one with pid `id` (P_PID). Returns its
 * pid with *si filled, and reaps it unless LDE_WNOWAIT; 0 if LDE_WNOHANG
 * and none has ended yet; -ECHILD if there is no such child; -EINTR if
 * killed while waiting. Only WEXITED events exist: nothing ever stops. */
int32_t wait_child(uint32_t idtype, uint32_t id, uint32_t options,
                   struct lde_siginfo *si)
{
    struct proc *p = myproc();
    for (;;) {
        int have = 0;
        for (struct proc *q = proc; q < proc_end; q++) {
            if (q->state == UNUSED || q->ppid != p->pid ||
                (idtype == LDE_P_PID && q->pid != id))
                continue;
            have = 1;
            if (q->state == ZOMBIE && (options & LDE_WEXITED)) {
                child_info(q, si);
                if (!(options & LDE_WNOWAIT))
                    freeproc(q);
                return si->pid;
            }
        }
        if (!have)
            return -LDE_ECHILD;
        if (options & LDE_WNOHANG)
            return 0;
        if (p->killed)
            return -LDE_EINTR;
        sleep(p, BLOCK_WAIT);
    }
}

/* ---- Signals: faults and kill ---------------------------------------- */

/* Linux signal numbers for the traps that kill (exit status 128 + it). */
static uint32_t trap_signal(uint32_t vector)
{
    switch (vector) {
#define VECTOR_SIGNAL(v, word, name, signal)                                   \
    case v: return signal ? signal : LDE_SIGKILL;
        LDE_VECTORS(VECTOR_SIGNAL)
#undef VECTOR_SIGNAL
    }
    return LDE_SIGKILL;
}

/* The traps' signals (lde/machine.h) are the list's (lde/abi.h). */
_Static_assert(LDE_SIGILL == LDE_SIGNAL_ILL && LDE_SIGTRAP == LDE_SIGNAL_TRAP &&
                   LDE_SIGBUS == LDE_SIGNAL_BUS &&
                   LDE_SIGFPE == LDE_SIGNAL_FPE &&
                   LDE_SIGKILL == LDE_SIGNAL_KILL &&
                   LDE_SIGSEGV == LDE_SIGNAL_SEGV,
               "signal numbers");

/* The default action of signal sig (1..LDE_NSIG). */
int signal_action(uint32_t sig)
{
    switch (sig) {
#define SIGNAL_ACTION(n, name, action)                                         \
    case n: return action;
        LDE_SIGNALS(SIGNAL_ACTION)
#undef SIGNAL_ACTION
    }
    return LDE_SIGACT_TERM; /* the real-time signals */
}

/* A fault in user mode: mark the offender killed (it dies on its way back
 * to user mode, in prepare_user_return). Only the offender: OSTEP 6.2, "the OS
 * will likely terminate the offending process". */
void kill_on_fault(struct proc *p, const struct trapframe *tf)
{
    if (p->killed)
        return;
    p->killed = 1;
    p->kill.vector = tf->cause;
    p->kill.pc = tf->pc;
    p->kill.tval = tf->tval;
    p->kill.signal = trap_signal(tf->cause);
    p->kill.sender = 0;
}

/* Deliver signal sig, whose default action ends the process, to p: it
 * dies on its way back to user mode, and a blocked p is woken for it. */
static void deliver(struct proc *p, uint32_t sig, uint32_t sender)
{
    if (p->killed)
        return;
    p->killed = 1;
    p->kill.vector = LDE_KILLED_NONE;
    p->kill.signal = sig;
    p->kill.sender = sender;
    if (p->state == BLOCKED)
        ready(p);
}

/* A signal the kernel raises in p itself (SIGPIPE). */
void kill_with_signal(struct proc *p, uint32_t sig)
{
    deliver(p, sig, 0);
}

/* kill(pid, sig) from process `sender`: pid > 0 is one process, -1 every
 * process but pid 1 and the sender (Linux's rule). sig 0 only checks that
 * a target exists; an ignored signal (SIGCHLD, SIGCONT, ...) is accepted
 * and changes nothing. A zombie still exists (until it is reaped) but has
 * nothing left to end. 0, or -ESRCH if no process matched. The caller has
 * refused the stop signals. */
int kill_proc(int32_t pid, uint32_t sig, uint32_t sender)
{
    int ends = sig != 0 && (signal_action(sig) == LDE_SIGACT_TERM ||
                            signal_action(sig) == LDE_SIGACT_CORE);
    int found = 0;
    for (struct proc *p = proc; p < proc_end; p++) {
        if (p->state == UNUSED || p->state == EMBRYO)
            continue;
        if (pid == -1 ? (p->pid == 1 || p->pid == sender)
                      : p->pid != (uint32_t)pid)
            continue;
        found = 1;
        if (ends && p->state != ZOMBIE)
            deliver(p, sig, sender);
    }
    return found ? 0 : -LDE_ESRCH;
}

/* A killed process dies: one line on stderr, status 128 + signal. Not
 * for SIGPIPE: a writer whose reader has gone is a pipeline's routine
 * end (shells say nothing either). */
void proc_die(struct proc *p)
{
    struct killinfo *k = &p->kill;
    struct lde_procinfo *a = p->info;
    a->kill_vector = k->vector;
    a->kill_signal = k->signal;
    if (k->vector == LDE_KILLED_NONE) {
        if (k->signal != LDE_SIGNAL_PIPE)
            kprintf("lde: pid %u (%s) killed: signal %u from pid %u\n", p->pid,
                    p->name, k->signal, k->sender);
    } else {
        a->kill_pc = k->pc;
        a->kill_tval = k->tval;
        if (k->vector == VEC_MEMFAULT || k->vector == VEC_MISALIGNED)
            kprintf("lde: pid %u (%s) killed: %s at 0x%x, address 0x%x\n",
                    p->pid, p->name, vector_name(k->vector), k->pc, k->tval);
        else
            kprintf("lde: pid %u (%s) killed: %s at 0x%x\n", p->pid, p->name,
                    vector_name(k->vector), k->pc);
    }
    p->xsignal = k->signal;
    exit_proc(128 + (int)k->signal);
}
