/* elf_builder.c: see elf_builder.h. */
#include "elf_builder.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

struct tb_spec tb_program(void)
{
    struct tb_spec s = {
        .machine = EM_RISCV,
        .type = ET_EXEC,
        .entry = 0x10000,
        .nsegs = 2,
        .segs =
            {
                {PT_LOAD, PF_R | PF_X, 0x10000, TB_AUTO, 0x100, 0x100, TB_AUTO},
                {PT_LOAD, PF_R | PF_W, 0x11000, TB_AUTO, 0x20, 0x100, TB_AUTO},
            },
        .nsyms = 5,
        .syms =
            {
                {"_start", 0x10000, 0, ELF32_ST_INFO(STB_GLOBAL, STT_NOTYPE),
                 0},
                {"main", 0x10010, 0x40, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0},
                {"counter", 0x11000, 4, ELF32_ST_INFO(STB_LOCAL, STT_OBJECT),
                 2},
                {".Lloop", 0x10020, 0, ELF32_ST_INFO(STB_LOCAL, STT_NOTYPE), 0},
                {"$x", 0x10000, 0, ELF32_ST_INFO(STB_LOCAL, STT_NOTYPE), 0},
            },
    };
    return s;
}

struct tb_spec tb_kernel(void)
{
    struct tb_spec s = {
        .machine = EM_RISCV,
        .type = ET_EXEC,
        .entry = 0x10000,
        .nsegs = 2,
        .segs =
            {
                {PT_LOAD, PF_R | PF_X, 0x10000, TB_AUTO, 0x80, 0x80, TB_AUTO},
                {PT_LOAD, PF_R | PF_W, 0x12000, TB_AUTO, 0x10, 0x1010, TB_AUTO},
            },
        .nsyms = 2,
        .syms =
            {
                {"_entry", 0x10000, 0, ELF32_ST_INFO(STB_GLOBAL, STT_FUNC), 0},
                {"lde_switches", 0x12000, 4,
                 ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT), 2},
            },
    };
    return s;
}

static size_t align16(size_t v)
{
    return (v + 15) & ~(size_t)15;
}

unsigned char *tb_build(const struct tb_spec *s, size_t *size)
{
    /* Sizes first. */
    size_t off = sizeof(Elf32_Ehdr) + s->nsegs * sizeof(Elf32_Phdr);
    size_t seg_at[TB_MAX];
    for (unsigned i = 0; i < s->nsegs; i++) {
        off = align16(off);
        seg_at[i] = off;
        off += s->segs[i].filesz;
    }
    static const char shstr[] = "\0.text\0.data\0.symtab\0.strtab\0.shstrtab";
    size_t strsz = 1;
    for (unsigned i = 0; i < s->nsyms; i++)
        strsz += strlen(s->syms[i].name) + 1;
    off = align16(off);
    size_t symtab_at = off;
    size_t symtab_sz = (s->nsyms + 1) * sizeof(Elf32_Sym);
    size_t strtab_at = symtab_at + symtab_sz;
    size_t shstr_at = strtab_at + strsz;
    size_t shdr_at = align16(shstr_at + sizeof shstr);
    const unsigned nshdr = 6; /* null .text .data .symtab .strtab .shstrtab */
    size_t total = shdr_at + nshdr * sizeof(Elf32_Shdr);

    unsigned char *b = calloc(1, total);
    Elf32_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = s->type;
    eh.e_machine = s->machine;
    eh.e_version = s->version ? s->version : EV_CURRENT;
    eh.e_entry = s->entry;
    eh.e_flags = s->flags;
    eh.e_phoff = sizeof(Elf32_Ehdr);
    eh.e_shoff = (Elf32_Off)shdr_at;
    eh.e_ehsize = sizeof(Elf32_Ehdr);
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = (Elf32_Half)s->nsegs;
    eh.e_shentsize = sizeof(Elf32_Shdr);
    eh.e_shnum = (Elf32_Half)nshdr;
    eh.e_shstrndx = 5;
    memcpy(b, &eh, sizeof eh);

    for (unsigned i = 0; i < s->nsegs; i++) {
        const struct tb_seg *g = &s->segs[i];
        Elf32_Phdr ph = {
            .p_type = g->type,
            .p_offset = g->offset == TB_AUTO ? (Elf32_Off)seg_at[i] : g->offset,
            .p_vaddr = g->vaddr,
            .p_paddr = g->paddr == TB_AUTO ? g->vaddr : g->paddr,
            .p_filesz = g->filesz,
            .p_memsz = g->memsz,
            .p_flags = g->flags,
            .p_align = 16,
        };
        memcpy(b + sizeof eh + i * sizeof ph, &ph, sizeof ph);
        for (uint32_t k = 0; k < g->filesz; k++)
            b[seg_at[i] + k] = tb_byte(i, k);
    }

    size_t name_at = 1;
    for (unsigned i = 0; i < s->nsyms; i++) {
        const struct tb_sym *y = &s->syms[i];
        Elf32_Sym sym = {
            .st_name = (Elf32_Word)name_at,
            .st_value = y->value,
            .st_size = y->size,
            .st_info = y->info,
            .st_shndx = y->shndx ? y->shndx : 1,
        };
        memcpy(b + symtab_at + (i + 1) * sizeof sym, &sym, sizeof sym);
        size_t len = strlen(y->name) + 1;
        memcpy(b + strtab_at + name_at, y->name, len);
        name_at += len;
    }
    memcpy(b + shstr_at, shstr, sizeof shstr);

    Elf32_Shdr sh[6] = {{0}};
    sh[1] = (Elf32_Shdr){.sh_name = 1,
                         .sh_type = SHT_PROGBITS,
                         .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
                         .sh_addr = s->nsegs ? s->segs[0].vaddr : 0,
                         .sh_offset = s->nsegs ? (Elf32_Off)seg_at[0] : 0,
                         .sh_size = s->nsegs ? s->segs[0].filesz : 0,
                         .sh_addralign = 4};
    sh[2] = (Elf32_Shdr){.sh_name = 7,
                         .sh_type = SHT_PROGBITS,
                         .sh_flags = SHF_ALLOC | SHF_WRITE,
                         .sh_addr = s->nsegs > 1 ? s->segs[1].vaddr : 0,
                         .sh_offset = s->nsegs > 1 ? (Elf32_Off)seg_at[1] : 0,
                         .sh_size = s->nsegs > 1 ? s->segs[1].filesz : 0,
                         .sh_addralign = 4};
    sh[3] = (Elf32_Shdr){.sh_name = 13,
                         .sh_type = SHT_SYMTAB,
                         .sh_offset = (Elf32_Off)symtab_at,
                         .sh_size = (Elf32_Word)symtab_sz,
                         .sh_link = 4,
                         .sh_info = 1,
                         .sh_addralign = 4,
                         .sh_entsize = sizeof(Elf32_Sym)};
    sh[4] = (Elf32_Shdr){.sh_name = 21,
                         .sh_type = SHT_STRTAB,
                         .sh_offset = (Elf32_Off)strtab_at,
                         .sh_size = (Elf32_Word)strsz,
                         .sh_addralign = 1};
    sh[5] = (Elf32_Shdr){.sh_name = 29,
                         .sh_type = SHT_STRTAB,
                         .sh_offset = (Elf32_Off)shstr_at,
                         .sh_size = sizeof shstr,
                         .sh_addralign = 1};
    memcpy(b + shdr_at, sh, sizeof sh);
    *size = total;
    return b;
}
