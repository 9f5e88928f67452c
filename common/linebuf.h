/* linebuf.h - the line framer: turns a TCP byte stream into protocol lines.
 *
 * Framing does not depend on how TCP cut the stream: a line may arrive a byte
 * at a time or several lines in one segment. A line ends at LF; one CR before
 * the LF is dropped. A line longer than LINEBUF_MAX is reported once, as soon
 * as it is seen to be too long, and the rest of it is discarded.
 * One linebuf belongs to one session and is used by one thread. */
#ifndef MTS_LINEBUF_H
#define MTS_LINEBUF_H

#include <stddef.h>

#define LINEBUF_MAX 8192 /* longest line accepted, CR and LF not counted */

enum linebuf_status {
    LINEBUF_MORE = 0,     /* need more bytes */
    LINEBUF_LINE = 1,     /* a whole line is in data[0..len), NUL-terminated */
    LINEBUF_TOO_LONG = 2, /* the current line went past LINEBUF_MAX */
};

struct linebuf {
    size_t len;
    int complete;    /* data holds a finished line; the next feed starts afresh */
    int discarding;  /* skipping the rest of an over-long line */
    char data[LINEBUF_MAX + 2]; /* the line, a CR that may precede LF, and NUL */
};

void linebuf_init(struct linebuf *lb);

/* Consumes bytes from buf[0..len) up to and including at most one LF and
 * stores how many in *consumed. Returns a linebuf_status. */
int linebuf_feed(struct linebuf *lb, const char *buf, size_t len, size_t *consumed);

/* 1 when part of a line has arrived and its end has not. */
int linebuf_has_partial(const struct linebuf *lb);

#endif
