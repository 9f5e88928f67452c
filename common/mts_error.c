/* mts_error.c - texts for the core's error codes. */
#include "mts_error.h"

const char *mts_strerror(int code)
{
    switch (code) {
    case MTS_OK:
        return "success";
#define MTS_ERROR_CASE(name, num, text)                                                            \
    case MTS_##name:                                                                               \
        return text;
        MTS_ERRNO_MAP(MTS_ERROR_CASE)
#undef MTS_ERROR_CASE
    }
    return "unknown error";
}
