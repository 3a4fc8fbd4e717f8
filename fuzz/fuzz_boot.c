/*
 * fuzz_boot.c: the boot-info writer (src/loader/boot_block.c) on any
 * parameters: number of programs and files, RAM size, where the kernel
 * ends, the command line, every program's arguments and image bytes,
 * every file's path and bytes.
 *
 * Input, read front to back (missing bytes read as 0):
 *   byte 0      nprogs (mod 18: up to two more than allowed)
 *   byte 1      RAM: 64 KiB << (byte mod 6)
 *   bytes 2-5   kernel end (mod RAM + 8 KiB)
 *   bytes 6-9   clock in Hz
 *   byte 10     nfiles (mod 8; 255 means one more than allowed)
 *   then        the command line, NUL-terminated (at most 300 bytes)
 *   per program argc (byte mod 6: 0 is refused), argc NUL-terminated
 *               strings, a 16-bit image size, the image's bytes
 *   then        the region of built-in images: pages (byte mod 4; 0:
 *               none), and bit 2: mapped from a file (a memfd) rather
 *               than copied
 *   per file    its path, NUL-terminated (at most 300 bytes: over 255 is
 *               refused), a 16-bit size; an odd size with a region: a
 *               16-bit place in it and the file lies there (size >> 1
 *               bytes, clipped); else the file's bytes
 *
 * The block written is then read back from RAM by a reader written here,
 * following docs/isa.md §9 as the guest kernel would, and every field
 * must hold what was asked: magic, sizes, command line, names, argv,
 * each program's bytes up to the end of its last segment, each file's
 * bytes, every address inside [block, free_start), and RAM below the
 * block untouched. boot_write must succeed exactly when the parameters
 * are within the limits boot_block.h gives and the block fits in RAM,
 * and a refusal must be one line.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h> /* memfd_create */
#include <unistd.h>

#include "boot_block.h"
#include "cpu.h"
#include "elf_file.h"
#include "lde/abi.h"

#define MAX_ARGC 5
#define CMDLINE_MAX 300

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_boot: %s\n", what);
    abort();
}

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond);                                                       \
    } while (0)

struct reader {
    const uint8_t *p;
    size_t n, at;
};

static uint32_t rd_byte(struct reader *r)
{
    return r->at < r->n ? r->p[r->at++] : 0;
}
static uint32_t rd_u32(struct reader *r)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= rd_byte(r) << (8 * i);
    return v;
}
/* A NUL-terminated string of at most max bytes, copied out. */
static char *rd_str(struct reader *r, size_t max)
{
    size_t start = r->at, len = 0;
    while (r->at < r->n && r->p[r->at] != 0 && len < max) {
        r->at++;
        len++;
    }
    if (r->at < r->n && r->p[r->at] == 0)
        r->at++;
    char *s = malloc(len + 1);
    CHECK(s != NULL);
    memcpy(s, r->p + start, len);
    s[len] = '\0';
    return s;
}

