/*
 * cexpr.c: C expressions on the guest's variables (cvar.h): p EXPR,
 * display, break ... if EXPR, set var, and finish's return value.
 *
 * The grammar is C's, without assignment inside expressions, the comma
 * and the ternary; precedence from || down to the postfix [] . ->:
 *
 *   or     := and ('||' and)*          and   := bor ('&&' bor)*
 *   bor    := bxor ('|' bxor)*         bxor  := band ('^' band)*
 *   band   := eq ('&' eq)*             eq    := rel (('=='|'!=') rel)*
 *   rel    := shift (('<'|'>'|'<='|'>=') shift)*
 *   shift  := add (('<<'|'>>') add)*   add   := mul (('+'|'-') mul)*
 *   mul    := unary (('*'|'/'|'%') unary)*
 *   unary  := ('-'|'+'|'!'|'~'|'*'|'&') unary | '(' TYPE ')' unary
 *           | 'sizeof' '(' TYPE ')' | 'sizeof' unary | post
 *   post   := primary ('[' or ']' | '.' NAME | '->' NAME)*
 *   primary:= NUMBER | FLOATING | 'c' | $REG | NAME | PROG:NAME | '(' or ')'
 *
 * Integers are computed in 64 bits and kept at the width C would give
 * them (int, or long long when an operand is); pointers scale by their
 * target's size. A floating operand makes + - * / and the comparisons
 * C's usual arithmetic conversions: the operation is done in the wider
 * of the floating types (float or double; an integer operand converted
 * to it first), through the host's double, and rounded to that type
 * (cfloat.c). long double (binary128) is printed, converted and cast,
 * but no arithmetic is done in it. A name is a variable DWARF knows
 * (vars.c), else an ELF symbol, whose value is its address.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfloat.h"
#include "cvar.h"
#include "disasm.h"
#include "timeline.h"

struct cparse {
    struct dbg *d;
    const char *p;
    char *err;
    size_t errlen;
    int depth;
    int noeval; /* the right of a decided && or ||: parsed, not evaluated */
};

