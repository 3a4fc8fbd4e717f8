/*
 * test_loader.c: cmocka tests of src/loader: ELF checks on good and
 * malformed images (each with its exact error line), kernel loading, the
 * boot-info block, symbol tables, and random mutations of a good image
 * (run under ASan/UBSan, they must never crash).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "boot_block.h"
#include "cpu.h"
#include "elf_builder.h"
#include "elf_file.h"
#include "elf_load.h"
#include "lde/abi.h"
#include "self_file.h"
#include "symtab.h"

static char err[ELF_ERR_MAX];

/* sym_lookup for one name: 0, or -1 if not found. */
static int lookup1(const struct elf_file *ef, const char *name, uint32_t *addr)
{
    struct sym_want w = {name, true, true, 12345};
    sym_lookup(ef, &w, 1);
    if (w.found)
        *addr = w.addr;
    return w.found ? 0 : -1;
}

static struct elf_file *open_spec(const struct tb_spec *s)
{
    size_t size;
    unsigned char *b = tb_build(s, &size);
    struct elf_file *ef = elf_open("prog.elf", b, size, err, sizeof err);
    free(b);
    return ef;
}

/* ---- Good images -------------------------------------------------------- */

static void good_program(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    assert_int_equal(elf_check_program(ef, err, sizeof err), 0);
    assert_int_equal(ef->entry, 0x10000);
    assert_int_equal(ef->nsegs, 2);
    assert_int_equal(ef->segs[1].vaddr, 0x11000);
    assert_int_equal(ef->segs[1].filesz, 0x20);
    assert_int_equal(ef->segs[1].memsz, 0x100);
    assert_string_equal(ef->name, "prog.elf");
    elf_close(ef);
}

static void program_symbols(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct sym_table *t = sym_load(ef, err, sizeof err);
    assert_non_null(t);
    /* sym_lookup finds what the table would, without building it. */
    for (size_t i = 0; i < t->n; i++) {
        uint32_t addr = 0;
        assert_int_equal(lookup1(ef, t->by_addr[i].name, &addr), 0);
        assert_int_equal(addr, sym_by_name(t, t->by_addr[i].name)->addr);
    }
    uint32_t addr = 7;
    assert_int_equal(lookup1(ef, ".Lloop", &addr), -1);
    assert_int_equal(lookup1(ef, "nope", &addr), -1);
    assert_int_equal(addr, 7);
    elf_close(ef);             /* the table keeps its own copy of the names */
    assert_int_equal(t->n, 3); /* not .Lloop, not $x */

    const struct sym *m = sym_by_name(t, "main");
    assert_non_null(m);
    assert_int_equal(m->addr, 0x10010);
    assert_int_equal(m->kind, SYM_FUNC);
    assert_null(sym_by_name(t, ".Lloop"));
    assert_null(sym_by_name(t, "nope"));

    uint32_t off = 99;
    const struct sym *a = sym_by_addr(t, 0x10014, &off);
    assert_non_null(a);
    assert_string_equal(a->name, "main");
    assert_int_equal(off, 4);
    a = sym_by_addr(t, 0x10004, &off); /* _start is a label: no size */
    assert_non_null(a);
    assert_string_equal(a->name, "_start");
    assert_null(sym_by_addr(t, 0x10060, NULL)); /* past main's size */
    assert_null(sym_by_addr(t, 0xfff, NULL));

    char buf[64];
    assert_string_equal(sym_format(t, 0x10018, buf, sizeof buf), "main+0x8");
    assert_string_equal(sym_format(t, 0x11000, buf, sizeof buf), "counter");
    assert_string_equal(sym_format(t, 0x10060, buf, sizeof buf), "0x00010060");
    sym_free(t);
}

/* Names several symbols share: sym_lookup picks the one sym_by_name
 * does, a global one first, then the lowest address. */
static void symbol_lookup_duplicates(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    const unsigned char lfunc = ELF32_ST_INFO(STB_LOCAL, STT_FUNC);
    const unsigned char gfunc = ELF32_ST_INFO(STB_GLOBAL, STT_FUNC);
    const unsigned char wfunc = ELF32_ST_INFO(STB_WEAK, STT_FUNC);
    const struct tb_sym more[] = {
        {"dup", 0x10040, 4, lfunc, 0},  {"dup", 0x10080, 4, gfunc, 0},
        {"dup", 0x10020, 4, lfunc, 0},  {"two", 0x10060, 4, lfunc, 0},
        {"two", 0x10030, 4, lfunc, 0},  {"weak", 0x100a0, 4, lfunc, 0},
        {"weak", 0x100c0, 4, wfunc, 0}, {"weak", 0x100b0, 4, gfunc, 0},
    };
    _Static_assert(sizeof more / sizeof more[0] <= TB_MAX, "TB_MAX");
    s.nsyms = 0; /* only these */
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        s.syms[s.nsyms++] = more[i];
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct sym_table *t = sym_load(ef, err, sizeof err);
    assert_non_null(t);
    /* All at once, in one scan, with a name that is not there. */
    struct sym_want w[] = {{"dup", false, false, 0},
                           {"nope", true, false, 7},
                           {"two", false, false, 0},
                           {"weak", false, false, 0}};
    static const uint32_t want[] = {0x10080, 0, 0x10030, 0x100b0};
    sym_lookup(ef, w, 4);
    for (size_t i = 0; i < 4; i++) {
        const struct sym *sym = sym_by_name(t, w[i].name);
        assert_int_equal(w[i].found, sym != NULL);
        if (sym == NULL)
            continue;
        assert_int_equal(sym->addr, want[i]);
        assert_int_equal(w[i].addr, want[i]);
    }
    sym_free(t);
    elf_close(ef);
}

/* A built-in image is read where it is: the elf_file keeps no copy, and
 * nothing reading its headers or symbols writes to it (here read-only
 * pages, where a write would crash). */
