/* ctcmp.c - constant-time comparison (see ctcmp.h). */
#include "ctcmp.h"

int ctcmp_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    const volatile unsigned char *pa = a, *pb = b;
    size_t n = alen > blen ? alen : blen;
    unsigned diff = alen != blen;

    /* Walk the longer length every time; a shorter side reads its own bytes again. */
    for (size_t i = 0; i < n; i++) {
        unsigned char x = alen ? pa[i % alen] : 0, y = blen ? pb[i % blen] : 0;
        diff |= (unsigned)(x ^ y);
    }
    return diff == 0;
}
