/*
 * session.h: one booted machine, as `lde run` and `lde debug` set it up.
 *
 *     struct session_options o;
 *     int rc = session_parse_args(argc, argv, "run", &o, err, sizeof err);
 *     ... rc: 0, or SESSION_EXIT_USAGE; o.help / o.version asked ...
 *     struct session s;
 *     rc = session_open(&s, &o, err, sizeof err);   // 0 or SESSION_EXIT_FILE
 *     cpu_set_hooks(s.cpu, &hooks);
 *     why = session_run(&s, slice, &end, &host_seconds);   // loop.h
 *     session_close(&s);
 *
 * session_open() is the boot sequence of docs/isa.md §9: resolve the kernel
 * and program images (a path, or a built-in name), check every ELF before
 * anything runs, create the cpu with the cycle table, load the kernel at
 * its physical addresses, write the boot-info block above it, and reset
 * the cpu to the kernel's entry with a0 = the block.
 */
#ifndef LDE_SESSION_H
#define LDE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot_block.h"
#include "cpu.h"
#include "lde/abi.h"
#include "elf_file.h"
#include "images.h"
#include "observe.h"
#include "symtab.h"

/* Exit statuses of lde itself (docs/usage.md). Anything else is the
 * guest's own exit status. */
#define SESSION_EXIT_FILE 1       /* missing or malformed file, RAM too small */
#define SESSION_EXIT_USAGE 2      /* bad command line */
#define SESSION_EXIT_PANIC 121    /* the kernel panicked */
#define SESSION_EXIT_DFAULT 122   /* double fault: a trap could not be taken */
#define SESSION_EXIT_DEADLOCK 123 /* wfi with no interrupt able to come */
#define SESSION_EXIT_LIMIT 124    /* --max-cycles reached */
#define SESSION_EXIT_OUTPUT 125   /* the guest's output could not be written */
/* Ctrl-C: 128 + SIGINT, as a shell reports a death by SIGINT. */
#define SESSION_EXIT_INTERRUPTED 130

#define SESSION_DEFAULT_RAM (64u << 20)
#define SESSION_DEFAULT_HZ 100000000u
#define SESSION_DEFAULT_QUANTUM 100000u /* cycles: 1 ms at 100 MHz */
#define SESSION_MIN_QUANTUM 1000u       /* below: traps take it all */
#define SESSION_DEFAULT_HISTORY ((uint64_t)256 << 20)

struct session_prog {
    const char *spec; /* a path, or a built-in program's name */
    int argc;         /* >= 1 */
    char **argv;      /* argv[0] == spec; points into the caller's argv */
};

/* Scheduling policies (docs/scheduling.md): `--sched` gives one, or a
 * list to compare. Each is kept as the kernel reads it (lde/sched.h), its
 * sizes and times already turned into cycles. */
#define SESSION_SCHED_MAX 8    /* policies compared in one run */
#define SESSION_SCHED_LEN 2048 /* "mlfq:queues=3,quanta=10000/20000/40000" */

struct session_sched {
    char spec[SESSION_SCHED_LEN]; /* for the kernel's sched= */
    char name[16];                /* the policy's name alone */
    bool learn; /* sjf, stcf with no lengths: learn them (session_learn) */
};

struct session_options {
    uint64_t quantum;        /* cycles per time slice */
    uint32_t ram_size;       /* bytes */
    uint32_t clock_hz;       /* nominal clock */
    bool cooperative;        /* preempt=0: no timer preemption */
    bool trap_divzero;       /* divzero=trap: division by zero kills */
    uint64_t max_cycles;     /* 0 = no limit */
    const char *costs_file;  /* NULL: the default cycle table */
    const char *kernel_file; /* NULL: the built-in kernel */
    uint32_t jit_hot;        /* --jit: cpu_set_jit()'s count, 0 = off */
    bool stats;
    struct observe_options observe; /* lde run: --trace, --lde-table, ... */
    const char *gdb;    /* --gdb [HOST:]PORT: serve gdb there; NULL: no */
    uint64_t history;   /* --history: bytes for reverse execution's
                           snapshots (lde debug, --gdb); 0 = off */
    bool record;        /* lde debug, --gdb: RAM's writes noted from the start,
                           so that the first snapshot stores only those pages
                           (timeline.h); set by the front end, not an option */
    bool help, version; /* asked for: print and exit 0 */
    bool sched_help;    /* --sched help: print the policies, exit 0 */
    bool sched_given;   /* --sched on the command line (not the default) */
    /* sched[0] is the policy session_open() boots with; nsched > 1 asks
     * `lde run` to run the programs once under each and compare. */
    unsigned nsched;
    struct session_sched sched[SESSION_SCHED_MAX];
    unsigned ntickets; /* --tickets: per program, in order */
    uint32_t tickets[BOOT_MAX_PROGS];
    unsigned narrival; /* --arrival: cycle each program arrives at */
    uint64_t arrival[BOOT_MAX_PROGS];
    unsigned nprogs; /* 0: no program given */
    struct session_prog progs[BOOT_MAX_PROGS];
    unsigned nfiles; /* --file HOST[:GUEST], for exec */
    const char *files[IMAGE_MAX_FILE_OPTS];
};

