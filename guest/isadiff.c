/*
 * isadiff: RV32IM over corner values, for differential testing.
 *
 * Every register-register, register-immediate, multiply/divide, branch and
 * sub-word load instruction runs on each pair from a table of corner
 * values (0, 1, -1, the extremes, single bits, patterns); the results are
 * folded into one FNV-1a hash per instruction and printed. The same binary
 * under lde and under qemu-riscv32 (an independent implementation of the
 * spec) must print the same lines: tests/e2e compares them.
 *
 * Divisors of zero are left out: under lde user processes run with
 * STATUS.DZ set, so a division by zero traps (the unit tests pin the
 * non-trapping results down). Inline assembly makes sure each line is the
 * instruction named, not whatever the compiler would choose.
 */
#include <stdint.h>
#include <stdio.h>

static const uint32_t values[] = {
    0x00000000, 0x00000001, 0x00000002, 0x0000001F, 0x00000020, 0x0000007F,
    0x00000080, 0x000000FF, 0x00007FFF, 0x00008000, 0x0000FFFF, 0x7FFFFFFF,
    0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFF8000, 0xFFFFFF80,
    0x12345678, 0x9ABCDEF0, 0x55555555, 0xAAAAAAAA, 0x0F0F0F0F, 0xDEADBEEF,
};
#define NVALUES (sizeof values / sizeof values[0])

static uint32_t fnv(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 16777619u;
    }
    return h;
}

#define FNV_START 2166136261u

/* Register-register instructions: X(name, divides). A divide skips zero
 * divisors. Each list generates the functions and the table. */
#define RR_OPS(X)                                                              \
    X(add, 0)                                                                  \
    X(sub, 0)                                                                  \
    X(sll, 0)                                                                  \
    X(slt, 0)                                                                  \
    X(sltu, 0)                                                                 \
    X(xor, 0)                                                                  \
    X(srl, 0)                                                                  \
    X(sra, 0)                                                                  \
    X(or, 0)                                                                   \
    X(and, 0)                                                                  \
    X(mul, 0)                                                                  \
    X(mulh, 0)                                                                 \
    X(mulhsu, 0)                                                               \
    X(mulhu, 0)                                                                \
    X(div, 1)                                                                  \
    X(divu, 1)                                                                 \
    X(rem, 1)                                                                  \
    X(remu, 1)

#define RR_FN(name, divides)                                                   \
    static uint32_t rr_##name(uint32_t a, uint32_t b)                          \
    {                                                                          \
        uint32_t r;                                                            \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));      \
        return r;                                                              \
    }
RR_OPS(RR_FN)

struct rr_op {
    const char *name;
    uint32_t (*fn)(uint32_t, uint32_t);
    int divides;
};

#define RR_ENTRY(name, divides) {#name, rr_##name, divides},
static const struct rr_op rr_ops[] = {RR_OPS(RR_ENTRY)};

/* Register-immediate instructions, each with five immediates: the ALU
 * ones with 0, 1, -1 and the two extremes, the shifts with 0, 1, 7, 16
 * and 31. X(name, i0, i1, i2, i3, i4). */
#define RI_OPS(X)                                                              \
    X(addi, 0, 1, -1, 2047, -2048)                                             \
    X(slti, 0, 1, -1, 2047, -2048)                                             \
    X(sltiu, 0, 1, -1, 2047, -2048)                                            \
    X(xori, 0, 1, -1, 2047, -2048)                                             \
    X(ori, 0, 1, -1, 2047, -2048)                                              \
    X(andi, 0, 1, -1, 2047, -2048)                                             \
    X(slli, 0, 1, 7, 16, 31)                                                   \
    X(srli, 0, 1, 7, 16, 31)                                                   \
    X(srai, 0, 1, 7, 16, 31)

#define RI_ONE(name, imm, a, r)                                                \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "i"(imm))
#define RI_FN(name, i0, i1, i2, i3, i4)                                        \
    static uint32_t ri_##name(uint32_t a, int k)                               \
    {                                                                          \
        uint32_t r;                                                            \
        switch (k) {                                                           \
        case 0: RI_ONE(name, i0, a, r); break;                                 \
        case 1: RI_ONE(name, i1, a, r); break;                                 \
        case 2: RI_ONE(name, i2, a, r); break;                                 \
        case 3: RI_ONE(name, i3, a, r); break;                                 \
        default: RI_ONE(name, i4, a, r); break;                                \
        }                                                                      \
        return r;                                                              \
    }