static int fail(struct cparse *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct cparse *ps, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err, ps->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip(struct cparse *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

static bool eat(struct cparse *ps, const char *tok)
{
    skip(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n) != 0)
        return false;
    /* '<' is not the start of '<<' or '<=', nor '&' of '&&' ... */
    char next = ps->p[n];
    if (n == 1 && strchr("<>&|=!", tok[0]) != NULL &&
        (next == tok[0] || next == '='))
        return false;
    if (n == 1 && tok[0] == '-' && (next == '>' || next == '-'))
        return false;
    ps->p += n;
    return true;
}

/* ---- Values ------------------------------------------------------------- */

static struct cval int_value(int64_t v, uint8_t size, bool sign)
{
    struct cval c;
    memset(&c, 0, sizeof c);
    c.t = ctype_builtin(size, sign, false);
    c.where = CV_VALUE;
    memcpy(c.b, &v, sizeof v);
    c.space = DBG_KERNEL;
    return c;
}

int cval_load(struct dbg *d, const struct cval *v, uint8_t *b, uint32_t n,
              char *err, size_t errlen)
{
    memset(b, 0, n);
    switch (v->where) {
    case CV_OPT:
        snprintf(err, errlen, "%s", v->why ? v->why : "optimized out");
        return -1;
    case CV_VALUE: memcpy(b, v->b, n < sizeof v->b ? n : sizeof v->b); return 0;
    case CV_REG: {
        uint32_t r = cpu_reg(d->s.cpu, v->reg);
        memcpy(b, &r, n < 4 ? n : 4);
        if (n > 4 && v->reg + 1 < 32) { /* a pair: a0/a1 for 64 bits */
            uint32_t hi = cpu_reg(d->s.cpu, v->reg + 1);
            memcpy(b + 4, &hi, n - 4 < 4 ? n - 4 : 4);
        }
        return 0;
    }
    case CV_MEM: return dbg_read(d, v->mem, b, n, err, errlen);
    }
    return -1;
}

/* The value as a 64-bit number (arrays decay to their address). */
static int scalar(struct cparse *ps, const struct cval *v, int64_t *out)
{
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    if (ci.kind == CK_ARRAY) {
        if (v->where != CV_MEM)
            return fail(ps, "an array not in memory has no address");
        *out = v->mem.addr;
        return 0;
    }
    if (ps->noeval) {
        *out = 0;
        return 0;
    }
    if (ci.kind == CK_FLOAT)
        return fail(ps, "an integer is needed here, not a floating value");
    if (ci.kind != CK_INT && ci.kind != CK_ENUM && ci.kind != CK_PTR)
        return fail(ps, "not a number (a %s)",
                    ci.kind == CK_VOID ? "void value" : "struct or union");
    uint32_t n = ci.size == 0 || ci.size > 8 ? 4 : ci.size;
    uint8_t b[8];
    if (cval_load(ps->d, v, b, n, ps->err, ps->errlen) != 0)
        return -1;
    uint64_t u = 0;
    for (uint32_t i = n; i-- > 0;)
        u = u << 8 | b[i];
    if (ci.sign && n < 8 && (u >> (8 * n - 1)) & 1)
        u |= ~UINT64_C(0) << (8 * n);
    *out = (int64_t)u;
    return 0;
}

static uint32_t target_size(const struct cval *v)
{
    struct ctype t;
    struct cinfo ci;
    if (ctype_target(&v->t, &t) != 0)
        return 1;
    ctype_info(&t, &ci);
    return ci.size ? ci.size : 1;
}

static bool is_ptr(const struct cval *v)
{
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    return ci.kind == CK_PTR || ci.kind == CK_ARRAY;
}

static bool is_float(const struct cval *v)
{
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    return ci.kind == CK_FLOAT;
}

/* A floating value's bytes and size (4, 8 or 16); zeros when the
 * expression is only parsed. */
static int float_bytes(struct cparse *ps, const struct cval *v, uint8_t *b,
                       uint32_t *n)
{
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    *n = ci.size;
    memset(b, 0, 16);
    if (!cfloat_size_ok(ci.size))
        return fail(ps, "a %" PRIu32 "-byte floating type is not IEEE 754",
                    ci.size);
    return ps->noeval ? 0
                      : cval_load(ps->d, v, b, ci.size, ps->err, ps->errlen);
}

/* A value of type t (a floating type) with the bytes b. */
static struct cval float_value(const struct ctype *t, const uint8_t *b,
                               uint32_t n)
{
    struct cval c;
    memset(&c, 0, sizeof c);
    c.t = *t;
    c.where = CV_VALUE;
    memcpy(c.b, b, n < sizeof c.b ? n : sizeof c.b);
    c.space = DBG_KERNEL;
    return c;
}

/* Whether a scalar is true, as C's conditions take it: not zero (a NaN
 * is true, -0.0 false); an array, by its address, is. */
static int truth(struct cparse *ps, const struct cval *v, bool *out)
{
    int64_t x = 0;
    *out = false;
    if (is_float(v)) {
        uint8_t b[16];
        uint32_t n;
        if (float_bytes(ps, v, b, &n) != 0)
            return -1;
        *out = !ps->noeval && !cfloat_is_zero(b, n);
        return 0;
    }
    if (scalar(ps, v, &x) != 0)
        return -1;
    *out = x != 0;
    return 0;
}

/* The pointer a pointer or an array is, as an rvalue of pointer type. */
static struct cval as_pointer(const struct cval *v, int64_t addr)
{
    struct cval p = *v;
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    if (ci.kind == CK_ARRAY) {
        ctype_target(&v->t, &p.t);
        p.t.ptr++;
        p.space = v->where == CV_MEM ? v->mem.space : v->space;
    }
    p.where = CV_VALUE;
    memset(p.b, 0, sizeof p.b);
    uint32_t a = (uint32_t)addr;
    memcpy(p.b, &a, 4);
    return p;
}

static int deref(struct cparse *ps, const struct cval *v, struct cval *out)
{
    int64_t addr;
    struct ctype t;
    if (!is_ptr(v))
        return fail(ps, "cannot dereference a value that is not a pointer");
    if (scalar(ps, v, &addr) != 0 || ctype_target(&v->t, &t) != 0)
        return -1;
    struct cinfo ci;
    ctype_info(&t, &ci);
    if (ci.kind == CK_VOID)
        return fail(ps, "cannot dereference a void pointer (cast it)");
    memset(out, 0, sizeof *out);
    out->t = t;
    out->where = CV_MEM;
    int space = v->where == CV_MEM && !is_ptr(v) ? v->mem.space : v->space;
    out->mem = (struct dbg_loc){(uint32_t)addr, space};
    out->space = space;
    return 0;
}

/* ---- Parsing ------------------------------------------------------------ */

static int expr_or(struct cparse *ps, struct cval *out);
static int unary(struct cparse *ps, struct cval *out);

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The C base types a type name may be, with their RV32 ILP32 sizes; char
 * is unsigned, as the RISC-V psABI has it, and long double is binary128. */
static const struct {
    const char *name;
    uint8_t size;
    bool sign, chr, flt;
} builtin[] = {
    {"unsigned long long", 8, false, false, false},
    {"long long", 8, true, false, false},
    {"unsigned char", 1, false, true, false},
    {"signed char", 1, true, true, false},
    {"unsigned short", 2, false, false, false},
    {"unsigned int", 4, false, false, false},
    {"unsigned long", 4, false, false, false},
    {"unsigned", 4, false, false, false},
    {"char", 1, false, true, false},
    {"short", 2, true, false, false},
    {"int", 4, true, false, false},
    {"long", 4, true, false, false},
    {"void", 0, false, false, false},
    {"float", 4, true, false, true},
    {"double", 8, true, false, true},
    {"long double", 16, true, false, true},
};

static const char *const tag_words[] = {"struct ", "union ", "enum "};

/*
 * A type name at ps->p: a base type, a typedef, struct/union/enum TAG,
 * then stars; ps->p past it. 1, 0 if it is not a type name (ps->p left
 * where it was), -1 if it names a tag the program does not have.
 */
static int type_name(struct cparse *ps, struct ctype *out)
{
    const char *start = ps->p;
    skip(ps);
    char name[96];
    size_t n = 0;
    while ((ident_char(*ps->p) || *ps->p == ' ') && n + 1 < sizeof name)
        name[n++] = *ps->p++;
    while (n > 0 && name[n - 1] == ' ')
        n--;
    name[n] = '\0';
    unsigned ptr = 0;
    for (skip(ps); *ps->p == '*'; skip(ps))
        ps->p++, ptr++;
    bool found = false;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(name, builtin[i].name) == 0) {
            *out = builtin[i].flt
                       ? ctype_builtin_float(builtin[i].size)
                       : ctype_builtin(builtin[i].size, builtin[i].sign,
                                       builtin[i].chr);
            out->bname = builtin[i].name;
            found = true;
            break;
        }
    /* The current image's types, then the others' (struct shape from the
     * kernel's prompt), as variables are found. */
    int here = dbg_space_image(ps->d, dbg_current_space(ps->d));
    found = found || (n > 0 && ctype_lookup(ps->d, here, name, out) == 0);
    for (unsigned im = 0; !found && n > 0 && im < ps->d->nimages; im++)
        found = (int)im != here && ctype_lookup(ps->d, (int)im, name, out) == 0;
    if (!found) {
        ps->p = start;
        for (size_t i = 0; i < sizeof tag_words / sizeof tag_words[0]; i++) {
            size_t k = strlen(tag_words[i]);
            if (strncmp(name, tag_words[i], k) == 0)
                return fail(ps, "no %.*s type named %s", (int)k - 1,
                            tag_words[i], name + k);
        }
        return 0;
    }
    out->ptr += ptr;
    return 1;
}

