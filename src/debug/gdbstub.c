/*
 * gdbstub.c: the packets gdb sends, as one table (name, exact or prefix,
 * handler, what it is for), like the debugger's command table; and
 * listening, serving one connection, and `lde run --gdb`.
 *
 * Every handler parses what follows the packet's name strictly (numbers
 * in hex, with bounds) and builds its reply in g->out: an empty reply for
 * what lde does not do (gdb's convention for "unsupported"), E01 for a
 * packet it cannot parse, E0E (EFAULT) for memory it cannot reach.
 * Memory goes through the debugger's address spaces (dbg_to_phys), never
 * anywhere else: a packet cannot read or write the host's memory. No
 * packet runs a host command (no vRun, no vFile, no qRcmd).
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdbint.h"
#include "lde/abi.h"
#include "loop.h"
#include "stats.h"
#include "timeline.h"

/* ---- Replies ----------------------------------------------------------- */

void gdb_put(struct gdbstub *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = sizeof g->out - g->olen;
    int n = vsnprintf(g->out + g->olen, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        g->overflow = true;
    else
        g->olen += (size_t)n;
}

void gdb_put_hex(struct gdbstub *g, const void *bytes, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *b = bytes;
    if (g->olen + 2 * n >= sizeof g->out) {
        g->overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        g->out[g->olen++] = hex[b[i] >> 4];
        g->out[g->olen++] = hex[b[i] & 15];
    }
}

static void put_error(struct gdbstub *g, int code)
{
    g->olen = 0;
    gdb_put(g, "E%02x", code & 0xff);
}

#define E_PARSE 0x01
#define E_FAULT 0x0e /* EFAULT */
#define E_INVAL 0x16 /* EINVAL */

/* ---- Parsing ----------------------------------------------------------- */

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A hex number of 1 to 16 digits at *p; 0, or -1. */
static int parse_hex(const char **p, uint64_t *v)
{
    uint64_t x = 0;
    int n = 0;
    for (int h; (h = hexdigit(**p)) >= 0; (*p)++) {
        if (++n > 16)
            return -1;
        x = x << 4 | (uint64_t)h;
    }
    *v = x;
    return n > 0 ? 0 : -1;
}

static int parse_u32(const char **p, uint32_t *v)
{
    uint64_t x;
    if (parse_hex(p, &x) != 0 || x > UINT32_MAX)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* "addr,len" then c (or the end if c is 0). */
static int parse_addr_len(const char **p, uint32_t *addr, uint32_t *len, char c)
{
    if (parse_u32(p, addr) != 0 || **p != ',')
        return -1;
    (*p)++;
    if (parse_u32(p, len) != 0 || **p != c)
        return -1;
    if (c != '\0')
        (*p)++;
    return 0;
}

/* A thread-id: "p<pid>.<tid>", "p<pid>", "<tid>", -1 for all, 0 any.
 * *pid gets the process (0: any, -1: all). */
static int parse_tid(const char **p, int *pid)
{
    uint64_t v;
    *pid = 0;
    if (**p == 'p') {
        (*p)++;
        if (**p == '-' && (*p)[1] == '1') {
            *p += 2;
            *pid = -1;
        } else if (parse_hex(p, &v) != 0 || v > INT_MAX) {
            return -1;
        } else {
            *pid = (int)v;
        }
        if (**p != '.')
            return 0;
        (*p)++;
    }
    if (**p == '-' && (*p)[1] == '1') {
        *p += 2;
        return 0;
    }
    return parse_hex(p, &v) == 0 && v <= INT_MAX ? 0 : -1;
}

/* ---- Processes: the kernel and the programs ---------------------------- */

static int nprocs(const struct gdbstub *g)
{
    return 1 + (int)g->d->s.nprogs;
}

int gdb_pid_space(const struct gdbstub *g, int pid)
{
    if (pid <= GDB_KERNEL_PID || pid > nprocs(g))
        return DBG_KERNEL;
    return pid - 2;
}

int gdb_current_pid(const struct gdbstub *g)
{
    if (!g->multiprocess)
        return GDB_KERNEL_PID;
    if (g->sticky_pid > 0)
        return g->sticky_pid;
    if (g->d->s.cpu->mode == MODE_KERNEL)
        return GDB_KERNEL_PID;
    int prog = dbg_current_prog(g->d);
    return prog >= 0 ? prog + 2 : GDB_KERNEL_PID + 1;
}

static bool pid_exists(const struct gdbstub *g, int pid)
{
    return pid >= 1 && pid <= nprocs(g);
}

/* The space m and M use: the process of the last Hg, else the mode's. */
static struct dbg_loc mem_loc(const struct gdbstub *g, uint32_t addr)
{
    int space = dbg_current_space(g->d);
    if (g->multiprocess && g->gpid > 0)
        space = gdb_pid_space(g, g->gpid);
    /* A program's space while that program runs: the current process. */
    if (space >= 0 && space == dbg_current_prog(g->d) &&
        g->d->s.cpu->mode == MODE_USER)
        space = DBG_USER;
    return (struct dbg_loc){addr, space};
}

/* ---- The handlers ------------------------------------------------------ */

struct packet {
    const char *name;
    bool exact; /* the whole packet, or a prefix followed by arguments */
    void (*fn)(struct gdbstub *g, const char *args, size_t len);
    const char *what;
};

static void p_supported(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    g->multiprocess = strstr(args, "multiprocess+") != NULL;
    g->swbreak = strstr(args, "swbreak+") != NULL;
    gdb_put(g,
            "PacketSize=%x;qXfer:features:read+;qXfer:exec-file:read+;"
            "QStartNoAckMode+",
            GDB_PACKET_MAX);
    if (g->multiprocess)
        gdb_put(g, ";multiprocess+");
    if (g->swbreak)
        gdb_put(g, ";swbreak+");
    if (g->d->s.timeline != NULL)
        gdb_put(g, ";ReverseStep+;ReverseContinue+");
}

static void p_noack(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "OK");
    g->w.noack = true; /* from the next packet on; gdb acks this OK */
}

static void p_xfer_features(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    const char *annex = "target.xml:";
    if (strncmp(args, annex, strlen(annex)) != 0) {
        put_error(g, E_INVAL);
        return;
    }
    const char *p = args + strlen(annex);
    uint32_t off, n;
    if (parse_addr_len(&p, &off, &n, '\0') != 0) {
        put_error(g, E_PARSE);
        return;
    }
    size_t total;
    const char *xml = gdb_target_xml(&total);
    if (off >= total) {
        gdb_put(g, "l");
        return;
    }
    size_t take = total - off;
    if (take > n)
        take = n;
    if (take > GDB_PACKET_MAX - 16)
        take = GDB_PACKET_MAX - 16;
    gdb_put(g, "%c%.*s", off + take < total ? 'm' : 'l', (int)take, xml + off);
}

/* The file gdb should read a process's symbols from. */
static void p_xfer_exec_file(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint64_t pid = 0;
    const char *p = args;
    if (*p != ':' && parse_hex(&p, &pid) != 0) {
        put_error(g, E_PARSE);
        return;
    }
    if (*p++ != ':') {
        put_error(g, E_PARSE);
        return;
    }
    uint32_t off, n;
    if (parse_addr_len(&p, &off, &n, '\0') != 0) {
        put_error(g, E_PARSE);
        return;
    }
    if (pid == 0)
        pid = (uint64_t)gdb_current_pid(g);
    const char *file =
        pid >= 1 && pid <= (uint64_t)nprocs(g) ? g->files[pid - 1] : NULL;
    if (file == NULL) {
        put_error(g, E_INVAL);
        return;
    }
    size_t total = strlen(file);
    if (off >= total) {
        gdb_put(g, "l");
        return;
    }
    size_t take = total - off < n ? total - off : n;
    gdb_put(g, "%c%.*s", off + take < total ? 'm' : 'l', (int)take, file + off);
}

static void p_attached(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "1"); /* the machine was there before gdb: detach leaves it */
}

