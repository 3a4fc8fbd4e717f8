/*
 * devices.c: timer, console and power (docs/isa.md §7; offsets in
 * lde/machine.h and docs/isa.md). Reached from kernel mode only.
 */
#include <string.h>

#include "cpu_internal.h"

void devices_reset(struct cpu *cpu)
{
    memset(&cpu->timer, 0, sizeof cpu->timer);
    cpu->console.rx_head = cpu->console.rx_count = 0;
    cpu->console.rx_closed = false;
    cpu->console.rx_eof_event = false;
    cpu->console.ctrl = 0;
}

/* ---- Timer ------------------------------------------------------------- */

void timer_update(struct cpu *cpu)
{
    uint32_t iv = cpu->timer.interval;
    if (iv == 0 || cpu->cycle < cpu->timer.deadline)
        return;
    cpu->timer.pending = true;
    /* Periodic: the next deadline is the first multiple of the interval
     * after now; ticks missed while the kernel ran with IE=0 coalesce. */
    uint64_t late = cpu->cycle - cpu->timer.deadline;
    cpu->timer.deadline += (late / iv + 1) * iv;
}

static int timer_load(struct cpu *cpu, uint32_t off, uint32_t *v)
{
    switch (off) {
    case TIMER_INTERVAL: *v = cpu->timer.interval; return TRAP_NONE;
    case TIMER_ACK: *v = cpu->timer.pending; return TRAP_NONE;
    case TIMER_COUNT_LO:
        /* Latch the high half so LO then HI reads one 64-bit value. */
        cpu->timer.count_hi_latch = (uint32_t)(cpu->cycle >> 32);
        *v = (uint32_t)cpu->cycle;
        return TRAP_NONE;
    case TIMER_COUNT_HI: *v = cpu->timer.count_hi_latch; return TRAP_NONE;
    default: return VEC_MEMFAULT;
    }
}

static int timer_store(struct cpu *cpu, uint32_t off, uint32_t v)
{
    switch (off) {
    case TIMER_INTERVAL:
        /* The interval counts from the end of this store. */
        cpu->timer.interval = v;
        cpu->timer.deadline = cpu->cycle + cpu->costs[COST_STORE] + v;
        break;
    case TIMER_ACK: cpu->timer.pending = false; break;
    default: return VEC_MEMFAULT;
    }
    cpu_recheck(cpu);
    return TRAP_NONE;
}

/* ---- Console ----------------------------------------------------------- */

static uint32_t console_status(struct cpu *cpu)
{
    /* The guest is looking for input: give the host its chance to supply
     * some, so that a read() is satisfied at a deterministic moment. */
    if (cpu->console.rx_count == 0 && !cpu->console.rx_closed &&
        cpu->hooks.console_rx_wanted)
        cpu->hooks.console_rx_wanted(cpu->hooks.ctx, cpu);
    cpu->console.rx_eof_event = false; /* the kernel has seen it now */
    if (cpu->console.rx_count)
        return CONSOLE_ST_RXREADY;
    return cpu->console.rx_closed ? CONSOLE_ST_RXCLOSED : 0;
}

static int console_load(struct cpu *cpu, uint32_t off, uint32_t *v)
{
    switch (off) {
    case CONSOLE_STATUS: *v = console_status(cpu); return TRAP_NONE;
    case CONSOLE_RX:
        *v = 0;
        if (cpu->console.rx_count) {
            *v = cpu->console.rx[cpu->console.rx_head];
            cpu->console.rx_head = (cpu->console.rx_head + 1) % CONSOLE_RXBUF;
            cpu->console.rx_count--;
        }
        return TRAP_NONE;
    case CONSOLE_CTRL: *v = cpu->console.ctrl; return TRAP_NONE;
    case CONSOLE_TX:
    case CONSOLE_TXERR: *v = 0; return TRAP_NONE;
    default: return VEC_MEMFAULT;
    }
}

static int console_store(struct cpu *cpu, uint32_t off, uint32_t v)
{
    switch (off) {
    case CONSOLE_TX:
    case CONSOLE_TXERR:
        if (cpu->hooks.console_tx)
            cpu->hooks.console_tx(cpu->hooks.ctx, off == CONSOLE_TX ? 1 : 2,
                                  (uint8_t)v);
        return TRAP_NONE;
    case CONSOLE_CTRL:
        cpu->console.ctrl = v & CONSOLE_CTRL_RXIE;
        cpu_recheck(cpu);
        return TRAP_NONE;
    default: return VEC_MEMFAULT;
    }
}

