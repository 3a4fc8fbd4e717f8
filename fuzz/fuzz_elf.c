/*
 * fuzz_elf.c: the host's ELF loader on any bytes, as a kernel image and as
 * a program image (src/loader/).
 *
 * The input is the file. Every stage the loader offers runs on it:
 * elf_open, the program and kernel role checks, the symbol table and its
 * look-ups, loading it as a kernel into a machine, and writing it into a
 * boot-info block as a program. What the loader accepts is then checked
 * against the rules it promises (elf_file.h, docs/isa.md), by code written
 * here, and what it refuses must come with one line naming the file.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elf.h>

#include "lde/abi.h"
#include "boot_block.h"
#include "cpu.h"
#include "elf_file.h"
#include "elf_load.h"
#include "symtab.h"

#define NAME "fuzz.elf"
#define RAM (1u << 20)

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_elf: %s\n", what);
    abort();
}

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond);                                                       \
    } while (0)

/* One line, naming the file: "fuzz.elf: why". */
static void check_error(const char *err)
{
    size_t n = strnlen(err, ELF_ERR_MAX);
    CHECK(n > strlen(NAME ": ") && n < ELF_ERR_MAX);
    CHECK(strncmp(err, NAME ": ", strlen(NAME ": ")) == 0);
    CHECK(strchr(err, '\n') == NULL);
}

static bool in_exec_seg(const struct elf_file *ef, uint32_t a)
{
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD && (s->flags & PF_X) && a >= s->vaddr &&
            (uint64_t)a < (uint64_t)s->vaddr + s->filesz)
            return true;
    }
    return false;
}

/* What elf_open promises of a file it accepted. */
static void check_opened(const struct elf_file *ef, size_t size)
{
    CHECK(ef->size == size && ef->type == ET_EXEC);
    CHECK(ef->nsegs >= 1 && ef->nsegs <= ELF_MAX_SEGS);
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        CHECK(s->index == i);
        CHECK(s->type != PT_INTERP && s->type != PT_DYNAMIC);
        CHECK((uint64_t)s->offset + s->filesz <= size);
        if (s->type != PT_LOAD)
            continue;
        CHECK(s->filesz <= s->memsz);
        CHECK((uint64_t)s->vaddr + s->memsz <= UINT64_C(1) << 32);
        CHECK((uint64_t)s->paddr + s->memsz <= UINT64_C(1) << 32);
        for (uint32_t j = 0; j < i; j++) {
            const struct elf_seg *o = &ef->segs[j];
            if (o->type != PT_LOAD || o->memsz == 0 || s->memsz == 0)
                continue;
            CHECK((uint64_t)o->vaddr + o->memsz <= s->vaddr ||
                  (uint64_t)s->vaddr + s->memsz <= o->vaddr);
        }
    }
}

static void check_program(const struct elf_file *ef)
{
    char err[ELF_ERR_MAX];
    if (elf_check_program(ef, err, sizeof err) != 0) {
        check_error(err);
        return;
    }
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type == PT_LOAD)
            CHECK(s->vaddr >= USER_NULL_GUARD &&
                  (uint64_t)s->vaddr + s->memsz <= LDE_USER_SIZE);
    }
    CHECK(in_exec_seg(ef, ef->entry));

    /* As a program in a boot-info block: its bytes land there intact. */
    struct cpu *cpu = cpu_create(RAM);
    CHECK(cpu != NULL);
    char *argv[] = {"dir/prog", "an argument", NULL};
    struct boot_image bi = {ef, 2, argv, NULL};
    struct boot_params p = {.clock_hz = 100000000u,
                            .cmdline = "quantum=1000",
                            .nprogs = 1,
                            .progs = &bi};
    struct boot_layout out;
    if (boot_write(cpu, 0x10000, &p, &out, err, sizeof err) == 0) {
        /* The file up to the end of its last segment (docs/isa.md §9). */
        size_t n = elf_exec_extent(ef->data, ef->size);
        CHECK(out.image_size[0] == n && n <= ef->size);
        unsigned char *copy = malloc(n ? n : 1);
        CHECK(copy != NULL);
        CHECK(cpu_read_phys(cpu, out.image[0], copy, n) == 0);
        CHECK(memcmp(copy, ef->data, n) == 0);
        CHECK(out.free_start <= RAM && out.end <= out.free_start);
        free(copy);
    } else {
        /* Only a program the kernel would refuse for its arguments (no
         * room for the stack), or RAM, can be too small here. */
        char why[ELF_ERR_MAX];
        CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
        CHECK(elf_check_args(ef, 2, argv, why, sizeof why) != 0 ||
              ef->size > RAM / 2);
    }
    cpu_destroy(cpu);
}

