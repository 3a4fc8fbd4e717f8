/*
 * rvgen.c: random RV32IM programs for differential testing against
 * qemu-riscv32 (tests/difftest/difftest.sh, docs/testing.md).
 *
 *     rvgen [--blocks N] [--no-div-by-zero] SEED > prog.S
 *
 * The program is assembly for riscv64-unknown-elf-gcc (-march=rv32im,
 * linked static, no C library). It sets every register to a chosen value,
 * then runs N blocks, each one of: straight-line arithmetic; sub-word
 * stores with overlapping loads; a forward branch over some code; a loop
 * bounded by a counter, closed by a backward branch; a call through jal
 * or jalr (with an offset, or an odd target that jalr rounds down) to a
 * leaf function; the M extension's corner cases (division by zero,
 * INT_MIN / -1, the high halves of products). Writes to x0 come from
 * every kind of instruction that writes a register. At the end it writes
 * the registers (x1..x31) and its 512-byte data area to stdout, the
 * number of instructions it retired (rdinstret: informative, not
 * compared) to stderr, and exits 0. The same file under lde and under
 * qemu must print the same bytes.
 *
 * Reserved registers: ra (x1) holds return addresses, x25 the target of
 * jalr, x26 the loop counter, x27 the data area. Random instructions
 * read every register but write only x0, x2..x24 and x28..x31. Loads and
 * stores are naturally aligned (qemu's user mode would emulate a
 * misaligned one; lde traps, as docs/isa.md says).
 *
 * --no-div-by-zero makes every divisor odd (divisor | 1), for a machine
 * that traps on division by zero (STATUS.DZ).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_WORDS 128 /* the data area: 512 bytes */
#define MAX_FUNCS 16

static uint64_t rng;

