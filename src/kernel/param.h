/*
 * param.h: the kernel's fixed limits and defaults, in one place (as xv6).
 */
#ifndef PARAM_H
#define PARAM_H

#define NPROC 16                 /* process table slots (BOOT_MAX_PROGS fits) */
#define KSTACKSIZE 8192          /* bytes of kernel stack per process */
#define BOOTSTACKSIZE 8192       /* the boot / scheduler stack */
#define PGSIZE 4096              /* page size: alignment of partitions, brk */
#define MAXARG 1024              /* arguments per program */
#define MAXARGBYTES 65536        /* bytes of argv strings on the user stack */
#define MIN_QUANTUM 1000u        /* shorter slices would starve user code */
#define DEFAULT_QUANTUM 100000u  /* cycles per time slice (1 ms at 100 MHz) */
#define IOBUFSIZE 256            /* bytes moved per step by read/write */
#define STACK_CANARY 0x4C44454Bu /* bottom word of each kernel stack */

#endif /* PARAM_H */
