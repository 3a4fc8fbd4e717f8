/*
 * vars.c: C variables from DWARF, through libdw (cvar.h).
 *
 * The variables of the code that runs: dwarf_getscopes() gives the
 * scopes containing pc, innermost first (blocks, inlined calls, the
 * function); their DW_TAG_variable and DW_TAG_formal_parameter children
 * are the locals and arguments. Where one is at pc comes from its
 * DW_AT_location: an expression, or a location list of them by address
 * range (dwarf_getlocation_addr picks the one for pc), evaluated here
 * against the registers, the frame base (DW_AT_frame_base, usually the
 * CFA, which the call frame information gives) and memory. With -Og and
 * -O2 a variable may be in a register, in pieces, computed, or nowhere
 * at pc ("optimized out").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvar.h"

/* ---- CUs, scopes, names ------------------------------------------------- */

/* The CU holding addr. .debug_aranges may be missing or unreadable: ask
 * each CU whether it covers addr. */
static bool cu_of(Dwarf *dw, uint32_t addr, Dwarf_Die *cu)
{
    if (dwarf_addrdie(dw, addr, cu) != NULL)
        return true;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        if (dwarf_offdie(dw, off + hsize, cu) != NULL &&
            dwarf_haspc(cu, addr) > 0)
            return true;
        off = next;
    }
    return false;
}

static const char *die_name(Dwarf_Die *die)
{
    Dwarf_Attribute a;
    if (dwarf_attr_integrate(die, DW_AT_name, &a) == NULL)
        return NULL;
    return dwarf_formstring(&a);
}

Dwarf *cvar_image_dwarf(struct dbg *d, int image)
{
    if (image < 0 || (unsigned)image >= d->nimages || d->img[image].dw == NULL)
        return NULL;
    return dbg_dwarf_handle(d->img[image].dw);
}

/* ---- Location expressions ----------------------------------------------- */

struct locctx {
    struct dbg *d;
    int image;
    int space;            /* where this image's addresses are */
    const uint32_t *regs; /* the frame's registers, NULL for globals */
    bool have_cfa;
    uint32_t cfa;
    bool have_fb;
    uint32_t fb;
};

static int read_word(void *ctx, uint32_t addr, uint32_t *v)
{
    struct locctx *c = ctx;
    char err[160];
    return dbg_read(c->d, (struct dbg_loc){addr, c->space}, v, 4, err,
                    sizeof err);
}

/* One piece of a value: where it is, from what the ops before it did. */
struct piece {
    enum { P_NONE, P_ADDR, P_REG, P_VALUE, P_BYTES } kind;
    uint32_t v; /* address, register number or value */
    const uint8_t *bytes;
    uint32_t nbytes;
};

static int op_error(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "%s", what);
    return -1;
}

/*
 * Evaluate a location expression into out (its type already set). What
 * is not supported ends as CV_OPT with the reason; -1 only when the
 * expression is malformed.
 */
