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

/* Register-register instructions. */
#define RR(name)                                                               \
    static uint32_t rr_##name(uint32_t a, uint32_t b)                          \
    {                                                                          \
        uint32_t r;                                                            \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));      \
        return r;                                                              \
    }
RR(add)
RR(sub) RR(sll) RR(slt) RR(sltu) RR(xor) RR(srl) RR(sra) RR(or) RR(and) RR(mul)
    RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)

        struct rr_op {
    const char *name;
    uint32_t (*fn)(uint32_t, uint32_t);
    int divides; /* skip zero divisors */
};

static const struct rr_op rr_ops[] = {
    {"add", rr_add, 0},       {"sub", rr_sub, 0},     {"sll", rr_sll, 0},
    {"slt", rr_slt, 0},       {"sltu", rr_sltu, 0},   {"xor", rr_xor, 0},
    {"srl", rr_srl, 0},       {"sra", rr_sra, 0},     {"or", rr_or, 0},
    {"and", rr_and, 0},       {"mul", rr_mul, 0},     {"mulh", rr_mulh, 0},
    {"mulhsu", rr_mulhsu, 0}, {"mulhu", rr_mulhu, 0}, {"div", rr_div, 1},
    {"divu", rr_divu, 1},     {"rem", rr_rem, 1},     {"remu", rr_remu, 1},
};

/* Register-immediate instructions, each with a few immediates. */
#define RI(name, imm)                                                          \
    static uint32_t ri_##name##_##imm(uint32_t a)                              \
    {                                                                          \
        uint32_t r;                                                            \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "i"(imm));    \
        return r;                                                              \
    }
#define RI_SET(name)                                                           \
    static uint32_t ri_##name(uint32_t a, int k)                               \
    {                                                                          \
        uint32_t r;                                                            \
        switch (k) {                                                           \
        case 0: __asm__ volatile(#name " %0, %1, 0"                            \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 1: __asm__ volatile(#name " %0, %1, 1"                            \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 2: __asm__ volatile(#name " %0, %1, -1"                           \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 3:                                                                \
            __asm__ volatile(#name " %0, %1, 2047" : "=r"(r) : "r"(a));        \
            break;                                                             \
        default:                                                               \
            __asm__ volatile(#name " %0, %1, -2048" : "=r"(r) : "r"(a));       \
            break;                                                             \
        }                                                                      \
        return r;                                                              \
    }
#define SH_SET(name)                                                           \
    static uint32_t ri_##name(uint32_t a, int k)                               \
    {                                                                          \
        uint32_t r;                                                            \
        switch (k) {                                                           \
        case 0: __asm__ volatile(#name " %0, %1, 0"                            \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 1: __asm__ volatile(#name " %0, %1, 1"                            \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 2: __asm__ volatile(#name " %0, %1, 7"                            \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        case 3: __asm__ volatile(#name " %0, %1, 16"                           \
                                 : "=r"(r)                                     \
                                 : "r"(a));                                    \
            break;                                                             \
        default:                                                               \
            __asm__ volatile(#name " %0, %1, 31" : "=r"(r) : "r"(a));          \
            break;                                                             \
        }                                                                      \
        return r;                                                              \
    }
RI_SET(addi)
RI_SET(slti) RI_SET(sltiu) RI_SET(xori) RI_SET(ori) RI_SET(andi) SH_SET(slli)
    SH_SET(srli) SH_SET(srai)

        struct ri_op {
    const char *name;
    uint32_t (*fn)(uint32_t, int);
};

static const struct ri_op ri_ops[] = {
    {"addi", ri_addi}, {"slti", ri_slti}, {"sltiu", ri_sltiu},
    {"xori", ri_xori}, {"ori", ri_ori},   {"andi", ri_andi},
    {"slli", ri_slli}, {"srli", ri_srli}, {"srai", ri_srai},
};

/* Branches: 1 if taken. */
#define BR(name)                                                               \
    static uint32_t br_##name(uint32_t a, uint32_t b)                          \
    {                                                                          \
        uint32_t r = 1;                                                        \
        __asm__ volatile(#name " %1, %2, 1f\n\tli %0, 0\n1:"                   \
                         : "+r"(r)                                             \
                         : "r"(a), "r"(b));                                    \
        return r;                                                              \
    }
BR(beq)
BR(bne) BR(blt) BR(bge) BR(bltu) BR(bgeu)

    static const struct rr_op br_ops[] = {
        {"beq", br_beq, 0}, {"bne", br_bne, 0},   {"blt", br_blt, 0},
        {"bge", br_bge, 0}, {"bltu", br_bltu, 0}, {"bgeu", br_bgeu, 0},
};

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
