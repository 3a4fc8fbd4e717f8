/*
 * test_cost.c: cost_parse, the text format that replaces the cycle table
 * ("name N" or "name=N" per line, '#' comments, blank lines; any error
 * returns -1, names the line, and leaves the table unchanged).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"

static void defaults(uint32_t c[NCOST])
{
    memcpy(c, cost_defaults, sizeof(uint32_t) * NCOST);
}

static void test_class_names(void **state)
{
    (void)state;
    static const char *const want[NCOST] = {
        [COST_ALU] = "alu",
        [COST_LOAD] = "load",
        [COST_STORE] = "store",
        [COST_BRANCH] = "branch",
        [COST_BRANCH_TAKEN] = "branch_taken",
        [COST_JUMP] = "jump",
        [COST_MUL] = "mul",
        [COST_DIV] = "div",
        [COST_CSR] = "csr",
        [COST_FENCE] = "fence",
        [COST_TRAP] = "trap",
        [COST_RTI] = "rti",
        [COST_WFI] = "wfi",
    };
    for (int i = 0; i < NCOST; i++)
        assert_string_equal(cost_class_names[i], want[i]);
}

static void test_parse_example(void **state)
{
    (void)state;
    uint32_t c[NCOST], d[NCOST];
    char err[128] = "";
    defaults(c);
    defaults(d);
    assert_int_equal(cost_parse("alu 3\n# c\nmul=5\n", c, err, sizeof err), 0);
    d[COST_ALU] = 3;
    d[COST_MUL] = 5;
    assert_memory_equal(c, d, sizeof c);
}

static void test_parse_forms(void **state)
{
    (void)state;
    uint32_t c[NCOST], d[NCOST];
    char err[128] = "";
    defaults(c);
    defaults(d);
    const char *text = "\n"
                       "   \n"
                       "# a whole-line comment\n"
                       "  div   40   # slow divider\n"
                       "\tload\t3\n"
                       "branch_taken=4\n"
                       "trap 0\n"
                       "rti 1000000\n"
                       "wfi 7"; /* no final newline */
    assert_int_equal(cost_parse(text, c, err, sizeof err), 0);
    d[COST_DIV] = 40;
    d[COST_LOAD] = 3;
    d[COST_BRANCH_TAKEN] = 4;
    d[COST_TRAP] = 0;
    d[COST_RTI] = 1000000;
    d[COST_WFI] = 7;
    assert_memory_equal(c, d, sizeof c);
}

static void test_parse_every_class(void **state)
{
    (void)state;
    uint32_t c[NCOST];
    char err[128], text[1024] = "";
    defaults(c);
    for (int i = 0; i < NCOST; i++) {
        char line[64];
        snprintf(line, sizeof line, "%s %d\n", cost_class_names[i], 100 + i);
        strcat(text, line);
    }
    assert_int_equal(cost_parse(text, c, err, sizeof err), 0);
    for (int i = 0; i < NCOST; i++)
        assert_int_equal(c[i], 100 + i);
}

/* Every instruction takes a cycle: 0 is refused for every class but the
 * fixed parts of trap entry and rti, by the parser and by the machine. */
static void test_instructions_cost_a_cycle(void **state)
{
    (void)state;
    for (int i = 0; i < NCOST; i++) {
        uint32_t c[NCOST], d[NCOST];
        char err[160] = "", line[64];
        defaults(c);
        defaults(d);
        snprintf(line, sizeof line, "%s 0\n", cost_class_names[i]);
        int free_ok = i == COST_TRAP || i == COST_RTI;
        assert_int_equal(cost_min(i), free_ok ? 0 : 1);
        assert_int_equal(cost_parse(line, c, err, sizeof err),
                         free_ok ? 0 : -1);
        if (!free_ok) {
            assert_non_null(strstr(err, "line 1:"));
            assert_non_null(strstr(err, cost_class_names[i]));
            assert_non_null(strstr(err, "from 1 to"));
            assert_memory_equal(c, d, sizeof c); /* unchanged */
        }

        /* The machine refuses such a table and keeps its own. */
        struct cpu *cpu = cpu_create(1u << 16);
        assert_non_null(cpu);
        d[i] = 0;
        assert_int_equal(cpu_set_costs(cpu, d), free_ok ? 0 : -1);
        if (!free_ok)
            assert_memory_equal(cpu->costs, cost_defaults, sizeof cpu->costs);
        cpu_destroy(cpu);
    }
}

static void test_parse_empty(void **state)
{
    (void)state;
    uint32_t c[NCOST];
    char err[64];
    defaults(c);
    assert_int_equal(cost_parse("", c, err, sizeof err), 0);
    assert_int_equal(cost_parse("# nothing\n\n", c, err, sizeof err), 0);
    assert_memory_equal(c, cost_defaults, sizeof c);
}

/* Each bad text: -1, an error naming the line, the table unchanged (even
 * the lines before the bad one are not applied). */
static void expect_error(const char *text, int line)
{
    uint32_t c[NCOST];
    char err[256] = "";
    char want[32];
    defaults(c);
    int r = cost_parse(text, c, err, sizeof err);
    if (r != -1)
        print_error("accepted: \"%s\"\n", text);
    assert_int_equal(r, -1);
    assert_memory_equal(c, cost_defaults, sizeof c);
    snprintf(want, sizeof want, "line %d", line);
    if (!strstr(err, want))
        print_error("\"%s\": error \"%s\" does not name %s\n", text, err, want);
    assert_non_null(strstr(err, want));
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("foo 2\n", 1);
    expect_error("alu 3\nfoo 2\n", 2);
    expect_error("alu 3\n\n# x\nALU 2\n", 4);
    expect_error("alu x\n", 1);
    expect_error("alu -1\n", 1);
    expect_error("alu 1000001\n", 1);
    expect_error("alu 99999999999999999999999\n", 1);
    expect_error("alu\n", 1);
    expect_error("alu 3x\n", 1);
    expect_error("alu 3 4\n", 1);
    expect_error("alu 0x10\n", 1);
    expect_error("mul 2\nalu 1.5\n", 2);
    expect_error("=5\n", 1);
    expect_error("branch_taken_ 3\n", 1);
}

/* A tiny error buffer is never overrun (ASan checks) and ends in NUL. */
static void test_small_error_buffer(void **state)
{
    (void)state;
    uint32_t c[NCOST];
    char err[8];
    defaults(c);
    memset(err, 'x', sizeof err);
    assert_int_equal(
        cost_parse("a_very_long_unknown_class_name 1\n", c, err, sizeof err),
        -1);
    assert_non_null(memchr(err, '\0', sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class_names),
        cmocka_unit_test(test_parse_example),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_every_class),
        cmocka_unit_test(test_instructions_cost_a_cycle),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_small_error_buffer),
    };
    return cmocka_run_group_tests_name("cost", tests, NULL, NULL);
}
