/* test_pace.c - the rate limit's slices: their size, when the next is due,
 * catching up after a late tick, and never more than the rate in a window. */
#include <stdint.h>

#include "check.h"
#include "mts_error.h"
#include "pace.h"

#define MIB (UINT64_C(1) << 20)
#define MAX_SLICES 20000

/* What a simulated transfer was given, and when. */
static struct pace_slice got[MAX_SLICES];
static size_t ngot;

/* The most bytes handed out within 1,000 ms: each slice and those of the
 * 999 ms before it. */
static uint64_t busiest_window(void)
{
    uint64_t most = 0;

    for (size_t i = 0; i < ngot; i++) {
        uint64_t sum = 0;
        for (size_t j = 0; j <= i; j++)
            if (got[j].at_ms + PACE_WINDOW_MS > got[i].at_ms)
                sum += got[j].bytes;
        if (sum > most)
            most = sum;
    }
    return most;
}

/* A transfer of len bytes at rate, starting at 1000 ms, whose caller wakes
 * late[k % nlate] ms after the k-th due time. Returns when it ended. */
static uint64_t simulate(uint64_t rate, uint64_t len, const unsigned *late, size_t nlate)
{
    struct pace p;
    uint64_t now = 1000, left = len, due;
    size_t wakes = 0;

    ngot = 0;
    if (pace_init(&p, rate, PACE_TICK_MS, now) != 0)
        return 0;
    while (left > 0 && ngot < MAX_SLICES) {
        uint64_t n = pace_take(&p, now, left, &due);
        if (n > 0) {
            got[ngot].at_ms = now;
            got[ngot].bytes = n;
            ngot++;
            left -= n;
            continue;
        }
        if (due <= now)
            return 0; /* a wait that does not move on would spin */
        now = due + (nlate > 0 ? late[wakes++ % nlate] : 0);
    }
    return now;
}

static void test_bad_parameters_are_refused(void)
{
    struct pace p;

    CHECK_INT(pace_init(&p, 0, PACE_TICK_MS, 0), MTS_EINVAL);
    CHECK_INT(pace_init(&p, PACE_RATE_MAX + 1, PACE_TICK_MS, 0), MTS_EINVAL);
    CHECK_INT(pace_init(&p, MIB, 0, 0), MTS_EINVAL);
    CHECK_INT(pace_init(&p, MIB, 501, 0), MTS_EINVAL);
    CHECK_INT(pace_init(&p, PACE_RATE_MAX, PACE_TICK_MS, 0), 0);
}

static void test_first_slice_goes_at_once_then_one_per_tick(void)
{
    struct pace p;
    uint64_t due = 0;

    CHECK_INT(pace_init(&p, MIB, PACE_TICK_MS, 5000), 0);
    CHECK_INT(pace_take(&p, 5000, 3 * MIB, &due), MIB / 10);
    CHECK_INT(pace_take(&p, 5000, 3 * MIB, &due), 0);
    CHECK_INT(due, 5100);
    CHECK_INT(pace_take(&p, 5099, 3 * MIB, &due), 0);
    CHECK_INT(due, 5100);
    CHECK_INT(pace_take(&p, 5100, 3 * MIB, &due), MIB / 10);
    CHECK_INT(pace_take(&p, 5100, 3 * MIB, &due), 0);
    CHECK_INT(due, 5200);
}

static void test_nothing_left_gives_nothing_and_no_wait(void)
{
    struct pace p;
    uint64_t due = 0;

    CHECK_INT(pace_init(&p, MIB, PACE_TICK_MS, 10), 0);
    CHECK_INT(pace_take(&p, 10, 0, &due), 0);
    CHECK_INT(due, 10);
}

static void test_the_rest_of_a_file_goes_when_its_bytes_are_due(void)
{
    struct pace p;
    uint64_t due = 0;

    CHECK_INT(pace_init(&p, 1000, PACE_TICK_MS, 0), 0);
    CHECK_INT(pace_take(&p, 0, 130, &due), 100);
    /* 30 bytes left: the schedule has them at 30 ms, but a slice holds the
     * next one back half a tick. */
    CHECK_INT(pace_take(&p, 0, 30, &due), 0);
    CHECK_INT(due, 50);
    CHECK_INT(pace_take(&p, 50, 30, &due), 30);
}

static void test_on_time_ticks_deliver_the_rate(void)
{
    uint64_t end = simulate(MIB, 10 * MIB, NULL, 0);

    /* 10 MiB at 1 MiB/s, the first slice at once: done 9.9 s after the
     * start, or at 10 s when the slices' rounding down (104,857 bytes, not
     * 104,857.6) leaves a few bytes that the window makes wait. */
    CHECK(end - 1000 >= 9900 && end - 1000 <= 10000);
    CHECK(ngot == 100 || ngot == 101);
    CHECK(busiest_window() <= MIB);
}

static void test_a_late_tick_is_caught_up_without_a_burst(void)
{
    /* Every fifth wake is 450 ms late; the others on time. */
    static const unsigned late[] = {0, 0, 0, 0, 450};
    uint64_t end = simulate(MIB, 10 * MIB, late, 5);

    CHECK(end > 1000);
    CHECK(busiest_window() <= MIB);
    /* The backlog is caught up, at twice the rate at most: without that,
     * each of some twenty late wakes would cost 450 ms, nine seconds in
     * all. */
    CHECK(end - 1000 <= 11500);
    CHECK(end - 1000 >= 9900);
}