/* A type name in a cast: "(unsigned int *)" ... ps->p past the ')'. 1,
 * 0 (not a cast, ps->p unmoved), -1 with the error. */
static int cast_type(struct cparse *ps, struct ctype *out)
{
    const char *start = ps->p;
    int rc = type_name(ps, out);
    if (rc <= 0)
        return rc;
    skip(ps);
    if (*ps->p != ')') {
        ps->p = start;
        return 0;
    }
    ps->p++; /* ')' */
    return 1;
}

int cexpr_type(struct dbg *d, const char *text, struct ctype *out, char *err,
               size_t errlen)
{
    struct cparse ps = {d, text, err, errlen, 0, 0};
    int rc = type_name(&ps, out);
    if (rc <= 0)
        return rc;
    skip(&ps);
    return *ps.p == '\0' ? 1 : 0;
}

/* A floating value converted to the type of ci (C: toward zero for an
 * integer, != 0 for _Bool, rounded for another floating type). */
static int convert_float(struct cparse *ps, const struct cval *v,
                         const struct cinfo *ci, struct cval *out)
{
    uint8_t b[16];
    uint32_t n;
    if (ci->kind == CK_PTR)
        return fail(ps, "cannot convert a floating value to a pointer");
    if (float_bytes(ps, v, b, &n) != 0)
        return -1;
    if (ci->kind == CK_FLOAT) {
        cfloat_convert(b, n, out->b, ci->size);
        return 0;
    }
    uint64_t x =
        ci->boolean ? !cfloat_is_zero(b, n) : cfloat_to_integer(b, n, ci->sign);
    memcpy(out->b, &x, sizeof x);
    return 0;
}

