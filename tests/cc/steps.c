/*
 * steps.c: a program to step through by source line (tests/cc/cc.sh):
 * calls, recursion, a system call and a loop long enough for the timer.
 */
#include <stdio.h>

#include "lde.h"

__attribute__((noinline)) static int square(int x)
{
    int y = x * x;
    return y;
}

__attribute__((noinline)) static int fact(int n)
{
    if (n <= 1)
        return 1;
    return n * fact(n - 1);
}

int main(void)
{
    int a = square(3);
    int b = fact(3);
    long pid = lde_getpid();
    volatile long sum = 0;
    /* One line, so that one next steps through timer interrupts. */
    // clang-format off
    for (long i = 0; i < 50000; i++) sum += i & 7;
    // clang-format on
    printf("%d %d %ld %ld\n", a, b, pid, (long)sum);
    return 0;
}
