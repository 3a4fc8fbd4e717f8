/*
 * main.c: boot (OSTEP Figure 6.2 and 6.3, "OS @ boot (kernel mode)"):
 * check the boot-info block, parse the kernel command line, set up the
 * devices, install the trap table, take the file table, create one
 * process per boot program, start the timer, and enter the scheduler,
 * which starts the first process with a return-from-trap.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

extern char __kernel_end[]; /* kernel.ld: first byte after the image */

static uint32_t ramsize;

uint32_t ram_size(void)
{
    return ramsize;
}

/* The kernel command line's settings. */
struct bootargs {
    uint32_t quantum; /* quantum=N: cycles per time slice */
    int preempt;      /* preempt=0|1: timer preemption on or off */
};

/* divzero=trap: user processes start with STATUS.DZ set, so an integer
 * division by zero traps into the kernel (vector 5) and kills the process
 * (OSTEP 6.2's example of a process that "traps into the OS"). The default,
 * divzero=result, gives RISC-V's results, as on hardware and under
 * qemu-riscv32. A process may change it for itself (lde_divzero). */
int divzero_traps;

/* One key=value token. A bad value panics: the machine was asked for
 * something the kernel cannot give, and running anyway would mislead.
 * An unknown key is only a warning. */
static void parse_option(const char *tok, uint32_t len, struct bootargs *args)
{
    uint32_t klen = 0;
    while (klen < len && tok[klen] != '=')
        klen++;
    const char *val = tok + klen + 1;
    uint32_t vlen = klen < len ? len - klen - 1 : 0;
    int has_value = klen < len;

    if (parse_is(tok, klen, "quantum")) {
        uint64_t q;
        if (!has_value || parse_uint(val, vlen, UINT32_MAX, &q) < 0 ||
            q < MIN_QUANTUM)
            panic("bad kernel command line: '%.*s': quantum must be a "
                  "number of cycles from %u to 4294967295",
                  (int)len, tok, MIN_QUANTUM);
        args->quantum = (uint32_t)q;
    } else if (parse_is(tok, klen, "sched") || parse_is(tok, klen, "tickets") ||
               parse_is(tok, klen, "arrive")) {
        sched_option(tok, klen, val, vlen); /* sched.c */
    } else if (parse_is(tok, klen, "preempt")) {
        if (!has_value || vlen != 1 || (val[0] != '0' && val[0] != '1'))
            panic("bad kernel command line: '%.*s': preempt must be 0 or 1",
                  (int)len, tok);
        args->preempt = val[0] == '1';
    } else if (parse_is(tok, klen, "divzero")) {
        if (has_value && vlen == 4 && strncmp(val, "trap", 4) == 0)
            divzero_traps = 1;
        else if (has_value && vlen == 6 && strncmp(val, "result", 6) == 0)
            divzero_traps = 0;
        else
            panic("bad kernel command line: '%.*s': divzero must be trap "
                  "or result",
                  (int)len, tok);
    } else {
        kprintf("lde: kernel: warning: unknown command-line key '%.*s' "
                "ignored\n",
                (int)klen, tok);
    }
}

static void parse_cmdline(const char *s, struct bootargs *args)
{
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        uint32_t len = 0;
        while (s[len] && s[len] != ' ' && s[len] != '\t')
            len++;
        if (len)
            parse_option(s, len, args);
        s += len;
    }
}

/* Is [addr, addr+len) inside RAM, without wrapping? */
static int in_ram(uint32_t addr, uint32_t len)
{
    return len <= ramsize && addr <= ramsize - len;
}

/* The host loader wrote the block; still, a kernel that starts from a
 * corrupt one would fail in confusing ways later. Check it now. */
static void check_boot_info(const struct boot_info *bi)
{
    uint32_t addr = (uint32_t)(uintptr_t)bi;
    if (addr & 3)
        panic("boot info at 0x%x is not 4-byte aligned", addr);
    if (addr < (uint32_t)(uintptr_t)__kernel_end)
        panic("boot info at 0x%x overlaps the kernel image (ends at 0x%x)",
              addr, (uint32_t)(uintptr_t)__kernel_end);
    if (bi->magic != BOOT_MAGIC)
        panic("bad boot info magic 0x%x at 0x%x", bi->magic, addr);
    ramsize = bi->ram_size;
    if (!in_ram(addr, sizeof *bi))
        panic("boot info outside RAM");
    if (bi->clock_hz == 0)
        panic("boot info: clock_hz is 0");
    if (bi->free_start < addr || bi->free_start > ramsize ||
        (bi->free_start & (PGSIZE - 1)))
        panic("boot info: bad free_start 0x%x", bi->free_start);
    if (bi->nprogs > BOOT_MAX_PROGS)
        panic("boot info: %u programs (at most %u)", bi->nprogs,
              BOOT_MAX_PROGS);
    if (bi->nprogs &&
        ((bi->progs & 3) ||
         !in_ram(bi->progs, bi->nprogs * sizeof(struct boot_prog))))
        panic("boot info: program list outside RAM");
    if (bi->cmdline) {
        uint32_t n = 0;
        while (in_ram(bi->cmdline, n + 1) &&
               ((const char *)(uintptr_t)bi->cmdline)[n])
            n++;
        if (!in_ram(bi->cmdline, n + 1))
            panic("boot info: command line not terminated in RAM");
    }
}

void kmain(struct boot_info *bi)
{
    struct bootargs args = {DEFAULT_QUANTUM, 1};

    /* Divide by zero in the kernel is a bug: make it trap (and panic). */
    csr_write(CSR_STATUS, STATUS_DZ);
    console_init();

    /* OSTEP 6.2 "at boot": install the trap table, so that the hardware
     * knows where the syscall and interrupt handlers are. Before anything
     * that might fault, so a kernel fault panics with a reason. */
    trapinit();

    check_boot_info(bi);
    if (bi->cmdline)
        parse_cmdline((const char *)(uintptr_t)bi->cmdline, &args);

    partition_init(bi->free_start, ramsize);
    bootfs_init(bi);
    procinit();
    sched_init(args.quantum);

    /* One process per boot program; pid i+1 for program i (exec.c). */
    const struct boot_prog *progs =
        (const struct boot_prog *)(uintptr_t)bi->progs;
    if (bi->nprogs == 0)
        kprintf("lde: kernel: no programs to run\n");
    for (uint32_t i = 0; i < bi->nprogs; i++)
        boot_program(&progs[i]);

    /* OSTEP 6.3 "at boot": start the interrupt timer. */
    timer_init(bi->clock_hz, args.quantum, args.preempt);

    /* OSTEP 6.2 "at run": the scheduler picks a process and returns from
     * trap into it. */
    scheduler();
}
