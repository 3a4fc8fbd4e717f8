/* hostcon.c: the console on stdio (see hostcon.h). */
#include "hostcon.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"

void hostcon_init(struct hostcon *hc, FILE *in, FILE *out, FILE *err)
{
    memset(hc, 0, sizeof *hc);
    hc->in = in;
    hc->out = out;
    hc->err = err;
    hc->last_stream = 1;
}

void hostcon_free(struct hostcon *hc)
{
    hostcon_flush(hc);
}

/* Remember the first failure of a stream (ENOSPC on /dev/full, EPIPE...). */
static void check(struct hostcon *hc, int stream, FILE *f, int rc)
{
    if ((rc == EOF || ferror(f)) && hc->out_errno[stream] == 0)
        hc->out_errno[stream] = errno != 0 ? errno : EIO;
}

void hostcon_put(struct hostcon *hc, int stream, uint8_t byte)
{
    stream = stream == 2 ? 2 : 1;
    FILE *f = stream == 2 ? hc->err : hc->out;
    if (stream != hc->last_stream) {
        FILE *other = stream == 2 ? hc->out : hc->err;
        if (other != NULL)
            check(hc, 3 - stream, other, fflush(other));
        hc->last_stream = stream;
    }
    if (f != NULL)
        check(hc, stream, f, putc(byte, f));
    hc->bytes_out[stream]++;
}

/* Wait until in's descriptor has something to read (or its end). poll,
 * unlike read, is never restarted after a signal: Ctrl-C ends the wait.
 * Returns 0, or -1 when the run is interrupted. */
static int wait_readable(int fd)
{
    for (;;) {
        if (session_interrupted())
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, -1);
        if (n > 0)
            return 0;
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return 0; /* let read() report it: it ends the input */
    }
}

/* The length of the next line in buf (through its newline), or of a
 * chunk when buf is full without one; 0 if more must be read first. */
static size_t next_line(const struct hostcon *hc)
{
    const unsigned char *nl = memchr(hc->buf, '\n', hc->buf_len);
    if (nl != NULL)
        return (size_t)(nl - hc->buf) + 1;
    return hc->buf_len == sizeof hc->buf ? hc->buf_len : 0;
}

/* Make hc->pending bytes of input ready, reading as little as a line
 * needs; false if Ctrl-C came first. */
static bool fill(struct hostcon *hc)
{
    int fd = hc->in != NULL ? fileno(hc->in) : -1;
    if (fd < 0) {
        hc->eof = true;
        return true;
    }
    while ((hc->pending = next_line(hc)) == 0) {
        if (wait_readable(fd) != 0)
            return false;
        ssize_t n =
            read(fd, hc->buf + hc->buf_len, sizeof hc->buf - hc->buf_len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue; /* a signal, or a non-blocking stdin: poll again */
        if (n <= 0) { /* end of file, or an error: the input ends here */
            hc->eof = true;
            hc->pending = hc->buf_len; /* the last line, without newline */
            return true;
        }
        hc->buf_len += (size_t)n;
    }
    return true;
}

void hostcon_feed(struct hostcon *hc, struct cpu *cpu)
{
    if (hc->pending == 0 && !hc->eof) {
        hostcon_flush(hc); /* a prompt shows before we wait for the line */
        if (!fill(hc))
            return; /* Ctrl-C: nothing queued; the run loop stops */
    }
    if (hc->pending > 0) {
        size_t took = cpu_console_input(cpu, hc->buf, hc->pending);
        hc->pending -= took;
        hc->buf_len -= took;
        memmove(hc->buf, hc->buf + took, hc->buf_len);
    } else if (hc->eof) {
        cpu_console_close(cpu);
    }
}

void hostcon_flush(struct hostcon *hc)
{
    if (hc->out != NULL)
        check(hc, 1, hc->out, fflush(hc->out));
    if (hc->err != NULL)
        check(hc, 2, hc->err, fflush(hc->err));
}

int hostcon_error(const struct hostcon *hc, char *msg, size_t len)
{
    for (int stream = 1; stream <= 2; stream++) {
        if (hc->out_errno[stream] != 0) {
            snprintf(msg, len, "%s: %s", stream == 1 ? "stdout" : "stderr",
                     strerror(hc->out_errno[stream]));
            return -1;
        }
    }
    return 0;
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
