/*
 * data.c: looking at values and memory: p, x, disas, display.
 *
 * Memory is always read through dbg_read(): a user address through the
 * process's base and bounds, a kernel address as physical RAM. Device
 * registers are never read, because reading some of them has effects
 * (the console's RX pops a byte).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfloat.h"
#include "dbg.h"

static const char *kind_name(uint8_t kind)
{
    switch (kind) {
    case SYM_FUNC: return "function";
    case SYM_OBJECT: return "object";
    default: return "label";
    }
}

static void print_number(uint32_t v)
{
    if (v & 0x80000000u)
        printf("0x%08" PRIx32 " (%" PRIu32 ", %" PRId32 ")", v, v, (int32_t)v);
    else
        printf("0x%08" PRIx32 " (%" PRIu32 ")", v, v);
}

int dbg_cmd_print(struct dbg *d, const char *args)
{
    struct dbg_value v;
    char err[200];
    char f;
    args = dbg_skip(args);
    if (dbg_c_parse_format(&args, &f, err, sizeof err) != 0) {
        dbg_err("p: %s", err);
        return -1;
    }
    if (*args == '\0') {
        dbg_err("usage: p[/FMT] EXPR  (C: variables, *, &, [], ., ->, "
                "sizeof, arithmetic; $reg, symbols, numbers)");
        return -1;
    }
    /* A C expression (a variable DWARF knows, or C's operators), or any
     * expression with a format, is shown as C shows it; addresses and
     * registers as before. If the address arithmetic fails, C may still
     * make sense of it (a cast). */
    char val[2048];
    bool c = f != 0 || dbg_c_wanted(d, args);
    if (c || dbg_eval(d, args, &v, err, sizeof err) != 0) {
        char cerr[200];
        if (dbg_c_format(d, args, f, val, sizeof val, cerr, sizeof cerr) != 0) {
            dbg_err("p: %s", c ? cerr : err);
            return -1;
        }
        printf("%s = %s\n", args, val);
        return 0;
    }
    printf("%s = ", args);
    if (v.sym != NULL) {
        const struct sym *s = v.sym;
        printf("0x%08" PRIx32 " <%s> (%s in %s, %" PRIu32 " bytes)", v.v,
               s->name, kind_name(s->kind), d->img[v.sym_image].name, s->size);
        if (s->kind == SYM_OBJECT && s->size > 0) {
            uint8_t b[8] = {0};
            uint32_t n =
                s->size == 1 || s->size == 2 || s->size == 4 || s->size == 8
                    ? s->size
                    : 0;
            struct dbg_loc l = {v.v, v.space};
            if (n == 0)
                printf(": use x/%" PRIu32 "xb to see it", s->size);
            else if (dbg_read(d, l, b, n, err, sizeof err) != 0)
                printf(": not readable (%s)", err);
            else {
                uint64_t x = 0;
                for (uint32_t i = n; i-- > 0;)
                    x = x << 8 | b[i];
                printf(" = 0x%0*" PRIx64 " (%" PRIu64 ")", (int)n * 2, x, x);
            }
        }
        printf("\n");
        return 0;
    }
    print_number(v.v);
    if (!v.is_reg || v.space == DBG_KERNEL || v.v >= USER_NULL_GUARD) {
        uint32_t off;
        const struct sym *s =
            dbg_symbol_at(d, (struct dbg_loc){v.v, v.space}, &off);
        if (s != NULL && off == 0)
            printf(" <%s>", s->name);
        else if (s != NULL)
            printf(" <%s+0x%" PRIx32 ">", s->name, off);
    }
    printf("\n");
    return 0;
}

/* ---- x ----------------------------------------------------------------- */

static void put_escaped(const uint8_t *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            printf("\\n");
        else if (c == '\t')
            printf("\\t");
        else if (isprint(c))
            putchar(c);
        else
            printf("\\%03o", c);
    }
    putchar('"');
}

