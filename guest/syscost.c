/*
 * syscost: the cost of a null system call, as in the homework of OSTEP
 * chapter 6: time N calls of getpid (argv[1], default 10000) and divide.
 *
 * Cycles and retired instructions come from the user-readable counters
 * (cycle, instret), which tick through the trap, the kernel's handler and
 * the return: what the call costs the machine, not only the user side.
 * The same loop without the ecall is timed first and subtracted, so the
 * figures are for the call alone. Simulated time comes from
 * clock_gettime64 (cycles at the nominal clock, under lde).
 * Output (numbers vary with the cost table):
 *     syscost: 10000 getpid calls: C cycles, I instructions, T ns
 *     syscost: per call: c.cc cycles, i.ii instructions, t ns
 * Exits 0 (2 on a bad argument).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lde.h"

struct sample {
    uint64_t cycles, instret;
    int64_t ns;
};

static struct sample now(void)
{
    struct lde_timespec ts = {0, 0, 0};
    struct sample s;

    lde_clock_gettime(LDE_CLOCK_MONOTONIC, &ts);
    s.ns = lde_ts_ns(&ts);
    s.instret = rdinstret64();
    s.cycles = rdcycle64();
    return s;
}

/* b - a. Each sample's own cost (a clock_gettime64 call, two counter
 * reads) falls into both timed intervals alike and cancels out. */
static struct sample diff(struct sample a, struct sample b)
{
    struct sample d = {b.cycles - a.cycles, b.instret - a.instret, b.ns - a.ns};
    return d;
}

/* The loops are noinline so that both compile to the same shape: one
 * with the ecall, one with an empty asm in its place. */
__attribute__((noinline)) static void calls(long n)
{
    for (long i = 0; i < n; i++)
        lde_syscall0(SYS_getpid);
}

__attribute__((noinline)) static void empty(long n)
{
    for (long i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory");
}

/* x / n with two decimals, in integers (no floating point here). */
static void print_per(const char *unit, uint64_t total, long n)
{
    uint64_t hundredths = total * 100 / (uint64_t)n;
    printf("%llu.%02llu %s", (unsigned long long)(hundredths / 100),
           (unsigned long long)(hundredths % 100), unit);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
    if (n < 1) {
        printf("syscost: N must be >= 1\n");
        return 2;
    }

    calls(1); /* warm up: first-touch effects are not the call's cost */

    struct sample a = now();
    empty(n);
    struct sample b = now();
    calls(n);
    struct sample c = now();

    struct sample loop = diff(a, b), total = diff(b, c);
    /* Under lde the loop with calls always costs more; on a real or
     * emulated host (qemu) timer noise could say otherwise: clamp at 0. */
    struct sample net = {
        total.cycles > loop.cycles ? total.cycles - loop.cycles : 0,
        total.instret > loop.instret ? total.instret - loop.instret : 0,
        total.ns > loop.ns ? total.ns - loop.ns : 0};

    printf("syscost: %ld getpid calls: %llu cycles, %llu instructions, "
           "%lld ns\n",
           n, (unsigned long long)net.cycles, (unsigned long long)net.instret,
           (long long)net.ns);
    printf("syscost: per call: ");
    print_per("cycles, ", net.cycles, n);
    print_per("instructions, ", net.instret, n);
    printf("%lld ns\n", (long long)(net.ns / n));
    return 0;
}
