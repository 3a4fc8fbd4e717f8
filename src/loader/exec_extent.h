/*
 * exec_extent.h: how much of an ELF file exec needs (exec_extent.c).
 */
#ifndef LDE_EXEC_EXTENT_H
#define LDE_EXEC_EXTENT_H

#include <stddef.h>

/* How much of an ELF file exec needs: its bytes up to the end of the
 * last of the ELF header, the program headers and the PT_LOAD segments'
 * data (what usually follows, the section headers and debug information,
 * only a debugger reads). size itself if b is not an ELF32 file whose
 * program headers lie inside it: then nothing can be left out. */
size_t elf_exec_extent(const unsigned char *b, size_t size);

#endif /* LDE_EXEC_EXTENT_H */
