/* linebuf.c - the line framer (see linebuf.h). */
#include "linebuf.h"

#include <string.h>

void linebuf_init(struct linebuf *lb)
{
    lb->len = 0;
    lb->complete = 0;
    lb->discarding = 0;
    lb->data[0] = '\0';
}

int linebuf_has_partial(const struct linebuf *lb)
{
    return !lb->complete && (lb->len > 0 || lb->discarding);
}

int linebuf_feed(struct linebuf *lb, const char *buf, size_t len, size_t *consumed)
{
    const char *lf = memchr(buf, '\n', len);
    size_t chunk = lf ? (size_t)(lf - buf) : len;

    if (lb->complete) {
        lb->len = 0;
        lb->complete = 0;
    }
    *consumed = lf ? chunk + 1 : chunk;

    if (lb->discarding) {
        if (lf)
            lb->discarding = 0;
        return LINEBUF_MORE;
    }
    /* Room for LINEBUF_MAX bytes plus the CR that may end a CRLF line. */
    if (chunk > LINEBUF_MAX + 1 - lb->len) {
        lb->len = 0;
        lb->discarding = lf == NULL;
        return LINEBUF_TOO_LONG;
    }
    memcpy(lb->data + lb->len, buf, chunk);
    lb->len += chunk;
    if (!lf)
        return LINEBUF_MORE;

    if (lb->len > 0 && lb->data[lb->len - 1] == '\r')
        lb->len--;
    if (lb->len > LINEBUF_MAX) {
        lb->len = 0;
        return LINEBUF_TOO_LONG;
    }
    lb->data[lb->len] = '\0';
    lb->complete = 1;
    return LINEBUF_LINE;
}
