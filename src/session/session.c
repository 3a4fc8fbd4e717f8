/*
 * session.c: the boot sequence (see session.h). Every image is opened and
 * checked before the machine is created, so a bad file costs nothing and
 * is reported as one line naming it.
 */
#include "session.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lde/abi.h"
#include "elf_load.h"
#include "images.h"
#include "loader_error.h"
#include "read_file.h"
#include "schedopt.h"
#include "timeline.h"

#define COSTS_FILE_MAX (1u << 20) /* no cycle table is this long */

static int load_costs(struct session *s, char *err, size_t errlen)
{
    uint32_t costs[NCOST];
    memcpy(costs, cost_defaults, sizeof costs);
    if (s->opt.costs_file == NULL)
        return 0; /* cpu_create() installed the defaults */
    size_t size;
    char *text =
        read_file(s->opt.costs_file, COSTS_FILE_MAX, &size, err, errlen);
    if (text == NULL)
        return -1;
    char why[ELF_ERR_MAX];
    why[0] = '\0';
    int rc = cost_parse(text, costs, why, sizeof why);
    free(text);
    if (rc != 0 || cpu_set_costs(s->cpu, costs) != 0)
        return loader_error(err, errlen, s->opt.costs_file, "%s",
                            why[0] ? why : "invalid cost table");
    return 0;
}

/* The kernel symbols of the ABI (lde/abi.h) that the host reads. */
static const char *const abi_names[] = {LDE_SYM_PROCINFO, LDE_SYM_NPROCINFO,
                                        LDE_SYM_NPROCS, LDE_SYM_CURPID};
#define NABI (sizeof abi_names / sizeof abi_names[0])

/* The symbol tables, read on first use, and the ABI symbols, found by one
 * scan when the kernel is opened. */
struct session_symbols {
    struct sym_table *kernel;
    struct sym_table *prog[BOOT_MAX_PROGS];
    struct sym_want abi[NABI];
};

/* Symbols only help traces and reports: an image with a broken symbol
 * table still runs, with an empty one (also when out of memory). */
static const struct sym_table *sym_load_once(struct sym_table **t,
                                             const struct elf_file *ef)
{
    static const struct sym_table empty;
    if (*t == NULL) {
        char ignored[ELF_ERR_MAX];
        *t = sym_load(ef, ignored, sizeof ignored);
        if (*t == NULL) /* not asked again: an empty table */
            *t = calloc(1, sizeof **t);
    }
    return *t != NULL ? *t : &empty;
}

const struct sym_table *session_ksyms(const struct session *s)
{
    return sym_load_once(&s->syms->kernel, s->kernel);
}

static int want_addr(const struct sym_want *w, uint32_t *addr)
{
    if (!w->found)
        return -1;
    *addr = w->addr;
    return 0;
}

int session_ksym_addr(const struct session *s, const char *name, uint32_t *addr)
{
    for (size_t i = 0; i < NABI; i++)
        if (strcmp(name, abi_names[i]) == 0)
            return want_addr(&s->syms->abi[i], addr);
    if (s->syms->kernel != NULL) {
        const struct sym *sym = sym_by_name(s->syms->kernel, name);
        if (sym == NULL)
            return -1;
        *addr = sym->addr;
        return 0;
    }
    struct sym_want one = {.name = name};
    sym_lookup(s->kernel, &one, 1);
    return want_addr(&one, addr);
}

const struct sym_table *session_psyms(const struct session *s, unsigned i)
{
    if (i >= s->nprogs)
        return NULL;
    return sym_load_once(&s->syms->prog[i], s->prog[i]);
}

