/*
 * hostmem.c: memory from the host for RAM and the block cache. Reserved
 * with MAP_NORESERVE, so `--ram 1G` costs nothing until the guest touches
 * it: the kernel hands out zero pages on first use. RAM may also read a
 * file's pages (cpu_map_file), copy on write; zeroing those must replace
 * them, since dropping them would bring the file's bytes back.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

/* Is every page of [p, p + size) mapped? mincore fails on a hole. */
static bool all_mapped(void *p, size_t size)
{
    unsigned char resident;
    for (size_t at = 0; at < size; at += host_page_size())
        if (mincore((char *)p + at, host_page_size(), &resident) != 0)
            return false;
    return true;
}

/* After a failed MAP_FIXED: Linux may have taken the old pages down
 * before failing (out of memory, an error from the file system). RAM
 * with a hole in it cannot be used, and there is no error to return that
 * would make it usable: fill the hole with zeros, or stop. */
static bool fill_holes(void *p, size_t size)
{
    if (all_mapped(p, size))
        return false;
    for (int tries = 0; tries < 3; tries++)
        if (anon_at(p, size))
            return true;
    abort(); /* out of memory twice over: nothing left to run in */
}

int host_map_file(void *p, size_t size, int fd, uint64_t off)
{
    struct stat st;
    /* Past the file's end a page would raise SIGBUS when touched. */
    if ((uintptr_t)p % host_page_size() != 0 || size % host_page_size() != 0 ||
        off % host_page_size() != 0 || off > (uint64_t)INT64_MAX ||
        fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size < off + size)
        return -1;
    /* MAP_PRIVATE: guest stores copy the page, the file never changes.
     * MAP_FIXED replaces the RAM's anonymous pages in one step. */
    if (mmap(p, size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_NORESERVE | MAP_FIXED, fd,
             (off_t)off) != MAP_FAILED)
        return 0;
    return fill_holes(p, size) ? HOST_MAP_ZEROED : -1;
}

bool host_zero_remap(void *p, size_t size)
{
    /* DONTNEED would bring a file's bytes back, not zeros. */
    if (anon_at(p, size))
        return true;
    if (fill_holes(p, size))
        return true;    /* whatever was left is zeros now too */
    memset(p, 0, size); /* copies the file's pages once more: zeros */
    return false;
}