static void open_in_place_read_only(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    size_t size;
    unsigned char *b = tb_build(&s, &size);
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
    unsigned char *ro = mmap(NULL, len, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(ro != MAP_FAILED);
    memcpy(ro, b, size);
    assert_int_equal(mprotect(ro, len, PROT_READ), 0);

    struct elf_file *ef =
        elf_open_in_place("prog.elf", ro, size, err, sizeof err);
    assert_non_null(ef);
    assert_ptr_equal(ef->data, ro);
    assert_null(ef->owned);
    assert_int_equal(elf_check_program(ef, err, sizeof err), 0);
    assert_int_equal(ef->entry, 0x10000);
    struct sym_table *t = sym_load(ef, err, sizeof err);
    assert_non_null(t);
    assert_non_null(sym_by_name(t, "main"));
    sym_free(t);
    elf_close(ef);
    assert_memory_equal(ro, b, size);

    /* The same checks and messages as elf_open. */
    assert_null(elf_open_in_place("x", "\177ELF", 4, err, sizeof err));
    assert_string_equal(err, "x: truncated ELF header (4 bytes)");
    munmap(ro, len);
    free(b);
}

static void stripped_program_has_empty_table(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    s.nsyms = 0;
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct sym_table *t = sym_load(ef, err, sizeof err);
    assert_non_null(t);
    assert_int_equal(t->n, 0);
    assert_null(sym_by_addr(t, 0x10000, NULL));
    sym_free(t);
    elf_close(ef);
}

static void kernel_load(void **state)
{
    (void)state;
    struct tb_spec s = tb_kernel();
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct cpu *cpu = cpu_create(1u << 20);
    assert_non_null(cpu);
    static unsigned char junk[0x2000];
    memset(junk, 0xAA, sizeof junk);
    assert_int_equal(cpu_load(cpu, 0x12000, junk, sizeof junk), 0);

    uint32_t entry = 0, end = 0;
    assert_int_equal(elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err),
                     0);
    assert_int_equal(entry, 0x10000);
    assert_int_equal(end, 0x13010);
    unsigned char got[0x1010];
    assert_int_equal(cpu_read_phys(cpu, 0x10000, got, 0x80), 0);
    for (uint32_t k = 0; k < 0x80; k++)
        assert_int_equal(got[k], tb_byte(0, k));
    assert_int_equal(cpu_read_phys(cpu, 0x12000, got, 0x1010), 0);
    for (uint32_t k = 0; k < 0x10; k++)
        assert_int_equal(got[k], tb_byte(1, k));
    for (uint32_t k = 0x10; k < 0x1010; k++)
        assert_int_equal(got[k], 0); /* bss cleared */
    assert_int_equal(cpu_read_phys(cpu, 0x13010, got, 1), 0);
    assert_int_equal(got[0], 0xAA); /* and nothing past it */

    struct sym_table *t = sym_load(ef, err, sizeof err);
    assert_non_null(t);
    const struct sym *sw = sym_by_name(t, "lde_switches");
    assert_non_null(sw);
    uint32_t pa;
    assert_int_equal(elf_vaddr_to_paddr(ef, sw->addr, &pa), 0);
    assert_int_equal(pa, 0x12000);
    sym_free(t);
    cpu_destroy(cpu);
    elf_close(ef);
}

static void kernel_at_other_physical_address(void **state)
{
    (void)state;
    struct tb_spec s = tb_kernel();
    s.entry = 0x80000004;
    s.segs[0].vaddr = 0x80000000;
    s.segs[0].paddr = 0x20000;
    s.segs[1].vaddr = 0x80002000;
    s.segs[1].paddr = 0x22000;
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct cpu *cpu = cpu_create(1u << 20);
    uint32_t entry, end;
    assert_int_equal(elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err),
                     0);
    assert_int_equal(entry, 0x20004);
    assert_int_equal(end, 0x23010);
    cpu_destroy(cpu);
    elf_close(ef);
}

/* Two segments apart in virtual memory but sharing physical bytes: the
 * bss of the second would wipe the first's code (found by fuzz_elf's
 * check that every loaded segment holds its bytes). */
static void kernel_physical_overlap(void **state)
{
    (void)state;
    struct tb_spec s = tb_kernel();
    s.segs[1].paddr = 0x10040;
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct cpu *cpu = cpu_create(1u << 20);
    uint32_t entry, end;
    assert_int_equal(elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err),
                     -1);
    assert_string_equal(err, "prog.elf: segments 0 and 1 overlap in physical "
                             "memory");
    cpu_destroy(cpu);
    elf_close(ef);
}

static void kernel_too_big_for_ram(void **state)
{
    (void)state;
    struct tb_spec s = tb_kernel();
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    struct cpu *cpu = cpu_create(0x12800);
    uint32_t entry, end;
    assert_int_equal(elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err),
                     -1);
    assert_string_equal(err, "prog.elf: segment 1 at physical 0x12000 "
                             "(0x1010 bytes) does not fit in RAM (0x12800 "
                             "bytes)");
    cpu_destroy(cpu);
    elf_close(ef);
}

/* ---- The boot-info block ------------------------------------------------ */

static uint32_t word(struct cpu *cpu, uint32_t pa)
{
    uint8_t b[4];
    assert_int_equal(cpu_read_phys(cpu, pa, b, 4), 0);
    return b[0] | b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void read_str(struct cpu *cpu, uint32_t pa, char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(cpu_read_phys(cpu, pa + (uint32_t)i, &buf[i], 1), 0);
        if (buf[i] == '\0')
            return;
    }
    fail_msg("unterminated string at 0x%x", pa);
}

