/*
 * cdecl.c: C types written as C declares them (cvar.h), and the two
 * commands that show them, as gdb's do (its manual, "Examining the
 * Symbol Table"):
 *
 *   whatis EXPR|TYPE   type = const struct shape *
 *   ptype EXPR|TYPE    type = const struct shape {
 *                          const char *name;
 *                          ...
 *                      } *
 *
 * A declaration is a base type (int, struct point, a typedef's name)
 * and a declarator around the name, built from the outside of the type
 * in: a pointer puts '*' before it, an array "[N]" after it, a function
 * "(ARGS)" after it, with parentheses when a pointer is inside an array
 * or a function (int (*)[4]). whatis names the type as it is used;
 * ptype looks through its typedefs and spells out its struct, union or
 * enum (their members keep their types' names).
 */
#include <stdio.h>
#include <string.h>

#include "cvar.h"

#define DECL_MAX 256 /* one declarator, cut beyond */

/* The declarator being built: text with prepend and append, cut at
 * DECL_MAX (no snprintf: the cut is deliberate). */
struct declarator {
    char s[DECL_MAX];
    bool qualified; /* it starts with a qualifier word (* const p) */
};

static void prepend(struct declarator *d, const char *s)
{
    size_t n = strlen(s), have = strlen(d->s);
    if (n + have >= DECL_MAX)
        return;
    memmove(d->s + n, d->s, have + 1);
    memcpy(d->s, s, n);
}

static void append(struct declarator *d, const char *s)
{
    size_t have = strlen(d->s);
    size_t n = strnlen(s, DECL_MAX - 1 - have);
    memcpy(d->s + have, s, n);
    d->s[have + n] = '\0';
}

/* An array or a function binds tighter than '*': (*p)[4], (*f)(int). */
static void bind_tighter(struct declarator *d)
{
    if (d->s[0] == '*') {
        prepend(d, "(");
        append(d, ")");
    }
}

static void declare(struct cbuf *o, const struct ctype *t, const char *name,
                    bool ptype, int indent);

/* The type die refers to (DW_AT_type), void if none. */
static struct ctype target_of(const struct ctype *t, Dwarf_Die *die)
{
    struct ctype next = *t;
    next.ptr = 0;
    next.dims_taken = 0;
    Dwarf_Die in;
    if (cvar_die_type(die, &in)) {
        next.die = in;
        return next;
    }
    next = ctype_builtin(0, false, false);
    next.image = t->image;
    return next;
}

/* A built-in type's name: its name as written, else from its size. */
static const char *builtin_name(const struct ctype *t)
{
    static const char *const by_size[2][9] = {
        {"void", "unsigned char", "unsigned short", "?", "unsigned int", "?",
         "?", "?", "unsigned long long"},
        {"void", "char", "short", "?", "int", "?", "?", "?", "long long"},
    };
    if (t->bname != NULL)
        return t->bname;
    if (t->bchar)
        return "char";
    return by_size[t->bsigned][t->bsize <= 8 ? t->bsize : 3];
}

/* "[4]" for each dimension of an array die ("[]": unknown), the first
 * taken ones left out (m[1] of int m[2][3] is an int [3]). */
static void array_dims(struct declarator *d, Dwarf_Die *die, unsigned taken)
{
    Dwarf_Die child;
    if (dwarf_child(die, &child) != 0)
        return;
    unsigned i = 0;
    do {
        if (dwarf_tag(&child) != DW_TAG_subrange_type || i++ < taken)
            continue;
        Dwarf_Attribute a;
        Dwarf_Word n = 0;
        bool known = true;
        if (dwarf_attr(&child, DW_AT_count, &a) != NULL)
            dwarf_formudata(&a, &n);
        else if (dwarf_attr(&child, DW_AT_upper_bound, &a) != NULL &&
                 dwarf_formudata(&a, &n) == 0)
            n++;
        else
            known = false;
        char dim[32];
        snprintf(dim, sizeof dim, known ? "[%llu]" : "[]",
                 (unsigned long long)n);
        append(d, dim);
    } while (dwarf_siblingof(&child, &child) == 0);
}

