/*
 * systime.c: time from the cycle counter. Every clock counts from reset
 * (the realtime clock too: the machine has no calendar, so reset is the
 * epoch); boot_info.clock_hz converts cycles to seconds. Linux riscv32 has
 * only the 64-bit time calls: struct timespec is {int64 sec; int64 nsec}.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"
#include "syscall.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1

struct timespec64 {
    int64_t sec;
    int64_t nsec;
};

static int wall_clock(uint32_t clk)
{
    return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC ||
           clk == CLOCK_MONOTONIC_RAW || clk == CLOCK_REALTIME_COARSE ||
           clk == CLOCK_MONOTONIC_COARSE || clk == CLOCK_BOOTTIME;
}

/* clock_gettime64(clk, tp): wall clocks read the cycle counter; the
 * CPU-time clocks the caller's user + kernel cycles. */
int32_t sys_clock_gettime64(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t clk = tf->a0;
    uint64_t cycles;
    if (wall_clock(clk)) {
        cycles = rdcycle64();
    } else if (clk == CLOCK_PROCESS_CPUTIME_ID ||
               clk == CLOCK_THREAD_CPUTIME_ID) {
        /* The slices before this one, and this one up to now. */
        cycles = p->cputime + (rdcycle64() - p->oncpu_since);
    } else {
        return -LDE_EINVAL;
    }
    uint64_t sec, nsec;
    cycles_to_time(cycles, &sec, &nsec);
    struct timespec64 ts = {(int64_t)sec, (int64_t)nsec};
    return copyout(p, tf->a1, &ts, sizeof ts);
}

/* clock_nanosleep_time64(clk, flags, req, rem): BLOCKED until the time
 * (relative, or absolute with TIMER_ABSTIME) has come; the timer wakes the
 * process (trap.c, or the idle loop's alarm in cooperative mode). Only
 * kill() interrupts a sleep, and a killed process never sees rem, so rem
 * is not written. */
int32_t sys_clock_nanosleep_time64(struct trapframe *tf)
{
    struct proc *p = myproc();
    uint32_t clk = tf->a0, flags = tf->a1;
    if (!wall_clock(clk) || (flags & ~(uint32_t)TIMER_ABSTIME))
        return -LDE_EINVAL;
    struct timespec64 req;
    if (copyin(p, &req, tf->a2, sizeof req) < 0)
        return -LDE_EFAULT;
    /* As a 32-bit Linux kernel does, keep only the low half of tv_nsec
     * (its `long`): the high half is padding to a 32-bit program. */
    int32_t nsec = (int32_t)req.nsec;
    if (req.sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -LDE_EINVAL;
    uint64_t when = time_to_cycles((uint64_t)req.sec, (uint64_t)nsec);
    if (!(flags & TIMER_ABSTIME)) {
        uint64_t now = rdcycle64();
        when = when > UINT64_MAX - now ? UINT64_MAX : now + when;
    }
    return sleep_until(when);
}
