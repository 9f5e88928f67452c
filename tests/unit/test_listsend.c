/* test_listsend.c - the LIST reply in two enumerations: the external merge
 * sort (listsort) on its own, and the whole reply (listsend) over a fake
 * folder that counts how often it is read, compared byte for byte with the
 * old batch-by-batch selection (listing_batch). */
#include <stdlib.h>

#include "check.h"
#include "listing.h"
#include "listsend.h"
#include "listsort.h"

/* A store in memory that counts what it is given. */
struct memstore {
    unsigned char *buf;
    size_t len, cap;
    unsigned writes, reads;
    int fail;
};

static int mem_write(void *arg, uint64_t off, const void *buf, size_t len)
{
    struct memstore *m = arg;

    if (m->fail || off != m->len)
        return -1;
    if (m->len + len > m->cap) {
        size_t cap = (m->len + len) * 2;
        unsigned char *g = realloc(m->buf, cap);
        if (g == NULL)
            return -1;
        m->buf = g;
        m->cap = cap;
    }
    memcpy(m->buf + off, buf, len);
    m->len += len;
    m->writes++;
    return 0;
}

static int mem_read(void *arg, uint64_t off, void *buf, size_t len)
{
    struct memstore *m = arg;

    if (off + len > m->len)
        return -1;
    memcpy(buf, m->buf + off, len);
    m->reads++;
    return 0;
}

/* A folder of n entries named from a shuffled numbering, some folders,
 * some tagged, some hidden from the count (a link leading out). */
struct fakedir {
    size_t n;
    uint32_t *order;
    unsigned passes, stop_after_pass, stop_checks;
    size_t stop_at; /* stopping() turns true after this many calls (0: never) */
};

static size_t fake_name(const struct fakedir *d, size_t i, char *buf)
{
    uint32_t k = d->order[i];
    /* Varied lengths and a few bytes above 0x7f, to test bytewise order. */
    return (size_t)snprintf(buf, 64, "%s%u%s", (k % 7 == 0) ? "\xc3\xa9" : "f", k * 2654435761u,
                            (k % 5 == 0) ? " copy.txt" : "");
}

static int leads_out(uint32_t k)
{
    return k % 97 == 3;
}

static int fake_pass(void *arg, int check_links, int (*fn)(void *, const struct listing_entry *),
                     void *fn_arg)
{
    struct fakedir *d = arg;
    char name[64];

    d->passes++;
    if (d->stop_after_pass != 0 && d->passes > d->stop_after_pass)
        return LISTSEND_STOPPED;
    for (size_t i = 0; i < d->n; i++) {
        uint32_t k = d->order[i];
        struct listing_entry e = {k % 11 == 0,
                                  k % 11 == 0 ? 0 : (uint64_t)k * 3,
                                  132000000000000000ull + k,
                                  name,
                                  fake_name(d, i, name),
                                  k % 13 == 0};
        if (check_links && e.tag && leads_out(k))
            continue;
        if (check_links)
            e.tag = 0;
        if (fn(fn_arg, &e) != 0)
            return LISTSEND_ABORTED;
    }
    return 0;
}

static int fake_inside(void *arg, const struct listing_entry *e)
{
    (void)arg;
    return !leads_out((uint32_t)(e->write_time - 132000000000000000ull));
}

static int fake_stopping(void *arg)
{
    struct fakedir *d = arg;
    return d->stop_at != 0 && ++d->stop_checks >= d->stop_at;
}

static void fake_make(struct fakedir *d, size_t n)
{
    uint32_t x = 12345;

    memset(d, 0, sizeof *d);
    d->n = n;
    d->order = malloc(n * sizeof *d->order);
    for (size_t i = 0; i < n; i++)
        d->order[i] = (uint32_t)i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates, a fixed xorshift */
        size_t j;
        uint32_t t;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        j = x % i;
        t = d->order[i - 1];
        d->order[i - 1] = d->order[j];
        d->order[j] = t;
    }
}

struct sink {
    char *buf;
    size_t len, cap;
};

static int sink_send(void *arg, const char *buf, size_t len)
{
    struct sink *s = arg;

    if (s->len + len > s->cap) {
        s->cap = (s->len + len) * 2;
        s->buf = realloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, buf, len);
    s->len += len;
    return 0;
}

