/* test_listing.c - LIST's lines written and read back, times, and the
 * bounded name-order selection. */
#include <stdlib.h>

#include "check.h"
#include "listing.h"
#include "mts_error.h"

/* 2026-11-30T05:08:43Z as FILETIME ticks: Unix time 1796015323 plus the
 * 11644473600 seconds from 1601 to 1970. */
#define T_2026 ((1796015323ull + 11644473600ull) * LISTING_TICKS_PER_SECOND)

static void test_times(void)
{
    char buf[LISTING_TIME_LEN + 1];
    uint64_t t;

    listing_format_time(0, buf);
    CHECK_STR(buf, "1601-01-01T00:00:00Z");
    listing_format_time(11644473600ull * LISTING_TICKS_PER_SECOND, buf);
    CHECK_STR(buf, "1970-01-01T00:00:00Z");
    listing_format_time(T_2026 + 9999999, buf); /* a fraction of a second is cut */
    CHECK_STR(buf, "2026-11-30T05:08:43Z");
    /* 2000 is a leap year, 1900 and 2100 are not. */
    CHECK_INT(listing_parse_time("2000-02-29T12:00:00Z", 20, &t), 0);
    listing_format_time(t, buf);
    CHECK_STR(buf, "2000-02-29T12:00:00Z");
    CHECK_INT(listing_parse_time("1900-02-29T00:00:00Z", 20, &t), MTS_ESYNTAX);
    CHECK_INT(listing_parse_time("2100-02-29T00:00:00Z", 20, &t), MTS_ESYNTAX);
    CHECK_INT(listing_parse_time("2100-03-01T00:00:00Z", 20, &t), 0);
    listing_format_time(t - LISTING_TICKS_PER_SECOND, buf);
    CHECK_STR(buf, "2100-02-28T23:59:59Z");
    CHECK_INT(listing_parse_time("2026-11-30T05:08:43Z", 20, &t), 0);
    CHECK_INT(t, T_2026);
    listing_format_time(UINT64_MAX, buf);
    CHECK_STR(buf, "9999-12-31T23:59:59Z");
    CHECK_INT(listing_parse_time("2026-13-01T00:00:00Z", 20, &t), MTS_ESYNTAX);
    CHECK_INT(listing_parse_time("2026-11-30 05:08:43Z", 20, &t), MTS_ESYNTAX);
    CHECK_INT(listing_parse_time("2026-11-30T24:00:00Z", 20, &t), MTS_ESYNTAX);
    CHECK_INT(listing_parse_time("1600-12-31T23:59:59Z", 20, &t), MTS_ESYNTAX);
}

static void test_every_day_round_trips(void)
{
    char buf[LISTING_TIME_LEN + 1];
    uint64_t t, back;

    /* Each day from 1601 to past 2400, at a second before midnight. */
    for (t = 86399; t < 800ull * 366 * 86400; t += 86400) {
        listing_format_time(t * LISTING_TICKS_PER_SECOND, buf);
        CHECK_INT(listing_parse_time(buf, LISTING_TIME_LEN, &back), 0);
        CHECK_INT(back, t * LISTING_TICKS_PER_SECOND);
    }
}

static void test_lines_round_trip(void)
{
    char buf[LISTING_LINE_MAX];
    struct listing_entry e = {0, 1234, T_2026, "#notes, draft 2.txt", 19, 0};
    struct listing_line l;
    size_t n;

    n = listing_format_head(buf, sizeof buf, 3);
    CHECK_MEM_STR(buf, n, "#Listing 3 entries.\r\n");
    CHECK_INT(listing_parse_line(buf, n - 2, &l), 0);
    CHECK_INT(l.kind, LISTING_HEAD);
    CHECK_INT(l.count, 3);
    n = listing_format_end(buf, sizeof buf, 0);
    CHECK_MEM_STR(buf, n, "#End of listing, 0 entries.\r\n");
    CHECK_INT(listing_parse_line(buf, n - 1, &l), 0); /* a CR left on is ignored */
    CHECK_INT(l.kind, LISTING_END);
    CHECK_INT(l.count, 0);

    n = listing_format_entry(buf, sizeof buf, &e);
    CHECK_MEM_STR(buf, n, "f 1234 2026-11-30T05:08:43Z #notes, draft 2.txt\r\n");
    CHECK_INT(listing_parse_line(buf, n - 2, &l), 0);
    CHECK_INT(l.kind, LISTING_ENTRY);
    CHECK_INT(l.entry.is_dir, 0);
    CHECK_INT(l.entry.size, 1234);
    CHECK_INT(l.entry.write_time, T_2026);
    CHECK_MEM_STR(l.entry.name, l.entry.name_len, "#notes, draft 2.txt");

    /* A folder's size is written as 0; names keep inner, leading and
     * trailing spaces and non-ASCII letters. */
    e.is_dir = 1;
    e.name = " !Ünï côde  ";
    e.name_len = strlen(e.name);
    n = listing_format_entry(buf, sizeof buf, &e);
    CHECK_MEM_STR(buf, n, "d 0 2026-11-30T05:08:43Z  !Ünï côde  \r\n");
    CHECK_INT(listing_parse_line(buf, n - 2, &l), 0);
    CHECK_INT(l.entry.is_dir, 1);
    CHECK_INT(l.entry.size, 0);
    CHECK_MEM_STR(l.entry.name, l.entry.name_len, " !Ünï côde  ");
}

