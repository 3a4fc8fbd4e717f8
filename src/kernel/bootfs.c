/*
 * bootfs.c: the kernel's file namespace, for execve. It is the file table
 * of the boot-info block (docs/isa.md §9): read-only files the host put in
 * RAM, each with a path: the built-in programs at /bin/NAME, each program
 * of the command line at the argv[0] it was given, and the files added
 * with `lde run --file`. A path names a file only if it is exactly one of
 * those strings: there are no directories, and no current directory.
 */
#include "defs.h"

static const struct boot_file *files;
static uint32_t nfiles;

/* Is [addr, addr+len) inside RAM, without wrapping? */
static int in_ram(uint32_t addr, uint32_t len)
{
    return len <= ram_size() && addr <= ram_size() - len;
}

/* Take the table from the boot-info block, checking every entry: a bad
 * one is the host's bug, and found now rather than at some exec. */
void bootfs_init(const struct boot_info *bi)
{
    if (bi->nfiles > BOOT_MAX_FILES)
        panic("boot info: %u files (at most %u)", bi->nfiles, BOOT_MAX_FILES);
    if (bi->nfiles &&
        ((bi->files & 3) || !in_ram(bi->files, bi->nfiles * sizeof *files)))
        panic("boot info: file table outside RAM");
    files = (const struct boot_file *)(uintptr_t)bi->files;
    nfiles = bi->nfiles;
    for (uint32_t i = 0; i < nfiles; i++) {
        const struct boot_file *f = &files[i];
        uint32_t n = 0;
        while (in_ram(f->path, n + 1) && n < LDE_PATH_MAX &&
               ((const char *)(uintptr_t)f->path)[n])
            n++;
        if (n == 0 || n == LDE_PATH_MAX || !in_ram(f->path, n + 1))
            panic("boot info: file %u has no path in RAM", i);
        if (!in_ram(f->image, f->size))
            panic("boot info: file %u lies outside RAM", i);
    }
}

/* The file at path: 0 with *image and *size set, or -1 if none. The
 * first entry with that path wins (the host lists --file entries first). */
int bootfs_lookup(const char *path, const uint8_t **image, uint32_t *size)
{
    uint32_t len = strlen(path);
    for (uint32_t i = 0; i < nfiles; i++) {
        const char *name = (const char *)(uintptr_t)files[i].path;
        if (strncmp(name, path, len + 1) == 0) {
            *image = (const uint8_t *)(uintptr_t)files[i].image;
            *size = files[i].size;
            return 0;
        }
    }
    return -1;
}
