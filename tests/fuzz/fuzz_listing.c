/* fuzz_listing.c - the LIST line reader over any line, the batch
 * selection over any set of names, and the client's steps through a
 * listing (common/clientlist.c).
 *
 * Invariants: a line read as an entry keeps its name inside the line and
 * writes back to a line that reads the same again; a head or end line does
 * too. The input's lines, taken as names, come out of small batches in
 * strictly ascending order and each at most once. */
#include <string.h>

#include "clientlist.h"
#include "clientpath.h"
#include "fuzz.h"
#include "listing.h"

static void check_line(const char *line, size_t size)
{
    struct listing_line l, again;
    char out[LISTING_LINE_MAX];
    size_t n = 0;

    if (listing_parse_line(line, size, &l) != 0)
        return;
    switch (l.kind) {
    case LISTING_HEAD:
        n = listing_format_head(out, sizeof out, l.count);
        break;
    case LISTING_END:
        n = listing_format_end(out, sizeof out, l.count);
        break;
    case LISTING_ENTRY:
        FUZZ_CHECK(l.entry.name >= line && l.entry.name + l.entry.name_len <= line + size);
        FUZZ_CHECK(l.entry.name_len > 0 && l.entry.name_len < LISTING_NAME_MAX);
        FUZZ_CHECK(!l.entry.is_dir || l.entry.size == 0);
        n = listing_format_entry(out, sizeof out, &l.entry);
        break;
    }
    FUZZ_CHECK(n >= 2 && out[n - 2] == '\r' && out[n - 1] == '\n');
    FUZZ_CHECK(listing_parse_line(out, n - 2, &again) == 0);
    FUZZ_CHECK(again.kind == l.kind && again.count == l.count);
    if (l.kind == LISTING_ENTRY) {
        FUZZ_CHECK(again.entry.size == l.entry.size && again.entry.is_dir == l.entry.is_dir);
        FUZZ_CHECK(again.entry.write_time == l.entry.write_time);
        FUZZ_CHECK(again.entry.name_len == l.entry.name_len &&
                   memcmp(again.entry.name, l.entry.name, l.entry.name_len) == 0);
    }
}

static void check_batches(const char *data, size_t size)
{
    struct listing_batch *b = listing_batch_create(3);
    char prev[LISTING_NAME_MAX];
    size_t prev_len = 0, rounds = 0;
    int have_prev = 0;

    if (b == NULL)
        return;
    for (;;) {
        size_t n;
        listing_batch_begin(b);
        for (size_t start = 0; start <= size;) {
            const char *nl = memchr(data + start, '\n', size - start);
            size_t end = nl ? (size_t)(nl - data) : size;
            struct listing_entry e = {0, 0, 0, data + start, end - start, 0};
            listing_batch_offer(b, &e);
            start = end + 1;
        }
        n = listing_batch_finish(b);
        FUZZ_CHECK(n <= 3);
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            const struct listing_slot *s = b->heap[i];
            if (have_prev)
                FUZZ_CHECK(listing_name_cmp(prev, prev_len, s->name, s->name_len) < 0);
            memcpy(prev, s->name, s->name_len);
            prev_len = s->name_len;
            have_prev = 1;
        }
        /* Every pass hands out at least one new name, so this ends. */
        FUZZ_CHECK(++rounds <= size + 1);
    }
    listing_batch_destroy(b);
}

/* The input's lines as the answer to the client's LIST (clientlist.h):
 * entries are counted one by one, END comes only with the count seen, and
 * after any step but MORE and ENTRY the listing is over. A listed name the
 * client takes for -r is one plain part (clientpath_check_listed). */
static void check_client_steps(const char *data, size_t size)
{
    struct clientlist cl;
    struct listing_entry e;
    uint64_t entries = 0;
    int head = 0;

    clientlist_begin(&cl);
    for (size_t start = 0; start <= size;) {
        const char *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        enum clientlist_step step = clientlist_line(&cl, data + start, end - start, &e);

        start = end + 1;
        if (step == CLIENTLIST_MORE) {
            FUZZ_CHECK(!head);
            head = 1;
            continue;
        }
        if (step == CLIENTLIST_ENTRY) {
            FUZZ_CHECK(head && cl.seen == ++entries);
            FUZZ_CHECK(e.name >= data && e.name + e.name_len <= data + size);
            if (clientpath_check_listed(e.name, e.name_len) == 0) {
                FUZZ_CHECK(memchr(e.name, '\\', e.name_len) == NULL);
                FUZZ_CHECK(memchr(e.name, '/', e.name_len) == NULL);
                FUZZ_CHECK(memchr(e.name, ':', e.name_len) == NULL);
            }
            continue;
        }
        FUZZ_CHECK(cl.seen == entries);
        if (step == CLIENTLIST_END)
            FUZZ_CHECK(head && cl.said == entries);
        if (step == CLIENTLIST_NOT_FOUND)
            FUZZ_CHECK(!head);
        if (step == CLIENTLIST_MISCOUNT)
            FUZZ_CHECK(head && cl.said != entries);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size ? size : 1);

    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    check_line(line, size);
    check_batches(line, size);
    check_client_steps(line, size);
    free(line);
    return 0;
}