static int eval_location(struct locctx *c, const Dwarf_Op *ops, size_t nops,
                         uint32_t size, struct cval *out, char *err,
                         size_t errlen)
{
    uint32_t st[32];
    size_t sp = 0;
    struct piece cur = {P_NONE, 0, NULL, 0};
    uint8_t whole[16];
    uint32_t got = 0; /* bytes gathered from pieces */
    bool pieces = false, missing = false;
    memset(whole, 0, sizeof whole);
#define PUSH(x)                                                                \
    do {                                                                       \
        uint32_t v_ = (uint32_t)(x);                                           \
        if (sp == 32)                                                          \
            return op_error(err, errlen, "expression stack overflow");         \
        st[sp++] = v_;                                                         \
    } while (0)
#define NEED(k)                                                                \
    do {                                                                       \
        if (sp < (k))                                                          \
            return op_error(err, errlen, "expression stack underflow");        \
    } while (0)
#define UNSUPPORTED(reason)                                                    \
    do {                                                                       \
        out->where = CV_OPT;                                                   \
        out->why = reason;                                                     \
        return 0;                                                              \
    } while (0)
    for (size_t i = 0; i < nops; i++) {
        const Dwarf_Op *op = &ops[i];
        uint8_t a = op->atom;
        if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
            PUSH(a - DW_OP_lit0);
        } else if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
            if (c->regs == NULL)
                UNSUPPORTED("a register of a frame that does not run");
            cur = (struct piece){P_REG, a - DW_OP_reg0, NULL, 0};
        } else if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
            if (c->regs == NULL)
                UNSUPPORTED("a register of a frame that does not run");
            PUSH(c->regs[a - DW_OP_breg0] + (uint32_t)op->number);
        } else {
            switch (a) {
            case DW_OP_regx:
                if (c->regs == NULL || op->number > 31)
                    UNSUPPORTED("a register lde does not have");
                cur = (struct piece){P_REG, (uint32_t)op->number, NULL, 0};
                break;
            case DW_OP_bregx:
                if (c->regs == NULL || op->number > 31)
                    UNSUPPORTED("a register lde does not have");
                PUSH(c->regs[op->number] + (uint32_t)op->number2);
                break;
            case DW_OP_addr: PUSH(op->number); break;
            case DW_OP_fbreg:
                if (!c->have_fb)
                    UNSUPPORTED("no frame base here");
                PUSH(c->fb + (uint32_t)op->number);
                break;
            case DW_OP_call_frame_cfa:
                if (!c->have_cfa)
                    UNSUPPORTED("no call frame information here");
                PUSH(c->cfa);
                break;
            case DW_OP_const1u:
            case DW_OP_const1s:
            case DW_OP_const2u:
            case DW_OP_const2s:
            case DW_OP_const4u:
            case DW_OP_const4s:
            case DW_OP_const8u:
            case DW_OP_const8s:
            case DW_OP_constu:
            case DW_OP_consts: PUSH(op->number); break;
            case DW_OP_dup:
                NEED(1);
                PUSH(st[sp - 1]);
                break;
            case DW_OP_drop:
                NEED(1);
                sp--;
                break;
            case DW_OP_over:
                NEED(2);
                PUSH(st[sp - 2]);
                break;
            case DW_OP_swap: {
                NEED(2);
                uint32_t t = st[sp - 1];
                st[sp - 1] = st[sp - 2];
                st[sp - 2] = t;
                break;
            }
            case DW_OP_plus_uconst:
                NEED(1);
                st[sp - 1] += (uint32_t)op->number;
                break;
#define BINOP(name, expr)                                                      \
    case name: {                                                               \
        NEED(2);                                                               \
        uint32_t y = st[--sp], x = st[sp - 1];                                 \
        st[sp - 1] = (uint32_t)(expr);                                         \
        break;                                                                 \
    }
                BINOP(DW_OP_plus, x + y)
                BINOP(DW_OP_minus, x - y)
                BINOP(DW_OP_mul, x * y)
                BINOP(DW_OP_and, x & y)
                BINOP(DW_OP_or, x | y)
                BINOP(DW_OP_xor, x ^ y)
                BINOP(DW_OP_shl, y < 32 ? x << y : 0)
                BINOP(DW_OP_shr, y < 32 ? x >> y : 0)
                /* arithmetic on negatives, as GCC and clang define it */
                /* cppcheck-suppress shiftTooManyBitsSigned */
                BINOP(DW_OP_shra, (int32_t)x >> (y < 32 ? y : 31))
                BINOP(DW_OP_eq, x == y)
                BINOP(DW_OP_ne, x != y)
                BINOP(DW_OP_lt, (int32_t)x < (int32_t)y)
                BINOP(DW_OP_gt, (int32_t)x > (int32_t)y)
                BINOP(DW_OP_le, (int32_t)x <= (int32_t)y)
                BINOP(DW_OP_ge, (int32_t)x >= (int32_t)y)
#undef BINOP
            case DW_OP_neg:
                NEED(1);
                st[sp - 1] = 0u - st[sp - 1];
                break;
            case DW_OP_not:
                NEED(1);
                st[sp - 1] = ~st[sp - 1];
                break;
            case DW_OP_abs:
                NEED(1);
                if ((int32_t)st[sp - 1] < 0)
                    st[sp - 1] = 0u - st[sp - 1];
                break;
            case DW_OP_deref:
            case DW_OP_deref_size: {
                NEED(1);
                uint32_t v = 0, n = a == DW_OP_deref ? 4 : (uint32_t)op->number;
                if (n > 4 || read_word(c, st[sp - 1], &v) != 0)
                    UNSUPPORTED("its location is not readable");
                st[sp - 1] = n == 4 ? v : v & ((1u << (8 * n)) - 1);
                break;
            }
            case DW_OP_stack_value:
                NEED(1);
                cur = (struct piece){P_VALUE, st[--sp], NULL, 0};
                break;
            case DW_OP_implicit_value:
                cur = (struct piece){P_BYTES, 0,
                                     (const uint8_t *)(uintptr_t)op->number2,
                                     (uint32_t)op->number};
                break;
            case DW_OP_piece: {
                uint32_t n = (uint32_t)op->number;
                if (cur.kind == P_NONE && sp > 0)
                    cur = (struct piece){P_ADDR, st[--sp], NULL, 0};
                pieces = true;
                for (uint32_t k = 0; k < n && got < sizeof whole; k++, got++) {
                    uint8_t byte = 0;
                    switch (cur.kind) {
                    case P_NONE: missing = true; break;
                    case P_REG:
                        byte = (uint8_t)(c->regs[cur.v] >> (8 * k));
                        break;
                    case P_VALUE:
                        byte = (uint8_t)(cur.v >> (8 * (k & 3)));
                        break;
                    case P_BYTES:
                        byte = k < cur.nbytes ? cur.bytes[k] : 0;
                        break;
                    case P_ADDR: {
                        char e2[160];
                        if (dbg_read(c->d,
                                     (struct dbg_loc){cur.v + k, c->space},
                                     &byte, 1, e2, sizeof e2) != 0)
                            missing = true;
                        break;
                    }
                    }
                    whole[got] = byte;
                }
                cur = (struct piece){P_NONE, 0, NULL, 0};
                break;
            }
            case DW_OP_entry_value:
            case DW_OP_GNU_entry_value:
                UNSUPPORTED("its value at the function's entry is gone");
            case DW_OP_nop: break;
            default: UNSUPPORTED("a DWARF operation lde does not evaluate");
            }
        }
    }
