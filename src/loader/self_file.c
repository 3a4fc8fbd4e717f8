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

int self_file_open(const void *p, size_t len, uint64_t *off)
{
    struct where w = {(uintptr_t)p, len, 0, false};
    dl_iterate_phdr(find_in_executable, &w);
    if (!w.found)
        return -1;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* Trust, but read: a few bytes must match (an emulator such as
     * valgrind may show another file there). */
    unsigned char head[64];
    size_t n = len < sizeof head ? len : sizeof head;
    if (pread(fd, head, n, (off_t)w.off) != (ssize_t)n ||
        memcmp(head, p, n) != 0) {
        close(fd);
        return -1;
    }
    *off = w.off;
    return fd;
}
