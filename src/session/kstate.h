/*
 * kstate.h: the guest kernel's process records, read from RAM by the host.
 *
 * The kernel keeps them at symbols named in lde/abi.h (lde_procinfo,
 * lde_nprocinfo, lde_current_pid);
 * the host finds them in the kernel's symbol table and copies them out
 * with cpu_read_phys. Nothing here writes to the machine. Used by
 * `lde run --stats`, the --max-cycles message and the debugger's ps.
 */
#ifndef LDE_KSTATE_H
#define LDE_KSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "lde/abi.h"
#include "session.h"

/* 0, or -1 with err = "the kernel has no symbol lde_current_pid" (or the
 * symbol lies outside RAM). */
int kstate_u32(const struct session *s, const char *sym, uint32_t *v, char *err,
               size_t errlen);

/* The first min(lde_nprocinfo, max) records, in pid order; *n gets how
 * many. The kernel keeps every live and zombie process's record and as
 * many of the reaped ones' as fit (lde/abi.h). */
int kstate_procinfo(const struct session *s, struct lde_procinfo *out,
                    unsigned max, unsigned *n, char *err, size_t errlen);

/* Where the kernel's table and its count are, found once for a reader that
 * looks at every trap (the observer): 0, or -1 with err as above. */
struct kstate_loc {
    uint32_t table_pa; /* lde_procinfo[LDE_PROCS_MAX] */
    uint32_t count_pa; /* lde_nprocinfo */
};
int kstate_locate_procinfo(const struct session *s, struct kstate_loc *loc,
                           char *err, size_t errlen);
/* The first min(count, max) records at a located table; 0 or -1. */
int kstate_procinfo_at(const struct session *s, const struct kstate_loc *loc,
                       struct lde_procinfo *out, unsigned max, unsigned *n);

/* How many processes the boot has created (lde_nprocs): at least
 * nrecords, the count of records read (all there is to go by if the
 * kernel has no such symbol). */
uint32_t kstate_nprocs(const struct session *s, unsigned nrecords);

/* The user pc of the process of record a: where it runs now if it is in
 * user mode on the CPU, else the pc in the frame at the top of its kernel
 * stack (where it will resume). 0, or -1 if it has no stack. */
int kstate_user_pc(const struct session *s, const struct lde_procinfo *a,
                   uint32_t *pc);

/* "running", "runnable", "blocked", ... for PS_* */
const char *kstate_state_name(uint32_t state);

/* "pipe", "wait", ... for BLOCK_* */
const char *kstate_block_name(uint32_t reason);

/* The state, with the reason if blocked: "running", "blocked:pipe". */
void kstate_state(const struct lde_procinfo *a, char *buf, size_t len);

/* How a record ended, or its state if it has not:
 * "exit 0", "killed: memory fault at pc 0x000100a4 (tval 0x0)",
 * "killed: signal 9 (SIGKILL)", "zombie, exit 3" (ended, not yet waited
 * for), "running", "blocked:pipe". */
void kstate_describe(const struct lde_procinfo *a, char *buf, size_t len);

/* The record's name, NUL-terminated whatever the kernel wrote. */
void kstate_name(const struct lde_procinfo *a, char *buf, size_t len);

#endif /* LDE_KSTATE_H */
