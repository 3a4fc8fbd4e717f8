/*
 * deadlock.S: a "kernel" that waits for an interrupt that can never come
 * (timer off, console interrupt off), so that the e2e tests can check that
 * lde reports a deadlock (exit status 123) instead of hanging.
 */
#include "lde/machine.h"

    .globl _start
_start:
    .word   INSN_WFI
1:  j       1b
