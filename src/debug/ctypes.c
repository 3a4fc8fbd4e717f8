/*
 * ctypes.c: C types from DWARF (cvar.h): what a type is once typedefs and
 * qualifiers are looked through, what a pointer or an array refers to,
 * an array's length, a type by name (for casts), and the members of
 * structs and unions. cdecl.c writes them as C declares them.
 */
#include <stdio.h>
#include <string.h>

#include "cvar.h"

/* ---- Types -------------------------------------------------------------- */

struct ctype ctype_builtin(uint8_t size, bool sign, bool chr)
{
    struct ctype t;
    memset(&t, 0, sizeof t);
    t.image = -1;
    t.bsize = size;
    t.bsigned = sign;
    t.bchar = chr;
    return t;
}

struct ctype ctype_builtin_float(uint8_t size)
{
    static const char *const names[] = {"float", "double", "long double"};
    struct ctype t = ctype_builtin(size, true, false);
    t.bfloat = true;
    t.bname = names[size == 4 ? 0 : size == 8 ? 1 : 2];
    return t;
}

bool cvar_die_type(Dwarf_Die *die, Dwarf_Die *out)
{
    Dwarf_Attribute a;
    return dwarf_attr_integrate(die, DW_AT_type, &a) != NULL &&
           dwarf_formref_die(&a, out) != NULL;
}

static bool is_qualifier(int tag)
{
    return tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
           tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type ||
           tag == DW_TAG_atomic_type;
}

/* Typedefs and qualifiers looked through; false: void. */
static bool strip(Dwarf_Die *die, Dwarf_Die *out)
{
    Dwarf_Die cur = *die;
    for (int guard = 0; guard < 64 && is_qualifier(dwarf_tag(&cur)); guard++) {
        Dwarf_Die next;
        if (!cvar_die_type(&cur, &next))
            return false;
        cur = next;
    }
    *out = cur;
    return true;
}

static uint32_t die_size(Dwarf_Die *die)
{
    Dwarf_Word w;
    if (dwarf_aggregate_size(die, &w) == 0 && w <= UINT32_MAX)
        return (uint32_t)w;
    int s = dwarf_bytesize(die);
    return s > 0 ? (uint32_t)s : 0;
}

/* One dimension's length: DW_AT_count, else DW_AT_upper_bound + 1, else
 * 0 (unknown, as in int a[]). */
static uint64_t subrange_length(Dwarf_Die *sub)
{
    Dwarf_Attribute a;
    Dwarf_Word n = 0;
    if (dwarf_attr(sub, DW_AT_count, &a) != NULL)
        dwarf_formudata(&a, &n);
    else if (dwarf_attr(sub, DW_AT_upper_bound, &a) != NULL &&
             dwarf_formudata(&a, &n) == 0)
        n++;
    return n;
}

/* An array die's dimensions (DW_TAG_subrange_type children, outermost
 * first), from the k-th on: *len is the k-th's length, *rest the product
 * of those after it (1 if none). Returns how many dimensions there are
 * in all. */
static unsigned dims_from(Dwarf_Die *array, unsigned k, uint64_t *len,
                          uint64_t *rest)
{
    unsigned i = 0;
    *len = 0;
    *rest = 1;
    Dwarf_Die child;
    if (dwarf_child(array, &child) != 0)
        return 0;
    do {
        if (dwarf_tag(&child) != DW_TAG_subrange_type)
            continue;
        uint64_t n = subrange_length(&child);
        if (i == k)
            *len = n;
        else if (i > k) /* capped: rest_size refuses beyond 4 GiB */
            *rest = n > UINT32_MAX || *rest * n > UINT32_MAX ? UINT32_MAX + 1ULL
                                                             : *rest * n;
        i++;
    } while (dwarf_siblingof(&child, &child) == 0);
    return i;
}

/* The size of what is left of an array die once k dimensions are taken:
 * the remaining lengths times the element's size (dwarf_aggregate_size
 * only knows the whole array's). 0 if unknown or beyond 4 GiB. */
