/*
 * cprint.c: C values shown as gdb shows them, and the commands built on
 * cexpr.c and vars.c: p and display of C expressions, info locals and
 * info args, set var and set $reg, break ... if, finish's return value.
 *
 *   42   104 'h'   true   GREEN   0x11024 <table>   0x10488 "box"
 *   {1, 2, 3, 4}   "lde"   {x = 1, y = 2}   <optimized out>
 *   0.100000001   0.10000000000000001   inf   nan(0x8000000000000)
 *   {0 <repeats 30 times>, 10.800000000000001, 0}
 *
 * A change the user makes (set var, set $reg, a write to memory) changes
 * the machine here and now: the recorded history after this step no
 * longer follows from it (timeline_fork).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfloat.h"
#include "cvar.h"
#include "disasm.h"
#include "timeline.h"

#define MAX_ELEMS 100 /* array elements shown */
#define MAX_STRING 200
/* gdb's `set print repeats` default: a run of more identical elements
 * than this is shown once, "<repeats N times>", and counts this many
 * towards MAX_ELEMS (gdb's manual, "Print Settings"). */
#define REPEATS 10
#define REPEAT_BYTES 256 /* larger elements are not compared */
/* Elements compared at most while printing one value (a longer run shows
 * as several), so that no array, however large DWARF says it is and
 * however deeply nested, reads on for long. */
#define REPEAT_SCAN (1u << 20)

