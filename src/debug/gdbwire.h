/*
 * gdbwire.h: gdb's remote serial protocol on a TCP socket: listening,
 * packets in and out, acknowledgements, interrupts.
 *
 * A packet is `$data#cs`, cs the sum of data's bytes modulo 256 in two
 * hex digits; each is acknowledged with `+` (or `-`, resend) until both
 * sides agree to stop (QStartNoAckMode). A lone 0x03 byte outside a
 * packet is an interrupt (Ctrl-C in gdb). Everything the peer sends is
 * untrusted: a packet longer than GDB_PACKET_MAX is discarded whole, and
 * a packet's data is kept NUL-terminated in a buffer of its own.
 */
#ifndef LDE_GDBWIRE_H
#define LDE_GDBWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 16384 /* advertised as PacketSize */

struct gdb_wire {
    int fd;            /* the connection, -1 if none */
    bool noack;        /* QStartNoAckMode agreed */
    bool interrupted;  /* a 0x03 came */
    uint8_t buf[4096]; /* bytes received, not yet parsed */
    size_t have, at;
    char pkt[GDB_PACKET_MAX + 1]; /* the last packet's data */
    size_t len;
    bool too_long; /* the last packet did not fit: discarded */
    /* The parser, between reads: */
    int state;   /* 0 idle, 1 in data, 2 and 3 the checksum digits */
    uint8_t sum; /* of the data so far */
    int cs;      /* the checksum's first digit, -1 if not hex */
    bool ready;  /* a whole packet waits in pkt (read while running) */
};

/* Listen on "[HOST:]PORT" (HOST: an IPv4 address or a name; none:
 * 127.0.0.1). Returns the socket, or -1 with one line in err. *port gets
 * the port bound (PORT 0: any free one), *loopback whether only this
 * machine can connect. */
int gdbw_listen(const char *spec, uint16_t *port, bool *loopback, char *err,
                size_t errlen);
/* Wait for a connection (timeout_ms < 0: for ever). The peer's address
 * goes to peer. 0, 1 on timeout, or -1. */
int gdbw_accept(int lfd, struct gdb_wire *w, int timeout_ms, char *peer,
                size_t peerlen);
void gdbw_close(struct gdb_wire *w);

/* Wait for the next packet (timeout_ms < 0: for ever). 1: a packet in
 * w->pkt (or w->too_long); 2: an interrupt; 0: timeout; -1: the
 * connection is gone. */
int gdbw_read(struct gdb_wire *w, int timeout_ms);
/* While the machine runs: has gdb interrupted (or gone away)? Reads what
 * has arrived without waiting; packets other than 0x03 are kept. */
bool gdbw_poll_interrupt(struct gdb_wire *w, bool *lost);
/* Send one packet with data[0..len) (escaped as needed). 0 or -1. */
int gdbw_send(struct gdb_wire *w, const char *data, size_t len);
int gdbw_send_str(struct gdb_wire *w, const char *data);

#endif /* LDE_GDBWIRE_H */
