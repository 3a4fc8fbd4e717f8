/* insn_trace.c: `--trace insn` (see insn_trace.h). */
#include "insn_trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "disasm.h"
#include "hostcon.h"
#include "observe.h"
#include "session.h"

struct insn_trace {
    struct observer *o;
    uint32_t x[32]; /* the registers before the next instruction */
    uint64_t cycle; /* the cycle at which it begins */
    uint32_t mode;  /* the mode it runs in */
    bool rti_shown; /* the rti about to retire has its line already */
};

struct insn_trace *insn_trace_new(struct observer *o)
{
    struct insn_trace *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->o = o;
    insn_trace_sync(t);
    return t;
}

void insn_trace_free(struct insn_trace *t)
{
    free(t);
}

void insn_trace_sync(struct insn_trace *t)
{
    const struct cpu *cpu = t->o->s->cpu;
    memcpy(t->x, cpu->x, sizeof t->x);
    t->cycle = cpu->cycle;
    t->mode = cpu->mode;
}

void insn_trace_finish(struct insn_trace *t)
{
    (void)t;
}

/* What one instruction did, from its decoded form and the registers before
 * and after it. */
struct effect {
    int rd;          /* register written, -1 if none (x0 is never shown) */
    int csr;         /* CSR written, -1 if none */
    int mem;         /* 0 none, 'l' load, 's' store */
    uint32_t addr;   /* virtual address of the access */
    uint32_t size;   /* bytes */
    uint32_t stored; /* a store's data */
};

static bool is_load(unsigned op)
{
    return op >= OP_LB && op <= OP_LHU;
}

static bool is_store(unsigned op)
{
    return op >= OP_SB && op <= OP_SW;
}

static uint32_t access_size(unsigned op)
{
    switch (op) {
    case OP_LB:
    case OP_LBU:
    case OP_SB: return 1;
    case OP_LH:
    case OP_LHU:
    case OP_SH: return 2;
    default: return 4;
    }
}

static struct effect effect_of(const struct insn *in, const uint32_t *before)
{
    struct effect e = {-1, -1, 0, 0, 0, 0};
    switch (op_format[in->op]) {
    case FMT_R:
    case FMT_I:
    case FMT_SHIFT:
    case FMT_I_MEM:
    case FMT_U:
    case FMT_J:
    case FMT_CSR:
    case FMT_CSRI:
        if (in->rd != 0)
            e.rd = in->rd;
        break;
    default: break;
    }
    /* A csr instruction writes the CSR unless it only reads it: csrrs and
     * csrrc with x0 (or an immediate of 0) leave it alone. */
    if (in->op == OP_CSRRW || in->op == OP_CSRRWI ||
        ((in->op == OP_CSRRS || in->op == OP_CSRRC || in->op == OP_CSRRSI ||
          in->op == OP_CSRRCI) &&
         in->rs1 != 0))
        e.csr = in->imm;
    if (is_load(in->op) || is_store(in->op)) {
        e.mem = is_load(in->op) ? 'l' : 's';
        e.addr = before[in->rs1] + (uint32_t)in->imm;
        e.size = access_size(in->op);
        uint32_t mask = e.size == 4 ? 0xffffffffu : (1u << (8 * e.size)) - 1;
        e.stored = before[in->rs2] & mask;
    }
    return e;
}

/* Spike's value printing: bytes with no leading zeros, halves and words
 * zero-padded to their width. */
static void spike_value(struct obuf *b, uint32_t size, uint32_t v)
{
    if (size == 1)
        obuf_printf(b, "0x%" PRIx32, v);
    else if (size == 2)
        obuf_printf(b, "0x%04" PRIx32, v);
    else
        obuf_printf(b, "0x%08" PRIx32, v);
}

static void spike_line(struct insn_trace *t, uint32_t pc, uint32_t word,
                       const struct effect *e)
{
    const struct cpu *cpu = t->o->s->cpu;
    struct obuf *b = t->o->out;
    obuf_printf(b, "core   0: %d 0x%08" PRIx32 " (0x%08" PRIx32 ")",
                t->mode == MODE_USER ? 0 : 3, pc, word);
    if (e->rd >= 0)
        obuf_printf(b, " x%-2d 0x%08" PRIx32, e->rd, cpu->x[e->rd]);
    uint32_t v;
    if (e->csr >= 0 && cpu_csr_peek(cpu, (uint32_t)e->csr, &v) == 0) {
        const char *name = disasm_csr_name((uint32_t)e->csr);
        obuf_printf(b, " c%d_%s 0x%08" PRIx32, e->csr, name ? name : "csr", v);
    }
    if (e->mem != 0)
        obuf_printf(b, " mem 0x%08" PRIx32, e->addr);
    if (e->mem == 's') {
        obuf_puts(b, " ");
        spike_value(b, e->size, e->stored);
    }
    obuf_puts(b, "\n");
}

