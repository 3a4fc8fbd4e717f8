/*
 * cpu.h: the LDE machine as a library.
 *
 * One struct cpu holds the whole machine state: the registers and pc first,
 * then the mode and the privileged registers, then the counters, RAM, the
 * devices and the decode cache. Nothing in src/cpu/ does host I/O: the
 * console's output, its need for input and every trap, rti, mode switch and
 * retired instruction reach the host through struct cpu_hooks.
 *
 * Typical use:
 *     struct cpu *cpu = cpu_create(64 << 20);
 *     cpu_load(cpu, addr, bytes, n);
 *     cpu_reset(cpu, entry, boot_info_addr);
 *     while ((why = cpu_run(cpu, 1000000)) == STOP_BUDGET) ...
 */
#ifndef LDE_CPU_H
#define LDE_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lde/machine.h"

/* Why cpu_run() or cpu_step() returned. */
enum cpu_stop {
    STOP_BUDGET,     /* the cycle budget ran out (or one step was done) */
    STOP_BREAKPOINT, /* pc reached a breakpoint; the instruction has not run */
    STOP_HOOK,       /* a hook asked to stop after the event it reported */
    STOP_HALT,       /* the guest wrote POWER_HALT: cpu->exit_status */
    STOP_PANIC,      /* the kernel wrote POWER_PANIC: cpu->halt_reason */
    STOP_DOUBLE_FAULT, /* a trap could not be delivered: cpu->halt_reason */
    STOP_DEADLOCK,     /* wfi with no interrupt able to come: halt_reason */
    STOP_WAIT_INPUT,   /* wfi waits for console input only the host can give:
                          queue some (or close the input) and run again */
};

/* Cost classes of the cycle model: one table, docs/isa.md has defaults. */
enum cost_class {
    COST_ALU,          /* register and immediate arithmetic, lui, auipc */
    COST_LOAD,         /* lb lh lw lbu lhu */
    COST_STORE,        /* sb sh sw */
    COST_BRANCH,       /* a conditional branch not taken */
    COST_BRANCH_TAKEN, /* a conditional branch taken */
    COST_JUMP,         /* jal jalr */
    COST_MUL,          /* mul mulh mulhsu mulhu */
    COST_DIV,          /* div divu rem remu */
    COST_CSR,          /* every csr instruction */
    COST_FENCE,        /* fence fence.i */
    COST_TRAP,         /* trap entry, fixed part (plus 36 stores) */
    COST_RTI,          /* rti, fixed part (plus 33 loads) */
    COST_WFI,          /* wfi itself (plus the cycles it waits) */
    NCOST
};

extern const char *const cost_class_names[NCOST];
extern const uint32_t cost_defaults[NCOST];

/* A trap as trap entry delivered it, for the trap hook and the debugger. */
struct cpu_trap_info {
    uint32_t vector;    /* VEC_* */
    uint32_t from_mode; /* MODE_USER or MODE_KERNEL */
    uint32_t epc;       /* the pc saved in the frame */
    uint32_t tval;      /* the bad address or the instruction bits */
    uint32_t frame;     /* physical address of the pushed frame (new sp) */
    uint32_t handler;   /* TTR[vector], where execution continues */
};

struct cpu;

/*
 * Host hooks. Each may be NULL. The bool-returning ones return true to make
 * cpu_run() stop with STOP_HOOK once the event is complete (for a trap: at
 * the handler's first instruction, not yet executed).
 */
