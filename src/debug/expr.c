/*
 * expr.c: address spaces, symbols and expressions.
 *
 * The kernel and the programs are linked at overlapping addresses (both
 * from 0x10000), and every process of the same program uses the same
 * virtual addresses in its own partition. So an address alone does not say
 * what it names: every address the debugger handles carries a space
 * (dbg.h): the kernel's (physical), the current process's, or the
 * process of one program. Symbols carry the space of the file they come
 * from; numbers and registers the space of the mode the machine is in.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"
#include "disasm.h"
#include "kstate.h"

int dbg_image_space(int image)
{
    return image <= 0 ? DBG_KERNEL : image - 1;
}

/* The accounting record of the live process running program prog. */
int dbg_prog_procinfo(const struct dbg *d, int prog, struct lde_procinfo *out)
{
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[160], name[LDE_NAME_MAX + 1];
    if (kstate_procinfo(&d->s, acct, LDE_PROCS_MAX, &n, err, sizeof err) != 0)
        return -1;
    const char *want = session_prog_name(&d->s, (unsigned)prog);
    /* The newest live one: pids grow, and a partition is reused only
     * after its process ended. */
    for (unsigned i = n; i-- > 0;) {
        kstate_name(&acct[i], name, sizeof name);
        if (acct[i].ended == 0 && acct[i].state != PS_ZOMBIE &&
            acct[i].state != PS_UNUSED &&
            strncmp(name, want, LDE_NAME_MAX - 1) == 0) {
            *out = acct[i];
            return 0;
        }
    }
    return -1;
}

int dbg_current_prog(const struct dbg *d)
{
    if (d->s.nprogs == 0)
        return -1;
    uint32_t pid = dbg_current_pid(d);
    static struct lde_procinfo acct[LDE_PROCS_MAX];
    unsigned n;
    char err[160], name[LDE_NAME_MAX + 1];
    if (pid != 0 &&
        kstate_procinfo(&d->s, acct, LDE_PROCS_MAX, &n, err, sizeof err) == 0) {
        for (unsigned i = 0; i < n; i++) {
            if (acct[i].pid != pid)
                continue;
            kstate_name(&acct[i], name, sizeof name);
            for (unsigned p = 0; p < d->s.nprogs; p++)
                if (strncmp(name, session_prog_name(&d->s, p),
                            LDE_NAME_MAX - 1) == 0)
                    return (int)p;
        }
    }
    /* One program: every user address is its. */
    return d->s.nprogs == 1 ? 0 : -1;
}

int dbg_current_space(const struct dbg *d)
{
    return d->s.cpu->mode == MODE_KERNEL ? DBG_KERNEL : DBG_USER;
}

int dbg_space_image(const struct dbg *d, int space)
{
    if (space == DBG_KERNEL)
        return 0;
    if (space == DBG_USER)
        space = dbg_current_prog(d);
    return space >= 0 && (unsigned)space < d->s.nprogs ? 1 + space : -1;
}

const char *dbg_space_name(const struct dbg *d, int space)
{
    if (space == DBG_KERNEL)
        return "kernel";
    if (space == DBG_USER)
        return "user";
    return session_prog_name(&d->s, (unsigned)space);
}

