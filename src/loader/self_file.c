/*
 * self_file.c: find bytes of the running executable in its file (see
 * self_file.h). The program headers say which file offset each loaded
 * segment came from; /proc/self/exe opens the very file the process was
 * started from, even if it was replaced or deleted since.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "self_file.h"

#include <fcntl.h>
#include <link.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

struct where {
    uintptr_t addr;
    size_t len;
    uint64_t off;
    bool found;
};

static int find_in_executable(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct where *w = arg;
    (void)size;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        /* Only the part with file bytes: the rest of p_memsz is bss. */
        if (ph->p_type == PT_LOAD && w->addr >= start &&
            w->addr - start <= ph->p_filesz &&
            w->len <= ph->p_filesz - (w->addr - start)) {
            w->off = ph->p_offset + (w->addr - start);
            w->found = true;
        }
    }
    return 1; /* the first object listed is the executable itself */
}

/* Do the n bytes at off of the file match those at p? */
static bool same_bytes(int fd, const unsigned char *p, size_t n, uint64_t off)
{
    unsigned char buf[64];
    return pread(fd, buf, n, (off_t)off) == (ssize_t)n &&
           memcmp(buf, p, n) == 0;
}

int self_file_open(const void *p, size_t len, uint64_t *off)
{
    struct where w = {(uintptr_t)p, len, 0, false};
    dl_iterate_phdr(find_in_executable, &w);
    if (!w.found)
        return -1;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && fd <= 2) {
        /* stdin (say) was closed: the descriptor, kept for the session,
         * must not become the console's. */
        int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        fd = high;
    }
    if (fd < 0)
        return -1;
    /* Trust, but read: the first and last bytes must match (an emulator
     * such as valgrind may show another file there). */
    const unsigned char *b = p;
    size_t n = len < 64 ? len : 64;
    if (!same_bytes(fd, b, n, w.off) ||
        !same_bytes(fd, b + len - n, n, w.off + len - n)) {
        close(fd);
        return -1;
    }
    *off = w.off;
    return fd;
}