static void boot_block_layout(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *a = open_spec(&s);
    s.segs[1].filesz = 0x21; /* an odd size: the next image is aligned */
    struct elf_file *b = open_spec(&s);
    assert_non_null(a);
    assert_non_null(b);
    char *av1[] = {"hello"};
    char *av2[] = {"build/guest/args.elf", "one", "two words", ""};
    struct boot_image imgs[] = {{a, 1, av1, NULL}, {b, 4, av2, NULL}};
    static const unsigned char text[] = "not a program\n";
    struct boot_file_spec files[] = {
        {"/bin/hello", a->data, a->size}, /* as the program, whole */
        {"hello", a->data, elf_exec_extent(a->data, a->size)}, /* shared */
        {"notes.txt", text, sizeof text - 1},
    };
    struct boot_params p = {
        100000000, "quantum=100000 sched=rr preempt=1", 2, imgs, 3, files,
        NULL};
    struct cpu *cpu = cpu_create(1u << 20);
    struct boot_layout lay;
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), 0);

    assert_int_equal(lay.info, 0x14000);
    assert_int_equal(lay.free_start % BOOT_PAGE, 0);
    assert_true(lay.free_start >= lay.end);
    assert_true(lay.free_start - lay.end < BOOT_PAGE);
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_MAGIC), BOOT_MAGIC);
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_RAM_SIZE), 1u << 20);
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_CLOCK_HZ), 100000000);
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_FREE_START),
                     lay.free_start);
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_NPROGS), 2);
    char buf[128];
    read_str(cpu, word(cpu, lay.info + BOOT_INFO_CMDLINE), buf, sizeof buf);
    assert_string_equal(buf, "quantum=100000 sched=rr preempt=1");

    uint32_t progs = word(cpu, lay.info + BOOT_INFO_PROGS);
    assert_int_equal(progs % 4, 0);
    const char *names[] = {"hello", "args.elf"};
    char **argvs[] = {av1, av2};
    const struct elf_file *elfs[] = {a, b};
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t bp = progs + i * 20;
        uint32_t image = word(cpu, bp + 0), size = word(cpu, bp + 4);
        assert_int_equal(image % 4, 0);
        assert_int_equal(image, lay.image[i]);
        /* Up to the end of the last segment: no section headers. */
        assert_int_equal(size, elf_exec_extent(elfs[i]->data, elfs[i]->size));
        assert_true(size < elfs[i]->size);
        assert_int_equal(lay.image_size[i], size);
        assert_true(image + size <= lay.end);
        unsigned char *copy = malloc(size);
        assert_int_equal(cpu_read_phys(cpu, image, copy, size), 0);
        assert_memory_equal(copy, elfs[i]->data, size);
        free(copy);
        read_str(cpu, word(cpu, bp + 8), buf, sizeof buf);
        assert_string_equal(buf, names[i]);
        uint32_t argc = word(cpu, bp + 12), argv = word(cpu, bp + 16);
        assert_int_equal(argc, imgs[i].argc);
        assert_int_equal(argv % 4, 0);
        for (uint32_t k = 0; k < argc; k++) {
            read_str(cpu, word(cpu, argv + 4 * k), buf, sizeof buf);
            assert_string_equal(buf, argvs[i][k]);
        }
    }

    /* The file table: paths, and each content written once. */
    assert_int_equal(word(cpu, lay.info + BOOT_INFO_NFILES), 3);
    uint32_t ft = word(cpu, lay.info + BOOT_INFO_FILES);
    assert_int_equal(ft % 4, 0);
    assert_int_equal(ft, progs + 2 * 20);
    for (uint32_t i = 0; i < 3; i++) {
        uint32_t f = ft + i * 12;
        read_str(cpu, word(cpu, f), buf, sizeof buf);
        assert_string_equal(buf, files[i].path);
        assert_int_equal(word(cpu, f + 4) % 4, 0);
        assert_int_equal(word(cpu, f + 8), files[i].size);
        unsigned char *copy = malloc(files[i].size);
        assert_int_equal(
            cpu_read_phys(cpu, word(cpu, f + 4), copy, files[i].size), 0);
        assert_memory_equal(copy, files[i].data, files[i].size);
        free(copy);
    }
    assert_int_not_equal(word(cpu, ft + 4), lay.image[0]);  /* whole file */
    assert_int_equal(word(cpu, ft + 12 + 4), lay.image[0]); /* the same */

    /* Written straight into RAM, every byte of the block, padding
     * included: what RAM held before (here 0xa5) does not show through. */
    struct cpu *old = cpu_create(1u << 20);
    size_t n = lay.end - lay.info;
    unsigned char *junk = malloc(n), *want = malloc(n), *got = malloc(n);
    memset(junk, 0xa5, n);
    assert_int_equal(cpu_load(old, lay.info, junk, n), 0);
    struct boot_layout lay2;
    assert_int_equal(boot_write(old, 0x13010, &p, &lay2, err, sizeof err), 0);
    assert_memory_equal(&lay2, &lay, sizeof lay);
    assert_int_equal(cpu_read_phys(cpu, lay.info, want, n), 0);
    assert_int_equal(cpu_read_phys(old, lay.info, got, n), 0);
    assert_memory_equal(got, want, n);
    free(junk);
    free(want);
    free(got);
    cpu_destroy(old);
    cpu_destroy(cpu);
    elf_close(a);
    elf_close(b);
}

/* The region (the built-in programs' exec images): placed whole at the
 * page boundary after the other images, programs and files inside it
 * pointing into it, the padding before it zeros. Here the region is on
 * the heap, so it is copied. */
