/*
 * hostmem.c: memory from the host for RAM and the block cache. Reserved
 * with MAP_NORESERVE, so `--ram 1G` costs nothing until the guest touches
 * it: the kernel hands out zero pages on first use.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */
#include <string.h>
#include <sys/mman.h>

#include "cpu_internal.h"

void *host_map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void host_unmap(void *p, size_t size)
{
    if (p)
        munmap(p, size);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels say EINVAL */
#endif

void host_commit(void *p, size_t size)
{
    /* One call commits the pages a large copy is about to write, instead
     * of a fault per page; where the kernel cannot, the copy faults them
     * in as before. */
    uintptr_t page = 4096, lo = (uintptr_t)p & ~(page - 1);
    uintptr_t hi = ((uintptr_t)p + size + page - 1) & ~(page - 1);
    (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
}

void host_zero(void *p, size_t size)
{
    /* A private anonymous mapping reads as zeros again after DONTNEED. */
    if (madvise(p, size, MADV_DONTNEED) != 0)
        memset(p, 0, size);
}