static void test_a_long_stall_keeps_one_second_and_never_bursts_past_the_window(void)
{
    struct pace p;
    uint64_t due = 0, now = 5000, given = 0;

    CHECK_INT(pace_init(&p, MIB, PACE_TICK_MS, 0), 0);
    CHECK_INT(pace_take(&p, 0, 100 * MIB, &due), MIB / 10);
    /* Five seconds of stall (a slow client's TransmitFile): two slices at
     * once, the next two a tick later. */
    CHECK_INT(pace_take(&p, now, 100 * MIB, &due), 2 * (MIB / 10));
    CHECK_INT(pace_take(&p, now, 100 * MIB, &due), 0);
    CHECK_INT(due, 5100);
    ngot = 0;
    while (now < 9000) {
        uint64_t n = pace_take(&p, now, 100 * MIB, &due);
        if (n == 0) {
            now = due;
            continue;
        }
        got[ngot].at_ms = now;
        got[ngot].bytes = n;
        ngot++;
        given += n;
    }
    CHECK(busiest_window() <= MIB);
    /* Never more than two slices a tick while the second kept is caught up. */
    for (size_t i = 1; i < ngot; i++) {
        CHECK(got[i].bytes <= 2 * (MIB / 10));
        CHECK(got[i].at_ms >= got[i - 1].at_ms + PACE_TICK_MS);
    }
    /* From 5.1 s to 9 s: the rate, as the window allows it, and never the
     * five seconds lost (4.7 s worth would be the rate plus the second kept). */
    CHECK(given <= 47 * (MIB / 10) + 10);
    CHECK(given >= 38 * (MIB / 10));
}

static void test_jittered_wakes_keep_every_window_under_the_rate(void)
{
    static const unsigned late[] = {3, 170, 0, 41, 260, 7, 0, 95, 13, 600, 2, 0, 33};
    static const uint64_t rates[] = {1000, 4 * MIB, 12345, 3 * MIB + 7};

    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        uint64_t end = simulate(rates[i], 8 * rates[i] + 55, late, sizeof late / sizeof late[0]);
        CHECK(end > 1000);
        CHECK(busiest_window() <= rates[i]);
        /* Never faster than the rate over the whole transfer... */
        CHECK((end - 1000) * rates[i] >= (8 * rates[i] + 55 - rates[i] / 10) * 1000);
        /* ...and wakes late by 94 ms on average (600 at most) cost under a
         * third: 7.9 s on time. */
        CHECK(end - 1000 <= 11000);
    }
}

static void test_a_coarse_timer_still_delivers_the_rate(void)
{
    /* Windows' default timer: each wait ends up to 15.6 ms late. */
    static const unsigned late[] = {0, 15, 7, 12, 3, 16, 9, 1, 14, 5, 11, 8, 16, 2};
    uint64_t end = simulate(MIB, 30 * MIB, late, sizeof late / sizeof late[0]);

    CHECK(end > 1000);
    CHECK(busiest_window() <= MIB);
    /* 29.9 s on time; at least 0.98 MiB/s with the late wakes caught up. */
    CHECK((end - 1000) * 98 <= 30 * 1000 * 100);
}

static void test_tiny_rates_give_a_byte_at_a_time(void)
{
    uint64_t end = simulate(3, 7, NULL, 0);

    /* 3 bytes a second: a slice of 1 byte (0.3 rounds up), one each third
     * of a second; 7 bytes take two seconds after the first. */
    CHECK_INT(ngot, 7);
    CHECK(busiest_window() <= 3);
    CHECK(end - 1000 >= 1900 && end - 1000 <= 2100);
}

static void test_huge_rates_and_times_do_not_overflow(void)
{
    struct pace p;
    uint64_t due = 0, distant = UINT64_C(1) << 62;

    CHECK_INT(pace_init(&p, PACE_RATE_MAX, PACE_TICK_MS, distant), 0);
    CHECK_INT(pace_take(&p, distant, UINT64_MAX, &due), PACE_RATE_MAX / 10);
    /* A day behind: a second's worth kept, caught up two slices at a time. */
    CHECK_INT(pace_take(&p, distant + 86400000u, UINT64_MAX, &due), 2 * (PACE_RATE_MAX / 10));
    CHECK_INT(pace_take(&p, UINT64_MAX - 1, UINT64_MAX, &due), 2 * (PACE_RATE_MAX / 10));
    CHECK_INT(pace_init(&p, 1, PACE_TICK_MS, 0), 0);
    CHECK_INT(pace_take(&p, 0, UINT64_MAX, &due), 1);
    CHECK_INT(pace_take(&p, 0, UINT64_MAX, &due), 0);
    CHECK_INT(due, 1000);
}

int main(void)
{
    RUN_TEST(test_bad_parameters_are_refused);
    RUN_TEST(test_first_slice_goes_at_once_then_one_per_tick);
    RUN_TEST(test_nothing_left_gives_nothing_and_no_wait);
    RUN_TEST(test_the_rest_of_a_file_goes_when_its_bytes_are_due);
    RUN_TEST(test_on_time_ticks_deliver_the_rate);
    RUN_TEST(test_a_late_tick_is_caught_up_without_a_burst);
    RUN_TEST(test_a_long_stall_keeps_one_second_and_never_bursts_past_the_window);
    RUN_TEST(test_jittered_wakes_keep_every_window_under_the_rate);
    RUN_TEST(test_a_coarse_timer_still_delivers_the_rate);
    RUN_TEST(test_tiny_rates_give_a_byte_at_a_time);
    RUN_TEST(test_huge_rates_and_times_do_not_overflow);
    return check_summary();
}
