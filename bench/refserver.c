/* refserver.c - the native reference server: what this Linux host can do.
 *
 * It speaks the session shape mtserver speaks (refcore.c: greeting, AUTH,
 * FILE and GET with the "#File ... sent successfully." trailer, QUIT) with
 * the fastest plain means Linux offers: one thread per connection,
 * TCP_NODELAY, and sendfile(2) straight from the page cache to the socket.
 * This file is only that plain transport; tls/osslref.c is the same server
 * over OpenSSL.
 *
 * Usage: refserver ROOT PASSWORD [PORT]   (PORT 0 or absent: any free port)
 * Prints "listening on 127.0.0.1:PORT" once ready, and serves until killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include "refcore.h"

static long plain_recv(struct refconn *c, char *p, size_t n)
{
    for (;;) {
        ssize_t k = recv(c->sock, p, n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        return (long)k;
    }
}

static int plain_send(struct refconn *c, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(c->sock, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int plain_send_file(struct refconn *c, int fd, off_t size)
{
    off_t off = 0;

    while (off < size) {
        ssize_t k = sendfile(c->sock, fd, &off, (size_t)(size - off));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct reftransport plain = {NULL, plain_recv, plain_send, plain_send_file, NULL};

    if (argc < 3) {
        fprintf(stderr, "usage: refserver ROOT PASSWORD [PORT]\n");
        return 2;
    }
    return refcore_serve(argv[1], argv[2], argc > 3 ? (unsigned)atoi(argv[3]) : 0, &plain);
}
