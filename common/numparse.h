/* numparse.h - strict decimal parsing for options, config values and REST. */
#ifndef MTS_NUMPARSE_H
#define MTS_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses buf[0..len) as a plain decimal number (digits only, no sign, no
 * spaces) no greater than max. Returns 0, MTS_ESYNTAX or MTS_ERANGE. */
int numparse_u64(const char *buf, size_t len, uint64_t max, uint64_t *out);

#endif
