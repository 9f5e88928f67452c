/* accesslog.c - access-log line formatting (see accesslog.h). */
#include "accesslog.h"

#include <stdio.h>

static size_t quote_path(char *buf, size_t cap, const char *path, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t used = 0;

    if (cap < 3)
        return 0;
    buf[used++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '%') {
            if (used + 3 >= cap)
                return 0;
            buf[used++] = '%';
            buf[used++] = hex[c >> 4];
            buf[used++] = hex[c & 15];
        } else {
            if (used + 1 >= cap)
                return 0;
            buf[used++] = (char)c;
        }
    }
    if (used + 2 > cap)
        return 0;
    buf[used++] = '"';
    buf[used] = '\0';
    return used;
}

/* "2026-11-25T15:19:32.123Z " then rest; the length, or 0 when it does not fit. */
static size_t stamp(char *buf, size_t cap, const struct accesslog_time *t, const char *rest)
{
    int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %s", t->year, t->month,
                     t->day, t->hour, t->minute, t->second, t->millisecond, rest);

    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t accesslog_format_text(char *buf, size_t cap, const struct accesslog_time *when,
                             const char *text)
{
    size_t used = stamp(buf, cap, when, text);

    if (used == 0 || used + 2 > cap)
        return 0;
    buf[used++] = '\n';
    buf[used] = '\0';
    return used;
}

size_t accesslog_format(char *buf, size_t cap, const struct accesslog_entry *e)
{
    size_t used = stamp(buf, cap, &e->when, "");
    int n;

    if (used == 0)
        return 0;
    n = snprintf(buf + used, cap - used, "%s %s ", e->peer, e->command);
    if (n < 0 || (size_t)n >= cap - used)
        return 0;
    used += (size_t)n;
    if (e->path == NULL) {
        if (used + 2 > cap)
            return 0;
        buf[used++] = '-';
    } else {
        size_t q = quote_path(buf + used, cap - used, e->path, e->path_len);
        if (q == 0)
            return 0;
        used += q;
    }
    n = snprintf(buf + used, cap - used, " %llu %s %lums%s%s\n", (unsigned long long)e->bytes,
                 e->result, e->ms, e->tls != NULL ? " tls=" : "", e->tls != NULL ? e->tls : "");
    if (n < 0 || (size_t)n >= cap - used)
        return 0;
    return used + (size_t)n;
}