/* "/4xw" into count, format and unit; the defaults are the last ones
 * (gdb's letters: formats x d u c f s i, units b h w g of 1, 2, 4, 8
 * bytes). */
static int parse_fmt(struct dbg *d, const char **pp, unsigned *count)
{
    const char *p = *pp;
    /* A bare `x` (or an empty line after one) goes on with the last
     * count and format. */
    *count = *p == '\0' && d->x_next_valid ? d->x_count : 1;
    if (*p != '/')
        return 0;
    p++;
    if (isdigit((unsigned char)*p)) {
        char *end;
        unsigned long n = strtoul(p, &end, 10);
        if (n == 0 || n > 4096) {
            dbg_err("x: count must be 1 to 4096");
            return -1;
        }
        *count = (unsigned)n;
        p = end;
    }
    bool fmt_given = false, unit_given = false;
    for (; *p && !isspace((unsigned char)*p); p++) {
        if (strchr("xducfsi", *p)) {
            d->x_fmt = *p;
            fmt_given = true;
        } else if (strchr("bhwg", *p)) {
            d->x_unit = *p;
            unit_given = true;
        } else {
            dbg_err("x: unknown letter '%c' (formats x d u c f s i, units b "
                    "h w g)",
                    *p);
            return -1;
        }
    }
    /* gdb's rule: f without a unit keeps the last unit if it is a float's
     * (w) or a double's (g), else takes g. */
    if (fmt_given && !unit_given && d->x_fmt == 'f' && d->x_unit != 'w' &&
        d->x_unit != 'g')
        d->x_unit = 'g';
    *pp = p;
    return 0;
}

static int x_strings(struct dbg *d, struct dbg_loc l, unsigned count)
{
    char err[200], where[160];
    for (unsigned i = 0; i < count; i++) {
        uint8_t buf[256];
        size_t n = 0;
        for (; n < sizeof buf; n++) {
            struct dbg_loc c = {l.addr + (uint32_t)n, l.space};
            if (dbg_read(d, c, &buf[n], 1, err, sizeof err) != 0) {
                if (n == 0) {
                    dbg_err("x: %s", err);
                    return -1;
                }
                break;
            }
            if (buf[n] == 0)
                break;
        }
        printf("%s:\t", dbg_format_addr(d, l, where, sizeof where));
        put_escaped(buf, n);
        printf("\n");
        l.addr += (uint32_t)n + 1;
    }
    d->x_next = l;
    d->x_next_valid = true;
    return 0;
}

static int x_insns(struct dbg *d, struct dbg_loc l, unsigned count,
                   const char *cmd)
{
    char where[160], text[192];
    for (unsigned i = 0; i < count; i++, l.addr += 4) {
        if (dbg_disasm_at(d, l, text, sizeof text) != 0) {
            dbg_err("%s: %s", cmd, text);
            return -1;
        }
        bool here = l.addr == d->s.cpu->pc &&
                    dbg_loc_matches(d, &(struct dbg_loc){l.addr, l.space});
        printf("%s %s:\t%s\n", here ? "=>" : "  ",
               dbg_format_addr(d, l, where, sizeof where), text);
    }
    d->x_next = l;
    d->x_next_valid = true;
    return 0;
}