/* ---- Power ------------------------------------------------------------- */

static int power_store(struct cpu *cpu, uint32_t off, uint32_t v)
{
    if (off == POWER_HALT) {
        cpu->exit_status = (int)v;
        cpu_halt(cpu, STOP_HALT, "halted with status %d", (int)v);
        return TRAP_NONE;
    }
    if (off == POWER_PANIC) {
        /* Copy the kernel's reason if it is a string in RAM. */
        char msg[200] = "(no reason given)";
        if (v != 0 && v < cpu->ram_size) {
            size_t max = cpu->ram_size - v;
            if (max > sizeof msg - 1)
                max = sizeof msg - 1;
            const char *s = (const char *)cpu->ram + v;
            const char *nul = memchr(s, '\0', max);
            size_t n = nul ? (size_t)(nul - s) : max;
            if (n < max || n == sizeof msg - 1) {
                memcpy(msg, s, n);
                msg[n] = '\0';
            }
        }
        cpu->exit_status = 255;
        cpu_halt(cpu, STOP_PANIC, "kernel panic: %s", msg);
        return TRAP_NONE;
    }
    return VEC_MEMFAULT;
}

/* ---- Dispatch ---------------------------------------------------------- */

int dev_load(struct cpu *cpu, uint32_t paddr, uint32_t *value)
{
    uint32_t off = paddr & (DEV_WINDOW - 1);
    switch (paddr & ~(DEV_WINDOW - 1)) {
    case TIMER_BASE: return timer_load(cpu, off, value);
    case CONSOLE_BASE: return console_load(cpu, off, value);
    case POWER_BASE:
        *value = 0;
        return off <= POWER_PANIC ? TRAP_NONE : VEC_MEMFAULT;
    default: return VEC_MEMFAULT;
    }
}

int dev_store(struct cpu *cpu, uint32_t paddr, uint32_t value)
{
    uint32_t off = paddr & (DEV_WINDOW - 1);
    switch (paddr & ~(DEV_WINDOW - 1)) {
    case TIMER_BASE: return timer_store(cpu, off, value);
    case CONSOLE_BASE: return console_store(cpu, off, value);
    case POWER_BASE: return power_store(cpu, off, value);
    default: return VEC_MEMFAULT;
    }
}

/* ---- wfi --------------------------------------------------------------- */

enum wfi_end dev_wfi_wait(struct cpu *cpu)
{
    timer_update(cpu);
    if (trap_interrupt_pending(cpu) != TRAP_NONE)
        return WFI_WOKEN;
    /* Waiting for console input: the host's chance to supply it now,
     * once a wait, however many runs the wait spans (so that the host is
     * asked as often whatever the slicing). */
    bool rx_may_come =
        (cpu->console.ctrl & CONSOLE_CTRL_RXIE) && !cpu->console.rx_closed;
    if (rx_may_come && cpu->hooks.console_rx_wanted && !cpu->wfi_asked) {
        cpu->wfi_asked = true;
        cpu->hooks.console_rx_wanted(cpu->hooks.ctx, cpu);
        if (trap_interrupt_pending(cpu) != TRAP_NONE)
            return WFI_WOKEN;
        rx_may_come = !cpu->console.rx_closed;
    }
    if (cpu->timer.interval == 0) {
        if (rx_may_come) /* simulated time stands still until it comes */
            return WFI_INPUT;
        cpu_halt(cpu, STOP_DEADLOCK,
                 "deadlock: wfi at pc 0x%08x with no interrupt to come "
                 "(timer off, console input %s)",
                 cpu->pc,
                 cpu->console.rx_closed ? "closed" : "interrupt disabled");
        return WFI_WOKEN;
    }
    /* Idle until the timer fires: time passes without instructions,
     * counted, not spent. */
    uint64_t wake = cpu->timer.deadline;
    enum wfi_end end = WFI_WOKEN;
    if (wake > cpu->run_limit) {
        wake = cpu->run_limit;
        end = WFI_BUDGET;
    }
    if (wake > cpu->cycle) {
        cpu->idle_cycles += wake - cpu->cycle;
        cpu->cycle = wake;
    }
    timer_update(cpu);
    return end;
}
