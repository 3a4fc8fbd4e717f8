/*
 * panic.S: a "kernel" that panics at once, so that the e2e tests can check
 * how lde reports a kernel panic: the reason the kernel gives, the state,
 * and exit status 121.
 */
#include "lde/machine.h"

    .globl _start
_start:
    la      t0, reason
    li      t1, POWER_BASE
    sw      t0, POWER_PANIC(t1)
1:  j       1b

    .section .rodata
reason: .asciz "the test kernel gives up on purpose"
