/*
 * trapentry.S: the address every trap table entry holds.
 *
 * By the time we get here the HARDWARE has done OSTEP Figure 6.2's "save
 * regs to kernel stack, move to kernel mode, jump to trap handler": a
 * 144-byte frame (x1..x31, pc, STATUS, cause, tval) is on the kernel
 * stack and sp points at it. So this is tiny: hand the frame to trap() in
 * C and, when it returns (sp is back at the frame), rti pops it: "restore
 * regs from kernel stack, move to user mode, jump to PC".
 *
 * The kernel never uses gp or tp (kernel.ld defines no __global_pointer$
 * for the linker to relax accesses against), so the user's values need
 * not be replaced here (they are in the frame).
 */
#include "lde/machine.h"

    .section .text
    .globl trap_vector
    .balign 4
trap_vector:
    mv a0, sp               /* a0 = struct trapframe * */
    call trap
    .word INSN_RTI          /* rti: pop the frame at sp */

/* userret(tf): return to user mode through the frame tf. Used by a new
 * process's first run (forkret), whose frame exec.c built (or fork copied). */
    .globl userret
    .balign 4
userret:
    mv sp, a0
    .word INSN_RTI
