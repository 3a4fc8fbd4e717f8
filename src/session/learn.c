/*
 * learn.c: a first run under fifo measures the job lengths (learn.h).
 */
#include "learn.h"

#include <inttypes.h>
#include <string.h>

#include "quiet.h"
#include "schedopt.h"

int session_learn(struct session_options *o, FILE *in, FILE *note, char *err,
                  size_t errlen)
{
    struct session_sched *sp = &o->sched[0];
    if (!sp->learn || strstr(sp->spec, "lengths=") != NULL)
        return 0;
    struct session_options first = *o;
    first.nsched = 1;
    schedopt_plain(&first.sched[0], "fifo");
    struct session s;
    enum cpu_stop why;
    enum session_end end;
    int rc = session_run_quiet(&s, &first, in, &why, &end, err, errlen);
    if (rc != 0)
        return rc;

    /* By pid: the lengths list has room for LDE_PROCS_MAX of them. */
    uint64_t len[LDE_PROCS_MAX + 1] = {0};
    uint32_t maxpid = session_acct_npids(&s);
    maxpid = maxpid > 0 ? maxpid - 1 : 0;
    if (maxpid > LDE_PROCS_MAX)
        maxpid = LDE_PROCS_MAX;
    for (uint32_t pid = 1; pid <= maxpid; pid++) {
        struct session_pid_acct a = session_pid_acct(&s, pid);
        len[pid] = a.user + a.kernel;
    }
    session_close(&s);

    /* lengths=L1/L2/...: by pid, from 1. */
    size_t at = strlen(sp->spec);
    int w = snprintf(sp->spec + at, sizeof sp->spec - at,
                     "%slengths=", strchr(sp->spec, ':') ? "," : ":");
    for (uint32_t pid = 1; pid <= maxpid && w > 0; pid++) {
        at += (size_t)w;
        w = snprintf(sp->spec + at, sizeof sp->spec - at, "%s%" PRIu64,
                     pid > 1 ? "/" : "", len[pid]);
        if (w < 0 || (size_t)w >= sizeof sp->spec - at)
            w = -1;
    }
    if (maxpid == 0 || w < 0) {
        snprintf(err, errlen,
                 "--sched %s: could not learn the job lengths (give them: "
                 "%s:lengths=...)",
                 sp->name, sp->name);
        return SESSION_EXIT_USAGE;
    }
    if (note != NULL) {
        fprintf(note,
                "lde: %s: job lengths learned from a first run of the same "
                "programs under fifo%s (lde is deterministic): ",
                sp->name, end == SESSION_END_MACHINE ? "" : ", cut short");
        for (uint32_t pid = 1; pid <= maxpid; pid++)
            fprintf(note, "%spid %" PRIu32 " %" PRIu64, pid > 1 ? ", " : "",
                    pid, len[pid]);
        fprintf(note, " cycles\n");
    }
    return 0;
}
