/* listsend.h - writes a whole LIST reply (listing.h) from a folder read
 * through a source the caller provides: the order of work, kept apart from
 * Win32 so that the number of times the folder is read can be counted.
 *
 * Two enumerations, whatever the folder's size: the first counts the
 * entries that may be shown, for the head line; the second hands every
 * entry to a listsort, which puts them in name order in bounded memory
 * (spilling sorted runs to the caller's store). The entries then go out in
 * order, each whose destination is still to be checked (a nonzero tag)
 * checked just before it is sent. The end line counts the entry lines sent,
 * which differs from the head's count only when the folder changed
 * meanwhile.
 *
 * Pure: the source, the store and send do the I/O. */
#ifndef MTS_LISTSEND_H
#define MTS_LISTSEND_H

#include <stddef.h>
#include <stdint.h>

#include "listing.h"
#include "listsort.h"

/* What a pass's callback returns to end the pass early. */
#define LISTSEND_ABORT 1

struct listsend_source {
    /* One enumeration of the folder: fn(fn_arg, entry) for each entry that
     * may be shown; with check_links 0, entries whose destination is still
     * to be checked come with a nonzero tag instead. A nonzero return from
     * fn ends the pass. Returns 0; LISTSEND_UNREADABLE when the folder
     * could not be read; LISTSEND_STOPPED when the server is stopping;
     * LISTSEND_ABORTED when fn ended it. */
    int (*pass)(void *arg, int check_links, int (*fn)(void *fn_arg, const struct listing_entry *e),
                void *fn_arg);
    /* Whether a tagged entry's destination lies inside the root. */
    int (*stays_inside)(void *arg, const struct listing_entry *e);
    /* Whether the server is stopping; asked every LISTSEND_STOP_EVERY
     * entries sent, as the passes ask it themselves. */
    int (*stopping)(void *arg);
    void *arg;
};

enum listsend_result {
    LISTSEND_OK = 0,
    LISTSEND_UNREADABLE = -1, /* before anything was sent: answer with a '!' line */
    LISTSEND_BROKEN = -2,     /* part way: the stream is out of step, close it */
    LISTSEND_STOPPED = -3,    /* the server is stopping: close the connection */
    LISTSEND_ABORTED = -4     /* a pass's callback ended it (internal) */
};

#define LISTSEND_STOP_EVERY 256

/* Memory one LIST sorts in (listsort's arena), and what it holds at most. */
#define LISTSEND_SORT_MEMORY (8u << 20)

/* Writes the listing through send(send_arg, buf, len), which returns 0 when
 * the bytes went out, sorting in mem bytes with runs spilled to store.
 * *entries and *bytes tell how far it got; stats, when not NULL, what the
 * sort cost. Returns a listsend_result. */
int listsend_run(const struct listsend_source *src, const struct listsort_store *store, size_t mem,
                 int (*send)(void *send_arg, const char *buf, size_t len), void *send_arg,
                 uint64_t *entries, uint64_t *bytes, struct listsort_stats *stats);

#endif
