/* test_replyparse.c - the client reads back exactly what the server writes. */
#include <stdint.h>

#include "check.h"
#include "mts_error.h"
#include "reply.h"
#include "replyparse.h"

/* Parses a line as it arrives: without its CRLF. */
static int parse(const char *sent, struct replyparse_reply *r)
{
    size_t len = strlen(sent);

    if (len >= 2 && sent[len - 2] == '\r' && sent[len - 1] == '\n')
        len -= 2;
    return replyparse_line(sent, len, r);
}

static void test_fixed_replies_from_reply_h(void)
{
    static const struct {
        const char *text;
        enum replyparse_type type;
        enum replyparse_kind kind;
    } cases[] = {
        {REPLY_READY, REPLY_T_READY, REPLY_KIND_OK},
        {REPLY_LOGGED_IN, REPLY_T_LOGGED_IN, REPLY_KIND_OK},
        {REPLY_BAD_PASSWORD, REPLY_T_BAD_PASSWORD, REPLY_KIND_ERROR},
        {REPLY_NOT_LOGGED_IN, REPLY_T_NOT_LOGGED_IN, REPLY_KIND_ERROR},
        {REPLY_INVALID_COMMAND, REPLY_T_INVALID_COMMAND, REPLY_KIND_ERROR},
        {REPLY_TOO_MANY_FAILURES, REPLY_T_TOO_MANY_FAILURES, REPLY_KIND_ERROR},
        {REPLY_LINE_TOO_LONG, REPLY_T_LINE_TOO_LONG, REPLY_KIND_ERROR},
        {REPLY_BAD_CHARS, REPLY_T_BAD_CHARS, REPLY_KIND_ERROR},
        {REPLY_SERVER_BUSY, REPLY_T_SERVER_BUSY, REPLY_KIND_ERROR},
        {REPLY_IDLE_TIMEOUT, REPLY_T_IDLE_TIMEOUT, REPLY_KIND_ERROR},
        {REPLY_USAGE_AUTH, REPLY_T_USAGE_AUTH, REPLY_KIND_ERROR},
        {REPLY_USAGE_PATH, REPLY_T_USAGE_PATH, REPLY_KIND_ERROR},
        {REPLY_BAD_OFFSET, REPLY_T_BAD_OFFSET, REPLY_KIND_ERROR},
        {REPLY_OFFSET_PAST_END, REPLY_T_OFFSET_PAST_END, REPLY_KIND_ERROR},
        {REPLY_HELP, REPLY_T_HELP, REPLY_KIND_OK},
    };
    struct replyparse_reply r;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(parse(cases[i].text, &r), 0);
        CHECK_INT(r.type, cases[i].type);
        CHECK_INT(r.kind, cases[i].kind);
        /* text is the line without its mark and line end */
        CHECK_INT(r.text_len, strlen(cases[i].text) - 3);
        CHECK(memcmp(r.text, cases[i].text + 1, r.text_len) == 0);
    }
    CHECK_STR(REPLY_READY, "#Server Ready.\r\n"); /* the article's text, byte for byte */
}

static void test_sending_round_trip(void)
{
    static const uint64_t sizes[] = {0, 1, 4096, 5u << 20, 2147483647u, 4294967296u,
                                     UINT64_MAX};
    char buf[REPLY_MAX];
    struct replyparse_reply r;

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = reply_sending(buf, sizeof buf, sizes[i]);
        CHECK(n > 0);
        CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
        CHECK_INT(r.type, REPLY_T_SENDING);
        CHECK(r.number == sizes[i]);
        n = reply_restarting(buf, sizeof buf, sizes[i]);
        CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
        CHECK_INT(r.type, REPLY_T_RESTARTING);
        CHECK(r.number == sizes[i]);
    }
}

static void test_bad_numbers_are_not_trusted(void)
{
    static const char *lines[] = {
        "#Sending  bytes.",   "#Sending -1 bytes.", "#Sending 1 2 bytes.",
        "#Sending 0x10 bytes.", "#Sending 18446744073709551616 bytes.",
        "#Sending 12 byte.",  "#Sending 12 bytes",  "#Restarting at .",
        "#Restarting at 5",   "#Sending 1e3 bytes.",
    };
    struct replyparse_reply r;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        CHECK_INT(parse(lines[i], &r), 0);
        CHECK_INT(r.kind, REPLY_KIND_OK);
        CHECK_INT(r.type, REPLY_T_UNKNOWN);
    }
}

