/*
 * gdbresume.c: the packets that make the machine go (c, s, C, S, vCont,
 * bs, bc) and those that end gdb's session (D, k, vKill). Each resume
 * packet is answered by a stop reply when the machine stops (gdbrun.c).
 */
#include <limits.h>
#include <string.h>

#include "gdbint.h"

/* c [addr], s [addr]: resume (at addr). */
static bool resume_at(struct gdbstub *g, const char *args)
{
    uint32_t addr;
    if (*args == '\0')
        return true;
    if (gdb_parse_u32(&args, &addr) != 0 || *args != '\0' ||
        cpu_set_pc(g->d->s.cpu, addr) != 0) {
        gdb_put_error(g, E_PARSE);
        return false;
    }
    gdb_changed_machine(g);
    return true;
}

void gdb_continue_packet(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    if (!resume_at(g, args))
        return;
    struct gdb_stop s = gdb_continue(g);
    gdb_stop_reply(g, &s);
}

void gdb_step_packet(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    if (!resume_at(g, args))
        return;
    struct gdb_stop s = gdb_step(g, false);
    gdb_stop_reply(g, &s);
}

/* C sig[;addr], S sig[;addr]: the signal means nothing to this machine. */
void gdb_signal(struct gdbstub *g, const char *args, size_t len)
{
    bool step = args[-1] == 'S';
    uint64_t sig;
    const char *p = args;
    if (gdb_parse_hex(&p, &sig) != 0 || (*p != '\0' && *p != ';')) {
        gdb_put_error(g, E_PARSE);
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

void gdb_vcont_query(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    gdb_put(g, "vCont;c;C;s;S");
}

/* vCont;action[:tid]...: one hart, so a step anywhere is the step. */
void gdb_vcont(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    bool step = false, any = false, others = false;
    const char *p = args;
    while (*p != '\0') {
        char a = *p++;
        uint64_t sig;
        if ((a == 'C' || a == 'S') && gdb_parse_hex(&p, &sig) != 0) {
            gdb_put_error(g, E_PARSE);
            return;
        }
        if (a != 'c' && a != 's' && a != 'C' && a != 'S') {
            gdb_put_error(g, E_PARSE);
            return;
        }
        if (*p == ':') {
            int pid;
            p++;
            if (gdb_parse_tid(&p, &pid) != 0) {
                gdb_put_error(g, E_PARSE);
                return;
            }
        }
        step |= a == 's' || a == 'S';
        others |= a == 'c' || a == 'C';
        any = true;
        if (*p == ';')
            p++;
        else if (*p != '\0') {
            gdb_put_error(g, E_PARSE);
            return;
        }
    }
    if (!any) {
        gdb_put_error(g, E_PARSE);
        return;
    }
    struct gdb_stop s = step ? gdb_step(g, !others) : gdb_continue(g);
    gdb_stop_reply(g, &s);
}

void gdb_reverse_step_packet(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    if (g->d->s.timeline == NULL)
        return; /* not advertised: unsupported */
    struct gdb_stop s = gdb_reverse_step(g);
    gdb_stop_reply(g, &s);
}

void gdb_reverse_continue_packet(struct gdbstub *g, const char *args,
                                 size_t len)
{
    (void)args, (void)len;
    if (g->d->s.timeline == NULL)
        return;
    struct gdb_stop s = gdb_reverse_continue(g);
    gdb_stop_reply(g, &s);
}

void gdb_detach(struct gdbstub *g, const char *args, size_t len)
{
    (void)len;
    int pid = 0;
    if (*args == ';') {
        uint64_t v;
        args++;
        if (gdb_parse_hex(&args, &v) != 0 || v > INT_MAX) {
            gdb_put_error(g, E_PARSE);
            return;
        }
        pid = (int)v;
    }
    if (*args != '\0') {
        gdb_put_error(g, E_PARSE);
        return;
    }
    if (pid > 0 && !gdb_pid_exists(g, pid)) {
        gdb_put_error(g, E_INVAL);
        return;
    }
    gdb_put(g, "OK");
    /* gdb detaches from each process in turn: the machine goes on
     * without gdb once it let go of all of them. */
    if (g->multiprocess && pid > 0)
        g->detached |= 1u << pid;
    unsigned all = ((1u << (gdb_nprocs(g) + 1)) - 1) & ~1u;
    if (!g->multiprocess || pid == 0 || (g->detached & all) == all) {
        g->done = true;
        g->end = GDB_END_DETACH;
    }
}

void gdb_kill(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    g->done = true;
    g->end = GDB_END_KILL;
    g->olen = 0; /* k has no reply */
}

void gdb_vkill(struct gdbstub *g, const char *args, size_t len)
{
    (void)args, (void)len;
    g->done = true;
    g->end = GDB_END_KILL;
    gdb_put(g, "OK");
}
