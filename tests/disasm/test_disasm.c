/*
 * test_disasm.c: disasm() on hand-picked words with exact expected text,
 * so the module is checked even where llvm-objdump is absent (the
 * word-for-word comparison with llvm is disasm_vs_llvm.c).
 */
#include <setjmp.h> /* cmocka needs these three first */
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "disasm.h"

static void expect_text(uint32_t pc, uint32_t word, const char *want,
                        const struct disasm_symbols *syms)
{
    char buf[DISASM_BUF];
    int n = disasm(pc, word, buf, sizeof buf, syms);
    assert_string_equal(buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void ex(uint32_t word, const char *want)
{
    expect_text(0, word, want, NULL);
}

static void test_integer(void **state)
{
    (void)state;
    ex(0x00100513, "addi a0, zero, 1");
    ex(0x80050513, "addi a0, a0, -2048");
    ex(0x7ff00f93, "addi t6, zero, 2047");
    ex(0xfff5b513, "sltiu a0, a1, -1");
    ex(0x01f51513, "slli a0, a0, 31");
    ex(0x40355513, "srai a0, a0, 3");
    ex(0x12345537, "lui a0, 74565");
    ex(0xfffff537, "lui a0, 1048575");
    ex(0x00001297, "auipc t0, 1");
    ex(0x02c58533, "mul a0, a1, a2");
    ex(0x023dffb3, "remu t6, s11, gp");
    ex(0x02102fb3, "mulhsu t6, zero, ra");
}

static void test_memory(void **state)
{
    (void)state;
    ex(0xffc12503, "lw a0, -4(sp)");
    ex(0x7ea12fa3, "sw a0, 2047(sp)");
    ex(0x000280e7, "jalr ra, 0(t0)");
    ex(0xffc50067, "jalr zero, -4(a0)");
}

static void test_system(void **state)
{
    (void)state;
    ex(0x00000073, "ecall");
    ex(0x00100073, "ebreak");
    ex(INSN_RTI, "rti");
    ex(INSN_WFI, "wfi");
    ex(0x0ff0000f, "fence iorw, iorw");
    ex(0x0210000f, "fence r, w");
    ex(0x0000000f, "fence 0, 0");
    ex(0x8330000f, "fence.tso");
    ex(0x0000100f, "fence.i");
    ex(0xc0002573, "csrrs a0, cycle, zero");
    ex(0xc8202573, "csrrs a0, instreth, zero");
    ex(0x7c051073, "csrrw zero, status, a0");
    ex(0x7c1fd073, "csrrwi zero, ttr, 31");
    ex(0x7c4070f3, "csrrci ra, ubound, 0");
    ex(0x12302573, "csrrs a0, 0x123, zero");
    ex(0xfff02573, "csrrs a0, 0xfff, zero");
}

static void test_illegal(void **state)
{
    (void)state;
    ex(0xffffffff, ".word 0xffffffff");
    ex(0x00000000, ".word 0x00000000");
    ex(0x02051513, ".word 0x02051513"); /* slli by 32: RV64 only */
    ex(0x10200073, ".word 0x10200073"); /* sret: not our machine */
    ex(0x00004073, ".word 0x00004073"); /* csr funct3 4 */
}

/* Two symbols: main at 0x1000 and helper at 0x1100. */
static const char *lookup(void *ctx, uint32_t addr, uint32_t *off)
{
    int *calls = ctx;
    ++*calls;
    if (addr >= 0x1100 && addr < 0x1200) {
        *off = addr - 0x1100;
        return "helper";
    }
    if (addr >= 0x1000 && addr < 0x1100) {
        *off = addr - 0x1000;
        return "main";
    }
    return NULL;
}

static void test_targets(void **state)
{
    (void)state;
    int calls = 0;
    struct disasm_symbols syms = {&calls, lookup};
    /* jal ra, -20 at 0x1014: back to main's first instruction. */
    expect_text(0x1014, 0xfedff0ef, "jal ra, 0x1000 <main>", &syms);
    expect_text(0x1018, 0xfedff0ef, "jal ra, 0x1004 <main+0x4>", &syms);
    /* bne a0, a1, +0x68 to helper+0x8 */
    expect_text(0x10a0, 0x06b51463, "bne a0, a1, 0x1108 <helper+0x8>", &syms);
    /* Outside every symbol: the address alone. */
    expect_text(0x2000, 0xfedff0ef, "jal ra, 0x1fec", &syms);
    expect_text(0x2000, 0xfedff0ef, "jal ra, 0x1fec", NULL);
    /* Wraps below 0 as the 32-bit pc does. */
    expect_text(0, 0xfeb502e3, "beq a0, a1, 0xffffffe4", NULL);
    /* Only targets are looked up, not other operands. */
    expect_text(0x1000, 0x00100513, "addi a0, zero, 1", &syms);
    assert_int_equal(calls, 4);
    /* A lookup function pointer of NULL is ignored. */
    struct disasm_symbols none = {NULL, NULL};
    expect_text(0x1014, 0xfedff0ef, "jal ra, 0x1000", &none);
}

static void test_truncation(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'X', sizeof buf);
    assert_int_equal(disasm(0, 0x00100513, buf, sizeof buf, NULL), 16);
    assert_string_equal(buf, "addi a0");
    assert_int_equal(disasm(0, 0x00100513, NULL, 0, NULL), 16);
    buf[0] = 'X';
    assert_int_equal(disasm(0, 0x00100513, buf, 1, NULL), 16);
    assert_int_equal(buf[0], '\0');
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(disasm_reg_name(0), "zero");
    assert_string_equal(disasm_reg_name(8), "s0");
    assert_string_equal(disasm_reg_name(31), "t6");
    assert_null(disasm_reg_name(32));
    assert_int_equal(disasm_reg_number("x0"), 0);
    assert_int_equal(disasm_reg_number("x31"), 31);
    assert_int_equal(disasm_reg_number("fp"), 8);
    assert_int_equal(disasm_reg_number("s0"), 8);
    assert_int_equal(disasm_reg_number("A0"), 10);
    assert_int_equal(disasm_reg_number("s11"), 27);
    static const char *const bad[] = {"x32", "x01", "x",   "x0x1",  "x-1", "",
                                      "pc",  "a8",  "s12", "zero ", "x 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(disasm_reg_number(bad[i]), -1);
    assert_int_equal(disasm_reg_number(NULL), -1);
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(disasm_reg_number(disasm_reg_name(i)), (int)i);

    assert_string_equal(disasm_csr_name(CSR_STATUS), "status");
    assert_string_equal(disasm_csr_name(CSR_CYCLEH), "cycleh");
    assert_null(disasm_csr_name(0x123));
    assert_int_equal(disasm_csr_number("ubound"), CSR_UBOUND);
    assert_int_equal(disasm_csr_number("KSP"), CSR_KSP);
    assert_int_equal(disasm_csr_number("0x7c1"), CSR_TTR);
    assert_int_equal(disasm_csr_number("1984"), CSR_STATUS);
    assert_int_equal(disasm_csr_number("0xFFF"), 0xFFF);
    static const char *const badcsr[] = {"0x1000", "4096",    "-1", "0x",
                                         "0x0x5",  "mstatus", " 1", ""};
    for (size_t i = 0; i < sizeof badcsr / sizeof badcsr[0]; i++)
        assert_int_equal(disasm_csr_number(badcsr[i]), -1);
    /* Every name printed can be typed back. */
    for (uint32_t csr = 0; csr < 0x1000; csr++)
        if (disasm_csr_name(csr))
            assert_int_equal(disasm_csr_number(disasm_csr_name(csr)), (int)csr);
}

/* Each op's text starts with its OP_LIST mnemonic: the names are not kept
 * twice. One word per op, built from decode's own view of it. */
static void test_every_op_named(void **state)
{
    (void)state;
    static const uint32_t words[] = {
        0x12345537, 0x00001297, 0xfedff0ef, 0x000280e7, 0xfeb502e3, 0x06b51463,
        0x00b54463, 0x00b55463, 0x00b56463, 0x00b57463, 0xffc10503, 0xffc11503,
        0xffc12503, 0xffc14503, 0xffc15503, 0x00a10023, 0x00a11023, 0x00a12023,
        0x00100513, 0x00152513, 0x00153513, 0x00154513, 0x00156513, 0x00157513,
        0x00151513, 0x00155513, 0x40155513, 0x00c58533, 0x40c58533, 0x00c59533,
        0x00c5a533, 0x00c5b533, 0x00c5c533, 0x00c5d533, 0x40c5d533, 0x00c5e533,
        0x00c5f533, 0x02c58533, 0x02c59533, 0x02c5a533, 0x02c5b533, 0x02c5c533,
        0x02c5d533, 0x02c5e533, 0x02c5f533, 0x0ff0000f, 0x0000100f, 0x00000073,
        0x00100073, 0xc0001573, 0xc0002573, 0xc0003573, 0xc0005573, 0xc0006573,
        0xc0007573, INSN_RTI,   INSN_WFI,   0xffffffff,
    };
    int seen[NOPS] = {0};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        struct insn in = decode(words[i]);
        char buf[DISASM_BUF];
        disasm(0, words[i], buf, sizeof buf, NULL);
        const char *m = in.op == OP_ILLEGAL ? ".word" : op_mnemonic[in.op];
        size_t n = strlen(m);
        assert_memory_equal(buf, m, n);
        assert_true(buf[n] == ' ' || buf[n] == '\0');
        seen[in.op] = 1;
    }
    for (int op = 0; op < NOPS; op++)
        if (!seen[op])
            fail_msg("no word for op %s", op_mnemonic[op]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer), cmocka_unit_test(test_memory),
        cmocka_unit_test(test_system),  cmocka_unit_test(test_illegal),
        cmocka_unit_test(test_targets), cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_names),   cmocka_unit_test(test_every_op_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
