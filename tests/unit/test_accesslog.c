/* test_accesslog.c - one parseable line per request. */
#include "accesslog.h"
#include "check.h"

static struct accesslog_entry entry(const char *path)
{
    struct accesslog_entry e;

    memset(&e, 0, sizeof e);
    e.when.year = 2026;
    e.when.month = 11;
    e.when.day = 5;
    e.when.hour = 7;
    e.when.minute = 8;
    e.when.second = 9;
    e.when.millisecond = 12;
    e.peer = "[::1]:50123";
    e.command = "FILE";
    e.path = path;
    e.path_len = path ? strlen(path) : 0;
    e.bytes = 1234;
    e.result = "ok";
    e.ms = 3;
    return e;
}

static void test_line_layout(void)
{
    char buf[256];
    struct accesslog_entry e = entry("docs\\a b.txt");
    size_t n = accesslog_format(buf, sizeof buf, &e);

    CHECK_MEM_STR(buf, n, "2026-11-05T07:08:09.012Z [::1]:50123 FILE \"docs\\a b.txt\" 1234 ok 3ms\n");
}

static void test_text_line_has_the_same_timestamp(void)
{
    char buf[64];
    struct accesslog_entry e = entry(NULL);
    size_t n = accesslog_format_text(buf, sizeof buf, &e.when, "mtserver stopped");

    CHECK_MEM_STR(buf, n, "2026-11-05T07:08:09.012Z mtserver stopped\n");
    /* One byte short of the line and its NUL: nothing. */
    CHECK_INT(accesslog_format_text(buf, n, &e.when, "mtserver stopped"), 0);
    CHECK_INT(accesslog_format_text(buf, n + 1, &e.when, "mtserver stopped"), n);
}

static void test_tls_requests_say_protocol_and_cipher(void)
{
    char buf[256];
    struct accesslog_entry e = entry("a");
    size_t n;

    e.tls = "TLSv1.2/TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    n = accesslog_format(buf, sizeof buf, &e);
    CHECK_MEM_STR(buf, n,
                  "2026-11-05T07:08:09.012Z [::1]:50123 FILE \"a\" 1234 ok 3ms "
                  "tls=TLSv1.2/TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n");
}

static void test_no_path(void)
{
    char buf[256];
    struct accesslog_entry e = entry(NULL);
    size_t n;

    e.command = "AUTH";
    e.bytes = 0;
    e.result = "bad-password";
    n = accesslog_format(buf, sizeof buf, &e);
    CHECK_MEM_STR(buf, n, "2026-11-05T07:08:09.012Z [::1]:50123 AUTH - 0 bad-password 3ms\n");
}

static void test_quotes_percent_and_controls_are_escaped(void)
{
    char buf[256];
    struct accesslog_entry e = entry("a\"b%c\x01\n");
    size_t n = accesslog_format(buf, sizeof buf, &e);

    CHECK(n > 0);
    CHECK(strstr(buf, "\"a%22b%25c%01%0A\"") != NULL);
    CHECK(strchr(buf, '\n') == buf + n - 1);
}

static void test_every_too_small_buffer_gives_zero(void)
{
    char buf[128];
    struct accesslog_entry e = entry("x");
    size_t full = accesslog_format(buf, sizeof buf, &e);

    CHECK(full > 0);
    for (size_t cap = 0; cap <= full; cap++)
        CHECK_INT(accesslog_format(buf, cap, &e), 0);
    CHECK_INT(accesslog_format(buf, full + 1, &e), full);
}

static void test_longest_path_fits_the_documented_maximum(void)
{
    static char path[8192];
    static char buf[ACCESSLOG_LINE_MAX];
    struct accesslog_entry e;

    memset(path, '"', sizeof path); /* every byte escaped: the worst case */
    e = entry(NULL);
    e.path = path;
    e.path_len = sizeof path;
    CHECK(accesslog_format(buf, sizeof buf, &e) > 3 * sizeof path);
}

int main(void)
{
    RUN_TEST(test_line_layout);
    RUN_TEST(test_text_line_has_the_same_timestamp);
    RUN_TEST(test_tls_requests_say_protocol_and_cipher);
    RUN_TEST(test_no_path);
    RUN_TEST(test_quotes_percent_and_controls_are_escaped);
    RUN_TEST(test_every_too_small_buffer_gives_zero);
    RUN_TEST(test_longest_path_fits_the_documented_maximum);
    return check_summary();
}