static const char *lookup(void *ctx, uint32_t addr, uint32_t *offset)
{
    const struct sym *sym = sym_by_addr(ctx, addr, offset);
    return sym ? sym->name : NULL;
}

static void lde_line(struct insn_trace *t, uint32_t pid, uint32_t pc,
                     uint32_t word, const struct effect *e)
{
    const struct session *s = t->o->s;
    const struct cpu *cpu = s->cpu;
    const struct sym_table *syms = session_ksyms(s);
    if (t->mode == MODE_USER)
        syms = pid >= 1 ? session_psyms(s, pid - 1) : NULL;
    struct disasm_symbols ds = {(void *)syms, lookup};
    char text[DISASM_BUF], what[128], who[16];
    disasm(pc, word, text, sizeof text, syms ? &ds : NULL);
    size_t at = 0;
    what[0] = '\0';
    if (e->rd >= 0)
        at += (size_t)snprintf(what + at, sizeof what - at, " %s=0x%08" PRIx32,
                               disasm_reg_name((unsigned)e->rd), cpu->x[e->rd]);
    uint32_t v;
    if (e->csr >= 0 && cpu_csr_peek(cpu, (uint32_t)e->csr, &v) == 0) {
        const char *name = disasm_csr_name((uint32_t)e->csr);
        at += (size_t)snprintf(what + at, sizeof what - at, " %s=0x%08" PRIx32,
                               name ? name : "csr", v);
    }
    if (e->mem == 'l')
        snprintf(what + at, sizeof what - at,
                 " load 0x%08" PRIx32 " (%" PRIu32 ")", e->addr, e->size);
    else if (e->mem == 's')
        snprintf(what + at, sizeof what - at,
                 " store 0x%08" PRIx32 " (%" PRIu32 ") = 0x%0*" PRIx32, e->addr,
                 e->size, (int)(2 * e->size), e->stored);
    if (pid != 0)
        snprintf(who, sizeof who, "%" PRIu32, pid);
    else
        snprintf(who, sizeof who, "-");
    /* The disassembly in a column of its own when something follows it. */
    obuf_printf(t->o->out,
                "lde: trace: cycle %" PRIu64 " pid %s %c 0x%08" PRIx32
                " 0x%08" PRIx32 " %-*s%s\n",
                t->cycle, who, t->mode == MODE_USER ? 'U' : 'K', pc, word,
                what[0] ? 28 : 0, text, what);
}

/* One instruction's line, if --window takes it. */
static void line(struct insn_trace *t, uint32_t pc, uint32_t word)
{
    struct observer *o = t->o;
    const struct obs_window *w = &o->opt.window;
    if ((w->first != 0 && o->trace_lines >= w->first) || t->cycle >= w->to) {
        /* The window is over for good: let the machine run at full speed
         * again from its next cpu_run (the retire hook makes it step). */
        o->s->cpu->hooks.retire = NULL;
        return;
    }
    uint32_t pid = session_current_pid(o->s);
    if (!window_has_cycle(w, t->cycle) || !window_has_pid(w, pid))
        return;
    struct insn in = decode(word);
    struct effect e = effect_of(&in, t->x);
    hostcon_flush(o->hc);
    if (o->opt.trace_format == OBS_FORMAT_SPIKE)
        spike_line(t, pc, word, &e);
    else
        lde_line(t, pid, pc, word, &e);
    o->trace_lines++;
}

void insn_trace_rti(struct insn_trace *t, uint32_t rti_pc)
{
    /* The rti hook runs before the retire hook: print the instruction
     * now, from the state kept from before it, so that it comes before
     * the lines of the return it makes. */
    line(t, rti_pc, INSN_RTI);
    t->rti_shown = true;
}

void insn_trace_retire(struct insn_trace *t, uint32_t pc, uint32_t word)
{
    if (t->rti_shown)
        t->rti_shown = false; /* its line came before the rti's events */
    else
        line(t, pc, word);
    insn_trace_sync(t);
}