struct cpu_hooks {
    void *ctx;
    /* stream 1 = stdout (CONSOLE_TX), 2 = stderr (CONSOLE_TXERR) */
    void (*console_tx)(void *ctx, int stream, uint8_t byte);
    /* The guest looks for input and none is queued: the host may now call
     * cpu_console_input() or cpu_console_close(). */
    void (*console_rx_wanted)(void *ctx, struct cpu *cpu);
    bool (*trap)(void *ctx, struct cpu *cpu, const struct cpu_trap_info *t);
    bool (*rti)(void *ctx, struct cpu *cpu, uint32_t rti_pc);
    bool (*mode)(void *ctx, struct cpu *cpu, uint32_t old_mode,
                 uint32_t new_mode);
    /* After each retired instruction; slows cpu_run() to a step loop. */
    bool (*retire)(void *ctx, struct cpu *cpu, uint32_t pc, uint32_t insn);
    /* Native code was made for the block entered at pc (in the current
     * mode's window): host code [code, code + size), valid until the
     * blocks are flushed. For profilers (a perf map, bench/README.md). */
    void (*native)(void *ctx, struct cpu *cpu, uint32_t pc, const void *code,
                   size_t size);
};

/* One decoded instruction (see decode.h). */
struct insn {
    uint8_t op; /* enum op */
    uint8_t rd, rs1, rs2;
    int32_t imm; /* immediate, or the csr number for csr instructions */
};

struct blocks; /* the decoded-block cache: src/cpu/block.h */
#define CONSOLE_RXBUF 4096
#define MAX_BREAKPOINTS 64
#define HALT_REASON_MAX 256

struct cpu {
    union {
        uint32_t x[32];  /* x0 reads 0: nothing writes it */
        uint32_t xw[33]; /* the run loop's view: writes to x0 are decoded
                            as writes to xw[32], a sink never read */
    };
    /* The run loop's bounds for its fast loads and stores, set on entry
     * and whenever the window changes (interp.c): next to the registers,
     * so that a handler compares with them in one instruction. */
    uint32_t fast_lim1, fast_lim2, fast_lim4;
    uintptr_t code_bias; /* the code map by host address (block.h) */
    uint32_t block_pc;   /* the pc at which the running block was entered */
    uint32_t pc;

    /* Privileged state (docs/isa.md §4). mode mirrors STATUS_MODE. */
    uint32_t mode;
    uint32_t status;
    uint32_t ttr, ksp, ubase, ubound;

    uint64_t cycle;   /* cycles since reset */
    uint64_t instret; /* instructions retired */

    /* Where cycles went: user + kernel + idle == cycle. Kernel is derived. */
    uint64_t user_cycles;
    uint64_t idle_cycles;
    uint64_t mode_since; /* cycle at which the current mode was entered */
    uint64_t traps[NVECTORS];

    uint8_t *ram;
    uint32_t ram_size;
    /* RAM that may still read from a file (cpu_map_file): [lo, hi), empty
     * if lo == hi. Zeroing it must replace the mapping, not drop pages. */
    uint32_t file_lo, file_hi;
    /* Pages written since cpu_clear_written(), a byte per page; NULL (the
     * default) when nobody asked. The stores never look at it: the code
     * map sends the first store to a page not yet written to the slow
     * path (block.h, CODE_WATCH). */
    uint8_t *written;

    /* The current mode's data window: va in [lo, hi) maps to base + va. */
    uint8_t *win_base;
    uint32_t win_lo, win_hi;
    uint32_t win_off; /* physical = va + win_off */

    struct {
        uint32_t interval; /* 0 = off */
        uint64_t deadline; /* next cycle at which the interval elapses */
        bool pending;
        uint32_t count_hi_latch;
    } timer;

    struct {
        uint8_t rx[CONSOLE_RXBUF];
        uint32_t rx_head, rx_count;
        bool rx_closed;
        bool rx_eof_event; /* closed, and STATUS not read since: an irq */
        uint32_t ctrl;
    } console;

    /* Halt state. */
    bool halted;
    enum cpu_stop halt_kind;
    int exit_status;
    char halt_reason[HALT_REASON_MAX];

    /* Cycle model: cost per class, and expanded per opcode. */
    uint32_t costs[NCOST];
    uint32_t op_cost[128];
    uint32_t trap_cost, rti_cost; /* fixed part plus frame traffic */

