/*
 * param.h: the kernel's fixed limits and defaults, in one place (as xv6).
 */
#ifndef PARAM_H
#define PARAM_H

#include "lde/abi.h" /* the limits the host checks too, before boot */

#define NPROC 16                 /* process table slots (BOOT_MAX_PROGS fits) */
#define KSTACKSIZE 8192          /* bytes of kernel stack per process */
#define BOOTSTACKSIZE 8192       /* the boot / scheduler stack */
#define PGSIZE 4096              /* page size: alignment of partitions, brk */
#define MIN_QUANTUM 1000u        /* shorter slices would starve user code */
#define DEFAULT_QUANTUM 100000u  /* cycles per time slice (1 ms at 100 MHz) */
#define IOBUFSIZE 256            /* bytes moved per step by read/write */
#define STACK_CANARY 0x4C44454Bu /* bottom word of each kernel stack */

/* Arguments per program, and bytes of their strings on the user stack:
 * the host checks the same limits before boot. */
#define MAXARG LDE_ARGS_MAX
#define MAXARGBYTES LDE_ARG_BYTES_MAX

_Static_assert(PGSIZE == LDE_USER_PAGE, "brk rounding is part of the ABI");

#endif /* PARAM_H */