/* "(int, char **)" for a function type die. */
static void parameters(struct declarator *d, const struct ctype *t,
                       Dwarf_Die *die)
{
    char args[DECL_MAX];
    struct cbuf o = {args, sizeof args, 0, 0};
    args[0] = '\0';
    cbuf_put(&o, "(");
    Dwarf_Die child;
    int n = 0;
    if (dwarf_child(die, &child) == 0) {
        do {
            int tag = dwarf_tag(&child);
            if (tag == DW_TAG_unspecified_parameters) {
                cbuf_put(&o, "%s...", n++ ? ", " : "");
            } else if (tag == DW_TAG_formal_parameter) {
                cbuf_put(&o, "%s", n++ ? ", " : "");
                struct ctype pt = target_of(t, &child);
                declare(&o, &pt, "", false, 0);
            }
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    if (n == 0 && dwarf_hasattr(die, DW_AT_prototyped))
        cbuf_put(&o, "void");
    cbuf_put(&o, ")");
    append(d, args);
}

/* " {RED, GREEN = 5, BLUE}": a value is shown where it does not follow
 * from the one before. */
static void enum_body(struct cbuf *o, Dwarf_Die *die)
{
    Dwarf_Die child;
    Dwarf_Sword expect = 0;
    bool first = true;
    cbuf_put(o, " {");
    if (dwarf_child(die, &child) == 0) {
        do {
            Dwarf_Attribute a;
            Dwarf_Sword v = 0;
            if (dwarf_tag(&child) != DW_TAG_enumerator)
                continue;
            if (dwarf_attr(&child, DW_AT_const_value, &a) != NULL)
                dwarf_formsdata(&a, &v);
            const char *n = dwarf_diename(&child);
            cbuf_put(o, "%s%s", first ? "" : ", ", n ? n : "?");
            if (v != expect)
                cbuf_put(o, " = %lld", (long long)v);
            expect = v + 1;
            first = false;
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    cbuf_put(o, "}");
}

/* " {\n    int x;\n    int y;\n}", members at indent + 4. */
static void members(struct cbuf *o, const struct ctype *t, Dwarf_Die *die,
                    int indent)
{
    Dwarf_Die child;
    int n = 0;
    cbuf_put(o, " {\n");
    if (dwarf_child(die, &child) == 0) {
        do {
            if (dwarf_tag(&child) != DW_TAG_member)
                continue;
            const char *name = dwarf_diename(&child);
            struct ctype mt = target_of(t, &child);
            cbuf_put(o, "%*s", indent + 4, "");
            declare(o, &mt, name ? name : "", false, indent + 4);
            Dwarf_Attribute a;
            Dwarf_Word bits;
            if (dwarf_attr(&child, DW_AT_bit_size, &a) != NULL &&
                dwarf_formudata(&a, &bits) == 0)
                cbuf_put(o, " : %llu", (unsigned long long)bits);
            cbuf_put(o, ";\n");
            n++;
        } while (dwarf_siblingof(&child, &child) == 0);
    }
    if (n == 0)
        cbuf_put(o, "%*s%s\n", indent + 4, "",
                 dwarf_hasattr(die, DW_AT_declaration) ? "<incomplete type>"
                                                       : "<no data fields>");
    cbuf_put(o, "%*s}", indent, "");
}

/* The base type: its name, or (ptype, or no name) its body too. */
static void base(struct cbuf *o, const struct ctype *t, const char *quals,
                 bool ptype, int indent)
{
    cbuf_put(o, "%s", quals);
    if (!t->has_die) {
        cbuf_put(o, "%s", builtin_name(t));
        return;
    }
    Dwarf_Die die = t->die;
    const char *name = dwarf_diename(&die);
    const char *tag = NULL;
    switch (dwarf_tag(&die)) {
    case DW_TAG_structure_type: tag = "struct"; break;
    case DW_TAG_union_type: tag = "union"; break;
    case DW_TAG_enumeration_type: tag = "enum"; break;
    default: cbuf_put(o, "%s", name ? name : "?"); return;
    }
    cbuf_put(o, "%s%s%s", tag, name ? " " : "", name ? name : "");
    if (!ptype && name != NULL)
        return;
    if (!ptype) /* whatis of an anonymous one */
        cbuf_put(o, " {...}");
    else if (dwarf_tag(&die) == DW_TAG_enumeration_type)
        enum_body(o, &die);
    else
        members(o, t, &die, indent);
}

static bool is_qualifier(int tag)
{
    return tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
           tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type;
}

static const char *qualifier_word(int tag)
{
    switch (tag) {
    case DW_TAG_const_type: return "const";
    case DW_TAG_volatile_type: return "volatile";
    case DW_TAG_restrict_type: return "restrict";
    default: return "_Atomic";
    }
}

/* Does t (typedefs looked through when ptype) reach a pointer first? */
static bool points(const struct ctype *t, bool ptype)
{
    struct ctype cur = *t;
    for (int guard = 0; guard < 64; guard++) {
        if (cur.ptr > 0)
            return true;
        if (!cur.has_die)
            return false;
        Dwarf_Die die = cur.die;
        int tag = dwarf_tag(&die);
        if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type)
            return true;
        if (!is_qualifier(tag) && !(ptype && tag == DW_TAG_typedef))
            return false;
        cur = target_of(&cur, &die);
    }
    return false;
}

/*
 * "TYPE NAME" as C declares it (name "" for the type alone): the
 * declarator from the outside of the type in, then the base type with
 * the qualifiers that apply to it.
 */
static void declare(struct cbuf *o, const struct ctype *t, const char *name,
                    bool ptype, int indent)
{
    struct declarator d = {"", false};
    append(&d, name);
    char quals[64] = "";
    struct cbuf q = {quals, sizeof quals, 0, 0};
    struct ctype cur = *t;
    for (int guard = 0; guard < 64; guard++) {
        if (cur.ptr > 0) {
            prepend(&d, d.qualified ? "* " : "*");
            d.qualified = false;
            cur.ptr--;
            continue;
        }
        if (!cur.has_die)
            break;
        Dwarf_Die die = cur.die;
        int tag = dwarf_tag(&die);
        if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type) {
            prepend(&d, d.qualified ? "* " : "*");
            d.qualified = false;
        } else if (is_qualifier(tag)) {
            struct ctype in = target_of(&cur, &die);
            if (points(&in, ptype)) { /* char *const p: the pointer's */
                prepend(&d, d.s[0] ? " " : "");
                prepend(&d, qualifier_word(tag));
                d.qualified = true;
            } else {
                cbuf_put(&q, "%s ", qualifier_word(tag));
            }
        } else if (tag == DW_TAG_array_type) {
            bind_tighter(&d);
            array_dims(&d, &die, cur.dims_taken);
        } else if (tag == DW_TAG_subroutine_type) {
            bind_tighter(&d);
            parameters(&d, &cur, &die);
        } else if (!(ptype && tag == DW_TAG_typedef)) {
            break;
        }
        cur = target_of(&cur, &die);
    }
    base(o, &cur, quals, ptype, indent);
    if (d.s[0] != '\0')
        cbuf_put(o, " %s", d.s);
}

void ctype_name(const struct ctype *t, char *buf, size_t len)
{
    struct cbuf o = {buf, len, 0, 0};
    buf[0] = '\0';
    declare(&o, t, "", false, 0);
}

void ctype_describe(const struct ctype *t, char *buf, size_t len)
{
    struct cbuf o = {buf, len, 0, 0};
    buf[0] = '\0';
    declare(&o, t, "", true, 0);
}

/* ---- whatis, ptype --------------------------------------------------- */

/* ARG's type: a type name, else an expression's type (parsed, not
 * evaluated: whatis *p reads nothing). *is_type: ARG was a type. */
static int arg_type(struct dbg *d, const char *cmd, const char *args,
                    struct ctype *t, bool *is_type)
{
    char err[300];
    args = dbg_skip(args);
    if (*args == '\0') {
        dbg_err("usage: %s EXPR|TYPE", cmd);
        return -1;
    }
    int rc = cexpr_type(d, args, t, err, sizeof err);
    *is_type = rc > 0;
    if (rc == 0)
        rc = cexpr_typeof(d, args, t, err, sizeof err) == 0 ? 1 : -1;
    if (rc < 0) {
        dbg_err("%s: %s", cmd, err);
        return -1;
    }
    return 0;
}

int dbg_cmd_whatis(struct dbg *d, const char *args)
{
    struct ctype t;
    bool is_type;
    if (arg_type(d, "whatis", args, &t, &is_type) != 0)
        return -1;
    /* A typedef's name: one level unrolled, as gdb does. */
    if (is_type && t.has_die && t.ptr == 0 &&
        dwarf_tag(&t.die) == DW_TAG_typedef) {
        Dwarf_Die die = t.die;
        t = target_of(&t, &die);
    }
    char buf[1024];
    ctype_name(&t, buf, sizeof buf);
    printf("type = %s\n", buf);
    return 0;
}

int dbg_cmd_ptype(struct dbg *d, const char *args)
{
    struct ctype t;
    bool is_type;
    if (arg_type(d, "ptype", args, &t, &is_type) != 0)
        return -1;
    char buf[4096];
    ctype_describe(&t, buf, sizeof buf);
    printf("type = %s\n", buf);
    return 0;
}
