/*
 * elf_load.h: put the kernel image into the machine's RAM (docs/isa.md §9).
 */
#ifndef LDE_ELF_LOAD_H
#define LDE_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "elf_file.h"

struct cpu;

/*
 * Check ef as a kernel for this machine's RAM (elf_check_kernel), copy
 * every PT_LOAD's file bytes to its physical address p_paddr and zero the
 * rest of its memory size (the bss). On success *entry is the physical
 * address of the entry point and *end the first byte past the highest
 * segment. Returns 0, or -1 with one line in err.
 */
int elf_load_kernel(struct cpu *cpu, const struct elf_file *ef, uint32_t *entry,
                    uint32_t *end, char *err, size_t errlen);

#endif /* LDE_ELF_LOAD_H */
