/* hexfmt.h - bytes as upper-case hex digits, the way Windows shows
 * certificate thumbprints and fingerprints ("59FD58..."), and such digits
 * read back as people paste them. Pure functions. */
#ifndef MTS_HEXFMT_H
#define MTS_HEXFMT_H

#include <stddef.h>

/* The value of one hex digit (either case), or -1 for any other char. */
int hexfmt_digit(char c);

/* Writes 2 * n digits and a NUL to out (2 * n + 1 bytes). */
void hexfmt_upper(const unsigned char *b, size_t n, char *out);

/* Reads hex digits (either case) into out, two per byte, skipping what a
 * pasted thumbprint carries between them: blanks, tabs, colons and the
 * invisible left-to-right and right-to-left marks (U+200E, U+200F, in
 * UTF-8) that Windows' certificate dialog copies along. Returns how many
 * digits there were (bytes beyond n are not written, so 2 * n means the
 * text was exactly n bytes), or -1 when anything else is in text: then
 * it is no thumbprint at all (a file name, say). */
int hexfmt_parse_loose(const char *text, unsigned char *out, size_t n);

#endif