static void put_tid(struct gdbstub *g, int pid)
{
    if (g->multiprocess)
        gdb_put(g, "p%x.1", pid);
    else
        gdb_put(g, "1");
}

static void p_current(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "QC");
    put_tid(g, gdb_current_pid(g));
}

static void p_threads_first(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    /* After W the machine is gone for gdb: no threads. */
    if (g->last.kind == GSTOP_EXIT && g->d->s.cpu->halted) {
        gdb_put(g, "l");
        return;
    }
    gdb_put(g, "m");
    int n = g->multiprocess ? nprocs(g) : 1;
    for (int pid = 1; pid <= n; pid++) {
        if (pid > 1)
            gdb_put(g, ",");
        put_tid(g, pid);
    }
}

static void p_threads_next(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "l");
}

static void p_thread_info(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    int pid;
    if (parse_tid(&args, &pid) != 0 || *args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (pid <= 0)
        pid = GDB_KERNEL_PID;
    char text[96];
    int sp = gdb_pid_space(g, pid);
    snprintf(text, sizeof text, "%s%s",
             sp == DBG_KERNEL ? "kernel" : dbg_space_name(g->d, sp),
             pid == gdb_current_pid(g) ? " (running)" : "");
    gdb_put_hex(g, text, strlen(text));
}

static void p_thread_alive(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    int pid;
    if (parse_tid(&args, &pid) != 0 || *args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !pid_exists(g, pid))
        put_error(g, E_INVAL);
    else
        gdb_put(g, "OK");
}

static void p_set_thread(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    char op = args[0];
    int pid;
    const char *p = args + (op != '\0');
    if ((op != 'g' && op != 'c') || parse_tid(&p, &pid) != 0 || *p != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !pid_exists(g, pid)) {
        put_error(g, E_INVAL);
        return;
    }
    if (op == 'g')
        g->gpid = pid > 0 ? pid : 0;
    gdb_put(g, "OK");
}

static void p_symbol(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "OK"); /* lde needs no symbol from gdb */
}