static int convert(struct cparse *ps, const struct cval *v,
                   const struct ctype *t, struct cval *out)
{
    struct cinfo ci, vi;
    ctype_info(t, &ci);
    ctype_info(&v->t, &vi);
    int64_t x;
    if (ci.kind == CK_STRUCT || ci.kind == CK_UNION || ci.kind == CK_ARRAY)
        return fail(ps, "cannot convert to a struct, union or array");
    if (ci.kind == CK_FLOAT && !cfloat_size_ok(ci.size))
        return fail(ps, "a %" PRIu32 "-byte floating type is not IEEE 754",
                    ci.size);
    if (ci.kind == CK_FLOAT && is_ptr(v))
        return fail(ps, "cannot convert a pointer to a floating type");
    struct cval r;
    memset(&r, 0, sizeof r);
    r.t = *t;
    r.where = CV_VALUE;
    r.space = v->where == CV_MEM && !is_ptr(v) ? v->mem.space : v->space;
    if (vi.kind == CK_FLOAT) {
        if (convert_float(ps, v, &ci, &r) != 0)
            return -1;
    } else {
        if (scalar(ps, v, &x) != 0)
            return -1;
        if (ci.kind == CK_FLOAT) { /* an integer, signed or not */
            bool neg = vi.sign && x < 0;
            uint64_t mag = neg ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
            cfloat_from_integer(mag, neg, ci.size, r.b);
        } else {
            memcpy(r.b, &x, sizeof x);
        }
    }
    if (ci.kind == CK_PTR && r.space == DBG_KERNEL &&
        ps->d->s.cpu->mode == MODE_USER)
        r.space = DBG_USER; /* a number names the current mode's view */
    *out = r;
    return 0;
}

int cexpr_convert(struct dbg *d, const struct cval *v, const struct ctype *t,
                  struct cval *out, char *err, size_t errlen)
{
    struct cparse ps = {d, "", err, errlen, 0, 0};
    return convert(&ps, v, t, out);
}

/*
 * A floating literal at ps->p, as C writes one: decimal digits with a
 * point or an exponent (1.5, .5, 2e-3), or hexadecimal ones with a binary
 * exponent (0x1.8p1); a double, or a float with the suffix f. 1 (ps->p
 * past it), 0 if it is not one (ps->p unmoved), -1 with the error. strtod
 * and strtof round correctly, and read a '.' point: lde never sets
 * LC_NUMERIC.
 */
static int float_literal(struct cparse *ps, struct cval *out)
{
    const char *s = ps->p;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *q = hex ? s + 2 : s;
    while (hex ? isxdigit((unsigned char)*q) : isdigit((unsigned char)*q))
        q++;
    if (*q != '.' && *q != (hex ? 'p' : 'e') && *q != (hex ? 'P' : 'E'))
        return 0;
    char *end;
    double v = strtod(s, &end);
    uint8_t b[16];
    uint8_t size = 8;
    if (*end == 'f' || *end == 'F') {
        float f = strtof(s, &end);
        v = f; /* exact: a float is a double */
        size = 4;
        end++;
    } else if (*end == 'l' || *end == 'L') {
        return fail(ps,
                    "long double literals are not supported (%.*s): "
                    "write a double",
                    (int)(end - s + 1), s);
    }
    if (ident_char(*end) || *end == '.')
        return fail(ps, "bad number '%.*s'", (int)(end - s + 1), s);
    ps->p = end;
    struct ctype t = ctype_builtin_float(size);
    cfloat_from_double(v, size, b);
    *out = float_value(&t, b, size);
    return 1;
}

static int number(struct cparse *ps, struct cval *out)
{
    int rc = float_literal(ps, out);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    char *end;
    unsigned long long v = strtoull(ps->p, &end, 0);
    /* C's type for the literal (ILP32): the first of int, unsigned int
     * (hexadecimal and octal, or a u suffix), long long, unsigned long
     * long that holds it; ll asks for long long at least. */
    bool based = ps->p[0] == '0' && end - ps->p > 1;
    bool u = false, ll = false;
    for (; *end == 'u' || *end == 'U' || *end == 'l' || *end == 'L'; end++) {
        u |= *end == 'u' || *end == 'U';
        ll |= (*end == 'l' || *end == 'L') && end[1] == *end;
    }
    if (ident_char(*end))
        return fail(ps, "bad number '%.*s'", (int)(end - ps->p + 1), ps->p);
    ps->p = end;
    bool wide = ll || v > UINT32_MAX || (v > INT32_MAX && !based && !u);
    bool sign = !u && (wide ? v <= INT64_MAX : v <= INT32_MAX);
    *out = int_value((int64_t)v, wide ? 8 : 4, sign);
    out->space = ps->d->s.cpu->mode == MODE_USER ? DBG_USER : DBG_KERNEL;
    return 0;
}

