/*
 * lde/machine.h: the one description of the LDE machine.
 *
 * Shared by the emulator (src/cpu/), the host loader (src/loader/), the guest
 * kernel's C and its assembly (src/kernel/) and the tests, so that CSR
 * numbers, trap vectors, the trap frame layout, device registers and the
 * boot-info block cannot drift apart. The contract is
 * docs/isa.md, which explains every value below.
 *
 * Only #defines above the __ASSEMBLER__ guard: trapentry.S includes this.
 */
#ifndef LDE_MACHINE_H
#define LDE_MACHINE_H

/* ---- Modes and STATUS bits (docs/isa.md, "Modes") ------------------------ */
#define MODE_USER 0
#define MODE_KERNEL 1

#define STATUS_MODE 0x1u /* 1 = kernel; read-only to csr writes */
#define STATUS_IE 0x2u   /* interrupts enabled while in kernel mode */
#define STATUS_DZ 0x4u   /* integer divide by zero traps (vector 5) */
#define STATUS_WRITABLE (STATUS_IE | STATUS_DZ)

/* ---- CSR numbers (docs/isa.md, "CSRs") ---------------------------------- */
#define CSR_CYCLE 0xC00
#define CSR_INSTRET 0xC02
#define CSR_CYCLEH 0xC80
#define CSR_INSTRETH 0xC82
#define CSR_STATUS 0x7C0
#define CSR_TTR 0x7C1    /* trap table register (physical address) */
#define CSR_KSP 0x7C2    /* kernel sp for the next trap from user mode */
#define CSR_UBASE 0x7C3  /* physical address of user virtual address 0 */
#define CSR_UBOUND 0x7C4 /* size of the user address space in bytes */

/* Who may use a CSR: read in any mode (the counters), or read and write
 * in kernel mode only (the privileged layer). */
#define CSR_ANY_READ 0
#define CSR_KERNEL_RW 1

/* The one list of CSRs: the emulator's access rules, the disassembler's
 * and the debugger's names come from it.  X(number, name, access) */
#define LDE_CSRS(X)                                                            \
    X(CSR_CYCLE, cycle, CSR_ANY_READ)                                          \
    X(CSR_CYCLEH, cycleh, CSR_ANY_READ)                                        \
    X(CSR_INSTRET, instret, CSR_ANY_READ)                                      \
    X(CSR_INSTRETH, instreth, CSR_ANY_READ)                                    \
    X(CSR_STATUS, status, CSR_KERNEL_RW)                                       \
    X(CSR_TTR, ttr, CSR_KERNEL_RW)                                             \
    X(CSR_KSP, ksp, CSR_KERNEL_RW)                                             \
    X(CSR_UBASE, ubase, CSR_KERNEL_RW)                                         \
    X(CSR_UBOUND, ubound, CSR_KERNEL_RW)

/* ---- Trap vectors (docs/isa.md, "Traps") -------------------------------- */
#define VEC_ILLEGAL 0
#define VEC_PRIVILEGED 1
#define VEC_MEMFAULT 2
#define VEC_MISALIGNED 3
#define VEC_BREAKPOINT 4
#define VEC_DIVZERO 5
#define VEC_SYSCALL 8
#define VEC_TIMER 16
#define VEC_CONSOLE 17
#define NVECTORS 32

/* Linux's signal numbers, for the vectors that kill a user process (the
 * guest ABI: a process killed by signal s exits with status 128 + s). */
#define LDE_SIGILL 4
#define LDE_SIGTRAP 5
#define LDE_SIGBUS 7
#define LDE_SIGFPE 8
#define LDE_SIGKILL 9
#define LDE_SIGSEGV 11

/* The one list of vectors and their names; everything that names a vector
 * (the emulator's messages, the kernel's panics and kills, the debugger's
 * `catch trap WORD`, the reports) is generated from it.
 *   X(vector, word, name, signal)
 *   word:   one short word, for the debugger's commands and for JSON keys
 *   name:   what messages print
 *   signal: what kills a user process that takes it; 0 for the vectors
 *           that are not faults (system call, interrupts) */
#define LDE_VECTORS(X)                                                         \
    X(VEC_ILLEGAL, illegal, "illegal instruction", LDE_SIGILL)                 \
    X(VEC_PRIVILEGED, privileged, "privileged instruction", LDE_SIGILL)        \
    X(VEC_MEMFAULT, memfault, "memory fault", LDE_SIGSEGV)                     \
    X(VEC_MISALIGNED, misaligned, "misaligned access", LDE_SIGBUS)             \
    X(VEC_BREAKPOINT, breakpoint, "breakpoint", LDE_SIGTRAP)                   \
    X(VEC_DIVZERO, divzero, "divide by zero", LDE_SIGFPE)                      \
    X(VEC_SYSCALL, syscall, "system call", 0)                                  \
    X(VEC_TIMER, timer, "timer interrupt", 0)                                  \
    X(VEC_CONSOLE, console, "console interrupt", 0)

/* ---- The hardware trap frame ------------------------------------------ *
 * 36 words pushed on the kernel stack by trap entry, popped by rti.
 * Word i (0..30) holds register x(i+1).                                   */
