/*
 * syscall.c: system call dispatch (OSTEP Figure 6.2, "Handle trap: do work
 * of syscall"). The number in a7 selects a handler from a table; the
 * process cannot name an address in the kernel, only a number, so it can
 * only reach what the table offers. Unknown numbers return -ENOSYS. The
 * calls are counted by the host, which sees every trap (src/session): the
 * kernel's path stays as short as the table lookup.
 */
#include "defs.h"
#include "proc.h"
#include "syscall.h"

/* The dispatch tables, generated from the lists in lde/syscalls.h: Linux's
 * riscv32 numbers indexed directly, lde's own from LDE_SYSCALL_BASE. */
#define SYSCALL_ENTRY(nr, name, fn, nargs) [nr] = fn,
static const syscall_fn linux_calls[] = {LDE_SYSCALLS(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

#define SYSCALL_ENTRY(nr, name, fn, nargs) [nr - LDE_SYSCALL_BASE] = fn,
static const syscall_fn lde_calls[] = {LDE_OWN_SYSCALLS(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

/* The handler's result, for trap() to put in a0 of the frame. The
 * handler is the call's tail: nothing is left to do here after it. */
int32_t syscall(struct trapframe *tf)
{
    uint32_t num = tf->a7;
    syscall_fn fn = 0;

    if (num < NELEM(linux_calls))
        fn = linux_calls[num];
    else if (num - LDE_SYSCALL_BASE < NELEM(lde_calls))
        fn = lde_calls[num - LDE_SYSCALL_BASE];
    return fn ? fn(tf) : -LDE_ENOSYS;
}