static int register_value(struct cparse *ps, struct cval *out)
{
    char name[32];
    size_t n = 0;
    while (ident_char(*ps->p) && n + 1 < sizeof name)
        name[n++] = *ps->p++;
    name[n] = '\0';
    struct cpu *cpu = ps->d->s.cpu;
    int r = disasm_reg_number(name);
    int space = cpu->mode == MODE_USER ? DBG_USER : DBG_KERNEL;
    if (r >= 0) {
        memset(out, 0, sizeof *out);
        out->t = ctype_builtin(4, true, false);
        out->where = CV_REG;
        out->reg = (unsigned)r;
        out->space = space;
        return 0;
    }
    uint32_t v;
    if (strcmp(name, "pc") == 0)
        v = cpu->pc;
    else if (strcmp(name, "mode") == 0)
        v = cpu->mode;
    else {
        int c = isalpha((unsigned char)name[0]) ? disasm_csr_number(name) : -1;
        if (c < 0 || cpu_csr_peek(cpu, (uint32_t)c, &v) != 0)
            return fail(ps, "no register $%s", name);
    }
    *out = int_value(v, 4, false);
    out->space = space;
    return 0;
}

static int name_value(struct cparse *ps, struct cval *out)
{
    char name[128];
    size_t n = 0;
    while ((ident_char(*ps->p) || *ps->p == ':') && n + 1 < sizeof name)
        name[n++] = *ps->p++;
    name[n] = '\0';
    int rc = cvar_lookup(ps->d, name, out, ps->err, ps->errlen);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return 0;
    /* No variable: an ELF symbol stands for its address. */
    int im;
    const struct sym *s = dbg_find_symbol(ps->d, name, &im);
    if (s == NULL)
        return fail(ps, "no symbol \"%s\" in current context", name);
    *out = int_value(s->addr, 4, false);
    out->space = dbg_image_space(im);
    return 0;
}

static int char_literal(struct cparse *ps, struct cval *out)
{
    const char *p = ps->p + 1;
    int c = (unsigned char)*p++;
    if (c == '\\') {
        switch (*p++) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case '0': c = 0; break;
        case '\\': c = '\\'; break;
        case '\'': c = '\''; break;
        default: return fail(ps, "unknown escape in a character");
        }
    }
    if (*p != '\'')
        return fail(ps, "unterminated character");
    ps->p = p + 1;
    *out = int_value(c, 1, true);
    out->t.bchar = true;
    return 0;
}

static int primary(struct cparse *ps, struct cval *out)
{
    memset(out, 0, sizeof *out); /* as in unary */
    skip(ps);
    char c = *ps->p;
    if (c == '(') {
        ps->p++;
        if (expr_or(ps, out) != 0)
            return -1;
        if (!eat(ps, ")"))
            return fail(ps, "missing ')'");
        return 0;
    }
    if (isdigit((unsigned char)c) ||
        (c == '.' && isdigit((unsigned char)ps->p[1])))
        return number(ps, out);
    if (c == '\'')
        return char_literal(ps, out);
    if (c == '$') {
        ps->p++;
        return register_value(ps, out);
    }
    if (isalpha((unsigned char)c) || c == '_')
        return name_value(ps, out);
    if (c == '\0')
        return fail(ps, "an expression is missing");
    return fail(ps, "unexpected '%c'", c);
}

static int member_name(struct cparse *ps, char *name, size_t len)
{
    skip(ps);
    size_t n = 0;
    while (ident_char(*ps->p) && n + 1 < len)
        name[n++] = *ps->p++;
    name[n] = '\0';
    return n > 0 ? 0 : fail(ps, "a member name is missing");
}

static int postfix(struct cparse *ps, struct cval *out)
{
    if (primary(ps, out) != 0)
        return -1;
    char name[96];
    for (;;) {
        if (eat(ps, "[")) {
            struct cval idx, sum;
            int64_t i = 0, base = 0;
            if (expr_or(ps, &idx) != 0 || scalar(ps, &idx, &i) != 0)
                return -1;
            if (!eat(ps, "]"))
                return fail(ps, "missing ']'");
            if (!is_ptr(out))
                return fail(ps, "cannot subscript a value that is not an "
                                "array or a pointer");
            if (scalar(ps, out, &base) != 0)
                return -1;
            sum = as_pointer(out, base + i * (int64_t)target_size(out));
            if (deref(ps, &sum, out) != 0)
                return -1;
        } else if (eat(ps, "->")) {
            struct cval obj;
            if (member_name(ps, name, sizeof name) != 0 ||
                deref(ps, out, &obj) != 0 ||
                cval_member(ps->d, &obj, name, out, ps->err, ps->errlen) != 0)
                return -1;
        } else if (eat(ps, ".")) {
            struct cval obj = *out;
            if (member_name(ps, name, sizeof name) != 0 ||
                cval_member(ps->d, &obj, name, out, ps->err, ps->errlen) != 0)
                return -1;
        } else {
            return 0;
        }
    }
}