/* What the server sent before: a counting pass, then one pass per batch of
 * `cap` names. */
struct batch_arg {
    struct listing_batch *b;
};
static int offer_one(void *arg, const struct listing_entry *e)
{
    listing_batch_offer(arg, e);
    return 0;
}
static int count_one(void *arg, const struct listing_entry *e)
{
    (void)e;
    ++*(uint64_t *)arg;
    return 0;
}
static void old_listing(struct fakedir *d, struct sink *out)
{
    struct listing_batch *b = listing_batch_create(1024);
    char line[LISTING_LINE_MAX];
    uint64_t count = 0, sent = 0;
    size_t n;

    fake_pass(d, 1, count_one, &count);
    sink_send(out, line, listing_format_head(line, sizeof line, count));
    for (;;) {
        listing_batch_begin(b);
        fake_pass(d, 0, offer_one, b);
        if ((n = listing_batch_finish(b)) == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            const struct listing_slot *s = b->heap[i];
            struct listing_entry e = {s->is_dir, s->size,     s->write_time,
                                      s->name,   s->name_len, s->tag};
            size_t len;
            if (e.tag && !fake_inside(d, &e))
                continue;
            len = listing_format_entry(line, sizeof line, &e);
            sink_send(out, line, len);
            sent += len > 0;
        }
    }
    sink_send(out, line, listing_format_end(line, sizeof line, sent));
    listing_batch_destroy(b);
}

static void test_sort_in_memory(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct listsort *s = listsort_create(1u << 20, &st);
    const char *names[] = {"b", "a", "\xc3\xa9t\xc3\xa9", "ab", "Z", "a", "b c"};
    const char *want[] = {"Z", "a", "ab", "b", "b c", "\xc3\xa9t\xc3\xa9"};
    struct listing_entry e = {0};
    struct listsort_stats stats;

    CHECK(s != NULL);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        e.name = names[i];
        e.name_len = strlen(names[i]);
        e.size = i;
        e.is_dir = (int)(i % 2);
        e.tag = (int)i;
        CHECK_INT(listsort_add(s, &e), 0);
    }
    e.name_len = 0;
    CHECK_INT(listsort_add(s, &e), LISTSORT_BADNAME);
    e.name_len = LISTING_NAME_MAX;
    CHECK_INT(listsort_add(s, &e), LISTSORT_BADNAME);
    CHECK_INT(listsort_finish(s), 0);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        CHECK_INT(listsort_next(s, &e), 1);
        CHECK_MEM_STR(e.name, e.name_len, want[i]);
        if (strcmp(want[i], "b c") == 0) {
            CHECK_INT(e.size, 6);
            CHECK_INT(e.tag, 6);
            CHECK_INT(e.is_dir, 0);
        }
    }
    CHECK_INT(listsort_next(s, &e), 0);
    listsort_get_stats(s, &stats);
    CHECK_INT(stats.runs, 0);
    CHECK_INT(m.writes, 0); /* a folder that fits never touches the store */
    listsort_destroy(s);
    free(m.buf);
}

/* A small arena forces many runs; the merge gives every name once, in
 * order, and memory stays at the arena's size. */
static void test_sort_spills_and_merges(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    size_t mem = 200u << 10;
    struct listsort *s = listsort_create(mem, &st);
    struct fakedir d;
    struct listsort_stats stats;
    struct listing_entry e;
    char prev[LISTING_NAME_MAX];
    size_t prev_len = 0, got = 0;
    char name[64];

    CHECK(s != NULL);
    fake_make(&d, 100000);
    for (size_t i = 0; i < d.n; i++) {
        struct listing_entry a = {0, d.order[i], 0, name, fake_name(&d, i, name), 0};
        CHECK_INT(listsort_add(s, &a), 0);
        if (i % 3 == 0) /* some names twice, in different runs */
            CHECK_INT(listsort_add(s, &a), 0);
    }
    CHECK_INT(listsort_finish(s), 0);
    while (listsort_next(s, &e) == 1) {
        if (got > 0)
            CHECK(listing_name_cmp(prev, prev_len, e.name, e.name_len) < 0);
        memcpy(prev, e.name, e.name_len);
        prev_len = e.name_len;
        got++;
    }
    CHECK_INT(got, 100000);
    listsort_get_stats(s, &stats);
    CHECK(stats.runs > 10);
    CHECK(stats.peak_memory <= mem + 4096);
    listsort_destroy(s);
    free(d.order);
    free(m.buf);
}

