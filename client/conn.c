/* conn.c - the client's connection (see conn.h). */
#include "conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>

#include "clientopts.h"
#include "plainpol.h"
#include "request.h"
#include "winerr.h"
#include "wstr.h"

#define QUIT_LINGER_MS 500

static int fail(char *err, size_t errcap, const char *what, const char *where, unsigned long code)
{
    char why[300];

    snprintf(err, errcap, "%s %s: %s", what, where, winerr_text(code, why, sizeof why));
    return -1;
}

/* A connect that gives up after timeout_ms: WSAEventSelect makes the socket
 * non-blocking and signals an event when the connect has an outcome. */
static int connect_one(const ADDRINFOW *ai, unsigned timeout_ms, SOCKET *out,
                       unsigned long *code)
{
    SOCKET s = WSASocketW(ai->ai_family, ai->ai_socktype, ai->ai_protocol, NULL, 0,
                          WSA_FLAG_OVERLAPPED);
    HANDLE ev = NULL;
    WSANETWORKEVENTS ne;
    u_long nonblocking = 0;
    int ok = 0;

    *code = 0;
    if (s == INVALID_SOCKET) {
        *code = (unsigned long)WSAGetLastError();
        return -1;
    }
    ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (ev == NULL) {
        *code = GetLastError();
        goto out;
    }
    if (WSAEventSelect(s, ev, FD_CONNECT) != 0 ||
        (connect(s, ai->ai_addr, (int)ai->ai_addrlen) != 0 &&
         winerr_kind((unsigned long)WSAGetLastError()) != WINERR_WOULD_BLOCK)) {
        *code = (unsigned long)WSAGetLastError();
        goto out;
    }
    if (WaitForSingleObject(ev, timeout_ms) != WAIT_OBJECT_0) {
        *code = WSAETIMEDOUT;
        goto out;
    }
    if (WSAEnumNetworkEvents(s, ev, &ne) != 0) {
        *code = (unsigned long)WSAGetLastError();
        goto out;
    }
    if (!(ne.lNetworkEvents & FD_CONNECT) || ne.iErrorCode[FD_CONNECT_BIT] != 0) {
        *code = ne.iErrorCode[FD_CONNECT_BIT] != 0 ? (unsigned long)ne.iErrorCode[FD_CONNECT_BIT]
                                                   : WSAECONNREFUSED;
        goto out;
    }
    /* Back to blocking: the reads and writes from here on are overlapped. */
    if (WSAEventSelect(s, NULL, 0) != 0 || ioctlsocket(s, FIONBIO, &nonblocking) != 0) {
        *code = (unsigned long)WSAGetLastError();
        goto out;
    }
    ok = 1;
out:
    if (ev != NULL)
        CloseHandle(ev);
    if (!ok) {
        closesocket(s);
        return -1;
    }
    *out = s;
    return 0;
}

/* Every address of host, for a TCP connection to port. */
static int resolve(const char *host, unsigned port, ADDRINFOW **found, char *err, size_t errcap)
{
    ADDRINFOW hints;
    wchar_t *whost = wstr_from_utf8(host, strlen(host));
    wchar_t wport[8];
    int rc;

    *found = NULL;
    if (whost == NULL) {
        snprintf(err, errcap, "cannot use the host name '%s'", host);
        return -1;
    }
    swprintf(wport, sizeof wport / sizeof wport[0], L"%u", port);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    rc = GetAddrInfoW(whost, wport, &hints, found);
    free(whost);
    if (rc != 0)
        return fail(err, errcap, "cannot find the server", host, (unsigned long)rc);
    return 0;
}