/*
 * sizeof(TYPE), sizeof EXPR, sizeof(EXPR): the size of the type, as an
 * unsigned long (size_t on RV32: 4 bytes). EXPR is parsed, not
 * evaluated. void and functions have size 1, as in GNU C and gdb.
 */
static int size_of(struct cparse *ps, struct cval *out)
{
    struct ctype t;
    int rc = 0;
    skip(ps);
    if (*ps->p == '(') {
        const char *paren = ps->p++;
        rc = type_name(ps, &t);
        if (rc < 0)
            return -1;
        if (rc > 0 && !eat(ps, ")"))
            return fail(ps, "missing ')' after sizeof's type");
        if (rc == 0)
            ps->p = paren;
    }
    if (rc == 0) {
        struct cval v;
        ps->noeval++;
        rc = unary(ps, &v);
        ps->noeval--;
        if (rc != 0)
            return -1;
        t = v.t;
    }
    struct cinfo ci;
    ctype_info(&t, &ci);
    uint32_t size = ci.size;
    if (ci.kind == CK_VOID || ci.kind == CK_FUNC)
        size = 1;
    else if (size == 0) {
        char name[128];
        ctype_name(&t, name, sizeof name);
        return fail(ps, "sizeof an incomplete type (%s)", name);
    }
    *out = int_value(size, 4, false);
    out->t.bname = "unsigned long";
    return 0;
}

static int unary(struct cparse *ps, struct cval *out)
{
    /* out is written on every path that returns 0; cleared first so that
     * no path, not even one that fails, leaves it undefined (clang's
     * analyser cannot always see which is which). */
    memset(out, 0, sizeof *out);
    if (++ps->depth > 64)
        return fail(ps, "expression too deep");
    int rc = -1;
    int64_t x = 0;
    skip(ps);
    if (eat(ps, "-")) {
        if (unary(ps, out) != 0) {
            /* rc stays -1 */
        } else if (is_float(out)) {
            /* IEEE negation: the sign bit, whatever the value (NaN too) */
            uint8_t b[16];
            uint32_t n;
            if (float_bytes(ps, out, b, &n) == 0) {
                b[n - 1] ^= 0x80;
                *out = float_value(&out->t, b, n);
                rc = 0;
            }
        } else if (scalar(ps, out, &x) == 0) {
            struct cinfo ci;
            ctype_info(&out->t, &ci);
            /* in unsigned arithmetic: -INT64_MIN wraps, as on the machine */
            *out = int_value((int64_t)(0 - (uint64_t)x), ci.size == 8 ? 8 : 4,
                             true);
            rc = 0;
        }
    } else if (eat(ps, "+")) {
        rc = unary(ps, out);
    } else if (eat(ps, "!")) {
        bool t;
        if (unary(ps, out) == 0 && truth(ps, out, &t) == 0) {
            *out = int_value(!t, 4, true);
            rc = 0;
        }
    } else if (eat(ps, "~")) {
        if (unary(ps, out) == 0 && scalar(ps, out, &x) == 0) {
            struct cinfo ci;
            ctype_info(&out->t, &ci);
            *out = int_value(~x, ci.size == 8 ? 8 : 4, ci.sign);
            rc = 0;
        }
    } else if (eat(ps, "*")) {
        struct cval p;
        if (unary(ps, &p) == 0)
            rc = deref(ps, &p, out);
    } else if (eat(ps, "&")) {
        struct cval v;
        if (unary(ps, &v) == 0) {
            if (v.where != CV_MEM) {
                rc =
                    fail(ps, "cannot take the address of a value %s",
                         v.where == CV_REG ? "in a register" : "not in memory");
            } else {
                *out = v;
                out->t.ptr++;
                out->where = CV_VALUE;
                out->space = v.mem.space;
                memset(out->b, 0, sizeof out->b);
                memcpy(out->b, &v.mem.addr, 4);
                rc = 0;
            }
        }
    } else if (strncmp(ps->p, "sizeof", 6) == 0 && !ident_char(ps->p[6])) {
        ps->p += 6;
        rc = size_of(ps, out);
    } else if (*ps->p == '(') {
        const char *save = ps->p;
        struct ctype t;
        ps->p++;
        int cast = cast_type(ps, &t);
        if (cast > 0) {
            struct cval v;
            rc = unary(ps, &v) == 0 ? convert(ps, &v, &t, out) : -1;
        } else if (cast == 0) {
            ps->p = save;
            rc = postfix(ps, out);
        }
    } else {
        rc = postfix(ps, out);
    }
    ps->depth--;
    return rc;
}

/* The width of an operation's result, as C's conversions give it. */
static void result_type(const struct cval *a, const struct cval *b,
                        uint8_t *size, bool *sign)
{
    struct cinfo x, y;
    ctype_info(&a->t, &x);
    ctype_info(&b->t, &y);
    *size = x.size == 8 || y.size == 8 ? 8 : 4;
    *sign = !((!x.sign && x.size >= *size) || (!y.sign && y.size >= *size));
}

