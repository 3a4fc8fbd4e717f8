/*
 * gdbpkt.c: the packets gdb sends, as one table (name, exact or prefix,
 * handler, what it is for), like the debugger's command table, and the
 * handlers of all but those that make the machine go (gdbresume.c).
 *
 * Every handler parses what follows the packet's name strictly (numbers
 * in hex, with bounds) and builds its reply in g->out: an empty reply for
 * what lde does not do (gdb's convention for "unsupported"), E01 for a
 * packet it cannot parse, E0E (EFAULT) for memory it cannot reach.
 * Memory goes through the debugger's address spaces (dbg_to_phys), never
 * anywhere else: a packet cannot read or write the host's memory. No
 * packet runs a host command (no vRun, no vFile, no qRcmd).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gdbint.h"
#include "lde/abi.h"
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

void gdb_put_error(struct gdbstub *g, int code)
{
    g->olen = 0;
    gdb_put(g, "E%02x", code & 0xff);
}

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
int gdb_parse_hex(const char **p, uint64_t *v)
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

int gdb_parse_u32(const char **p, uint32_t *v)
{
    uint64_t x;
    if (gdb_parse_hex(p, &x) != 0 || x > UINT32_MAX)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* "addr,len" then c (or the end if c is 0). */
static int parse_addr_len(const char **p, uint32_t *addr, uint32_t *len, char c)
{
    if (gdb_parse_u32(p, addr) != 0 || **p != ',')
        return -1;
    (*p)++;
    if (gdb_parse_u32(p, len) != 0 || **p != c)
        return -1;
    if (c != '\0')
        (*p)++;
    return 0;
}

/* A thread-id: "p<pid>.<tid>", "p<pid>", "<tid>", -1 for all, 0 any.
 * *pid gets the process (0: any, -1: all). */
