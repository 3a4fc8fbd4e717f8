/*
 * known_diff.c: llvm-objdump 14's text rewritten into ours, by the tables
 * below and one rule per entry of enum kd (known_diff.h has the list).
 */
#include "known_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "disasm.h"

const char *const kd_name[NKD] = {
    [KD_NONE] = "none",
    [KD_RTI] = "mret/rti",
    [KD_ILLEGAL] = "<unknown>/.word",
    [KD_LLVM_ONLY] = "llvm-only instruction/.word",
    [KD_FENCE_RESERVED] = "fence reserved fields",
    [KD_FENCE_EMPTY] = "fence unknown/0",
    [KD_CSR_OURS] = "custom CSR number/name",
    [KD_CSR_HEX] = "CSR decimal/hex",
    [KD_OUTSIDE] = "symbol of an outside target",
};

/* Our privileged CSRs (lde/machine.h, 0x7C0..0x7C4) are in the custom
 * range, so llvm has no names for them and prints the number in decimal. */
static const struct {
    const char *llvm, *ours;
} llvm_csr_numbers[] = {
    {"1984", "status"}, {"1985", "ttr"},    {"1986", "ksp"},
    {"1987", "ubase"},  {"1988", "ubound"},
};
#define NCSR_TABLE (sizeof llvm_csr_numbers / sizeof llvm_csr_numbers[0])

/* Mnemonics llvm 14 decodes for words that are not instructions of our
 * machine (decode() gives OP_ILLEGAL). */
static const char *const llvm_only[] = {
    "uret",       /* N extension */
    "sret",       /* supervisor mode */
    "dret",       /* debug mode */
    "sfence.vma", /* supervisor paging */
};
#define NLLVM_ONLY (sizeof llvm_only / sizeof llvm_only[0])

int known_diff_check(void)
{
    int bad = 0;
    for (size_t i = 0; i < NCSR_TABLE; i++) {
        const char *name =
            disasm_csr_name((uint32_t)atoi(llvm_csr_numbers[i].llvm));
        if (!name || strcmp(name, llvm_csr_numbers[i].ours) != 0) {
            fprintf(stderr,
                    "known_diff: CSR %s is \"%s\" here, \"%s\" in "
                    "disasm\n",
                    llvm_csr_numbers[i].llvm, llvm_csr_numbers[i].ours,
                    name ? name : "(none)");
            bad = -1;
        }
    }
    return bad;
}

/* The first word of s (up to a blank) is m. */
static bool mnemonic_is(const char *s, const char *m)
{
    size_t n = strlen(m);
    return strncmp(s, m, n) == 0 && (s[n] == ' ' || s[n] == '\0');
}

/* A word llvm decodes that is no instruction of ours (llvm_only[], or a
 * shift by 32..63: llvm 14 takes RV64's 6-bit amounts on RV32). */
static bool llvm_only_insn(uint32_t word, const char *llvm)
{
    for (size_t i = 0; i < NLLVM_ONLY; i++)
        if (mnemonic_is(llvm, llvm_only[i]))
            return true;
    uint32_t f3 = word >> 12 & 7;
    bool shift = (word & 0x7F) == 0x13 && (f3 == 1 || f3 == 5);
    return shift && (word >> 25 & 1) &&
           (mnemonic_is(llvm, "slli") || mnemonic_is(llvm, "srli") ||
            mnemonic_is(llvm, "srai"));
}

/* Reserved fields: rd and rs1 of both, fm of fence other than fence.tso,
 * the whole immediate of fence.i. */
static bool fence_reserved(const struct insn *in, uint32_t word)
{
    uint32_t regs = word & 0x000F8F80u;
    if (in->op == OP_FENCE_I)
        return regs || (word >> 20) != 0;
    uint32_t fm = word >> 28;
    return regs || (fm != 0 && (word >> 20) != 0x833);
}

/* "iorw" letters of a fence set, "0" for none (as disasm.h says). */
static void fence_set(char *s, uint32_t set)
{
    const char *letters = "iorw";
    for (int bit = 3; bit >= 0; bit--)
        if (set >> bit & 1)
            *s++ = letters[3 - bit];
    if (set == 0)
        *s++ = '0';
    *s = '\0';
}

