/*
 * stack.c: bt, finish's return point, and list.
 *
 * The guest code is built with -O2 and keeps no frame pointer (s0 is an
 * ordinary register), so a frame-pointer walk would print garbage. The
 * callers are found instead from the call frame information the compiler
 * writes with -g (.debug_frame), which says for every pc where the return
 * address and the caller's sp are. Assembly without CFI (trapentry.S,
 * swtch.S, _start) ends the walk, except at the kernel's trap_vector: its
 * sp points at the frame the hardware pushed, so the walk goes on in the
 * code the trap interrupted, user or kernel.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"

#define BT_MAX 64
#define TRAP_VECTOR_SYMBOL "trap_vector"

struct reader {
    const struct dbg *d;
    int space;
};

static int read_word(void *ctx, uint32_t addr, uint32_t *v)
{
    struct reader *r = ctx;
    char err[160];
    return dbg_read(r->d, (struct dbg_loc){addr, r->space}, v, 4, err,
                    sizeof err);
}

/* exact: l is where execution is or resumes; otherwise it is a return
 * address and the call is the instruction before it. */
static void print_frame(struct dbg *d, int k, struct dbg_loc l, bool exact)
{
    char where[160];
    const char *file;
    int line;
    int im = dbg_space_image(d, l.space);
    /* A return address may be the first byte after a noreturn call at
     * the end of a function: name the function of the call. */
    uint32_t at = exact ? l.addr : l.addr - 4, off;
    const struct sym *s = dbg_symbol_at(d, (struct dbg_loc){at, l.space}, &off);
    if (s == NULL)
        snprintf(where, sizeof where, "0x%08" PRIx32, l.addr);
    else if (l.addr == s->addr)
        snprintf(where, sizeof where, "0x%08" PRIx32 " <%s>", l.addr, s->name);
    else
        snprintf(where, sizeof where, "0x%08" PRIx32 " <%s+0x%" PRIx32 ">",
                 l.addr, s->name, l.addr - s->addr);
    printf("#%-2d %s in %s", k, where,
           im >= 0 ? d->img[im].name : dbg_space_name(d, l.space));
    if (im >= 0 && dbg_dwarf_line(d->img[im].dw, at, &file, &line) == 0) {
        const char *base = strrchr(file, '/');
        printf(" (%s:%d)", base ? base + 1 : file, line);
    }
    printf("\n");
}

/* At trap_vector, sp is the frame: load the interrupted state from it. */
static bool through_trap_frame(struct dbg *d, uint32_t regs[32],
                               struct dbg_loc *l)
{
    const struct cpu *cpu = d->s.cpu;
    uint32_t f = regs[2], w[FRAME_WORDS];
    if ((uint64_t)f + FRAME_SIZE > cpu->ram_size ||
        cpu_read_phys(cpu, f, w, FRAME_SIZE) != 0 ||
        w[FRAME_CAUSE / 4] >= NVECTORS) {
        printf("    (no trap frame at sp 0x%08" PRIx32 ")\n", f);
        return false;
    }
    bool user = (w[FRAME_STATUS / 4] & STATUS_MODE) == 0;
    printf("    --- trap frame at 0x%08" PRIx32 ": %s from %s mode ---\n", f,
           cpu_vector_name(w[FRAME_CAUSE / 4]), user ? "user" : "kernel");
    regs[0] = 0;
    for (int r = 1; r < 32; r++)
        regs[r] = w[FRAME_X(r) / 4];
    *l = (struct dbg_loc){w[FRAME_PC / 4], user ? DBG_USER : DBG_KERNEL};
    return true;
}

int dbg_cmd_bt(struct dbg *d, const char *args)
{
    (void)args;
    const struct cpu *cpu = d->s.cpu;
    uint32_t regs[32];
    memcpy(regs, cpu->x, sizeof regs);
    struct dbg_loc l = {cpu->pc, dbg_current_space(d)};
    bool exact = true;
    for (int k = 0; k < BT_MAX; k++) {
        print_frame(d, k, l, exact);
        uint32_t off;
        const struct sym *s = dbg_symbol_at(d, l, &off);
        if (l.space == DBG_KERNEL && s != NULL &&
            strcmp(s->name, TRAP_VECTOR_SYMBOL) == 0) {
            if (!through_trap_frame(d, regs, &l))
                return 0;
            exact = true;
            continue;
        }
        int im = dbg_space_image(d, l.space);
        struct reader rd = {d, l.space};
        struct dbg_unwind u;
        if (im < 0 ||
            dbg_dwarf_unwind(d->img[im].dw, exact ? l.addr : l.addr - 1, regs,
                             read_word, &rd, &u) != 0) {
            if (k == 0 && s != NULL && off == 0 && regs[1] != 0) {
                /* At a function's first instruction ra is still the
                 * return address, and sp the caller's. */
                printf("    (no call frame information; at the entry of "
                       "%s, ra is the return address)\n",
                       s->name);
                l.addr = regs[1];
                exact = false;
                continue;
            }
            if (k == 0)
                printf("    (no call frame information for this code: ra = "
                       "0x%08" PRIx32 ", sp = 0x%08" PRIx32
                       "; ra is the return address only until this code "
                       "makes a call)\n",
                       regs[1], regs[2]);
            else
                printf("    (no call frame information beyond here)\n");
            return 0;
        }
        if (!u.pc_known || u.pc == 0) {
            printf("    (outermost frame)\n");
            return 0;
        }
        memcpy(regs, u.regs, sizeof regs);
        l.addr = u.pc;
        exact = false;
    }
    return 0;
}

