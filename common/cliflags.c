/* cliflags.c - the command-line words both programs share (see cliflags.h). */
#include "cliflags.h"

#include <stdio.h>
#include <string.h>

#include "mts_error.h"

int cliflags_take(const char *arg, int *help, int *version)
{
    if (strcmp(arg, "--help") == 0)
        *help = 1;
    else if (strcmp(arg, "--version") == 0)
        *version = 1;
    else
        return 0;
    return 1;
}

int cliflags_unknown(const char *arg, char *err, size_t errcap)
{
    snprintf(err, errcap, "unknown option '%s' (try --help)", arg);
    return MTS_EUNKNOWN;
}
