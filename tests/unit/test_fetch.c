/* test_fetch.c - the client's per-file steps, driven as download.c drives
 * them, with the server's reply lines made by the server's own formatters. */
#include "check.h"
#include "fetch.h"
#include "reply.h"

static struct fetch f;
static struct fetch_action act;

/* Feeds one reply line as the connection hands it over: no CR LF. */
static void reply(const char *text)
{
    size_t len = strlen(text);

    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    fetch_reply(&f, text, len, &act);
}

static void test_fresh_file_is_one_get(void)
{
    char line[REPLY_MAX];

    fetch_begin(&f, "a.txt", 5, 0, &act);
    CHECK_INT(act.kind, FETCH_SEND);
    CHECK_MEM_STR(act.line, act.line_len, "GET a.txt\r\n");
    CHECK_STR(act.waiting_for, "the answer to GET");
    reply("#Sending 10 bytes.\r\n");
    CHECK_INT(act.kind, FETCH_RECEIVE);
    CHECK_INT(act.size, 10);
    fetch_received(&f, &act);
    CHECK_INT(act.kind, FETCH_SEND);
    CHECK_INT(act.line_len, 0);
    reply_file_sent(line, sizeof line, "a.txt", 5);
    reply(line);
    CHECK_INT(act.kind, FETCH_SAVE);
    CHECK_INT(act.size, 10);
}

static void test_partial_file_is_rest_then_get(void)
{
    fetch_begin(&f, "dir/b", 5, 4096, &act);
    CHECK_MEM_STR(act.line, act.line_len, "REST 4096\r\n");
    reply("#Restarting at 4096.");
    CHECK_INT(act.kind, FETCH_SEND);
    CHECK_MEM_STR(act.line, act.line_len, "GET dir/b\r\n");
    reply("#Sending 6 bytes.");
    CHECK_INT(act.kind, FETCH_RECEIVE);
    CHECK_INT(act.size, 6);
    fetch_received(&f, &act);
    reply("#File dir/b sent successfully.");
    CHECK_INT(act.kind, FETCH_SAVE);
    CHECK_INT(act.size, 4102); /* the partial's bytes and the new ones */
}

static void test_wrong_restart_offset_is_fatal(void)
{
    fetch_begin(&f, "b", 1, 100, &act);
    reply("#Restarting at 99.");
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_UNEXPECTED);
    CHECK_MEM_STR(act.said, act.said_len, "Restarting at 99.");
}

static void test_offset_past_end_truncates_and_starts_over(void)
{
    fetch_begin(&f, "c", 1, 500, &act);
    reply("#Restarting at 500.");
    reply(REPLY_OFFSET_PAST_END);
    CHECK_INT(act.kind, FETCH_TRUNCATE);
    fetch_truncated(&f, 1, &act);
    CHECK_INT(fetch_offset(&f), 0);
    CHECK_INT(act.kind, FETCH_SEND);
    CHECK_MEM_STR(act.line, act.line_len, "GET c\r\n"); /* no REST: from the start */
    reply("#Sending 3 bytes.");
    CHECK_INT(act.kind, FETCH_RECEIVE);
    fetch_received(&f, &act);
    reply("#File c sent successfully.");
    CHECK_INT(act.kind, FETCH_SAVE);
    CHECK_INT(act.size, 3);
}

static void test_partial_that_cannot_be_emptied_is_fatal(void)
{
    fetch_begin(&f, "c", 1, 500, &act);
    reply("#Restarting at 500.");
    reply(REPLY_OFFSET_PAST_END);
    fetch_truncated(&f, 0, &act);
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_UNEXPECTED);
    /* The server's words, without '!' and line end, for the message. */
    CHECK_MEM_STR(act.said, act.said_len, "Offset is past the end of the file.");
}

static void test_offset_past_end_without_offset_is_fatal(void)
{
    fetch_begin(&f, "c", 1, 0, &act);
    reply(REPLY_OFFSET_PAST_END);
    CHECK_INT(act.kind, FETCH_FATAL);
}

static void test_per_file_refusals_keep_the_connection(void)
{
    char line[REPLY_MAX];

    fetch_begin(&f, "gone", 4, 0, &act);
    reply_file_failed(line, sizeof line, "gone", 4);
    reply(line);
    CHECK_INT(act.kind, FETCH_FAILED);
    CHECK_INT(act.reason, FETCH_R_NOT_FOUND);
    fetch_begin(&f, "x", 1, 0, &act);
    reply(REPLY_BAD_CHARS);
    CHECK_INT(act.kind, FETCH_FAILED);
    CHECK_INT(act.reason, FETCH_R_NAME_REFUSED);
    fetch_begin(&f, "x", 1, 0, &act);
    reply(REPLY_LINE_TOO_LONG);
    CHECK_INT(act.kind, FETCH_FAILED);
    CHECK_INT(act.reason, FETCH_R_NAME_REFUSED);
}