int dbg_to_phys(const struct dbg *d, struct dbg_loc l, uint32_t len,
                uint32_t *pa, char *err, size_t errlen)
{
    const struct cpu *cpu = d->s.cpu;
    if (l.space == DBG_KERNEL) {
        if ((uint64_t)l.addr + len > cpu->ram_size) {
            snprintf(err, errlen, "0x%08" PRIx32 " is not in RAM%s", l.addr,
                     l.addr >= DEV_BASE ? " (device registers are not read "
                                          "by the debugger)"
                                        : "");
            return -1;
        }
        *pa = l.addr;
        return 0;
    }
    uint32_t ubase = cpu->ubase, ubound = cpu->ubound;
    if (l.space >= 0 && l.space != dbg_current_prog(d)) {
        struct lde_procinfo a;
        if (dbg_prog_procinfo(d, l.space, &a) != 0) {
            snprintf(err, errlen, "%s has no live process to read from",
                     dbg_space_name(d, l.space));
            return -1;
        }
        ubase = a.ubase;
        ubound = a.ubound;
    }
    if (l.addr < USER_NULL_GUARD || (uint64_t)l.addr + len > ubound ||
        (uint64_t)ubase + l.addr + len > cpu->ram_size) {
        snprintf(err, errlen,
                 "user address 0x%08" PRIx32 " is outside the process "
                 "(allowed: 0x%x to 0x%08" PRIx32 ")",
                 l.addr, USER_NULL_GUARD, ubound);
        return -1;
    }
    *pa = ubase + l.addr;
    return 0;
}

int dbg_read(const struct dbg *d, struct dbg_loc l, void *buf, uint32_t len,
             char *err, size_t errlen)
{
    uint32_t pa;
    if (dbg_to_phys(d, l, len, &pa, err, errlen) != 0)
        return -1;
    if (cpu_read_phys(d->s.cpu, pa, buf, len) != 0) {
        snprintf(err, errlen, "0x%08" PRIx32 " is not in RAM", pa);
        return -1;
    }
    return 0;
}

const struct sym *dbg_symbol_at(const struct dbg *d, struct dbg_loc l,
                                uint32_t *off)
{
    int im = dbg_space_image(d, l.space);
    if (im < 0)
        return NULL;
    uint32_t o;
    const struct sym *s = sym_by_addr(d->img[im].syms, l.addr, &o);
    /* Linker labels (__global_pointer$, __bss_start) cover everything
     * above them: naming an address by its offset from one misleads. */
    if (s != NULL && s->size == 0 && o != 0 &&
        (strchr(s->name, '$') != NULL || strncmp(s->name, "__", 2) == 0))
        return NULL;
    if (off != NULL)
        *off = o;
    return s;
}

const char *dbg_format_addr(const struct dbg *d, struct dbg_loc l, char *buf,
                            size_t len)
{
    uint32_t off;
    const struct sym *s = dbg_symbol_at(d, l, &off);
    if (s == NULL)
        snprintf(buf, len, "0x%08" PRIx32, l.addr);
    else if (off == 0)
        snprintf(buf, len, "0x%08" PRIx32 " <%s>", l.addr, s->name);
    else
        snprintf(buf, len, "0x%08" PRIx32 " <%s+0x%" PRIx32 ">", l.addr,
                 s->name, off);
    return buf;
}

struct symctx {
    const struct dbg *d;
    int space;
};

static const char *lookup_sym(void *ctx, uint32_t addr, uint32_t *offset)
{
    struct symctx *c = ctx;
    const struct sym *s =
        dbg_symbol_at(c->d, (struct dbg_loc){addr, c->space}, offset);
    return s ? s->name : NULL;
}

int dbg_disasm_at(const struct dbg *d, struct dbg_loc l, char *buf, size_t len)
{
    uint8_t b[4];
    char err[160];
    if (dbg_read(d, l, b, 4, err, sizeof err) != 0) {
        snprintf(buf, len, "cannot read: %s", err);
        return -1;
    }
    uint32_t word = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    struct symctx c = {d, l.space};
    struct disasm_symbols syms = {&c, lookup_sym};
    disasm(l.addr, word, buf, len, &syms);
    return 0;
}

/* ---- Symbols ----------------------------------------------------------- */

/* Image for a qualifier ("kernel", "k" or a program's name), or -1. */
static int image_named(const struct dbg *d, const char *name, size_t n)
{
    if ((n == 6 && strncmp(name, "kernel", 6) == 0) ||
        (n == 1 && name[0] == 'k'))
        return 0;
    for (unsigned p = 0; p < d->s.nprogs; p++) {
        const char *pn = session_prog_name(&d->s, p);
        if (strlen(pn) == n && strncmp(pn, name, n) == 0)
            return 1 + (int)p;
    }
    return -1;
}

