/* folderlist.h - reads a folder under the root for LIST.
 *
 * A thin Win32 shell around common/listing.h: it opens the folder through
 * rootfs (the same two gates as FILE), then walks it through the open handle
 * (GetFileInformationByHandleEx, FileIdBothDirectoryInfo) as often as the
 * caller asks, handing each entry that may be shown to a callback. Left out:
 * "." and "..", names that are not valid UTF-16, hidden and system entries
 * unless show_hidden, and links or junctions that lead outside the root (or
 * nowhere). Each pass restarts the enumeration; a LIST makes two, and
 * sorts in bounded memory with a temporary file (common/listsend.h).
 * One folderlist belongs to one thread. */
#ifndef MTS_FOLDERLIST_H
#define MTS_FOLDERLIST_H

#include <stddef.h>

#include "listing.h"
#include "rootfs.h"

struct folderlist;

/* A rootfs_result; on ROOTFS_OK *out is set and the caller closes it. */
int folderlist_open(const struct rootfs *r, const char *path, size_t len, int show_hidden,
                    struct folderlist **out);

/* One pass over the folder: fn(arg, entry) for each entry shown; the entry
 * and its name are valid during the call only. With check_links 0, entries
 * whose destination is still to be checked (links; under Wine, every entry)
 * are handed out with a nonzero tag instead of being checked. Returns 0;
 * LISTSEND_UNREADABLE when the folder could not be read; LISTSEND_STOPPED
 * when a stop event (folderlist_send) was set; LISTSEND_ABORTED when fn
 * returned nonzero. */
int folderlist_pass(struct folderlist *f, int check_links,
                    int (*fn)(void *arg, const struct listing_entry *e), void *arg);

/* Writes the whole listing (listing.h) through send(arg, buf, len), which
 * returns 0 when the bytes went out: two passes whatever the folder's size,
 * sorting in LISTSEND_SORT_MEMORY bytes with a temporary file of sorted runs
 * (listsend.h). Any of the nstops events set ends it within one buffer of
 * entries. *entries and *bytes tell how far it got. Returns a
 * listsend_result: LISTSEND_UNREADABLE before anything was sent (the caller
 * answers with a '!' line), LISTSEND_BROKEN when sending failed part way,
 * LISTSEND_STOPPED (close the connection). */
int folderlist_send(struct folderlist *f, const HANDLE *stops, unsigned nstops,
                    int (*send)(void *arg, const char *buf, size_t len), void *arg,
                    uint64_t *entries, uint64_t *bytes);

void folderlist_close(struct folderlist *f);

#endif
