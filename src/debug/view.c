/*
 * view.c: views of the machine and the kernel: info reg, csr,
 * frame, traptable, timer (and the dispatch to info break and display);
 * ps from the kernel's accounting table; stats as `lde run --stats`.
 * None of them changes the machine.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dbg.h"
#include "disasm.h"
#include "kstate.h"
#include "stats.h"

static void status_bits(uint32_t st, char *buf, size_t len)
{
    snprintf(buf, len, "MODE=%s IE=%d DZ=%d",
             st & STATUS_MODE ? "kernel" : "user", (st & STATUS_IE) ? 1 : 0,
             (st & STATUS_DZ) ? 1 : 0);
}

static int info_reg(struct dbg *d, const char *args)
{
    const struct cpu *cpu = d->s.cpu;
    char where[160];
    args = dbg_skip(args);
    if (*args != '\0') {
        /* info reg a0 sp ...: just those. */
        char buf[256];
        snprintf(buf, sizeof buf, "%s", args);
        for (char *save, *w = strtok_r(buf, " \t", &save); w != NULL;
             w = strtok_r(NULL, " \t", &save)) {
            const char *n = w[0] == '$' ? w + 1 : w;
            int r = disasm_reg_number(n);
            if (strcmp(n, "pc") == 0) {
                printf("pc   0x%08" PRIx32 "\n", cpu->pc);
            } else if (r < 0) {
                dbg_err("info reg: no register '%s'", w);
                return -1;
            } else {
                printf("%-4s 0x%08" PRIx32 "%s\n", disasm_reg_name((unsigned)r),
                       cpu->x[r], d->changed[r] ? " *" : "");
            }
        }
        return 0;
    }
    dbg_format_addr(d, (struct dbg_loc){cpu->pc, dbg_current_space(d)}, where,
                    sizeof where);
    printf("pc   %s  (%s mode)\n", where,
           cpu->mode == MODE_USER ? "user" : "kernel");
    for (int r = 0; r < 32; r++) {
        bool eol = r % 4 == 3;
        printf("%-4s 0x%08" PRIx32 "%s", disasm_reg_name((unsigned)r),
               cpu->x[r],
               d->changed[r] ? (eol ? "*\n" : "*  ") : (eol ? "\n" : "   "));
    }
    printf("(* changed since the previous stop)\n");
    return 0;
}

static int info_csr(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    char bits[64], where[160];
    status_bits(cpu->status, bits, sizeof bits);
    printf("status  0x%08" PRIx32 "  %s\n", cpu->status, bits);
    printf("ttr     %s  (trap table)\n",
           dbg_format_addr(d, (struct dbg_loc){cpu->ttr, DBG_KERNEL}, where,
                           sizeof where));
    printf("ksp     %s  (kernel stack for the next trap from user mode)\n",
           dbg_format_addr(d, (struct dbg_loc){cpu->ksp, DBG_KERNEL}, where,
                           sizeof where));
    printf("ubase   0x%08" PRIx32 "  (physical address of user address 0)\n",
           cpu->ubase);
    printf("ubound  0x%08" PRIx32 "  (size of the user address space)\n",
           cpu->ubound);
    printf("cycle   %" PRIu64 "\n", cpu->cycle);
    printf("instret %" PRIu64 "\n", cpu->instret);
    return 0;
}

/* 144 bytes of zeros: never a pushed frame (cause 0 and MODE user would
 * be an illegal instruction at user pc 0, where fetching faults first). */
static bool all_zero(const struct dbg *d, uint32_t a)
{
    uint32_t w[FRAME_WORDS];
    if (cpu_read_phys(d->s.cpu, a, w, FRAME_SIZE) != 0)
        return false;
    for (int i = 0; i < FRAME_WORDS; i++)
        if (w[i] != 0)
            return false;
    return true;
}

/* A frame the hardware pushed: a cause with a name, a known STATUS and
 * the zero word, and not all zeros. */
static bool looks_like_frame(const struct dbg *d, uint32_t a)
{
    uint32_t cause, status, zero;
    const struct cpu *cpu = d->s.cpu;
    return (a & 15) == 0 &&
           cpu_read_phys(cpu, a + FRAME_CAUSE, &cause, 4) == 0 &&
           cpu_read_phys(cpu, a + FRAME_STATUS, &status, 4) == 0 &&
           cpu_read_phys(cpu, a + FRAME_ZERO, &zero, 4) == 0 &&
           cause < NVECTORS &&
           strcmp(cpu_vector_name(cause), "unknown vector") != 0 &&
           (status & ~(STATUS_MODE | STATUS_WRITABLE)) == 0 && zero == 0 &&
           !all_zero(d, a);
}

