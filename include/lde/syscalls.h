/*
 * syscalls.h: the system calls the guest kernel implements, as one list.
 *
 * Numbers are those of Linux on riscv32 (docs/isa.md §10), so that a static
 * binary built for lde runs unchanged under qemu-riscv32; calls of lde's
 * own start at 0x4C00. Everything that knows a system call by number or
 * name is generated from these lists: the kernel's dispatch table, the
 * SYS_* numbers programs use, the debugger's `catch syscall NAME`, the
 * tracer and the reports. A number that is not listed gets -ENOSYS, and the
 * debugger refuses its name: the lists are exactly what the kernel does.
 *
 *   X(number, name, handler, nargs)
 *   handler: the kernel's int32_t fn(trapframe *)
 *   nargs:   how many of a0..a5 it takes (the tracer shows that many)
 */
#ifndef LDE_SYSCALLS_H
#define LDE_SYSCALLS_H

#include <stdint.h>

#define LDE_SYSCALLS(X)                                                        \
    X(23, dup, sys_dup, 1)                                                     \
    X(24, dup3, sys_dup3, 3)                                                   \
    X(25, fcntl64, sys_fcntl64, 3)                                             \
    X(29, ioctl, sys_ioctl, 3)                                                 \
    X(57, close, sys_close, 1)                                                 \
    X(59, pipe2, sys_pipe2, 2)                                                 \
    X(63, read, sys_read, 3)                                                   \
    X(64, write, sys_write, 3)                                                 \
    X(66, writev, sys_writev, 3)                                               \
    X(93, exit, sys_exit, 1)                                                   \
    X(94, exit_group, sys_exit, 1)                                             \
    X(95, waitid, sys_waitid, 5)                                               \
    X(96, set_tid_address, sys_set_tid_address, 1)                             \
    X(124, sched_yield, sys_sched_yield, 0)                                    \
    X(129, kill, sys_kill, 2)                                                  \
    X(172, getpid, sys_getpid, 0)                                              \
    X(173, getppid, sys_getppid, 0)                                            \
    X(214, brk, sys_brk, 1)                                                    \
    X(220, clone, sys_clone, 5)                                                \
    X(221, execve, sys_execve, 3)                                              \
    X(403, clock_gettime64, sys_clock_gettime64, 2)                            \
    X(407, clock_nanosleep_time64, sys_clock_nanosleep_time64, 4)

/* lde's own calls, numbered from LDE_SYSCALL_BASE. */
#define LDE_SYSCALL_BASE 0x4C00
#define LDE_OWN_SYSCALLS(X)                                                    \
    X(0x4C00, lde_procinfo, sys_lde_procinfo, 1)                               \
    X(0x4C01, lde_divzero, sys_lde_divzero, 1)                                 \
    X(0x4C02, lde_proctable, sys_lde_proctable, 2)                             \
    X(0x4C03, lde_tickets, sys_lde_tickets, 1)

enum lde_syscall_number {
#define LDE_SYSCALL_ENUM(nr, name, fn, nargs) SYS_##name = nr,
    LDE_SYSCALLS(LDE_SYSCALL_ENUM) LDE_OWN_SYSCALLS(LDE_SYSCALL_ENUM)
#undef LDE_SYSCALL_ENUM
};

/* The name of system call nr, or 0 if the kernel does not implement it. */
static inline const char *lde_syscall_name(uint32_t nr)
{
    switch (nr) {
#define LDE_SYSCALL_CASE(n, name, fn, nargs)                                   \
    case n: return #name;
        LDE_SYSCALLS(LDE_SYSCALL_CASE) LDE_OWN_SYSCALLS(LDE_SYSCALL_CASE)
#undef LDE_SYSCALL_CASE
    }
    return 0;
}

/* How many argument registers system call nr takes; -1 if the kernel does
 * not implement it. */
static inline int lde_syscall_nargs(uint32_t nr)
{
    switch (nr) {
#define LDE_SYSCALL_NARGS(n, name, fn, nargs)                                  \
    case n: return nargs;
        LDE_SYSCALLS(LDE_SYSCALL_NARGS) LDE_OWN_SYSCALLS(LDE_SYSCALL_NARGS)
#undef LDE_SYSCALL_NARGS
    }
    return -1;
}

#endif /* LDE_SYSCALLS_H */
