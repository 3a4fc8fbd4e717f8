/*
 * proc.c: the process list (OSTEP 4), process creation from a boot
 * program, the scheduler and the context switch around it (OSTEP Figure
 * 6.3: "switch() ... save regs(A) to proc-struct(A), restore regs(B) from
 * proc-struct(B), switch to k-stack(B)"), sleep and wakeup, exit and kill.
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
uint32_t lde_nprocinfo;
uint32_t lde_current_pid;

/* Kernel stacks: one per process-table slot, 16-byte aligned like every
 * trap frame the hardware pushes on them. */
static uint8_t kstacks[NPROC][KSTACKSIZE]
    __attribute__((aligned(16), section(".noinit.kstacks")));

static uint32_t nlive;   /* processes not yet freed */
static int first_status; /* exit status of pid 1: the machine's */
static char sleep_chan;  /* processes in sleep_until() wait here */

/* The PCB's state and its record move together. */
static void setstate(struct proc *p, enum procstate s)
{
    p->state = s;
    p->info->state = s;
}

static struct lde_procinfo *procinfo_new(uint32_t pid, const char *name)
{
    if (lde_nprocinfo >= LDE_PROCS_MAX)
        panic("more than %u processes in one boot", LDE_PROCS_MAX);
    struct lde_procinfo *a = &lde_procinfo[lde_nprocinfo++];
    memset(a, 0, sizeof *a);
    a->pid = pid;
    a->ppid = 0;
    a->state = PS_EMBRYO;
    a->kill_vector = LDE_KILLED_NONE;
    safestrcpy(a->name, name, sizeof a->name);
    a->created = rdcycle64();
    return a;
}

void procinit(void)
{
    for (int i = 0; i < NPROC; i++) {
        proc[i].state = UNUSED;
        proc[i].kstack = kstacks[i];
    }
}

/* ---- Creating a process from a boot program --------------------------- */

/* A string the host loader left in RAM: its length if it is NUL-terminated
 * within max bytes and inside RAM, else -1. */
static int32_t boot_strlen(uint32_t addr, uint32_t max)
{
    if (addr == 0 || addr >= ram_size())
        return -1;
    if (max > ram_size() - addr)
        max = ram_size() - addr;
    const char *s = (const char *)(uintptr_t)addr;
    for (uint32_t i = 0; i < max; i++)
        if (s[i] == '\0')
            return (int32_t)i;
    return -1;
}

/* Build the initial user stack at the top of the partition, in the Linux
 * layout a C runtime expects (the RISC-V psABI, "process initialization"):
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp: NULL,
 *         auxv: AT_PAGESZ 4096, AT_NULL 0, padding, then the strings.
 *
 * sp is 16-byte aligned. Returns 0 and sets *usp, or the reason. */
#define AT_NULL 0
#define AT_PAGESZ 6
static const char *ustack_build(struct proc *p, const struct boot_prog *bp,
                                uint32_t *usp)
{
    /* User addresses of argv[i]; written before read: no need to clear. */
    static uint32_t uargv[MAXARG] __attribute__((section(".noinit.uargv")));
    uint32_t argc = bp->argc;
    uint32_t sp = p->ubound;

    if (argc > NELEM(uargv))
        return "too many arguments";
    if (argc && (bp->argv >= ram_size() || (bp->argv & 3) ||
                 argc > (ram_size() - bp->argv) / 4))
        return "argument vector outside RAM";
    const uint32_t *hargv = (const uint32_t *)(uintptr_t)bp->argv;

    /* The strings, last argument highest. */
    uint32_t used = 0;
    for (uint32_t i = argc; i-- > 0;) {
        int32_t len = boot_strlen(hargv[i], MAXARGBYTES);
        if (len < 0 || used + (uint32_t)len + 1 > MAXARGBYTES)
            return "arguments too long";
        used += (uint32_t)len + 1;
        sp -= (uint32_t)len + 1;
        memcpy(user_ptr(p, sp), (const void *)(uintptr_t)hargv[i],
               (uint32_t)len + 1);
        uargv[i] = sp;
    }

    /* argc, argv[], NULL, envp NULL, two auxv pairs, 16-byte aligned.
     * The host computes the same sp before boot (lde/abi.h) and refuses
     * what would fail here. */
    sp = lde_ustack_sp(sp, argc);
    if (sp < p->brk + LDE_USER_STACK_ROOM)
        return "no room for the stack";
    uint32_t *w = user_ptr(p, sp);
    *w++ = argc;
    for (uint32_t i = 0; i < argc; i++)
        *w++ = uargv[i];
    *w++ = 0;         /* end of argv */
    *w++ = 0;         /* envp: empty */
    *w++ = AT_PAGESZ; /* auxv */
    *w++ = PGSIZE;
    *w++ = AT_NULL;
    *w++ = 0;
    *usp = sp;
    return 0;
}