/* The demo that runs when no program is given: compute (CPU-bound),
 * yield (gives the CPU away) and a spinner that never calls the kernel
 * but stops after SESSION_DEMO_SPINS spins, so all three end. */
#define SESSION_DEMO_SPINS "2000000"
void session_demo(struct session_options *o);

/* Defaults (64 MiB, 100 MHz, 1 ms quantum, rr, preemptive). */
void session_defaults(struct session_options *o);

/*
 * Parse `lde <cmd> [options] [PROGRAM [ARGS...] [-- PROGRAM [ARGS...]]...]`
 * where argv[0] is <cmd>. Options come before the first program;
 * everything after a program up to `--` is its argv. Returns 0 or
 * SESSION_EXIT_USAGE with one line in err. argv must outlive o.
 */
int session_parse_args(int argc, char **argv, struct session_options *o,
                       char *err, size_t errlen);

/* The options part of the usage text, for `lde <cmd> --help`. */
extern const char session_options_help[];

/*
 * Where the cycles went, per process, measured by the machine at each
 * mode switch (the host's mode hook calls session_note_mode): user cycles
 * go to the process that ran them; kernel cycles from a trap to the next
 * return to user mode go to the process whose trap entered the kernel
 * (the work done for it, the scheduling and switch that follow included).
 * Kernel time before any process ran goes to pid 0. Idle time (wfi) is
 * nobody's. So: sum of user + sum of kernel + idle == total cycles.
 *
 * This is the one owner of these figures: the kernel keeps no cycle
 * counts (lde/abi.h). The same hook counts, at the same moments, the
 * system calls (by number, at each trap from user mode with vector 8), the
 * context switches (an rti into user mode in another process than the last
 * one that ran in user mode) and each process's first entry to user mode
 * (its response time).
 *
 * And the time each process waited, RUNNABLE, for the CPU: at each entry
 * to user mode the host reads the cycle at which the kernel last made the
 * process RUNNABLE (lde_procinfo.ready_at), and a stamp it has not seen
 * before closes a wait. A wait begins at that stamp, or when the kernel
 * stopped working for the process if that is later (a process preempted
 * is RUNNABLE while its own trap's switch still runs, and those cycles
 * are already its kernel cycles): so a process's cycles and its waits
 * never overlap.
 *
 * The figures are kept by pid, for every pid the run has seen: with fork a
 * boot creates as many processes as it likes (the kernel recycles its
 * records of reaped ones), so the table grows with the highest pid.
 */
struct session_pid_acct {
    uint64_t user;        /* cycles in user mode */
    uint64_t kernel;      /* kernel cycles charged to it (see above) */
    uint64_t first_user;  /* cycle of its first user instruction; 0 = not yet */
    uint32_t switches;    /* times switched to */
    uint32_t syscalls;    /* system calls made */
    uint64_t wait;        /* cycles RUNNABLE, not running (see above) */
    uint32_t waits;       /* the waits counted in it */
    uint32_t rec;         /* its record's index in lde_procinfo[] + 1; 0 =
                             not looked up yet (records are recycled) */
    uint64_t ready_seen;  /* the last ready_at counted */
    uint64_t charged_end; /* end of its last kernel stretch */
};

/* Slots of the system call counts: one per call the kernel implements
 * (lde/syscalls.h), and one for every other number. */
enum session_syscall_slot {
#define SESSION_SYSCALL_SLOT(nr, name, fn, nargs) SESSION_SYS_##name,
    LDE_SYSCALLS(SESSION_SYSCALL_SLOT) LDE_OWN_SYSCALLS(SESSION_SYSCALL_SLOT)
#undef SESSION_SYSCALL_SLOT
        SESSION_SYS_UNKNOWN,
    SESSION_NSYSCALL_SLOTS
};