static void boot_block_region_layout(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *a = open_spec(&s);
    assert_non_null(a);
    size_t extent = elf_exec_extent(a->data, a->size);
    assert_true(extent <= BOOT_PAGE);
    unsigned char *region = aligned_alloc(BOOT_PAGE, 2 * BOOT_PAGE);
    assert_non_null(region);
    memset(region, 0, 2 * BOOT_PAGE);
    memcpy(region, a->data, extent);
    memcpy(region + BOOT_PAGE, "in the region\n", 14);
    char *av[] = {"a"};
    struct boot_image img = {a, 1, av, region};
    static const unsigned char text[] = "odd-sized, copied";
    struct boot_file_spec files[] = {
        {"/bin/a", region, extent},
        {"notes", text, sizeof text - 1},
        {"/bin/t", region + BOOT_PAGE, 14},
    };
    struct boot_region r = {region, 2 * BOOT_PAGE, -1, 0};
    struct boot_params p = {1000, "", 1, &img, 3, files, &r};

    struct cpu *cpu = cpu_create(1u << 20);
    unsigned char *junk = malloc(1u << 19);
    memset(junk, 0xa5, 1u << 19);
    assert_int_equal(cpu_load(cpu, 0x14000, junk, 1u << 19), 0);
    struct boot_layout lay;
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), 0);
    uint32_t ft = word(cpu, lay.info + BOOT_INFO_FILES);
    uint32_t region_at = lay.image[0];
    assert_int_equal(region_at % BOOT_PAGE, 0);
    assert_int_equal(lay.image_size[0], extent);
    assert_int_equal(word(cpu, ft + 4), region_at);
    assert_int_equal(word(cpu, ft + 8), extent);
    assert_int_equal(word(cpu, ft + 24 + 4), region_at + BOOT_PAGE);
    assert_int_equal(word(cpu, ft + 24 + 8), 14);
    /* The copied file lies before the region, the padding up to it is
     * zeros, and the region ends the block. */
    uint32_t notes = word(cpu, ft + 12 + 4);
    uint32_t after = notes + (uint32_t)(sizeof text - 1);
    assert_true(after <= region_at && region_at - after < BOOT_PAGE + 4);
    char buf[32];
    read_str(cpu, notes, buf, sizeof buf);
    assert_string_equal(buf, "odd-sized, copied");
    for (uint32_t at = after; at < region_at; at++) {
        uint8_t byte;
        assert_int_equal(cpu_read_phys(cpu, at, &byte, 1), 0);
        assert_int_equal(byte, 0);
    }
    unsigned char *got = malloc(2 * BOOT_PAGE);
    assert_int_equal(cpu_read_phys(cpu, region_at, got, 2 * BOOT_PAGE), 0);
    assert_memory_equal(got, region, 2 * BOOT_PAGE);
    assert_int_equal(lay.end, region_at + 2 * BOOT_PAGE);
    assert_int_equal(lay.free_start, lay.end);
    assert_int_equal(boot_free_start(0x13010, &p), lay.free_start);

    /* Not whole pages: refused, with a line that says so. */
    struct boot_region bad = {region + 4, BOOT_PAGE, -1, 0};
    p.region = &bad;
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), -1);
    assert_string_equal(
        err, "the built-in files are not whole 4096-byte pages under 4 GiB");
    bad = (struct boot_region){region, BOOT_PAGE + 8, -1, 0};
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), -1);
    free(got);
    free(junk);
    free(region);
    cpu_destroy(cpu);
    elf_close(a);
}

/* Pages of this test's own file, page-aligned: a region that can be
 * mapped. */
static const unsigned char file_pages[2 * BOOT_PAGE]
    __attribute__((aligned(BOOT_PAGE))) = {[0] = 'o',
                                           [1] = 'n',
                                           [2] = 'e',
                                           [3] = '\n',
                                           [BOOT_PAGE] = 't',
                                           [BOOT_PAGE + 1] = 'w',
                                           [BOOT_PAGE + 2] = 'o',
                                           [2 * BOOT_PAGE - 1] = 1};

/* Where bytes of the running executable lie in its file: found for
 * read-only data, not for the heap, bss or the stack. */
static void self_file_finds_own_bytes(void **state)
{
    (void)state;
    uint64_t off = 0;
    int fd = self_file_open(file_pages, sizeof file_pages, &off);
    assert_true(fd >= 0);
    assert_int_equal(off % BOOT_PAGE, 0);
    unsigned char *got = malloc(sizeof file_pages);
    assert_int_equal(pread(fd, got, sizeof file_pages, (off_t)off),
                     (ssize_t)sizeof file_pages);
    assert_memory_equal(got, file_pages, sizeof file_pages);
    close(fd);
    static unsigned char in_bss[BOOT_PAGE];
    unsigned char on_stack[64] = {0};
    assert_int_equal(self_file_open(got, 64, &off), -1);
    assert_int_equal(self_file_open(in_bss, sizeof in_bss, &off), -1);
    assert_int_equal(self_file_open(on_stack, sizeof on_stack, &off), -1);
    free(got);
}

/* A region the host maps and the same region copied leave the same
 * bytes in RAM, whatever RAM held before. */
static void boot_block_region_mapped_as_copied(void **state)
{
    (void)state;
    uint64_t off;
    int fd = self_file_open(file_pages, sizeof file_pages, &off);
    assert_true(fd >= 0);
    struct boot_file_spec files[] = {
        {"/bin/one", file_pages, 4},
        {"/bin/two", file_pages + BOOT_PAGE, BOOT_PAGE},
    };
    struct boot_region mapped = {file_pages, sizeof file_pages, fd, off};
    struct boot_region copied = {file_pages, sizeof file_pages, -1, 0};
    struct boot_params p = {1000, "", 0, NULL, 2, files, &mapped};
    struct cpu *cpu[2] = {cpu_create(1u << 20), cpu_create(1u << 20)};
    struct boot_layout lay[2];
    unsigned char *junk = malloc(1u << 18);
    memset(junk, 0x5a, 1u << 18);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cpu_load(cpu[i], 0x14000, junk, 1u << 18), 0);
        p.region = i == 0 ? &mapped : &copied;
        assert_int_equal(
            boot_write(cpu[i], 0x13010, &p, &lay[i], err, sizeof err), 0);
    }
    close(fd);
    /* The first really is mapped (its pages may read the file). */
    assert_true(cpu[0]->file_lo < cpu[0]->file_hi);
    assert_int_equal(cpu[1]->file_lo, cpu[1]->file_hi);
    assert_memory_equal(&lay[0], &lay[1], sizeof lay[0]);
    size_t n = lay[0].free_start - lay[0].info;
    unsigned char *a = malloc(n), *b = malloc(n);
    assert_int_equal(cpu_read_phys(cpu[0], lay[0].info, a, n), 0);
    assert_int_equal(cpu_read_phys(cpu[1], lay[0].info, b, n), 0);
    assert_memory_equal(a, b, n);
    char buf[8];
    uint32_t ft = word(cpu[0], lay[0].info + BOOT_INFO_FILES);
    read_str(cpu[0], word(cpu[0], ft + 4), buf, sizeof buf);
    assert_string_equal(buf, "one\n");
    /* Booting again over a mapped block (a reboot) writes it afresh. */
    assert_int_equal(cpu_load(cpu[0], word(cpu[0], ft + 4), "ONE", 3), 0);
    p.region = &copied;
    assert_int_equal(boot_write(cpu[0], 0x13010, &p, &lay[0], err, sizeof err),
                     0);
    assert_int_equal(cpu_read_phys(cpu[0], lay[0].info, a, n), 0);
    assert_memory_equal(a, b, n);
    free(a);
    free(b);
    free(junk);
    cpu_destroy(cpu[0]);
    cpu_destroy(cpu[1]);
}

