/* utf8.h - strict UTF-8 validation for bytes that arrive from the network. */
#ifndef MTS_UTF8_H
#define MTS_UTF8_H

#include <stddef.h>

/* Returns 1 when buf[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF), else 0. NUL bytes are valid UTF-8: callers that
 * forbid them check separately. */
int utf8_is_valid(const char *buf, size_t len);

#endif
