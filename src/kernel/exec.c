/*
 * exec.c: making a process image. OSTEP Figure 6.1's list, "load program
 * into memory, setup user stack with argc/argv, clear registers", and
 * Figure 6.2's "fill kernel stack with reg/PC", for both ways a program
 * starts:
 *
 *   - a boot program (one per program on the host's command line), which
 *     becomes a new process: boot_program();
 *   - the execve system call, which replaces the caller's image and keeps
 *     the process (its pid, parent and open files): sys_execve().
 *
 * Either way: the arguments are copied into a kernel buffer first (so the
 * old image may be overwritten), the ELF image is checked (elf.c) and the
 * stack planned before anything changes, then the image is loaded into a
 * zeroed partition, the stack written in the Linux layout, and the trap
 * frame set so that rti "returns" into the program's entry point.
 */
#include "defs.h"
#include "elf.h"
#include "proc.h"
#include "riscv.h"

#define AT_NULL 0
#define AT_PAGESZ 6

/* The strings of the image being built: argv's, then envp's. The kernel
 * never sleeps while it builds an image, so one buffer serves. Written
 * before read: no need to clear. */
static struct execargs {
    uint32_t argc, envc;
    uint32_t used;             /* bytes of strings, NULs included */
    uint32_t off[MAXARG];      /* where string i starts in strings[] */
    char strings[MAXARGBYTES]; /* each NUL-terminated */
} args __attribute__((section(".noinit.execargs")));

static void args_reset(void)
{
    args.argc = args.envc = args.used = 0;
}

/* Room for one more string of len bytes (NUL included)? */
static int args_room(uint32_t len)
{
    return args.argc + args.envc < MAXARG && len <= MAXARGBYTES - args.used;
}

/* Where the image will be: worked out before anything is written. */
struct image_plan {
    uint32_t entry; /* pc of the first instruction */
    uint32_t start; /* the image's lowest address, page aligned */
    uint32_t brk;   /* initial program break: the end of the image */
    uint32_t sp;    /* initial sp: argc, argv, envp, auxv, then strings */
};

/* Check image and plan its stack (the Linux layout, the RISC-V psABI's
 * "process initialization"):
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL,
 *         auxv: AT_PAGESZ 4096, AT_NULL 0, padding, then the strings.
 *
 * sp is 16-byte aligned. Returns 0, or -ENOEXEC (not a program we can
 * run) or -ENOMEM (no room for the stack above the image) with *why. */
static int32_t plan_image(const uint8_t *image, uint32_t size,
                          struct image_plan *pl, const char **why)
{
    struct elf_info ei;
    *why = elf_check(image, size, LDE_USER_SIZE, &ei);
    if (*why)
        return -LDE_ENOEXEC;
    pl->entry = ei.entry;
    pl->start = ei.start & ~(uint32_t)(PGSIZE - 1);
    pl->brk = (ei.end + PGSIZE - 1) & ~(uint32_t)(PGSIZE - 1);
    /* One word per string, argv's and envp's alike: lde/abi.h's layout
     * with argc + envc strings (the host checks boot programs with it). */
    pl->sp = lde_ustack_sp(LDE_USER_SIZE - args.used, args.argc + args.envc);
    if (pl->sp < pl->brk + LDE_USER_STACK_ROOM) {
        *why = "no room for the stack";
        return -LDE_ENOMEM;
    }
    return 0;
}

/* Build the planned image in p's partition, which reads as zero: the
 * program, the stack, the break, and a trap frame for its first rti. */
static void build_image(struct proc *p, const uint8_t *image,
                        const struct image_plan *pl)
{
    elf_load(image, p->ubase);

    /* The strings at the top, in order; then the words below them. */
    uint32_t strings = LDE_USER_SIZE - args.used;
    memcpy(user_ptr(p, strings), args.strings, args.used);
    uint32_t *w = user_ptr(p, pl->sp);
    *w++ = args.argc;
    for (uint32_t i = 0; i < args.argc; i++)
        *w++ = strings + args.off[i];
    *w++ = 0; /* end of argv */
    for (uint32_t i = args.argc; i < args.argc + args.envc; i++)
        *w++ = strings + args.off[i];
    *w++ = 0; /* end of envp */
    *w++ = AT_PAGESZ;
    *w++ = PGSIZE;
    *w++ = AT_NULL;
    *w++ = 0;

    p->ustart = pl->start;
    p->brk = p->brk_min = p->brk_max = pl->brk;
    /* "clear registers": all zero but pc and sp. MODE user; dividing by
     * zero traps only with divzero=trap (a new image starts with the
     * kernel's default, whatever the old one chose). */
    memset(p->tf, 0, sizeof *p->tf);
    p->tf->pc = pl->entry;
    p->tf->sp = pl->sp;
    p->tf->status = divzero_traps ? STATUS_DZ : 0;
}

