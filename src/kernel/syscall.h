/*
 * syscall.h: what the system call handlers share. A handler gets the
 * caller's trap frame (arguments in a0..a5) and returns the result, or a
 * negative Linux errno; trap() puts it in a0 for rti to hand back.
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#include <stdint.h>

#include "trapframe.h"

typedef int32_t (*syscall_fn)(struct trapframe *tf);

/* exec.c */
int32_t sys_execve(struct trapframe *tf);

/* sysfile.c */
int32_t sys_read(struct trapframe *tf);
int32_t sys_write(struct trapframe *tf);
int32_t sys_writev(struct trapframe *tf);
int32_t sys_close(struct trapframe *tf);
int32_t sys_dup(struct trapframe *tf);
int32_t sys_dup3(struct trapframe *tf);
int32_t sys_fcntl64(struct trapframe *tf);
int32_t sys_ioctl(struct trapframe *tf);
int32_t sys_pipe2(struct trapframe *tf);

/* sysproc.c */
int32_t sys_clone(struct trapframe *tf);
int32_t sys_exit(struct trapframe *tf);
int32_t sys_waitid(struct trapframe *tf);
int32_t sys_getpid(struct trapframe *tf);
int32_t sys_getppid(struct trapframe *tf);
int32_t sys_sched_yield(struct trapframe *tf);
int32_t sys_kill(struct trapframe *tf);
int32_t sys_brk(struct trapframe *tf);
int32_t sys_set_tid_address(struct trapframe *tf);
int32_t sys_lde_procinfo(struct trapframe *tf);
int32_t sys_lde_proctable(struct trapframe *tf);
int32_t sys_lde_divzero(struct trapframe *tf);

/* sched.c */
int32_t sys_lde_tickets(struct trapframe *tf);

/* systime.c */
int32_t sys_clock_gettime64(struct trapframe *tf);
int32_t sys_clock_nanosleep_time64(struct trapframe *tf);

#endif /* SYSCALL_H */