RI_OPS(RI_FN)

struct ri_op {
    const char *name;
    uint32_t (*fn)(uint32_t, int);
};

#define RI_ENTRY(name, i0, i1, i2, i3, i4) {#name, ri_##name},
static const struct ri_op ri_ops[] = {RI_OPS(RI_ENTRY)};

/* Branches: the function returns 1 if the branch is taken. */
#define BR_OPS(X)                                                              \
    X(beq, 0)                                                                  \
    X(bne, 0)                                                                  \
    X(blt, 0)                                                                  \
    X(bge, 0)                                                                  \
    X(bltu, 0)                                                                 \
    X(bgeu, 0)

#define BR_FN(name, unused)                                                    \
    static uint32_t br_##name(uint32_t a, uint32_t b)                          \
    {                                                                          \
        uint32_t r = 1;                                                        \
        __asm__ volatile(#name " %1, %2, 1f\n\tli %0, 0\n1:"                   \
                         : "+r"(r)                                             \
                         : "r"(a), "r"(b));                                    \
        return r;                                                              \
    }
BR_OPS(BR_FN)

#define BR_ENTRY(name, unused) {#name, br_##name, 0},
static const struct rr_op br_ops[] = {BR_OPS(BR_ENTRY)};

/* Sub-word loads at every offset of a word, sign and zero extension. */
static uint32_t loads_hash(const char *which)
{
    static uint32_t words[NVALUES];
    for (unsigned i = 0; i < NVALUES; i++)
        words[i] = values[i];
    uint32_t h = FNV_START;
    for (unsigned i = 0; i < NVALUES; i++) {
        const uint8_t *p = (const uint8_t *)&words[i];
        for (int off = 0; off < 4; off++) {
            uint32_t r;
            switch (which[2]) {
            case 'u': /* lbu */
                __asm__ volatile("lbu %0, 0(%1)" : "=r"(r) : "r"(p + off));
                break;
            case '\0':
                if (which[1] == 'b')
                    __asm__ volatile("lb %0, 0(%1)" : "=r"(r) : "r"(p + off));
                else if (off % 2 == 0)
                    __asm__ volatile("lh %0, 0(%1)" : "=r"(r) : "r"(p + off));
                else
                    continue;
                break;
            default: /* lhu */
                if (off % 2)
                    continue;
                __asm__ volatile("lhu %0, 0(%1)" : "=r"(r) : "r"(p + off));
                break;
            }
            h = fnv(h, r);
        }
    }
    return h;
}

int main(void)
{
    for (unsigned o = 0; o < sizeof rr_ops / sizeof rr_ops[0]; o++) {
        uint32_t h = FNV_START;
        for (unsigned i = 0; i < NVALUES; i++)
            for (unsigned j = 0; j < NVALUES; j++) {
                if (rr_ops[o].divides && values[j] == 0)
                    continue;
                h = fnv(h, rr_ops[o].fn(values[i], values[j]));
            }
        printf("%-7s %08lx\n", rr_ops[o].name, (unsigned long)h);
    }
    for (unsigned o = 0; o < sizeof ri_ops / sizeof ri_ops[0]; o++) {
        uint32_t h = FNV_START;
        for (unsigned i = 0; i < NVALUES; i++)
            for (int k = 0; k < 5; k++)
                h = fnv(h, ri_ops[o].fn(values[i], k));
        printf("%-7s %08lx\n", ri_ops[o].name, (unsigned long)h);
    }
    for (unsigned o = 0; o < sizeof br_ops / sizeof br_ops[0]; o++) {
        uint32_t h = FNV_START;
        for (unsigned i = 0; i < NVALUES; i++)
            for (unsigned j = 0; j < NVALUES; j++)
                h = fnv(h, br_ops[o].fn(values[i], values[j]));
        printf("%-7s %08lx\n", br_ops[o].name, (unsigned long)h);
    }
    static const char *const loads[] = {"lb", "lbu", "lh", "lhu"};
    for (unsigned l = 0; l < 4; l++)
        printf("%-7s %08lx\n", loads[l], (unsigned long)loads_hash(loads[l]));
    return 0;
}
