/*
 * param.h: the kernel's fixed limits and defaults, in one place (as xv6).
 */
#ifndef PARAM_H
#define PARAM_H

#include "lde/abi.h" /* the limits the host checks too, before boot */

#define NPROC 64                 /* process table slots */
#define NOFILE 16                /* open files per process (fds 0..15) */
#define NPIPE 64                 /* pipes in the system */
#define NFILE (2 * NPIPE)        /* open pipe ends (the console's are extra) */
#define PIPESIZE 4096            /* bytes a pipe holds; also PIPE_BUF */
#define KSTACKSIZE 8192          /* bytes of kernel stack per process */
#define BOOTSTACKSIZE 8192       /* the boot / scheduler stack */
#define PGSIZE 4096              /* page size: alignment of partitions, brk */
#define MIN_QUANTUM 1000u        /* shorter slices would starve user code */
#define DEFAULT_QUANTUM 100000u  /* cycles per time slice (1 ms at 100 MHz) */
#define IOBUFSIZE 256            /* bytes moved per step by console I/O */
#define STACK_CANARY 0x4C44454Bu /* bottom word of each kernel stack */

/* Strings (argv, and envp after execve) per program, and bytes of them on
 * the user stack: the host checks the same limits for boot programs. */
#define MAXARG LDE_ARGS_MAX
#define MAXARGBYTES LDE_ARG_BYTES_MAX

_Static_assert(PGSIZE == LDE_USER_PAGE, "brk rounding is part of the ABI");

#endif /* PARAM_H */