/* The last component of path, the name ps shows for the process. */
static const char *basename(const char *path)
{
    const char *name = path;
    for (const char *s = path; *s; s++)
        if (s[0] == '/' && s[1])
            name = s + 1;
    return name;
}

/* ---- Boot programs ------------------------------------------------------ */

/* A string the host loader left in RAM: its length if it is NUL-terminated
 * within max bytes and inside RAM, else -1. */
static int32_t boot_strlen(uint32_t addr, uint32_t max)
{
    if (addr == 0 || addr >= ram_size())
        return -1;
    if (max > ram_size() - addr)
        max = ram_size() - addr;
    const char *s = (const char *)(uintptr_t)addr;
    for (uint32_t i = 0; i < max; i++)
        if (s[i] == '\0')
            return (int32_t)i;
    return -1;
}

/* A boot program's argv, from the boot block into args. 0, or why not. */
static const char *boot_args(const struct boot_prog *bp)
{
    args_reset();
    if (bp->argc > MAXARG)
        return "too many arguments";
    if (bp->argc && (bp->argv >= ram_size() || (bp->argv & 3) ||
                     bp->argc > (ram_size() - bp->argv) / 4))
        return "argument vector outside RAM";
    const uint32_t *hargv = (const uint32_t *)(uintptr_t)bp->argv;
    for (uint32_t i = 0; i < bp->argc; i++) {
        int32_t len = boot_strlen(hargv[i], MAXARGBYTES);
        if (len < 0 || !args_room((uint32_t)len + 1))
            return "arguments too long";
        args.off[args.argc++] = args.used;
        memcpy(args.strings + args.used, (const char *)(uintptr_t)hargv[i],
               (uint32_t)len + 1);
        args.used += (uint32_t)len + 1;
    }
    return 0;
}

/* A boot program that cannot run: it keeps its pid and a record, ended
 * at once with status 126 (the shell's "cannot execute"). */
static void refuse(struct lde_procinfo *a, const char *why)
{
    kprintf("lde: pid %u (%s) refused: %s\n", a->pid, a->name, why);
    procinfo_end(a, 126);
}

/* Boot programs waiting for a partition (or a slot): when RAM holds
 * fewer partitions than there are programs, the rest start, in order, as
 * others end. And programs that arrive later (arrive= on the command
 * line, for the scheduling examples of OSTEP 7): they wait here until
 * their cycle. */
static struct waiting {
    const struct boot_prog *bp;
    struct lde_procinfo *info; /* created at boot: pids follow boot order */
    uint64_t arrive;           /* cycle it arrives at; 0 = it has */
} waiting[BOOT_MAX_PROGS];
static uint32_t nwaiting;
uint64_t boot_next_arrival = UINT64_MAX; /* earliest arrive still ahead */

/* Make boot program bp the process of record a: OSTEP Figure 6.2,
 * "create entry for process list, allocate memory for program, load
 * program into memory, setup user stack with argv, fill kernel stack
 * with reg/PC". Returns 0 if no partition or slot is free (try again
 * later), 1 if it was created or refused. */
static int boot_start(const struct boot_prog *bp, struct lde_procinfo *a)
{
    struct proc *p = proc_free_slot();
    if (!p)
        return 0;
    const char *why = boot_args(bp);
    struct image_plan pl;
    const uint8_t *image = (const uint8_t *)(uintptr_t)bp->image;
    if (!why && (bp->image >= ram_size() || bp->size > ram_size() - bp->image))
        why = "image outside RAM";
    if (!why)
        plan_image(image, bp->size, &pl, &why);
    if (why) {
        refuse(a, why);
        return 1;
    }
    uint32_t base = partition_alloc(PART_ZEROED);
    if (!base)
        return 0;
    proc_init(p, a);
    p->ubase = base;
    build_image(p, image, &pl);
    file_open_console(p);
    proc_ready(p);
    return 1;
}

/* Boot program bp becomes the next process (pid i + 1 for program i),
 * now or when memory frees up. */
