/* elf_load.c: copy the kernel's segments into RAM (see elf_load.h). */
#include "elf_load.h"

#include <gelf.h>

#include "cpu.h"
#include "loader_error.h"

int elf_load_kernel(struct cpu *cpu, const struct elf_file *ef, uint32_t *entry,
                    uint32_t *end, char *err, size_t errlen)
{
    if (elf_check_kernel(ef, cpu->ram_size, err, errlen) != 0)
        return -1;
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type != PT_LOAD)
            continue;
        /* elf_open checked offset + filesz <= size and filesz <= memsz;
         * elf_check_kernel checked paddr + memsz <= RAM. */
        if (cpu_load(cpu, s->paddr, ef->data + s->offset, s->filesz) != 0 ||
            cpu_zero(cpu, s->paddr + s->filesz, s->memsz - s->filesz) != 0)
            return loader_error(err, errlen, ef->name,
                                "segment %u does not fit in RAM", s->index);
    }
    if (elf_vaddr_to_paddr(ef, ef->entry, entry) != 0)
        return loader_error(err, errlen, ef->name,
                            "entry point 0x%x is not in a segment", ef->entry);
    *end = elf_phys_end(ef);
    return 0;
}