int dbg_cmd_x(struct dbg *d, const char *args)
{
    unsigned count;
    args = dbg_skip(args);
    if (parse_fmt(d, &args, &count) != 0)
        return -1;
    d->x_count = count;
    int forced = 0; /* 1: physical, 2: the current process */
    for (;;) {
        args = dbg_skip(args);
        if (strncmp(args, "-p", 2) == 0 || strncmp(args, "-k", 2) == 0) {
            forced = 1;
        } else if (strncmp(args, "-u", 2) == 0) {
            forced = 2;
        } else if (args[0] == '-' && isalpha((unsigned char)args[1])) {
            dbg_err("x: unknown flag '%.*s' (-p physical, -u user)",
                    (int)strcspn(args, " \t"), args);
            return -1;
        } else
            break;
        if (args[2] != '\0' && !isspace((unsigned char)args[2])) {
            dbg_err("x: unknown flag '%.*s' (-p physical, -u user)",
                    (int)strcspn(args, " \t"), args);
            return -1;
        }
        args += 2;
    }
    struct dbg_loc l;
    if (*args == '\0') {
        if (!d->x_next_valid) {
            dbg_err("usage: x/NFU [-p|-u] ADDR");
            return -1;
        }
        l = d->x_next;
    } else {
        struct dbg_value v;
        char err[200], cerr[200];
        if (dbg_eval(d, args, &v, err, sizeof err) == 0) {
            l = (struct dbg_loc){v.v, v.space};
        } else if (dbg_c_address(d, args, &l, cerr, sizeof cerr) != 0) {
            /* Not an address expression: C's (&var, ptr + 1) */
            dbg_err("x: %s", dbg_c_wanted(d, args) ? cerr : err);
            return -1;
        }
    }
    if (forced == 1)
        l.space = DBG_KERNEL;
    else if (forced == 2)
        l.space = DBG_USER;
    if (d->x_fmt == 's')
        return x_strings(d, l, count);
    if (d->x_fmt == 'i')
        return x_insns(d, l, count, "x");

    unsigned size = d->x_unit == 'b'   ? 1
                    : d->x_unit == 'h' ? 2
                    : d->x_unit == 'g' ? 8
                                       : 4;
    unsigned per_line = size == 8 ? 2 : size == 4 ? 4 : 8; /* as gdb */
    char where[160], err[200];
    for (unsigned i = 0; i < count; i++) {
        struct dbg_loc c = {l.addr + i * size, l.space};
        uint8_t b[8];
        if (dbg_read(d, c, b, size, err, sizeof err) != 0) {
            if (i % per_line != 0)
                printf("\n");
            dbg_err("x: %s", err);
            return -1;
        }
        uint64_t v = 0;
        for (unsigned k = size; k-- > 0;)
            v = v << 8 | b[k];
        if (i % per_line == 0)
            printf("%s:", dbg_format_addr(d, c, where, sizeof where));
        int64_t sv = size < 8 && (v >> (8 * size - 1)) & 1
                         ? (int64_t)(v | ~UINT64_C(0) << (8 * size))
                         : (int64_t)v;
        char text[CFLOAT_TEXT];
        switch (d->x_fmt) {
        case 'd': printf("\t%" PRId64, sv); break;
        case 'u': printf("\t%" PRIu64, v); break;
        case 'c':
            if (v < 128 && isprint((int)v))
                printf("\t%" PRIu64 " '%c'", v, (char)v);
            else
                printf("\t%" PRIu64, v);
            break;
        case 'f':
            /* w: a float, g: a double; b and h have no floating type,
             * and gdb shows them as signed numbers */
            if (cfloat_size_ok(size)) {
                cfloat_format(b, size, text, sizeof text);
                printf("\t%s", text);
            } else {
                printf("\t%" PRId64, sv);
            }
            break;
        default: printf("\t0x%0*" PRIx64, (int)size * 2, v); break;
        }
        if (i % per_line == per_line - 1 || i + 1 == count)
            printf("\n");
    }
    d->x_next = (struct dbg_loc){l.addr + count * size, l.space};
    d->x_next_valid = true;
    return 0;
}

/* ---- disas ------------------------------------------------------------- */

