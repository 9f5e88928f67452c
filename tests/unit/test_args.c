/* test_args.c - the command line split as shell32's CommandLineToArgvW
 * splits it: each line below by both splitters, and the answers the rules
 * give written out for the lines whose rule matters most (under Wine, whose
 * CommandLineToArgvW follows Windows' by its conformance tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shellapi.h>

#include "args.h"
#include "check.h"
#include "wstr.h"

static const wchar_t *const lines[] = {
    L"prog",
    L"prog a b  c",
    L"prog \ta\t b ",
    L"\"C:\\Program Files\\mts\\mtsclient.exe\" -s host file.txt",
    L"\"C:\\a b\\x.exe\"rest of it",
    L"C:\\dir\\x.exe \"a b\" c",
    L"x \"\"",
    L"x \"\" \"\"",
    L"x a\"\"b",
    L"x \"a\"\"b\"",
    L"x \"a\"\"\"b\"",
    L"x \"\"\"\"",
    L"x \"\"\"\"\"\"",
    L"x \"\"\"a b\"\"\"",
    L"x a\\\"b",
    L"x a\\\\\"b c\"",
    L"x a\\\\\\\"b",
    L"x \"a\\\\\" b",
    L"x a\\b\\\\c",
    L"x \\\\server\\share\\dir\\",
    L"x \"C:\\a dir\\\\\"",
    L"x \"C:\\a dir\\\"",
    L"x \\\"\"a b\"",
    L"x \"unterminated arg",
    L"x -o C:\\ -f",
    L" leading blank",
    L"\"\" empty name",
    L"\"unterminated name",
    L"x \xe9t\xe9 \x65e5\x672c",
};

/* Both splitters on one line: the same count and the same strings. */
static void same_split(const wchar_t *line)
{
    int n_ours = 0, n_theirs = 0;
    char **ours = NULL;
    wchar_t **theirs = CommandLineToArgvW(line, &n_theirs);

    CHECK(theirs != NULL);
    CHECK_INT(args_utf8_from(line, &n_ours, &ours), 0);
    if (n_ours != n_theirs)
        printf("  line: %ls\n", line);
    CHECK_INT(n_ours, n_theirs);
    for (int i = 0; i < n_ours; i++) {
        char *expected = wstr_to_utf8(theirs[i]);
        CHECK(expected != NULL);
        if (strcmp(ours[i], expected) != 0)
            printf("  line: %ls, argument %d\n", line, i);
        CHECK_STR(ours[i], expected);
        free(expected);
    }
    LocalFree(theirs);
}

static void test_each_line_splits_as_commandlinetoargvw_splits_it(void)
{
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        same_split(lines[i]);
        if (check_failed_now)
            return;
    }
}

/* An empty line: the program's own path, as CommandLineToArgvW gives. */
static void test_an_empty_line_gives_the_programs_path(void)
{
    int n = 0;
    char **argv = NULL;

    same_split(L"");
    if (check_failed_now)
        return;
    CHECK_INT(args_utf8_from(L"", &n, &argv), 0);
    CHECK_INT(n, 1);
    CHECK(strstr(argv[0], "test_args") != NULL);
}

/* The rules themselves, so that a change in Wine's splitter would not pass
 * unseen: each line and the arguments after the program's name. */
static void test_the_rules_answers(void)
{
    static const struct {
        const wchar_t *line;
        int argc;
        const char *args[3];
    } rows[] = {
        {L"x \"a b\" c", 3, {"a b", "c"}},
        {L"x \"\"", 2, {""}},
        {L"x a\"\"b", 2, {"ab"}},
        {L"x \"a\"\"b\"", 2, {"a\"b"}},
        {L"x \"\"\"\"", 2, {"\""}},
        {L"x a\\\"b", 2, {"a\"b"}},
        {L"x a\\\\\"b c\"", 2, {"a\\b c"}},
        {L"x a\\b\\\\c", 2, {"a\\b\\\\c"}},
        {L"x \"C:\\a dir\\\\\" z", 3, {"C:\\a dir\\", "z"}},
        {L"\"C:\\a b\\x.exe\" -q", 2, {"-q"}},
        /* text beyond ASCII arrives as UTF-8 */
        {L"x \xe9t\xe9", 2, {"\xc3\xa9t\xc3\xa9"}},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = 0;
        char **argv = NULL;

        CHECK_INT(args_utf8_from(rows[i].line, &n, &argv), 0);
        CHECK_INT(n, rows[i].argc);
        for (int a = 1; a < n; a++)
            CHECK_STR(argv[a], rows[i].args[a - 1]);
    }
}

static void test_the_programs_name_keeps_its_backslashes_and_ends_at_the_quote(void)
{
    int n = 0;
    char **argv = NULL;

    CHECK_INT(args_utf8_from(L"\"C:\\a b\\x.exe\"rest", &n, &argv), 0);
    CHECK_INT(n, 2);
    CHECK_STR(argv[0], "C:\\a b\\x.exe");
    CHECK_STR(argv[1], "rest");
}

int main(void)
{
    RUN_TEST(test_each_line_splits_as_commandlinetoargvw_splits_it);
    RUN_TEST(test_an_empty_line_gives_the_programs_path);
    RUN_TEST(test_the_rules_answers);
    RUN_TEST(test_the_programs_name_keeps_its_backslashes_and_ends_at_the_quote);
    return check_summary();
}
