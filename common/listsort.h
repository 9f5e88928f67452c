/* listsort.h - puts a folder's entries in listing order (listing.h) after
 * one enumeration, in bounded memory: an external merge sort.
 *
 * Entries are added in whatever order the file system gives them. They are
 * packed into one arena of a fixed size; when it is full, its entries are
 * sorted and written out as a run through the caller's store (a temporary
 * file on the server, memory in the tests). At the end the runs are merged,
 * and entries come back in ascending name order (listing_name_cmp), a name
 * added twice given once. A folder that fits the arena never touches the
 * store.
 *
 * Why: selecting the next batch of the smallest names by re-reading the
 * folder (listing_batch) costs one enumeration per batch, so the square of
 * the folder's size in all; this costs one enumeration whatever the size.
 *
 * Memory: the arena (mem bytes) while adding; while merging, the same
 * number of bytes split between the runs' read buffers, but never less than
 * LISTSORT_RECORD_MAX per run (so past mem / LISTSORT_RECORD_MAX runs, some
 * 10,000 runs for 8 MiB, or a billion entries, it grows by that per run).
 *
 * Pure: no I/O but through the store; one listsort belongs to one thread. */
#ifndef MTS_LISTSORT_H
#define MTS_LISTSORT_H

#include <stddef.h>
#include <stdint.h>

#include "listing.h"

/* An entry's packed header: size, write time, name length, is_dir, tag. */
#define LISTSORT_HEADER 20
#define LISTSORT_RECORD_MAX (LISTSORT_HEADER + LISTING_NAME_MAX)
/* Less than this is refused: a few records and their index, and the
 * buffer runs are written through (at least one record). */
#define LISTSORT_MEM_MIN (5 * (LISTSORT_RECORD_MAX + sizeof(void *)) + 64)

/* Where runs go. Offsets are the store's own: runs are written one after
 * another from 0, and read back anywhere already written. Each returns 0,
 * or nonzero when the store failed (the sort then fails with it). */
struct listsort_store {
    int (*write)(void *arg, uint64_t offset, const void *buf, size_t len);
    int (*read)(void *arg, uint64_t offset, void *buf, size_t len);
    void *arg;
};

struct listsort;

/* What the calls return besides 0 (and 1 from listsort_next). */
enum listsort_result {
    LISTSORT_BADNAME = -1, /* empty, or over LISTING_NAME_MAX - 1 bytes: not added */
    LISTSORT_STORE = -2,   /* the store failed */
    LISTSORT_NOMEM = -3
};

/* An arena of mem bytes (at least LISTSORT_MEM_MIN); NULL when out of
 * memory or mem is too small. The store is copied. */
struct listsort *listsort_create(size_t mem, const struct listsort_store *store);
void listsort_destroy(struct listsort *s);

/* Adds one entry (its name is copied). Returns 0 or a listsort_result.
 * Only before listsort_finish. */
int listsort_add(struct listsort *s, const struct listing_entry *e);

/* Ends adding and prepares the merge. Returns 0 or a listsort_result. */
int listsort_finish(struct listsort *s);

/* The next entry in name order, into *out, whose name points into s and
 * stays valid until the next call. Returns 1, 0 at the end, or
 * LISTSORT_STORE. */
int listsort_next(struct listsort *s, struct listing_entry *out);

/* What it cost: runs written and bytes given to the store, and the most
 * memory held at once (the arena, the run table, the read buffers). */
struct listsort_stats {
    uint64_t entries;
    size_t runs;
    uint64_t stored_bytes;
    size_t peak_memory;
};
void listsort_get_stats(const struct listsort *s, struct listsort_stats *out);

#endif