static void test_file_lines_carry_their_path(void)
{
    char buf[REPLY_MAX];
    struct replyparse_reply r;
    const char *path = "docs\\a b \xc3\xa9.txt";
    size_t n = reply_file_sent(buf, sizeof buf, path, strlen(path));

    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_FILE_SENT);
    CHECK_MEM_STR(r.path, r.path_len, path);
    CHECK(replyparse_is_file_sent(&r, path, strlen(path)));
    CHECK(!replyparse_is_file_sent(&r, "docs\\a b", 8));

    n = reply_file_failed(buf, sizeof buf, path, strlen(path));
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_FILE_FAILED);
    CHECK_INT(r.kind, REPLY_KIND_ERROR);
    CHECK_MEM_STR(r.path, r.path_len, path);
    CHECK(!replyparse_is_file_sent(&r, path, strlen(path)));

    /* A path that itself looks like the tail still comes back whole. */
    path = "x sent successfully.";
    n = reply_file_sent(buf, sizeof buf, path, strlen(path));
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_MEM_STR(r.path, r.path_len, path);

    /* No path at all is not a file line. */
    CHECK_INT(parse("#File   sent successfully.", &r), 0);
    CHECK_INT(r.type, REPLY_T_FILE_SENT);
    CHECK_MEM_STR(r.path, r.path_len, " ");
    CHECK_INT(parse("#File  sent successfully.", &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
    CHECK_INT(parse("#File sent successfully.", &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
}

static void test_trailing_cr_and_other_lines(void)
{
    struct replyparse_reply r;

    CHECK_INT(replyparse_line("#Server Ready.\r", 15, &r), 0);
    CHECK_INT(r.type, REPLY_T_READY);
    CHECK_INT(replyparse_line("", 0, &r), MTS_ESYNTAX);
    CHECK_INT(r.kind, REPLY_KIND_OTHER);
    CHECK_INT(replyparse_line("\r", 1, &r), MTS_ESYNTAX);
    CHECK_INT(parse("Server Ready.", &r), MTS_ESYNTAX);
    CHECK_INT(r.kind, REPLY_KIND_OTHER);
    CHECK_INT(parse("!Something new.", &r), 0);
    CHECK_INT(r.kind, REPLY_KIND_ERROR);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
    CHECK_MEM_STR(r.text, r.text_len, "Something new.");
    CHECK_INT(parse("#", &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
    CHECK_INT(r.text_len, 0);
    /* Case matters: the server writes these texts exactly. */
    CHECK_INT(parse("#server ready.", &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
}

static void test_hash_and_list_replies_round_trip(void)
{
    static const char hex[] = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    char buf[REPLY_MAX];
    struct replyparse_reply r;
    size_t n = reply_hash(buf, sizeof buf, hex, "a #b.txt", 8);

    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_HASH);
    CHECK_MEM_STR(r.hex, 64, hex);
    CHECK_MEM_STR(r.path, r.path_len, "a #b.txt");
    CHECK(replyparse_is_hash_of(&r, "a #b.txt", 8));
    CHECK(!replyparse_is_hash_of(&r, "a #b.tx", 7));
    n = reply_hash_failed(buf, sizeof buf, "x y", 3);
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_HASH_FAILED);
    CHECK_MEM_STR(r.path, r.path_len, "x y");
    n = reply_hash_changed(buf, sizeof buf, "x", 1);
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_HASH_CHANGED);
    n = reply_list_failed(buf, sizeof buf, "docs", 4);
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_LIST_FAILED);
    CHECK_MEM_STR(r.path, r.path_len, "docs");
    /* Upper-case or short digests, or no path, are not a digest. */
    CHECK_INT(replyparse_line("#SHA-256 2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824 a",
                              75, &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
    CHECK_INT(replyparse_line("#SHA-256 2cf24dba a", 19, &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
    n = reply_hash(buf, sizeof buf, hex, "", 0);
    CHECK_INT(replyparse_line(buf, n - 2, &r), 0);
    CHECK_INT(r.type, REPLY_T_UNKNOWN);
}

int main(void)
{
    RUN_TEST(test_hash_and_list_replies_round_trip);
    RUN_TEST(test_fixed_replies_from_reply_h);
    RUN_TEST(test_sending_round_trip);
    RUN_TEST(test_bad_numbers_are_not_trusted);
    RUN_TEST(test_file_lines_carry_their_path);
    RUN_TEST(test_trailing_cr_and_other_lines);
    return check_summary();
}
