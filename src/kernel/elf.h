/*
 * elf.h: the parts of the ELF32 format the kernel reads (the System V ABI
 * gABI, "ELF header" and "Program header"), written out here because the
 * kernel has no libc headers.
 */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>

#define ELF_MAGIC 0x464C457Fu /* "\x7FELF" read as a little-endian word */
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1

struct elf32_ehdr {
    uint32_t magic;     /*  0 ELF_MAGIC */
    uint8_t class;      /*  4 ELFCLASS32 */
    uint8_t data;       /*  5 ELFDATA2LSB */
    uint8_t version;    /*  6 EV_CURRENT */
    uint8_t pad[9];     /*  7 OS ABI, ABI version, padding */
    uint16_t type;      /* 16 ET_EXEC */
    uint16_t machine;   /* 18 EM_RISCV */
    uint32_t eversion;  /* 20 EV_CURRENT */
    uint32_t entry;     /* 24 entry point (user va) */
    uint32_t phoff;     /* 28 file offset of the program headers */
    uint32_t shoff;     /* 32 section headers (unused here) */
    uint32_t flags;     /* 36 */
    uint16_t ehsize;    /* 40 */
    uint16_t phentsize; /* 42 size of one program header */
    uint16_t phnum;     /* 44 number of program headers */
    uint16_t shentsize; /* 46 */
    uint16_t shnum;     /* 48 */
    uint16_t shstrndx;  /* 50 */
};

struct elf32_phdr {
    uint32_t type;   /*  0 PT_LOAD, ... */
    uint32_t offset; /*  4 file offset of the segment */
    uint32_t vaddr;  /*  8 user virtual address */
    uint32_t paddr;  /* 12 (unused) */
    uint32_t filesz; /* 16 bytes in the file */
    uint32_t memsz;  /* 20 bytes in memory; the rest is bss, zeroed */
    uint32_t flags;  /* 24 PF_R/W/X (base and bounds cannot enforce them) */
    uint32_t align;  /* 28 */
};

/* What exec needs to know of a checked image. */
struct elf_info {
    uint32_t entry; /* the entry point (user va) */
    uint32_t start; /* start of the lowest segment (user va) */
    uint32_t end;   /* end of the highest segment (user va) */
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header");

#endif /* ELF_H */
