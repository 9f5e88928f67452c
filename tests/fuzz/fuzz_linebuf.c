/* fuzz_linebuf.c - the line framer over any bytes, cut anywhere.
 *
 * The first byte picks the piece size, so the same stream is framed from
 * pieces of 1 to 256 bytes. Invariants: each call makes progress, a line
 * never holds LF and never exceeds LINEBUF_MAX, the buffer is
 * NUL-terminated after a line, and the framing equals that of a reference
 * framer that sees the whole stream at once. */
#include <string.h>

#include "fuzz.h"
#include "linebuf.h"

static struct linebuf lb;

/* Reference: splits at LF, drops one CR before it, marks lines over the
 * limit. Returns 1 and the line's start and length, or 0 when no LF is left. */
static int reference(const uint8_t *data, size_t size, size_t *pos, int *too_long, size_t *start,
                     size_t *len)
{
    const uint8_t *lf = memchr(data + *pos, '\n', size - *pos);
    size_t n;

    if (lf == NULL)
        return 0;
    *start = *pos;
    n = (size_t)(lf - (data + *pos));
    *pos += n + 1;
    if (n > 0 && data[*start + n - 1] == '\r')
        n--;
    *too_long = n > LINEBUF_MAX;
    *len = n;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t step, pos = 1, ref_pos = 1;

    if (size < 1)
        return 0;
    step = (size_t)data[0] + 1;
    linebuf_init(&lb);
    while (pos < size) {
        size_t piece = size - pos < step ? size - pos : step, off = 0;
        while (off < piece) {
            size_t consumed = 0, ref_len = 0, ref_start = 0;
            int ref_too_long = 0;
            int st = linebuf_feed(&lb, (const char *)data + pos + off, piece - off, &consumed);

            FUZZ_CHECK(consumed > 0 && consumed <= piece - off);
            FUZZ_CHECK(lb.len <= LINEBUF_MAX + 1);
            off += consumed;
            if (st == LINEBUF_MORE)
                continue;
            /* A line or an over-long line: the reference must agree. An
             * over-long line is reported when first seen, before its LF. */
            if (st == LINEBUF_LINE) {
                FUZZ_CHECK(reference(data, size, &ref_pos, &ref_too_long, &ref_start, &ref_len));
                FUZZ_CHECK(!ref_too_long && ref_len == lb.len);
                FUZZ_CHECK(lb.data[lb.len] == '\0');
                FUZZ_CHECK(memchr(lb.data, '\n', lb.len) == NULL);
                FUZZ_CHECK(memcmp(lb.data, data + ref_start, lb.len) == 0);
            } else {
                FUZZ_CHECK(st == LINEBUF_TOO_LONG);
                if (reference(data, size, &ref_pos, &ref_too_long, &ref_start, &ref_len))
                    FUZZ_CHECK(ref_too_long);
                else
                    ref_pos = size; /* the over-long line never ended */
            }
        }
        pos += piece;
    }
    return 0;
}