    /* Run-loop control: the interpreter compares cycle with check_at
     * before each instruction; anything that may change what happens
     * between instructions sets it to 0. */
    uint64_t check_at;
    uint64_t run_limit;
    bool stop_requested;
    bool in_wfi;    /* a wfi cut short by the budget: resume it, charge once */
    bool wfi_asked; /* the host was asked for input in this wait: not
                       again when a run resumes it (but after
                       STOP_WAIT_INPUT, the host's turn to answer) */

    uint32_t breakpoints[MAX_BREAKPOINTS];
    unsigned nbreakpoints;

    struct cpu_hooks hooks;

    struct blocks *blocks;
};

/* ---- Life cycle -------------------------------------------------------- */
/* NULL if ram_size is 0, above DEV_BASE or the allocation fails. RAM is
 * reserved, not committed: the host pays for the pages the guest touches. */
struct cpu *cpu_create(uint32_t ram_size);
void cpu_destroy(struct cpu *cpu);
/* Reset (docs/isa.md §2): kernel mode, interrupts off, every register and
 * device cleared, pc = entry, a0 = a0. RAM and hooks are kept. */
void cpu_reset(struct cpu *cpu, uint32_t entry, uint32_t a0);
void cpu_set_hooks(struct cpu *cpu, const struct cpu_hooks *hooks);

/* ---- Running ----------------------------------------------------------- */
/* Run until the cycle counter has advanced by at least budget, or a stop. */
enum cpu_stop cpu_run(struct cpu *cpu, uint64_t budget);
/* Execute exactly one instruction, or deliver one pending interrupt. */
enum cpu_stop cpu_step(struct cpu *cpu);

/* Native code (docs/engine.md): a block gets it on its hot-th entry;
 * hot = 0 turns it off, leaving the run loop alone. Nothing observable
 * depends on it but host time. Returns false if this host has none. */
bool cpu_set_jit(struct cpu *cpu, unsigned hot);
#define CPU_JIT_HOT_DEFAULT 16 /* code run once is not worth translating */

/* Zero all of RAM (returning its pages to the host), as at creation. */
void cpu_clear_ram(struct cpu *cpu);

/* ---- Side-effect-free access for hosts, tests and the debugger --------- */
/* 0 on success, -1 if [paddr, paddr+len) is not all RAM. */
int cpu_load(struct cpu *cpu, uint32_t paddr, const void *src, size_t len);
/* Zero [paddr, paddr+len), as cpu_load() of zeros would (0, or -1). */
int cpu_zero(struct cpu *cpu, uint32_t paddr, size_t len);
/* cpu_load() of the len bytes at offset off of the file fd, done lazily:
 * the host maps them into RAM copy-on-write and reads each page only when
 * something touches it (the boot's file table of built-in programs, most
 * of which a run never executes). paddr, off and len must be multiples of
 * the host's page size. Returns 0, or -1 with RAM as it was (not page
 * aligned, outside RAM, not a regular file, one shorter than off + len;
 * only a host failing mid-way may leave zeros there): cpu_load() the
 * bytes instead. The file may be closed afterwards. */
int cpu_map_file(struct cpu *cpu, uint32_t paddr, int fd, uint64_t off,
                 size_t len);
int cpu_read_phys(const struct cpu *cpu, uint32_t paddr, void *dst, size_t len);
/* Translate a virtual address as the given mode would (0 on success). */
int cpu_translate(const struct cpu *cpu, uint32_t mode, uint32_t va,
                  uint32_t len, uint32_t *paddr);
uint32_t cpu_reg(const struct cpu *cpu, unsigned n);
void cpu_set_reg(struct cpu *cpu, unsigned n, uint32_t value);
/* Move pc (a debugger's jump): a wait in wfi ends there, as if it had not
 * begun. -1 if pc is not a multiple of 4. */