/* The fence a word with reserved fields runs as, written from its bits. */
static void fence_text(const struct insn *in, uint32_t word, char *want,
                       size_t len)
{
    char pred[5], succ[5];
    if (in->op == OP_FENCE_I) {
        snprintf(want, len, "fence.i");
        return;
    }
    fence_set(pred, word >> 24 & 0xF);
    fence_set(succ, word >> 20 & 0xF);
    snprintf(want, len, "fence %s, %s", pred, succ);
}

/* llvm 14 writes an empty fence set as "unknown": make it "0". */
static enum kd fence_empty(const char *llvm, char *want, size_t len)
{
    size_t n = 0;
    enum kd rule = KD_NONE;
    while (*llvm && n + 1 < len) {
        if (strncmp(llvm, "unknown", 7) == 0) {
            want[n++] = '0';
            llvm += 7;
            rule = KD_FENCE_EMPTY;
        } else {
            want[n++] = *llvm++;
        }
    }
    want[n] = '\0';
    return rule;
}

/* "csrrw rd, CSR, rs1" with CSR in decimal: the table's name or hex. */
static enum kd csr_number(const struct insn *in, const char *llvm, char *want,
                          size_t len)
{
    const char *a = strstr(llvm, ", ");
    const char *b = a ? strstr(a + 2, ", ") : NULL;
    char num[16];
    size_t n = a && b ? (size_t)(b - (a + 2)) : 0;
    if (n == 0 || n >= sizeof num)
        return KD_NONE;
    memcpy(num, a + 2, n);
    num[n] = '\0';
    if (strspn(num, "0123456789") != n || atol(num) != in->imm)
        return KD_NONE;

    char repl[16];
    enum kd rule = KD_CSR_HEX;
    snprintf(repl, sizeof repl, "0x%x", (unsigned)in->imm);
    for (size_t i = 0; i < NCSR_TABLE; i++)
        if (strcmp(num, llvm_csr_numbers[i].llvm) == 0) {
            snprintf(repl, sizeof repl, "%s", llvm_csr_numbers[i].ours);
            rule = KD_CSR_OURS;
        }
    snprintf(want, len, "%.*s%s%s", (int)(a + 2 - llvm), llvm, repl, b);
    return rule;
}

/* Drop a trailing " <symbol...>". */
static enum kd drop_symbol(const char *llvm, char *want, size_t len)
{
    const char *sym = strstr(llvm, " <");
    size_t m = strlen(llvm);
    if (!sym || llvm[m - 1] != '>')
        return KD_NONE;
    snprintf(want, len, "%.*s", (int)(sym - llvm), llvm);
    return KD_OUTSIDE;
}

enum kd known_diff(uint32_t word, bool target_outside, const char *llvm,
                   char *want, size_t len)
{
    struct insn in = decode(word);
    bool unknown = strcmp(llvm, "<unknown>") == 0;
    enum kd rule = KD_NONE;

    if (in.op == OP_ILLEGAL && (unknown || llvm_only_insn(word, llvm))) {
        snprintf(want, len, ".word 0x%08x", (unsigned)word);
        return unknown ? KD_ILLEGAL : KD_LLVM_ONLY;
    }
    if (in.op == OP_RTI && strcmp(llvm, "mret") == 0) {
        snprintf(want, len, "rti");
        return KD_RTI;
    }
    if ((in.op == OP_FENCE || in.op == OP_FENCE_I) && unknown &&
        fence_reserved(&in, word)) {
        fence_text(&in, word, want, len);
        return KD_FENCE_RESERVED;
    }
    if (in.op == OP_FENCE)
        rule = fence_empty(llvm, want, len);
    else if (op_format[in.op] == FMT_CSR || op_format[in.op] == FMT_CSRI)
        rule = csr_number(&in, llvm, want, len);
    else if ((op_format[in.op] == FMT_B || op_format[in.op] == FMT_J) &&
             target_outside)
        rule = drop_symbol(llvm, want, len);
    if (rule == KD_NONE)
        snprintf(want, len, "%s", llvm);
    return rule;
}