static void boot_block_ram_too_small(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *a = open_spec(&s);
    char *av[] = {"hello"};
    struct boot_image imgs[] = {{a, 1, av, NULL}};
    struct boot_params p = {100000000, "x", 1, imgs, 0, NULL, NULL};
    struct cpu *cpu = cpu_create(0x14000);
    struct boot_layout lay;
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), -1);
    assert_string_equal(err, "RAM too small: the kernel and 1 program image "
                             "need 84 KiB, RAM is 80 KiB");
    cpu_destroy(cpu);
    elf_close(a);
}

/* The kernel's limits on argv and the initial stack (lde/abi.h), checked
 * by the host before boot; src/kernel/proc.c refuses the same. */
static void program_args(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *ef = open_spec(&s);
    assert_non_null(ef);
    static char *many[LDE_ARGS_MAX + 1];
    for (unsigned i = 0; i <= LDE_ARGS_MAX; i++)
        many[i] = "a";
    assert_int_equal(elf_check_args(ef, LDE_ARGS_MAX, many, err, sizeof err),
                     0);
    assert_int_equal(
        elf_check_args(ef, LDE_ARGS_MAX + 1, many, err, sizeof err), -1);
    assert_string_equal(err, "prog.elf: too many arguments (1025, at most "
                             "1024)");

    /* One string of 65535 bytes and its NUL: the most there may be. */
    static char big[LDE_ARG_BYTES_MAX + 1];
    memset(big, 'x', LDE_ARG_BYTES_MAX - 1);
    char *one[] = {big};
    assert_int_equal(elf_check_args(ef, 1, one, err, sizeof err), 0);
    big[LDE_ARG_BYTES_MAX - 1] = 'x';
    assert_int_equal(elf_check_args(ef, 1, one, err, sizeof err), -1);
    assert_string_equal(err, "prog.elf: arguments too long (65537 bytes, at "
                             "most 65536)");
    elf_close(ef);

    /* argv {"p"}: the strings at 0x3ffffe, sp at 0x3fffd0 (8 words,
     * 16-byte aligned), so the break may be at most 0x3fe000: a program
     * may end there, not one byte further. */
    char *p[] = {"p"};
    s.segs[1].memsz = 0x3fe000 - 0x11000;
    ef = open_spec(&s);
    assert_non_null(ef);
    assert_int_equal(elf_check_program(ef, err, sizeof err), 0);
    assert_int_equal(elf_check_args(ef, 1, p, err, sizeof err), 0);
    elf_close(ef);
    s.segs[1].memsz++;
    ef = open_spec(&s);
    assert_non_null(ef);
    assert_int_equal(elf_check_program(ef, err, sizeof err), 0);
    assert_int_equal(elf_check_args(ef, 1, p, err, sizeof err), -1);
    assert_string_equal(err, "prog.elf: no room for the stack: the program's "
                             "memory ends at 0x3ff000 and its stack of "
                             "arguments starts at 0x3fffd0, less than 4096 "
                             "bytes above");
    /* boot_write refuses it the same way. */
    struct boot_image img = {ef, 1, p, NULL};
    struct boot_params bp = {100000000, "", 1, &img, 0, NULL, NULL};
    struct cpu *cpu = cpu_create(1u << 20);
    struct boot_layout lay;
    assert_int_equal(boot_write(cpu, 0x13010, &bp, &lay, err, sizeof err), -1);
    assert_non_null(strstr(err, "no room for the stack"));
    cpu_destroy(cpu);
    elf_close(ef);
}

static void boot_block_too_many_programs(void **state)
{
    (void)state;
    struct tb_spec s = tb_program();
    struct elf_file *a = open_spec(&s);
    char *av[] = {"hello"};
    struct boot_image imgs[BOOT_MAX_PROGS + 1];
    for (int i = 0; i <= BOOT_MAX_PROGS; i++)
        imgs[i] = (struct boot_image){a, 1, av, NULL};
    struct boot_params p = {100000000, "",  BOOT_MAX_PROGS + 1, imgs, 0,
                            NULL,      NULL};
    struct cpu *cpu = cpu_create(1u << 20);
    struct boot_layout lay;
    assert_int_equal(boot_write(cpu, 0x13010, &p, &lay, err, sizeof err), -1);
    assert_string_equal(err, "too many programs (17, at most 16)");
    cpu_destroy(cpu);
    elf_close(a);
}

/* ---- Malformed images --------------------------------------------------- */

/* Each case changes the good program, then the whole check (elf_open and
 * elf_check_program) must fail with exactly `want`. */
struct bad_case {
    const char *what;
    void (*spec)(struct tb_spec *s);
    void (*bytes)(unsigned char *b, size_t *size);
    const char *want; /* after "prog.elf: "; %zu = the file's size */
};

