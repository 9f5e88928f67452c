/* numparse.c - strict decimal parsing (see numparse.h). */
#include "numparse.h"

#include "mts_error.h"

int numparse_u64(const char *buf, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t value = 0;

    if (len == 0)
        return MTS_ESYNTAX;
    for (size_t i = 0; i < len; i++) {
        unsigned digit = (unsigned)(unsigned char)buf[i] - '0';
        if (digit > 9)
            return MTS_ESYNTAX;
        if (digit > max || value > (max - digit) / 10) /* max - digit must not wrap */
            return MTS_ERANGE;
        value = value * 10 + digit;
    }
    *out = value;
    return 0;
}