/* The guest's view: words and strings in RAM at physical addresses. */
static uint32_t ram_word(const struct cpu *cpu, uint32_t pa)
{
    uint8_t b[4];
    CHECK(cpu_read_phys(cpu, pa, b, 4) == 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}
static void check_ram_str(const struct cpu *cpu, uint32_t pa, const char *want,
                          uint32_t lo, uint32_t hi)
{
    size_t n = strlen(want);
    CHECK(pa >= lo && (uint64_t)pa + n + 1 <= hi);
    char *got = malloc(n + 1);
    CHECK(got != NULL);
    CHECK(cpu_read_phys(cpu, pa, got, n + 1) == 0);
    CHECK(memcmp(got, want, n + 1) == 0);
    free(got);
}

static uint64_t up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

/* n bytes at pa in RAM, inside [lo, hi), equal to want. */
static void check_ram_bytes(const struct cpu *cpu, uint32_t pa, uint32_t n,
                            const void *want, uint32_t lo, uint32_t hi)
{
    CHECK(pa % 4 == 0 && pa >= lo && (uint64_t)pa + n <= hi);
    if (n == 0)
        return;
    uint8_t *copy = malloc(n);
    CHECK(copy != NULL);
    CHECK(cpu_read_phys(cpu, pa, copy, n) == 0);
    CHECK(memcmp(copy, want, n) == 0);
    free(copy);
}

static void check_block(const struct cpu *cpu, const struct boot_params *p,
                        uint32_t kernel_end, const struct boot_layout *out)
{
    uint32_t base = (uint32_t)up(kernel_end, BOOT_PAGE);
    uint32_t lo = base, hi = out->free_start;
    CHECK(out->info == base);
    CHECK(out->end > base && out->free_start == up(out->end, BOOT_PAGE));
    CHECK(out->free_start <= cpu->ram_size);
    CHECK(out->free_start == boot_free_start(kernel_end, p));
    /* Nothing below the block was written (RAM starts zeroed). */
    static const uint8_t zeros[4096];
    for (uint32_t a = 0; a < base; a += sizeof zeros) {
        uint32_t n = base - a < sizeof zeros ? base - a : sizeof zeros;
        CHECK(memcmp(cpu->ram + a, zeros, n) == 0);
    }

    uint32_t bi = out->info;
    CHECK(ram_word(cpu, bi + BOOT_INFO_MAGIC) == BOOT_MAGIC);
    CHECK(ram_word(cpu, bi + BOOT_INFO_RAM_SIZE) == cpu->ram_size);
    CHECK(ram_word(cpu, bi + BOOT_INFO_CLOCK_HZ) == p->clock_hz);
    CHECK(ram_word(cpu, bi + BOOT_INFO_FREE_START) == out->free_start);
    CHECK(ram_word(cpu, bi + BOOT_INFO_NPROGS) == p->nprogs);
    CHECK(ram_word(cpu, bi + BOOT_INFO_NFILES) == p->nfiles);
    check_ram_str(cpu, ram_word(cpu, bi + BOOT_INFO_CMDLINE), p->cmdline, lo,
                  hi);
    uint32_t progs = ram_word(cpu, bi + BOOT_INFO_PROGS);
    CHECK(progs % 4 == 0 && progs >= lo &&
          progs + p->nprogs * sizeof(struct boot_prog) <= hi);
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *b = &p->progs[i];
        uint32_t bp = progs + i * (uint32_t)sizeof(struct boot_prog);
        uint32_t image = ram_word(cpu, bp + 0), size = ram_word(cpu, bp + 4);
        uint32_t argc = ram_word(cpu, bp + 12), argv = ram_word(cpu, bp + 16);
        /* The ELF file up to the end of its last segment (all of it when
         * it is no ELF file at all). */
        size_t extent = elf_exec_extent(b->elf->data, b->elf->size);
        CHECK(image == out->image[i] && size == out->image_size[i]);
        CHECK(size == extent && extent <= b->elf->size);
        check_ram_bytes(cpu, image, size, b->elf->data, lo, hi);
        check_ram_str(cpu, ram_word(cpu, bp + 8), boot_prog_name(b->argv[0]),
                      lo, hi);
        CHECK(argc == (uint32_t)b->argc && argv % 4 == 0);
        CHECK(argv >= lo && argv + 4 * argc <= hi);
        for (uint32_t a = 0; a < argc; a++)
            check_ram_str(cpu, ram_word(cpu, argv + 4 * a), b->argv[a], lo, hi);
    }
    uint32_t files = ram_word(cpu, bi + BOOT_INFO_FILES);
    CHECK(files % 4 == 0 && files >= lo &&
          files + p->nfiles * sizeof(struct boot_file) <= hi);
    const struct boot_region *r = p->region;
    uint32_t region_at = 0;
    for (uint32_t i = 0; i < p->nfiles; i++) {
        const struct boot_file_spec *f = &p->files[i];
        uint32_t bf = files + i * (uint32_t)sizeof(struct boot_file);
        check_ram_str(cpu, ram_word(cpu, bf + 0), f->path, lo, hi);
        CHECK(ram_word(cpu, bf + 8) == f->size);
        uint32_t at = ram_word(cpu, bf + 4);
        check_ram_bytes(cpu, at, (uint32_t)f->size, f->data, lo, hi);
        if (r != NULL && f->data >= r->data && f->data < r->data + r->size) {
            /* The whole region, at one page boundary, last in the block */
            uint32_t start = at - (uint32_t)(f->data - r->data);
            CHECK(start % BOOT_PAGE == 0 &&
                  (region_at == 0 || start == region_at));
            CHECK(start + r->size == out->end);
            region_at = start;
        }
    }
}

/* What boot_block.h says boot_write refuses, the RAM check aside. */
static bool within_limits(const struct boot_params *p)
{
    if (p->nprogs > BOOT_MAX_PROGS || p->nfiles > BOOT_MAX_FILES)
        return false;
    char why[ELF_ERR_MAX];
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *b = &p->progs[i];
        if (b->argc < 1 ||
            elf_check_args(b->elf, b->argc, b->argv, why, sizeof why) != 0)
            return false;
    }
    for (uint32_t i = 0; i < p->nfiles; i++) {
        size_t len = strlen(p->files[i].path);
        if (len == 0 || len >= LDE_PATH_MAX)
            return false;
    }
    return true;
}

/* A copy of exactly n input bytes, so ASan sees any read past them. */
static unsigned char *take(struct reader *r, size_t n)
{
    if (n > r->n - r->at)
        n = r->n - r->at;
    unsigned char *b = malloc(n ? n : 1);
    CHECK(b != NULL);
    memcpy(b, r->p + r->at, n);
    r->at += n;
    return b;
}

