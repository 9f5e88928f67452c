/* test_linebuf.c - framing independent of how TCP cuts the stream. */
#include "check.h"
#include "linebuf.h"

/* Feeds text in pieces of `step` bytes and collects the events as text:
 * each line as "[line]", each over-long line as "<too long>". */
static void frame(const char *text, size_t len, size_t step, char *events, size_t cap)
{
    static struct linebuf lb;
    size_t pos = 0, used = 0;

    linebuf_init(&lb);
    events[0] = '\0';
    while (pos < len) {
        size_t piece = len - pos < step ? len - pos : step, off = 0;
        while (off < piece) {
            size_t consumed;
            int st = linebuf_feed(&lb, text + pos + off, piece - off, &consumed);
            off += consumed;
            if (st == LINEBUF_LINE)
                used += (size_t)snprintf(events + used, cap - used, "[%s]", lb.data);
            else if (st == LINEBUF_TOO_LONG)
                used += (size_t)snprintf(events + used, cap - used, "<too long>");
        }
        pos += piece;
    }
}

static void test_split_anywhere_gives_same_lines(void)
{
    const char text[] = "AUTH pw\r\nFILE a b.txt\nQUIT\r\n";
    char events[256];

    for (size_t step = 1; step <= sizeof text; step++) {
        frame(text, sizeof text - 1, step, events, sizeof events);
        CHECK_STR(events, "[AUTH pw][FILE a b.txt][QUIT]");
    }
}

static void test_only_one_cr_is_dropped(void)
{
    char events[64];

    frame("a\r\r\n\r\n", 6, 100, events, sizeof events);
    CHECK_STR(events, "[a\r][]");
}

static void test_partial_line_is_reported(void)
{
    struct linebuf lb;
    size_t consumed;

    linebuf_init(&lb);
    CHECK_INT(linebuf_has_partial(&lb), 0);
    CHECK_INT(linebuf_feed(&lb, "AU", 2, &consumed), LINEBUF_MORE);
    CHECK_INT(linebuf_has_partial(&lb), 1);
    CHECK_INT(linebuf_feed(&lb, "TH\n", 3, &consumed), LINEBUF_LINE);
    CHECK_INT(linebuf_has_partial(&lb), 0);
}

static char big[3 * LINEBUF_MAX];

static void test_longest_line_fits_and_one_more_does_not(void)
{
    static char events[2 * LINEBUF_MAX];

    memset(big, 'x', sizeof big);
    big[LINEBUF_MAX] = '\r';
    big[LINEBUF_MAX + 1] = '\n';
    frame(big, LINEBUF_MAX + 2, 777, events, sizeof events);
    CHECK_INT(strlen(events), LINEBUF_MAX + 2);

    memset(big, 'x', sizeof big);
    big[LINEBUF_MAX + 1] = '\n';
    frame(big, LINEBUF_MAX + 2, 777, events, sizeof events);
    CHECK_STR(events, "<too long>");
}

static void test_rest_of_long_line_is_discarded_then_framing_resumes(void)
{
    char events[128];
    size_t len = 2 * LINEBUF_MAX + 5;

    memset(big, 'y', sizeof big);
    big[len] = '\n';
    memcpy(big + len + 1, "QUIT\n", 5);
    for (size_t step = 1000; step <= 5000; step += 4000) {
        frame(big, len + 6, step, events, sizeof events);
        CHECK_STR(events, "<too long>[QUIT]");
    }
}

static void test_nul_bytes_are_kept_for_the_parser_to_refuse(void)
{
    struct linebuf lb;
    size_t consumed;

    linebuf_init(&lb);
    CHECK_INT(linebuf_feed(&lb, "a\0b\n", 4, &consumed), LINEBUF_LINE);
    CHECK_INT(consumed, 4);
    CHECK_INT(lb.len, 3);
    CHECK(memcmp(lb.data, "a\0b", 3) == 0);
}

int main(void)
{
    RUN_TEST(test_split_anywhere_gives_same_lines);
    RUN_TEST(test_only_one_cr_is_dropped);
    RUN_TEST(test_partial_line_is_reported);
    RUN_TEST(test_longest_line_fits_and_one_more_does_not);
    RUN_TEST(test_rest_of_long_line_is_discarded_then_framing_resumes);
    RUN_TEST(test_nul_bytes_are_kept_for_the_parser_to_refuse);
    return check_summary();
}