static int info_frame(struct dbg *d, const char *args)
{
    const struct cpu *cpu = d->s.cpu;
    uint32_t a;
    const char *how;
    args = dbg_skip(args);
    if (*args != '\0') {
        struct dbg_value v;
        char err[200];
        if (dbg_eval(d, args, &v, err, sizeof err) != 0) {
            dbg_err("info frame: %s", err);
            return -1;
        }
        a = v.v;
        how = "as asked";
    } else if (cpu->mode == MODE_KERNEL && looks_like_frame(d, cpu->x[2])) {
        a = cpu->x[2];
        how = "at sp";
    } else if (d->have_last_frame && looks_like_frame(d, d->last_frame)) {
        a = d->last_frame;
        how = "pushed by the last trap";
    } else if (cpu->ksp != 0 &&
               looks_like_frame(d, (cpu->ksp - FRAME_SIZE) & ~15u)) {
        a = (cpu->ksp - FRAME_SIZE) & ~15u;
        how = "at the top of the current kernel stack (KSP)";
    } else {
        dbg_err("info frame: no trap frame at sp or KSP; give its address");
        return -1;
    }
    uint32_t w[FRAME_WORDS];
    if ((uint64_t)a + FRAME_SIZE > cpu->ram_size ||
        cpu_read_phys(cpu, a, w, FRAME_SIZE) != 0) {
        dbg_err("info frame: 0x%08" PRIx32 " is not in RAM", a);
        return -1;
    }
    uint32_t status = w[FRAME_STATUS / 4], cause = w[FRAME_CAUSE / 4];
    char bits[64], where[160];
    status_bits(status, bits, sizeof bits);
    int space = status & STATUS_MODE ? DBG_KERNEL : DBG_USER;
    printf("Trap frame at 0x%08" PRIx32 " (%s)%s:\n", a, how,
           looks_like_frame(d, a) ? ""
           : all_zero(d, a)
               ? " - warning: all zeros, no trap has pushed a frame here"
               : " - this does not look like one");
    printf("  cause   %" PRIu32 " (%s)\n", cause, cpu_vector_name(cause));
    printf("  tval    0x%08" PRIx32 "\n", w[FRAME_TVAL / 4]);
    printf("  pc      %s  (where rti resumes)\n",
           dbg_format_addr(d, (struct dbg_loc){w[FRAME_PC / 4], space}, where,
                           sizeof where));
    printf("  status  0x%08" PRIx32 "  %s  (before the trap)\n", status, bits);
    for (int r = 1; r < 32; r++)
        printf("%s%-4s 0x%08" PRIx32 "%s", r % 4 == 1 ? "  " : "",
               disasm_reg_name((unsigned)r), w[FRAME_X(r) / 4],
               r % 4 == 0 || r == 31 ? "\n" : "  ");
    return 0;
}

static int info_traptable(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    uint32_t t[NVECTORS];
    char where[160];
    if (cpu->ttr == 0) {
        printf("TTR is 0: no trap table installed yet.\n");
        return 0;
    }
    if ((uint64_t)cpu->ttr + sizeof t > cpu->ram_size ||
        cpu_read_phys(cpu, cpu->ttr, t, sizeof t) != 0) {
        dbg_err("info traptable: TTR 0x%08" PRIx32 " is not in RAM", cpu->ttr);
        return -1;
    }
    printf("Trap table at %s:\n",
           dbg_format_addr(d, (struct dbg_loc){cpu->ttr, DBG_KERNEL}, where,
                           sizeof where));
    for (uint32_t v = 0; v < NVECTORS; v++) {
        const char *n = cpu_vector_name(v);
        if (strcmp(n, "unknown vector") == 0)
            n = "-";
        if (t[v] == 0)
            printf("  %2" PRIu32 "  %-22s 0  (none: a double fault)\n", v, n);
        else
            printf("  %2" PRIu32 "  %-22s %s\n", v, n,
                   dbg_format_addr(d, (struct dbg_loc){t[v], DBG_KERNEL}, where,
                                   sizeof where));
    }
    return 0;
}

