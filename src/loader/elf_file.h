/*
 * elf_file.h: an ELF file read into memory and checked.
 *
 * The host never trusts an ELF file: the kernel image and every program
 * image go through elf_open() (a well-formed little-endian ELF32 RISC-V
 * executable with program headers that lie inside the file) and then the
 * check for their role: elf_check_kernel() (segments in RAM at their
 * physical addresses) or elf_check_program() (docs/isa.md §10: static, every
 * PT_LOAD in [0x1000, LDE_USER_SIZE), entry in an executable segment).
 * Both roles also refuse what this machine cannot execute: compressed
 * instructions, a floating-point ABI, an entry point that is not 4-byte
 * aligned. elf_check_args() then checks a program's argv against the
 * kernel's limits (lde/abi.h), so that everything the kernel would refuse
 * is said before boot.
 *
 * Every failure writes ONE line into err, "<name>: <problem>", without a
 * trailing newline; the caller prefixes "lde: ". Any byte sequence is
 * handled: sizes and offsets are checked before they are added.
 *
 * The file's bytes stay available (data, size) for the boot-info block,
 * and the libelf handle (elf) for the symbol table and for libdw.
 */
#ifndef LDE_ELF_FILE_H
#define LDE_ELF_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "exec_extent.h" /* elf_exec_extent */

struct Elf; /* libelf's handle (libelf.h: typedef struct Elf Elf) */

#define ELF_MAX_SEGS 64           /* more program headers than this: refused */
#define ELF_MAX_SIZE (256u << 20) /* bigger files are refused */
#define ELF_ERR_MAX 256           /* a buffer this size holds any error line */

/* One program header, as read from the file. */
struct elf_seg {
    uint32_t index; /* position in the program header table */
    uint32_t type;  /* PT_* */
    uint32_t flags; /* PF_R | PF_W | PF_X */
    uint32_t offset, vaddr, paddr, filesz, memsz;
};

struct elf_file {
    char *name; /* as given by the caller: used in every message */
    const unsigned char *data; /* the whole file */
    size_t size;
    unsigned char *owned; /* data, if elf_close frees it; NULL if borrowed */
    struct Elf *elf;      /* libelf handle over data */
    uint32_t entry;
    uint32_t type;  /* ET_* */
    uint32_t flags; /* e_flags: EF_RISCV_RVC, the float ABI */
    uint32_t nsegs; /* every program header, loadable or not */
    struct elf_seg segs[ELF_MAX_SEGS];
};

/* Read the file at path and elf_open() it under the name `name` (NULL: use
 * path). Returns NULL and writes err on failure. */
struct elf_file *elf_read_file(const char *path, const char *name, char *err,
                               size_t errlen);

/* Copy size bytes and check the ELF header and program header table.
 * Returns NULL and writes err on failure. */
struct elf_file *elf_open(const char *name, const void *bytes, size_t size,
                          char *err, size_t errlen);

/* elf_open() without the copy: the elf_file reads bytes where they are,
 * so they must stay unchanged until elf_close(). For images that live as
 * long as the process (the built-in ones, guest/embed.h): start-up then
 * copies and pages in no kernel or program image. The bytes may be
 * read-only: nothing here writes to them. */
struct elf_file *elf_open_in_place(const char *name, const void *bytes,
                                   size_t size, char *err, size_t errlen);

void elf_close(struct elf_file *ef);

/* Role checks (0 = fine, -1 = err written). */
int elf_check_program(const struct elf_file *ef, char *err, size_t errlen);
int elf_check_kernel(const struct elf_file *ef, uint32_t ram_size, char *err,
                     size_t errlen);
/* argc arguments (argv[0] included): at most LDE_ARGS_MAX of them and
 * LDE_ARG_BYTES_MAX bytes, and the initial stack they make must leave
 * LDE_USER_STACK_ROOM above the program's initial break. */
int elf_check_args(const struct elf_file *ef, int argc, char *const *argv,
                   char *err, size_t errlen);

/* Whether addr (virtual) lies in the file bytes of an executable PT_LOAD:
 * where the image has code. */
int elf_has_code_at(const struct elf_file *ef, uint32_t addr);

/* The end of the highest PT_LOAD, physical: where a kernel image ends. */
uint32_t elf_phys_end(const struct elf_file *ef);

/* The physical address a virtual address of the file is loaded at, through
 * the PT_LOAD that contains it (0 on success, -1 if none does). */
int elf_vaddr_to_paddr(const struct elf_file *ef, uint32_t vaddr,
                       uint32_t *paddr);

#endif /* LDE_ELF_FILE_H */