#define FRAME_WORDS 36
#define FRAME_SIZE 144 /* bytes; trap entry keeps it 16-byte aligned */
#define FRAME_X(n) (((n)-1) * 4) /* offset of register xn, 1 <= n <= 31 */
#define FRAME_PC 124             /* where rti resumes */
#define FRAME_STATUS 128         /* STATUS as it was before the trap */
#define FRAME_CAUSE 132          /* the vector number */
#define FRAME_TVAL 136           /* bad address, or the instruction bits */
#define FRAME_ZERO 140           /* always written as 0 (keeps 16-byte size) */

/* Privileged instruction encodings of our own layer. */
#define INSN_RTI 0x30200073u /* the mret encoding, named rti here */
#define INSN_WFI 0x10500073u

/* ---- Memory map -------------------------------------------------------- */
#define USER_NULL_GUARD 0x1000u /* user va below this always faults */
#define DEV_BASE 0xF0000000u    /* device registers: kernel mode only */

#define TIMER_BASE 0xF0000000u
#define TIMER_INTERVAL 0x00 /* rw: period in cycles, 0 = off; write rearms */
#define TIMER_ACK 0x04      /* w: clear the pending interrupt; r: pending */
#define TIMER_COUNT_LO 0x08 /* r: cycle counter, low word */
#define TIMER_COUNT_HI 0x0C /* r: high word (latched when low is read) */

#define CONSOLE_BASE 0xF0001000u
#define CONSOLE_TX 0x00     /* w: print one byte */
#define CONSOLE_STATUS 0x04 /* r: CONSOLE_ST_* bits */
#define CONSOLE_RX 0x08     /* r: next input byte (pops it); 0 if none */
#define CONSOLE_CTRL 0x0C   /* rw: CONSOLE_CTRL_RXIE enables the interrupt */
#define CONSOLE_TXERR 0x10  /* w: print one byte on the host's stderr */
#define CONSOLE_ST_RXREADY 0x1u  /* an input byte is waiting */
#define CONSOLE_ST_RXCLOSED 0x2u /* no byte waits and none ever will */
#define CONSOLE_CTRL_RXIE 0x1u

#define POWER_BASE 0xF0002000u
#define POWER_HALT                                                             \
    0x00 /* w: halt the machine; the value is the exit status                  \
          */
#define POWER_PANIC                                                            \
    0x04 /* w: halt: kernel panic; the value is the physical                   \
            address of a NUL-terminated reason (or 0) */

#define DEV_WINDOW 0x1000u /* each device decodes 4 KiB */

/* ---- Boot (docs/isa.md §9) ------------------------------------------------ *
 * At reset a0 holds the physical address of a struct boot_info, written by
 * the host loader in RAM above the kernel image. Every pointer in it is a
 * physical address. Program images are ELF files (up to the end of their
 * last segment), 4-byte aligned; the file table names the files exec can
 * load, programs and others alike.                                       */
#define BOOT_MAGIC 0x3145444Cu /* "LDE1" little-endian */
#define BOOT_MAX_PROGS 16
#define BOOT_MAX_FILES 256
#define BOOT_INFO_MAGIC 0
#define BOOT_INFO_RAM_SIZE 4
#define BOOT_INFO_CLOCK_HZ 8
#define BOOT_INFO_FREE_START 12
#define BOOT_INFO_CMDLINE 16
#define BOOT_INFO_NPROGS 20
#define BOOT_INFO_PROGS 24
#define BOOT_INFO_NFILES 28
#define BOOT_INFO_FILES 32

#ifndef __ASSEMBLER__
#include <stdint.h>

struct boot_prog {
    uint32_t image; /* 0: physical address of the ELF file's bytes */
    uint32_t size;  /* 4: its size in bytes */
    uint32_t name;  /* 8: NUL-terminated program name (argv[0]'s basename) */
    uint32_t argc;  /* 12: number of arguments, argv[0] included */
    uint32_t argv;  /* 16: array of argc string addresses */
};

/* A read-only file exec can load: the kernel's whole file namespace. */
struct boot_file {
    uint32_t path;  /* 0: NUL-terminated path, e.g. "/bin/sh" */
    uint32_t image; /* 4: physical address of its bytes (4-byte aligned) */
    uint32_t size;  /* 8: their number */
};

struct boot_info {
    uint32_t magic;      /* 0: BOOT_MAGIC */
    uint32_t ram_size;   /* 4: bytes of RAM, from physical address 0 */
    uint32_t clock_hz;   /* 8: nominal clock, to turn cycles into time */
    uint32_t free_start; /* 12: first byte not used by kernel or boot data */
    uint32_t cmdline;    /* 16: kernel command line, NUL-terminated */
    uint32_t nprogs;     /* 20: entries in progs */
    uint32_t progs;      /* 24: array of struct boot_prog */
    uint32_t nfiles;     /* 28: entries in files */
    uint32_t files;      /* 32: array of struct boot_file */
};

_Static_assert(sizeof(struct boot_prog) == 20, "boot_prog layout");
_Static_assert(sizeof(struct boot_file) == 12, "boot_file layout");
_Static_assert(sizeof(struct boot_info) == 36, "boot_info layout");
_Static_assert(FRAME_WORDS * 4 == FRAME_SIZE, "frame size");
_Static_assert(FRAME_X(31) + 4 == FRAME_PC, "x1..x31 then pc");
_Static_assert(FRAME_ZERO + 4 == FRAME_SIZE, "zero word is last");
#endif

#endif /* LDE_MACHINE_H */