/* A boot program that cannot run: it keeps its pid and an accounting
 * record, ended at once with status 126 (the shell's "cannot execute"). */
static void refuse(struct lde_procinfo *a, const char *why)
{
    kprintf("lde: pid %u (%s) refused: %s\n", a->pid, a->name, why);
    a->state = PS_ZOMBIE;
    a->exit_status = 126;
    a->ended = rdcycle64();
    if (a->pid == 1)
        first_status = 126;
}

/* Boot programs waiting for a partition: when RAM holds fewer partitions
 * than there are programs, the rest start, in order, as others exit. */
static struct waiting {
    const struct boot_prog *bp;
    struct lde_procinfo *info; /* created at boot: pids follow boot order */
} waiting[BOOT_MAX_PROGS];
static uint32_t nwaiting;

static int proc_start(const struct boot_prog *bp, struct lde_procinfo *a);

/* Boot program bp becomes process `pid`, now or when memory frees up. */
void proc_create(const struct boot_prog *bp, uint32_t pid)
{
    const char *name = "?";
    if (boot_strlen(bp->name, LDE_NAME_MAX * 16) >= 0)
        name = (const char *)(uintptr_t)bp->name;
    struct lde_procinfo *a = procinfo_new(pid, name);
    if (partition_count() == 0)
        refuse(a, "no room in RAM for a partition");
    else if (!proc_start(bp, a))
        waiting[nwaiting++] = (struct waiting){bp, a};
}

/* Start the waiting programs, first come first served, while partitions
 * are free. */
static void start_waiting(void)
{
    while (nwaiting && proc_start(waiting[0].bp, waiting[0].info)) {
        nwaiting--;
        memmove(&waiting[0], &waiting[1], nwaiting * sizeof waiting[0]);
    }
}

/* Create the process of record a from boot program bp: a PCB, a partition
 * with the program loaded (elf.c), its user stack, and a kernel stack
 * holding a trap frame that rti will "return" into the program's entry
 * point (OSTEP Figure 6.2: "create entry for process list, allocate
 * memory for program, load program into memory, setup user stack with
 * argv, fill kernel stack with reg/PC"). Returns 0 if no partition is
 * free (try again later), 1 if it was created or refused. */
static int proc_start(const struct boot_prog *bp, struct lde_procinfo *a)
{
    uint32_t pid = a->pid;
    const char *name = a->name;
    struct proc *p = 0;
    for (int i = 0; i < NPROC; i++) {
        if (proc[i].state == UNUSED) {
            p = &proc[i];
            break;
        }
    }
    if (!p) {
        refuse(a, "process table full");
        return 1;
    }
    uint32_t base = partition_alloc();
    if (!base)
        return 0;

    uint8_t *kstack = p->kstack;
    memset(p, 0, sizeof *p);
    p->kstack = kstack;
    p->pid = pid;
    p->ppid = 0;
    p->info = a;
    p->state = EMBRYO;
    safestrcpy(p->name, name, sizeof p->name);
    p->ubase = base;
    p->ubound = LDE_USER_SIZE;
    p->kill.vector = LDE_KILLED_NONE;

    if (bp->image >= ram_size() || bp->size > ram_size() - bp->image) {
        partition_free(base);
        p->state = UNUSED;
        refuse(a, "image outside RAM");
        return 1;
    }
    uint32_t entry, end;
    const char *why = elf_load(p, (const uint8_t *)(uintptr_t)bp->image,
                               bp->size, &entry, &end);
    uint32_t usp = 0;
    if (!why) {
        p->brk = p->brk_min = p->brk_max =
            (end + PGSIZE - 1) & ~(uint32_t)(PGSIZE - 1);
        why = ustack_build(p, bp, &usp);
    }
    if (why) {
        partition_free(base);
        p->state = UNUSED;
        refuse(a, why);
        return 1;
    }

    /* The kernel stack: a canary at the bottom, the trap frame at the top
     * (where the hardware pushes it on every trap from user mode). */
    *(uint32_t *)p->kstack = STACK_CANARY;
    p->kstack_top = (uint32_t)(uintptr_t)(p->kstack + KSTACKSIZE);
    p->tf = (struct trapframe *)(uintptr_t)(p->kstack_top - FRAME_SIZE);
    memset(p->tf, 0, sizeof *p->tf);
    p->tf->pc = entry;
    p->tf->sp = usp;
    /* MODE user; dividing by zero traps only with divzero=trap. */
    p->tf->status = divzero_traps ? STATUS_DZ : 0;

    /* swtch() to this context starts forkret(), on the kernel stack just
     * below the frame, which returns to user mode through the frame. */
    p->context.ra = (uint32_t)(uintptr_t)forkret;
    p->context.sp = (uint32_t)(uintptr_t)p->tf;

    a->kstack = p->kstack_top;
    a->ubase = p->ubase;
    a->ubound = p->ubound;
    nlive++;
    setstate(p, RUNNABLE);
    return 1;
}