static void p_why(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_stop_reply(g, &g->last);
}

/*
 * The registers x0-x31 and pc of a process's thread. The one the hart
 * runs has the hart's. A program's process that does not run has the user
 * registers saved in the trap frame at the top of its kernel stack (where
 * it will resume); one not started yet is at its entry point. The kernel,
 * while a program runs, waits at its trap handler. What is not known is
 * unavailable (gdb shows <unavailable>).
 */
static void thread_regs(struct gdbstub *g, int pid, uint32_t r[33],
                        bool known[33])
{
    const struct cpu *cpu = g->d->s.cpu;
    memset(known, 0, 33 * sizeof *known);
    if (pid <= 0 || pid == gdb_current_pid(g)) {
        memcpy(r, cpu->x, 32 * sizeof *r);
        r[32] = cpu->pc;
        memset(known, 1, 33 * sizeof *known);
        return;
    }
    r[0] = 0;
    known[0] = true;
    if (pid == GDB_KERNEL_PID) {
        uint32_t h;
        if (cpu->ttr != 0 &&
            cpu_read_phys(cpu, cpu->ttr + 4 * VEC_SYSCALL, &h, 4) == 0) {
            r[32] = h;
            known[32] = true;
        }
        return;
    }
    struct lde_procinfo a;
    uint32_t f[FRAME_WORDS];
    int prog = gdb_pid_space(g, pid);
    if (dbg_prog_procinfo(g->d, prog, &a) != 0 || a.kstack < FRAME_SIZE ||
        cpu_read_phys(cpu, a.kstack - FRAME_SIZE, f, FRAME_SIZE) != 0) {
        r[32] = g->d->s.prog[prog]->entry;
        known[32] = true;
        return;
    }
    for (int n = 1; n < 32; n++)
        r[n] = f[FRAME_X(n) / 4];
    r[32] = f[FRAME_PC / 4];
    memset(known, 1, 33 * sizeof *known);
}

static int selected_pid(const struct gdbstub *g)
{
    return g->multiprocess && g->gpid > 0 ? g->gpid : gdb_current_pid(g);
}