static void test_everything_else_ends_the_connection(void)
{
    fetch_begin(&f, "x", 1, 0, &act);
    reply(REPLY_IDLE_TIMEOUT);
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_UNEXPECTED);
    fetch_begin(&f, "x", 1, 0, &act);
    reply("hello");
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_NONSENSE);
    fetch_begin(&f, "x", 1, 0, &act);
    reply("#Sending lots of bytes.");
    CHECK_INT(act.kind, FETCH_FATAL); /* a size we cannot read is not trusted */
}

static void test_confirmation_must_name_the_same_file(void)
{
    fetch_begin(&f, "a", 1, 0, &act);
    reply("#Sending 1 bytes.");
    fetch_received(&f, &act);
    reply("#File b sent successfully.");
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_UNEXPECTED);
}

static void test_calls_out_of_order_are_fatal(void)
{
    fetch_begin(&f, "a", 1, 0, &act);
    fetch_received(&f, &act); /* no "#Sending" yet */
    CHECK_INT(act.kind, FETCH_FATAL);
    fetch_begin(&f, "a", 1, 0, &act);
    fetch_truncated(&f, 1, &act); /* nothing asked to truncate */
    CHECK_INT(act.kind, FETCH_FATAL);
    fetch_begin(&f, "a", 1, 0, &act);
    reply("#Sending 1 bytes.");
    reply("#Sending 1 bytes."); /* a line where bytes were due */
    CHECK_INT(act.kind, FETCH_FATAL);
}

static void test_request_that_does_not_fit_is_refused(void)
{
    static char path[FETCH_LINE_MAX];

    memset(path, 'p', sizeof path);
    fetch_begin(&f, path, sizeof path, 0, &act);
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_TOO_LONG);
    fetch_begin(&f, path, FETCH_LINE_MAX - 6, 0, &act); /* "GET " + path + CR LF fits */
    CHECK_INT(act.kind, FETCH_SEND);
    CHECK_INT(act.line_len, FETCH_LINE_MAX);
}

/* A GET path that cannot make a line (request.h) is refused whole. */
static void test_request_with_a_line_break_is_refused(void)
{
    fetch_begin(&f, "a\r\nQUIT", 7, 0, &act);
    CHECK_INT(act.kind, FETCH_FATAL);
    CHECK_INT(act.reason, FETCH_R_TOO_LONG);
}

#define HEX_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEX_B "f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static enum fetch_verdict verdict(const char *mine, const char **said, size_t *said_len)
{
    char line[REPLY_MAX];
    size_t n;

    n = reply_hash(line, sizeof line, HEX_A, "dir\\v.bin", 9);
    return fetch_hash_verdict(&f, line, n - 2, mine, said, said_len);
}

/* --verify's decision on the answer to HASH: the server's SHA-256 of this
 * very path, compared with the sum of what was received. */
static void test_hash_verdicts(void)
{
    char line[REPLY_MAX];
    const char *said;
    size_t said_len, n;

    fetch_begin(&f, "dir\\v.bin", 9, 0, &act);
    CHECK_INT(verdict(HEX_A, &said, &said_len), FETCH_HASH_MATCH);
    CHECK_INT(verdict(HEX_B, &said, &said_len), FETCH_HASH_MISMATCH);
    CHECK_MEM_STR(said, said_len, HEX_A);
    /* The server's refusals, and a SHA-256 of another file, are none. */
    n = reply_hash_failed(line, sizeof line, "dir\\v.bin", 9);
    CHECK_INT(fetch_hash_verdict(&f, line, n - 2, HEX_A, &said, &said_len), FETCH_HASH_NONE);
    CHECK(said_len > 0 && said[0] != '!');
    n = reply_hash_changed(line, sizeof line, "dir\\v.bin", 9);
    CHECK_INT(fetch_hash_verdict(&f, line, n - 2, HEX_A, &said, &said_len), FETCH_HASH_NONE);
    n = reply_hash(line, sizeof line, HEX_A, "dir\\w.bin", 9);
    CHECK_INT(fetch_hash_verdict(&f, line, n - 2, HEX_A, &said, &said_len), FETCH_HASH_NONE);
    CHECK_INT(fetch_hash_verdict(&f, "#SHA-256 " HEX_A, 73, HEX_A, &said, &said_len),
              FETCH_HASH_NONE);
    CHECK_INT(fetch_hash_verdict(&f, "", 0, HEX_A, &said, &said_len), FETCH_HASH_NONE);
}

int main(void)
{
    RUN_TEST(test_fresh_file_is_one_get);
    RUN_TEST(test_partial_file_is_rest_then_get);
    RUN_TEST(test_wrong_restart_offset_is_fatal);
    RUN_TEST(test_offset_past_end_truncates_and_starts_over);
    RUN_TEST(test_partial_that_cannot_be_emptied_is_fatal);
    RUN_TEST(test_offset_past_end_without_offset_is_fatal);
    RUN_TEST(test_per_file_refusals_keep_the_connection);
    RUN_TEST(test_everything_else_ends_the_connection);
    RUN_TEST(test_confirmation_must_name_the_same_file);
    RUN_TEST(test_calls_out_of_order_are_fatal);
    RUN_TEST(test_request_that_does_not_fit_is_refused);
    RUN_TEST(test_request_with_a_line_break_is_refused);
    RUN_TEST(test_hash_verdicts);
    return check_summary();
}