static void test_bad_names_and_lines(void)
{
    char buf[LISTING_LINE_MAX];
    struct listing_entry e = {0, 1, 0, "a\tb", 3, 0};
    struct listing_line l;
    static const char *const bad[] = {
        "",
        "!Folder x could not be listed.",
        "#Listing  entries.",
        "#Listing 1 entries",
        "x 1 2026-11-30T05:08:43Z a",
        "f 1 2026-11-30T05:08:43Z ",
        "f -1 2026-11-30T05:08:43Z a",
        "f 1 2026-11-30T05:08:43Za",
        "f  2026-11-30T05:08:43Z a",
        "d 5 2026-11-30T05:08:43Z a",
        "f 1 2026-11-30T05:08:43Z a\tb",
        "f 99999999999999999999 2026-11-30T05:08:43Z a",
        "f 1 2026-02-30T05:08:43Z a",
    };

    CHECK_INT(listing_format_entry(buf, sizeof buf, &e), 0);
    e.name = "";
    e.name_len = 0;
    CHECK_INT(listing_format_entry(buf, sizeof buf, &e), 0);
    e.name = "\xff";
    e.name_len = 1;
    CHECK_INT(listing_format_entry(buf, sizeof buf, &e), 0);
    e.name = "ok";
    e.name_len = 2;
    CHECK_INT(listing_format_entry(buf, 20, &e), 0); /* does not fit */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (listing_parse_line(bad[i], strlen(bad[i]), &l) != MTS_ESYNTAX) {
            check_fail(__FILE__, __LINE__, "accepted", bad[i]);
            return;
        }
    }
}

/* Offers names "n<k>" for k in order[], over passes of a batch of cap. */
static void select_all(size_t cap, const unsigned *order, size_t count)
{
    struct listing_batch *b = listing_batch_create(cap);
    char name[16];
    size_t got = 0, n;
    unsigned expect = 0;

    CHECK(b != NULL);
    for (;;) {
        listing_batch_begin(b);
        for (size_t i = 0; i < count; i++) {
            struct listing_entry e = {0, order[i], 0, name, 0, (int)order[i]};
            e.name_len = (size_t)snprintf(name, sizeof name, "n%05u", order[i]);
            listing_batch_offer(b, &e);
        }
        n = listing_batch_finish(b);
        CHECK(n <= cap);
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            snprintf(name, sizeof name, "n%05u", expect);
            CHECK_MEM_STR(b->heap[i]->name, b->heap[i]->name_len, name);
            CHECK_INT(b->heap[i]->size, expect);
            CHECK_INT(b->heap[i]->tag, expect);
            expect++;
        }
        got += n;
    }
    CHECK_INT(got, count);
    listing_batch_destroy(b);
}

static void test_batches_come_out_sorted(void)
{
    static unsigned order[10000];
    size_t counts[] = {0, 1, 7, 100, 10000};
    unsigned seed = 12345;

    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t count = counts[c];
        for (size_t i = 0; i < count; i++)
            order[i] = (unsigned)i;
        /* A fixed shuffle, so the file system's order is no help. */
        for (size_t i = count; i > 1; i--) {
            size_t j;
            unsigned t;
            seed = seed * 1103515245u + 12345u;
            j = (seed >> 8) % i;
            t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        select_all(1, order, count);
        select_all(3, order, count);
        select_all(1024, order, count);
        select_all(20000, order, count);
    }
}

static void test_order_is_bytewise(void)
{
    CHECK(listing_name_cmp("B", 1, "a", 1) < 0);
    CHECK(listing_name_cmp("a", 1, "ab", 2) < 0);
    CHECK(listing_name_cmp("ab", 2, "a", 1) > 0);
    CHECK(listing_name_cmp("z", 1, "\xc3\xa9", 2) < 0); /* é after z */
    CHECK_INT(listing_name_cmp("same", 4, "same", 4), 0);
}

int main(void)
{
    RUN_TEST(test_times);
    RUN_TEST(test_every_day_round_trips);
    RUN_TEST(test_lines_round_trip);
    RUN_TEST(test_bad_names_and_lines);
    RUN_TEST(test_batches_come_out_sorted);
    RUN_TEST(test_order_is_bytewise);
    return check_summary();
}
