/* accesslog.h - formats one access-log line per request.
 *
 * "2026-11-25T15:19:32.123Z [::1]:50123 FILE "docs\a b.txt" 1234 ok 3ms"
 * and, for a request that came over TLS,
 * " tls=TLSv1.2/TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" at the end.
 * Time is UTC; the path is quoted with '"', '%' and control bytes written as
 * %XX so that a line can always be split on spaces outside quotes. */
#ifndef MTS_ACCESSLOG_H
#define MTS_ACCESSLOG_H

#include <stddef.h>
#include <stdint.h>

#define ACCESSLOG_LINE_MAX (3 * 8192 + 256)

struct accesslog_time {
    int year, month, day, hour, minute, second, millisecond;
};

struct accesslog_entry {
    struct accesslog_time when;
    const char *peer;    /* "127.0.0.1:5000" or "[::1]:5000" */
    const char *command; /* "FILE", "AUTH", "CONNECT", ... */
    const char *path;    /* NULL when the request has none */
    size_t path_len;
    uint64_t bytes;      /* file bytes sent */
    const char *result;  /* one word: ok, denied, missing, aborted, ... */
    unsigned long ms;    /* time the request took */
    const char *tls;     /* NULL over plain TCP; else "TLSv1.2/TLS_...", as tls=... */
};

/* Writes the line with a trailing newline and returns its length, or 0 when
 * cap is too small. */
size_t accesslog_format(char *buf, size_t cap, const struct accesslog_entry *e);

/* A server life-cycle line ("mtserver started ...", "stats ...") with the
 * request lines' timestamp in front: "2026-11-25T15:19:32.123Z text\n".
 * Returns its length, or 0 when cap is too small. */
size_t accesslog_format_text(char *buf, size_t cap, const struct accesslog_time *when,
                             const char *text);

#endif
