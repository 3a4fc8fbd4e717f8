/*
 * gdbwire.c: the remote serial protocol's framing on TCP (gdbwire.h).
 */
#define _GNU_SOURCE /* getaddrinfo, NI_* */
#include "gdbwire.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return false;
}

int gdbw_listen(const char *spec, uint16_t *port, bool *loopback, char *err,
                size_t errlen)
{
    char host[256] = "127.0.0.1";
    const char *ps = spec;
    const char *colon = strrchr(spec, ':');
    if (colon != NULL) {
        size_t n = (size_t)(colon - spec);
        if (n >= sizeof host) {
            snprintf(err, errlen, "--gdb: host name too long");
            return -1;
        }
        if (n > 0) {
            /* [::1]:1234 */
            if (spec[0] == '[' && n >= 2 && spec[n - 1] == ']') {
                memcpy(host, spec + 1, n - 2);
                host[n - 2] = '\0';
            } else {
                memcpy(host, spec, n);
                host[n] = '\0';
            }
        }
        ps = colon + 1;
    }
    char *end;
    errno = 0;
    unsigned long p = strtoul(ps, &end, 10);
    if (*ps < '0' || *ps > '9' || *end != '\0' || errno != 0 || p > 65535) {
        snprintf(err, errlen,
                 "--gdb: '%s' is not [HOST:]PORT (a port from 0 to 65535; "
                 "0: any free port)",
                 spec);
        return -1;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *res = NULL;
    char pstr[8];
    snprintf(pstr, sizeof pstr, "%lu", p);
    int rc = getaddrinfo(host, pstr, &hints, &res);
    if (rc != 0 || res == NULL) {
        snprintf(err, errlen, "--gdb: cannot resolve '%s': %s", host,
                 gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1) != 0) {
        snprintf(err, errlen, "--gdb: cannot listen on %s:%lu: %s", host, p,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    *loopback = is_loopback(res->ai_addr);
    freeaddrinfo(res);
    /* Zeroed: clang's analyser does not know that getsockname fills it. */
    struct sockaddr_storage ss = {0};
    socklen_t sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
        snprintf(err, errlen, "--gdb: %s", strerror(errno));
        close(fd);
        return -1;
    }
    /* Copied out rather than read through a cast: no aliasing question. */
    uint16_t nport;
    if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 a6;
        memcpy(&a6, &ss, sizeof a6);
        nport = a6.sin6_port;
    } else {
        struct sockaddr_in a4;
        memcpy(&a4, &ss, sizeof a4);
        nport = a4.sin_port;
    }
    *port = ntohs(nport);
    return fd;
}

int gdbw_accept(int lfd, struct gdb_wire *w, int timeout_ms, char *peer,
                size_t peerlen)
{
    struct pollfd pf = {lfd, POLLIN, 0};
    int n;
    do
        n = poll(&pf, 1, timeout_ms);
    while (n < 0 && errno == EINTR && timeout_ms < 0);
    if (n == 0 || (n < 0 && errno == EINTR))
        return 1;
    if (n < 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
    if (fd < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    memset(w, 0, sizeof *w);
    w->fd = fd;
    if (getnameinfo((struct sockaddr *)&ss, sl, peer, (socklen_t)peerlen, NULL,
                    0, NI_NUMERICHOST) != 0)
        snprintf(peer, peerlen, "?");
    return 0;
}

void gdbw_close(struct gdb_wire *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}

static int write_all(struct gdb_wire *w, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t k = send(w->fd, b, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Feed the parser one byte: 1 a packet is complete, 2 an interrupt. */
static int parse_byte(struct gdb_wire *w, uint8_t c)
{
    switch (w->state) {
    case 0:
        if (c == '$') {
            w->state = 1;
            w->len = 0;
            w->sum = 0;
            w->too_long = false;
        } else if (c == 0x03) {
            return 2;
        }
        return 0; /* acks and noise */
    case 1:
        if (c == '#') {
            w->state = 2;
            return 0;
        }
        if (c == '$') { /* a packet cut off: the new one counts */
            w->len = 0;
            w->sum = 0;
            w->too_long = false;
            return 0;
        }
        w->sum = (uint8_t)(w->sum + c);
        if (w->len < GDB_PACKET_MAX)
            w->pkt[w->len++] = (char)c;
        else
            w->too_long = true;
        return 0;
    case 2:
        w->cs = hexval(c); /* -1: not a digit, the packet is bad */
        w->state = 3;
        return 0;
    default: {
        int v = hexval(c);
        w->state = 0;
        w->pkt[w->len] = '\0';
        if (w->cs < 0 || v < 0 || (w->cs << 4 | v) != w->sum) {
            if (!w->noack)
                write_all(w, "-", 1); /* resend, please */
            return 0;
        }
        if (!w->noack)
            write_all(w, "+", 1);
        return 1;
    }
    }
}

static int parse_buffered(struct gdb_wire *w)
{
    while (w->at < w->have) {
        int r = parse_byte(w, w->buf[w->at++]);
        if (r != 0)
            return r;
    }
    w->at = w->have = 0;
    return 0;
}

int gdbw_read(struct gdb_wire *w, int timeout_ms)
{
    if (w->fd < 0)
        return -1;
    if (w->ready) {
        w->ready = false;
        return 1;
    }
    for (;;) {
        int r = parse_buffered(w);
        if (r == 2) {
            w->interrupted = true;
            return 2;
        }
        if (r == 1)
            return 1;
        struct pollfd pf = {w->fd, POLLIN, 0};
        int n = poll(&pf, 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            return 0;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        ssize_t k = recv(w->fd, w->buf, sizeof w->buf, 0);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            return -1;
        w->have = (size_t)k;
        w->at = 0;
    }
}

bool gdbw_poll_interrupt(struct gdb_wire *w, bool *lost)
{
    *lost = false;
    if (w->ready)
        return false;
    int r = gdbw_read(w, 0);
    if (r == 2)
        return true;
    if (r == 1)
        w->ready = true; /* answered once the machine stops */
    if (r < 0)
        *lost = true;
    return false;
}

int gdbw_send(struct gdb_wire *w, const char *data, size_t len)
{
    static char out[2 * GDB_PACKET_MAX + 8];
    size_t n = 0;
    uint8_t sum = 0;
    out[n++] = '$';
    for (size_t i = 0; i < len && n + 5 < sizeof out; i++) {
        uint8_t c = (uint8_t)data[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            out[n++] = '}';
            sum = (uint8_t)(sum + '}');
            c ^= 0x20;
        }
        out[n++] = (char)c;
        sum = (uint8_t)(sum + c);
    }
    static const char hex[] = "0123456789abcdef";
    out[n++] = '#';
    out[n++] = hex[sum >> 4];
    out[n++] = hex[sum & 15];
    return write_all(w, out, n);
}

int gdbw_send_str(struct gdb_wire *w, const char *data)
{
    return gdbw_send(w, data, strlen(data));
}
