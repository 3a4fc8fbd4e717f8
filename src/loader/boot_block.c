/*
 * boot_block.c: write the boot-info block straight into RAM (see
 * boot_block.h for the layout). Nothing is staged in a host buffer: the
 * images go from where the host holds them to RAM in one copy, and the
 * host pages in no buffer of the block's size. Most of the block, the
 * built-in programs' region, is not even copied: it is mapped from lde's
 * own file, and a run that executes one program reads that one's pages.
 */
#include "boot_block.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "cpu.h"
#include "lde/abi.h"
#include "loader_error.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

const char *boot_prog_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    return slash != NULL && slash[1] != '\0' ? slash + 1 : argv0;
}

/* Where an image goes: a blob written on its own, or a place in the
 * region. */
#define IN_REGION UINT32_MAX
struct place {
    uint32_t blob; /* an index into blobs, or IN_REGION */
    uint32_t off;  /* IN_REGION: from the region's start */
    uint32_t size;
};

/* The images to write, each content once: programs first, then files;
 * those in the region are not written apart. */
struct blobs {
    uint32_t n;
    const unsigned char *data[BOOT_MAX_PROGS + BOOT_MAX_FILES];
    size_t size[BOOT_MAX_PROGS + BOOT_MAX_FILES];
    struct place prog[BOOT_MAX_PROGS]; /* program i's image */
    struct place file[BOOT_MAX_FILES]; /* file i's */
    bool region;                       /* is some image in the region? */
};

static bool in_region(const struct boot_region *r, const unsigned char *data,
                      size_t size)
{
    if (r == NULL)
        return false;
    uintptr_t at = (uintptr_t)data, lo = (uintptr_t)r->data;
    return at >= lo && at - lo <= r->size && size <= r->size - (at - lo);
}

static struct place place_of(struct blobs *b, const struct boot_region *r,
                             const unsigned char *data, size_t size)
{
    if (in_region(r, data, size)) {
        b->region = true;
        return (struct place){IN_REGION,
                              (uint32_t)((uintptr_t)data - (uintptr_t)r->data),
                              (uint32_t)size};
    }
    for (uint32_t i = 0; i < b->n; i++)
        if (b->size[i] == size &&
            (b->data[i] == data || memcmp(b->data[i], data, size) == 0))
            return (struct place){i, 0, (uint32_t)size};
    b->data[b->n] = data;
    b->size[b->n] = size;
    return (struct place){b->n++, 0, (uint32_t)size};
}

/* Only within the limits check_params enforces (boot_free_start may be
 * asked before it). */
static void find_blobs(const struct boot_params *p, struct blobs *b)
{
    b->n = 0;
    b->region = false;
    if (p->nprogs > BOOT_MAX_PROGS || p->nfiles > BOOT_MAX_FILES)
        return;
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *bi = &p->progs[i];
        const struct elf_file *ef = bi->elf;
        b->prog[i] = place_of(b, p->region, bi->exec ? bi->exec : ef->data,
                              elf_exec_extent(ef->data, ef->size));
    }
    for (uint32_t i = 0; i < p->nfiles; i++)
        b->file[i] = place_of(b, p->region, p->files[i].data, p->files[i].size);
}

/* Bytes the block needs (64-bit: cannot overflow for sane inputs). */
static uint64_t block_size(const struct boot_params *p, const struct blobs *b)
{
    uint64_t n = sizeof(struct boot_info);
    n = align_up(n + strlen(p->cmdline) + 1, 4);
    n += (uint64_t)p->nprogs * sizeof(struct boot_prog);
    n += (uint64_t)p->nfiles * sizeof(struct boot_file);
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *bi = &p->progs[i];
        n = align_up(n + strlen(boot_prog_name(bi->argv[0])) + 1, 4);
        n += (uint64_t)bi->argc * 4;
        for (int a = 0; a < bi->argc; a++)
            n += strlen(bi->argv[a]) + 1;
        n = align_up(n, 4);
    }
    for (uint32_t i = 0; i < p->nfiles; i++)
        n += strlen(p->files[i].path) + 1;
    n = align_up(n, 4);
    for (uint32_t i = 0; i < b->n; i++)
        n = align_up(n + b->size[i], 4);
    if (b->region) /* n counts from a page boundary */
        n = align_up(n, BOOT_PAGE) + p->region->size;
    return n;
}