static int info_timer(struct dbg *d)
{
    const struct cpu *cpu = d->s.cpu;
    printf("interval  %" PRIu32 " cycles%s\n", cpu->timer.interval,
           cpu->timer.interval ? "" : " (off)");
    if (cpu->timer.interval)
        printf("deadline  cycle %" PRIu64 " (in %" PRIu64 " cycles)\n",
               cpu->timer.deadline,
               cpu->timer.deadline > cpu->cycle
                   ? cpu->timer.deadline - cpu->cycle
                   : 0);
    bool open = cpu->mode == MODE_USER || (cpu->status & STATUS_IE);
    printf("pending   %s\n", cpu->timer.pending ? "yes" : "no");
    printf("delivery  %s\n",
           open ? "taken at the next instruction boundary when pending"
                : "held: kernel mode with interrupts off (IE = 0)");
    printf("now       cycle %" PRIu64 "\n", cpu->cycle);
    return 0;
}

int dbg_cmd_info(struct dbg *d, const char *args)
{
    char sub[32] = "";
    args = dbg_skip(args);
    size_t n = strcspn(args, " \t");
    if (n == 0 || n >= sizeof sub) {
        dbg_err("usage: info reg|csr|frame [ADDR]|traptable|timer|break|"
                "display|locals|args|history");
        return -1;
    }
    memcpy(sub, args, n);
    sub[n] = '\0';
    const char *rest = args + n;
#define IS(a, b) (strcmp(sub, a) == 0 || strcmp(sub, b) == 0)
    if (IS("registers", "reg") || IS("r", "regs"))
        return info_reg(d, rest);
    if (IS("csr", "csrs"))
        return info_csr(d);
    if (IS("frame", "f"))
        return info_frame(d, rest);
    if (IS("traptable", "tt"))
        return info_traptable(d);
    if (IS("timer", "t"))
        return info_timer(d);
    if (IS("break", "breakpoints") || IS("b", "watchpoints"))
        return dbg_cmd_info_break(d, rest);
    if (IS("display", "displays"))
        return dbg_cmd_display(d, "");
    if (IS("locals", "l"))
        return dbg_cmd_info_vars(d, false);
    if (IS("args", "a"))
        return dbg_cmd_info_vars(d, true);
    if (IS("history", "h"))
        return dbg_cmd_info_history(d, rest);
#undef IS
    dbg_err("info: unknown subcommand '%s' (reg csr frame traptable timer "
            "break display locals args history)",
            sub);
    return -1;
}

int dbg_cmd_ps(struct dbg *d, const char *args)
{
    (void)args;
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[200];
    if (kstate_procinfo(&d->s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0) {
        dbg_err("ps: %s", err);
        return -1;
    }
    if (n == 0) {
        printf("No processes yet.\n");
        return 0;
    }
    /* Cycles as `stats` shows them: measured by the machine at each mode
     * switch, so current even at a handler's first instruction. */
    uint32_t cur = dbg_current_pid(d);
    printf("  PID  PPID NAME            STATE         USER PC     KSTACK      "
           "UBASE        USER CYC  KERNEL CYC SWTCH SYSC\n");
    for (unsigned i = 0; i < n; i++) {
        const struct lde_procinfo *a = &acct[i];
        struct session_pid_acct p = session_pid_acct(&d->s, a->pid);
        char name[LDE_NAME_MAX + 1], state[32], how[160] = "", upc[16];
        int ended =
            a->ended != 0 || a->state == PS_ZOMBIE || a->state == PS_REAPED;
        kstate_name(a, name, sizeof name);
        kstate_state(a, state, sizeof state);
        if (ended)
            kstate_describe(a, how, sizeof how);
        /* An ended process has no registers left to show. */
        uint32_t pc = 0;
        if (ended || kstate_user_pc(&d->s, a, &pc) != 0)
            snprintf(upc, sizeof upc, "%10s", "-");
        else
            snprintf(upc, sizeof upc, "0x%08" PRIx32, pc);
        printf("%c%4" PRIu32 " %5" PRIu32 " %-15s %-13s %s  0x%08" PRIx32
               "  0x%08" PRIx32 " %11" PRIu64 " %11" PRIu64 " %5" PRIu32
               " %4" PRIu32 "%s%s\n",
               a->pid == cur ? '*' : ' ', a->pid, a->ppid, name, state, upc,
               a->kstack, a->ubase, p.user, p.kernel, p.switches, p.syscalls,
               how[0] ? "  " : "", how);
    }
    printf("(* = current; %" PRIu64 " context switches so far)\n",
           d->s.acct.total_switches);
    return 0;
}

int dbg_cmd_stats(struct dbg *d, const char *args)
{
    (void)args;
    fflush(stdout);
    stats_print(stdout, &d->s, d->host_seconds);
    fflush(stdout);
    return 0;
}
