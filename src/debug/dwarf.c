/*
 * dwarf.c: what the debugger learns from DWARF, through libdw: the
 * source line of an address (.debug_line), the address of a source line
 * (FILE:LINE breakpoints), and the call frame information (.debug_frame)
 * that lets bt and finish find a caller when the code is built with -O2
 * and keeps no frame pointer.
 *
 * Each image gets its own copy of the ELF bytes: libelf may keep pointers
 * into them for as long as the Dwarf handle lives, and the session's copy
 * belongs to the session.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "cvar.h"
#include "dbg.h"

struct dbg_dwarf {
    char *bytes;
    Elf *elf;
    Dwarf *dw;
    Dwarf_CFI *cfi; /* NULL without .debug_frame */
};

struct dbg_dwarf *dbg_dwarf_open(const struct elf_file *ef)
{
    if (ef == NULL || ef->data == NULL || ef->size == 0)
        return NULL;
    struct dbg_dwarf *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->bytes = malloc(ef->size);
    if (d->bytes == NULL) {
        free(d);
        return NULL;
    }
    memcpy(d->bytes, ef->data, ef->size);
    elf_version(EV_CURRENT);
    d->elf = elf_memory(d->bytes, ef->size);
    if (d->elf != NULL)
        d->dw = dwarf_begin_elf(d->elf, DWARF_C_READ, NULL);
    if (d->dw == NULL) {
        dbg_dwarf_close(d);
        return NULL;
    }
    d->cfi = dwarf_getcfi(d->dw);
    return d;
}

Dwarf *dbg_dwarf_handle(struct dbg_dwarf *d)
{
    return d != NULL ? d->dw : NULL;
}

void dbg_dwarf_close(struct dbg_dwarf *d)
{
    if (d == NULL)
        return;
    if (d->dw != NULL)
        dwarf_end(d->dw); /* also frees the CFI it handed out */
    if (d->elf != NULL)
        elf_end(d->elf);
    free(d->bytes);
    free(d);
}

/* The line row for addr in one CU, if the CU has one. Several rows may
 * share an address, one per line the compiler merged there, statement or
 * not: when addr begins statement rows (r->start), the line is that of the
 * last of them (gdb prefers statements too), and r->first_line that of
 * the first; otherwise libdw's row for addr. */
static bool cu_line(Dwarf_Die *cu, uint32_t addr, struct dbg_row *r)
{
    Dwarf_Line *l = dwarf_getsrc_die(cu, addr);
    if (l == NULL || dwarf_lineno(l, &r->line) != 0 || r->line <= 0)
        return false;
    r->file = dwarf_linesrc(l, NULL, NULL);
    r->first_line = r->line;
    r->start = false;
    Dwarf_Lines *lines;
    size_t n;
    if (dwarf_getsrclines(cu, &lines, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            Dwarf_Line *s = dwarf_onesrcline(lines, i);
            Dwarf_Addr a;
            bool stmt = false, end = false;
            int ln;
            const char *src;
            if (s == NULL || dwarf_lineaddr(s, &a) != 0 || a != addr ||
                dwarf_linebeginstatement(s, &stmt) != 0 || !stmt ||
                dwarf_lineendsequence(s, &end) != 0 || end ||
                dwarf_lineno(s, &ln) != 0 || ln <= 0 ||
                (src = dwarf_linesrc(s, NULL, NULL)) == NULL)
                continue;
            if (!r->start)
                r->first_line = ln;
            r->start = true;
            r->line = ln;
            r->file = src;
        }
    }
    return r->file != NULL;
}

int dbg_dwarf_row(struct dbg_dwarf *d, uint32_t addr, struct dbg_row *r)
{
    if (d == NULL)
        return -1;
    Dwarf_Die cu;
    if (dwarf_addrdie(d->dw, addr, &cu) != NULL && cu_line(&cu, addr, r))
        return 0;
    /* .debug_aranges may be missing or, as picolibc's is for libdw,
     * unreadable: ask each CU whether it covers addr. */
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(d->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        if (dwarf_offdie(d->dw, off + hsize, &cu) != NULL &&
            dwarf_haspc(&cu, addr) > 0 && cu_line(&cu, addr, r))
            return 0;
        off = next;
    }
    return -1;
}

int dbg_dwarf_line(struct dbg_dwarf *d, uint32_t addr, const char **file,
                   int *line)
{
    struct dbg_row r;
    if (dbg_dwarf_row(d, addr, &r) != 0)
        return -1;
    *file = r.file;
    *line = r.line;
    return 0;
}

/* "trap.c" names /work/main/src/kernel/trap.c; so does "kernel/trap.c". */
static bool file_matches(const char *path, const char *want)
{
    size_t lp = strlen(path), lw = strlen(want);
    if (lw > lp)
        return false;
    if (strcmp(path + lp - lw, want) != 0)
        return false;
    return lw == lp || path[lp - lw - 1] == '/';
}