static uint32_t rest_size(const struct ctype *t, Dwarf_Die *array, unsigned k)
{
    uint64_t len, rest;
    Dwarf_Die et;
    if (k >= dims_from(array, k, &len, &rest) || !cvar_die_type(array, &et))
        return 0;
    struct ctype e = *t;
    e.ptr = 0;
    e.dims_taken = 0;
    e.die = et;
    struct cinfo ei;
    ctype_info(&e, &ei);
    /* each factor below 2^32 + 1 first: the products cannot wrap */
    if (len > UINT32_MAX || rest > UINT32_MAX || len * rest > UINT32_MAX)
        return 0;
    uint64_t size = len * rest * ei.size;
    return size <= UINT32_MAX ? (uint32_t)size : 0;
}

void ctype_info(const struct ctype *t, struct cinfo *ci)
{
    memset(ci, 0, sizeof *ci);
    if (t->ptr > 0) {
        ci->kind = CK_PTR;
        ci->size = 4;
        return;
    }
    if (!t->has_die) {
        ci->kind = t->bfloat ? CK_FLOAT : t->bsize ? CK_INT : CK_VOID;
        ci->size = t->bsize;
        ci->sign = t->bsigned;
        ci->chr = t->bchar;
        return;
    }
    Dwarf_Die die = t->die, s;
    if (!strip(&die, &s)) {
        ci->kind = CK_VOID;
        return;
    }
    ci->die = s;
    ci->has_die = true;
    ci->name = dwarf_diename(&s);
    ci->size = die_size(&s);
    Dwarf_Attribute a;
    Dwarf_Word enc = 0;
    switch (dwarf_tag(&s)) {
    case DW_TAG_base_type:
        if (dwarf_attr(&s, DW_AT_encoding, &a) != NULL)
            dwarf_formudata(&a, &enc);
        ci->kind = enc == DW_ATE_float ? CK_FLOAT : CK_INT;
        ci->sign = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
        ci->chr = enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char ||
                  (ci->size == 1 && ci->name != NULL &&
                   strstr(ci->name, "char") != NULL);
        ci->boolean = enc == DW_ATE_boolean;
        break;
    case DW_TAG_pointer_type:
    case DW_TAG_reference_type:
        ci->kind = CK_PTR;
        ci->size = 4;
        break;
    case DW_TAG_array_type:
        ci->kind = CK_ARRAY;
        if (t->dims_taken > 0)
            ci->size = rest_size(t, &s, t->dims_taken);
        break;
    case DW_TAG_structure_type: ci->kind = CK_STRUCT; break;
    case DW_TAG_union_type: ci->kind = CK_UNION; break;
    case DW_TAG_enumeration_type: {
        ci->kind = CK_ENUM;
        Dwarf_Die u, us;
        ci->sign = true;
        if (cvar_die_type(&s, &u) && strip(&u, &us) &&
            dwarf_attr(&us, DW_AT_encoding, &a) != NULL &&
            dwarf_formudata(&a, &enc) == 0)
            ci->sign = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
        break;
    }
    case DW_TAG_subroutine_type: ci->kind = CK_FUNC; break;
    default: ci->kind = CK_VOID; break;
    }
}

int ctype_target(const struct ctype *t, struct ctype *out)
{
    *out = *t;
    if (t->ptr > 0) {
        out->ptr--;
        return 0;
    }
    if (!t->has_die)
        return -1;
    Dwarf_Die s, target;
    if (!strip((Dwarf_Die *)&t->die, &s))
        return -1;
    int tag = dwarf_tag(&s);
    if (tag == DW_TAG_array_type) {
        uint32_t count;
        return ctype_array(t, &count, out);
    }
    if (tag != DW_TAG_pointer_type && tag != DW_TAG_reference_type)
        return -1;
    out->dims_taken = 0;
    if (!cvar_die_type(&s, &target)) { /* void * */
        *out = ctype_builtin(0, false, false);
        out->image = t->image;
        return 0;
    }
    out->die = target;
    return 0;
}