static void empty(unsigned char *b, size_t *size)
{
    (void)b;
    *size = 0;
}
static void text(unsigned char *b, size_t *size)
{
    memcpy(b, "#!/bin/sh\necho hi\n", 18);
    *size = 18;
}
static void trunc10(unsigned char *b, size_t *size)
{
    (void)b;
    *size = 10;
}
static void trunc30(unsigned char *b, size_t *size)
{
    (void)b;
    *size = 30;
}
static void class64(unsigned char *b, size_t *size)
{
    (void)size;
    b[EI_CLASS] = ELFCLASS64;
}
static void class_bad(unsigned char *b, size_t *size)
{
    (void)size;
    b[EI_CLASS] = 7;
}
static void big_endian(unsigned char *b, size_t *size)
{
    (void)size;
    b[EI_DATA] = ELFDATA2MSB;
}
static void set_phnum(unsigned char *b, uint16_t n)
{
    memcpy(b + offsetof(Elf32_Ehdr, e_phnum), &n, 2);
}
static void phnum0(unsigned char *b, size_t *size)
{
    (void)size;
    set_phnum(b, 0);
}
static void phnum_huge(unsigned char *b, size_t *size)
{
    (void)size;
    set_phnum(b, 0xffff);
}
static void phnum_past_eof(unsigned char *b, size_t *size)
{
    (void)size;
    set_phnum(b, 60);
}
static void phentsize(unsigned char *b, size_t *size)
{
    (void)size;
    uint16_t n = 40;
    memcpy(b + offsetof(Elf32_Ehdr, e_phentsize), &n, 2);
}
static void phoff_huge(unsigned char *b, size_t *size)
{
    (void)size;
    uint32_t n = 0xfffffff0;
    memcpy(b + offsetof(Elf32_Ehdr, e_phoff), &n, 4);
}

static void x86_64(struct tb_spec *s)
{
    s->machine = EM_X86_64;
}
static void machine999(struct tb_spec *s)
{
    s->machine = 999;
}
static void et_dyn(struct tb_spec *s)
{
    s->type = ET_DYN;
}
static void et_rel(struct tb_spec *s)
{
    s->type = ET_REL;
}
static void add_seg(struct tb_spec *s, uint32_t type)
{
    s->segs[s->nsegs++] =
        (struct tb_seg){type, PF_R, 0x10000, TB_AUTO, 0x10, 0x10, TB_AUTO};
}
static void interp(struct tb_spec *s)
{
    add_seg(s, PT_INTERP);
}
static void dynamic(struct tb_spec *s)
{
    add_seg(s, PT_DYNAMIC);
}
static void below_guard(struct tb_spec *s)
{
    s->segs[0].vaddr = 0;
}
static void at_fff(struct tb_spec *s)
{
    s->segs[1].vaddr = 0xfff;
}
static void beyond_bound(struct tb_spec *s)
{
    s->segs[1].vaddr = 0x3fff00;
    s->segs[1].memsz = 0x200;
}
static void filesz_gt_memsz(struct tb_spec *s)
{
    s->segs[1].memsz = 0x10;
}
static void offset_past_eof(struct tb_spec *s)
{
    s->segs[1].offset = 0x100000;
}
static void offset_wraps(struct tb_spec *s)
{
    s->segs[1].offset = 0xfffffff0;
}
static void vaddr_wraps(struct tb_spec *s)
{
    s->segs[1].vaddr = 0xfffff000;
    s->segs[1].memsz = 0x2000;
}
static void entry_in_data(struct tb_spec *s)
{
    s->entry = 0x11000;
}
static void entry_outside(struct tb_spec *s)
{
    s->entry = 0x200000;
}
static void overlap(struct tb_spec *s)
{
    s->segs[1].vaddr = 0x10080;
}
static void rvc(struct tb_spec *s)
{
    s->flags = EF_RISCV_RVC;
}
static void float_single(struct tb_spec *s)
{
    s->flags = EF_RISCV_FLOAT_ABI_SINGLE;
}
static void float_double(struct tb_spec *s)
{
    s->flags = EF_RISCV_FLOAT_ABI_DOUBLE;
}
static void float_quad(struct tb_spec *s)
{
    s->flags = EF_RISCV_FLOAT_ABI_QUAD;
}
static void entry_unaligned(struct tb_spec *s)
{
    s->entry = 0x10002;
}
static void version2(struct tb_spec *s)
{
    s->version = 2;
}
/* An RV64 program: what riscv64-unknown-elf-gcc makes without -march. */
static void rv64(unsigned char *b, size_t *size)
{
    (void)size;
    b[EI_CLASS] = ELFCLASS64;
}
static void no_load(struct tb_spec *s)
{
    s->segs[0].type = PT_NOTE;
    s->segs[1].type = PT_NOTE;
}

