/* cliflags.h - what mtserver's and mtsclient's command lines have in common:
 * the words --help and --version, and how an unknown option is refused.
 * Pure functions over the argument text; any thread may call them. */
#ifndef MTS_CLIFLAGS_H
#define MTS_CLIFLAGS_H

#include <stddef.h>

/* Sets *help or *version when arg is "--help" or "--version" and returns 1;
 * returns 0 for any other word. */
int cliflags_take(const char *arg, int *help, int *version);

/* Writes "unknown option 'ARG' (try --help)" to err; returns MTS_EUNKNOWN. */
int cliflags_unknown(const char *arg, char *err, size_t errcap);

#endif