static int check_params(const struct boot_params *p, char *err, size_t errlen)
{
    if (p->nprogs > BOOT_MAX_PROGS)
        return loader_error(err, errlen, NULL,
                            "too many programs (%u, at most %u)", p->nprogs,
                            BOOT_MAX_PROGS);
    if (p->nfiles > BOOT_MAX_FILES)
        return loader_error(err, errlen, NULL,
                            "too many files (%u, at most %u)", p->nfiles,
                            BOOT_MAX_FILES);
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *bi = &p->progs[i];
        if (bi->argc < 1 || bi->argv == NULL || bi->argv[0] == NULL)
            return loader_error(err, errlen, bi->elf->name,
                                "no program name (argv[0])");
        if (elf_check_args(bi->elf, bi->argc, bi->argv, err, errlen) != 0)
            return -1;
    }
    for (uint32_t i = 0; i < p->nfiles; i++) {
        size_t len = strlen(p->files[i].path);
        if (len == 0 || len >= LDE_PATH_MAX)
            return loader_error(err, errlen, NULL,
                                "file name '%s': it must have 1 to %u bytes",
                                p->files[i].path, LDE_PATH_MAX - 1);
        if (p->files[i].size > UINT32_MAX)
            return loader_error(err, errlen, p->files[i].path,
                                "file too large");
    }
    const struct boot_region *r = p->region;
    if (r != NULL && ((uintptr_t)r->data % BOOT_PAGE != 0 ||
                      r->size % BOOT_PAGE != 0 || r->size > UINT32_MAX))
        return loader_error(err, errlen, NULL,
                            "the built-in files are not whole %u-byte pages "
                            "under 4 GiB",
                            BOOT_PAGE);
    return 0;
}

/* A cursor over RAM: every byte of the block is written once, in order
 * (the tables are reserved first and written when their contents are
 * known), padding included, whatever RAM held before. */
struct cursor {
    struct cpu *cpu;
    uint32_t at; /* physical address of the next byte */
    bool failed; /* a write fell outside RAM (boot_write checked: never) */
};

static void write_at(struct cursor *c, uint32_t paddr, const void *src,
                     size_t n)
{
    if (cpu_load(c->cpu, paddr, src, n) != 0)
        c->failed = true;
}

static uint32_t put(struct cursor *c, const void *src, size_t n)
{
    uint32_t at = c->at;
    write_at(c, at, src, n);
    c->at += (uint32_t)n;
    return at;
}

static uint32_t put_str(struct cursor *c, const char *s)
{
    return put(c, s, strlen(s) + 1);
}

/* Room for n bytes written later with put_word_at. */
static uint32_t reserve(struct cursor *c, uint32_t n)
{
    uint32_t at = c->at;
    c->at += n;
    return at;
}

static void put_word_at(struct cursor *c, uint32_t paddr, uint32_t v)
{
    unsigned char b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24};
    write_at(c, paddr, b, 4);
}

static void align4(struct cursor *c)
{
    static const unsigned char zeros[3];
    uint32_t pad = (uint32_t)align_up(c->at, 4) - c->at;
    put(c, zeros, pad);
}

static void align_page(struct cursor *c)
{
    uint32_t to = (uint32_t)align_up(c->at, BOOT_PAGE);
    if (cpu_zero(c->cpu, c->at, to - c->at) != 0)
        c->failed = true;
    c->at = to;
}

/* The region's bytes at c->at: from its file where the host can map it,
 * or copied. */
static uint32_t put_region(struct cursor *c, const struct boot_region *r)
{
    uint32_t at = c->at;
    if (r->fd < 0 || cpu_map_file(c->cpu, at, r->fd, r->off, r->size) != 0)
        write_at(c, at, r->data, r->size);
    c->at += (uint32_t)r->size;
    return at;
}

static uint32_t address(const struct place *pl, const uint32_t *blob_at,
                        uint32_t region_at)
{
    return pl->blob == IN_REGION ? region_at + pl->off : blob_at[pl->blob];
}

static void fill(struct cursor *c, const struct boot_params *p,
                 const struct blobs *b, uint32_t ram_size,
                 struct boot_layout *out)
{
    struct boot_info info = {0};
    uint32_t info_at = put(c, &info, sizeof info);
    uint32_t cmd_at = put_str(c, p->cmdline);
    align4(c);
    uint32_t progs_at =
        reserve(c, p->nprogs * (uint32_t)sizeof(struct boot_prog));
    uint32_t files_at =
        reserve(c, p->nfiles * (uint32_t)sizeof(struct boot_file));

