/* hexfmt.h - bytes as upper-case hex digits, the way Windows shows
 * certificate thumbprints and fingerprints ("59FD58..."). */
#ifndef MTS_HEXFMT_H
#define MTS_HEXFMT_H

#include <stddef.h>

/* Writes 2 * n digits and a NUL to out (2 * n + 1 bytes). */
void hexfmt_upper(const unsigned char *b, size_t n, char *out);

#endif
