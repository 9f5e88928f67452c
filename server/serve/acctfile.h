/* acctfile.h - accounts.ini, read from disk into an account table.
 *
 * The store (common/accounts.h) is a file of its own beside the
 * configuration file. Reading it is one pass: the whole file, then
 * accounts_parse for its [account] sections and winacct_parse for its
 * [windows] and [windows-group] ones (common/winacct.h); a stamp (last-write time and size, from the same open
 * handle) lets the watch (acctwatch.c) tell a changed file from an
 * unchanged one without reading it. Called from one thread at a time: the
 * host at start, then the watch thread. */
#ifndef MTS_ACCTFILE_H
#define MTS_ACCTFILE_H

#include <stddef.h>
#include <stdint.h>

#include "accounts.h"
#include "winacct.h"

struct acctfile_stamp {
    int exists;
    uint64_t written; /* FILETIME of the last write */
    uint64_t size;
};

enum acctfile_result {
    ACCTFILE_OK = 0,     /* *table holds the accounts */
    ACCTFILE_ABSENT = 1, /* there is no file: no accounts (*table NULL) */
    ACCTFILE_BAD = -1,   /* unreadable or does not parse: err says where */
};

/* The file's stamp now (exists 0 when it is not there). */
void acctfile_stamp(const char *path, struct acctfile_stamp *st);

/* Reads and parses the store at path (UTF-8): its accounts into *table,
 * its Windows accounts' sections into *windows (both NULL unless
 * ACCTFILE_OK; a file whose either part does not parse is bad as a whole).
 * On ACCTFILE_BAD err holds "PATH: line N: problem" or "cannot read PATH:
 * error N: text". *st is the stamp of what was read (or found missing). */
enum acctfile_result acctfile_read(const char *path, struct accounts **table,
                                   struct winacct_table **windows, struct acctfile_stamp *st,
                                   char *err, size_t errcap);

/* 1 when the two stamps tell the same file content apart from nothing. */
int acctfile_same(const struct acctfile_stamp *a, const struct acctfile_stamp *b);

#endif
