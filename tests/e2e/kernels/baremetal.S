/*
 * baremetal.S: a bare-metal program booted with --kernel: it prints a line
 * through the console from kernel mode and halts with status 7, as a
 * ported test suite would report pass or fail (docs/usage.md).
 */
#include "lde/machine.h"

    .globl _start
_start:
    la      a1, message
    li      a2, CONSOLE_BASE
1:  lbu     a3, 0(a1)
    beqz    a3, 2f
    sw      a3, CONSOLE_TX(a2)
    addi    a1, a1, 1
    j       1b
2:  li      a2, POWER_BASE
    li      a3, 7
    sw      a3, POWER_HALT(a2)
3:  j       3b

    .section .rodata
message: .asciz "bare metal: hello from kernel mode\n"
