/*
 * fuzz_gdb.c: hostile input for lde's gdb stub.
 *
 *   fuzz_gdb PORT [COUNT] [SEED]
 *
 * Connects to `lde run --gdb` and sends COUNT packets built to break a
 * parser: random bytes in valid frames, the stub's own packets with
 * random, out-of-range, truncated and over-long arguments (memory far
 * outside RAM, huge lengths, bad thread ids, odd hex), wrong checksums,
 * packets cut off in the middle, lone interrupts, bytes outside any
 * packet, a packet longer than PacketSize. After each one it reads what
 * comes back for a moment (and, if the machine was set running, sends
 * Ctrl-C). At the end the stub must still answer `?` with a stop reply;
 * then it sends `k`. Exit 0 if so, 1 otherwise. The same seed sends the
 * same packets.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd;
static uint64_t rng;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static bool verbose;

static void send_raw(const void *p, size_t n)
{
    if (verbose)
        fprintf(stderr, "> %.*s\n", (int)(n < 120 ? n : 120), (const char *)p);
    const char *b = p;
    while (n > 0) {
        ssize_t k = send(fd, b, n, MSG_NOSIGNAL);
        if (k <= 0) {
            fprintf(stderr, "fuzz_gdb: the stub closed the connection\n");
            exit(1);
        }
        b += k;
        n -= (size_t)k;
    }
}

/* A framed packet; bad: a wrong checksum. */
static void send_packet(const char *data, size_t n, bool bad)
{
    static char out[70000];
    uint8_t sum = 0;
    size_t k = 0;
    out[k++] = '$';
    for (size_t i = 0; i < n && k < sizeof out - 4; i++) {
        out[k++] = data[i];
        sum = (uint8_t)(sum + (uint8_t)data[i]);
    }
    if (bad)
        sum ^= 0x5a;
    k += (size_t)snprintf(out + k, sizeof out - k, "#%02x", sum);
    send_raw(out, k);
}

static bool closing; /* after k: the stub may go */

/* Read for up to ms milliseconds; true if anything came. */
static bool drain(int ms)
{
    bool got = false;
    char buf[65536];
    for (;;) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, ms) <= 0)
            return got;
        ssize_t k = recv(fd, buf, sizeof buf, 0);
        if (k <= 0 && closing)
            return got;
        if (k <= 0) {
            fprintf(stderr, "fuzz_gdb: the stub closed the connection\n");
            exit(1);
        }
        if (verbose)
            fprintf(stderr, "< %.*s\n", (int)(k < 120 ? k : 120), buf);
        got = true;
        ms = 2;
    }
}

static const char *const prefixes[] = {
    "qSupported:",
    "qXfer:features:read:target.xml:",
    "qXfer:features:read:",
    "qXfer:exec-file:read:",
    "qAttached:",
    "qC",
    "qfThreadInfo",
    "qsThreadInfo",
    "qThreadExtraInfo,",
    "qSymbol:",
    "vCont?",
    "vCont;",
    "vMustReplyEmpty",
    "?",
    "g",
    "G",
    "p",
    "P",
    "m",
    "M",
    "X",
    "Z",
    "z",
    "H",
    "T",
    "s",
    "S",
    "bs",
    "qRcmd,",
    "vFile:open:",
    "vRun;",
    "QStartNoAckMode",
    "qTStatus",
    "qOffsets",
};
#define NPREFIXES (sizeof prefixes / sizeof prefixes[0])