/* Register n; r and known: the thread's x0-x31 and pc (thread_regs). */
static void put_reg(struct gdbstub *g, unsigned n, const uint32_t r[33],
                    const bool known[33])
{
    uint8_t b[8];
    unsigned size = gdb_reg_size(n);
    if (n < 33 && !known[n]) {
        gdb_put(g, "xxxxxxxx"); /* unavailable */
        return;
    }
    uint64_t v = n < 33 ? r[n] : gdb_reg_get(g->d, n);
    for (unsigned i = 0; i < size; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    gdb_put_hex(g, b, size);
}

/* g: x0-x31 and pc only; gdb asks for lde's own registers with p (only
 * the kernel's process has them: the programs' have plain RV32). */
static void p_regs(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    uint32_t r[33];
    bool known[33];
    thread_regs(g, selected_pid(g), r, known);
    for (unsigned n = 0; n < 33; n++)
        put_reg(g, n, r, known);
}

/* size bytes of little-endian hex at *p. */
static int parse_le(const char **p, unsigned size, uint64_t *v)
{
    *v = 0;
    for (unsigned i = 0; i < size; i++) {
        int hi = hexdigit((*p)[0]), lo = hi < 0 ? -1 : hexdigit((*p)[1]);
        if (lo < 0)
            return -1;
        *v |= (uint64_t)(hi << 4 | lo) << (8 * i);
        *p += 2;
    }
    return 0;
}

static void changed_machine(struct gdbstub *g)
{
    /* A change here and now: the recorded future no longer follows. */
    if (g->d->s.timeline != NULL)
        timeline_fork(g->d->s.timeline);
}

/* Registers are written in the thread the hart runs only. */
static bool writable_thread(struct gdbstub *g)
{
    if (selected_pid(g) == gdb_current_pid(g))
        return true;
    put_error(g, E_INVAL);
    return false;
}

static void p_write_regs(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    if (!writable_thread(g))
        return;
    const char *p = args;
    uint64_t v[64];
    unsigned n = 0;
    for (; n < gdb_nregs() && *p != '\0'; n++)
        if (parse_le(&p, gdb_reg_size(n), &v[n]) != 0) {
            put_error(g, E_PARSE);
            return;
        }
    if (*p != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        if (gdb_reg_set(g->d, i, v[i]) != 0) {
            put_error(g, E_INVAL);
            return;
        }
    changed_machine(g);
    gdb_put(g, "OK");
}

static void p_reg(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t n;
    if (parse_u32(&args, &n) != 0 || *args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (gdb_reg_size(n) == 0) {
        put_error(g, E_INVAL);
        return;
    }
    uint32_t r[33];
    bool known[33];
    thread_regs(g, selected_pid(g), r, known);
    put_reg(g, n, r, known);
}

static void p_write_reg(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t n;
    uint64_t v;
    if (parse_u32(&args, &n) != 0 || *args++ != '=' || gdb_reg_size(n) == 0 ||
        parse_le(&args, gdb_reg_size(n), &v) != 0 || *args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (n < 33 && !writable_thread(g))
        return;
    if (gdb_reg_set(g->d, n, v) != 0) {
        put_error(g, E_INVAL);
        return;
    }
    changed_machine(g);
    gdb_put(g, "OK");
}

static void p_read_mem(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t addr, n;
    if (parse_addr_len(&args, &addr, &n, '\0') != 0) {
        put_error(g, E_PARSE);
        return;
    }
    if (n > (GDB_PACKET_MAX - 16) / 2)
        n = (GDB_PACKET_MAX - 16) / 2;
    /* As much as can be read from the start; nothing at all: an error. */
    uint8_t buf[GDB_PACKET_MAX / 2];
    char err[200];
    uint32_t got = 0;
    while (got < n) {
        uint32_t chunk = n - got, page = 4096 - ((addr + got) & 4095);
        if (chunk > page)
            chunk = page;
        if ((uint64_t)addr + got > UINT32_MAX ||
            dbg_read(g->d, mem_loc(g, addr + got), buf + got, chunk, err,
                     sizeof err) != 0)
            break;
        got += chunk;
    }
    if (got == 0 && n > 0) {
        put_error(g, E_FAULT);
        return;
    }
    gdb_put_hex(g, buf, got);
}

/* Write through the debugger's spaces only: RAM, never the devices. */
static void write_mem(struct gdbstub *g, uint32_t addr, const uint8_t *b,
                      uint32_t n)
{
    uint32_t pa;
    char err[200];
    if (n == 0) {
        gdb_put(g, "OK");
        return;
    }
    if (dbg_to_phys(g->d, mem_loc(g, addr), n, &pa, err, sizeof err) != 0 ||
        cpu_load(g->d->s.cpu, pa, b, n) != 0) {
        put_error(g, E_FAULT);
        return;
    }
    changed_machine(g);
    gdb_put(g, "OK");
}

static void p_write_mem(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t addr, n;
    static uint8_t buf[GDB_PACKET_MAX];
    if (parse_addr_len(&args, &addr, &n, ':') != 0 || n > sizeof buf) {
        put_error(g, E_PARSE);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        int hi = hexdigit(args[0]), lo = hi < 0 ? -1 : hexdigit(args[1]);
        if (lo < 0) {
            put_error(g, E_PARSE);
            return;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
        args += 2;
    }
    if (*args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    write_mem(g, addr, buf, n);
}

/* X: binary data, '}' escapes the next byte (xor 0x20). */
static void p_write_bin(struct gdbstub *g, const char *args, size_t len)
{
    const char *p = args, *end = args + len;
    uint32_t addr, n;
    static uint8_t buf[GDB_PACKET_MAX];
    if (parse_addr_len(&p, &addr, &n, ':') != 0 || n > sizeof buf) {
        put_error(g, E_PARSE);
        return;
    }
    uint32_t k = 0;
    while (p < end && k < n) {
        uint8_t c = (uint8_t)*p++;
        if (c == '}') {
            if (p == end)
                break;
            c = (uint8_t)(*p++ ^ 0x20);
        }
        buf[k++] = c;
    }
    if (k != n || p != end) {
        put_error(g, E_PARSE);
        return;
    }
    write_mem(g, addr, buf, n);
}

static void p_point(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    /* args is after 'Z' or 'z': the packet's own letter is remembered. */
    bool insert = args[-1] == 'Z';
    char type = args[0];
    const char *p = args + (type != '\0');
    uint32_t addr, kind;
    if (type < '0' || type > '4' || *p++ != ',' ||
        parse_addr_len(&p, &addr, &kind, '\0') != 0) {
        if (type >= '0' && type <= '4')
            put_error(g, E_PARSE);
        return; /* another kind of point: unsupported, empty reply */
    }
    int rc = insert ? gdb_insert(g, type, addr, kind)
                    : gdb_remove(g, type, addr, kind);
    if (rc != 0)
        put_error(g, E_INVAL);
    else
        gdb_put(g, "OK");
}

/* c [addr], s [addr]: resume (at addr). */
static bool resume_at(struct gdbstub *g, const char *args)
{
    uint32_t addr;
    if (*args == '\0')
        return true;
    if (parse_u32(&args, &addr) != 0 || *args != '\0' ||
        cpu_set_pc(g->d->s.cpu, addr) != 0) {
        put_error(g, E_PARSE);
        return false;
    }
    changed_machine(g);
    return true;
}

static void p_continue(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    if (!resume_at(g, args))
        return;
    struct gdb_stop s = gdb_continue(g);
    gdb_stop_reply(g, &s);
}

static void p_step(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    if (!resume_at(g, args))
        return;
    struct gdb_stop s = gdb_step(g, false);
    gdb_stop_reply(g, &s);
}

/* C sig[;addr], S sig[;addr]: the signal means nothing to this machine. */
static void p_signal(struct gdbstub *g, const char *args, size_t len)
{
    bool step = args[-1] == 'S';
    uint64_t sig;
    const char *p = args;
    if (parse_hex(&p, &sig) != 0 || (*p != '\0' && *p != ';')) {
        put_error(g, E_PARSE);
        return;
    }
    if (*p == ';')
        p++;
    (void)len;
    if (!resume_at(g, p))
        return;
    struct gdb_stop s = step ? gdb_step(g, false) : gdb_continue(g);
    gdb_stop_reply(g, &s);
}

static void p_vcont_query(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "vCont;c;C;s;S");
}

/* vCont;action[:tid]...: one hart, so a step anywhere is the step. */
static void p_vcont(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    bool step = false, any = false, others = false;
    const char *p = args;
    while (*p != '\0') {
        char a = *p++;
        uint64_t sig;
        if ((a == 'C' || a == 'S') && parse_hex(&p, &sig) != 0) {
            put_error(g, E_PARSE);
            return;
        }
        if (a != 'c' && a != 's' && a != 'C' && a != 'S') {
            put_error(g, E_PARSE);
            return;
        }
        if (*p == ':') {
            int pid;
            p++;
            if (parse_tid(&p, &pid) != 0) {
                put_error(g, E_PARSE);
                return;
            }
        }
        step |= a == 's' || a == 'S';
        others |= a == 'c' || a == 'C';
        any = true;
        if (*p == ';')
            p++;
        else if (*p != '\0') {
            put_error(g, E_PARSE);
            return;
        }
    }
    if (!any) {
        put_error(g, E_PARSE);
        return;
    }
    struct gdb_stop s = step ? gdb_step(g, !others) : gdb_continue(g);
    gdb_stop_reply(g, &s);
}

static void p_reverse_step(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    if (g->d->s.timeline == NULL)
        return; /* not advertised: unsupported */
    struct gdb_stop s = gdb_reverse_step(g);
    gdb_stop_reply(g, &s);
}

static void p_reverse_continue(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    if (g->d->s.timeline == NULL)
        return;
    struct gdb_stop s = gdb_reverse_continue(g);
    gdb_stop_reply(g, &s);
}

static void p_detach(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    int pid = 0;
    if (*args == ';') {
        uint64_t v;
        args++;
        if (parse_hex(&args, &v) != 0 || v > INT_MAX) {
            put_error(g, E_PARSE);
            return;
        }
        pid = (int)v;
    }
    if (*args != '\0') {
        put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !pid_exists(g, pid)) {
        put_error(g, E_INVAL);
        return;
    }
    gdb_put(g, "OK");
    /* gdb detaches from each process in turn: the machine goes on
     * without gdb once it let go of all of them. */
    if (g->multiprocess && pid > 0)
        g->detached |= 1u << pid;
    unsigned all = ((1u << (nprocs(g) + 1)) - 1) & ~1u;
    if (!g->multiprocess || pid == 0 || (g->detached & all) == all) {
        g->done = true;
        g->end = GDB_END_DETACH;
    }
}

static void p_kill(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    g->done = true;
    g->end = GDB_END_KILL;
    g->olen = 0; /* k has no reply */
}

static void p_vkill(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    g->done = true;
    g->end = GDB_END_KILL;
    gdb_put(g, "OK");
}

static const struct packet packets[] = {
    {"qSupported", false, p_supported, "features, both ways"},
    {"QStartNoAckMode", true, p_noack, "stop acknowledging packets"},
    {"qXfer:features:read:", false, p_xfer_features,
     "the target description (target.xml)"},
    {"qXfer:exec-file:read:", false, p_xfer_exec_file,
     "the symbol file of a process: the kernel's, a program's"},
    {"qAttached", false, p_attached, "detach, do not kill, at the end"},
    {"qC", true, p_current, "the current thread"},
    {"qfThreadInfo", true, p_threads_first, "the threads: one per process"},
    {"qsThreadInfo", true, p_threads_next, "no more threads"},
    {"qThreadExtraInfo,", false, p_thread_info, "a thread's name"},
    {"qSymbol:", false, p_symbol, "symbols lde could look up: none"},
    {"vCont?", true, p_vcont_query, "the vCont actions lde knows"},
    {"vCont;", false, p_vcont, "resume: continue or step"},
    {"vKill;", false, p_vkill, "kill: lde stops"},
    {"bs", true, p_reverse_step, "one step back"},
    {"bc", true, p_reverse_continue, "back to the last stop"},
    {"?", true, p_why, "why the machine stopped"},
    {"g", true, p_regs, "all registers"},
    {"G", false, p_write_regs, "write all registers"},
    {"p", false, p_reg, "one register"},
    {"P", false, p_write_reg, "write one register"},
    {"m", false, p_read_mem, "read memory"},
    {"M", false, p_write_mem, "write memory (hex)"},
    {"X", false, p_write_bin, "write memory (binary)"},
    {"Z", false, p_point, "set a breakpoint or watchpoint"},
    {"z", false, p_point, "remove one"},
    {"c", false, p_continue, "continue"},
    {"s", false, p_step, "step one instruction"},
    {"C", false, p_signal, "continue with a signal (ignored)"},
    {"S", false, p_signal, "step with a signal (ignored)"},
    {"H", false, p_set_thread, "the thread later packets mean"},
    {"T", false, p_thread_alive, "is this thread alive"},
    {"D", false, p_detach, "detach: the machine runs on"},
    {"k", true, p_kill, "kill: lde stops"},
};

#define NPACKETS (sizeof packets / sizeof packets[0])

static const struct packet *lookup(const char *pkt)
{
    for (size_t i = 0; i < NPACKETS; i++) {
        const struct packet *p = &packets[i];
        size_t n = strlen(p->name);
        if (p->exact ? strcmp(pkt, p->name) == 0
                     : strncmp(pkt, p->name, n) == 0)
            return p;
    }
    return NULL;
}

/* One packet: its handler, or an empty reply if lde has none. */
static void handle(struct gdbstub *g)
{
    g->olen = 0;
    g->overflow = false;
    if (g->w.too_long) {
        put_error(g, E_PARSE);
    } else {
        const struct packet *p = lookup(g->w.pkt);
        if (p != NULL) {
            size_t n = strlen(p->name);
            p->fn(g, g->w.pkt + n, g->w.len - n);
        }
    }
    if (g->overflow)
        put_error(g, E_INVAL);
    if (g->done && g->end == GDB_END_KILL && g->olen == 0)
        return;
    if (gdbw_send(&g->w, g->out, g->olen) != 0 && !g->done) {
        g->done = true;
        g->end = GDB_END_LOST;
    }
}

/* ---- Symbol files and the command line to attach ---------------------- */

/* A built-in image has no file of its own: write it out for gdb. */
static char *image_file(struct gdbstub *g, const char *name,
                        const struct elf_file *ef, const char *spec)
{
    char path[PATH_MAX];
    if (spec != NULL && realpath(spec, path) != NULL)
        return strdup(path);
    if (g->tmpdir[0] == '\0') {
        snprintf(g->tmpdir, sizeof g->tmpdir, "/tmp/lde-gdb-XXXXXX");
        if (mkdtemp(g->tmpdir) == NULL) {
            g->tmpdir[0] = '\0';
            return NULL;
        }
    }
    snprintf(path, sizeof path, "%s/%s.elf", g->tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    bool ok = fwrite(ef->data, 1, ef->size, f) == ef->size;
    ok &= fclose(f) == 0;
    return ok ? strdup(path) : NULL;
}

static void remove_files(struct gdbstub *g)
{
    for (unsigned i = 0; i < GDB_MAX_IMAGES; i++) {
        if (g->files[i] != NULL && g->tmpdir[0] != '\0' &&
            strncmp(g->files[i], g->tmpdir, strlen(g->tmpdir)) == 0)
            unlink(g->files[i]);
        free(g->files[i]);
        g->files[i] = NULL;
    }
    if (g->tmpdir[0] != '\0')
        rmdir(g->tmpdir);
    g->tmpdir[0] = '\0';
}

static void print_attach(struct gdbstub *g, const char *host, bool loopback)
{
    struct dbg *d = g->d;
    const char *kspec = d->s.opt.kernel_file;
    g->files[0] = image_file(g, "kernel", d->s.kernel, kspec);
    for (unsigned i = 0; i < d->s.nprogs; i++) {
        const char *spec = d->s.opt.progs[i].spec;
        bool is_file = strchr(spec, '/') != NULL || access(spec, F_OK) == 0;
        g->files[1 + i] = image_file(g, session_prog_name(&d->s, i),
                                     d->s.prog[i], is_file ? spec : NULL);
    }
    printf("lde: gdb stub on %s:%u%s\n", host, g->port,
           loopback ? ""
                    : " (NOT loopback: anyone who can reach this "
                      "address can control the machine)");
    /* gdb reads each process's symbol file itself (qXfer:exec-file). */
    /* osabi none: gdb's GNU/Linux ABI would step over an ecall with a
     * breakpoint after it, never stopping in the handler. schedule-
     * multiple: the processes share the one hart, so resuming one moves
     * them all, and gdb must not keep the others' registers. */
    printf("lde: attach with:\n  gdb-multiarch -q -ex 'set osabi none' -ex "
           "'set schedule-multiple on' -ex 'target extended-remote %s:%u'\n",
           loopback ? "localhost" : host, g->port);
    printf("lde: symbol files: kernel %s",
           g->files[0] ? g->files[0] : "(none)");
    for (unsigned i = 0; i < d->s.nprogs; i++)
        printf(", %s %s", session_prog_name(&d->s, i),
               g->files[1 + i] ? g->files[1 + i] : "(none)");
    printf("\n");
    fflush(stdout);
}

/* ---- Listening and serving --------------------------------------------- */

int gdbstub_open(struct dbg *d, char *err, size_t errlen)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (g == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->d = d;
    g->w.fd = -1;
    bool loopback;
    g->lfd = gdbw_listen(d->s.opt.gdb, &g->port, &loopback, err, errlen);
    if (g->lfd < 0) {
        free(g);
        return -1;
    }
    char host[256] = "127.0.0.1";
    const char *colon = strrchr(d->s.opt.gdb, ':');
    if (colon != NULL && colon != d->s.opt.gdb)
        snprintf(host, sizeof host, "%.*s", (int)(colon - d->s.opt.gdb),
                 d->s.opt.gdb);
    d->gdb = g;
    g->last = (struct gdb_stop){GSTOP_TRAP, 0, 0, 0};
    print_attach(g, host, loopback);
    return 0;
}

void gdbstub_close(struct dbg *d)
{
    struct gdbstub *g = d->gdb;
    if (g == NULL)
        return;
    gdbw_close(&g->w);
    if (g->lfd >= 0)
        close(g->lfd);
    remove_files(g);
    free(g);
    d->gdb = NULL;
}

int gdbstub_listen_fd(const struct dbg *d)
{
    return d->gdb != NULL ? d->gdb->lfd : -1;
}

int gdbstub_serve(struct dbg *d, int timeout_ms)
{
    struct gdbstub *g = d->gdb;
    char peer[128];
    int rc = gdbw_accept(g->lfd, &g->w, timeout_ms, peer, sizeof peer);
    if (rc != 0)
        return 1;
    dbg_sync_output(d);
    printf("lde: gdb connected from %s\n", peer);
    fflush(stdout);
    g->done = false;
    g->multiprocess = g->swbreak = false;
    g->gpid = 0;
    g->detached = 0;
    g->sticky_pid = g->stepped_pid = 0;
    memset(g->bp, 0, sizeof g->bp);
    memset(g->wp, 0, sizeof g->wp);
    while (!g->done) {
        int r = gdbw_read(&g->w, -1);
        if (r < 0) {
            g->done = true;
            g->end = GDB_END_LOST;
        } else if (r == 1) {
            handle(g);
        }
        /* r == 2: an interrupt while stopped: nothing to stop. */
    }
    /* After W, gdb has nothing left to debug: its going is no loss. */
    if (g->end == GDB_END_LOST && g->last.kind == GSTOP_EXIT)
        g->end = GDB_END_EXIT;
    gdbw_close(&g->w);
    /* gdb's breakpoints go with it; the debugger's come back. */
    while (d->s.cpu->nbreakpoints > 0)
        cpu_break_remove(d->s.cpu, d->s.cpu->breakpoints[0]);
    dbg_attach_hooks(d);
    dbg_sync_output(d);
    static const char *const how[] = {
        [GDB_END_DETACH] = "gdb detached",
        [GDB_END_KILL] = "gdb killed the machine",
        [GDB_END_LOST] = "the connection to gdb was lost; the machine "
                         "stays where it stopped",
        [GDB_END_EXIT] = "the machine halted; gdb was told",
    };
    printf("lde: %s\n", how[g->end]);
    fflush(stdout);
    return (int)g->end;
}

/* ---- lde run --gdb ------------------------------------------------------ */

#define RUN_SLICE (UINT64_C(1) << 24)

int gdbstub_run_main(const struct session_options *o)
{
    char err[512];
    int rc;
    struct dbg *d = dbg_create(o, stdin, stdout, stderr, &rc, err, sizeof err);
    if (d == NULL) {
        fprintf(stderr, "lde: %s\n", err);
        return rc;
    }
    d->stdin_console = true;
    printf("lde: the machine waits before the kernel's first instruction "
           "until gdb connects.\n");
    fflush(stdout);
    /* Ctrl-C stops the machine for gdb; after gdb, it ends the run. */
    session_catch_sigint(SESSION_SIGINT_EVERY);
    int end;
    for (;;) {
        end = gdbstub_serve(d, -1);
        if (end != GDB_END_LOST)
            break;
        printf("lde: waiting for gdb again on port %u (Ctrl-C to quit)\n",
               d->gdb->port);
        fflush(stdout);
        if (session_interrupted()) {
            end = GDB_END_KILL;
            break;
        }
    }
    if (end == GDB_END_KILL) {
        hostcon_flush(&d->hc);
        fprintf(stderr, "lde: killed by gdb at cycle %" PRIu64 "\n",
                d->s.cpu->cycle);
        dbg_destroy(d);
        return SESSION_EXIT_INTERRUPTED;
    }
    /* On without gdb, as `lde run`. At the frontier the past is no longer
     * needed; left in the past, the machine replays it (the console's
     * input from the log, its output printed once) up to the frontier. */
    if (d->s.timeline != NULL && !timeline_replaying(d->s.timeline)) {
        timeline_destroy(d->s.timeline);
        d->s.timeline = NULL;
    }
    session_clear_interrupt();
    session_catch_sigint(SESSION_SIGINT_ONCE);
    dbg_attach_hooks(d);
    enum session_end send;
    double host_s = 0;
    enum cpu_stop why = session_run(&d->s, RUN_SLICE, &send, &host_s);
    hostcon_flush(&d->hc);
    rc = session_report_halt(stderr, &d->s, why, send);
    if (o->stats)
        stats_print(stderr, &d->s, host_s);
    dbg_destroy(d);
    return rc;
}