void cbuf_put(struct cbuf *o, const char *fmt, ...)
{
    if (o->n + 1 >= o->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->buf + o->n, o->len - o->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->n = o->n + (size_t)k < o->len ? o->n + (size_t)k : o->len - 1;
}

static void put_char(struct cbuf *o, int c, char quote)
{
    switch (c) {
    case '\n': cbuf_put(o, "\\n"); return;
    case '\t': cbuf_put(o, "\\t"); return;
    case '\\': cbuf_put(o, "\\\\"); return;
    default: break;
    }
    if (c == quote)
        cbuf_put(o, "\\%c", c);
    else if (c >= 32 && c < 127)
        cbuf_put(o, "%c", c);
    else
        cbuf_put(o, "\\%03o", c & 0xff);
}

/* A C string at addr in space, "..." (cut at MAX_STRING). */
static void put_string(struct dbg *d, struct cbuf *o, uint32_t addr, int space)
{
    char err[160];
    cbuf_put(o, "\"");
    for (uint32_t i = 0; i < MAX_STRING; i++) {
        uint8_t c;
        if (dbg_read(d, (struct dbg_loc){addr + i, space}, &c, 1, err,
                     sizeof err) != 0) {
            cbuf_put(o, "\"<error: cannot read>");
            return;
        }
        if (c == 0) {
            cbuf_put(o, "\"");
            return;
        }
        put_char(o, c, '"');
    }
    cbuf_put(o, "\"...");
}

static void fmt(struct dbg *d, struct cbuf *o, const struct cval *v, char f,
                int depth);

/* Element i of an array value. */
static struct cval element(const struct cval *v, const struct ctype *et,
                           uint32_t esize, uint32_t i)
{
    struct cval e = *v;
    e.t = *et;
    if (v->where == CV_MEM) {
        e.mem.addr += i * esize;
    } else if (v->where == CV_VALUE) {
        uint32_t off = i * esize;
        memset(e.b, 0, sizeof e.b);
        if (off < sizeof v->b)
            memcpy(e.b, v->b + off, sizeof v->b - off);
    } else {
        e.where = CV_OPT;
        e.why = "an array in a register";
    }
    return e;
}

/* The bytes of an element, to compare it with its neighbours. 0, or -1
 * if they cannot be had. */
static int element_bytes(struct dbg *d, const struct cval *e, uint8_t *b,
                         uint32_t n)
{
    char err[160];
    if (e->where == CV_MEM)
        return dbg_read(d, e->mem, b, n, err, sizeof err);
    if (e->where != CV_VALUE || n > sizeof e->b)
        return -1;
    memcpy(b, e->b, n);
    return 0;
}

/* How many elements from i on are the same bytes as element i (1 if it
 * cannot be read or is too large to compare). */
static uint32_t run_length(struct dbg *d, struct cbuf *o, const struct cval *v,
                           const struct ctype *et, uint32_t esize, uint32_t i,
                           uint32_t count)
{
    uint8_t first[REPEAT_BYTES], next[REPEAT_BYTES];
    struct cval e = element(v, et, esize, i);
    if (esize > sizeof first || element_bytes(d, &e, first, esize) != 0)
        return 1;
    uint32_t reps = 1;
    while (i + reps < count && o->scan_left > 0) {
        o->scan_left--;
        e = element(v, et, esize, i + reps);
        if (element_bytes(d, &e, next, esize) != 0 ||
            memcmp(first, next, esize) != 0)
            break;
        reps++;
    }
    return reps;
}

static void fmt_array(struct dbg *d, struct cbuf *o, const struct cval *v,
                      char f, int depth)
{
    uint32_t count;
    struct ctype et;
    struct cinfo ei;
    if (ctype_array(&v->t, &count, &et) != 0) {
        cbuf_put(o, "<unknown array>");
        return;
    }
    ctype_info(&et, &ei);
    uint32_t esize = ei.size ? ei.size : 1;
    char err[160];
    if (ei.kind == CK_INT && ei.chr && esize == 1 && f == 0) {
        /* A char array: a string, its trailing zeros left out (with a
         * format, its elements, as gdb does). */
        uint8_t buf[MAX_STRING];
        uint32_t n = count < MAX_STRING ? count : MAX_STRING;
        for (uint32_t i = 0; i < n; i++) {
            struct cval e = element(v, &et, 1, i);
            if (cval_load(d, &e, &buf[i], 1, err, sizeof err) != 0) {
                cbuf_put(o, "<error: %s>", err);
                return;
            }
        }
        uint32_t end = n;
        /* buf[0..n) was filled above (or we returned) */
        /* cppcheck-suppress uninitvar */
        while (end > 0 && buf[end - 1] == 0)
            end--;
        cbuf_put(o, "\"");
        for (uint32_t i = 0; i < end; i++)
            put_char(o, buf[i], '"');
        cbuf_put(o, "\"%s", n < count ? "..." : "");
        return;
    }
    cbuf_put(o, "{");
    uint32_t i = 0, shown = 0;
    for (; i < count && shown < MAX_ELEMS; i++) {
        if (i > 0)
            cbuf_put(o, ", ");
        struct cval e = element(v, &et, esize, i);
        uint32_t reps = run_length(d, o, v, &et, esize, i, count);
        fmt(d, o, &e, f, depth + 1);
        if (reps > REPEATS) {
            cbuf_put(o, " <repeats %" PRIu32 " times>", reps);
            i += reps - 1;
            shown += REPEATS;
        } else {
            shown++;
        }
    }
    if (i < count)
        cbuf_put(o, "...");
    cbuf_put(o, "}");
}

static void fmt_struct(struct dbg *d, struct cbuf *o, const struct cval *v,
                       const struct cinfo *ci, char f, int depth)
{
    if (depth > 6) {
        cbuf_put(o, "{...}");
        return;
    }
    cbuf_put(o, "{");
    Dwarf_Die child, die = ci->die;
    bool first = true;
    if (dwarf_child(&die, &child) == 0) {
        do {
            if (dwarf_tag(&child) != DW_TAG_member)
                continue;
            const char *name = dwarf_diename(&child);
            struct cval m;
            char err[160];
            if (!first)
                cbuf_put(o, ", ");
            first = false;
            if (name == NULL) {
                cbuf_put(o, "{...}");
                continue;
            }
            cbuf_put(o, "%s = ", name);
            if (dwarf_hasattr(&child, DW_AT_bit_size)) {
                cbuf_put(o, "<bit-field>");
                continue;
            }
            if (cval_member(d, v, name, &m, err, sizeof err) != 0)
                cbuf_put(o, "<error: %s>", err);
            else
                fmt(d, o, &m, f, depth + 1);
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    cbuf_put(o, "}");
}

static void fmt_enum(struct cbuf *o, const struct cinfo *ci, int64_t x)
{
    Dwarf_Die child, die = ci->die;
    if (dwarf_child(&die, &child) == 0) {
        do {
            Dwarf_Attribute a;
            Dwarf_Sword sv;
            if (dwarf_tag(&child) == DW_TAG_enumerator &&
                dwarf_attr(&child, DW_AT_const_value, &a) != NULL &&
                dwarf_formsdata(&a, &sv) == 0 && sv == x) {
                cbuf_put(o, "%s", dwarf_diename(&child));
                return;
            }
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    cbuf_put(o, "%" PRId64, x);
}

/* " <sym>" or " <sym+off>" when addr falls in a symbol of space. */
static void put_symbol(struct dbg *d, struct cbuf *o, uint32_t addr, int space)
{
    uint32_t off;
    const struct sym *s = dbg_symbol_at(d, (struct dbg_loc){addr, space}, &off);
    if (s != NULL && off < (s->size ? s->size : 1))
        cbuf_put(o, off ? " <%s+%" PRIu32 ">" : " <%s>", s->name, off);
}

static void fmt_pointer(struct dbg *d, struct cbuf *o, const struct cval *v,
                        uint32_t addr)
{
    struct ctype t;
    struct cinfo ti;
    cbuf_put(o, "0x%" PRIx32, addr);
    if (addr == 0 || ctype_target(&v->t, &t) != 0)
        return;
    ctype_info(&t, &ti);
    if (ti.kind == CK_INT && ti.chr && ti.size == 1) {
        cbuf_put(o, " ");
        put_string(d, o, addr, v->space);
        return;
    }
    put_symbol(d, o, addr, v->space);
}

/* ---- Formats (p/x ...) ------------------------------------------------ */

/* A scalar's n bytes b (u: the first 8 as a number), sign: its type is
 * signed, flt: it is floating. */
struct scalar {
    struct dbg *d;
    const struct cval *v;
    const uint8_t *b;
    uint64_t u;
    uint32_t n;
    bool sign, flt;
};

/* The bits of a value wider than 8 bytes (a long double) in base 2, 8, 10
 * or 16, at least width digits, by long division of a copy; negative: as
 * a two's complement number. */
static void put_wide(struct cbuf *o, const struct scalar *s, unsigned base,
                     bool negative, unsigned width)
{
    uint8_t x[16];
    uint32_t n = s->n > 8 && s->n < sizeof x ? s->n : sizeof x; /* 9..16 */
    memcpy(x, s->b, n);
    bool neg = negative && (x[n - 1] & 0x80);
    for (uint32_t i = 0, carry = 1; neg && i < n; i++) {
        carry += (uint8_t)~x[i];
        x[i] = (uint8_t)carry;
        carry >>= 8;
    }
    char digits[8 * sizeof x + 1];
    unsigned k = 0;
    bool more = true;
    while (more && k < sizeof digits) {
        unsigned rem = 0;
        more = false;
        for (uint32_t i = n; i-- > 0;) {
            unsigned cur = rem << 8 | x[i];
            x[i] = (uint8_t)(cur / base);
            rem = cur % base;
            more |= x[i] != 0;
        }
        digits[k++] = "0123456789abcdef"[rem];
    }
    while (k < width && k < sizeof digits)
        digits[k++] = '0';
    cbuf_put(o, "%s", neg ? "-" : "");
    while (k > 0)
        cbuf_put(o, "%c", digits[--k]);
}

/* The bits, as a signed number of n bytes. */
static int64_t signed_bits(const struct scalar *s)
{
    uint64_t u = s->u;
    if (s->n < 8 && (u >> (8 * s->n - 1)) & 1)
        u |= ~UINT64_C(0) << (8 * s->n);
    return (int64_t)u;
}

static void f_hex(struct cbuf *o, const struct scalar *s)
{
    cbuf_put(o, "0x");
    if (s->n > 8)
        put_wide(o, s, 16, false, 0);
    else
        cbuf_put(o, "%" PRIx64, s->u);
}

static void f_zhex(struct cbuf *o, const struct scalar *s)
{
    cbuf_put(o, "0x");
    if (s->n > 8)
        put_wide(o, s, 16, false, 2 * s->n);
    else
        cbuf_put(o, "%0*" PRIx64, (int)s->n * 2, s->u);
}

static void f_dec(struct cbuf *o, const struct scalar *s)
{
    if (s->n > 8)
        put_wide(o, s, 10, true, 0);
    else
        cbuf_put(o, "%" PRId64, signed_bits(s));
}

static void f_udec(struct cbuf *o, const struct scalar *s)
{
    if (s->n > 8)
        put_wide(o, s, 10, false, 0);
    else
        cbuf_put(o, "%" PRIu64, s->u);
}

static void f_oct(struct cbuf *o, const struct scalar *s)
{
    bool zero = true;
    for (uint32_t i = 0; i < s->n; i++)
        zero &= s->b[i] == 0;
    if (s->n <= 8)
        cbuf_put(o, zero ? "%" PRIo64 : "0%" PRIo64, s->u);
    else if (zero)
        cbuf_put(o, "0");
    else {
        cbuf_put(o, "0");
        put_wide(o, s, 8, false, 0);
    }
}

static void f_bin(struct cbuf *o, const struct scalar *s)
{
    if (s->n > 8) {
        put_wide(o, s, 2, false, 0);
        return;
    }
    int top = 63;
    while (top > 0 && !((s->u >> top) & 1))
        top--;
    for (int i = top; i >= 0; i--)
        cbuf_put(o, "%c", (s->u >> i) & 1 ? '1' : '0');
}

/* The value as an integer: a floating one converted (toward zero), as
 * gdb converts for /c and /a; else its bits. */
static uint64_t int_value_of(const struct scalar *s)
{
    return s->flt ? cfloat_to_integer(s->b, s->n, true) : s->u;
}

/* gdb casts to char (not a reinterpretation): the low byte, signed as
 * the value's type is (a floating type is signed). */
static void f_chr(struct cbuf *o, const struct scalar *s)
{
    int c = (int)(int_value_of(s) & 0xff);
    cbuf_put(o, "%d '", (s->sign || s->flt) && c >= 128 ? c - 256 : c);
    put_char(o, c, '\'');
    cbuf_put(o, "'");
}

static void f_addr(struct cbuf *o, const struct scalar *s)
{
    uint64_t a = int_value_of(s);
    cbuf_put(o, "0x%" PRIx64, a);
    put_symbol(s->d, o, (uint32_t)a, s->v->space);
}

/* The bits as the floating type of their size (gdb: a float's own, or an
 * integer's reinterpreted); with no such type (1 or 2 bytes), the
 * number in decimal, signed as its type is. */
static void f_flt(struct cbuf *o, const struct scalar *s)
{
    char text[CFLOAT_TEXT];
    if (cfloat_size_ok(s->n)) {
        cfloat_format(s->b, s->n, text, sizeof text);
        cbuf_put(o, "%s", text);
    } else if (s->sign) {
        cbuf_put(o, "%" PRId64, signed_bits(s));
    } else {
        cbuf_put(o, "%" PRIu64, s->u);
    }
}

typedef void (*format_fn)(struct cbuf *o, const struct scalar *s);

#define FORMAT_FN(letter, name, what) [letter] = f_##name,
static const format_fn formats[128] = {CFORMAT_LIST(FORMAT_FN)};
#undef FORMAT_FN

#define FORMAT_LETTER(letter, name, what) letter, ' ',
static const char format_letters[] = {CFORMAT_LIST(FORMAT_LETTER) '\0'};
#undef FORMAT_LETTER

static void fmt_scalar(struct cbuf *o, const struct scalar *s, char f)
{
    format_fn fn = formats[(unsigned char)f & 127];
    if (fn != NULL) /* dbg_c_parse_format let no other letter in */
        fn(o, s);
}

int dbg_c_parse_format(const char **args, char *format, char *err,
                       size_t errlen)
{
    const char *p = *args;
    *format = 0;
    if (*p != '/')
        return 0;
    p++;
    size_t n = strcspn(p, " \t");
    if (n == 0) {
        snprintf(err, errlen, "a format letter is missing after '/' (%.*s)",
                 (int)sizeof format_letters - 2, format_letters);
        return -1;
    }
    if (isdigit((unsigned char)*p)) {
        snprintf(err, errlen,
                 "a count (/%.*s) means nothing here: print "
                 "shows one value",
                 (int)n, p);
        return -1;
    }
    if (n == 1 && strchr("bhwg", *p) != NULL) {
        snprintf(err, errlen,
                 "a size letter (/%c) means nothing here: the "
                 "value's type gives its size",
                 *p);
        return -1;
    }
    if (n != 1 || (unsigned char)*p >= 128 ||
        formats[(unsigned char)*p] == NULL) {
        snprintf(err, errlen, "unknown format /%.*s (formats: %.*s)", (int)n, p,
                 (int)sizeof format_letters - 2, format_letters);
        return -1;
    }
    *format = *p;
    *args = dbg_skip(p + 1);
    return 0;
}

static void fmt(struct dbg *d, struct cbuf *o, const struct cval *v, char f,
                int depth)
{
    if (v->where == CV_OPT) {
        cbuf_put(o, "<%s>", v->why ? v->why : "optimized out");
        return;
    }
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    if (ci.kind == CK_ARRAY) {
        fmt_array(d, o, v, f, depth);
        return;
    }
    if (ci.kind == CK_STRUCT || ci.kind == CK_UNION) {
        fmt_struct(d, o, v, &ci, f, depth);
        return;
    }
    if (ci.kind == CK_VOID) {
        cbuf_put(o, "void");
        return;
    }
    if (ci.kind == CK_FUNC) {
        cbuf_put(o, "{function}");
        return;
    }
    /* A scalar has at most 8 bytes, but for a long double's 16. */
    uint8_t b[16];
    uint32_t n = ci.size == 0 || ci.size > 8 ? 4 : ci.size;
    if (ci.kind == CK_FLOAT && ci.size > 8 && cfloat_size_ok(ci.size))
        n = ci.size;
    char err[160];
    if (cval_load(d, v, b, n, err, sizeof err) != 0) {
        cbuf_put(o, "<error: %s>", err);
        return;
    }
    uint64_t u = 0;
    for (uint32_t i = n < 8 ? n : 8; i-- > 0;)
        u = u << 8 | b[i];
    int64_t x = (int64_t)u;
    if (ci.sign && n < 8 && (u >> (8 * n - 1)) & 1)
        x = (int64_t)(u | ~UINT64_C(0) << (8 * n));
    struct scalar s = {d, v, b, u, n, ci.sign, ci.kind == CK_FLOAT};
    if (f != 0) {
        fmt_scalar(o, &s, f);
        return;
    }
    switch (ci.kind) {
    case CK_PTR: fmt_pointer(d, o, v, (uint32_t)u); return;
    case CK_ENUM: fmt_enum(o, &ci, x); return;
    case CK_FLOAT:
        if (cfloat_size_ok(n))
            f_flt(o, &s);
        else /* no IEEE format of this size: its bits, and why */
            cbuf_put(o,
                     "0x%0*" PRIx64 " (a %" PRIu32 "-byte float, not decoded)",
                     (int)n * 2, u, ci.size);
        return;
    default: break;
    }
    if (ci.boolean) {
        cbuf_put(o, u ? "true" : "false");
    } else if (ci.chr && n == 1) {
        cbuf_put(o, "%" PRId64 " '", x);
        put_char(o, (int)(u & 0xff), '\'');
        cbuf_put(o, "'");
    } else if (ci.sign) {
        cbuf_put(o, "%" PRId64, x);
    } else {
        cbuf_put(o, "%" PRIu64, u);
    }
}

void cval_format(struct dbg *d, const struct cval *v, char format, char *buf,
                 size_t len)
{
    struct cbuf o = {buf, len, 0, REPEAT_SCAN};
    buf[0] = '\0';
    fmt(d, &o, v, format, 0);
}

/* ---- The commands --------------------------------------------------- */

static bool ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

bool dbg_c_wanted(struct dbg *d, const char *expr)
{
    if (strpbrk(expr, "*/%&|^~!<>=[].'") != NULL)
        return true;
    /* A name that DWARF knows as a variable. */
    for (const char *p = expr; *p;) {
        if (*p == '$' || isdigit((unsigned char)*p)) {
            p++;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            continue;
        }
        if (!ident_start(*p)) {
            p++;
            continue;
        }
        char name[128];
        size_t n = 0;
        while ((isalnum((unsigned char)*p) || *p == '_' || *p == ':') &&
               n + 1 < sizeof name)
            name[n++] = *p++;
        name[n] = '\0';
        struct cval v;
        char err[160];
        if (strcmp(name, "sizeof") == 0 ||
            cvar_lookup(d, name, &v, err, sizeof err) != 0)
            return true;
    }
    return false;
}

int dbg_c_format(struct dbg *d, const char *expr, char format, char *buf,
                 size_t len, char *err, size_t errlen)
{
    struct cval v;
    if (cexpr_eval(d, expr, &v, err, errlen) != 0)
        return -1;
    /* A number that cannot be read is an error, not a value. */
    struct cinfo ci;
    uint8_t b[16];
    ctype_info(&v.t, &ci);
    if ((ci.kind == CK_INT || ci.kind == CK_ENUM || ci.kind == CK_PTR ||
         ci.kind == CK_FLOAT) &&
        v.where != CV_OPT &&
        cval_load(d, &v, b, ci.size && ci.size <= 16 ? ci.size : 4, err,
                  errlen) != 0)
        return -1;
    cval_format(d, &v, format, buf, len);
    return 0;
}

int dbg_c_address(struct dbg *d, const char *expr, struct dbg_loc *out,
                  char *err, size_t errlen)
{
    struct cval v;
    struct cinfo ci;
    uint8_t b[4];
    if (cexpr_eval(d, expr, &v, err, errlen) != 0)
        return -1;
    ctype_info(&v.t, &ci);
    if (ci.kind == CK_ARRAY || ci.kind == CK_FUNC) {
        if (v.where != CV_MEM) {
            snprintf(err, errlen, "%s is not in memory", expr);
            return -1;
        }
        *out = v.mem;
        return 0;
    }
    if (ci.kind != CK_PTR && ci.kind != CK_INT && ci.kind != CK_ENUM) {
        snprintf(err, errlen, "an address is a pointer, an array or a number");
        return -1;
    }
    if (cval_load(d, &v, b, 4, err, errlen) != 0)
        return -1;
    out->addr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                (uint32_t)b[3] << 24;
    out->space = v.space;
    return 0;
}

int dbg_c_truth(struct dbg *d, const char *expr, bool *truth, char *err,
                size_t errlen)
{
    struct cval v;
    uint8_t b[16];
    struct cinfo ci;
    if (cexpr_eval(d, expr, &v, err, errlen) != 0)
        return -1;
    ctype_info(&v.t, &ci);
    if (ci.kind == CK_ARRAY) {
        *truth = true;
        return 0;
    }
    if (ci.kind == CK_FLOAT && cfloat_size_ok(ci.size)) { /* != 0: NaN is */
        if (cval_load(d, &v, b, ci.size, err, errlen) != 0)
            return -1;
        *truth = !cfloat_is_zero(b, ci.size);
        return 0;
    }
    if (ci.kind != CK_INT && ci.kind != CK_ENUM && ci.kind != CK_PTR) {
        snprintf(err, errlen, "the condition is not a number");
        return -1;
    }
    uint32_t n = ci.size == 0 || ci.size > 8 ? 4 : ci.size;
    if (cval_load(d, &v, b, n, err, errlen) != 0)
        return -1;
    *truth = false;
    for (uint32_t i = 0; i < n; i++)
        *truth |= b[i] != 0;
    return 0;
}

static void show_var(void *ctx, const char *name, const struct cval *v)
{
    struct dbg *d = ctx;
    char buf[1024];
    cval_format(d, v, 0, buf, sizeof buf);
    printf("%s = %s\n", name, buf);
    d->vars_shown++;
}

int dbg_cmd_info_vars(struct dbg *d, bool args)
{
    d->vars_shown = 0;
    if (cvar_each(d, args, show_var, d) != 0) {
        printf("No symbol table info available.\n");
        return 0;
    }
    if (d->vars_shown == 0)
        printf(args ? "No arguments.\n" : "No locals.\n");
    return 0;
}

void dbg_show_return(struct dbg *d, int image, uint32_t fn)
{
    const char *name;
    struct ctype ret;
    struct cinfo ci;
    if (cvar_function(d, image, fn, &name, &ret) != 0)
        return;
    ctype_info(&ret, &ci);
    if (ci.kind == CK_VOID)
        return;
    /* The calling convention: a0, and a1 for 64 bits; what is larger
     * came back in memory the caller gave. */
    if (ci.size > 8) {
        printf("Value returned: (%u bytes, in memory the caller gave)\n",
               ci.size);
        return;
    }
    struct cval v;
    memset(&v, 0, sizeof v);
    v.t = ret;
    v.where = CV_VALUE;
    v.space = dbg_current_space(d);
    uint32_t a0 = d->s.cpu->x[10], a1 = d->s.cpu->x[11];
    memcpy(v.b, &a0, 4);
    memcpy(v.b + 4, &a1, 4);
    char buf[1024];
    cval_format(d, &v, 0, buf, sizeof buf);
    printf("Value returned: %s\n", buf);
}

/* ---- Assignment ---------------------------------------------------------- */

/* The '=' of "LHS = RHS" (not ==, <=, >=, !=), or NULL. */
static const char *assign_op(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p != '=')
            continue;
        if (p[1] == '=') {
            p++;
            continue;
        }
        if (p > s && strchr("=<>!", p[-1]) != NULL)
            continue;
        return p;
    }
    return NULL;
}

static int set_register(struct dbg *d, const char *name, uint32_t v, char *err,
                        size_t errlen)
{
    struct cpu *cpu = d->s.cpu;
    int r = disasm_reg_number(name);
    if (r == 0) {
        snprintf(err, errlen, "$zero is always 0");
        return -1;
    }
    if (r > 0) {
        cpu_set_reg(cpu, (unsigned)r, v);
        return 0;
    }
    if (strcmp(name, "pc") == 0) {
        if (cpu_set_pc(cpu, v) != 0) {
            snprintf(err, errlen, "pc must be a multiple of 4");
            return -1;
        }
        return 0;
    }
    if (strcmp(name, "mode") == 0) {
        snprintf(err, errlen,
                 "the mode changes only by a trap or rti "
                 "(docs/isa.md §4)");
        return -1;
    }
    int c = isalpha((unsigned char)name[0]) ? disasm_csr_number(name) : -1;
    if (c < 0) {
        snprintf(err, errlen, "no register $%s", name);
        return -1;
    }
    if (cpu_csr_poke(cpu, (uint32_t)c, v) != 0) {
        snprintf(err, errlen, "$%s cannot be written", name);
        return -1;
    }
    return 0;
}

int dbg_c_assign(struct dbg *d, const char *text, char *err, size_t errlen)
{
    const char *eq = assign_op(text);
    if (eq == NULL) {
        snprintf(err, errlen, "usage: set var LHS = EXPR, set $REG = EXPR");
        return -1;
    }
    char lhs[256];
    snprintf(lhs, sizeof lhs, "%.*s", (int)(eq - text), text);
    size_t n = strlen(lhs);
    while (n > 0 && isspace((unsigned char)lhs[n - 1]))
        lhs[--n] = '\0';
    const char *l = lhs;
    while (isspace((unsigned char)*l))
        l++;
    struct cval rhs, dst, cv;
    if (cexpr_eval(d, eq + 1, &rhs, err, errlen) != 0)
        return -1;
    struct cinfo ri;
    ctype_info(&rhs.t, &ri);
    if (ri.kind == CK_STRUCT || ri.kind == CK_UNION || ri.kind == CK_ARRAY) {
        snprintf(err, errlen, "only numbers and pointers can be assigned");
        return -1;
    }
    /* As C assigns: the value converted to the left side's type (a
     * register is an int). */
    int rc = -1;
    uint32_t word;
    if (l[0] == '$' && strspn(l + 1, "abcdefghijklmnopqrstuvwxyz0123456789") ==
                           strlen(l + 1)) {
        struct ctype it = ctype_builtin(4, true, false);
        if (cexpr_convert(d, &rhs, &it, &cv, err, errlen) == 0) {
            memcpy(&word, cv.b, 4);
            rc = set_register(d, l + 1, word, err, errlen);
        }
    } else if (cexpr_eval(d, l, &dst, err, errlen) == 0) {
        struct cinfo di;
        ctype_info(&dst.t, &di);
        uint32_t dn = di.size;
        uint32_t pa;
        if (di.kind == CK_STRUCT || di.kind == CK_UNION ||
            di.kind == CK_ARRAY || dn == 0 ||
            (dn > 8 && !(di.kind == CK_FLOAT && cfloat_size_ok(dn))))
            snprintf(err, errlen, "%s cannot be assigned a number", l);
        else if (cexpr_convert(d, &rhs, &dst.t, &cv, err, errlen) != 0)
            rc = -1;
        else if (dst.where == CV_REG) {
            /* 8 bytes in a register go on in the next (a0, a1) */
            memcpy(&word, cv.b, 4);
            rc = set_register(d, disasm_reg_name(dst.reg), word, err, errlen);
            if (rc == 0 && dn > 4 && dst.reg + 1 < 32) {
                memcpy(&word, cv.b + 4, 4);
                rc = set_register(d, disasm_reg_name(dst.reg + 1), word, err,
                                  errlen);
            }
        } else if (dst.where != CV_MEM)
            snprintf(err, errlen, "%s is not in memory or a register here", l);
        else if (dbg_to_phys(d, dst.mem, dn, &pa, err, errlen) == 0 &&
                 cpu_load(d->s.cpu, pa, cv.b, dn) == 0)
            rc = 0;
    }
    if (rc == 0 && d->s.timeline != NULL)
        timeline_fork(d->s.timeline);
    return rc;
}

int dbg_cmd_set(struct dbg *d, const char *args)
{
    char err[300];
    args = dbg_skip(args);
    if (strncmp(args, "var ", 4) == 0 || strncmp(args, "variable ", 9) == 0)
        args = dbg_skip(strchr(args, ' '));
    if (*args == '\0') {
        dbg_err("usage: set var LHS = EXPR | set $REG = EXPR");
        return -1;
    }
    if (dbg_c_assign(d, args, err, sizeof err) != 0) {
        dbg_err("set: %s", err);
        return -1;
    }
    return 0;
}
