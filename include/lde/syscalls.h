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
 *   X(number, name, handler)   handler: the kernel's int32_t fn(trapframe *)
 */
#ifndef LDE_SYSCALLS_H
#define LDE_SYSCALLS_H

#include <stdint.h>

#define LDE_SYSCALLS(X)                                                        \
    X(57, close, sys_close)                                                    \
    X(63, read, sys_read)                                                      \
    X(64, write, sys_write)                                                    \
    X(66, writev, sys_writev)                                                  \
    X(93, exit, sys_exit)                                                      \
    X(94, exit_group, sys_exit)                                                \
    X(96, set_tid_address, sys_set_tid_address)                                \
    X(124, sched_yield, sys_sched_yield)                                       \
    X(129, kill, sys_kill)                                                     \
    X(172, getpid, sys_getpid)                                                 \
    X(173, getppid, sys_getppid)                                               \
    X(214, brk, sys_brk)                                                       \
    X(403, clock_gettime64, sys_clock_gettime64)                               \
    X(407, clock_nanosleep_time64, sys_clock_nanosleep_time64)

/* lde's own calls, numbered from LDE_SYSCALL_BASE. */
#define LDE_SYSCALL_BASE 0x4C00
#define LDE_OWN_SYSCALLS(X)                                                    \
    X(0x4C00, lde_procinfo, sys_lde_procinfo)                                  \
    X(0x4C01, lde_divzero, sys_lde_divzero)

enum lde_syscall_number {
#define LDE_SYSCALL_ENUM(nr, name, fn) SYS_##name = nr,
    LDE_SYSCALLS(LDE_SYSCALL_ENUM) LDE_OWN_SYSCALLS(LDE_SYSCALL_ENUM)
#undef LDE_SYSCALL_ENUM
};

/* The name of system call nr, or 0 if the kernel does not implement it. */
static inline const char *lde_syscall_name(uint32_t nr)
{
    switch (nr) {
#define LDE_SYSCALL_CASE(n, name, fn)                                          \
    case n: return #name;
        LDE_SYSCALLS(LDE_SYSCALL_CASE) LDE_OWN_SYSCALLS(LDE_SYSCALL_CASE)
#undef LDE_SYSCALL_CASE
    }
    return 0;
}

#endif /* LDE_SYSCALLS_H */
