/*
 * csr.c: the csr instructions (docs/isa.md §4). The counters are readable in
 * any mode; the LDE registers (STATUS, TTR, KSP, UBASE, UBOUND) belong to
 * the kernel, and touching them from user mode is the privileged trap.
 */
#include "cpu_internal.h"

/* Access rules from the one list of CSRs (LDE_CSRS in lde/machine.h). */
static bool csr_has_access(uint32_t csr, int access)
{
    switch (csr) {
#define CSR_ACCESS(number, name, acc)                                          \
    case number: return acc == access;
        LDE_CSRS(CSR_ACCESS)
#undef CSR_ACCESS
    }
    return false;
}

static bool csr_is_privileged(uint32_t csr)
{
    return csr_has_access(csr, CSR_KERNEL_RW);
}

static bool csr_is_counter(uint32_t csr)
{
    return csr_has_access(csr, CSR_ANY_READ);
}

/* op is funct3's low two bits: 1 write, 2 set bits, 3 clear bits. */
int csr_access(struct cpu *cpu, uint32_t csr, uint32_t op, uint32_t operand,
               bool writes, uint32_t *old)
{
    if (csr_is_privileged(csr) && cpu->mode != MODE_KERNEL)
        return VEC_PRIVILEGED;
    if (csr_is_counter(csr) && writes)
        return VEC_ILLEGAL; /* read-only counters */
    if (cpu_csr_peek(cpu, csr, old) != 0)
        return VEC_ILLEGAL; /* no such CSR */
    if (!writes)
        return TRAP_NONE;

    uint32_t v = op == 1 ? operand : op == 2 ? *old | operand : *old & ~operand;
    switch (csr) {
    case CSR_STATUS:
        /* MODE changes only by trap entry and rti. */
        cpu->status = (cpu->status & STATUS_MODE) | (v & STATUS_WRITABLE);
        cpu_recheck(cpu); /* IE may have just unmasked an interrupt */
        break;
    case CSR_TTR: cpu->ttr = v; break;
    case CSR_KSP: cpu->ksp = v; break;
    case CSR_UBASE:
        cpu->ubase = v;
        mem_update_window(cpu);
        break;
    case CSR_UBOUND:
        cpu->ubound = v;
        mem_update_window(cpu);
        break;
    }
    return TRAP_NONE;
}
