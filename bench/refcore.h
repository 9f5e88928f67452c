/* refcore.h - what the two native reference servers share: the listener,
 * one thread per connection, and the protocol (greeting, AUTH, FILE, GET,
 * QUIT). How bytes move is a transport: refserver.c's is plain sockets with
 * sendfile(2), tls/osslref.c's is OpenSSL. Yardsticks for bench/, not
 * products: no timeouts, no logging, no REST.
 *
 * Threads: the caller's thread accepts; each connection's thread owns its
 * struct refconn and calls the transport for it only. The transport's own
 * shared state (an SSL_CTX) must be safe to use from many threads. */
#ifndef REFCORE_H
#define REFCORE_H

#include <stddef.h>
#include <sys/types.h>

#define REFCORE_LINE_MAX 8192

struct refconn {
    int sock;
    void *tls; /* the transport's per-connection state, NULL for plain */
    size_t have;
    char in[REFCORE_LINE_MAX + 2];
};

struct reftransport {
    /* On the connection's thread before the greeting (the TLS handshake);
     * 0 to go on, -1 to close. May be NULL. */
    int (*start)(struct refconn *c);
    /* Up to n bytes: the count, or <= 0 when closed or failed. */
    long (*recv)(struct refconn *c, char *p, size_t n);
    /* All n bytes: 0, or -1 when the connection failed. */
    int (*send)(struct refconn *c, const char *p, size_t n);
    /* size bytes of the open file fd from its start: 0 or -1. */
    int (*send_file)(struct refconn *c, int fd, off_t size);
    /* Before the socket is closed (close_notify). May be NULL. */
    void (*end)(struct refconn *c);
};

/* Serves ROOT with PASSWORD on 127.0.0.1:PORT (0: any free port) until
 * killed; prints "listening on 127.0.0.1:PORT" once ready. Returns only
 * when it cannot start: 1. */
int refcore_serve(const char *root, const char *password, unsigned port,
                  const struct reftransport *transport);

#endif
