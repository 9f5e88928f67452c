/* acctwatch.h - the look at accounts.ini while the server runs.
 *
 * A thread of its own, started with a server that has an account store
 * path: every ACCTWATCH_INTERVAL_MS it compares the file's stamp (last
 * write and size) with the one last read, and when they differ (or when
 * poked: PARAMCHANGE) it reads the file again, once the stamp has held
 * still for ACCTWATCH_SETTLE_MS (an editor saving in place is not read
 * half-way). A table that parses is
 * swapped in (acctlive_swap: the sessions of removed, disabled or changed accounts
 * end); one that does not is logged, with its line, in the access log and
 * the Event Log, and the old table stays. A file that is gone means no
 * accounts. So a change takes effect within two intervals at most, well
 * within the 5 s ADMIN.md promises, with one GetFileAttributesExW a look.
 * At each look it also publishes the account sessions for `mtserver
 * status` (sessmap.h), when they changed and the service asked for it.
 * It ends when `stop` (the server's drain event) is set. */
#ifndef MTS_ACCTWATCH_H
#define MTS_ACCTWATCH_H

#include <windows.h>

#include "acctfile.h"
#include "acctlive.h"
#include "logsink.h"
#include "lookthread.h"
#include "sessmap.h"

#define ACCTWATCH_INTERVAL_MS 2000u
#define ACCTWATCH_SETTLE_MS 250u /* a changed stamp must hold this long */

struct acctwatch {
    const char *path; /* not owned: the host's */
    struct acctlive *live;
    struct logsink *log;
    struct sessmap *published;  /* NULL: the counts are not published (console mode) */
    int check_owner;            /* the service: owners checked at each read (confowner.h) */
    struct acctfile_stamp read; /* of the file last read; only the thread touches it */
    struct lookthread thread;   /* its thread NULL when not running */
};

/* Starts the thread; `read` is the stamp of what the start read. Returns
 * 0, or -1 with the last error set. */
int acctwatch_start(struct acctwatch *w, const char *path, const struct acctfile_stamp *read,
                    struct acctlive *live, struct sessmap *published, int check_owner,
                    struct logsink *log, HANDLE stop);

/* The line the start and each read log for the store read from path:
 * "accounts: PATH: N account(s)", ", M Windows section(s)" when it has
 * any, "; " and note when not NULL, and "; " and what iteration counts
 * differ when the store mixes them (it is served, and said so). */
void acctwatch_describe(const char *path, const struct accounts *table,
                        const struct winacct_table *windows, const char *note, char *line,
                        size_t cap);

/* Asks for a read now; does nothing when the thread is not running. */
void acctwatch_poke(struct acctwatch *w);

/* After `stop` is set: waits for the thread and frees what it used. */
void acctwatch_stop(struct acctwatch *w);

#endif
