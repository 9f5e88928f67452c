/* test_clientpath.c - what the client asks for and the name it saves under. */
#include "check.h"
#include "clientpath.h"
#include "mts_error.h"
#include "reply.h"

static int trim(const char *path, char *out)
{
    const char *start;
    size_t len;
    int rc = clientpath_trim_request(path, strlen(path), &start, &len);

    memcpy(out, start, len);
    out[len] = '\0';
    return rc;
}

static void test_request_is_trimmed_like_the_server_does(void)
{
    char out[64];

    CHECK_INT(trim("  a b.txt \t", out), 0);
    CHECK_STR(out, "a b.txt");
    CHECK_INT(trim("c:\\cp.gif", out), 0);
    CHECK_STR(out, "c:\\cp.gif");
    CHECK_INT(trim(" \t ", out), MTS_EMISSING);
    CHECK_INT(trim("", out), MTS_EMISSING);
}

static void test_request_cannot_carry_a_second_line(void)
{
    char out[64];

    CHECK_INT(trim("a.txt\r\nQUIT", out), MTS_EBADCHAR);
    CHECK_INT(trim("a\nb", out), MTS_EBADCHAR);
    CHECK_INT(trim("a\x7f", out), MTS_EBADCHAR);
    CHECK_INT(trim("caf\xe9", out), MTS_EBADCHAR); /* Latin-1, not UTF-8 */
    CHECK_INT(trim("caf\xc3\xa9", out), 0);
}

static void test_request_length_limit(void)
{
    static char path[CLIENTPATH_MAX + 2];
    const char *start;
    size_t len;

    memset(path, 'a', sizeof path - 1);
    CHECK_INT(clientpath_trim_request(path, CLIENTPATH_MAX, &start, &len), 0);
    CHECK_INT(clientpath_trim_request(path, CLIENTPATH_MAX + 1, &start, &len), MTS_ETOOLONG);
}

/* Every answer that repeats the longest path still fits the client's line buffer. */
static void test_longest_request_answers_fit_a_line(void)
{
    static char path[CLIENTPATH_MAX], line[REPLY_MAX];

    memset(path, 'a', sizeof path);
    CHECK(reply_file_sent(line, sizeof line, path, sizeof path) - 2 <= LINEBUF_MAX);
    CHECK(reply_file_failed(line, sizeof line, path, sizeof path) - 2 <= LINEBUF_MAX);
    CHECK(4 + sizeof path <= LINEBUF_MAX); /* "GET " and the path */
}

static int save(const char *path, char *out, size_t cap)
{
    return clientpath_save_name(path, strlen(path), out, cap);
}

static void test_save_name_is_the_base_name(void)
{
    char out[64];

    CHECK_INT(save("c:\\cp.gif", out, sizeof out), 0);
    CHECK_STR(out, "cp.gif");
    CHECK_INT(save("docs/sub\\r\xc3\xa9sum\xc3\xa9 1.txt", out, sizeof out), 0);
    CHECK_STR(out, "r\xc3\xa9sum\xc3\xa9 1.txt");
    CHECK_INT(save("d:g5.doc", out, sizeof out), 0);
    CHECK_STR(out, "g5.doc");
    CHECK_INT(save("plain", out, sizeof out), 0);
    CHECK_STR(out, "plain");
    CHECK_INT(save("plain", out, 5), MTS_ENOSPC);
    CHECK_INT(save("plain", out, 6), 0);
}

static void test_unusable_save_names(void)
{
    static const char *const bad[] = {"dir\\", "dir/", "c:", "..", ".", "a\\..", "CON",
                                      "x\\nul.txt", "com1", "LPT9.log", "name.", "name ",
                                      "a?b", "a*b", "a\"b", "a<b", "a|b"};
    char out[64];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (save(bad[i], out, sizeof out) != MTS_EPATH) {
            check_fail(__FILE__, __LINE__, "save name refused", bad[i]);
            return;
        }
    }
}

/* -r saves what LIST names under the same name: only one plain part that
 * saves unchanged, so a hostile or broken server cannot make the client
 * write outside the folder it is filling, nor to a device or a stream. */
static void test_listed_names(void)
{
    static const char *const good[] = {"a b.txt", "#hash", "!bang", ".hidden", "caf\xc3\xa9",
                                       "x.tar.gz", "COM10", "CONFIG", "a..b", "...a"};
    static const char *const bad[] = {
        "", ".", "..", "...",                          /* empty, this folder, the parent */
        "\\x", "/x", "\\\\srv\\share", "C:\\x", "C:x", "C:", /* absolute, drives */
        "a:b", "a.txt:stream", "a.txt::$DATA", ":",   /* alternate data streams */
        "a\\b", "a/b", "..\\x", "../x", "x\\", "x/",    /* separators */
        "CON", "con", "NUL", "nul.txt", "AUX", "PRN", "COM1", "com9.log", "LPT1", "lpt9",
        "CONIN$", "CONOUT$", "con.d",                 /* devices */
        "name.", "name ", "name. ", "a.. ",          /* trailing dots and spaces */
        "a?b", "a*b", "a\"b", "a<b", "a>b", "a|b",     /* wildcards and quotes */
        "a\x01", "\x1f"};                            /* control characters */
    static char longest[300];

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (clientpath_check_listed(good[i], strlen(good[i])) != 0) {
            check_fail(__FILE__, __LINE__, "listed name taken", good[i]);
            return;
        }
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (clientpath_check_listed(bad[i], strlen(bad[i])) != MTS_EPATH) {
            check_fail(__FILE__, __LINE__, "listed name refused", bad[i]);
            return;
        }
    }
    /* A NUL inside, which a C string would hide. */
    CHECK_INT(clientpath_check_listed("a\0b", 3), MTS_EPATH);
    /* Over-long: what fits beside a folder, no more (pathpol's limit). */
    memset(longest, 'n', sizeof longest);
    CHECK_INT(clientpath_check_listed(longest, 200), 0);
    CHECK_INT(clientpath_check_listed(longest, sizeof longest), MTS_EPATH);
}

/* "mtsclient -r ." fetches the whole root (issue 21 item 15): which
 * requests name the root itself. */
static void test_root_requests(void)
{
    static const char *const root[] = {".", "\\", "/", ".\\", "./", "\\.", "/./", ".\\.\\"};
    static const char *const not_root[] = {"", "..", "docs", ".\\docs", "\\docs", "..\\.",
                                           ". .", "C:\\", "C:"};

    for (size_t i = 0; i < sizeof root / sizeof root[0]; i++)
        CHECK_INT(clientpath_is_root(root[i], strlen(root[i])), 1);
    for (size_t i = 0; i < sizeof not_root / sizeof not_root[0]; i++)
        CHECK_INT(clientpath_is_root(not_root[i], strlen(not_root[i])), 0);
}

int main(void)
{
    RUN_TEST(test_request_is_trimmed_like_the_server_does);
    RUN_TEST(test_request_cannot_carry_a_second_line);
    RUN_TEST(test_request_length_limit);
    RUN_TEST(test_longest_request_answers_fit_a_line);
    RUN_TEST(test_root_requests);
    RUN_TEST(test_save_name_is_the_base_name);
    RUN_TEST(test_unusable_save_names);
    RUN_TEST(test_listed_names);
    return check_summary();
}
