/*
 * interp_mix.S: a bare-metal workload for the interpreter benchmark. It
 * runs in kernel mode with no kernel at all (no traps, no timer), so what
 * it measures is instruction dispatch alone: an integer mix of ALU ops,
 * loads and stores to a small array, a multiply, a call and return, and
 * branches. a0 (from the host) = iterations; the checksum is the exit
 * status written to the power device.
 */
#include "lde/machine.h"

    .section .text.start
    .globl _start
_start:
    la      sp, stack_top
    mv      s0, a0              /* iterations */
    li      s1, 0               /* checksum */
    la      s2, buffer
1:  andi    t0, s0, 63
    slli    t0, t0, 2
    add     t0, s2, t0
    lw      t1, 0(t0)
    add     t1, t1, s0
    xor     s1, s1, t1
    sw      t1, 0(t0)
    mul     t2, s1, s0
    srli    t2, t2, 7
    add     s1, s1, t2
    call    mix
    addi    s0, s0, -1
    bnez    s0, 1b
    andi    a0, s1, 255
    li      t0, POWER_BASE
    sw      a0, POWER_HALT(t0)
2:  j       2b

mix:                            /* a leaf call, as compiled code makes */
    slli    t3, s1, 3
    sltu    t4, t3, s1
    or      s1, s1, t4
    ret

    .bss
    .balign 16
buffer: .space 256
    .space 4096
stack_top:
