/*
 * spinner [N]: prints one line and then loops without ever calling the
 * kernel. Only the timer interrupt can take the CPU back from it (OSTEP
 * 6.2, "a non-cooperative approach"); with preemption off it keeps the
 * machine to itself. With no argument it never exits (stop it with a kill
 * or --max-cycles); with N it spins N times, then says so and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

/* volatile: the compiler must keep every increment, so the loop runs real
 * loads and stores (and a debugger can watch the count grow). */
static volatile unsigned long spins;

int main(int argc, char **argv)
{
    unsigned long limit = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;
    printf("spinner: spinning\n");
    if (limit == 0)
        for (;;)
            spins++;
    while (spins < limit)
        spins++;
    printf("spinner: done after %lu spins\n", limit);
    return 0;
}