struct session_acct {
    struct session_pid_acct *pid; /* by pid (0: the kernel at boot) */
    uint32_t npid;                /* entries in pid[] */
    struct session_pid_acct lost; /* where figures go if pid[] cannot grow */
    uint64_t syscall_count[SESSION_NSYSCALL_SLOTS]; /* by call */
    uint64_t total_switches;
    uint32_t last_user_pid; /* the last pid that ran in user mode */
    uint32_t charge;        /* pid whose trap opened the kernel window */
    uint64_t since;         /* cycle at which the current stretch began */
    uint64_t idle_since;    /* cpu->idle_cycles then */
};

/* The slot of system call number nr. */
unsigned session_syscall_slot(uint32_t nr);
/* Slot s's system call name ("(unknown)" for SESSION_SYS_UNKNOWN). */
const char *session_syscall_slot_name(unsigned slot);

struct session {
    struct session_options opt;
    struct cpu *cpu;
    struct elf_file *kernel;
    unsigned nprogs;
    struct elf_file *prog[BOOT_MAX_PROGS];
    /* The images' symbol tables, read on first use (session_ksyms(),
     * session_psyms()): a plain run never asks, and reading the kernel's
     * cost as much as the rest of booting. */
    struct session_symbols *syms;
    struct image_files files; /* the kernel's, for exec */
    uint32_t kernel_entry;    /* physical */
    uint32_t kernel_end;      /* first byte past the kernel image */
    struct boot_layout boot;
    char cmdline[4096];     /* the kernel command line */
    uint32_t curpid_addr;   /* the kernel's lde_current_pid; 0 = no symbol */
    uint32_t procinfo_addr; /* the kernel's lde_procinfo[]; 0 = no symbol */
    struct session_acct acct;
    /* Reverse execution (timeline.h): NULL unless a front end records the
     * past; session_run() ticks it, session_reboot() resets it and
     * session_close() frees it. */
    struct timeline *timeline;
    /* 0, or the step count (cpu_steps) at which session_run() stops with
     * SESSION_END_STEPS (it may go a step or two past it). */
    uint64_t step_limit;
};

/* Boot (see above). Returns 0, or SESSION_EXIT_FILE with one line in err
 * ("prog.elf: segment 2 at 0x0 is below 0x1000"), everything freed. */
int session_open(struct session *s, const struct session_options *o, char *err,
                 size_t errlen);

/* Boot again from scratch in the same cpu: RAM cleared, kernel and boot
 * block rewritten, counters and devices reset; hooks and breakpoints kept.
 * Returns 0, or -1 with err written (cannot happen after a good open). */
int session_reboot(struct session *s, char *err, size_t errlen);

void session_close(struct session *s);

/* The kernel's symbols, read on first use: never NULL once open (empty if
 * the image has none, its table is malformed or memory ran out). */
const struct sym_table *session_ksyms(const struct session *s);
/* Program i's symbols, the same way; NULL if i >= s->nprogs. */
const struct sym_table *session_psyms(const struct session *s, unsigned i);
/* The address of the kernel's symbol name: for the ABI's (LDE_SYM_*), as
 * found at open by one scan of the file; for others, from the table if
 * something read it already, else by a scan that does not read it. 0, or
 * -1 if there is none. */
int session_ksym_addr(const struct session *s, const char *name,
                      uint32_t *addr);

/* The kernel's current pid (lde_current_pid), 0 if none or unknown. */
uint32_t session_current_pid(const struct session *s);

/* Call from the cpu's mode hook: closes the stretch that just ended. */
void session_note_mode(struct session *s, uint32_t old_mode, uint32_t new_mode);

/* pid's figures up to now (the open stretch included), as defined above
 * struct session_acct; zero for a pid the run has not seen, and pid 0's
 * user is always 0. */
struct session_pid_acct session_pid_acct(const struct session *s, uint32_t pid);

/* The cycles the process of record rec has waited RUNNABLE (see above),
 * the wait still open if it is RUNNABLE now included; *waits (if not
 * NULL) gets how many waits that is. */
uint64_t session_wait(const struct session *s, const struct lde_procinfo *rec,
                      uint32_t *waits);

/* One more than the highest pid with figures. */
uint32_t session_acct_npids(const struct session *s);

/* The budget for the next cpu_run(): at most slice cycles, and no further
 * than --max-cycles; 0 once that limit is reached. */
uint64_t session_next_slice(const struct session *s, uint64_t slice);

/* The name under which program i runs (argv[0]'s basename). */
const char *session_prog_name(const struct session *s, unsigned i);

/* "lde 0.1", for every subcommand's --version. */
extern const char session_version[];

#endif /* LDE_SESSION_H */