int dbg_return_point(struct dbg *d, uint32_t *ret_pc, uint32_t *caller_sp,
                     char *err, size_t errlen)
{
    const struct cpu *cpu = d->s.cpu;
    struct dbg_loc l = {cpu->pc, dbg_current_space(d)};
    int im = dbg_space_image(d, l.space);
    struct reader rd = {d, l.space};
    struct dbg_unwind u;
    if (im >= 0 &&
        dbg_dwarf_unwind(d->img[im].dw, l.addr, cpu->x, read_word, &rd, &u) ==
            0 &&
        u.pc_known) {
        *ret_pc = u.pc;
        *caller_sp = u.regs[2];
        return 0;
    }
    uint32_t off;
    const struct sym *s = dbg_symbol_at(d, l, &off);
    if (s != NULL && strcmp(s->name, TRAP_VECTOR_SYMBOL) == 0) {
        snprintf(err, errlen,
                 "%s does not return: it leaves the trap with rti ('catch "
                 "rti' then 'continue')",
                 TRAP_VECTOR_SYMBOL);
        return -1;
    }
    if (s != NULL && off == 0) {
        /* At the first instruction ra is still the return address. */
        *ret_pc = cpu->x[1];
        *caller_sp = cpu->x[2];
        return 0;
    }
    snprintf(err, errlen,
             "no call frame information here and not at a function's "
             "entry; ra = 0x%08" PRIx32 " may be stale ('until ADDR')",
             cpu->x[1]);
    return -1;
}

/* ---- list -------------------------------------------------------------- */

static int show_lines(struct dbg *d, const char *path, int from, int to,
                      int mark)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        dbg_err("list: cannot read %s", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int n = 0, shown = 0;
    while (getline(&line, &cap, f) > 0) {
        n++;
        if (n < from)
            continue;
        if (n > to)
            break;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\n')
            line[len - 1] = '\0';
        printf("%s%-5d %s\n", n == mark ? "=>" : "  ", n, line);
        shown++;
    }
    free(line);
    fclose(f);
    if (shown == 0) {
        dbg_err("list: line %d is past the end of %s (%d lines)", from, path,
                n);
        return -1;
    }
    snprintf(d->list_file, sizeof d->list_file, "%s", path);
    d->list_line = to + 1;
    return 0;
}

void dbg_show_source_line(struct dbg *d)
{
    int im = dbg_space_image(d, dbg_current_space(d));
    const char *path;
    int want;
    if (im < 0 ||
        dbg_dwarf_line(d->img[im].dw, d->s.cpu->pc, &path, &want) != 0)
        return;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    for (int n = 1; (len = getline(&line, &cap, f)) > 0; n++) {
        if (n < want)
            continue;
        if (line[len - 1] == '\n')
            line[len - 1] = '\0';
        printf("%d\t%s\n", n, line);
        break;
    }
    free(line);
    fclose(f);
    fflush(stdout);
}

int dbg_cmd_list(struct dbg *d, const char *args)
{
    args = dbg_skip(args);
    if (*args == '\0' && d->list_file[0] != '\0')
        return show_lines(d, d->list_file, d->list_line, d->list_line + 9, -1);
    struct dbg_loc l;
    char err[200];
    int want_line = 0;
    if (*args == '\0') {
        l = (struct dbg_loc){d->s.cpu->pc, dbg_current_space(d)};
    } else if (dbg_parse_location(d, args, &l, err, sizeof err) != 0) {
        dbg_err("list: %s", err);
        return -1;
    } else {
        const char *colon = strrchr(args, ':');
        if (colon != NULL &&
            strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
            colon[1] != '\0')
            want_line = atoi(colon + 1);
    }
    int im = dbg_space_image(d, l.space);
    const char *file;
    int line;
    if (im < 0 || dbg_dwarf_line(d->img[im].dw, l.addr, &file, &line) != 0) {
        dbg_err("list: no line information for 0x%08" PRIx32, l.addr);
        return -1;
    }
    if (want_line > 0)
        line = want_line;
    bool here = *args == '\0';
    int from = line > 5 ? line - 5 : 1;
    return show_lines(d, file, from, from + 9, here ? line : -1);
}