/* The floating type an operation with a and b is done in: the wider of
 * their floating types (C's usual arithmetic conversions). */
static struct ctype float_type(const struct cval *a, const struct cval *b)
{
    struct cinfo x, y;
    ctype_info(&a->t, &x);
    ctype_info(&b->t, &y);
    if (x.kind != CK_FLOAT)
        return b->t;
    if (y.kind != CK_FLOAT || x.size >= y.size)
        return a->t;
    return b->t;
}

/* v converted to the floating type t (n bytes), as the host's double. */
static int as_double(struct cparse *ps, const struct cval *v,
                     const struct ctype *t, uint32_t n, double *out)
{
    struct cval c;
    *out = 0;
    if (convert(ps, v, t, &c) != 0)
        return -1;
    *out = cfloat_to_double(c.b, n);
    return 0;
}

/*
 * a OP b with a floating operand: + - * / in the wider floating type,
 * the comparisons as C's (false with a NaN, but !=). The host's double
 * computes; a float result is rounded from it, which gives the float
 * operation's own result: binary64 has more than twice binary32's 24
 * bits, so rounding twice cannot differ for + - * /.
 */
static int float_op(struct cparse *ps, const char *op, struct cval *out,
                    const struct cval *rhs)
{
    if (strchr("+-*/<>=!", op[0]) == NULL || strcmp(op, "<<") == 0 ||
        strcmp(op, ">>") == 0)
        return fail(ps, "invalid operands to %s (a floating value)", op);
    if (is_ptr(out) || is_ptr(rhs))
        return fail(ps,
                    "invalid operands to %s (a pointer and a floating "
                    "value)",
                    op);
    struct ctype t = float_type(out, rhs);
    struct cinfo ci;
    ctype_info(&t, &ci);
    if (ci.size == 16)
        return fail(ps, "no arithmetic in long double here: cast it to "
                        "double");
    double x, y;
    if (as_double(ps, out, &t, ci.size, &x) != 0 ||
        as_double(ps, rhs, &t, ci.size, &y) != 0)
        return -1;
    bool r;
    switch (op[0]) {
    case '<': r = op[1] ? x <= y : x < y; break;
    case '>': r = op[1] ? x >= y : x > y; break;
    case '=': r = x == y; break;
    case '!': r = x != y; break;
    default: {
        double v = op[0] == '+'   ? x + y
                   : op[0] == '-' ? x - y
                   : op[0] == '*' ? x * y
                                  : x / y; /* IEEE: x/0 is an infinity */
        /* A NaN result is RISC-V's canonical NaN (positive, quiet), as
         * the guest's soft float gives it, whatever the host's is. */
        if (isnan(v))
            v = fabs((double)NAN);
        uint8_t b[16];
        struct ctype rt = ctype_builtin_float((uint8_t)ci.size);
        cfloat_from_double(v, ci.size, b);
        *out = float_value(&rt, b, ci.size);
        return 0;
    }
    }
    *out = int_value(r, 4, true);
    return 0;
}

typedef int (*level_fn)(struct cparse *ps, struct cval *out);