#undef PUSH
#undef NEED
#undef UNSUPPORTED
    if (pieces) {
        if (missing || got < size) {
            out->where = CV_OPT;
            out->why = "partly optimized out";
            return 0;
        }
        out->where = CV_VALUE;
        memcpy(out->b, whole, sizeof out->b);
        return 0;
    }
    switch (cur.kind) {
    case P_REG:
        out->where = CV_REG;
        out->reg = cur.v;
        return 0;
    case P_VALUE:
        out->where = CV_VALUE;
        memset(out->b, 0, sizeof out->b);
        memcpy(out->b, &cur.v, 4);
        return 0;
    case P_BYTES:
        out->where = CV_VALUE;
        memset(out->b, 0, sizeof out->b);
        memcpy(out->b, cur.bytes,
               cur.nbytes < sizeof out->b ? cur.nbytes : sizeof out->b);
        return 0;
    default: break;
    }
    if (sp == 0) {
        out->where = CV_OPT;
        out->why = "optimized out";
        return 0;
    }
    out->where = CV_MEM;
    out->mem = (struct dbg_loc){st[sp - 1], c->space};
    return 0;
}

/* The variable die's value at pc (c says which frame). */
static int locate(struct locctx *c, Dwarf_Die *var, uint32_t pc,
                  struct cval *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    Dwarf_Die type;
    out->t.image = c->image;
    if (cvar_die_type(var, &type)) {
        out->t.has_die = true;
        out->t.die = type;
    }
    out->space = c->space;
    struct cinfo ci;
    ctype_info(&out->t, &ci);
    Dwarf_Attribute a;
    Dwarf_Op *ops;
    size_t nops;
    if (dwarf_attr_integrate(var, DW_AT_const_value, &a) != NULL) {
        Dwarf_Sword sv;
        Dwarf_Block blk;
        out->where = CV_VALUE;
        if (dwarf_formsdata(&a, &sv) == 0)
            memcpy(out->b, &sv, sizeof sv < 16 ? sizeof sv : 16);
        else if (dwarf_formblock(&a, &blk) == 0)
            memcpy(out->b, blk.data, blk.length < 16 ? blk.length : 16);
        return 0;
    }
    if (dwarf_attr(var, DW_AT_location, &a) == NULL) {
        out->where = CV_OPT;
        out->why = "optimized out";
        return 0;
    }
    int n = dwarf_getlocation_addr(&a, pc, &ops, &nops, 1);
    if (n <= 0) {
        out->where = CV_OPT;
        out->why = "optimized out";
        return 0;
    }
    return eval_location(c, ops, nops, ci.size, out, err, errlen);
}

/* ---- The frame that runs ----------------------------------------------- */

