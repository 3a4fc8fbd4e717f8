/* hostcon.c: the console on stdio (see hostcon.h). */
#include "hostcon.h"

#include <stdlib.h>
#include <sys/types.h>

void hostcon_init(struct hostcon *hc, FILE *in, FILE *out, FILE *err)
{
    *hc = (struct hostcon){.in = in, .out = out, .err = err, .last_stream = 1};
}

void hostcon_free(struct hostcon *hc)
{
    hostcon_flush(hc);
    free(hc->line);
    hc->line = NULL;
}

void hostcon_put(struct hostcon *hc, int stream, uint8_t byte)
{
    FILE *f = stream == 2 ? hc->err : hc->out;
    if (stream != hc->last_stream) {
        fflush(stream == 2 ? hc->out : hc->err);
        hc->last_stream = stream;
    }
    putc(byte, f);
    hc->bytes_out[stream == 2 ? 2 : 1]++;
}

void hostcon_feed(struct hostcon *hc, struct cpu *cpu)
{
    if (hc->pending == 0 && !hc->eof) {
        hostcon_flush(hc); /* a prompt shows before we wait for the line */
        ssize_t n =
            hc->in != NULL ? getline(&hc->line, &hc->line_cap, hc->in) : -1;
        if (n <= 0) {
            hc->eof = true;
        } else {
            hc->pending = (size_t)n;
            hc->pending_at = 0;
        }
    }
    if (hc->pending > 0) {
        size_t took =
            cpu_console_input(cpu, hc->line + hc->pending_at, hc->pending);
        hc->pending -= took;
        hc->pending_at += took;
    } else if (hc->eof) {
        cpu_console_close(cpu);
    }
}

void hostcon_flush(struct hostcon *hc)
{
    if (hc->out != NULL)
        fflush(hc->out);
    if (hc->err != NULL)
        fflush(hc->err);
}

static void tx_hook(void *ctx, int stream, uint8_t byte)
{
    hostcon_put(ctx, stream, byte);
}

static void rx_hook(void *ctx, struct cpu *cpu)
{
    hostcon_feed(ctx, cpu);
}

void hostcon_attach(struct hostcon *hc, struct cpu_hooks *h)
{
    h->ctx = hc;
    h->console_tx = tx_hook;
    h->console_rx_wanted = rx_hook;
}
