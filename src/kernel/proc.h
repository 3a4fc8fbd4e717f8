/*
 * proc.h: the process control block and the process table (OSTEP 4.3,
 * "the process list"), and the saved kernel context the context switch
 * (swtch.S, OSTEP Figure 6.4) stores and restores.
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>

#include "lde/abi.h"
#include "file.h"
#include "param.h"
#include "sched.h"
#include "trapframe.h"

/* Callee-saved registers of a kernel thread, saved by swtch(): everything
 * the C calling convention lets a caller assume survives a call. The
 * caller-saved ones are already on the kernel stack, spilled by the C code
 * that called swtch(). */
struct context {
    uint32_t ra;  /*  0 where swtch() returns to in the new thread */
    uint32_t sp;  /*  4 that thread's kernel stack pointer */
    uint32_t s0;  /*  8 */
    uint32_t s1;  /* 12 */
    uint32_t s2;  /* 16 */
    uint32_t s3;  /* 20 */
    uint32_t s4;  /* 24 */
    uint32_t s5;  /* 28 */
    uint32_t s6;  /* 32 */
    uint32_t s7;  /* 36 */
    uint32_t s8;  /* 40 */
    uint32_t s9;  /* 44 */
    uint32_t s10; /* 48 */
    uint32_t s11; /* 52 */
};

/* Process states: the PS_* numbers of lde/abi.h, so the host's `ps` and
 * the process records read the same values. */
enum procstate {
    UNUSED = PS_UNUSED,     /* a free slot */
    EMBRYO = PS_EMBRYO,     /* being created */
    RUNNABLE = PS_RUNNABLE, /* ready: waits for the scheduler */
    RUNNING = PS_RUNNING,   /* on the CPU */
    BLOCKED = PS_BLOCKED,   /* sleeping on chan, for the reason in blocked */
    ZOMBIE = PS_ZOMBIE,     /* exited; its parent has not waited for it yet */
};

/* Why a process was killed (killed != 0). */
struct killinfo {
    uint32_t vector; /* the trap that killed it, or LDE_KILLED_NONE */
    uint32_t pc;     /* pc of the offending instruction */
    uint32_t tval;   /* the trap's tval */
    uint32_t signal; /* Linux signal number: exit status is 128 + signal */
    uint32_t sender; /* pid that called kill(), 0 for a trap or the kernel */
};

/* Per-process state: the PCB. */
struct proc {
    enum procstate state; /* see enum procstate */
    uint32_t pid;         /* process id, 1.. in creation order, never reused */
    uint32_t ppid;        /* parent's pid; 0 = the kernel's (reaped at exit) */
    const void *chan;     /* if BLOCKED: what it waits for */
    uint32_t blocked;     /* if BLOCKED: why (BLOCK_*, lde/abi.h) */
    uint64_t wake_at;     /* if sleeping in nanosleep: cycle to wake at */
    int killed;           /* set by a fault or kill(): dies on the way out */
    struct killinfo kill; /* why, if killed */
    int xstatus;          /* exit status (0..255), valid once ZOMBIE */
    uint32_t xsignal;     /* the signal that ended it, 0 if it exited */

    /* Kernel side: OSTEP's "k-stack(P)" and the saved kernel registers. */
    uint8_t *kstack;        /* bottom of its kernel stack (KSTACKSIZE bytes) */
    uint32_t kstack_top;    /* KSP while it runs: trap frames go below */
    struct trapframe *tf;   /* its user registers: the frame at kstack_top */
    struct context context; /* swtch() here to run the process's kernel side */

    /* Memory: one base-and-bounds partition (vm.c). */
    uint32_t ubase;   /* physical address of user va 0 (UBASE) */
    uint32_t ubound;  /* size of its address space (UBOUND) */
    uint32_t ustart;  /* where its image starts: below, nothing is its */
    uint32_t brk;     /* current program break (user va) */
    uint32_t brk_min; /* initial break: brk never goes below it */
    uint32_t brk_max; /* highest break so far: above it, still zero */

    /* Open files (file.h): fd i is ofile[i]; bit i of cloexec closes it
     * at execve. */
    struct file *ofile[NOFILE];
    uint32_t cloexec;

    char name[LDE_NAME_MAX]; /* program name, for messages and ps */

    /* What the host may read of it (lde/abi.h), by symbol. */
    struct lde_procinfo *info; /* its record in lde_procinfo[] */

    /* CPU time, for clock_gettime(CLOCK_PROCESS_CPUTIME_ID): the kernel's
     * own notion, counted at context switches only, as a scheduler sees
     * it. The exact user/kernel split is the machine's (src/session). */
    uint64_t cputime;     /* cycles on the CPU in earlier slices */
    uint64_t oncpu_since; /* cycle this slice began, while RUNNING */

    struct sched_info sched; /* the scheduling policy's fields (sched.h) */
};

/* The one CPU: which process runs, and the scheduler's own context. */
struct cpu {
    struct proc *proc;      /* the running process (from its dispatch on),
                               or 0 once the scheduler has taken over */
    struct context context; /* swtch() here to enter scheduler(): to idle,
                               or to have an ended child of the kernel reaped */
};

extern struct proc proc[NPROC];
extern struct proc *proc_end; /* one past the last slot used: scans end */
extern struct cpu cpu;

static inline struct proc *myproc(void)
{
    return cpu.proc;
}

#endif /* PROC_H */
