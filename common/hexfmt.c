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