int cpu_set_pc(struct cpu *cpu, uint32_t pc);
/* CSR value without privilege checks or side effects; -1 if no such CSR. */
int cpu_csr_peek(const struct cpu *cpu, uint32_t csr, uint32_t *value);
/* Write a CSR as kernel code would (STATUS.MODE stays read-only). */
int cpu_csr_poke(struct cpu *cpu, uint32_t csr, uint32_t value);
/* Where cycles went, up to now: user + kernel + idle == cycle. */
uint64_t cpu_user_cycles(const struct cpu *cpu);
uint64_t cpu_kernel_cycles(const struct cpu *cpu);

/* ---- Devices seen from the host ---------------------------------------- */
/* Queue console input; returns how many bytes fit. */
size_t cpu_console_input(struct cpu *cpu, const void *bytes, size_t n);
void cpu_console_close(struct cpu *cpu);

/* ---- Cycle model ------------------------------------------------------- */
/* Replace the cost table. -1 (and nothing changed) if an instruction
 * class costs less than cost_min(): every instruction takes a cycle. */
int cpu_set_costs(struct cpu *cpu, const uint32_t costs[NCOST]);
uint32_t cost_min(int cls);
/* Parse "class cost" lines ('#' comments) over a copy of base. On error
 * returns -1 and writes one line naming the problem into err. */
int cost_parse(const char *text, uint32_t costs[NCOST], char *err,
               size_t errlen);

/* ---- Breakpoints (checked before an instruction runs) ------------------- */
int cpu_break_add(struct cpu *cpu, uint32_t pc);
int cpu_break_remove(struct cpu *cpu, uint32_t pc);
/* Is pc at one? cpu_run() does not look at the pc it starts from (so that
 * it can go on from a breakpoint): a host that runs in slices asks this
 * when a slice ends, in case it ended right before one. */
bool cpu_at_breakpoint(const struct cpu *cpu);

/* ---- Snapshots (reverse execution) ----------------------------------- */
#define CPU_PAGE_SHIFT 12
#define CPU_PAGE_SIZE (1u << CPU_PAGE_SHIFT)
/* Start (or stop) noting which pages of RAM are written: by the guest, by
 * trap entry, by cpu_load(). Every page counts as written when it starts.
 * 0, or -1 if out of memory (then nothing changed). */
int cpu_track_writes(struct cpu *cpu, bool on);
/* Was page p (paddr >> CPU_PAGE_SHIFT) written since tracking started or
 * the last cpu_clear_written()? Always false when not tracking. */
static inline bool cpu_page_written(const struct cpu *cpu, uint32_t page)
{
    return cpu->written != NULL && cpu->written[page] != 0;
}
void cpu_clear_written(struct cpu *cpu);
/* The machine's state apart from RAM (registers, privileged registers,
 * counters, devices, halt state) as cpu_state_size() opaque bytes. */
size_t cpu_state_size(void);
void cpu_state_save(const struct cpu *cpu, void *state);
/* Put a saved state back. RAM, hooks, breakpoints, the cost table and the
 * write tracking stay as they are: the caller rewrites RAM with
 * cpu_load(), which kills the blocks decoded from what it overwrites. */
void cpu_state_restore(struct cpu *cpu, const void *state);
/* Steps taken since reset: instructions retired plus traps entered. Every
 * cpu_step() that does something adds exactly 1 (a trap delivered is a
 * step, an instruction that faults is its trap), and every step costs at
 * least one cycle, so cpu_run(cpu, n) with n >= 2 takes at most n + 1
 * steps (the last instruction may start just before the budget ends, and
 * an interrupt be delivered after it). */
uint64_t cpu_steps(const struct cpu *cpu);

const char *cpu_vector_name(uint32_t vector);
/* The vector's short word ("memfault"), or NULL for an unused vector. */
const char *cpu_vector_word(uint32_t vector);
const char *cpu_stop_name(enum cpu_stop why);

#endif /* LDE_CPU_H */
