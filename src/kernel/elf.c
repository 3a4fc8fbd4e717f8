/*
 * elf.c: check a program's ELF image, and load it into a partition. The
 * host loader put the file in RAM; the kernel parses it AGAIN, trusting
 * nothing:
 * every field is checked before it is used, every header is copied out
 * with memcpy (no unaligned or out-of-image load), and every sum is made
 * so that it cannot wrap. A bad image is refused with a reason, never a
 * kernel fault.
 */
#include "defs.h"
#include "elf.h"
#include "proc.h"
#include "riscv.h"

#define MAXPHNUM 64 /* more program headers than any sane program has */

/* Is [off, off+len) inside an object of `size` bytes, without wrapping? */
static int in_bounds(uint32_t off, uint32_t len, uint32_t size)
{
    return len <= size && off <= size - len;
}

/* Check the header and the program headers; on success fill *eh. */
static const char *check_headers(const uint8_t *image, uint32_t size,
                                 uint32_t ubound, struct elf32_ehdr *eh)
{
    if (size < sizeof *eh)
        return "too small to be an ELF file";
    memcpy(eh, image, sizeof *eh);
    if (eh->magic != ELF_MAGIC)
        return "not an ELF file (bad magic)";
    if (eh->class != ELFCLASS32)
        return "not a 32-bit ELF file";
    if (eh->data != ELFDATA2LSB)
        return "not little-endian";
    if (eh->version != EV_CURRENT || eh->eversion != EV_CURRENT)
        return "unknown ELF version";
    if (eh->machine != EM_RISCV)
        return "not a RISC-V program";
    if (eh->type != ET_EXEC)
        return "not a static executable (ET_EXEC)";
    if (eh->phentsize != sizeof(struct elf32_phdr))
        return "bad program header size";
    if (eh->phnum == 0 || eh->phnum > MAXPHNUM)
        return "bad number of program headers";
    if (!in_bounds(eh->phoff, eh->phnum * (uint32_t)sizeof(struct elf32_phdr),
                   size))
        return "program headers outside the file";

    static char why[120]; /* the reason, with the numbers that broke it */
    int nload = 0, entry_ok = 0;
    for (uint32_t i = 0; i < eh->phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, image + eh->phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        nload++;
        if (ph.filesz > ph.memsz) {
            ksnprintf(why, sizeof why,
                      "segment %u: file size 0x%x above "
                      "memory size 0x%x",
                      i, ph.filesz, ph.memsz);
            return why;
        }
        if (!in_bounds(ph.offset, ph.filesz, size)) {
            ksnprintf(why, sizeof why,
                      "segment %u: data at offset 0x%x, "
                      "size 0x%x, outside the file (0x%x bytes)",
                      i, ph.offset, ph.filesz, size);
            return why;
        }
        if (ph.vaddr < USER_NULL_GUARD ||
            !in_bounds(ph.vaddr, ph.memsz, ubound)) {
            ksnprintf(why, sizeof why,
                      "segment %u: 0x%x, size 0x%x, outside "
                      "the user address space [0x%x, 0x%x)",
                      i, ph.vaddr, ph.memsz, USER_NULL_GUARD, ubound);
            return why;
        }
        if (eh->entry >= ph.vaddr && eh->entry - ph.vaddr < ph.memsz)
            entry_ok = 1;
    }
    if (nload == 0)
        return "no loadable segment";
    if (!entry_ok || (eh->entry & 3)) {
        ksnprintf(why, sizeof why,
                  "entry point 0x%x not an instruction in "
                  "a loadable segment",
                  eh->entry);
        return why;
    }
    return 0;
}

/* Check image[0..size) as a program for an address space of ubound
 * bytes. Returns 0 and fills *info (the entry point, where the lowest
 * segment starts, and the end of the highest: the initial program break
 * before page rounding), or the reason for refusing it. Changes nothing. */
const char *elf_check(const uint8_t *image, uint32_t size, uint32_t ubound,
                      struct elf_info *info)
{
    struct elf32_ehdr eh;
    const char *why = check_headers(image, size, ubound, &eh);
    if (why)
        return why;
    uint32_t bottom = UINT32_MAX, top = 0;
    for (uint32_t i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, image + eh.phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        if (ph.vaddr < bottom)
            bottom = ph.vaddr;
        if (ph.vaddr + ph.memsz > top)
            top = ph.vaddr + ph.memsz;
    }
    info->entry = eh.entry;
    info->start = bottom;
    info->end = top;
    return 0;
}

/* Load an image that elf_check() accepted into the partition at physical
 * ubase: copy each PT_LOAD segment, zero its bss. */
void elf_load(const uint8_t *image, uint32_t ubase)
{
    struct elf32_ehdr eh;
    memcpy(&eh, image, sizeof eh);
    for (uint32_t i = 0; i < eh.phnum; i++) {
        struct elf32_phdr ph;
        memcpy(&ph, image + eh.phoff + i * sizeof ph, sizeof ph);
        if (ph.type != PT_LOAD || ph.memsz == 0)
            continue;
        uint8_t *dst = (uint8_t *)(uintptr_t)(ubase + ph.vaddr);
        memcpy(dst, image + ph.offset, ph.filesz);
        memset(dst + ph.filesz, 0, ph.memsz - ph.filesz);
    }
    /* The program's code was written by stores: make fetch see it. */
    fence_i();
}
