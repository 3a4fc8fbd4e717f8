/*
 * fuzz_kernel_elf.c: the guest kernel's ELF parsing and process creation
 * (src/kernel/elf.c, proc.c), driven through the emulator.
 *
 * Every input boots the real kernel, as `lde run` does, with two programs:
 * a guest program the host loader accepted, and a witness, args (never
 * one of the bases: equal images are written once, docs/isa.md §9).
 * Then, before the first instruction, the first program's image is
 * mutated where the kernel parses it: in RAM, in the boot-info block,
 * after the host's checks. So the kernel sees headers the host would
 * never have let through.
 *
 * Input:
 *   byte 0    which guest program (index into BASES)
 *   byte 1    0: keep the image's size in the boot block; else the size
 *             becomes (byte * 64) if that is smaller
 *   byte 2..  written over the image from its first byte (ELF header,
 *             program headers, ...), at most the image's size
 *
 * The run lasts at most LIMIT cycles. The kernel must never panic nor
 * double fault; the witness (pid 2) must print its arguments, whatever
 * pid 1 is; and a file the host loader accepts (the program's file with
 * the same bytes written over it, cut to the same size if that was
 * shortened), and whose image is no longer than the one the kernel got,
 * must not be refused by the kernel: the two checkers agree on what is a
 * program.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_file.h"
#include "session.h"

#define RAM (10u << 20) /* the kernel, and two 4 MiB partitions */
#define LIMIT 3000000u  /* cycles */
#define OUT_MAX 16384u

/* Programs that end by themselves, without arguments or input
 * (scripts/fuzz.sh makes its seeds in this order). */
static const char *const BASES[] = {
    "hello",   "compute", "yield",   "badptr", "fault",
    "isadiff", "sysfuzz", "syscost", "ctxsw",
};
#define WITNESS_LINE "argv[1]=still-here\n"
#define NBASES (sizeof BASES / sizeof BASES[0])

/*
 * The kernel's code runs inside the emulator, where libFuzzer's coverage
 * cannot see it. A retire hook feeds it in: each pair (previous kernel
 * pc, kernel pc) bumps a counter in libFuzzer's extra-counters section,
 * so an input that takes the kernel down a new path is kept. Only until
 * the first return to user mode: by then the kernel has parsed both
 * programs and built their processes, and a retire hook makes cpu_run
 * step one instruction at a time.
 */
#define GUEST_EDGES 16384u
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t
    guest_edges[GUEST_EDGES];
static uint32_t last_kernel_pc;

struct out {
    char text[OUT_MAX];
    size_t n;
};

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    struct out *o = ctx;
    (void)stream;
    if (o->n + 1 < OUT_MAX)
        o->text[o->n++] = (char)byte;
}

static bool on_retire(void *ctx, struct cpu *cpu, uint32_t pc, uint32_t insn)
{
    (void)ctx;
    (void)insn;
    if (cpu->mode == MODE_KERNEL) { /* after it: rti's own pc is missed */
        uint32_t e = (pc >> 2) ^ (last_kernel_pc >> 1);
        guest_edges[e % GUEST_EDGES]++;
        last_kernel_pc = pc;
    }
    return false;
}

/* The first switch to user mode ends the kernel's boot: stop there. */
static bool on_mode(void *ctx, struct cpu *cpu, uint32_t old_mode,
                    uint32_t new_mode)
{
    (void)ctx;
    (void)cpu;
    (void)old_mode;
    return new_mode == MODE_USER;
}

static void on_rx_wanted(void *ctx, struct cpu *cpu)
{
    (void)ctx;
    cpu_console_close(cpu);
}

static void fail(const char *what, const struct out *o, const struct cpu *cpu)
{
    fprintf(stderr, "fuzz_kernel_elf: %s\n--- console:\n%.*s\n--- %s\n", what,
            (int)o->n, o->text,
            cpu->halted ? cpu->halt_reason : "still running");
    abort();
}

