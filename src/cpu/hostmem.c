/*
 * hostmem.c: memory from the host for RAM and the block cache. Reserved
 * with MAP_NORESERVE, so `--ram 1G` costs nothing until the guest touches
 * it: the kernel hands out zero pages on first use.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

size_t host_page_size(void)
{
    static size_t size;
    if (size == 0) {
        long n = sysconf(_SC_PAGESIZE);
        size = n > 0 ? (size_t)n : 4096;
    }
    return size;
}

static bool anon_at(void *p, size_t size)
{
    return mmap(p, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
                0) != MAP_FAILED;
}

int host_map_file(void *p, size_t size, int fd, uint64_t off)
{
    if ((uintptr_t)p % host_page_size() != 0 || size % host_page_size() != 0 ||
        off % host_page_size() != 0 || off > (uint64_t)INT64_MAX)
        return -1;
    /* MAP_PRIVATE: guest stores copy the page, the file never changes.
     * MAP_FIXED replaces the RAM's anonymous pages in one step. */
    if (mmap(p, size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_NORESERVE | MAP_FIXED, fd,
             (off_t)off) != MAP_FAILED)
        return 0;
    /* A bad descriptor or file fails before the range is touched; out of
     * memory, Linux may have unmapped it already: make it RAM again. */
    if (errno == ENOMEM)
        host_zero_file(p, size);
    return -1;
}

void host_zero_file(void *p, size_t size)
{
    /* DONTNEED would bring the file's bytes back, not zeros. */
    if (!anon_at(p, size))
        memset(p, 0, size); /* copies each page once more: still zeros */
}