static const struct bad_case bad_cases[] = {
    {"empty file", NULL, empty, "not an ELF file"},
    {"a shell script", NULL, text, "not an ELF file"},
    {"10 bytes", NULL, trunc10, "truncated ELF header (10 bytes)"},
    {"30 bytes", NULL, trunc30, "truncated ELF header (30 of 52 bytes)"},
    {"ELF64", x86_64, class64, "ELF64, expected ELF32 RISC-V"},
    {"RV64", NULL, rv64,
     "an RV64 program (ELF64), and lde runs RV32: rebuild with "
     "-march=rv32im -mabi=ilp32 (as 'lde cc' does)"},
    {"RVC", rvc, NULL,
     "built with compressed instructions (the C extension, as for "
     "rv32imac), which lde does not run: rebuild with -march=rv32im "
     "-mabi=ilp32 (as 'lde cc' does)"},
    {"ilp32f", float_single, NULL,
     "built for the ilp32f float ABI, and lde has no floating-point "
     "registers: rebuild with -march=rv32im -mabi=ilp32 (as 'lde cc' does)"},
    {"ilp32d", float_double, NULL,
     "built for the ilp32d float ABI, and lde has no floating-point "
     "registers: rebuild with -march=rv32im -mabi=ilp32 (as 'lde cc' does)"},
    {"quad float", float_quad, NULL,
     "built for the quad-precision float ABI, and lde has no floating-point "
     "registers: rebuild with -march=rv32im -mabi=ilp32 (as 'lde cc' does)"},
    {"entry not aligned", entry_unaligned, NULL,
     "entry point 0x10002 is not 4-byte aligned"},
    {"e_version 2", version2, NULL,
     "bad ELF version 2 in the header (e_version), expected 1"},
    {"bad class", NULL, class_bad, "bad ELF class 7, expected ELF32 RISC-V"},
    {"big-endian", NULL, big_endian,
     "big-endian, expected little-endian RISC-V"},
    {"x86-64", x86_64, NULL, "x86-64 executable, expected RISC-V"},
    {"machine 999", machine999, NULL, "machine 999, expected RISC-V (243)"},
    {"ET_DYN", et_dyn, NULL,
     "a shared object or PIE (ET_DYN), expected an executable (ET_EXEC)"},
    {"ET_REL", et_rel, NULL,
     "a relocatable object (ET_REL), expected an executable (ET_EXEC)"},
    {"zero phnum", NULL, phnum0, "no program headers"},
    {"huge phnum", NULL, phnum_huge,
     "too many program headers (65535, at most 64)"},
    {"phdrs past EOF", NULL, phnum_past_eof,
     "program headers at offset 0x34 run past the end of the file (%zu "
     "bytes)"},
    {"phoff huge", NULL, phoff_huge,
     "program headers at offset 0xfffffff0 run past the end of the file "
     "(%zu bytes)"},
    {"phentsize", NULL, phentsize, "program header size 40, expected 32"},
    {"PT_INTERP", interp, NULL,
     "dynamically linked (PT_INTERP), expected a static executable"},
    {"PT_DYNAMIC", dynamic, NULL,
     "dynamically linked (PT_DYNAMIC), expected a static executable"},
    {"segment at 0", below_guard, NULL, "segment 0 at 0x0 is below 0x1000"},
    {"segment at 0xfff", at_fff, NULL, "segment 1 at 0xfff is below 0x1000"},
    {"beyond bound", beyond_bound, NULL,
     "segment 1 at 0x3fff00 (0x200 bytes) ends beyond the user address "
     "space (0x400000)"},
    {"filesz > memsz", filesz_gt_memsz, NULL,
     "segment 1: file size 0x20 is larger than its memory size 0x10"},
    {"offset past EOF", offset_past_eof, NULL,
     "segment 1: file bytes at offset 0x100000 (0x20 bytes) run past the "
     "end of the file (%zu bytes)"},
    {"offset wraps", offset_wraps, NULL,
     "segment 1: file bytes at offset 0xfffffff0 (0x20 bytes) run past the "
     "end of the file (%zu bytes)"},
    {"vaddr + memsz wraps", vaddr_wraps, NULL,
     "segment 1 at 0xfffff000: size 0x2000 wraps around the address space"},
    {"entry in data", entry_in_data, NULL,
     "entry point 0x11000 is not in an executable segment"},
    {"entry outside", entry_outside, NULL,
     "entry point 0x200000 is not in an executable segment"},
    {"overlap", overlap, NULL, "segments 0 and 1 overlap"},
    {"no PT_LOAD", no_load, NULL, "no loadable segment"},
};

static void malformed_images(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        struct tb_spec s = tb_program();
        if (c->spec)
            c->spec(&s);
        size_t size;
        unsigned char *b = tb_build(&s, &size);
        if (c->bytes)
            c->bytes(b, &size);
        err[0] = '\0';
        struct elf_file *ef = elf_open("prog.elf", b, size, err, sizeof err);
        int rc = ef == NULL ? -1 : elf_check_program(ef, err, sizeof err);
        char want[ELF_ERR_MAX], fmt[ELF_ERR_MAX];
        snprintf(fmt, sizeof fmt, "prog.elf: %s", c->want);
        snprintf(want, sizeof want, fmt, size);
        if (rc != -1 || strcmp(err, want) != 0)
            fail_msg("%s: got rc %d \"%s\", want \"%s\"", c->what, rc, err,
                     want);
        elf_close(ef);
        free(b);
    }
}

static void read_file_errors(void **state)
{
    (void)state;
    assert_null(
        elf_read_file("/nonexistent/prog.elf", "prog.elf", err, sizeof err));
    assert_string_equal(err, "prog.elf: No such file or directory");
    assert_null(elf_read_file("/", NULL, err, sizeof err));
    assert_string_equal(err, "/: is a directory");

    char path[] = "/tmp/lde_test_loaderXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    struct tb_spec s = tb_program();
    size_t size;
    unsigned char *b = tb_build(&s, &size);
    assert_int_equal(write(fd, b, size), (ssize_t)size);
    close(fd);
    struct elf_file *ef = elf_read_file(path, NULL, err, sizeof err);
    assert_non_null(ef);
    assert_int_equal(ef->size, size);
    assert_memory_equal(ef->data, b, size);
    assert_string_equal(ef->name, path);
    elf_close(ef);
    unlink(path);
    free(b);
}

/* ---- Random mutations: never a crash, always a verdict ------------------ */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* Everything a run does with an image: check it, read its symbols, and if
 * it passes put it in a boot block and load it as a kernel. */
