/*
 * boot_block.h: write the boot-info block the kernel finds in a0 at reset.
 *
 * Layout (docs/isa.md §9, lde/machine.h), from the first page boundary at or
 * above the kernel image, every address physical:
 *
 *     struct boot_info          magic, RAM size, clock, free_start, ...
 *     cmdline                   "quantum=100000 sched=rr preempt=1\0"
 *     struct boot_prog[nprogs]
 *     struct boot_file[nfiles]
 *     per program: name\0, argv[argc] (addresses), the argv strings
 *     per file: its path\0
 *     the images, 4-byte aligned: each program's ELF file up to the end
 *     of its last segment (elf_exec_extent), and each file's bytes; equal
 *     contents are written once (a command-line program is also a file)
 *     the region (if any image lies in it), from a page boundary: the
 *     built-in programs' exec images, mapped rather than copied
 *     ... up to free_start, the next page boundary: RAM the kernel owns.
 */
#ifndef LDE_BOOT_BLOCK_H
#define LDE_BOOT_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "elf_file.h"
#include "lde/machine.h"

#define BOOT_PAGE 4096u

struct cpu;

/* One program for the kernel to start. */
struct boot_image {
    const struct elf_file *elf; /* checked with elf_check_program() */
    int argc;                   /* >= 1: argv[0] is the program's name */
    char *const *argv;
    /* NULL, or the same bytes as its exec image (elf_exec_extent) held
     * apart, in the region: a built-in program's. */
    const unsigned char *exec;
};

/* Bytes the host holds page-aligned and a file holds too (the built-in
 * programs' exec images, guest/embed.h). Placed whole at a page boundary
 * after the other images; a program or file whose bytes lie inside gets
 * their address there. Mapped into RAM from the file (cpu_map_file),
 * which pages in only what the guest touches; copied where it cannot be:
 * RAM reads the same either way. */
struct boot_region {
    const unsigned char *data; /* BOOT_PAGE-aligned */
    size_t size;               /* a multiple of BOOT_PAGE */
    int fd;                    /* the same bytes at offset off, or -1 */
    uint64_t off;
};

/* One file of the kernel's namespace (for exec). */
struct boot_file_spec {
    const char *path; /* its name in the guest: "/bin/sh", argv[0], ... */
    const unsigned char *data;
    size_t size;
};

struct boot_params {
    uint32_t clock_hz;
    const char *cmdline; /* kernel command line */
    uint32_t nprogs;     /* at most BOOT_MAX_PROGS */
    const struct boot_image *progs;
    uint32_t nfiles; /* at most BOOT_MAX_FILES */
    const struct boot_file_spec *files;
    const struct boot_region *region; /* NULL: none */
};

/* Where everything went. */
struct boot_layout {
    uint32_t info;                       /* struct boot_info: a0 at reset */
    uint32_t end;                        /* first byte past the boot data */
    uint32_t free_start;                 /* end rounded up to a page */
    uint32_t image[BOOT_MAX_PROGS];      /* each program's ELF bytes */
    uint32_t image_size[BOOT_MAX_PROGS]; /* how many of them */
};

/*
 * Write the block above kernel_end into the cpu's RAM. Returns 0, or -1
 * with one line in err (too many programs or files, arguments the kernel
 * would refuse: elf_check_args, a file's name too long, RAM too small for
 * the kernel plus the boot data).
 */
int boot_write(struct cpu *cpu, uint32_t kernel_end,
               const struct boot_params *p, struct boot_layout *out, char *err,
               size_t errlen);

/* Where boot_write would put free_start for these parameters: the first
 * page boundary above the kernel (ending at kernel_end) and the boot data.
 * The RAM a kernel can give its processes starts there. */
uint64_t boot_free_start(uint32_t kernel_end, const struct boot_params *p);

/* The process name the kernel is given: argv[0]'s basename. */
const char *boot_prog_name(const char *argv0);

#endif /* LDE_BOOT_BLOCK_H */
