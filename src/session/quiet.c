/*
 * quiet.c: a run with no console output (quiet.h).
 */
#include "quiet.h"

#include "hostcon.h"

#define QUIET_SLICE (UINT64_C(1) << 24)

struct quiet_ctx {
    struct session *s;
    struct hostcon *hc;
};

static void on_tx(void *ctx, int stream, uint8_t byte)
{
    (void)ctx;
    (void)stream;
    (void)byte; /* nobody watches */
}

static void on_rx_wanted(void *ctx, struct cpu *cpu)
{
    struct quiet_ctx *q = ctx;
    hostcon_feed(q->hc, cpu);
}

static bool on_mode(void *ctx, struct cpu *cpu, uint32_t old_mode,
                    uint32_t new_mode)
{
    struct quiet_ctx *q = ctx;
    (void)cpu;
    session_note_mode(q->s, old_mode, new_mode);
    return false;
}

int session_run_quiet(struct session *s, const struct session_options *o,
                      FILE *in, enum cpu_stop *why, enum session_end *end,
                      char *err, size_t errlen)
{
    int rc = session_open(s, o, err, errlen);
    if (rc != 0)
        return rc;
    struct hostcon hc;
    hostcon_init(&hc, in, NULL, NULL);
    struct quiet_ctx ctx = {s, &hc};
    struct cpu_hooks hooks = {
        .ctx = &ctx,
        .console_tx = on_tx,
        .console_rx_wanted = on_rx_wanted,
        .mode = on_mode,
    };
    cpu_set_hooks(s->cpu, &hooks);
    double host = 0;
    *why = session_run(s, QUIET_SLICE, end, &host);
    hostcon_free(&hc);
    cpu_set_hooks(s->cpu, &(struct cpu_hooks){0});
    return 0;
}