static void exercise(struct cpu *cpu, const unsigned char *b, size_t size)
{
    err[0] = '\0';
    struct elf_file *ef = elf_open("fuzz.elf", b, size, err, sizeof err);
    if (ef == NULL) {
        assert_true(strncmp(err, "fuzz.elf: ", 10) == 0);
        assert_null(strchr(err, '\n'));
        return;
    }
    struct sym_table *t = sym_load(ef, err, sizeof err);
    if (t != NULL) {
        for (size_t i = 0; i < t->n; i++) {
            assert_non_null(sym_by_name(t, t->by_addr[i].name));
            (void)sym_by_addr(t, t->by_addr[i].addr + 1, NULL);
        }
        sym_free(t);
    }
    if (elf_check_program(ef, err, sizeof err) == 0) {
        char *av[] = {"fuzz"};
        struct boot_image img = {ef, 1, av, NULL};
        struct boot_params p = {1000, "", 1, &img, 0, NULL, NULL};
        struct boot_layout lay;
        (void)boot_write(cpu, 0x20000, &p, &lay, err, sizeof err);
    }
    uint32_t entry, end;
    (void)elf_load_kernel(cpu, ef, &entry, &end, err, sizeof err);
    elf_close(ef);
}

static void mutations_never_crash(void **state)
{
    (void)state;
    struct cpu *cpu = cpu_create(1u << 20);
    struct tb_spec s = tb_program();
    size_t size;
    unsigned char *good = tb_build(&s, &size);
    unsigned char *b = malloc(size);
    for (size_t len = 0; len <= size; len++)
        exercise(cpu, good, len); /* every truncation */
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(b, good, size);
        int nflips = 1 + (int)(rnd() % 8);
        for (int k = 0; k < nflips; k++) {
            uint32_t r = rnd();
            size_t at = rnd() % size;
            switch (r % 4) {
            case 0: b[at] = (unsigned char)rnd(); break;
            case 1: b[at] ^= (unsigned char)(1u << (rnd() % 8)); break;
            case 2: /* a 32-bit field to an extreme */
                at &= ~(size_t)3;
                if (at + 4 <= size) {
                    static const uint32_t ext[] = {
                        0,          1,          0x7fffffff, 0x80000000,
                        0xffffffff, 0xfffff000, 0x1000};
                    uint32_t v = ext[rnd() % 7];
                    memcpy(b + at, &v, 4);
                }
                break;
            default: /* mostly the headers, where the checks are */
                b[rnd() % 200 % size] = (unsigned char)rnd();
                break;
            }
        }
        size_t len = rnd() % 8 == 0 ? rnd() % (size + 1) : size;
        exercise(cpu, b, len);
    }
    free(b);
    free(good);
    cpu_destroy(cpu);
}

/* The same on a real program, whose section headers, symbol and string
 * tables come from the real toolchain (skipped without the guest build). */
static void real_image_mutations_never_crash(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/hello.elf", LDE_GUEST_BUILD_DIR);
    struct elf_file *ef = elf_read_file(path, NULL, err, sizeof err);
    if (ef == NULL)
        skip();
    size_t size = ef->size;
    unsigned char *good = malloc(size), *b = malloc(size);
    memcpy(good, ef->data, size);
    elf_close(ef);
    struct cpu *cpu = cpu_create(1u << 20);
    /* Where the headers are: the ELF header, the program headers and the
     * section header table (at e_shoff). */
    uint32_t shoff;
    memcpy(&shoff, good + offsetof(Elf32_Ehdr, e_shoff), 4);
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(b, good, size);
        int nflips = 1 + (int)(rnd() % 6);
        for (int k = 0; k < nflips; k++) {
            size_t at;
            switch (rnd() % 3) {
            case 0: at = rnd() % 256 % size; break;
            case 1: at = (shoff + rnd() % 1024) % size; break;
            default: at = rnd() % size; break;
            }
            b[at] = (unsigned char)rnd();
        }
        exercise(cpu, b, rnd() % 16 == 0 ? rnd() % (size + 1) : size);
    }
    free(b);
    free(good);
    cpu_destroy(cpu);
}

/* ---- Real images from the guest build, when it is there ------------------ */

static void real_guest_programs(void **state)
{
    (void)state;
    static const char *progs[] = {"hello", "args", "compute", "spinner"};
    int seen = 0;
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.elf", LDE_GUEST_BUILD_DIR, progs[i]);
        if (access(path, R_OK) != 0)
            continue;
        seen++;
        struct elf_file *ef = elf_read_file(path, progs[i], err, sizeof err);
        if (ef == NULL)
            fail_msg("%s", err);
        if (elf_check_program(ef, err, sizeof err) != 0)
            fail_msg("%s", err);
        struct sym_table *t = sym_load(ef, err, sizeof err);
        assert_non_null(t);
        const struct sym *m = sym_by_name(t, "main");
        assert_non_null(m);
        assert_int_equal(m->kind, SYM_FUNC);
        uint32_t off;
        assert_ptr_equal(sym_by_addr(t, m->addr + 4, &off), m);
        for (size_t k = 0; k < t->n; k++) {
            uint32_t addr = 0;
            const char *name = t->by_addr[k].name;
            assert_int_equal(lookup1(ef, name, &addr), 0);
            assert_int_equal(addr, sym_by_name(t, name)->addr);
        }
        sym_free(t);
        elf_close(ef);
    }
    if (seen == 0)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_program),
        cmocka_unit_test(program_symbols),
        cmocka_unit_test(stripped_program_has_empty_table),
        cmocka_unit_test(kernel_load),
        cmocka_unit_test(kernel_at_other_physical_address),
        cmocka_unit_test(kernel_physical_overlap),
        cmocka_unit_test(kernel_too_big_for_ram),
        cmocka_unit_test(boot_block_layout),
        cmocka_unit_test(boot_block_region_layout),
        cmocka_unit_test(self_file_finds_own_bytes),
        cmocka_unit_test(boot_block_region_mapped_as_copied),
        cmocka_unit_test(boot_block_ram_too_small),
        cmocka_unit_test(boot_block_too_many_programs),
        cmocka_unit_test(program_args),
        cmocka_unit_test(symbol_lookup_duplicates),
        cmocka_unit_test(open_in_place_read_only),
        cmocka_unit_test(malformed_images),
        cmocka_unit_test(read_file_errors),
        cmocka_unit_test(mutations_never_crash),
        cmocka_unit_test(real_image_mutations_never_crash),
        cmocka_unit_test(real_guest_programs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