    struct boot_prog bp[BOOT_MAX_PROGS];
    for (uint32_t i = 0; i < p->nprogs; i++) {
        const struct boot_image *bi = &p->progs[i];
        bp[i].name = put_str(c, boot_prog_name(bi->argv[0]));
        align4(c);
        bp[i].argc = (uint32_t)bi->argc;
        bp[i].argv = reserve(c, (uint32_t)bi->argc * 4);
        for (int a = 0; a < bi->argc; a++)
            put_word_at(c, bp[i].argv + 4 * (uint32_t)a,
                        put_str(c, bi->argv[a]));
        align4(c);
    }
    for (uint32_t i = 0; i < p->nfiles; i++)
        put_word_at(c, files_at + i * (uint32_t)sizeof(struct boot_file),
                    put_str(c, p->files[i].path));
    align4(c);
    uint32_t blob_at[BOOT_MAX_PROGS + BOOT_MAX_FILES];
    for (uint32_t i = 0; i < b->n; i++) {
        blob_at[i] = put(c, b->data[i], b->size[i]);
        align4(c);
    }
    uint32_t region_at = 0;
    if (b->region) {
        align_page(c);
        region_at = put_region(c, p->region);
    }
    for (uint32_t i = 0; i < p->nprogs; i++) {
        uint32_t at = progs_at + i * (uint32_t)sizeof(struct boot_prog);
        /* find_blobs placed every program, its blobs all written above */
        /* cppcheck-suppress uninitvar */
        bp[i].image = address(&b->prog[i], blob_at, region_at);
        bp[i].size = b->prog[i].size;
        out->image[i] = bp[i].image;
        out->image_size[i] = bp[i].size;
        put_word_at(c, at + 0, bp[i].image);
        put_word_at(c, at + 4, bp[i].size);
        put_word_at(c, at + 8, bp[i].name);
        put_word_at(c, at + 12, bp[i].argc);
        put_word_at(c, at + 16, bp[i].argv);
    }
    for (uint32_t i = 0; i < p->nfiles; i++) {
        uint32_t at = files_at + i * (uint32_t)sizeof(struct boot_file);
        put_word_at(c, at + 4, address(&b->file[i], blob_at, region_at));
        put_word_at(c, at + 8, b->file[i].size);
    }
    out->info = info_at;
    out->end = c->at;
    out->free_start = (uint32_t)align_up(out->end, BOOT_PAGE);
    put_word_at(c, info_at + BOOT_INFO_MAGIC, BOOT_MAGIC);
    put_word_at(c, info_at + BOOT_INFO_RAM_SIZE, ram_size);
    put_word_at(c, info_at + BOOT_INFO_CLOCK_HZ, p->clock_hz);
    put_word_at(c, info_at + BOOT_INFO_FREE_START, out->free_start);
    put_word_at(c, info_at + BOOT_INFO_CMDLINE, cmd_at);
    put_word_at(c, info_at + BOOT_INFO_NPROGS, p->nprogs);
    put_word_at(c, info_at + BOOT_INFO_PROGS, progs_at);
    put_word_at(c, info_at + BOOT_INFO_NFILES, p->nfiles);
    put_word_at(c, info_at + BOOT_INFO_FILES, files_at);
}

uint64_t boot_free_start(uint32_t kernel_end, const struct boot_params *p)
{
    struct blobs b;
    find_blobs(p, &b);
    uint64_t base = align_up(kernel_end, BOOT_PAGE);
    return align_up(base + block_size(p, &b), BOOT_PAGE);
}

int boot_write(struct cpu *cpu, uint32_t kernel_end,
               const struct boot_params *p, struct boot_layout *out, char *err,
               size_t errlen)
{
    if (check_params(p, err, errlen) != 0)
        return -1;
    struct blobs b;
    find_blobs(p, &b);
    uint64_t base = align_up(kernel_end, BOOT_PAGE);
    uint64_t size = block_size(p, &b);
    uint64_t free_start = align_up(base + size, BOOT_PAGE);
    if (free_start > cpu->ram_size)
        return loader_error(err, errlen, NULL,
                            "RAM too small: the kernel and %u program "
                            "image%s%s need %llu KiB, RAM is %u KiB",
                            p->nprogs, p->nprogs == 1 ? "" : "s",
                            p->nfiles ? " (with the files for exec)" : "",
                            (unsigned long long)(free_start >> 10),
                            cpu->ram_size >> 10);
    struct cursor c = {cpu, (uint32_t)base, false};
    *out = (struct boot_layout){0};
    fill(&c, p, &b, cpu->ram_size, out);
    /* block_size() and fill() walk one layout */
    assert(c.at - base == size);
    if (c.failed)
        return loader_error(err, errlen, NULL,
                            "cannot write the boot block at 0x%llx",
                            (unsigned long long)base);
    return 0;
}