/* Open and check every image; no machine yet. */
static int open_images(struct session *s, char *err, size_t errlen)
{
    s->kernel = image_open_kernel(s->opt.kernel_file, err, errlen);
    if (s->kernel == NULL ||
        elf_check_kernel(s->kernel, s->opt.ram_size, err, errlen) != 0)
        return -1;
    s->syms = calloc(1, sizeof *s->syms);
    if (s->syms == NULL)
        return loader_error(err, errlen, NULL, "out of memory");
    for (size_t i = 0; i < NABI; i++)
        s->syms->abi[i].name = abi_names[i];
    sym_lookup(s->kernel, s->syms->abi, NABI);
    for (unsigned i = 0; i < s->opt.nprogs; i++) {
        const struct session_prog *p = &s->opt.progs[i];
        s->prog[i] = image_open_program(p->spec, err, errlen);
        if (s->prog[i] == NULL)
            return -1;
        s->nprogs = i + 1;
        if (elf_check_program(s->prog[i], err, errlen) != 0)
            return -1;
    }
    const char *argv0s[BOOT_MAX_PROGS];
    for (unsigned i = 0; i < s->nprogs; i++)
        argv0s[i] = s->opt.progs[i].argv[0];
    return image_files_open(&s->files, s->opt.files, s->opt.nfiles, s->prog,
                            argv0s, s->nprogs, err, errlen);
}

/* What the boot block is made of: the programs and their arguments, and
 * the files for exec. */
static void boot_params(struct session *s, struct boot_image *imgs,
                        struct boot_params *bp)
{
    for (unsigned i = 0; i < s->nprogs; i++)
        imgs[i] =
            (struct boot_image){s->prog[i], s->opt.progs[i].argc,
                                s->opt.progs[i].argv, image_exec(s->prog[i])};
    *bp =
        (struct boot_params){s->opt.clock_hz, s->cmdline, s->nprogs,       imgs,
                             s->files.n,      s->files.f, &s->files.region};
}

/* The built-in kernel cuts the RAM above the boot data into partitions of
 * LDE_USER_SIZE (src/kernel/vm.c), and with none it can run nothing: so
 * --ram must leave room for one. Said before the machine exists, with the
 * real minimum. (Another --kernel may share RAM in its own way.) */
static int check_ram(struct session *s, char *err, size_t errlen)
{
    if (s->opt.kernel_file != NULL || s->nprogs == 0)
        return 0;
    struct boot_image imgs[BOOT_MAX_PROGS];
    struct boot_params bp;
    boot_params(s, imgs, &bp);
    uint64_t need =
        boot_free_start(elf_phys_end(s->kernel), &bp) + LDE_USER_SIZE;
    if (s->opt.ram_size >= need)
        return 0;
    snprintf(err, errlen,
             "--ram %uK is too small: the kernel and the boot data take "
             "%lluK, and a process needs a %uK partition above them: at "
             "least --ram %lluK",
             s->opt.ram_size >> 10,
             (unsigned long long)((need - LDE_USER_SIZE) >> 10),
             LDE_USER_SIZE >> 10, (unsigned long long)(need >> 10));
    return SESSION_EXIT_USAGE;
}

/* Load the kernel and the boot block, reset. A fresh cpu's RAM is already
 * zero (and untouched, so the host has not paged it in): only a reboot
 * clears it. */
static int boot(struct session *s, bool clear, char *err, size_t errlen)
{
    if (clear)
        cpu_clear_ram(s->cpu);
    if (elf_load_kernel(s->cpu, s->kernel, &s->kernel_entry, &s->kernel_end,
                        err, errlen) != 0)
        return -1;
    struct boot_image imgs[BOOT_MAX_PROGS];
    struct boot_params bp;
    boot_params(s, imgs, &bp);
    if (boot_write(s->cpu, s->kernel_end, &bp, &s->boot, err, errlen) != 0)
        return -1;
    cpu_reset(s->cpu, s->kernel_entry, s->boot.info);
    /* Per-process accounting starts again with the machine. */
    if (session_ksym_addr(s, LDE_SYM_CURPID, &s->curpid_addr) != 0)
        s->curpid_addr = 0;
    if (session_ksym_addr(s, LDE_SYM_PROCINFO, &s->procinfo_addr) != 0)
        s->procinfo_addr = 0;
    free(s->acct.pid);
    s->acct = (struct session_acct){0};
    return 0;
}