#define CHECK(cond, o, cpu)                                                    \
    do {                                                                       \
        if (!(cond))                                                           \
            fail(#cond, o, cpu);                                               \
    } while (0)

static uint32_t ram_word(const struct cpu *cpu, uint32_t pa)
{
    uint8_t b[4];
    if (cpu_read_phys(cpu, pa, b, 4) != 0)
        abort();
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
}

/* Would the host loader take the program's file with n bytes of over
 * written over it, cut to size bytes, as a program, and give the kernel
 * no more than the image bytes it got (image_size: the image is the file
 * up to the end of its last segment, docs/isa.md §9)? */
static bool host_accepts(const struct elf_file *file, const uint8_t *over,
                         size_t n, size_t size, size_t image_size)
{
    unsigned char *copy = malloc(file->size ? file->size : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, file->data, file->size);
    memcpy(copy, over, n);
    char err[ELF_ERR_MAX];
    struct elf_file *ef = elf_open("p", copy, size, err, sizeof err);
    bool ok = ef != NULL && elf_check_program(ef, err, sizeof err) == 0 &&
              elf_exec_extent(copy, size) <= image_size;
    elf_close(ef);
    free(copy);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static struct out out;
    out.n = 0;

    struct session_options o;
    session_defaults(&o);
    o.ram_size = RAM;
    o.quantum = 20000;
    o.nprogs = 2;
    char *argv0[] = {(char *)BASES[data[0] % NBASES], NULL};
    char *argv1[] = {"args", "still-here", NULL};
    o.progs[0] = (struct session_prog){argv0[0], 1, argv0};
    o.progs[1] = (struct session_prog){argv1[0], 2, argv1};
    struct session s;
    char err[512];
    if (session_open(&s, &o, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_kernel_elf: %s\n", err);
        abort();
    }
    struct cpu *cpu = s.cpu;
    struct cpu_hooks h = {.ctx = &out,
                          .console_tx = on_tx,
                          .console_rx_wanted = on_rx_wanted,
                          .mode = on_mode,
                          .retire = on_retire};
    last_kernel_pc = 0;
    cpu_set_hooks(cpu, &h);

    /* The mutation, where the kernel will read it. */
    uint32_t bp = ram_word(cpu, s.boot.info + BOOT_INFO_PROGS);
    uint32_t image = s.boot.image[0], isize = ram_word(cpu, bp + 4);
    size_t n = size - 2 < isize ? size - 2 : isize;
    if (cpu_load(cpu, image, data + 2, n) != 0)
        abort();
    size_t host_size = s.prog[0]->size; /* the whole file */
    if (data[1] != 0 && (uint32_t)data[1] * 64 < isize) {
        isize = (uint32_t)data[1] * 64;
        uint8_t w[4] = {(uint8_t)isize, (uint8_t)(isize >> 8), 0, 0};
        if (cpu_load(cpu, bp + 4, w, 4) != 0)
            abort();
        host_size = isize;
    }
    bool accepted = host_accepts(s.prog[0], data + 2, n, host_size, isize);

    while (!cpu->halted && cpu->cycle < LIMIT) {
        enum cpu_stop why = cpu_run(cpu, LIMIT - cpu->cycle);
        if (why == STOP_WAIT_INPUT)
            cpu_console_close(cpu);
        if (why == STOP_HOOK) { /* in user mode: on at full speed */
            h.mode = NULL;
            h.retire = NULL;
            cpu_set_hooks(cpu, &h);
        }
    }

    CHECK(!cpu->halted || cpu->halt_kind == STOP_HALT, &out, cpu);
    out.text[out.n] = '\0';
    CHECK(strstr(out.text, WITNESS_LINE) != NULL, &out, cpu);
    const char *refused = strstr(out.text, "lde: pid 1 (");
    if (refused != NULL) {
        refused = strstr(refused, ") refused: ");
        CHECK(!accepted || refused == NULL, &out, cpu);
    }
    if (getenv("LDE_FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_kernel_elf: %s, host %s, %llu cycles:\n%s",
                BASES[data[0] % NBASES], accepted ? "accepts" : "refuses",
                (unsigned long long)cpu->cycle, out.text);
    session_close(&s);
    return 0;
}
