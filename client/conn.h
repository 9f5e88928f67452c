/* conn.h - the client's one connection to the server: connect with a
 * timeout, then read reply lines and file bytes from the same buffer.
 *
 * Lines and file data share one receive buffer: the bytes after a
 * "#Sending n bytes." line may arrive in the same segment as the line, and
 * the trailer in the same segment as the data's end. Every wait is bounded by
 * the timeout given at open. Used by the main thread only. */
#ifndef MTS_CONN_H
#define MTS_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "linebuf.h"
#include "sockio.h"
#include "tlsclient.h"

/* One receive per CONN_BUF bytes of file data; under Wine each receive costs
 * wineserver round trips, and 1 MiB measured best (bench/RESULTS.md, 5.). */
#define CONN_BUF (1u << 20)

enum conn_result {
    CONN_OK = 0,
    CONN_CLOSED = -1,   /* the server closed the connection */
    CONN_ERROR = -2,    /* a socket error; see conn_describe() */
    CONN_TIMEOUT = -3,  /* the server was silent for the whole timeout */
    CONN_TOO_LONG = -4, /* a reply line longer than any the server sends */
};

struct conn {
    struct sockio io;
    struct tlsclient *tls; /* NULL over plain TCP */
    unsigned timeout_ms;
    struct linebuf lb;
    size_t pos, len; /* unread bytes are buf[pos..len) */
    char where[300]; /* "127.0.0.1 port 20248", for messages */
    char buf[CONN_BUF];
};

/* What conn_open and conn_reaches_loopback return besides 0. */
enum conn_open_result {
    CONN_OPEN_FAILED = -1,       /* err says why */
    CONN_OPEN_NOT_LOOPBACK = -2, /* loopback_only, and host has no loopback address */
};

/* Resolves host (a name or an IPv4/IPv6 address) and connects to the first
 * address that answers within timeout_ms; with loopback_only, only to its
 * loopback addresses (common/plainpol.h: the password is about to go in
 * clear), the others never even tried. With tls, runs the TLS handshake
 * and checks the server's certificate (tlsclient.h: pinned to pin when it is
 * not "", its key's pin with pin_key, else the chain and the host name) before anything else is read or
 * sent. Returns 0, or a conn_open_result with a one-line message in err
 * (for CONN_OPEN_NOT_LOOPBACK, plainpol_refusal's). */
int conn_open(struct conn *c, const char *host, unsigned port, unsigned timeout_ms, int tls,
              const char *pin, int pin_key, int loopback_only, char *err, size_t errcap);

/* Before anything is asked or sent: 0 when host has a loopback address,
 * CONN_OPEN_NOT_LOOPBACK (with plainpol_refusal's line in err) when it has
 * none, CONN_OPEN_FAILED when it cannot be resolved (conn_open says so). */
int conn_reaches_loopback(const char *host, unsigned port, char *err, size_t errcap);

/* Reads one line; *line points into the connection (NUL-terminated, without
 * CR LF) until the next read. Returns CONN_OK or a negative conn_result. */
int conn_read_line(struct conn *c, const char **line, size_t *len);

/* Hands out at most max bytes that have arrived, waiting for some when none
 * have. Returns CONN_OK (with *n > 0) or a negative conn_result. */
int conn_read_data(struct conn *c, const char **data, size_t *n, uint64_t max);

int conn_send(struct conn *c, const char *buf, size_t len);

/* Closes politely: QUIT, FIN, a short wait for the server's side. */
void conn_quit(struct conn *c);
/* Closes at once. */
void conn_close(struct conn *c);

/* A message for a negative conn_result: "the server closed the connection",
 * "no answer within 30 s", "error 10054: An existing connection was ...". */
const char *conn_describe(const struct conn *c, int rc, char *buf, size_t cap);

#endif
