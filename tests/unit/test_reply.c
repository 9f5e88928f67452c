/* test_reply.c - the article's texts, byte for byte, and the formatters. */
#include "check.h"
#include "reply.h"

static void test_article_texts(void)
{
    CHECK_STR(REPLY_READY, "#Server Ready.\r\n");
    CHECK_STR(REPLY_LOGGED_IN, "#You are logged in.\r\n");
    CHECK_STR(REPLY_BAD_PASSWORD, "!Bad password.\r\n");
    CHECK_STR(REPLY_NOT_LOGGED_IN, "!You are not logged in.\r\n");
    CHECK_STR(REPLY_INVALID_COMMAND, "!Invalid command.\r\n");
}

static void test_file_lines(void)
{
    char buf[64];
    size_t n = reply_file_sent(buf, sizeof buf, "c:\\config.sys", 13);

    CHECK_MEM_STR(buf, n, "#File c:\\config.sys sent successfully.\r\n");
    n = reply_file_failed(buf, sizeof buf, "d:\\g5.doc", 9);
    CHECK_MEM_STR(buf, n, "!File d:\\g5.doc could not be opened.\r\n");
}

static void test_number_lines(void)
{
    char buf[64];
    size_t n = reply_sending(buf, sizeof buf, 18446744073709551615ull);

    CHECK_MEM_STR(buf, n, "#Sending 18446744073709551615 bytes.\r\n");
    n = reply_restarting(buf, sizeof buf, 0);
    CHECK_MEM_STR(buf, n, "#Restarting at 0.\r\n");
}

static void test_too_small_buffer_gives_zero(void)
{
    char buf[20];
    static char path[LINEBUF_MAX];
    static char big[REPLY_MAX];

    CHECK_INT(reply_file_sent(buf, sizeof buf, "c:\\config.sys", 13), 0);
    memset(path, 'p', sizeof path);
    CHECK(reply_file_failed(big, sizeof big, path, sizeof path) > 0);
}

int main(void)
{
    RUN_TEST(test_article_texts);
    RUN_TEST(test_file_lines);
    RUN_TEST(test_number_lines);
    RUN_TEST(test_too_small_buffer_gives_zero);
    return check_summary();
}