int session_reboot(struct session *s, char *err, size_t errlen)
{
    if (boot(s, true, err, errlen) != 0)
        return -1;
    if (s->timeline != NULL && timeline_reset(s->timeline) != 0)
        return loader_error(err, errlen, NULL, "out of memory");
    return 0;
}

int session_open(struct session *s, const struct session_options *o, char *err,
                 size_t errlen)
{
    /* Not *s = (struct session){.opt = *o}: that builds the 29 KB struct
     * in a temporary on the stack first, pages the host must fault in. */
    memset(s, 0, sizeof *s);
    s->opt = *o;
    char sched[SESSION_SCHED_LEN + 512];
    schedopt_cmdline(o, &o->sched[0], sched, sizeof sched);
    snprintf(s->cmdline, sizeof s->cmdline, "quantum=%llu %s preempt=%d%s",
             (unsigned long long)o->quantum, sched, o->cooperative ? 0 : 1,
             o->trap_divzero ? " divzero=trap" : "");
    if (open_images(s, err, errlen) != 0)
        goto fail;
    int rc = check_ram(s, err, errlen);
    if (rc != 0) {
        session_close(s);
        return rc;
    }
    s->cpu = cpu_create(o->ram_size);
    if (s->cpu == NULL) {
        loader_error(err, errlen, NULL,
                     "cannot create a machine with %u "
                     "bytes of RAM",
                     o->ram_size);
        goto fail;
    }
    cpu_set_jit(s->cpu, o->jit_hot);
    /* Recording the past: note the pages the boot writes (the rest of RAM
     * is zeros), so that the first snapshot need not read all of it. */
    if (o->record && cpu_track_writes(s->cpu, true) != 0) {
        loader_error(err, errlen, NULL, "out of memory");
        goto fail;
    }
    if (o->record)
        cpu_clear_written(s->cpu);
    if (load_costs(s, err, errlen) != 0 || boot(s, false, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    session_close(s);
    return SESSION_EXIT_FILE;
}

void session_close(struct session *s)
{
    timeline_destroy(s->timeline);
    s->timeline = NULL;
    for (unsigned i = 0; i < BOOT_MAX_PROGS; i++) {
        if (s->syms != NULL)
            sym_free(s->syms->prog[i]);
        elf_close(s->prog[i]);
    }
    image_files_close(&s->files);
    free(s->acct.pid);
    if (s->syms != NULL)
        sym_free(s->syms->kernel);
    free(s->syms);
    elf_close(s->kernel);
    if (s->cpu != NULL)
        cpu_destroy(s->cpu);
    memset(s, 0, sizeof *s);
}

uint32_t session_current_pid(const struct session *s)
{
    uint32_t pid = 0;
    if (s->curpid_addr == 0 ||
        cpu_read_phys(s->cpu, s->curpid_addr, &pid, sizeof pid) != 0)
        return 0;
    return pid;
}

/* pid's figures, growing the table to hold it (doubling: the pids of a
 * run only grow). If the host is out of memory, they go to a.lost, so
 * that the totals still add up. */
static struct session_pid_acct *pid_acct(struct session_acct *a, uint32_t pid)
{
    if (pid < a->npid)
        return &a->pid[pid];
    uint64_t n = a->npid ? (uint64_t)a->npid * 2 : 64;
    while (n <= pid)
        n *= 2;
    struct session_pid_acct *t =
        n > UINT32_MAX ? NULL : realloc(a->pid, (size_t)n * sizeof *t);
    if (t == NULL)
        return &a->lost;
    memset(t + a->npid, 0, (size_t)(n - a->npid) * sizeof *t);
    a->pid = t;
    a->npid = (uint32_t)n;
    return &a->pid[pid];
}

/* Kernel cycles since the current stretch began, idle time left out. */
static uint64_t kernel_stretch(const struct session *s)
{
    const struct session_acct *a = &s->acct;
    return (s->cpu->cycle - a->since) - (s->cpu->idle_cycles - a->idle_since);
}

unsigned session_syscall_slot(uint32_t nr)
{
    switch (nr) {
#define SYSCALL_SLOT_CASE(n, name, fn, nargs)                                  \
    case n: return SESSION_SYS_##name;
        LDE_SYSCALLS(SYSCALL_SLOT_CASE) LDE_OWN_SYSCALLS(SYSCALL_SLOT_CASE)
#undef SYSCALL_SLOT_CASE
    }
    return SESSION_SYS_UNKNOWN;
}

const char *session_syscall_slot_name(unsigned slot)
{
    static const char *const names[SESSION_NSYSCALL_SLOTS] = {
#define SYSCALL_SLOT_NAME(n, name, fn, nargs) [SESSION_SYS_##name] = #name,
        LDE_SYSCALLS(SYSCALL_SLOT_NAME) LDE_OWN_SYSCALLS(SYSCALL_SLOT_NAME)
#undef SYSCALL_SLOT_NAME
            [SESSION_SYS_UNKNOWN] = "(unknown)",
    };
    return slot < SESSION_NSYSCALL_SLOTS ? names[slot] : "?";
}

/* A trap from user mode has just pushed its frame at sp: a system call's
 * number is still in a7 (trap entry changes only sp and pc). */
static void note_trap(struct session_acct *a, const struct cpu *cpu)
{
    uint32_t cause;
    if (cpu_read_phys(cpu, cpu->x[2] + FRAME_CAUSE, &cause, 4) != 0 ||
        cause != VEC_SYSCALL)
        return;
    a->syscall_count[session_syscall_slot(cpu->x[17])]++;
    pid_acct(a, a->charge)->syscalls++;
}

/* The kernel's ready_at for pid, from its record (the one found last
 * time if it still is pid's: records are recycled only after their
 * process is reaped). 0 if it cannot be read. */
static uint64_t ready_at(const struct session *s, struct session_pid_acct *p,
                         uint32_t pid)
{
    const uint32_t size = sizeof(struct lde_procinfo);
    uint32_t rpid;
    if (s->procinfo_addr == 0 || pid == 0)
        return 0;
    for (uint32_t i = p->rec ? p->rec - 1 : 0; i < LDE_PROCS_MAX; i++) {
        uint32_t at = s->procinfo_addr + i * size;
        if (cpu_read_phys(s->cpu, at, &rpid, sizeof rpid) != 0)
            return 0;
        if (rpid != pid)
            continue;
        uint64_t ready;
        p->rec = i + 1;
        if (cpu_read_phys(s->cpu, at + offsetof(struct lde_procinfo, ready_at),
                          &ready, sizeof ready) != 0)
            return 0;
        return ready;
    }
    p->rec = 0;
    return 0;
}

/* An rti into user mode: the process now running (the kernel has set its
 * current pid before the rti) starts a stretch of user time, and ends a
 * wait if it became RUNNABLE since it last ran. */
static void note_user_entry(struct session *s, uint32_t pid, uint64_t cycle)
{
    struct session_acct *a = &s->acct;
    struct session_pid_acct *p = pid_acct(a, pid);
    uint64_t ready = ready_at(s, p, pid);
    if (ready != 0 && ready != p->ready_seen && ready <= cycle) {
        uint64_t from = ready > p->charged_end ? ready : p->charged_end;
        p->wait += cycle > from ? cycle - from : 0;
        p->waits++;
        p->ready_seen = ready;
    }
    if (pid != a->last_user_pid) {
        p->switches++;
        a->total_switches++;
        a->last_user_pid = pid;
    }
    if (p->first_user == 0)
        p->first_user = cycle;
}

void session_note_mode(struct session *s, uint32_t old_mode, uint32_t new_mode)
{
    struct session_acct *a = &s->acct;
    const struct cpu *cpu = s->cpu;
    if (old_mode == new_mode)
        return;
    if (old_mode == MODE_USER) {
        /* A trap: the kernel still names the process that trapped. */
        a->charge = session_current_pid(s);
        pid_acct(a, a->charge)->user += cpu->cycle - a->since;
        note_trap(a, cpu);
    } else {
        struct session_pid_acct *c = pid_acct(a, a->charge);
        c->kernel += kernel_stretch(s);
        c->charged_end = cpu->cycle;
        note_user_entry(s, session_current_pid(s), cpu->cycle);
    }
    a->since = cpu->cycle;
    a->idle_since = cpu->idle_cycles;
}

struct session_pid_acct session_pid_acct(const struct session *s, uint32_t pid)
{
    const struct session_acct *a = &s->acct;
    const struct cpu *cpu = s->cpu;
    struct session_pid_acct p = {0};
    if (pid < a->npid)
        p = a->pid[pid];
    /* The stretch still open: in user mode its pid is the current one. */
    if (cpu->mode == MODE_USER && pid == session_current_pid(s))
        p.user += cpu->cycle - a->since;
    else if (cpu->mode != MODE_USER && pid == a->charge)
        p.kernel += kernel_stretch(s);
    return p;
}

uint64_t session_wait(const struct session *s, const struct lde_procinfo *rec,
                      uint32_t *waits)
{
    const struct session_acct *a = &s->acct;
    uint32_t pid = rec->pid;
    struct session_pid_acct p = {0};
    if (pid != 0 && pid < a->npid)
        p = a->pid[pid];
    uint64_t now = s->cpu->cycle;
    /* Still waiting when the run stopped: that wait counts so far. The
     * current process is RUNNING, not waiting, even in the kernel. */
    if (pid != 0 && rec->state == PS_RUNNABLE && rec->ready_at != 0 &&
        rec->ready_at != p.ready_seen && rec->ready_at <= now) {
        uint64_t from =
            rec->ready_at > p.charged_end ? rec->ready_at : p.charged_end;
        p.wait += now > from ? now - from : 0;
        p.waits++;
    }
    if (waits != NULL)
        *waits = p.waits;
    return p.wait;
}

uint32_t session_acct_npids(const struct session *s)
{
    const struct session_acct *a = &s->acct;
    uint32_t n = a->npid;
    while (n > 0 && a->pid[n - 1].user == 0 && a->pid[n - 1].kernel == 0 &&
           a->pid[n - 1].first_user == 0)
        n--;
    /* The open stretch's process may have no figures yet. */
    uint32_t open =
        s->cpu->mode == MODE_USER ? session_current_pid(s) : a->charge;
    return open >= n ? open + 1 : n;
}

void session_demo(struct session_options *o)
{
    static char *compute[] = {"compute", "100000"};
    static char *yield[] = {"yield", "5"};
    static char *spinner[] = {"spinner", SESSION_DEMO_SPINS};
    o->progs[0] = (struct session_prog){"compute", 2, compute};
    o->progs[1] = (struct session_prog){"yield", 2, yield};
    o->progs[2] = (struct session_prog){"spinner", 2, spinner};
    o->nprogs = 3;
}

uint64_t session_next_slice(const struct session *s, uint64_t slice)
{
    uint64_t max = s->opt.max_cycles, now = s->cpu->cycle;
    if (max == 0)
        return slice;
    if (now >= max)
        return 0;
    return max - now < slice ? max - now : slice;
}

const char *session_prog_name(const struct session *s, unsigned i)
{
    return i < s->nprogs ? boot_prog_name(s->opt.progs[i].argv[0]) : "?";
}
