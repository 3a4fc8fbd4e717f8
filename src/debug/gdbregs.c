/*
 * gdbregs.c: the machine as gdb sees its registers: the target
 * description gdb reads with qXfer:features:read, and the register file
 * behind g, G, p and P.
 *
 * Numbers: 0-31 x0-x31 and 32 pc (gdb's org.gnu.gdb.riscv.cpu feature,
 * which makes gdb treat the target as RV32), then lde's own feature,
 * org.lde.machine: 33 mode (user or kernel, the one register gdb cannot
 * know of) and from 34 the CSRs of lde/machine.h's LDE_CSRS list, in its
 * order. All are 32 bits, little-endian.
 */
#include <stdio.h>
#include <string.h>

#include "disasm.h"
#include "gdbint.h"

#define REG_PC 32
#define REG_MODE 33
#define REG_CSR0 34

static const uint32_t csr_numbers[] = {
#define CSR_NUMBER(num, name, access) num,
    LDE_CSRS(CSR_NUMBER)
#undef CSR_NUMBER
};
static const char *const csr_names[] = {
#define CSR_NAME(num, name, access) #name,
    LDE_CSRS(CSR_NAME)
#undef CSR_NAME
};
#define NCSRS (sizeof csr_numbers / sizeof csr_numbers[0])

unsigned gdb_nregs(void)
{
    return REG_CSR0 + NCSRS;
}

unsigned gdb_reg_size(unsigned n)
{
    return n < gdb_nregs() ? 4 : 0;
}

/* gdb's types: the pointers gdb follows, and integers. */
static const char *xreg_type(unsigned n)
{
    if (n == 1)
        return "code_ptr";
    if (n >= 2 && n <= 4)
        return "data_ptr";
    return "int";
}

const char *gdb_target_xml(size_t *len)
{
    static char xml[8192];
    static size_t n;
    if (n != 0) {
        *len = n;
        return xml;
    }
#define ADD(...) n += (size_t)snprintf(xml + n, sizeof xml - n, __VA_ARGS__)
    ADD("<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n"
        "<architecture>riscv:rv32</architecture>\n"
        /* Bare metal: with GNU/Linux's ABI gdb steps by putting a
         * breakpoint after the instruction, and a step into a trap
         * would come back after it instead of stopping in the handler. */
        "<osabi>none</osabi>\n"
        "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (unsigned r = 0; r < 32; r++)
        ADD("<reg name=\"%s\" bitsize=\"32\" type=\"%s\" regnum=\"%u\"/>\n",
            disasm_reg_name(r), xreg_type(r), r);
    ADD("<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"%u\"/>\n"
        "</feature>\n",
        (unsigned)REG_PC);
    /* The mode and STATUS decoded the way docs/isa.md §4 defines them. */
    ADD("<feature name=\"org.lde.machine\">\n"
        "<enum id=\"lde_mode\" size=\"4\">\n"
        "<evalue name=\"user\" value=\"%d\"/>\n"
        "<evalue name=\"kernel\" value=\"%d\"/>\n"
        "</enum>\n"
        "<flags id=\"lde_status\" size=\"4\">\n"
        "<field name=\"MODE\" start=\"0\" end=\"0\"/>\n"
        "<field name=\"IE\" start=\"1\" end=\"1\"/>\n"
        "<field name=\"DZ\" start=\"2\" end=\"2\"/>\n"
        "</flags>\n"
        "<reg name=\"mode\" bitsize=\"32\" type=\"lde_mode\" regnum=\"%u\" "
        "group=\"general\"/>\n",
        MODE_USER, MODE_KERNEL, (unsigned)REG_MODE);
    for (unsigned i = 0; i < NCSRS; i++)
        ADD("<reg name=\"%s\" bitsize=\"32\" type=\"%s\" regnum=\"%u\" "
            "group=\"system\"/>\n",
            csr_names[i],
            csr_numbers[i] == CSR_STATUS ? "lde_status" : "uint32",
            REG_CSR0 + i);
    ADD("</feature>\n</target>\n");
#undef ADD
    *len = n;
    return xml;
}

uint64_t gdb_reg_get(const struct dbg *d, unsigned n)
{
    const struct cpu *cpu = d->s.cpu;
    uint32_t v = 0;
    if (n < 32)
        return cpu_reg(cpu, n);
    if (n == REG_PC)
        return cpu->pc;
    if (n == REG_MODE)
        return cpu->mode;
    if (n - REG_CSR0 < NCSRS)
        cpu_csr_peek(cpu, csr_numbers[n - REG_CSR0], &v);
    return v;
}

int gdb_reg_set(struct dbg *d, unsigned n, uint64_t v)
{
    struct cpu *cpu = d->s.cpu;
    if (v > UINT32_MAX)
        return -1;
    if (n == 0)
        return v == 0 ? 0 : -1; /* x0 is 0: writing 0 is no change */
    if (n < 32) {
        cpu_set_reg(cpu, n, (uint32_t)v);
        return 0;
    }
    if (n == REG_PC)
        return cpu_set_pc(cpu, (uint32_t)v);
    if (n == REG_MODE)
        return v == cpu->mode ? 0 : -1; /* changes by trap and rti only */
    if (n - REG_CSR0 >= NCSRS)
        return -1;
    uint32_t old;
    cpu_csr_peek(cpu, csr_numbers[n - REG_CSR0], &old);
    if (old == v)
        return 0; /* G writes every register back: the counters too */
    return cpu_csr_poke(cpu, csr_numbers[n - REG_CSR0], (uint32_t)v);
}
