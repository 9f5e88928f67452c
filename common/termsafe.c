/* termsafe.c - text made safe to show on a terminal (see termsafe.h). */
#include "termsafe.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4) and its code point, or 0
 * when the bytes there are not UTF-8 (overlong forms and surrogates too). */
static size_t decode(const unsigned char *s, size_t len, unsigned long *cp)
{
    size_t n;
    unsigned long c, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2, c = s[0] & 0x1fu, min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3, c = s[0] & 0x0fu, min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4, c = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3fu);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

static int is_hidden(unsigned long c)
{
    return (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c ||
           c == 0x2028 || c == 0x2029;
}

size_t termsafe_escape(const char *in, size_t len, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t at = 0, used = 0;

    if (cap == 0)
        return 0;
    while (at < len) {
        unsigned long c = 0;
        size_t n = decode(s + at, len - at, &c);
        char piece[8];
        size_t plen;

        if (n == 0) {
            snprintf(piece, sizeof piece, "\\x%02x", (unsigned)s[at]);
            n = 1;
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            snprintf(piece, sizeof piece, "\\x%02x", (unsigned)(c & 0xffu));
        } else if (is_hidden(c)) {
            snprintf(piece, sizeof piece, "\\u%04x", (unsigned)(c & 0xffffu));
        } else {
            memcpy(piece, in + at, n);
            piece[n] = '\0';
        }
        plen = strlen(piece);
        if (used + plen + 1 > cap)
            break;
        memcpy(out + used, piece, plen);
        used += plen;
        at += n;
    }
    out[used] = '\0';
    return used;
}