static uint32_t rnd(void)
{
    /* splitmix64: every seed gives a different, reproducible stream */
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
static uint32_t below(uint32_t n)
{
    return rnd() % n;
}
static bool chance(uint32_t percent)
{
    return below(100) < percent;
}

/* Values where arithmetic has edges: signs, overflow, shifts, halves. */
static const uint32_t corners[] = {
    0x00000000, 0x00000001, 0x00000002, 0xFFFFFFFF, 0xFFFFFFFE, 0x80000000,
    0x80000001, 0x7FFFFFFF, 0x7FFFFFFE, 0x0000001F, 0x00000020, 0x00000021,
    0x0000FFFF, 0x00010000, 0xFFFF0000, 0x00008000, 0xFFFF8000, 0x00007FFF,
    0x000000FF, 0x00000080, 0xFFFFFF80, 0x55555555, 0xAAAAAAAA, 0x12345678,
};
#define NCORNERS (sizeof corners / sizeof corners[0])

static uint32_t value(void)
{
    return chance(50) ? corners[below(NCORNERS)] : rnd();
}

/* x0, sp and the temporaries: what random instructions may write. */
static unsigned dest(void)
{
    if (chance(4))
        return 0; /* writes to x0 are dropped */
    static const unsigned w[] = {2,  3,  4,  5,  6,  7,  8,  9,  10,
                                 11, 12, 13, 14, 15, 16, 17, 18, 19,
                                 20, 21, 22, 23, 24, 28, 29, 30, 31};
    return w[below(sizeof w / sizeof w[0])];
}
static unsigned src(void)
{
    return below(32);
}

static int32_t imm12(void)
{
    static const int32_t c[] = {0, 1, -1, 2047, -2048, 0x7FF, -0x800, 31};
    return chance(30) ? c[below(8)] : (int32_t)below(4096) - 2048;
}

/* ---- Instruction lists: X(mnemonic) ------------------------------------ */
#define ALU_RR(X)                                                              \
    X(add) X(sub) X(sll) X(slt) X(sltu) X(xor) X(srl) X(sra) X(or) X(and)
#define ALU_RI(X) X(addi) X(slti) X(sltiu) X(xori) X(ori) X(andi)
#define SHIFT_RI(X) X(slli) X(srli) X(srai)
#define MUL_RR(X) X(mul) X(mulh) X(mulhsu) X(mulhu)
#define DIV_RR(X) X(div) X(divu) X(rem) X(remu)
#define BRANCHES(X) X(beq) X(bne) X(blt) X(bge) X(bltu) X(bgeu)

#define NAME(m) #m,
static const char *const alu_rr[] = {ALU_RR(NAME)};
static const char *const alu_ri[] = {ALU_RI(NAME)};
static const char *const shift_ri[] = {SHIFT_RI(NAME)};
static const char *const mul_rr[] = {MUL_RR(NAME)};
static const char *const div_rr[] = {DIV_RR(NAME)};
static const char *const branches[] = {BRANCHES(NAME)};
#undef NAME
#define PICK(a) a[below(sizeof a / sizeof a[0])]

static bool div_by_zero = true;
static unsigned label;   /* local labels: .Ln */
static unsigned nfuncs;  /* leaf functions f0..f(nfuncs-1) */
static bool in_function; /* a leaf may not call */

static void divide(const char *op, unsigned rd, unsigned rs1, unsigned rs2)
{
    if (div_by_zero) {
        printf("\t%s x%u, x%u, x%u\n", op, rd, rs1, rs2);
        return;
    }
    /* Never zero: the divisor with its low bit set, in x25. */
    printf("\tori x25, x%u, 1\n\t%s x%u, x%u, x25\n", rs2, op, rd, rs1);
}

/* One random computational instruction. */
static void alu(void)
{
    unsigned rd = dest();
    switch (below(10)) {
    case 0:
    case 1:
    case 2:
        printf("\t%s x%u, x%u, x%u\n", PICK(alu_rr), rd, src(), src());
        break;
    case 3:
    case 4:
        printf("\t%s x%u, x%u, %d\n", PICK(alu_ri), rd, src(), imm12());
        break;
    case 5:
        printf("\t%s x%u, x%u, %u\n", PICK(shift_ri), rd, src(), below(32));
        break;
    case 6:
        printf("\t%s x%u, x%u, x%u\n", PICK(mul_rr), rd, src(), src());
        break;
    case 7: divide(PICK(div_rr), rd, src(), src()); break;
    case 8:
        printf("\t%s x%u, 0x%x\n", chance(50) ? "lui" : "auipc", rd,
               rnd() & 0xFFFFF);
        break;
    default: printf("\tli x%u, 0x%08" PRIx32 "\n", rd, value()); break;
    }
}

static void straight(unsigned n)
{
    while (n--)
        alu();
}

/* Sub-word stores and loads that overlap them, at aligned offsets. */
static void memory(void)
{
    static const char *const stores[] = {"sb", "sh", "sw"};
    static const char *const loads[] = {"lb", "lbu", "lh", "lhu", "lw"};
    static const unsigned load_size[] = {1, 1, 2, 2, 4};
    unsigned word = below(DATA_WORDS) * 4;
    unsigned s = below(3), size = 1u << s;
    unsigned at = word + below(4 / size) * size;
    printf("\t%s x%u, %u(x27)\n", stores[s], src(), at);
    for (unsigned n = 1 + below(4); n--;) {
        unsigned l = below(5), lsize = load_size[l];
        /* a load of the same word, at any offset its width allows */
        unsigned lat = word + below(4 / lsize) * lsize;
        printf("\t%s x%u, %u(x27)\n", loads[l], dest(), lat);
    }
}

static void block(unsigned depth);

static void forward_branch(unsigned depth)
{
    unsigned l = label++;
    printf("\t%s x%u, x%u, .L%u\n", PICK(branches), src(), src(), l);
    if (depth < 2 && chance(30))
        block(depth + 1);
    else
        straight(1 + below(5));
    printf(".L%u:\n", l);
}

/* A loop of 1..16 iterations on x26; the closing branch is backward. */
static void loop(unsigned depth)
{
    static const char *const closers[] = {"bnez x26, .L%u", "blt x0, x26, .L%u",
                                          "bltu x0, x26, .L%u",
                                          "bne x26, x0, .L%u"};
    unsigned l = label++;
    printf("\tli x26, %u\n.L%u:\n", 1 + below(16), l);
    unsigned n = 1 + below(4);
    while (n--) {
        unsigned k = below(10);
        if (k < 5)
            straight(1 + below(4));
        else if (k < 7)
            memory();
        else if (k < 9)
            forward_branch(depth + 1);
        else if (!in_function && nfuncs)
            printf("\tcall f%u\n", below(nfuncs));
    }
    printf("\taddi x26, x26, -1\n\t");
    printf(PICK(closers), l);
    printf("\n");
}

/* A call to a leaf function, through jal or through jalr. */
static void call(void)
{
    if (in_function || nfuncs == 0) {
        straight(2);
        return;
    }
    unsigned f = below(nfuncs);
    switch (below(4)) {
    case 0: printf("\tjal ra, f%u\n", f); break;
    case 1: printf("\tla x25, f%u\n\tjalr ra, 0(x25)\n", f); break;
    case 2: /* through an offset: the register points 8 bytes before */
        printf("\tla x25, f%u - 8\n\tjalr ra, 8(x25)\n", f);
        break;
    default: /* odd target: jalr clears bit 0 */
        printf("\tla x25, f%u\n\taddi x25, x25, 1\n\tjalr x1, x25, 0\n", f);
        break;
    }
}

/* The M extension's corners, named: division by zero (unless refused),
 * INT_MIN / -1, and products of extreme values. */
static void m_corners(void)
{
    unsigned a = dest(), b = dest();
    if (a == 0)
        a = 3;
    if (b == 0 || b == a)
        b = a == 4 ? 5 : 4;
    switch (below(4)) {
    case 0:
        if (div_by_zero) {
            printf("\tli x%u, 0x%08" PRIx32 "\n\tli x%u, 0\n", a, value(), b);
            break;
        } /* else INT_MIN / -1 */
        /* fall through */
    case 1: printf("\tli x%u, 0x80000000\n\tli x%u, -1\n", a, b); break;
    case 2:
        printf("\tli x%u, 0x%08" PRIx32 "\n\tli x%u, -1\n", a, value(), b);
        break;
    default:
        printf("\tli x%u, 0x%08" PRIx32 "\n\tli x%u, 0x%08" PRIx32 "\n", a,
               corners[below(NCORNERS)], b, corners[below(NCORNERS)]);
        break;
    }
    for (unsigned i = 0; i < 4; i++)
        divide(div_rr[i], dest(), a, b);
    for (unsigned i = 0; i < 4; i++)
        printf("\t%s x%u, x%u, x%u\n", mul_rr[i], dest(), a, b);
}

static void block(unsigned depth)
{
    unsigned k = below(100);
    if (k < 30)
        straight(1 + below(8));
    else if (k < 45)
        memory();
    else if (k < 60)
        forward_branch(depth);
    else if (k < 72 && depth == 0)
        loop(depth);
    else if (k < 82)
        call();
    else if (k < 92)
        m_corners();
    else {
        /* a plain jump over dead code, through jal x0 */
        unsigned l = label++;
        printf("\tjal x0, .L%u\n", l);
        straight(1 + below(3));
        printf(".L%u:\n", l);
    }
}

static void prologue(void)
{
    printf("\t.text\n\t.globl _start\n_start:\n");
    printf("\trdinstret x25\n\tla x26, istart\n\tsw x25, 0(x26)\n");
    printf("\tla x27, data\n");
    for (unsigned r = 1; r < 32; r++)
        if (r != 27)
            printf("\tli x%u, 0x%08" PRIx32 "\n", r, value());
}

/* Registers and the data area to stdout, the instruction count to
 * stderr, exit 0: the Linux riscv32 system calls write and exit. */
static void epilogue(void)
{
    printf("\t# dump: word r holds xr (x25 holds the dump's address)\n");
    printf("\tla x25, dump\n");
    for (unsigned r = 1; r < 32; r++)
        printf("\tsw x%u, %u(x25)\n", r, 4 * r);
    printf("\trdinstret x25\n\tla x26, istart\n\tlw x24, 0(x26)\n"
           "\tsub x25, x25, x24\n\tsw x25, 0(x26)\n");
    printf("\tli a0, 1\n\tla a1, dump\n\tli a2, 128\n\tli a7, 64\n\tecall\n");
    printf("\tli a0, 1\n\tla a1, data\n\tli a2, %d\n\tli a7, 64\n\tecall\n",
           DATA_WORDS * 4);
    printf("\tli a0, 2\n\tla a1, istart\n\tli a2, 4\n\tli a7, 64\n\tecall\n");
    printf("\tli a0, 0\n\tli a7, 93\n\tecall\n");
}

static void functions(void)
{
    in_function = true;
    for (unsigned f = 0; f < nfuncs; f++) {
        printf("\t.balign 4\nf%u:\n", f);
        for (unsigned n = 1 + below(4); n--;)
            block(1);
        printf(chance(50) ? "\tret\n" : "\tjalr x0, 0(ra)\n");
    }
}

static void data(void)
{
    printf("\t.data\n\t.balign 4\ndata:\n");
    for (unsigned i = 0; i < DATA_WORDS; i++)
        printf("\t.word 0x%08" PRIx32 "\n", value());
    printf("dump:\n\t.space 128\n"); /* word 0 (x0) is never written */
    printf("istart:\n\t.word 0\n");
}

int main(int argc, char **argv)
{
    unsigned blocks = 200;
    const char *seed = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--blocks") == 0 && i + 1 < argc)
            blocks = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "--no-div-by-zero") == 0)
            div_by_zero = false;
        else if (argv[i][0] != '-' && seed == NULL)
            seed = argv[i];
        else {
            fprintf(stderr, "usage: rvgen [--blocks N] [--no-div-by-zero] "
                            "SEED\n");
            return 2;
        }
    }
    if (seed == NULL) {
        fprintf(stderr, "usage: rvgen [--blocks N] [--no-div-by-zero] SEED\n");
        return 2;
    }
    rng = strtoull(seed, NULL, 0);
    printf("# rvgen %s%s --blocks %u: generated, do not edit\n", seed,
           div_by_zero ? "" : " --no-div-by-zero", blocks);
    nfuncs = 1 + below(MAX_FUNCS);
    prologue();
    for (unsigned b = 0; b < blocks; b++)
        block(0);
    epilogue();
    functions();
    data();
    return 0;
}
