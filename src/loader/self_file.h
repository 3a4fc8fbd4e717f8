/*
 * self_file.h: where bytes of the running executable lie in its own file,
 * so that the boot block can map them into guest RAM (cpu_map_file)
 * instead of copying them: the built-in programs' exec images.
 */
#ifndef LDE_SELF_FILE_H
#define LDE_SELF_FILE_H

#include <stddef.h>
#include <stdint.h>

/* A descriptor (close-on-exec, never 0, 1 or 2) of the executable's file
 * holding the len bytes at p at offset *off, checked against reads of the
 * file at both ends; or -1
 * if they are not part of its file (heap, bss) or the file cannot be
 * opened (no /proc): callers then copy the bytes. The caller closes it. */
int self_file_open(const void *p, size_t len, uint64_t *off);

#endif /* LDE_SELF_FILE_H */
