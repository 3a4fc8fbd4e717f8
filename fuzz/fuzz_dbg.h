/*
 * fuzz_dbg.h: the machine of `lde debug hello`, opened and closed as
 * debug_main() does, for the fuzz targets of the debugger (fuzz_debug)
 * and of its gdb stub (fuzz_gdbproto). A whole session per input: copying a
 * booted state back would lose what the session allocates as it runs,
 * and closing it lets LeakSanitizer check the teardown.
 */
#ifndef LDE_FUZZ_DBG_H
#define LDE_FUZZ_DBG_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"

#define FUZZ_DBG_RAM (8u << 20) /* the kernel and one partition */

static inline struct dbg *fuzz_dbg_open(uint64_t max_cycles)
{
    /* The debugger prints on stdout: not here. */
    static bool quiet;
    if (!quiet && freopen("/dev/null", "w", stdout) == NULL)
        abort();
    quiet = true;
    struct dbg *d = calloc(1, sizeof *d);
    struct session_options o;
    session_defaults(&o);
    o.ram_size = FUZZ_DBG_RAM;
    o.max_cycles = max_cycles;
    static char *argv[] = {"hello", NULL};
    o.nprogs = 1;
    o.progs[0] = (struct session_prog){argv[0], 1, argv};
    char err[512];
    if (d == NULL || session_open(&d->s, &o, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz: cannot boot: %s\n", err);
        abort();
    }
    struct session *s = &d->s;
    d->img[0] = (struct dbg_image){"kernel", s->kernel, session_ksyms(s),
                                   dbg_dwarf_open(s->kernel)};
    d->img[1] =
        (struct dbg_image){session_prog_name(s, 0), s->prog[0],
                           session_psyms(s, 0), dbg_dwarf_open(s->prog[0])};
    d->nimages = 2;
    hostcon_init(&d->hc, NULL, stdout, stdout);
    dbg_attach_hooks(d);
    d->x_fmt = 'x';
    d->x_unit = 'w';
    memcpy(d->shown_regs, d->s.cpu->x, sizeof d->shown_regs);
    return d;
}

static inline void fuzz_dbg_close(struct dbg *d)
{
    hostcon_free(&d->hc);
    for (unsigned i = 0; i < d->nimages; i++)
        dbg_dwarf_close(d->img[i].dw);
    session_close(&d->s);
    free(d);
}

#endif /* LDE_FUZZ_DBG_H */
