/*
 * elf_builder.h: a tiny ELF32 writer for the loader's tests.
 *
 * Layout of what tb_build() writes: the ELF header, the program headers,
 * each segment's file bytes (16-byte aligned, byte k of segment i is
 * tb_byte(i, k)), then .symtab, .strtab and .shstrtab, then the section
 * headers. A field of a segment set to TB_AUTO is computed.
 */
#ifndef LDE_TEST_ELF_BUILDER_H
#define LDE_TEST_ELF_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define TB_AUTO 0xFFFFFFFFu
#define TB_MAX 8

struct tb_seg {
    uint32_t type, flags;
    uint32_t vaddr, paddr; /* paddr TB_AUTO: = vaddr */
    uint32_t filesz, memsz;
    uint32_t offset; /* TB_AUTO: where the bytes were put */
};

struct tb_sym {
    const char *name;
    uint32_t value, size;
    unsigned char info; /* ELF32_ST_INFO(bind, type) */
    uint16_t shndx;     /* 0: the first segment's section (1) */
};

struct tb_spec {
    uint16_t machine, type;
    uint32_t entry;
    uint32_t flags;   /* e_flags: 0 = RV32I/M, soft float */
    uint32_t version; /* e_version: 0 = EV_CURRENT */
    unsigned nsegs;
    struct tb_seg segs[TB_MAX];
    unsigned nsyms;
    struct tb_sym syms[TB_MAX];
};

/* A good program: text R+X at 0x10000 (0x100 bytes), data R+W at 0x11000
 * (0x20 bytes in the file, 0x100 in memory), symbols _start, main, counter,
 * a local label and a mapping symbol. */
struct tb_spec tb_program(void);
/* A good kernel: text R+X at 0x10000, data+bss R+W at 0x12000, symbols
 * _entry, lde_switches (object). */
struct tb_spec tb_kernel(void);

/* malloc'd file bytes; *size gets the length. */
unsigned char *tb_build(const struct tb_spec *s, size_t *size);

static inline unsigned char tb_byte(unsigned seg, uint32_t k)
{
    return (unsigned char)(seg * 0x40 + k * 7 + 1);
}

#endif /* LDE_TEST_ELF_BUILDER_H */
