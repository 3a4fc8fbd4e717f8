/*
 * exec_extent.c: how much of an ELF file exec needs (exec_extent.h), read
 * from the raw bytes with no library, so that the build's lde_exec_image
 * tool can use it without libelf or the rest of the loader.
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>

#include "exec_extent.h"

/* A little-endian field of the raw file. */
static uint32_t raw_le(const unsigned char *b, size_t off, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | b[off + (size_t)i];
    return v;
}

size_t elf_exec_extent(const unsigned char *b, size_t size)
{
    if (size < sizeof(Elf32_Ehdr) || memcmp(b, ELFMAG, SELFMAG) != 0 ||
        b[EI_CLASS] != ELFCLASS32 || b[EI_DATA] != ELFDATA2LSB)
        return size;
    uint64_t phoff = raw_le(b, offsetof(Elf32_Ehdr, e_phoff), 4);
    uint64_t phentsize = raw_le(b, offsetof(Elf32_Ehdr, e_phentsize), 2);
    uint64_t phnum = raw_le(b, offsetof(Elf32_Ehdr, e_phnum), 2);
    uint64_t end = sizeof(Elf32_Ehdr);
    if (phentsize != sizeof(Elf32_Phdr) || phoff + phnum * phentsize > size)
        return size;
    if (phoff + phnum * phentsize > end)
        end = phoff + phnum * phentsize;
    for (uint64_t i = 0; i < phnum; i++) {
        size_t ph = (size_t)(phoff + i * phentsize);
        uint64_t off = raw_le(b, ph + offsetof(Elf32_Phdr, p_offset), 4);
        uint64_t filesz = raw_le(b, ph + offsetof(Elf32_Phdr, p_filesz), 4);
        if (raw_le(b, ph + offsetof(Elf32_Phdr, p_type), 4) != PT_LOAD)
            continue;
        if (off + filesz > size)
            return size;
        if (off + filesz > end)
            end = off + filesz;
    }
    return (size_t)end;
}
