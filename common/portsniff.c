/* portsniff.c - the first bytes of a connection (see portsniff.h). */
#include "portsniff.h"

#include <stdint.h>
#include <string.h>

#include "numparse.h"
#include "reply.h"

#define TLS_HANDSHAKE 22
#define TLS_MAJOR 3

static int printable(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

enum portsniff_verdict portsniff_tls_record(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t body;

    /* Each byte is judged as soon as it comes: a person typing "AUTH" is
     * answered at the first letter, not after five. */
    if (len >= 1 && p[0] != TLS_HANDSHAKE)
        return printable(p[0]) ? PORTSNIFF_TEXT : PORTSNIFF_BINARY;
    if (len >= 2 && p[1] != TLS_MAJOR)
        return PORTSNIFF_BINARY;
    if (len < 5)
        return PORTSNIFF_MORE;
    /* An empty handshake record carries no message; one over 2^14 is one
     * no TLS peer may send. The minor version is left to Schannel, which
     * refuses the versions it does not take with an alert the client can
     * read (SSL 3.0's 3.0 included). */
    body = (size_t)p[3] << 8 | p[4];
    return body >= 1 && body <= PORTSNIFF_RECORD_MAX ? PORTSNIFF_TLS : PORTSNIFF_BINARY;
}

int portsniff_client_hello(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;

    if (len >= 1 && p[0] != TLS_HANDSHAKE)
        return 0;
    if (len < 2)
        return -1;
    return p[1] == TLS_MAJOR;
}

int portsniff_plain_reply(const char *buf, size_t len)
{
    if (len == 0)
        return -1;
    return buf[0] == '#' || buf[0] == '!';
}

/* The port in a line that starts with REPLY_PLAIN_NOT_TLS_HEAD, or -1. */
static long port_in_line(const char *line, size_t len)
{
    size_t head = sizeof REPLY_PLAIN_NOT_TLS_HEAD - 1, digits = 0;
    uint64_t port;

    if (len < head || memcmp(line, REPLY_PLAIN_NOT_TLS_HEAD, head) != 0)
        return -1;
    while (head + digits < len && line[head + digits] >= '0' && line[head + digits] <= '9')
        digits++;
    if (digits == 0 || numparse_u64(line + head, digits, 65535, &port) != 0 || port == 0)
        return -1;
    return (long)port;
}

long portsniff_tls_port_named(const char *buf, size_t len)
{
    size_t at = 0;

    while (at < len) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t line_len = nl != NULL ? (size_t)(nl - (buf + at)) + 1 : len - at;
        long port;
        /* Only whole lines: a line cut short might lose digits. */
        if (nl == NULL)
            break;
        port = port_in_line(buf + at, line_len);
        if (port > 0)
            return port;
        if (line_len == sizeof REPLY_PLAIN_NO_TLS - 1 &&
            memcmp(buf + at, REPLY_PLAIN_NO_TLS, line_len) == 0)
            return 0;
        at += line_len;
    }
    return -1;
}