void boot_program(const struct boot_prog *bp)
{
    const char *name = "?";
    if (boot_strlen(bp->name, LDE_NAME_MAX * 16) >= 0)
        name = (const char *)(uintptr_t)bp->name;
    struct lde_procinfo *a = procinfo_new(name, 0);
    uint64_t arrive = sched_arrival(a->pid);
    if (partition_count() == 0) {
        refuse(a, "no room in RAM for a partition");
    } else if (arrive > a->created) {
        /* Its arrival is its creation, for response and turnaround. */
        a->created = arrive;
        waiting[nwaiting++] = (struct waiting){bp, a, arrive};
        if (arrive < boot_next_arrival)
            boot_next_arrival = arrive;
    } else if (!boot_start(bp, a)) {
        waiting[nwaiting++] = (struct waiting){bp, a, 0};
    }
}

/* Start the waiting programs that have arrived, first come first served,
 * while partitions and slots are free. */
void boot_start_waiting(void)
{
    for (uint32_t i = 0; i < nwaiting;) {
        if (waiting[i].arrive) {
            i++;
            continue;
        }
        if (!boot_start(waiting[i].bp, waiting[i].info))
            return;
        nwaiting--;
        memmove(&waiting[i], &waiting[i + 1],
                (nwaiting - i) * sizeof waiting[0]);
    }
}

/* The programs whose arrival cycle has come join the others; how many. */
int boot_arrivals(uint64_t now)
{
    int n = 0;
    boot_next_arrival = UINT64_MAX;
    for (uint32_t i = 0; i < nwaiting; i++) {
        if (waiting[i].arrive > now) {
            if (waiting[i].arrive < boot_next_arrival)
                boot_next_arrival = waiting[i].arrive;
        } else if (waiting[i].arrive) {
            waiting[i].arrive = 0;
            n++;
        }
    }
    boot_start_waiting();
    return n;
}

/* Boot programs not started yet (for memory, or their arrival). */
int boot_waiting(void)
{
    return nwaiting != 0;
}

/* ---- execve ------------------------------------------------------------ */

/* Append the strings of the user array at va (NULL-terminated) to args;
 * va 0 is an empty array, as on Linux. 0, -EFAULT or -E2BIG. */
static int32_t args_from_user(struct proc *p, uint32_t va, uint32_t *count)
{
    for (uint32_t i = 0; va; i++) {
        uint32_t str;
        if (copyin(p, &str, va + 4 * i, 4) < 0)
            return -LDE_EFAULT;
        if (str == 0)
            return 0;
        if (!args_room(1))
            return -LDE_E2BIG;
        int32_t len = copyinstr(p, args.strings + args.used, str,
                                MAXARGBYTES - args.used);
        if (len == -LDE_ENAMETOOLONG)
            return -LDE_E2BIG;
        if (len < 0)
            return len;
        args.off[args.argc + args.envc] = args.used;
        args.used += (uint32_t)len + 1;
        (*count)++;
    }
    return 0;
}

/* execve(path, argv, envp) (OSTEP 5.3): run the program at path (bootfs.c)
 * in the caller's place. The process keeps its pid, parent and open files
 * (but those marked close-on-exec); everything else is the new program's.
 * On success it does not return: the trap frame now starts the program.
 * On failure the caller goes on with -EFAULT, -ENAMETOOLONG, -ENOENT,
 * -E2BIG, -ENOEXEC or -ENOMEM, its image untouched. */
int32_t sys_execve(struct trapframe *tf)
{
    struct proc *p = myproc();
    static char path[LDE_PATH_MAX];
    int32_t r = copyinstr(p, path, tf->a0, sizeof path);
    if (r < 0)
        return r;
    const uint8_t *image;
    uint32_t size;
    if (bootfs_lookup(path, &image, &size) < 0)
        return -LDE_ENOENT;
    args_reset();
    if ((r = args_from_user(p, tf->a1, &args.argc)) < 0 ||
        (r = args_from_user(p, tf->a2, &args.envc)) < 0)
        return r;
    struct image_plan pl;
    const char *why;
    if ((r = plan_image(image, size, &pl, &why)) < 0)
        return r;

    /* The point of no return. A never-used partition needs no clearing:
     * the new image goes there if there is one; else into the caller's
     * own, cleared (the old image's memory is the same process's, but the
     * new program may rely on fresh memory reading as zero). */
    uint32_t base = partition_alloc(PART_FRESH);
    if (base) {
        partition_free(p->ubase);
        p->ubase = base;
        p->info->ubase = base;
        csr_write(CSR_UBASE, base); /* rti returns into the new partition */
    } else {
        partition_clear(p->ubase);
    }
    build_image(p, image, &pl);
    fd_close_all(p, p->cloexec);
    safestrcpy(p->name, basename(path), sizeof p->name);
    safestrcpy(p->info->name, p->name, sizeof p->info->name);
    return 0; /* a0 of the new program: 0, as the frame has it */
}