int gdb_parse_tid(const char **p, int *pid)
{
    uint64_t v;
    *pid = 0;
    if (**p == 'p') {
        (*p)++;
        if (**p == '-' && (*p)[1] == '1') {
            *p += 2;
            *pid = -1;
        } else if (gdb_parse_hex(p, &v) != 0 || v > INT_MAX) {
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
    return gdb_parse_hex(p, &v) == 0 && v <= INT_MAX ? 0 : -1;
}

/* ---- Processes: the kernel and the programs ---------------------------- */

int gdb_nprocs(const struct gdbstub *g)
{
    return 1 + (int)g->d->s.nprogs;
}

int gdb_pid_space(const struct gdbstub *g, int pid)
{
    if (pid <= GDB_KERNEL_PID || pid > gdb_nprocs(g))
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

bool gdb_pid_exists(const struct gdbstub *g, int pid)
{
    return pid >= 1 && pid <= gdb_nprocs(g);
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
        gdb_put_error(g, E_INVAL);
        return;
    }
    const char *p = args + strlen(annex);
    uint32_t off, n;
    if (parse_addr_len(&p, &off, &n, '\0') != 0) {
        gdb_put_error(g, E_PARSE);
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
    if (*p != ':' && gdb_parse_hex(&p, &pid) != 0) {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (*p++ != ':') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    uint32_t off, n;
    if (parse_addr_len(&p, &off, &n, '\0') != 0) {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (pid == 0)
        pid = (uint64_t)gdb_current_pid(g);
    const char *file =
        pid >= 1 && pid <= (uint64_t)gdb_nprocs(g) ? g->files[pid - 1] : NULL;
    if (file == NULL) {
        gdb_put_error(g, E_INVAL);
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
    int n = g->multiprocess ? gdb_nprocs(g) : 1;
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
    if (gdb_parse_tid(&args, &pid) != 0 || *args != '\0') {
        gdb_put_error(g, E_PARSE);
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
    if (gdb_parse_tid(&args, &pid) != 0 || *args != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !gdb_pid_exists(g, pid))
        gdb_put_error(g, E_INVAL);
    else
        gdb_put(g, "OK");
}

static void p_set_thread(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    char op = args[0];
    int pid;
    const char *p = args + (op != '\0');
    if ((op != 'g' && op != 'c') || gdb_parse_tid(&p, &pid) != 0 ||
        *p != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !gdb_pid_exists(g, pid)) {
        gdb_put_error(g, E_INVAL);
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

void gdb_changed_machine(struct gdbstub *g)
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
    gdb_put_error(g, E_INVAL);
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
            gdb_put_error(g, E_PARSE);
            return;
        }
    if (*p != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        if (gdb_reg_set(g->d, i, v[i]) != 0) {
            gdb_put_error(g, E_INVAL);
            return;
        }
    gdb_changed_machine(g);
    gdb_put(g, "OK");
}

static void p_reg(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t n;
    if (gdb_parse_u32(&args, &n) != 0 || *args != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (gdb_reg_size(n) == 0) {
        gdb_put_error(g, E_INVAL);
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
    if (gdb_parse_u32(&args, &n) != 0 || *args++ != '=' ||
        gdb_reg_size(n) == 0 || parse_le(&args, gdb_reg_size(n), &v) != 0 ||
        *args != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (n < 33 && !writable_thread(g))
        return;
    if (gdb_reg_set(g->d, n, v) != 0) {
        gdb_put_error(g, E_INVAL);
        return;
    }
    gdb_changed_machine(g);
    gdb_put(g, "OK");
}

static void p_read_mem(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t addr, n;
    if (parse_addr_len(&args, &addr, &n, '\0') != 0) {
        gdb_put_error(g, E_PARSE);
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
        gdb_put_error(g, E_FAULT);
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
        gdb_put_error(g, E_FAULT);
        return;
    }
    gdb_changed_machine(g);
    gdb_put(g, "OK");
}

static void p_write_mem(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    uint32_t addr, n;
    static uint8_t buf[GDB_PACKET_MAX];
    if (parse_addr_len(&args, &addr, &n, ':') != 0 || n > sizeof buf) {
        gdb_put_error(g, E_PARSE);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        int hi = hexdigit(args[0]), lo = hi < 0 ? -1 : hexdigit(args[1]);
        if (lo < 0) {
            gdb_put_error(g, E_PARSE);
            return;
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
        args += 2;
    }
    if (*args != '\0') {
        gdb_put_error(g, E_PARSE);
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
        gdb_put_error(g, E_PARSE);
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
        gdb_put_error(g, E_PARSE);
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
            gdb_put_error(g, E_PARSE);
        return; /* another kind of point: unsupported, empty reply */
    }
    int rc = insert ? gdb_insert(g, type, addr, kind)
                    : gdb_remove(g, type, addr, kind);
    if (rc != 0)
        gdb_put_error(g, E_INVAL);
    else
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
    {"vCont?", true, gdb_vcont_query, "the vCont actions lde knows"},
    {"vCont;", false, gdb_vcont, "resume: continue or step"},
    {"vKill;", false, gdb_vkill, "kill: lde stops"},
    {"bs", true, gdb_reverse_step_packet, "one step back"},
    {"bc", true, gdb_reverse_continue_packet, "back to the last stop"},
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
    {"c", false, gdb_continue_packet, "continue"},
    {"s", false, gdb_step_packet, "step one instruction"},
    {"C", false, gdb_signal, "continue with a signal (ignored)"},
    {"S", false, gdb_signal, "step with a signal (ignored)"},
    {"H", false, p_set_thread, "the thread later packets mean"},
    {"T", false, p_thread_alive, "is this thread alive"},
    {"D", false, gdb_detach, "detach: the machine runs on"},
    {"k", true, gdb_kill, "kill: lde stops"},
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
void gdb_handle(struct gdbstub *g)
{
    g->olen = 0;
    g->overflow = false;
    if (g->w.too_long) {
        gdb_put_error(g, E_PARSE);
    } else {
        const struct packet *p = lookup(g->w.pkt);
        if (p != NULL) {
            size_t n = strlen(p->name);
            p->fn(g, g->w.pkt + n, g->w.len - n);
        }
    }
    if (g->overflow)
        gdb_put_error(g, E_INVAL);
    if (g->done && g->end == GDB_END_KILL && g->olen == 0)
        return;
    if (gdbw_send(&g->w, g->out, g->olen) != 0 && !g->done) {
        g->done = true;
        g->end = GDB_END_LOST;
    }
}