const struct sym *dbg_find_symbol(const struct dbg *d, const char *name,
                                  int *image)
{
    const char *colon = strchr(name, ':');
    if (colon != NULL) {
        int im = image_named(d, name, (size_t)(colon - name));
        if (im < 0)
            return NULL;
        *image = im;
        return sym_by_name(d->img[im].syms, colon + 1);
    }
    /* In user mode the running program's names come first; then the
     * kernel's; then the programs' in command-line order. */
    int first = -1;
    if (d->s.cpu->mode == MODE_USER) {
        int p = dbg_current_prog(d);
        if (p >= 0) {
            first = 1 + p;
            const struct sym *s = sym_by_name(d->img[first].syms, name);
            if (s != NULL) {
                *image = first;
                return s;
            }
        }
    }
    for (unsigned im = 0; im < d->nimages; im++) {
        if ((int)im == first)
            continue;
        const struct sym *s = sym_by_name(d->img[im].syms, name);
        if (s != NULL) {
            *image = (int)im;
            return s;
        }
    }
    return NULL;
}

/* ---- Expressions ------------------------------------------------------- */

struct parser {
    const struct dbg *d;
    const char *p;
    char *err;
    size_t errlen;
    int space; /* the first symbol's, else the current mode's */
    bool have_space;
    int nterms;
    const struct sym *sym;
    int sym_image;
    bool is_reg;
};

static bool ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || c == '.';
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static int reg_value(struct parser *ps, const char *name, uint32_t *v)
{
    const struct cpu *cpu = ps->d->s.cpu;
    if (strcmp(name, "pc") == 0) {
        *v = cpu->pc;
        return 0;
    }
    if (strcmp(name, "mode") == 0) {
        *v = cpu->mode;
        return 0;
    }
    int r = disasm_reg_number(name);
    if (r >= 0) {
        *v = cpu_reg(cpu, (unsigned)r);
        return 0;
    }
    int c = isalpha((unsigned char)name[0]) ? disasm_csr_number(name) : -1;
    if (c >= 0 && cpu_csr_peek(cpu, (uint32_t)c, v) == 0)
        return 0;
    snprintf(ps->err, ps->errlen, "no register $%s", name);
    return -1;
}

static int expr_sum(struct parser *ps, uint32_t *v);

static int term(struct parser *ps, uint32_t *v)
{
    const char *p = dbg_skip(ps->p);
    char name[128];
    size_t n = 0;
    ps->nterms++;
    if (*p == '(') {
        ps->p = p + 1;
        if (expr_sum(ps, v) != 0)
            return -1;
        p = dbg_skip(ps->p);
        if (*p != ')') {
            snprintf(ps->err, ps->errlen, "missing ')'");
            return -1;
        }
        ps->p = p + 1;
        return 0;
    }
    if (*p == '$') {
        p++;
        while (ident_char(*p) && n + 1 < sizeof name)
            name[n++] = *p++;
        name[n] = '\0';
        ps->p = p;
        ps->is_reg = true;
        return reg_value(ps, name, v);
    }
    if (isdigit((unsigned char)*p)) {
        char *end;
        unsigned long long x = strtoull(p, &end, 0);
        if (ident_char(*end) || x > UINT32_MAX) {
            snprintf(ps->err, ps->errlen, "bad number '%.*s'",
                     (int)strcspn(p, " \t+-()"), p);
            return -1;
        }
        *v = (uint32_t)x;
        ps->p = end;
        return 0;
    }
    if (ident_start(*p)) {
        while ((ident_char(*p) || *p == ':') && n + 1 < sizeof name)
            name[n++] = *p++;
        name[n] = '\0';
        ps->p = p;
        int im;
        const struct sym *s = dbg_find_symbol(ps->d, name, &im);
        if (s == NULL) {
            snprintf(ps->err, ps->errlen, "no symbol \"%s\"", name);
            return -1;
        }
        if (!ps->have_space) {
            ps->space = dbg_image_space(im);
            ps->have_space = true;
        }
        ps->sym = s;
        ps->sym_image = im;
        *v = s->addr;
        return 0;
    }
    if (*p == '\0')
        snprintf(ps->err, ps->errlen, "an expression is missing");
    else
        snprintf(ps->err, ps->errlen, "unexpected '%c'", *p);
    return -1;
}

