/* test_request.c - the request lines the client sends: each verb, the
 * line limit to the byte, and the arguments refused because the server
 * would read them as something else. */
#include "check.h"
#include "command.h"
#include "mts_error.h"
#include "request.h"

static size_t fmt(enum command_verb verb, const char *arg, char *out, size_t cap)
{
    return request_format(verb, arg, arg ? strlen(arg) : 0, out, cap);
}

static void test_every_verb(void)
{
    static const struct {
        enum command_verb verb;
        const char *arg, *line;
    } cases[] = {
        {CMD_USER, "alice", "USER alice\r\n"},
        {CMD_AUTH, "two words", "AUTH two words\r\n"},
        {CMD_FILE, "a.txt", "FILE a.txt\r\n"},
        {CMD_GET, "c:\\cp.gif", "GET c:\\cp.gif\r\n"},
        {CMD_REST, "30000", "REST 30000\r\n"},
        {CMD_LIST, NULL, "LIST\r\n"},
        {CMD_LIST, "a b", "LIST a b\r\n"},
        {CMD_HASH, "docs\\v.bin", "HASH docs\\v.bin\r\n"},
        {CMD_QUIT, NULL, "QUIT\r\n"},
        {CMD_HELP, NULL, "HELP\r\n"},
    };
    char out[80];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = fmt(cases[i].verb, cases[i].arg, out, sizeof out);
        CHECK_MEM_STR(out, n, cases[i].line);
    }
}

/* What each verb takes: QUIT nothing, LIST and HELP maybe, REST digits,
 * the rest something; blank and unknown are no verbs to send. */
static void test_arguments_each_verb_takes(void)
{
    char out[80];

    CHECK_INT(request_check(CMD_QUIT, "now", 3), MTS_EINVAL);
    CHECK_INT(request_check(CMD_BLANK, NULL, 0), MTS_EINVAL);
    CHECK_INT(request_check(CMD_UNKNOWN, "x", 1), MTS_EINVAL);
    CHECK_INT(request_check(CMD_USER, NULL, 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_AUTH, "", 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_FILE, NULL, 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_GET, NULL, 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_HASH, NULL, 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_REST, NULL, 0), MTS_EMISSING);
    CHECK_INT(request_check(CMD_REST, "12a", 3), MTS_EBADCHAR);
    CHECK_INT(request_check(CMD_REST, "-1", 2), MTS_EBADCHAR);
    CHECK_INT(request_check(CMD_REST, "0", 1), 0);
    CHECK_INT(fmt(CMD_QUIT, "now", out, sizeof out), 0);
    CHECK_INT(fmt(CMD_GET, NULL, out, sizeof out), 0);
}

/* A CR or LF would end the line and make the rest a second command; a
 * blank at either end would be trimmed away by the server. */
static void test_arguments_that_would_read_back_otherwise(void)
{
    static const char *const bad[] = {"a.txt\r\nQUIT", "a\nb", "a\rb", "x\r\nAUTH y",
                                      "a\x7f", "a\x01", "\x1b[2J", " a", "a ", "\ta",
                                      "a\t", " ", "caf\xe9", "\xc3"};
    char out[80];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (request_check(CMD_GET, bad[i], strlen(bad[i])) != MTS_EBADCHAR ||
            fmt(CMD_GET, bad[i], out, sizeof out) != 0) {
            check_fail(__FILE__, __LINE__, "argument refused", bad[i]);
            return;
        }
    }
    /* A NUL inside, which strlen would hide. */
    CHECK_INT(request_check(CMD_AUTH, "pw\0x", 4), MTS_EBADCHAR);
    CHECK_INT(request_format(CMD_AUTH, "pw\0x", 4, out, sizeof out), 0);
    /* A tab inside is the argument's own: the server keeps it. */
    CHECK_INT(fmt(CMD_LIST, "a\tb", out, sizeof out), 10);
    CHECK_MEM_STR(out, 10, "LIST a\tb\r\n");
    CHECK_INT(fmt(CMD_GET, "caf\xc3\xa9", out, sizeof out), 11);
}

/* The server takes lines of LINEBUF_MAX bytes, CR LF not counted: a line
 * of exactly that is made, one byte more is not. */
static void test_line_limit_to_the_byte(void)
{
    static char arg[LINEBUF_MAX], out[REQUEST_LINE_MAX + 1];
    size_t most = LINEBUF_MAX - 4; /* "GET " */

    memset(arg, 'a', sizeof arg);
    CHECK_INT(request_check(CMD_GET, arg, most), 0);
    CHECK_INT(request_format(CMD_GET, arg, most, out, REQUEST_LINE_MAX), REQUEST_LINE_MAX);
    CHECK_MEM_STR(out + REQUEST_LINE_MAX - 3, 3, "a\r\n");
    CHECK_INT(request_check(CMD_GET, arg, most + 1), MTS_ETOOLONG);
    CHECK_INT(request_format(CMD_GET, arg, most + 1, out, sizeof out), 0);
    CHECK_INT(request_check(CMD_HASH, arg, LINEBUF_MAX - 5), 0);
    CHECK_INT(request_check(CMD_HASH, arg, LINEBUF_MAX - 4), MTS_ETOOLONG);
    /* The caller's buffer: one byte short of the line is refused whole. */
    CHECK_INT(fmt(CMD_USER, "alice", out, 11), 0);
    CHECK_INT(fmt(CMD_USER, "alice", out, 12), 12);
}

/* What is made parses back, through the server's own parser, to the same
 * verb and argument. */
static void test_lines_parse_back(void)
{
    static const struct {
        enum command_verb verb;
        const char *arg;
    } cases[] = {{CMD_USER, "Alice.B-c_d@e"}, {CMD_AUTH, "p\tw d"}, {CMD_GET, "a b\\c.txt"},
                 {CMD_LIST, ""},              {CMD_REST, "7"},      {CMD_QUIT, ""}};
    char out[80];
    struct command cmd;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = fmt(cases[i].verb, cases[i].arg, out, sizeof out);
        CHECK(n > 2);
        CHECK_INT(command_parse(out, n - 2, &cmd), 0);
        CHECK_INT(cmd.verb, cases[i].verb);
        CHECK_MEM_STR(cmd.arg, cmd.arg_len, cases[i].arg);
    }
}

int main(void)
{
    RUN_TEST(test_every_verb);
    RUN_TEST(test_arguments_each_verb_takes);
    RUN_TEST(test_arguments_that_would_read_back_otherwise);
    RUN_TEST(test_line_limit_to_the_byte);
    RUN_TEST(test_lines_parse_back);
    return check_summary();
}