/* One level of binary operators: ops[] from the table, in order. */
static int binary(struct cparse *ps, struct cval *out, level_fn next,
                  const char *const *ops)
{
    if (next(ps, out) != 0)
        return -1;
    for (;;) {
        const char *op = NULL;
        for (const char *const *o = ops; *o != NULL && op == NULL; o++)
            if (eat(ps, *o))
                op = *o;
        if (op == NULL)
            return 0;
        /* && and || decide on their left when they can, as C does: the
         * right is then only parsed (p != 0 && p->x). */
        bool logic = strcmp(op, "&&") == 0 || strcmp(op, "||") == 0;
        bool ta = false, tb = false;
        if (logic && truth(ps, out, &ta) != 0)
            return -1;
        bool decided = logic && (op[0] == '&') != ta;
        struct cval rhs;
        ps->noeval += decided;
        int rc = next(ps, &rhs);
        if (rc == 0 && logic)
            rc = truth(ps, &rhs, &tb);
        ps->noeval -= decided;
        if (rc != 0)
            return -1;
        if (logic) {
            *out = int_value(op[0] == '&' ? ta && tb : ta || tb, 4, true);
            continue;
        }
        if (is_float(out) || is_float(&rhs)) {
            if (float_op(ps, op, out, &rhs) != 0)
                return -1;
            continue;
        }
        int64_t a, b;
        if (scalar(ps, out, &a) != 0 || scalar(ps, &rhs, &b) != 0)
            return -1;
        uint8_t size;
        bool sign;
        result_type(out, &rhs, &size, &sign);
        int64_t r = 0;
        bool lp = is_ptr(out), rp = is_ptr(&rhs);
        if (strcmp(op, "+") == 0 && (lp || rp)) {
            struct cval *p = lp ? out : &rhs;
            int64_t base = lp ? a : b, n = lp ? b : a;
            *out = as_pointer(p, base + n * (int64_t)target_size(p));
            continue;
        }
        if (strcmp(op, "-") == 0 && lp && !rp) {
            *out = as_pointer(out, a - b * (int64_t)target_size(out));
            continue;
        }
        if (strcmp(op, "-") == 0 && lp && rp) {
            r = (a - b) / (int64_t)target_size(out);
            *out = int_value(r, 4, true);
            continue;
        }
        uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
        if (size == 4) {
            ua &= 0xffffffffu;
            ub &= 0xffffffffu;
            if (sign) {
                a = (int32_t)a;
                b = (int32_t)b;
            }
        }
        bool u = !sign || lp || rp;
        /* + - * wrap (in unsigned arithmetic: signed overflow is undefined
         * in C, and the machine wraps); so do INT64_MIN / -1 and shifts
         * by a count outside [0, 64), instead of trapping the host. */
        bool shift_out = b < 0 || b >= 64;
        switch (op[0]) {
        case '*': r = (int64_t)(ua * ub); break;
        case '/':
        case '%':
            if (b == 0 && ps->noeval)
                break;
            if (b == 0)
                return fail(ps, "division by zero");
            if (u)
                r = (int64_t)(op[0] == '/' ? ua / ub : ua % ub);
            else if (a == INT64_MIN && b == -1)
                r = op[0] == '/' ? INT64_MIN : 0;
            else
                r = op[0] == '/' ? a / b : a % b;
            break;
        case '+': r = (int64_t)(ua + ub); break;
        case '-': r = (int64_t)(ua - ub); break;
        case '<':
            if (op[1] == '<')
                r = shift_out ? 0 : (int64_t)(ua << b);
            else
                r = u ? (op[1] ? ua <= ub : ua < ub) : (op[1] ? a <= b : a < b);
            break;
        case '>':
            if (op[1] == '>')
                r = shift_out ? (u || a >= 0 ? 0 : -1)
                    : u       ? (int64_t)(ua >> b)
                              : a >> b;
            else
                r = u ? (op[1] ? ua >= ub : ua > ub) : (op[1] ? a >= b : a > b);
            break;
        case '=': r = ua == ub; break;
        case '!': r = ua != ub; break;
        case '&': r = (int64_t)(ua & ub); break;
        case '|': r = (int64_t)(ua | ub); break;
        case '^': r = (int64_t)(ua ^ ub); break;
        }
        bool compare = strchr("<>=!", op[0]) != NULL && op[1] != op[0];
        *out = compare ? int_value(r, 4, true) : int_value(r, size, sign);
    }
}

#define LEVEL(name, next, ...)                                                 \
    static int name(struct cparse *ps, struct cval *out)                       \
    {                                                                          \
        static const char *const ops[] = {__VA_ARGS__, NULL};                  \
        return binary(ps, out, next, ops);                                     \
    }
LEVEL(expr_mul, unary, "*", "/", "%")
LEVEL(expr_add, expr_mul, "+", "-")
LEVEL(expr_shift, expr_add, "<<", ">>")
LEVEL(expr_rel, expr_shift, "<=", ">=", "<", ">")
LEVEL(expr_eq, expr_rel, "==", "!=")
LEVEL(expr_band, expr_eq, "&")
LEVEL(expr_bxor, expr_band, "^")
LEVEL(expr_bor, expr_bxor, "|")
LEVEL(expr_and, expr_bor, "&&")
LEVEL(expr_or, expr_and, "||")
#undef LEVEL

int cexpr_typeof(struct dbg *d, const char *expr, struct ctype *out, char *err,
                 size_t errlen)
{
    struct cparse ps = {d, expr, err, errlen, 0, 1};
    struct cval v;
    if (expr_or(&ps, &v) != 0)
        return -1;
    skip(&ps);
    if (*ps.p != '\0')
        return fail(&ps, "unexpected '%s' after the expression", ps.p);
    *out = v.t;
    return 0;
}

int cexpr_eval(struct dbg *d, const char *expr, struct cval *out, char *err,
               size_t errlen)
{
    struct cparse ps = {d, expr, err, errlen, 0, 0};
    if (expr_or(&ps, out) != 0)
        return -1;
    skip(&ps);
    if (*ps.p != '\0')
        return fail(&ps, "unexpected '%s' after the expression", ps.p);
    return 0;
}
