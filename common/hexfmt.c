/* hexfmt.c - see hexfmt.h. */
#include "hexfmt.h"

void hexfmt_upper(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

int hexfmt_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hexfmt_parse_loose(const char *text, unsigned char *out, size_t n)
{
    size_t digits = 0;

    for (const char *p = text; *p != '\0'; p++) {
        int v = hexfmt_digit(*p);
        if (v < 0) {
            /* U+200E and U+200F are E2 80 8E and E2 80 8F in UTF-8. */
            if (p[0] == '\xE2' && p[1] == '\x80' && (p[2] == '\x8E' || p[2] == '\x8F'))
                p += 2;
            else if (*p != ' ' && *p != '\t' && *p != ':')
                return -1;
            continue;
        }
        if (digits / 2 < n) {
            if (digits % 2 == 0)
                out[digits / 2] = (unsigned char)(v << 4);
            else
                out[digits / 2] |= (unsigned char)v;
        }
        if (digits == (size_t)0x7fffffff)
            return -1; /* no thumbprint is that long; keep the count an int */
        digits++;
    }
    return (int)digits;
}