int ctype_array(const struct ctype *t, uint32_t *count, struct ctype *elem)
{
    struct cinfo ci;
    ctype_info(t, &ci);
    if (ci.kind != CK_ARRAY)
        return -1;
    uint64_t len, rest;
    unsigned k = t->dims_taken;
    unsigned dims = dims_from(&ci.die, k, &len, &rest);
    *count = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
    *elem = *t;
    if (k + 1 < dims && k + 1 <= UINT8_MAX) { /* a row: one more taken */
        elem->die = ci.die;
        elem->dims_taken = (uint8_t)(k + 1);
        return 0;
    }
    Dwarf_Die target;
    elem->dims_taken = 0;
    if (!cvar_die_type(&ci.die, &target)) /* no element type: void */
        return -1;
    elem->die = target;
    return 0;
}

int ctype_lookup(struct dbg *d, int image, const char *name, struct ctype *out)
{
    Dwarf *dw = cvar_image_dwarf(d, image);
    if (dw == NULL)
        return -1;
    int want = 0;
    if (strncmp(name, "struct ", 7) == 0)
        want = DW_TAG_structure_type, name += 7;
    else if (strncmp(name, "union ", 6) == 0)
        want = DW_TAG_union_type, name += 6;
    else if (strncmp(name, "enum ", 5) == 0)
        want = DW_TAG_enumeration_type, name += 5;
    Dwarf_Off off = 0, next;
    size_t hsize;
    bool declared = false; /* out holds a declaration: an incomplete type */
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu, child;
        if (dwarf_offdie(dw, off + hsize, &cu) != NULL &&
            dwarf_child(&cu, &child) == 0) {
            do {
                int tag = dwarf_tag(&child);
                bool kind_ok =
                    want ? tag == want
                         : tag == DW_TAG_base_type || tag == DW_TAG_typedef;
                const char *n = dwarf_diename(&child);
                if (!kind_ok || n == NULL || strcmp(n, name) != 0)
                    continue;
                bool decl = dwarf_hasattr(&child, DW_AT_declaration);
                if (decl && declared)
                    continue;
                memset(out, 0, sizeof *out);
                out->image = image;
                out->has_die = true;
                out->die = child;
                if (!decl)
                    return 0;
                declared = true;
            } while (dwarf_siblingof(&child, &child) == 0);
        }
        off = next;
    }
    return declared ? 0 : -1;
}

int cval_member(struct dbg *d, const struct cval *v, const char *name,
                struct cval *out, char *err, size_t errlen)
{
    (void)d;
    struct cinfo ci;
    ctype_info(&v->t, &ci);
    if (ci.kind != CK_STRUCT && ci.kind != CK_UNION) {
        snprintf(err, errlen, "not a struct or union: no member '%s'", name);
        return -1;
    }
    Dwarf_Die child;
    if (dwarf_child(&ci.die, &child) != 0) {
        snprintf(err, errlen, "no member named %s", name);
        return -1;
    }
    do {
        if (dwarf_tag(&child) != DW_TAG_member)
            continue;
        Dwarf_Attribute a;
        Dwarf_Word off = 0;
        if (dwarf_attr(&child, DW_AT_data_member_location, &a) != NULL)
            dwarf_formudata(&a, &off);
        struct cval m = *v;
        memset(&m.t, 0, sizeof m.t);
        m.t.image = v->t.image;
        Dwarf_Die mt;
        if (cvar_die_type(&child, &mt)) {
            m.t.has_die = true;
            m.t.die = mt;
        }
        const char *n = dwarf_diename(&child);
        if (v->where == CV_MEM)
            m.mem.addr += (uint32_t)off;
        else if (v->where == CV_VALUE && off < sizeof m.b) {
            memmove(m.b, v->b + off, sizeof m.b - off);
        } else if (v->where == CV_REG) {
            m.where = CV_OPT;
            m.why = "a member of a value in a register";
        }
        if (n == NULL) { /* an anonymous struct or union: look inside */
            if (cval_member(d, &m, name, out, err, errlen) == 0)
                return 0;
            continue;
        }
        if (strcmp(n, name) == 0) {
            *out = m;
            return 0;
        }
    } while (dwarf_siblingof(&child, &child) == 0);
    snprintf(err, errlen, "there is no member named %s", name);
    return -1;
}