static void check_kernel(const struct elf_file *ef)
{
    char err[ELF_ERR_MAX];
    struct cpu *cpu = cpu_create(RAM);
    CHECK(cpu != NULL);
    uint32_t entry, end;
    if (elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err) != 0) {
        check_error(err);
        cpu_destroy(cpu);
        return;
    }
    CHECK(end <= RAM && entry < RAM);
    CHECK(in_exec_seg(ef, ef->entry));
    /* Every segment's bytes at its physical address, its bss zeroed. */
    for (uint32_t i = 0; i < ef->nsegs; i++) {
        const struct elf_seg *s = &ef->segs[i];
        if (s->type != PT_LOAD)
            continue;
        CHECK((uint64_t)s->paddr + s->memsz <= end);
        unsigned char *got = malloc(s->memsz ? s->memsz : 1);
        CHECK(got != NULL);
        CHECK(cpu_read_phys(cpu, s->paddr, got, s->memsz) == 0);
        CHECK(memcmp(got, ef->data + s->offset, s->filesz) == 0);
        for (uint32_t k = s->filesz; k < s->memsz; k++)
            CHECK(got[k] == 0);
        free(got);
    }
    cpu_destroy(cpu);
}

static void check_symbols(const struct elf_file *ef)
{
    char err[ELF_ERR_MAX];
    struct sym_table *t = sym_load(ef, err, sizeof err);
    if (t == NULL) {
        check_error(err);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct sym *s = &t->by_addr[i];
        CHECK(i == 0 || t->by_addr[i - 1].addr <= s->addr);
        CHECK(s->name != NULL && s->name[0] != '\0');
        const struct sym *by = sym_by_name(t, s->name);
        CHECK(by != NULL && strcmp(by->name, s->name) == 0);
        uint32_t off;
        const struct sym *at = sym_by_addr(t, s->addr, &off);
        CHECK(at != NULL && at->addr <= s->addr && off == s->addr - at->addr);
        char buf[64];
        CHECK(sym_format(t, s->addr + 1, buf, sizeof buf) == buf);
    }
    char buf[64];
    sym_format(t, ef->entry, buf, sizeof buf);
    sym_by_addr(t, 0, NULL);
    sym_by_addr(t, UINT32_MAX, NULL);
    sym_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[ELF_ERR_MAX];
    struct elf_file *ef = elf_open(NAME, data, size, err, sizeof err);
    if (ef == NULL) {
        check_error(err);
        return 0;
    }
    check_opened(ef, size);
    check_program(ef);
    check_kernel(ef);
    check_symbols(ef);
    uint32_t pa;
    if (elf_vaddr_to_paddr(ef, ef->entry, &pa) == 0) {
        bool found = false; /* some PT_LOAD holds the entry, and maps it */
        for (uint32_t i = 0; i < ef->nsegs; i++) {
            const struct elf_seg *s = &ef->segs[i];
            if (s->type == PT_LOAD && ef->entry >= s->vaddr &&
                ef->entry - s->vaddr < s->memsz)
                found |= pa == s->paddr + (ef->entry - s->vaddr);
        }
        CHECK(found);
    }
    elf_close(ef);
    return 0;
}