/* Whether the address never leaves the machine (plainpol's rule). */
static int is_loopback(const ADDRINFOW *ai)
{
    if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in))
        return plainpol_is_loopback(
            (const unsigned char *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
    if (ai->ai_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6))
        return plainpol_is_loopback(
            ((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr.s6_addr, 16);
    return 0;
}

static int not_loopback(const char *host, char *err, size_t errcap)
{
    plainpol_refusal(err, errcap, host, CLIENTOPTS_DEFAULT_TLS_PORT);
    return CONN_OPEN_NOT_LOOPBACK;
}

int conn_reaches_loopback(const char *host, unsigned port, char *err, size_t errcap)
{
    ADDRINFOW *found;
    int any = 0;

    if (resolve(host, port, &found, err, errcap) != 0)
        return CONN_OPEN_FAILED;
    for (const ADDRINFOW *ai = found; ai != NULL && !any; ai = ai->ai_next)
        any = is_loopback(ai);
    FreeAddrInfoW(found);
    return any ? 0 : not_loopback(host, err, errcap);
}

int conn_open(struct conn *c, const char *host, unsigned port, unsigned timeout_ms, int tls,
              const char *pin, int pin_key, int loopback_only, char *err, size_t errcap)
{
    ADDRINFOW *found = NULL;
    SOCKET s = INVALID_SOCKET;
    unsigned long code = 0;
    BOOL nodelay = TRUE;
    int tried = 0;

    memset(c, 0, sizeof *c);
    c->io.sock = INVALID_SOCKET;
    c->timeout_ms = timeout_ms;
    linebuf_init(&c->lb);
    snprintf(c->where, sizeof c->where, "%s port %u", host, port);
    if (resolve(host, port, &found, err, errcap) != 0)
        return CONN_OPEN_FAILED;
    /* Try every address the name has, as a browser would: a name may have an
     * IPv6 address that is not served and an IPv4 one that is. When the
     * password will go in clear, an address off the machine is not tried:
     * the decision is made on the addresses connected to, not on the name,
     * so a name that also resolves elsewhere cannot carry it off. */
    for (const ADDRINFOW *ai = found; ai != NULL && s == INVALID_SOCKET; ai = ai->ai_next) {
        if (loopback_only && !is_loopback(ai))
            continue;
        tried++;
        connect_one(ai, timeout_ms, &s, &code);
    }
    FreeAddrInfoW(found);
    if (tried == 0 && loopback_only)
        return not_loopback(host, err, errcap);
    if (s == INVALID_SOCKET)
        return fail(err, errcap, "cannot connect to", c->where, code);
    if (sockio_init(&c->io, s, NULL, NULL) != 0) {
        closesocket(s);
        c->io.sock = INVALID_SOCKET;
        return fail(err, errcap, "cannot set up the connection to", c->where, GetLastError());
    }
    /* Requests are small and each one is awaited; Nagle would hold them back. */
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof nodelay);
    if (tls) {
        char why[400];
        c->tls = tlsclient_open(&c->io, host, pin, pin_key, timeout_ms, why, sizeof why);
        if (c->tls == NULL) {
            snprintf(err, errcap, "%s: %s", c->where, why);
            sockio_close(&c->io);
            return -1;
        }
    }
    return 0;
}

static int fill(struct conn *c)
{
    int n;

    c->pos = c->len = 0;
    n = c->tls != NULL ? tlsclient_recv(c->tls, &c->io, c->buf, sizeof c->buf, c->timeout_ms)
                       : sockio_recv(&c->io, c->buf, (int)sizeof c->buf, c->timeout_ms);
    if (n > 0) {
        c->len = (size_t)n;
        return CONN_OK;
    }
    switch (n) {
    case SOCKIO_CLOSED: return CONN_CLOSED;
    case SOCKIO_TIMEOUT: return CONN_TIMEOUT;
    default: return CONN_ERROR;
    }
}

int conn_read_line(struct conn *c, const char **line, size_t *len)
{
    for (;;) {
        size_t used = 0;
        int st, rc;

        if (c->pos == c->len && (rc = fill(c)) != CONN_OK)
            return rc;
        st = linebuf_feed(&c->lb, c->buf + c->pos, c->len - c->pos, &used);
        c->pos += used;
        if (st == LINEBUF_LINE) {
            *line = c->lb.data;
            *len = c->lb.len;
            return CONN_OK;
        }
        if (st == LINEBUF_TOO_LONG)
            return CONN_TOO_LONG;
    }
}

int conn_read_data(struct conn *c, const char **data, size_t *n, uint64_t max)
{
    size_t have;
    int rc;

    if (c->pos == c->len && (rc = fill(c)) != CONN_OK)
        return rc;
    have = c->len - c->pos;
    if ((uint64_t)have > max)
        have = (size_t)max;
    *data = c->buf + c->pos;
    *n = have;
    c->pos += have;
    return CONN_OK;
}

int conn_send(struct conn *c, const char *buf, size_t len)
{
    int rc = c->tls != NULL ? tlsclient_send(c->tls, &c->io, buf, len, c->timeout_ms)
                            : sockio_send_all(&c->io, buf, len, c->timeout_ms);

    if (rc == 0)
        return CONN_OK;
    return rc == SOCKIO_TIMEOUT ? CONN_TIMEOUT : CONN_ERROR;
}

void conn_quit(struct conn *c)
{
    char line[8];
    size_t len = request_format(CMD_QUIT, NULL, 0, line, sizeof line);

    if (c->io.sock == INVALID_SOCKET)
        return;
    if (conn_send(c, line, len) == CONN_OK)
        sockio_close_gracefully(&c->io, QUIT_LINGER_MS);
    else
        sockio_close(&c->io);
    tlsclient_free(c->tls);
    c->tls = NULL;
}

void conn_close(struct conn *c)
{
    if (c->io.sock != INVALID_SOCKET || c->io.ov.hEvent != NULL)
        sockio_close(&c->io);
    tlsclient_free(c->tls);
    c->tls = NULL;
}

const char *conn_describe(const struct conn *c, int rc, char *buf, size_t cap)
{
    switch (rc) {
    case CONN_CLOSED:
        snprintf(buf, cap, "the server closed the connection");
        break;
    case CONN_TIMEOUT:
        snprintf(buf, cap, "no answer from the server within %u s", c->timeout_ms / 1000);
        break;
    case CONN_TOO_LONG:
        snprintf(buf, cap, "the server sent a line longer than %u bytes", LINEBUF_MAX);
        break;
    default:
        winerr_text(c->io.last_error, buf, cap);
        break;
    }
    return buf;
}
