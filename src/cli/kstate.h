/*
 * kstate.h: the guest kernel's accounting, read from RAM by the host.
 *
 * The kernel keeps its tables at symbols named in lde/abi.h (lde_acct,
 * lde_nacct, lde_sysstat, lde_nsysstat, lde_switches, lde_current_pid);
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

/* 0, or -1 with err = "the kernel has no symbol lde_switches" (or the
 * symbol lies outside RAM). */
int kstate_u32(const struct session *s, const char *sym, uint32_t *v, char *err,
               size_t errlen);

/* The first min(lde_nacct, max) records; *n gets how many. */
int kstate_acct(const struct session *s, struct lde_acct *out, unsigned max,
                unsigned *n, char *err, size_t errlen);

/* The first min(lde_nsysstat, max) entries, names NUL-terminated. */
int kstate_sysstat(const struct session *s, struct lde_sysstat *out,
                   unsigned max, unsigned *n, char *err, size_t errlen);

/* "running", "runnable", "blocked", ... for PS_* */
const char *kstate_state_name(uint32_t state);

/* How a record ended, or its state if it has not:
 * "exit 0", "killed: memory fault at pc 0x000100a4 (tval 0x0)",
 * "killed: signal 9", "running". */
void kstate_describe(const struct lde_acct *a, char *buf, size_t len);

/* The record's name, NUL-terminated whatever the kernel wrote. */
void kstate_name(const struct lde_acct *a, char *buf, size_t len);

#endif /* LDE_KSTATE_H */