struct frame {
    struct dbg *d;
    int image;
    uint32_t pc;
    Dwarf_Die cu;
    Dwarf_Die *scopes; /* innermost first, from dwarf_getscopes */
    int nscopes;
    struct locctx loc;
};

static void frame_free(struct frame *f)
{
    free(f->scopes);
    f->scopes = NULL;
}

/* The frame at pc in the current space: scopes, CFA, frame base. */
static int frame_here(struct dbg *d, struct frame *f)
{
    memset(f, 0, sizeof *f);
    f->d = d;
    int space = dbg_current_space(d);
    f->image = dbg_space_image(d, space);
    f->pc = d->s.cpu->pc;
    Dwarf *dw = cvar_image_dwarf(d, f->image);
    if (dw == NULL || !cu_of(dw, f->pc, &f->cu))
        return -1;
    f->nscopes = dwarf_getscopes(&f->cu, f->pc, &f->scopes);
    if (f->nscopes <= 0)
        return -1;
    f->loc = (struct locctx){
        .d = d, .image = f->image, .space = space, .regs = d->s.cpu->x};
    struct dbg_unwind u;
    if (dbg_dwarf_unwind(d->img[f->image].dw, f->pc, d->s.cpu->x, read_word,
                         &f->loc, &u) == 0) {
        f->loc.have_cfa = true;
        f->loc.cfa = u.cfa;
    }
    /* The frame base of the innermost function (an inlined call has
     * none of its own). */
    for (int i = 0; i < f->nscopes; i++) {
        if (dwarf_tag(&f->scopes[i]) != DW_TAG_subprogram)
            continue;
        Dwarf_Attribute a;
        Dwarf_Op *ops;
        size_t nops;
        struct cval fb;
        char err[160];
        memset(&fb, 0, sizeof fb);
        if (dwarf_attr(&f->scopes[i], DW_AT_frame_base, &a) != NULL &&
            dwarf_getlocation_addr(&a, f->pc, &ops, &nops, 1) > 0 &&
            eval_location(&f->loc, ops, nops, 4, &fb, err, sizeof err) == 0) {
            if (fb.where == CV_MEM) { /* the address computed is the base */
                f->loc.have_fb = true;
                f->loc.fb = fb.mem.addr;
            } else if (fb.where == CV_REG) {
                f->loc.have_fb = true;
                f->loc.fb = d->s.cpu->x[fb.reg];
            }
        }
        break;
    }
    return 0;
}

static bool is_var(int tag, bool args)
{
    return args ? tag == DW_TAG_formal_parameter : tag == DW_TAG_variable;
}

/* A variable declared after pc in its block is not in scope yet: DWARF
 * does not say so, gdb shows it anyway; so does lde. */
int cvar_each(struct dbg *d, bool args,
              void (*fn)(void *ctx, const char *name, const struct cval *v),
              void *ctx)
{
    struct frame f;
    if (frame_here(d, &f) != 0) {
        frame_free(&f);
        return -1;
    }
    for (int i = 0; i < f.nscopes; i++) {
        int tag = dwarf_tag(&f.scopes[i]);
        if (tag == DW_TAG_compile_unit)
            break;
        Dwarf_Die child;
        if (dwarf_child(&f.scopes[i], &child) == 0) {
            do {
                const char *name = die_name(&child);
                if (!is_var(dwarf_tag(&child), args) || name == NULL)
                    continue;
                struct cval v;
                char err[160];
                if (locate(&f.loc, &child, f.pc, &v, err, sizeof err) != 0) {
                    v.where = CV_OPT;
                    v.why = "its location cannot be followed";
                }
                fn(ctx, name, &v);
            } while (dwarf_siblingof(&child, &child) == 0);
        }
        /* The function's own scope ends the search: what is beyond is
         * the caller's (an inlined call's) or the CU's. */
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
            break;
    }
    frame_free(&f);
    return 0;
}

/* A global variable named name in one image (static ones too). */
static bool find_global(Dwarf *dw, const char *name, const Dwarf_Die *first_cu,
                        Dwarf_Die *out)
{
    for (int pass = 0; pass < 2; pass++) {
        Dwarf_Off off = 0, next;
        size_t hsize;
        while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
            Dwarf_Die cu, child;
            /* With first_cu: that CU, then the others; else all. */
            bool is_first =
                first_cu == NULL ||
                dwarf_dieoffset((Dwarf_Die *)first_cu) == off + hsize;
            if ((pass == 0) == is_first &&
                dwarf_offdie(dw, off + hsize, &cu) != NULL &&
                dwarf_child(&cu, &child) == 0) {
                do {
                    const char *n;
                    if (dwarf_tag(&child) == DW_TAG_variable &&
                        (n = die_name(&child)) != NULL &&
                        strcmp(n, name) == 0 &&
                        dwarf_hasattr(&child, DW_AT_location)) {
                        *out = child;
                        return true;
                    }
                } while (dwarf_siblingof(&child, &child) == 0);
            }
            off = next;
        }
        if (first_cu == NULL)
            break;
    }
    return false;
}