int dbg_cmd_disas(struct dbg *d, const char *args)
{
    char spec[256], err[200];
    snprintf(spec, sizeof spec, "%s", dbg_skip(args));
    /* A trailing number after a location is the count. */
    unsigned count = 0;
    char *last = strrchr(spec, ' ');
    uint64_t n;
    if (last != NULL && dbg_parse_uint(last + 1, &n) == 0) {
        if (n == 0 || n > 4096) {
            dbg_err("disas: count must be 1 to 4096");
            return -1;
        }
        count = (unsigned)n;
        *last = '\0';
    }
    struct dbg_loc l;
    if (spec[0] == '\0')
        l = (struct dbg_loc){d->s.cpu->pc, dbg_current_space(d)};
    else if (dbg_parse_location(d, spec, &l, err, sizeof err) != 0) {
        dbg_err("disas: %s", err);
        return -1;
    }
    if (count == 0) {
        /* The whole function around l, if the symbol knows its size. */
        uint32_t off;
        const struct sym *s = dbg_symbol_at(d, l, &off);
        if (s != NULL && s->size >= 4 && s->size <= 4 * 256 &&
            (spec[0] == '\0' || off == 0)) {
            l.addr = s->addr;
            count = s->size / 4;
        } else {
            count = 8;
        }
    }
    d->x_fmt = 'i';
    return x_insns(d, l, count, "disas");
}

/* ---- display ----------------------------------------------------------- */

static void show_display(struct dbg *d, int i)
{
    struct dbg_value v;
    char err[200];
    char f = d->display_fmt[i];
    printf("%d: ", d->display_num[i]);
    if (f != 0)
        printf("/%c ", f); /* as gdb shows a display with a format */
    if (f != 0 || dbg_c_wanted(d, d->displays[i])) {
        char val[1024];
        if (dbg_c_format(d, d->displays[i], f, val, sizeof val, err,
                         sizeof err) != 0)
            printf("%s: %s\n", d->displays[i], err);
        else
            printf("%s = %s\n", d->displays[i], val);
        return;
    }
    if (dbg_eval(d, d->displays[i], &v, err, sizeof err) != 0) {
        printf("%s: %s\n", d->displays[i], err);
        return;
    }
    printf("%s = ", d->displays[i]);
    print_number(v.v);
    printf("\n");
}

void dbg_show_displays(struct dbg *d)
{
    for (int i = 0; i < DBG_MAX_DISPLAYS; i++)
        if (d->display_num[i] != 0)
            show_display(d, i);
}

int dbg_cmd_display(struct dbg *d, const char *args)
{
    struct dbg_value v;
    char err[200];
    char f;
    args = dbg_skip(args);
    if (dbg_c_parse_format(&args, &f, err, sizeof err) != 0) {
        dbg_err("display: %s", err);
        return -1;
    }
    if (*args == '\0') {
        if (f != 0) {
            dbg_err("usage: display[/FMT] EXPR");
            return -1;
        }
        dbg_show_displays(d);
        return 0;
    }
    if (strlen(args) >= DBG_EXPR_MAX) {
        dbg_err("display: expression too long");
        return -1;
    }
    char val[1024];
    if (f != 0 || dbg_c_wanted(d, args)
            ? dbg_c_format(d, args, f, val, sizeof val, err, sizeof err) != 0
            : dbg_eval(d, args, &v, err, sizeof err) != 0) {
        dbg_err("display: %s", err);
        return -1;
    }
    for (int i = 0; i < DBG_MAX_DISPLAYS; i++) {
        if (d->display_num[i] != 0)
            continue;
        d->display_num[i] = ++d->next_display;
        d->display_fmt[i] = f;
        snprintf(d->displays[i], DBG_EXPR_MAX, "%s", args);
        show_display(d, i);
        return 0;
    }
    dbg_err("display: at most %d expressions", DBG_MAX_DISPLAYS);
    return -1;
}

int dbg_cmd_undisplay(struct dbg *d, const char *args)
{
    args = dbg_skip(args);
    if (*args == '\0') {
        memset(d->display_num, 0, sizeof d->display_num);
        return 0;
    }
    uint64_t n;
    if (dbg_parse_uint(args, &n) != 0) {
        dbg_err("usage: undisplay [N]");
        return -1;
    }
    for (int i = 0; i < DBG_MAX_DISPLAYS; i++)
        if (d->display_num[i] != 0 && (uint64_t)d->display_num[i] == n) {
            d->display_num[i] = 0;
            return 0;
        }
    dbg_err("undisplay: no display %" PRIu64, n);
    return -1;
}
