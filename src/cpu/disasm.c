/*
 * disasm.c: struct insn -> text. Mnemonics and operand formats come from
 * OP_LIST (decode.h); this file only knows how each format is written.
 */
#include "disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "decode.h"

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* The CSRs of docs/isa.md §4 (LDE_CSRS); any other number is printed in
 * hex. */
static const struct {
    uint16_t csr;
    const char *name;
} csr_names[] = {
#define CSR_ROW(number, name, access) {number, #name},
    LDE_CSRS(CSR_ROW)
#undef CSR_ROW
};
#define NCSR_NAMES (sizeof csr_names / sizeof csr_names[0])

const char *disasm_reg_name(unsigned n)
{
    return n < 32 ? reg_names[n] : NULL;
}

const char *disasm_csr_name(uint32_t csr)
{
    for (size_t i = 0; i < NCSR_NAMES; i++)
        if (csr_names[i].csr == csr)
            return csr_names[i].name;
    return NULL;
}

/* ASCII case-insensitive equality: debugger users may type "A0" or "TTR".
 * (strcasecmp is POSIX, not C17.) */
static int name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (x != y) /* b is always one of our lower-case names */
            return 0;
    }
    return *a == *b;
}

/* A whole string of decimal digits, or of hex digits after "0x", with a
 * value of at most max; -1 otherwise. (strtol would also take blanks, a
 * sign and a second "0x".) */
static long parse_number(const char *s, long max)
{
    long base = 10, v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        v = v * base + d;
        if (v > max) /* also stops any overflow */
            return -1;
    }
    return v;
}

int disasm_reg_number(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < 32; i++)
        if (name_eq(name, reg_names[i]))
            return i;
    if (name_eq(name, "fp"))
        return 8;
    if (name[0] == 'x' || name[0] == 'X') {
        /* "x0".."x31" in decimal; not "x01" and not "x0x1". */
        if ((name[1] == '0' && name[2] != '\0') || name[1] == '\0' ||
            name[1] < '0' || name[1] > '9')
            return -1;
        return (int)parse_number(name + 1, 31);
    }
    return -1;
}

int disasm_csr_number(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < NCSR_NAMES; i++)
        if (name_eq(name, csr_names[i].name))
            return csr_names[i].csr;
    return (int)parse_number(name, 0xFFF);
}

/* ---- Output: an snprintf that keeps counting past the end of buf ------ */
struct out {
    char *buf;
    size_t len;
    size_t n; /* length of the whole text so far */
};

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* Past the end, only count: vsnprintf(NULL, 0, ...) is allowed. */
    char *dst = o->n < o->len ? o->buf + o->n : NULL;
    size_t room = o->n < o->len ? o->len - o->n : 0;
    int k = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n += (size_t)k;
}

static void put_csr(struct out *o, uint32_t csr)
{
    const char *name = disasm_csr_name(csr);
    if (name)
        put(o, "%s", name);
    else
        put(o, "0x%" PRIx32, csr);
}

/* Branch and jal targets as absolute addresses, as llvm-objdump does. */
static void put_target(struct out *o, uint32_t target,
                       const struct disasm_symbols *syms)
{
    put(o, "0x%" PRIx32, target);
    if (syms == NULL || syms->lookup == NULL)
        return;
    uint32_t off = 0;
    const char *name = syms->lookup(syms->ctx, target, &off);
    if (name == NULL)
        return;
    if (off == 0)
        put(o, " <%s>", name);
    else
        put(o, " <%s+0x%" PRIx32 ">", name, off);
}

/* A fence's predecessor or successor set: letters of "iorw", or 0 when
 * empty (llvm 14 prints "unknown" there; newer llvm and GNU as use 0). */
static void put_fence_set(struct out *o, uint32_t set)
{
    static const char letters[4] = {'w', 'r', 'o', 'i'}; /* bit 0..3 */
    char s[5];
    int k = 0;
    for (int bit = 3; bit >= 0; bit--)
        if (set & (1u << bit))
            s[k++] = letters[bit];
    s[k] = '\0';
    put(o, "%s", k ? s : "0");
}

static void put_fence(struct out *o, uint32_t imm)
{
    uint32_t fm = imm >> 8 & 0xF, pred = imm >> 4 & 0xF, succ = imm & 0xF;
    /* fm = 1000 with rw,rw is fence.tso; other fm values are reserved and
     * run as a plain fence (decode.c), so they print as one. */
    if (fm == 8 && pred == 3 && succ == 3) {
        put(o, "fence.tso");
        return;
    }
    put(o, "fence ");
    put_fence_set(o, pred);
    put(o, ", ");
    put_fence_set(o, succ);
}

int disasm(uint32_t pc, uint32_t word, char *buf, size_t len,
           const struct disasm_symbols *syms)
{
    struct out o = {buf, len, 0};
    struct insn in = decode(word);
    const char *m = op_mnemonic[in.op];
    const char *rd = reg_names[in.rd], *rs1 = reg_names[in.rs1],
               *rs2 = reg_names[in.rs2];

    if (len > 0)
        buf[0] = '\0';
    /* The cast lets -Wswitch flag a format added to decode.h but not here. */
    switch ((enum insn_format)op_format[in.op]) {
    case FMT_NONE:
        if (in.op == OP_ILLEGAL)
            put(&o, ".word 0x%08" PRIx32, word);
        else
            put(&o, "%s", m);
        break;
    case FMT_R: put(&o, "%s %s, %s, %s", m, rd, rs1, rs2); break;
    case FMT_I:
    case FMT_SHIFT: put(&o, "%s %s, %s, %" PRId32, m, rd, rs1, in.imm); break;
    case FMT_I_MEM:
        put(&o, "%s %s, %" PRId32 "(%s)", m, rd, in.imm, rs1);
        break;
    case FMT_S: put(&o, "%s %s, %" PRId32 "(%s)", m, rs2, in.imm, rs1); break;
    case FMT_B:
        put(&o, "%s %s, %s, ", m, rs1, rs2);
        put_target(&o, pc + (uint32_t)in.imm, syms);
        break;
    case FMT_U: /* the 20-bit field, unsigned, as the assembler takes it */
        put(&o, "%s %s, %" PRIu32, m, rd, (uint32_t)in.imm >> 12);
        break;
    case FMT_J:
        put(&o, "%s %s, ", m, rd);
        put_target(&o, pc + (uint32_t)in.imm, syms);
        break;
    case FMT_CSR:
        put(&o, "%s %s, ", m, rd);
        put_csr(&o, (uint32_t)in.imm);
        put(&o, ", %s", rs1);
        break;
    case FMT_CSRI: /* the 5-bit uimm sits in the rs1 field */
        put(&o, "%s %s, ", m, rd);
        put_csr(&o, (uint32_t)in.imm);
        put(&o, ", %u", (unsigned)in.rs1);
        break;
    case FMT_FENCE: put_fence(&o, (uint32_t)in.imm); break;
    }
    return (int)o.n;
}
