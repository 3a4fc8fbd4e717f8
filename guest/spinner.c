/*
 * spinner: prints one line and then loops forever without ever calling
 * the kernel again. Only the timer interrupt can take the CPU back from it
 * (OSTEP 6.2, "a non-cooperative approach"); with preemption off it keeps
 * the machine to itself. It never exits: stop it with a kill or a limit.
 */
#include <stdio.h>

/* volatile: the compiler must keep every increment, so the loop runs real
 * loads and stores (and a debugger can watch the count grow). */
static volatile unsigned long spins;

int main(void)
{
    printf("spinner: spinning\n");
    for (;;)
        spins++;
}
