/*
 * fault: misbehaves on purpose, in the way argv[1] names, to show that the
 * kernel regains control (OSTEP 6.2: the hardware traps, the OS kills the
 * process) and that the machine keeps running the others.
 *
 * Every misbehaviour is one instruction written in inline asm, so that the
 * compiler can neither remove it nor replace it with a trap of its own.
 * Under lde none of them returns: the process is killed with the trap's
 * vector (listed below, docs/isa.md §6). If it did return, the program says
 * "survived" and exits 0, which a test treats as a failure of the machine.
 * Without an argument (or with an unknown one) it prints the kinds and
 * exits 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lde.h"

/* Operands pass through registers chosen at run time, so nothing is
 * known to the compiler about the address or value used. */
static void load_from(uintptr_t addr)
{
    uint32_t v;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
}

static void store_to(uintptr_t addr)
{
    __asm__ volatile("sw zero, 0(%0)" : : "r"(addr) : "memory");
}

static void jump_to(uintptr_t addr)
{
    __asm__ volatile("jalr ra, 0(%0)" : : "r"(addr) : "ra", "memory");
}

/* Privileged CSRs (docs/isa.md §4): touching any from user mode traps. */
#define CSR_WRITE(csr) __asm__ volatile("csrw %0, zero" : : "i"(csr))

static void csr_status(void)
{
    CSR_WRITE(CSR_STATUS);
}
static void csr_ttr(void)
{
    CSR_WRITE(CSR_TTR);
}
static void csr_ksp(void)
{
    CSR_WRITE(CSR_KSP);
}
static void csr_ubase(void)
{
    CSR_WRITE(CSR_UBASE);
}
static void csr_ubound(void)
{
    CSR_WRITE(CSR_UBOUND);
}

static void csr_read(void)
{
    uint32_t v;
    __asm__ volatile("csrr %0, %1" : "=r"(v) : "i"(CSR_STATUS));
}

static void rti(void)
{
    __asm__ volatile(".word %0" : : "i"(INSN_RTI));
}
static void wfi(void)
{
    __asm__ volatile(".word %0" : : "i"(INSN_WFI));
}
static void device(void)
{
    load_from(DEV_BASE);
}
static void null(void)
{
    load_from(0);
}
static void bound(void)
{
    load_from(LDE_USER_SIZE);
}
static void store_bound(void)
{
    store_to(LDE_USER_SIZE);
}
static void illegal(void)
{
    __asm__ volatile(".word 0");
}

/* A 4-byte-aligned buffer, so that +1 is certainly misaligned. */
static uint32_t words[2];
static void misaligned(void)
{
    load_from((uintptr_t)words + 1);
}
static void misaligned_store(void)
{
    store_to((uintptr_t)words + 1);
}

/* Without the C extension every instruction address is a multiple of 4;
 * a jump to 2 past a label is a misaligned fetch. (Under qemu, whose CPU
 * has C, the halfword there is 0x0000: illegal, so it does not survive
 * either.) */
static void misaligned_jump(void)
{
    __asm__ volatile("la t0, 1f\n\t"
                     "addi t0, t0, 2\n\t"
                     "jalr ra, 0(t0)\n"
                     "1:\n\t"
                     "nop\n\t"
                     "nop"
                     :
                     :
                     : "t0", "ra", "memory");
}

/* RISC-V division by zero gives a result, not a trap. This program asks
 * the kernel to set STATUS.DZ for itself (lde_divzero), so under lde the
 * division traps (vector 5): a process that "traps into the OS" by
 * dividing by zero (OSTEP 6.2). `lde run --trap-divzero` does it for
 * every process. */
static void divzero(void)
{
    lde_divzero(1);
    uint32_t q, zero = 0;
    __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(42), "r"(zero));
}

/* A user address is always translated (UBASE + va, checked against
 * UBOUND), so a user program cannot even name the kernel's physical
 * memory; its own va 0x10000 is its own text. What it can do is jump
 * outside its window, where a kernel would sit on another OS: fetch
 * fault (vector 2) at 0x80000000. */
static void kernel_jump(void)
{
    jump_to(0x80000000u);
}

static void ebreak(void)
{
    __asm__ volatile("ebreak");
}

static const struct kind {
    const char *name;
    void (*fn)(void);
    const char *what; /* expected trap under lde */
} kinds[] = {
    {"csr_status", csr_status, "privileged (1): csrw STATUS"},
    {"csr_ttr", csr_ttr, "privileged (1): csrw TTR"},
    {"csr_ksp", csr_ksp, "privileged (1): csrw KSP"},
    {"csr_ubase", csr_ubase, "privileged (1): csrw UBASE"},
    {"csr_ubound", csr_ubound, "privileged (1): csrw UBOUND"},
    {"csr_read", csr_read, "privileged (1): csrr STATUS"},
    {"rti", rti, "privileged (1): rti"},
    {"wfi", wfi, "privileged (1): wfi"},
    {"device", device, "memory fault (2): load from 0xF0000000"},
    {"null", null, "memory fault (2): load from 0"},
    {"bound", bound, "memory fault (2): load from LDE_USER_SIZE"},
    {"store_bound", store_bound, "memory fault (2): store to LDE_USER_SIZE"},
    {"kernel_jump", kernel_jump, "memory fault (2): fetch from 0x80000000"},
    {"illegal", illegal, "illegal instruction (0): .word 0"},
    {"misaligned", misaligned, "misaligned (3): lw from an odd address"},
    {"misaligned_store", misaligned_store,
     "misaligned (3): sw to an odd address"},
    {"misaligned_jump", misaligned_jump,
     "misaligned (3): jump to an address 2 mod 4"},
    {"divzero", divzero, "divide by zero (5): div by 0 with STATUS.DZ"},
    {"ebreak", ebreak, "breakpoint (4): ebreak"},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static int usage(void)
{
    printf("usage: fault KIND, where KIND is one of:\n");
    for (unsigned i = 0; i < NKINDS; i++)
        printf("  %-17s %s\n", kinds[i].name, kinds[i].what);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    for (unsigned i = 0; i < NKINDS; i++) {
        if (strcmp(argv[1], kinds[i].name) == 0) {
            printf("fault: %s\n", kinds[i].name);
            kinds[i].fn();
            printf("survived\n");
            return 0;
        }
    }
    printf("fault: unknown kind '%s'\n", argv[1]);
    return usage();
}
