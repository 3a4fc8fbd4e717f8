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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* console.c */
void console_init(void);
void console_putc(int fd, char c);
void console_write(int fd, const char *buf, uint32_t n);
int console_read(char *buf, uint32_t n);
void console_intr(void);
int console_poll(void);
int console_has_readers(void);

/* elf.c */
const char *elf_load(struct proc *p, const uint8_t *image, uint32_t size,
                     uint32_t *entry, uint32_t *end);

/* main.c */
uint32_t ram_size(void);

/* printf.c. No format attribute: here uint32_t is `long`, and %u/%x take
 * any 32-bit integer (int, long, uint32_t); 64-bit values need %llu. */
void kprintf(const char *fmt, ...);
int ksnprintf(char *buf, uint32_t size, const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn));

/* proc.c */
void procinit(void);
void proc_create(const struct boot_prog *bp, uint32_t pid);
void scheduler(void) __attribute__((noreturn));
void sched(void);
void yield(void);
void sleep(const void *chan);
void wakeup(const void *chan);
int sleep_until(uint64_t when);
void wake_sleepers(uint64_t now);
void exit_proc(int status) __attribute__((noreturn));
void proc_die(struct proc *p) __attribute__((noreturn));
int kill_proc(uint32_t pid, uint32_t sig, uint32_t sender);
void kill_on_fault(struct proc *p, const struct trapframe *tf);

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
void syscall(struct trapframe *tf);

/* timer.c */
extern uint32_t clock_hz;
void timer_init(uint32_t hz, uint32_t quantum, int preempt);

/* main.c */
extern int divzero_traps; /* divzero=trap on the kernel command line */
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
void partition_init(uint32_t free_start, uint32_t ram_size);
uint32_t partition_count(void);
uint32_t partition_alloc(void);
void partition_free(uint32_t base);
int user_range_ok(const struct proc *p, uint32_t va, uint32_t len);
void *user_ptr(const struct proc *p, uint32_t va);
int copyin(const struct proc *p, void *dst, uint32_t va, uint32_t len);
int copyout(const struct proc *p, uint32_t va, const void *src, uint32_t len);

#endif /* DEFS_H */