static int image_named(struct dbg *d, const char *name, size_t n)
{
    if ((n == 6 && strncmp(name, "kernel", 6) == 0) ||
        (n == 1 && name[0] == 'k'))
        return 0;
    for (unsigned i = 1; i < d->nimages; i++)
        if (strlen(d->img[i].name) == n &&
            strncmp(d->img[i].name, name, n) == 0)
            return (int)i;
    return -1;
}

static int global_in(struct dbg *d, int image, const char *name,
                     const Dwarf_Die *cu, struct cval *out, char *err,
                     size_t errlen)
{
    Dwarf *dw = cvar_image_dwarf(d, image);
    Dwarf_Die var;
    if (dw == NULL || !find_global(dw, name, cu, &var))
        return 0;
    struct locctx c = {.d = d, .image = image, .space = dbg_image_space(image)};
    return locate(&c, &var, 0, out, err, errlen) == 0 ? 1 : -1;
}

int cvar_lookup(struct dbg *d, const char *name, struct cval *out, char *err,
                size_t errlen)
{
    const char *colon = strchr(name, ':');
    if (colon != NULL) {
        int im = image_named(d, name, (size_t)(colon - name));
        if (im < 0)
            return 0;
        return global_in(d, im, colon + 1, NULL, out, err, errlen);
    }
    /* Locals and arguments of the frame that runs, innermost first. */
    struct frame f;
    int here = -1;
    if (frame_here(d, &f) == 0) {
        here = f.image;
        for (int i = 0; i < f.nscopes; i++) {
            int tag = dwarf_tag(&f.scopes[i]);
            if (tag == DW_TAG_compile_unit)
                break;
            Dwarf_Die child;
            if (dwarf_child(&f.scopes[i], &child) != 0)
                continue;
            do {
                int ct = dwarf_tag(&child);
                const char *n = die_name(&child);
                if ((ct == DW_TAG_variable || ct == DW_TAG_formal_parameter) &&
                    n != NULL && strcmp(n, name) == 0) {
                    int rc = locate(&f.loc, &child, f.pc, out, err, errlen);
                    frame_free(&f);
                    return rc == 0 ? 1 : -1;
                }
            } while (dwarf_siblingof(&child, &child) == 0);
            if (tag == DW_TAG_subprogram)
                break;
        }
        /* Then the globals of that CU first, then of the whole image. */
        int rc = global_in(d, f.image, name, &f.cu, out, err, errlen);
        frame_free(&f);
        if (rc != 0)
            return rc;
    } else {
        frame_free(&f);
    }
    /* The current image's, then the kernel's, then the programs'. */
    if (here < 0) {
        here = dbg_space_image(d, dbg_current_space(d));
        int rc =
            here >= 0 ? global_in(d, here, name, NULL, out, err, errlen) : 0;
        if (rc != 0)
            return rc;
    }
    for (unsigned im = 0; im < d->nimages; im++) {
        if ((int)im == here)
            continue;
        int rc = global_in(d, (int)im, name, NULL, out, err, errlen);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int cvar_function(struct dbg *d, int image, uint32_t addr, const char **name,
                  struct ctype *ret)
{
    Dwarf *dw = cvar_image_dwarf(d, image);
    Dwarf_Die cu, *scopes = NULL;
    if (dw == NULL || !cu_of(dw, addr, &cu))
        return -1;
    int n = dwarf_getscopes(&cu, addr, &scopes);
    int rc = -1;
    for (int i = 0; i < n; i++) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_subprogram)
            continue;
        *name = die_name(&scopes[i]);
        *ret = ctype_builtin(0, false, false);
        ret->image = image;
        Dwarf_Die t;
        if (cvar_die_type(&scopes[i], &t)) {
            ret->has_die = true;
            ret->die = t;
        }
        rc = 0;
        break;
    }
    free(scopes);
    return rc;
}