/* ---- Scheduling -------------------------------------------------------- */

/* Give the slot of an exited process back; it no longer runs on its
 * kernel stack, so the scheduler can do it. */
static void freeproc(struct proc *p)
{
    p->state = UNUSED; /* its record stays PS_ZOMBIE: "ended" */
    p->info = 0;
    p->chan = 0;
    nlive--;
    start_waiting(); /* its partition may let a waiting program start */
}

/* Everything ended: OSTEP's "OS halts", with pid 1's exit status. */
static void poweroff(void) __attribute__((noreturn));
static void poweroff(void)
{
    lde_current_pid = 0;
    mmio_write(POWER_BASE + POWER_HALT, (uint32_t)first_status);
    panic("power device did not halt");
}

/* Nothing to run: wait for an interrupt with wfi. Interrupts stay masked
 * in kernel mode (IE = 0), but wfi wakes on a pending one anyway, and the
 * kernel then looks at the devices itself. The timer is set as an alarm
 * for the earliest sleeper (or turned off, so that the machine can tell a
 * deadlock from a wait), then put back as the processes need it. */
static void idle(void)
{
    /* Input (or its end) may already be there for a blocked reader. */
    if (console_poll())
        return;
    /* The earliest wake-up. A sleep past the end of the cycle counter
     * (time_to_cycles saturates at UINT64_MAX) never ends: it sets no
     * alarm, so if nothing else can happen the machine reports a deadlock
     * instead of re-arming the 32-bit timer for ever. */
    uint64_t alarm = 0;
    for (struct proc *p = proc; p < &proc[NPROC]; p++)
        if (p->state == BLOCKED && p->chan == &sleep_chan &&
            p->wake_at != UINT64_MAX && (alarm == 0 || p->wake_at < alarm))
            alarm = p->wake_at;
    timer_alarm(alarm);
    wfi();
    timer_ack();
    console_poll();
    timer_resume();
}

/* Per-CPU scheduler (OSTEP Figure 6.3, the OS side of a timer interrupt:
 * "call switch() routine"). Round robin over the process table: after a
 * process gives the CPU back, the search continues with the next slot.
 * Runs on the boot stack, in its own context; processes enter it through
 * sched() and it enters them through swtch(). */
void scheduler(void)
{
    for (;;) {
        if (nlive == 0)
            poweroff();
        wake_sleepers(rdcycle64());
        int ran = 0;
        for (struct proc *p = proc; p < &proc[NPROC]; p++) {
            if (p->state != RUNNABLE)
                continue;
            ran = 1;
            /* Load the hardware with the process's registers (OSTEP 6.3:
             * "switch to k-stack(B)"): the next trap from user mode pushes
             * its frame on p's kernel stack, and user addresses are
             * translated through p's partition. */
            csr_write(CSR_KSP, p->kstack_top);
            csr_write(CSR_UBASE, p->ubase);
            csr_write(CSR_UBOUND, p->ubound);
            cpu.proc = p;
            lde_current_pid = p->pid;
            setstate(p, RUNNING);
            p->oncpu_since = rdcycle64();
            swtch(&cpu.context, &p->context);
            /* Back from sched(): p yielded, blocked or exited. */
            cpu.proc = 0;
            lde_current_pid = 0;
            if (p->state == ZOMBIE)
                freeproc(p);
        }
        if (!ran && nlive)
            idle();
    }
}

