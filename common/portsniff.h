/* portsniff.h - what the first bytes of a connection say about the port
 * the peer meant: TLS bytes on the plain port, plain text on the TLS port.
 *
 * A TLS connection opens with a handshake record: content type 22, then
 * the record version (major 3), then a two-byte length of at most 2^14
 * (RFC 8446 5.1; RFC 5246 6.2.1). mtserver's plain protocol is lines of
 * printable text, and its replies start with '#' or '!'. So a few bytes
 * tell them apart, and a wrong port can be answered at once instead of
 * holding a connection slot until a timeout. Pure functions over
 * (buf, len); no state. */
#ifndef MTS_PORTSNIFF_H
#define MTS_PORTSNIFF_H

#include <stddef.h>

#define PORTSNIFF_RECORD_MAX 16384u /* the largest TLS plaintext record */

enum portsniff_verdict {
    PORTSNIFF_MORE = 0,   /* too few bytes to tell yet */
    PORTSNIFF_TLS = 1,    /* a handshake record's header: for Schannel to judge */
    PORTSNIFF_TEXT = 2,   /* not TLS, and starts with printable text (a person
                             typing AUTH, an HTTP request) */
    PORTSNIFF_BINARY = 3, /* not TLS, and not text (an SSLv2 hello, noise) */
};

/* The TLS port's check of the first bytes a client sent (len may be 0).
 * TLS only when they can open a TLS handshake record; the verdict for a
 * prefix never changes when more bytes follow. */
enum portsniff_verdict portsniff_tls_record(const char *buf, size_t len);

/* The plain port's check: 1 when the first bytes are a TLS handshake
 * record's (22, then major version 3), 0 when they are not, -1 when fewer
 * than two bytes have come. */
int portsniff_client_hello(const char *buf, size_t len);

/* The client's check of what a server sent back to its ClientHello: 1 when
 * it starts as a plain mtserver reply ('#' or '!', never a TLS record's
 * first byte), 0 when not, -1 when nothing has come. */
int portsniff_plain_reply(const char *buf, size_t len);

/* In a plain port's answer to a ClientHello (REPLY_PLAIN_NOT_TLS_FMT or
 * REPLY_PLAIN_NO_TLS, among other lines), what it says of TLS: the TLS
 * port (1 to 65535), 0 when the server says it has none, -1 when no such
 * line is there (an older server, or the line has not come yet). */
long portsniff_tls_port_named(const char *buf, size_t len);

#endif
