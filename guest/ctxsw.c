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
 * Alone, a yield finds nobody to switch to, and a round is 1 system call;
 * it still costs more than half a round of two, because the scheduler
 * walks the whole process table before it finds the yielder again
 * (guest/README.md).
 * The switches themselves are counted by the machine: `lde run --stats`
 * reports them (about N + 1 per process with two: once per round, plus
 * the first run). Exits 0 (2 on a bad argument).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lde.h"

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

    /* Both counters are the machine's: they count the other process's
     * half of the round too. */
    uint64_t per = (c1 - c0) / (uint64_t)n;
    uint64_t iper = (i1 - i0) / (uint64_t)n;
    printf("ctxsw: pid %d: %ld yields, %llu cycles per round\n", pid, n,
           (unsigned long long)per);
    printf("ctxsw: pid %d: %llu instructions per round, %llu per yield and "
           "switch\n",
           pid, (unsigned long long)iper, (unsigned long long)(iper / 2));
    return 0;
}
