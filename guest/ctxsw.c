/*
 * ctxsw: the cost of a context switch, by yield ping-pong (OSTEP 6.5
 * homework). Run two of them: `lde run ctxsw -- ctxsw`. Each does N
 * sched_yield calls (argv[1], default 1000).
 *
 * With exactly two runnable processes, every yield switches to the other
 * one, and the other's next yield switches back: one round, seen from
 * either process, is yield + switch + (the other's yield) + switch. The
 * cycle counter is the machine's, so it counts the other side too:
 *     cycles per round = 2 system calls + 2 context switches.
 * Alone, a yield finds nobody else to run: the policy picks the yielder
 * again, nothing is switched, and a round is 1 system call
 * (guest/README.md).
 * The switches themselves are counted by the machine: `lde run --stats`
 * reports them (about N + 1 per process with two: once per round, plus
 * the first run).
 *
 * The kernel's share, from trap entry to rti (issue 13's measure): N more
 * yields by a bare ecall, as syscost times getpid, less the user side of
 * that loop, timed with an empty asm in place of the ecall. The empty
 * loop is timed in short runs, the least of them kept, so that a timer
 * interrupt (which would hand the CPU to the other process) in one of
 * them does not count.
 * Output (numbers vary with the kernel and the cost table):
 *     ctxsw: pid P: N yields, C cycles per round
 *     ctxsw: pid P: I instructions per round, I/2 per yield and switch
 *     ctxsw: pid P: kernel (trap to rti): K instructions per round, K/2 per
 *                   yield and switch
 * Exits 0 (2 on a bad argument).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lde.h"

/* The loops are noinline so that both compile to the same shape: one
 * with the ecall, one with an empty asm in its place. */
__attribute__((noinline)) static void yields(long n)
{
    for (long i = 0; i < n; i++)
        lde_syscall0(SYS_sched_yield);
}

__attribute__((noinline)) static void empty(long n)
{
    for (long i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory");
}

/* Instructions of the user side of `yields`, per iteration: the least of
 * a few short runs of the empty loop, in hundredths. */
static uint64_t user_side_x100(void)
{
    enum { RUNS = 8, ITERS = 100 };
    uint64_t best = UINT64_MAX;
    for (int r = 0; r < RUNS; r++) {
        uint64_t i0 = rdinstret64();
        empty(ITERS);
        uint64_t i1 = rdinstret64();
        if (i1 - i0 < best)
            best = i1 - i0;
    }
    return best * 100 / ITERS;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    if (n < 1) {
        printf("ctxsw: N must be >= 1\n");
        return 2;
    }
    int pid = getpid();

    /* One yield first, so that both processes have started before the
     * timed loop and each measured round is a full ping-pong. */
    sched_yield();
    uint64_t i0 = rdinstret64(), c0 = rdcycle64();
    for (long i = 0; i < n; i++)
        sched_yield();
    uint64_t c1 = rdcycle64(), i1 = rdinstret64();
    yields(n);
    uint64_t i2 = rdinstret64();
    uint64_t user = user_side_x100();

    /* Both counters are the machine's: they count the other process's
     * half of the round too. */
    uint64_t per = (c1 - c0) / (uint64_t)n;
    uint64_t iper = (i1 - i0) / (uint64_t)n;
    printf("ctxsw: pid %d: %ld yields, %llu cycles per round\n", pid, n,
           (unsigned long long)per);
    printf("ctxsw: pid %d: %llu instructions per round, %llu per yield and "
           "switch\n",
           pid, (unsigned long long)iper, (unsigned long long)(iper / 2));
    /* A round of bare yields is the user side and the kernel side of
     * each process's yield (of the one yield, alone). */
    uint64_t round_x100 = (i2 - i1) * 100 / (uint64_t)n;
    uint64_t kernel_x100 = round_x100 > 2 * user ? round_x100 - 2 * user : 0;
    printf("ctxsw: pid %d: kernel (trap to rti): %llu.%02llu instructions per "
           "round, %llu.%02llu per yield and switch\n",
           pid, (unsigned long long)(kernel_x100 / 100),
           (unsigned long long)(kernel_x100 % 100),
           (unsigned long long)(kernel_x100 / 2 / 100),
           (unsigned long long)(kernel_x100 / 2 % 100));
    return 0;
}