/* Switch from the current process to the scheduler (OSTEP Figure 6.4:
 * the process's kernel registers are saved in its PCB by swtch). The
 * caller has already changed p->state. */
void sched(void)
{
    struct proc *p = myproc();
    if (!p)
        panic("sched: no process");
    if (p->state == RUNNING)
        panic("sched: pid %u still RUNNING", p->pid);
    if (*(uint32_t *)p->kstack != STACK_CANARY)
        panic("kernel stack overflow in pid %u (%s)", p->pid, p->name);
    p->cputime += rdcycle64() - p->oncpu_since;
    swtch(&p->context, &cpu.context);
}

/* Give up the CPU for one round (timer interrupt, sched_yield). */
void yield(void)
{
    setstate(myproc(), RUNNABLE);
    sched();
}

/* Block until wakeup(chan). The caller re-checks its condition after. */
void sleep(const void *chan)
{
    struct proc *p = myproc();
    p->chan = chan;
    setstate(p, BLOCKED);
    sched();
    p->chan = 0;
}

void wakeup(const void *chan)
{
    for (struct proc *p = proc; p < &proc[NPROC]; p++)
        if (p->state == BLOCKED && p->chan == chan)
            setstate(p, RUNNABLE);
}

/* Block until the cycle counter reaches `when`. 0, or -EINTR if killed. */
int sleep_until(uint64_t when)
{
    struct proc *p = myproc();
    while (rdcycle64() < when) {
        if (p->killed)
            return -LDE_EINTR;
        p->wake_at = when;
        sleep(&sleep_chan);
    }
    p->wake_at = 0;
    return 0;
}

/* Timer interrupt and scheduler: wake the sleepers whose time has come. */
void wake_sleepers(uint64_t now)
{
    for (struct proc *p = proc; p < &proc[NPROC]; p++)
        if (p->state == BLOCKED && p->chan == &sleep_chan && p->wake_at <= now)
            setstate(p, RUNNABLE);
}

/* ---- Ending ------------------------------------------------------------ */

/* The current process ends with `status` (OSTEP Figure 6.2: "free memory
 * of process, remove from process list"). Its partition is freed here; its
 * PCB and kernel stack, still in use until the switch away, by the
 * scheduler right after. There is no wait(): nobody reaps a ZOMBIE, so it
 * is one only for that instant. */
void exit_proc(int status)
{
    struct proc *p = myproc();
    p->xstatus = status;
    p->info->exit_status = status;
    p->info->ended = rdcycle64();
    if (p->pid == 1)
        first_status = status;
    partition_free(p->ubase);
    p->ubase = 0;
    p->info->ubase = 0;
    p->info->ubound = 0;
    setstate(p, ZOMBIE);
    sched();
    panic("exit: pid %u ran after exit", p->pid);
}

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

/* kill(pid, sig): mark the target; a blocked target is woken so it can
 * die. sig 0 only checks that the process exists. */
int kill_proc(uint32_t pid, uint32_t sig, uint32_t sender)
{
    for (struct proc *p = proc; p < &proc[NPROC]; p++) {
        if (p->pid != pid || p->state == UNUSED || p->state == ZOMBIE)
            continue;
        if (sig == 0 || p->killed)
            return 0;
        p->killed = 1;
        p->kill.vector = LDE_KILLED_NONE;
        p->kill.signal = sig;
        p->kill.sender = sender;
        if (p->state == BLOCKED)
            setstate(p, RUNNABLE);
        return 0;
    }
    return -LDE_ESRCH;
}

/* A killed process dies: one line on stderr, status 128 + signal. */
void proc_die(struct proc *p)
{
    struct killinfo *k = &p->kill;
    struct lde_procinfo *a = p->info;
    a->kill_vector = k->vector;
    if (k->vector == LDE_KILLED_NONE) {
        a->kill_signal = k->signal;
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
    exit_proc(128 + (int)k->signal);
}