int dbg_dwarf_addr(struct dbg_dwarf *d, const char *file, int line,
                   uint32_t *addr, int *found_line)
{
    if (d == NULL)
        return -1;
    int best_line = 0;
    Dwarf_Addr best_addr = 0;
    Dwarf_Off off = 0, next;
    size_t hsize;
    /* Every CU: the line with code nearest at or after the one asked for,
     * and of its rows the lowest statement address. */
    while (dwarf_nextcu(d->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu;
        Dwarf_Lines *lines;
        size_t n;
        if (dwarf_offdie(d->dw, off + hsize, &cu) != NULL &&
            dwarf_getsrclines(&cu, &lines, &n) == 0) {
            for (size_t i = 0; i < n; i++) {
                Dwarf_Line *l = dwarf_onesrcline(lines, i);
                int ln;
                bool stmt = false, end = false;
                Dwarf_Addr a;
                const char *src;
                if (l == NULL || dwarf_lineno(l, &ln) != 0 || ln < line ||
                    dwarf_linebeginstatement(l, &stmt) != 0 || !stmt ||
                    dwarf_lineendsequence(l, &end) != 0 || end ||
                    dwarf_lineaddr(l, &a) != 0 ||
                    (src = dwarf_linesrc(l, NULL, NULL)) == NULL ||
                    !file_matches(src, file))
                    continue;
                if (best_line == 0 || ln < best_line ||
                    (ln == best_line && a < best_addr)) {
                    best_line = ln;
                    best_addr = a;
                }
            }
        }
        off = next;
    }
    if (best_line == 0)
        return -1;
    *addr = (uint32_t)best_addr;
    *found_line = best_line;
    return 0;
}

/* ---- Call frame information ------------------------------------------- */

struct eval_ctx {
    const uint32_t *regs;
    uint32_t cfa;
    int (*read_word)(void *ctx, uint32_t addr, uint32_t *v);
    void *ctx;
};

/* A DWARF expression as CFI uses it. *is_value: the result is the value
 * itself (DW_OP_stack_value), not the address where it is saved. */
static int eval_ops(const struct eval_ctx *e, const Dwarf_Op *ops, size_t nops,
                    uint32_t *result, bool *is_value)
{
    uint32_t stack[16];
    size_t sp = 0;
    *is_value = false;
#define PUSH(x)                                                                \
    do {                                                                       \
        if (sp == 16)                                                          \
            return -1;                                                         \
        stack[sp++] = (uint32_t)(x);                                           \
    } while (0)
#define NEED(k)                                                                \
    do {                                                                       \
        if (sp < (k))                                                          \
            return -1;                                                         \
    } while (0)
    for (size_t i = 0; i < nops; i++) {
        const Dwarf_Op *op = &ops[i];
        uint8_t a = op->atom;
        if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
            PUSH(a - DW_OP_lit0);
        } else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
            PUSH(e->regs[a - DW_OP_breg0] + (uint32_t)op->number);
        } else if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
            PUSH(e->regs[a - DW_OP_reg0]);
            *is_value = true;
        } else {
            switch (a) {
            case DW_OP_bregx:
                if (op->number > 31)
                    return -1;
                PUSH(e->regs[op->number] + (uint32_t)op->number2);
                break;
            case DW_OP_regx:
                if (op->number > 31)
                    return -1;
                PUSH(e->regs[op->number]);
                *is_value = true;
                break;
            case DW_OP_call_frame_cfa: PUSH(e->cfa); break;
            case DW_OP_const1u:
            case DW_OP_const1s:
            case DW_OP_const2u:
            case DW_OP_const2s:
            case DW_OP_const4u:
            case DW_OP_const4s:
            case DW_OP_constu:
            case DW_OP_consts: PUSH(op->number); break;
            case DW_OP_plus_uconst:
                NEED(1);
                stack[sp - 1] += (uint32_t)op->number;
                break;
            case DW_OP_plus:
                NEED(2);
                stack[sp - 2] += stack[sp - 1];
                sp--;
                break;
            case DW_OP_minus:
                NEED(2);
                stack[sp - 2] -= stack[sp - 1];
                sp--;
                break;
            case DW_OP_deref:
                NEED(1);
                if (e->read_word(e->ctx, stack[sp - 1], &stack[sp - 1]) != 0)
                    return -1;
                break;
            case DW_OP_stack_value: *is_value = true; break;
            default: return -1;
            }
        }
    }
#undef PUSH
#undef NEED
    if (sp == 0)
        return -1;
    *result = stack[sp - 1];
    return 0;
}

int dbg_dwarf_unwind(struct dbg_dwarf *d, uint32_t lookup,
                     const uint32_t regs[32],
                     int (*read_word)(void *ctx, uint32_t addr, uint32_t *v),
                     void *ctx, struct dbg_unwind *out)
{
    if (d == NULL || d->cfi == NULL)
        return -1;
    Dwarf_Frame *fr;
    if (dwarf_cfi_addrframe(d->cfi, lookup, &fr) != 0)
        return -1;
    int rc = -1;
    struct eval_ctx e = {regs, 0, read_word, ctx};
    Dwarf_Op *ops, mem[3];
    size_t nops;
    bool is_value;
    memset(out, 0, sizeof *out);
    if (dwarf_frame_cfa(fr, &ops, &nops) != 0 || nops == 0 ||
        eval_ops(&e, ops, nops, &e.cfa, &is_value) != 0)
        goto done;
    out->cfa = e.cfa;
    int ra_col = dwarf_frame_info(fr, NULL, NULL, NULL);
    for (int r = 1; r < 32; r++) {
        if (dwarf_frame_register(fr, r, mem, &ops, &nops) != 0)
            continue;
        if (nops == 0) {
            /* ops == NULL: "same value"; ops == mem: "undefined" */
            out->known[r] = ops == NULL;
            out->regs[r] = regs[r];
            continue;
        }
        uint32_t v;
        if (eval_ops(&e, ops, nops, &v, &is_value) != 0)
            continue;
        if (!is_value && read_word(ctx, v, &v) != 0)
            continue;
        out->regs[r] = v;
        out->known[r] = true;
    }
    /* The caller's sp is the CFA unless CFI says otherwise. */
    if (!out->known[2] || out->regs[2] == regs[2]) {
        out->regs[2] = e.cfa;
        out->known[2] = true;
    }
    if (ra_col > 0 && ra_col < 32 && out->known[ra_col]) {
        out->pc = out->regs[ra_col];
        out->pc_known = true;
    }
    rc = 0;
done:
    free(fr);
    return rc;
}
