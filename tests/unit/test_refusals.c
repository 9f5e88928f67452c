/* test_refusals.c - repeated refusals become one summary line per address,
 * reason and interval; the number of lines stays bounded. */
#include <stdio.h>

#include "check.h"
#include "refusals.h"

static struct refusals r; /* several KiB: keep it off the stack */
static char line[256];

static size_t next(uint64_t now, int all)
{
    return refusals_next_summary(&r, now, all, line, sizeof line);
}

static void test_first_is_logged_the_rest_counted_then_summarised(void)
{
    refusals_init(&r, 60000);
    CHECK_INT(refusals_note(&r, "10.0.0.1", "denied", 1000), 1);
    for (int i = 0; i < 41; i++)
        CHECK_INT(refusals_note(&r, "10.0.0.1", "denied", 1000 + (uint64_t)i), 0);
    CHECK_INT(next(60999, 0), 0); /* the interval has not run out */
    CHECK(next(61000, 0) > 0);
    CHECK_STR(line, "refused: 10.0.0.1 denied 41 more time(s) in 60 s\n");
    CHECK_INT(next(61000, 0), 0);
    /* A new interval starts with a full line again. */
    CHECK_INT(refusals_note(&r, "10.0.0.1", "denied", 61001), 1);
}

static void test_reasons_and_addresses_are_apart(void)
{
    refusals_init(&r, 1000);
    CHECK_INT(refusals_note(&r, "10.0.0.1", "denied", 1), 1);
    CHECK_INT(refusals_note(&r, "10.0.0.1", "banned", 1), 1);
    CHECK_INT(refusals_note(&r, "10.0.0.2", "denied", 1), 1);
    CHECK_INT(refusals_note(&r, "10.0.0.2", "denied", 2), 0);
    CHECK(next(1001, 0) > 0);
    CHECK_STR(line, "refused: 10.0.0.2 denied 1 more time(s) in 1 s\n");
    CHECK_INT(next(1001, 0), 0); /* the others had no repeat: nothing to add */
    CHECK_INT(refusals_note(&r, "10.0.0.1", "denied", 1002), 1);
}

static void test_many_addresses_stay_bounded(void)
{
    char addr[32];
    unsigned full = 0, lines = 0;

    refusals_init(&r, 60000);
    for (unsigned i = 0; i < 10000; i++) {
        snprintf(addr, sizeof addr, "2001:db8::%x", i);
        full += (unsigned)refusals_note(&r, addr, "busy", 5);
        refusals_note(&r, addr, "busy", 6);
    }
    CHECK_INT(full, REFUSALS_SLOTS);
    while (next(60005, 0) > 0)
        lines++;
    CHECK_INT(lines, REFUSALS_SLOTS + 1);
    CHECK(strstr(line, "refused: 19488 connection(s) from other addresses") == line);
}

static void test_close_flushes_everything(void)
{
    refusals_init(&r, 60000);
    refusals_note(&r, "::1", "busy", 10);
    refusals_note(&r, "::1", "busy", 11);
    CHECK_INT(next(12, 0), 0);
    CHECK(next(12, 1) > 0);
    CHECK_STR(line, "refused: ::1 busy 1 more time(s) in 60 s\n");
    CHECK_INT(next(12, 1), 0);
}

static void test_long_text_and_clock_going_back(void)
{
    char addr[200];

    memset(addr, 'a', sizeof addr - 1);
    addr[sizeof addr - 1] = '\0';
    refusals_init(&r, 100);
    CHECK_INT(refusals_note(&r, addr, "a-very-long-reason-word-indeed", 500), 1);
    CHECK_INT(refusals_note(&r, addr, "a-very-long-reason-word-indeed", 501), 0);
    CHECK_INT(next(400, 0), 0); /* a clock that went back ends nothing */
    CHECK(next(600, 0) > 0);
    CHECK_INT(strlen(line) < sizeof line, 1);
    CHECK_INT(refusals_note(&r, "", "busy", 700), 1); /* no address: "?" */
    CHECK_INT(refusals_note(&r, "?", "busy", 700), 0);
}

int main(void)
{
    RUN_TEST(test_first_is_logged_the_rest_counted_then_summarised);
    RUN_TEST(test_reasons_and_addresses_are_apart);
    RUN_TEST(test_many_addresses_stay_bounded);
    RUN_TEST(test_close_flushes_everything);
    RUN_TEST(test_long_text_and_clock_going_back);
    return check_summary();
}