static int expr_sum(struct parser *ps, uint32_t *v)
{
    const char *p = dbg_skip(ps->p);
    bool neg = false;
    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        ps->p = p + 1;
    }
    if (term(ps, v) != 0)
        return -1;
    if (neg)
        *v = 0u - *v;
    for (;;) {
        p = dbg_skip(ps->p);
        if (*p != '+' && *p != '-')
            return 0;
        ps->p = p + 1;
        uint32_t w;
        if (term(ps, &w) != 0)
            return -1;
        *v = *p == '+' ? *v + w : *v - w;
    }
}

int dbg_eval(const struct dbg *d, const char *expr, struct dbg_value *out,
             char *err, size_t errlen)
{
    struct parser ps = {.d = d, .p = expr, .err = err, .errlen = errlen};
    uint32_t v;
    if (expr_sum(&ps, &v) != 0)
        return -1;
    const char *rest = dbg_skip(ps.p);
    if (*rest != '\0') {
        snprintf(err, errlen, "unexpected '%s' after the expression", rest);
        return -1;
    }
    *out =
        (struct dbg_value){v, ps.have_space ? ps.space : dbg_current_space(d),
                           ps.nterms == 1 ? ps.sym : NULL, ps.sym_image,
                           ps.is_reg && ps.nterms == 1};
    return 0;
}

int dbg_parse_location(const struct dbg *d, const char *spec,
                       struct dbg_loc *out, char *err, size_t errlen)
{
    spec = dbg_skip(spec);
    if (*spec == '\0') {
        snprintf(err, errlen, "a location is missing");
        return -1;
    }
    /* FILE:LINE, the file in the kernel's or a program's DWARF. */
    const char *colon = strrchr(spec, ':');
    if (colon != NULL && colon[1] != '\0' &&
        strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        char file[256];
        snprintf(file, sizeof file, "%.*s", (int)(colon - spec), spec);
        int line = atoi(colon + 1);
        int first =
            d->s.cpu->mode == MODE_USER ? dbg_space_image(d, DBG_USER) : 0;
        for (int k = -1; k < (int)d->nimages; k++) {
            int im = k < 0 ? first : k;
            if (im < 0 || (k >= 0 && im == first))
                continue;
            uint32_t a;
            int found;
            if (dbg_dwarf_addr(d->img[im].dw, file, line, &a, &found) == 0) {
                *out = (struct dbg_loc){a, dbg_image_space(im)};
                return 0;
            }
        }
        snprintf(err, errlen, "no code at %s:%d", file, line);
        return -1;
    }
    if (*spec == '*')
        spec++;
    struct dbg_value v;
    if (dbg_eval(d, spec, &v, err, errlen) != 0)
        return -1;
    *out = (struct dbg_loc){v.v, v.space};
    return 0;
}

bool dbg_loc_matches(const struct dbg *d, const struct dbg_loc *l)
{
    const struct cpu *cpu = d->s.cpu;
    if (cpu->pc != l->addr)
        return false;
    if (l->space == DBG_KERNEL)
        return cpu->mode == MODE_KERNEL;
    if (cpu->mode != MODE_USER)
        return false;
    return l->space == DBG_USER || l->space == dbg_current_prog(d);
}
