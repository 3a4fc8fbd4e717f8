/*
 * defs.h: the kernel's functions, by file (xv6's defs.h): one place to see
 * what each part offers the others.
 */
#ifndef DEFS_H
#define DEFS_H

#include <stddef.h>
#include <stdint.h>

#include "lde/abi.h"
#include "lde/machine.h"

struct proc;
struct trapframe;
struct context;
struct boot_prog;
struct boot_info;
struct file;
struct pipe;
struct elf_info;

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* console.c */
void console_init(void);
void console_putc(int fd, char c);
void console_write(int fd, const char *buf, uint32_t n);
int console_read(char *buf, uint32_t n);
void console_intr(void);
int console_poll(void);
int console_has_readers(void);

/* bootfs.c */
void bootfs_init(const struct boot_info *bi);
int bootfs_lookup(const char *path, const uint8_t **image, uint32_t *size);

/* elf.c */
const char *elf_check(const uint8_t *image, uint32_t size, uint32_t ubound,
                      struct elf_info *info);
void elf_load(const uint8_t *image, uint32_t ubase);

/* exec.c */
void boot_program(const struct boot_prog *bp);
void boot_start_waiting(void);
int boot_arrivals(uint64_t now);
int boot_waiting(void);
extern uint64_t boot_next_arrival; /* UINT64_MAX: no arrival ahead */

/* file.c */
struct file *filealloc(void);
struct file *filedup(struct file *f);
void fileclose(struct file *f);
void file_open_console(struct proc *p);
struct file *fd_file(const struct proc *p, int32_t fd);
int32_t fd_alloc(struct proc *p, struct file *f, int32_t from);
void fd_close(struct proc *p, int32_t fd);
void fd_close_all(struct proc *p, uint32_t mask);
int32_t fileread(struct file *f, uint32_t va, uint32_t n);
int32_t filewrite(struct file *f, uint32_t va, uint32_t n);
int file_is_console(const struct file *f);

/* main.c */
uint32_t ram_size(void);
extern int divzero_traps; /* divzero=trap on the kernel command line */

/* printf.c. No format attribute: here uint32_t is `long`, and %u/%x take
 * any 32-bit integer (int, long, uint32_t); 64-bit values need %llu. */
void kprintf(const char *fmt, ...);
int ksnprintf(char *buf, uint32_t size, const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn));

/* parse.c */
/* A decimal number of at most max in s[0..len): 0 with *out set, or -1
 * if s[0..len) is not one (empty, another character, too big). */
int parse_uint(const char *s, uint32_t len, uint64_t max, uint64_t *out);
/* Whether s[0..len) is exactly word. */
int parse_is(const char *s, uint32_t len, const char *word);

/* pipe.c */
int pipealloc(struct file **rf, struct file **wf);
void pipeclose(struct pipe *pi, int writable);
int32_t piperead(struct pipe *pi, uint32_t va, uint32_t n, int nonblock);
int32_t pipewrite(struct pipe *pi, uint32_t va, uint32_t n, int nonblock);

/* proc.c */
void procinit(void);
struct lde_procinfo *procinfo_new(const char *name, uint32_t ppid);
void procinfo_end(struct lde_procinfo *a, int status);
struct proc *proc_free_slot(void);
int proc_can_create(void);
void proc_init(struct proc *p, struct lde_procinfo *a);
void proc_ready(struct proc *p);
void scheduler(void) __attribute__((noreturn));
void sched(void);
void switched_to(struct proc *p);
void yield(void);
void sleep(const void *chan, enum lde_block_reason why);
void wakeup(const void *chan);
int sleep_until(uint64_t when);
/* Timer interrupt and scheduler: wake the sleepers whose time has come,
 * and let in the boot programs that arrive (arrive=). Returns how many
 * processes that made RUNNABLE. Every tick runs this, and mostly nobody
 * is due: that case is two compares here, no call. */
extern uint64_t sleep_next; /* no sleeper wakes before (a lower bound) */
int wake_due(uint64_t now);
static inline int wake_sleepers(uint64_t now)
{
    if (now < sleep_next && now < boot_next_arrival)
        return 0;
    return wake_due(now);
}
int32_t fork_proc(void);
void exit_proc(int status) __attribute__((noreturn));
int32_t wait_child(uint32_t idtype, uint32_t id, uint32_t options,
                   struct lde_siginfo *si);
int signal_action(uint32_t sig);
void kill_on_fault(struct proc *p, const struct trapframe *tf);
void kill_with_signal(struct proc *p, uint32_t sig);
int kill_proc(int32_t pid, uint32_t sig, uint32_t sender);
void proc_die(struct proc *p) __attribute__((noreturn));

/* string.c */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
char *safestrcpy(char *dst, const char *src, size_t size);

/* swtch.S */
void swtch(struct context *old, struct context *new);

/* syscall.c */
int32_t syscall(struct trapframe *tf);

/* timer.c */
extern uint32_t clock_hz;
void timer_init(uint32_t hz, uint32_t quantum, int preempt);
void timer_resume(void);
void timer_alarm(uint64_t when);
int timer_ack(void);
int timer_preemptive(void);
void cycles_to_time(uint64_t cycles, uint64_t *sec, uint64_t *nsec);
uint64_t time_to_cycles(uint64_t sec, uint64_t nsec);

/* trap.c */
void trapinit(void);
void trap(struct trapframe *tf);
void prepare_user_return(struct proc *p);
void forkret(void);
const char *vector_name(uint32_t vector);

/* trapentry.S */
void trap_vector(void);
void userret(struct trapframe *tf) __attribute__((noreturn));

/* vm.c */
enum part_kind { PART_FRESH, PART_ZEROED, PART_ANY };
void partition_init(uint32_t free_start, uint32_t ram_size);
uint32_t partition_count(void);
uint32_t partition_alloc(enum part_kind kind);
void partition_clear(uint32_t base);
void partition_free(uint32_t base);
int user_range_ok(const struct proc *p, uint32_t va, uint32_t len);
void *user_ptr(const struct proc *p, uint32_t va);
int copyin(const struct proc *p, void *dst, uint32_t va, uint32_t len);
int copyout(const struct proc *p, uint32_t va, const void *src, uint32_t len);
int32_t copyinstr(const struct proc *p, char *dst, uint32_t va, uint32_t max);

#endif /* DEFS_H */