static void test_sort_store_failure(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct listsort *s = listsort_create(100u << 10, &st);
    struct listing_entry e = {0, 0, 0, "a-rather-long-name-to-fill-the-arena-sooner", 43, 0};
    int rc = 0;

    CHECK(s != NULL);
    m.fail = 1;
    for (int i = 0; i < 100000 && rc == 0; i++)
        rc = listsort_add(s, &e);
    CHECK_INT(rc, LISTSORT_STORE);
    listsort_destroy(s);
}

/* The point of it all: 100,000 entries in two enumerations, memory held
 * to the arena, and the very bytes the batch selection sent. */
static void test_send_100000_in_two_passes(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct fakedir d;
    struct listsend_source src = {fake_pass, fake_inside, fake_stopping, &d};
    struct sink now = {0}, before = {0};
    struct listsort_stats stats;
    uint64_t entries, bytes;

    fake_make(&d, 100000);
    CHECK_INT(listsend_run(&src, &st, 1u << 20, sink_send, &now, &entries, &bytes, &stats), 0);
    CHECK_INT(d.passes, 2);
    CHECK(stats.runs > 1); /* 1 MiB does not hold 100,000 entries: it spilled */
    CHECK(stats.peak_memory <= (1u << 20) + 4096);
    CHECK_INT(bytes, now.len);
    d.passes = 0;
    old_listing(&d, &before);
    CHECK_INT(d.passes, 2 + 98);
    CHECK_INT(now.len, before.len);
    CHECK(memcmp(now.buf, before.buf, now.len) == 0);
    CHECK_INT(entries, 100000 - 79); /* tagged and leading out: k = 39 mod 1261, 79 of them */
    free(now.buf);
    free(before.buf);
    free(d.order);
    free(m.buf);
}

static void test_send_stops(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct fakedir d;
    struct listsend_source src = {fake_pass, fake_inside, fake_stopping, &d};
    struct sink out = {0};
    uint64_t entries, bytes;

    fake_make(&d, 5000);
    d.stop_after_pass = 1; /* a stop seen by the second enumeration */
    CHECK_INT(listsend_run(&src, &st, 1u << 20, sink_send, &out, &entries, &bytes, NULL),
              LISTSEND_STOPPED);
    CHECK_INT(out.len, 0);
    d.passes = d.stop_after_pass = 0;
    d.stop_at = 2; /* a stop seen while the entries go out */
    CHECK_INT(listsend_run(&src, &st, 1u << 20, sink_send, &out, &entries, &bytes, NULL),
              LISTSEND_STOPPED);
    CHECK(entries < 5000);
    free(out.buf);
    free(d.order);
    free(m.buf);
}

static void test_send_store_failure_is_unreadable(void)
{
    struct memstore m = {0};
    struct listsort_store st = {mem_write, mem_read, &m};
    struct fakedir d;
    struct listsend_source src = {fake_pass, fake_inside, fake_stopping, &d};
    struct sink out = {0};
    uint64_t entries, bytes;

    fake_make(&d, 20000);
    m.fail = 1;
    CHECK_INT(listsend_run(&src, &st, 100u << 10, sink_send, &out, &entries, &bytes, NULL),
              LISTSEND_UNREADABLE);
    CHECK_INT(out.len, 0); /* nothing sent: the client still gets a '!' line */
    free(out.buf);
    free(d.order);
    free(m.buf);
}

int main(void)
{
    RUN_TEST(test_sort_in_memory);
    RUN_TEST(test_sort_spills_and_merges);
    RUN_TEST(test_sort_store_failure);
    RUN_TEST(test_send_100000_in_two_passes);
    RUN_TEST(test_send_stops);
    RUN_TEST(test_send_store_failure_is_unreadable);
    return check_summary();
}
