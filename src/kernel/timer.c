/*
 * timer.c: the timer device and time. With preemption on, the timer
 * interrupts every `quantum` cycles: OSTEP Figure 6.3's "start interrupt
 * timer" at boot and "timer interrupt" that hands the CPU back to the OS.
 * With preemption off (cooperative mode, OSTEP 6.2) it stays off, except
 * as a one-shot alarm the idle loop sets to wake a sleeping process.
 */
#include "defs.h"
#include "riscv.h"
#include "sched.h"

uint32_t clock_hz;       /* nominal clock: cycles per second */
static uint32_t quantum; /* time slice in cycles */
static int preempt;      /* 1: the timer preempts user code */

static void timer_set(uint32_t interval)
{
    /* Writing the interval re-arms the period from now. */
    mmio_write(TIMER_BASE + TIMER_INTERVAL, interval);
    mmio_write(TIMER_BASE + TIMER_ACK, 1);
}

/* Boot: OSTEP Figure 6.3, "start interrupt timer". */
void timer_init(uint32_t hz, uint32_t q, int preemptive)
{
    clock_hz = hz;
    quantum = q;
    preempt = preemptive;
    timer_resume();
}

/* The timer as the running processes need it: the quantum, or off. */
void timer_resume(void)
{
    timer_set(preempt ? quantum : 0);
}

/* A policy's time slice for the process it dispatches (sched.h): the
 * next interrupt `cycles` from now, and then every `cycles`. */
void timer_arm(uint64_t cycles)
{
    if (preempt)
        timer_set(cycles > 0xFFFFFFFFu ? 0xFFFFFFFFu
                  : cycles             ? (uint32_t)cycles
                                       : 1);
}

/* Idle: interrupt at cycle `when` (0 = no wake-up wanted: timer off, so a
 * wfi with nothing else to come is reported as a deadlock by the machine). */
void timer_alarm(uint64_t when)
{
    if (when == 0) {
        timer_set(0);
        return;
    }
    uint64_t now = rdcycle64();
    uint64_t delta = when > now ? when - now : 1;
    timer_set(delta > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)delta);
}

/* Acknowledge the timer if it is pending; returns whether it was. */
int timer_ack(void)
{
    if (!mmio_read(TIMER_BASE + TIMER_ACK))
        return 0;
    mmio_write(TIMER_BASE + TIMER_ACK, 1);
    return 1;
}

int timer_preemptive(void)
{
    return preempt;
}

/* Cycles <-> nanoseconds at clock_hz, without 64-bit overflow for any
 * cycle count (the remainder times 1e9 fits: clock_hz < 2^32). */
void cycles_to_time(uint64_t cycles, uint64_t *sec, uint64_t *nsec)
{
    *sec = cycles / clock_hz;
    *nsec = (cycles % clock_hz) * 1000000000ull / clock_hz;
}

/* Seconds + nanoseconds to cycles, rounded up so a sleep never ends early;
 * saturates instead of wrapping. */
uint64_t time_to_cycles(uint64_t sec, uint64_t nsec)
{
    if (sec > UINT64_MAX / clock_hz - 1)
        return UINT64_MAX;
    return sec * clock_hz + (nsec * clock_hz + 999999999ull) / 1000000000ull;
}