/* Arguments with the shapes the parsers expect, and edges. */
static size_t random_args(char *b, size_t cap)
{
    static const char *const pieces[] = {
        "0",
        "1",
        "ffffffff",
        "fffffffffffffffff",
        "-1",
        "p1.1",
        "p2.-1",
        "p-1.-1",
        "pffffffff.1",
        ",",
        ":",
        ";",
        "=",
        "s",
        "c",
        "10000",
        "f0001000",
        "4000",
        "100000",
        "zz",
        "0,4",
        "ffffffff,ffff",
        "10074,2",
        "1,",
        "}",
        "*",
        "#",
        "$",
        "target.xml:0,ffb",
        "2,10000,4",
        "4,1d1c0,4",
        "0,0",
        "deadbeef",
        "p0.0",
        "00000000",
    };
    size_t n = 0;
    unsigned k = 1 + rnd() % 6;
    for (unsigned i = 0; i < k && n + 40 < cap; i++) {
        if (rnd() % 4 == 0) {
            unsigned m = rnd() % 24;
            for (unsigned j = 0; j < m; j++)
                b[n++] = "0123456789abcdefABCDEF,;:=p.-"[rnd() % 29];
        } else {
            const char *p = pieces[rnd() % (sizeof pieces / sizeof *pieces)];
            size_t l = strlen(p);
            memcpy(b + n, p, l);
            n += l;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fuzz_gdb PORT [COUNT] [SEED]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    verbose = getenv("FUZZ_GDB_VERBOSE") != NULL;
    unsigned count = argc > 2 ? (unsigned)atoi(argv[2]) : 2000;
    rng = argc > 3 ? strtoull(argv[3], NULL, 0) : 0x1de5eedull;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("fuzz_gdb: connect");
        return 1;
    }
    static char b[40000];
    for (unsigned i = 0; i < count; i++) {
        size_t n = 0;
        bool answered = true; /* a reply is due (unless the machine runs) */
        switch (rnd() % 10) {
        case 0: /* random bytes, framed (not a kill or a detach) */
            n = rnd() % 200;
            for (size_t j = 0; j < n; j++)
                b[j] = (char)(rnd() & 0xff);
            if (n > 0 && strchr("kDv", b[0]) != NULL)
                b[0] = 'q';
            send_packet(b, n, false);
            break;
        case 1: /* a valid packet, a wrong checksum */
            n = strlen(strcpy(b, prefixes[rnd() % NPREFIXES]));
            n += random_args(b + n, sizeof b - n);
            send_packet(b, n, true);
            answered = false;
            break;
        case 2: /* cut off: no '#', then the next packet begins */
            n = strlen(strcpy(b, "$m10000,"));
            send_raw(b, n);
            answered = false;
            break;
        case 3: /* an interrupt, or noise, outside any packet */
            if (rnd() % 2)
                send_raw("\x03", 1);
            else
                send_raw("+-+garbage\x03#00", 15);
            answered = false;
            break;
        case 4: /* longer than PacketSize */
            n = 20000 + rnd() % 10000;
            memset(b, 'M', n);
            send_packet(b, n, false);
            break;
        default: /* the stub's packets with hostile arguments */
            n = strlen(strcpy(b, prefixes[rnd() % NPREFIXES]));
            n += random_args(b + n, sizeof b - n);
            send_packet(b, n, false);
            break;
        }
        /* A packet that set the machine running gets no answer until it
         * stops: interrupt it. */
        if (!drain(answered ? 200 : 1) && answered) {
            send_raw("\x03", 1);
            drain(200);
        }
    }
    /* Still there, and still speaking the protocol? */
    send_raw("+", 1);
    drain(100);
    send_packet("?", 1, false);
    char buf[4096];
    size_t got = 0;
    for (int tries = 0; tries < 50; tries++) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, 100) <= 0)
            continue;
        ssize_t k = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (k <= 0)
            break;
        got += (size_t)k;
        buf[got] = '\0';
        char *r = strstr(buf, "$T");
        if (r == NULL)
            r = strstr(buf, "$W");
        if (r != NULL && strchr(r, '#') != NULL) {
            closing = true;
            send_packet("k", 1, false);
            drain(200);
            close(fd);
            printf("fuzz_gdb: %u packets, the stub still answers\n", count);
            return 0;
        }
    }
    fprintf(stderr, "fuzz_gdb: no stop reply to '?' at the end\n");
    return 1;
}