#define MAX_FILES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = {data, size, 0};
    uint32_t nprogs = rd_byte(&r) % (BOOT_MAX_PROGS + 2);
    uint32_t ram = 0x10000u << (rd_byte(&r) % 6);
    uint32_t kernel_end = rd_u32(&r) % (ram + 0x2000);
    struct boot_params p = {.clock_hz = rd_u32(&r), .nprogs = nprogs};
    uint32_t nf = rd_byte(&r);
    p.nfiles = nf == 255 ? BOOT_MAX_FILES + 1 : nf % MAX_FILES;
    char *cmdline = rd_str(&r, CMDLINE_MAX);
    p.cmdline = cmdline;

    struct boot_image imgs[BOOT_MAX_PROGS + 2];
    struct elf_file elfs[BOOT_MAX_PROGS + 2];
    char *argvs[BOOT_MAX_PROGS + 2][MAX_ARGC + 1];
    memset(argvs, 0, sizeof argvs);
    for (uint32_t i = 0; i < nprogs; i++) {
        int argc = (int)(rd_byte(&r) % (MAX_ARGC + 1));
        for (int a = 0; a < argc; a++)
            argvs[i][a] = rd_str(&r, 200);
        size_t isize = rd_byte(&r) | rd_byte(&r) << 8;
        /* Only the bytes matter to the writer: no need for a real ELF. */
        elfs[i] = (struct elf_file){.name = "prog"};
        size_t before = r.at;
        elfs[i].data = elfs[i].owned = take(&r, isize);
        elfs[i].size = r.at - before;
        imgs[i] = (struct boot_image){&elfs[i], argc, argvs[i], NULL};
    }
    p.progs = imgs;
    /* A region of up to 3 pages (the built-in programs' exec images in
     * lde), copied or mapped from a file holding the same bytes: files
     * may lie in it, at any 4-byte boundary. */
    uint32_t region_byte = rd_byte(&r);
    uint32_t region_pages = region_byte % 4;
    struct boot_region region = {NULL, region_pages * BOOT_PAGE, -1, 0};
    unsigned char *region_bytes = NULL;
    if (region_pages > 0) {
        region_bytes = aligned_alloc(BOOT_PAGE, region.size);
        CHECK(region_bytes != NULL);
        for (size_t i = 0; i < region.size; i++)
            region_bytes[i] = (uint8_t)(i * 31u + 7u);
        region.data = region_bytes;
        p.region = &region;
        if (region_byte & 4) {
            region.fd = memfd_create("region", MFD_CLOEXEC);
            CHECK(region.fd >= 0);
            CHECK(write(region.fd, region_bytes, region.size) ==
                  (ssize_t)region.size);
        }
    }
    bool in_region = false;
    struct boot_file_spec *fs = calloc(p.nfiles + 1, sizeof *fs);
    CHECK(fs != NULL);
    for (uint32_t i = 0; i < p.nfiles; i++) {
        char *path = rd_str(&r, CMDLINE_MAX);
        size_t fsize = rd_byte(&r) | rd_byte(&r) << 8;
        if (region_pages > 0 && (fsize & 1)) { /* in the region */
            uint32_t pick = rd_byte(&r) | rd_byte(&r) << 8;
            size_t off = 4 * (pick % (region_pages * (BOOT_PAGE / 4)));
            size_t room = region.size - off; /* up to the region's end */
            fs[i] = (struct boot_file_spec){path, region_bytes + off,
                                            (fsize >> 1) % (room + 1)};
            in_region = true;
            continue;
        }
        size_t before = r.at;
        fs[i] = (struct boot_file_spec){path, take(&r, fsize), 0};
        fs[i].size = r.at - before;
    }
    p.files = fs;

    struct cpu *cpu = cpu_create(ram);
    CHECK(cpu != NULL);
    struct boot_layout out;
    char err[ELF_ERR_MAX];
    err[0] = '\0';
    int rc = boot_write(cpu, kernel_end, &p, &out, err, sizeof err);
    bool fits =
        within_limits(&p) && boot_free_start(kernel_end, &p) <= cpu->ram_size;
    if (rc == 0) {
        CHECK(fits);
        check_block(cpu, &p, kernel_end, &out);
        /* A region from a file is mapped (its place is page-aligned). */
        CHECK((cpu->file_lo < cpu->file_hi) == (in_region && region.fd >= 0));
    } else {
        CHECK(!fits);
        CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
    }

    cpu_destroy(cpu);
    for (uint32_t i = 0; i < nprogs; i++) {
        for (int a = 0; a < MAX_ARGC; a++)
            free(argvs[i][a]);
        free(elfs[i].owned);
    }
    for (uint32_t i = 0; i < p.nfiles; i++) {
        free((char *)fs[i].path);
        if (region_bytes == NULL || fs[i].data < region_bytes ||
            fs[i].data >= region_bytes + region.size)
            free((unsigned char *)fs[i].data);
    }
    free(fs);
    free(region_bytes);
    if (region.fd >= 0)
        close(region.fd);
    free(cmdline);
    return 0;
}
