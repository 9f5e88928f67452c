/* fuzz_listsort.c - the external merge sort of LIST over any set of names.
 *
 * The input's lines are the names, added in the input's order to a sort of
 * the smallest memory accepted (so that a few dozen names make several
 * runs), with a store in memory. Invariants: what comes out is exactly what
 * the batch selection (listing_batch, the reference) gives for the same
 * names, name for name, in strictly ascending order; the fields of each
 * come back as they went in; the memory held stays within listsort.h's
 * bound. */
#include <string.h>

#include "fuzz.h"
#include "listing.h"
#include "listsort.h"

struct memstore {
    unsigned char *buf;
    size_t len;
};

static int mem_write(void *arg, uint64_t off, const void *buf, size_t len)
{
    struct memstore *m = arg;
    unsigned char *grown;

    FUZZ_CHECK(off == m->len); /* runs are written one after another */
    grown = realloc(m->buf, m->len + len);
    if (grown == NULL)
        return -1;
    m->buf = grown;
    memcpy(m->buf + m->len, buf, len);
    m->len += len;
    return 0;
}

static int mem_read(void *arg, uint64_t off, void *buf, size_t len)
{
    struct memstore *m = arg;

    FUZZ_CHECK(off + len <= m->len); /* only what was written is read */
    memcpy(buf, m->buf + off, len);
    return 0;
}

/* The size and flags given to a name: derived from it, so that they can be
 * checked when it comes out. */
static uint64_t size_of(const char *name, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct memstore m = {NULL, 0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct listsort *s = listsort_create(LISTSORT_MEM_MIN, &st);
    struct listing_batch *b = listing_batch_create(1);
    struct listsort_stats stats;
    struct listing_entry e;

    if (s == NULL || b == NULL)
        goto out;
    for (size_t start = 0; start <= size;) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - text) : size;
        uint64_t h = size_of(text + start, end - start);
        struct listing_entry in = {(int)(h & 1), h,           h >> 3,
                                   text + start, end - start, (int)(h >> 60)};
        int rc = listsort_add(s, &in);
        FUZZ_CHECK(rc == 0 || (rc == LISTSORT_BADNAME &&
                               (in.name_len == 0 || in.name_len >= LISTING_NAME_MAX)));
        start = end + 1;
    }
    FUZZ_CHECK(listsort_finish(s) == 0);
    /* The reference, one name per pass. */
    for (;;) {
        listing_batch_begin(b);
        for (size_t start = 0; start <= size;) {
            const char *nl = memchr(text + start, '\n', size - start);
            size_t end = nl ? (size_t)(nl - text) : size;
            struct listing_entry in = {0, 0, 0, text + start, end - start, 0};
            listing_batch_offer(b, &in);
            start = end + 1;
        }
        if (listing_batch_finish(b) == 0)
            break;
        FUZZ_CHECK(listsort_next(s, &e) == 1);
        FUZZ_CHECK(e.name_len == b->heap[0]->name_len &&
                   memcmp(e.name, b->heap[0]->name, e.name_len) == 0);
        FUZZ_CHECK(e.size == size_of(e.name, e.name_len));
        FUZZ_CHECK(e.is_dir == (int)(e.size & 1) && e.write_time == e.size >> 3);
        FUZZ_CHECK(e.tag == (int)(e.size >> 60));
    }
    FUZZ_CHECK(listsort_next(s, &e) == 0);
    listsort_get_stats(s, &stats);
    /* listsort.h: the arena; or, merging, a window of at least one record
     * per run, and per run a cursor, a heap slot and (doubling from 16) a
     * place in the run table. */
    FUZZ_CHECK(stats.peak_memory <=
               LISTSORT_MEM_MIN + 16 * 16 + stats.runs * (LISTSORT_RECORD_MAX + 96));
out:
    listing_batch_destroy(b);
    listsort_destroy(s);
    free(m.buf);
    return 0;
}
