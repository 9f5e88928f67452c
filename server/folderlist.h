/* folderlist.h - reads a folder under the root for LIST.
 *
 * A thin Win32 shell around common/listing.h: it opens the folder through
 * rootfs (the same two gates as FILE), then walks it through the open handle
 * (GetFileInformationByHandleEx, FileIdBothDirectoryInfo) as often as the
 * caller asks, handing each entry that may be shown to a callback. Left out:
 * "." and "..", names that are not valid UTF-16, hidden and system entries
 * unless show_hidden, and links or junctions that lead outside the root (or
 * nowhere). Each pass restarts the enumeration, so the caller can count
 * first and then select entries in name order, batch by batch, in bounded
 * memory whatever order the file system returns them in (listing.h).
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
 * are handed out with a nonzero tag instead of being checked. Returns 0, or
 * -1 when the folder could not be read. */
int folderlist_pass(struct folderlist *f, int check_links,
                    void (*fn)(void *arg, const struct listing_entry *e), void *arg);

/* Entries one selection pass keeps (listing_batch): the memory a LIST
 * holds is about this times sizeof(struct listing_slot), some 800 KB. */
#define FOLDERLIST_BATCH 1024

/* Writes the whole listing (listing.h) through send(arg, buf, len), which
 * returns 0 when the bytes went out: one pass to count for the head line,
 * then passes of FOLDERLIST_BATCH entries in name order. The end line counts
 * the entry lines actually sent, which differs from the head's count only
 * when the folder changed meanwhile. *entries and *bytes tell how far it
 * got. Returns 0; -1 when the folder could not be read before anything was
 * sent (the caller answers with a '!' line); -2 when reading or sending
 * failed part way (the stream is out of step: close it). */
int folderlist_send(struct folderlist *f, int (*send)(void *arg, const char *buf, size_t len),
                    void *arg, uint64_t *entries, uint64_t *bytes);

void folderlist_close(struct folderlist *f);

#endif
