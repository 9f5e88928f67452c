/* test_command.c - verbs, arguments, trimming and refusal of bad bytes. */
#include "check.h"
#include "command.h"
#include "mts_error.h"

static int parse(const char *line, struct command *cmd)
{
    return command_parse(line, strlen(line), cmd);
}

static void test_verbs_are_case_insensitive(void)
{
    struct command cmd;

    CHECK_INT(parse("quit", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_QUIT);
    CHECK_INT(parse("QuIt", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_QUIT);
    CHECK_INT(parse("file x", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_FILE);
    CHECK_INT(parse("Get x", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_GET);
    CHECK_INT(parse("rest 5", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_REST);
    CHECK_INT(parse("help", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_HELP);
}

static void test_argument_keeps_inner_spaces_and_drops_outer_ones(void)
{
    struct command cmd;

    CHECK_INT(parse(" \tFILE   my  file.txt \t ", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_FILE);
    CHECK_MEM_STR(cmd.arg, cmd.arg_len, "my  file.txt");
}

static void test_missing_argument_is_empty(void)
{
    struct command cmd;

    CHECK_INT(parse("AUTH", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_AUTH);
    CHECK_INT(cmd.arg_len, 0);
    CHECK_INT(parse("AUTH    ", &cmd), 0);
    CHECK_INT(cmd.arg_len, 0);
}

static void test_prefixes_and_extensions_of_verbs_are_unknown(void)
{
    struct command cmd;

    CHECK_INT(parse("QUI", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_UNKNOWN);
    CHECK_INT(parse("QUITTER", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_UNKNOWN);
    CHECK_INT(parse("FILEx a", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_UNKNOWN);
    CHECK_INT(parse("\xc3\xa9t\xc3\xa9", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_UNKNOWN);
}

static void test_blank_lines(void)
{
    struct command cmd;

    CHECK_INT(parse("", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_BLANK);
    CHECK_INT(parse(" \t ", &cmd), 0);
    CHECK_INT(cmd.verb, CMD_BLANK);
}

static void test_bad_bytes_are_refused(void)
{
    struct command cmd;

    CHECK_INT(command_parse("FILE a\0b", 8, &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE a\x01", &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE a\x7f", &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE a\r", &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE \xff\xfe", &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE \xc0\xaf", &cmd), MTS_EBADCHAR);
    CHECK_INT(parse("FILE caf\xc3\xa9", &cmd), 0);
    CHECK_MEM_STR(cmd.arg, cmd.arg_len, "caf\xc3\xa9");
}

static void test_names_for_the_log(void)
{
    CHECK_STR(command_name(CMD_FILE), "FILE");
    CHECK_STR(command_name(CMD_REST), "REST");
    CHECK_STR(command_name(CMD_UNKNOWN), "?");
    CHECK_STR(command_name(CMD_BLANK), "-");
}

static void test_passwords_auth_could_never_match_are_named(void)
{
    static const char *bad[] = {"", " lead", "trail ", "\tx", "x\t", "in\tside", "a\001b",
                                "del\x7f", "cr\r", "\xff\xfe"};
    static const char *good[] = {"s3cret pass", "inner  spaces", "\xc3\xa9t\xc3\xa9", "x"};
    char line[64];
    struct command cmd;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(command_password_problem(bad[i], strlen(bad[i])) != NULL);
    CHECK(strstr(command_password_problem(" lead", 5), "blank") != NULL);
    CHECK(strstr(command_password_problem("a\x01" "b", 3), "control") != NULL);
    CHECK(strstr(command_password_problem("", 0), "empty") != NULL);
    /* What passes arrives at AUTH whole: the parser hands back the same bytes. */
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK(command_password_problem(good[i], strlen(good[i])) == NULL);
        snprintf(line, sizeof line, "AUTH  %s ", good[i]);
        CHECK_INT(command_parse(line, strlen(line), &cmd), 0);
        CHECK_INT(cmd.verb, CMD_AUTH);
        CHECK_MEM_STR(cmd.arg, cmd.arg_len, good[i]);
    }
}

int main(void)
{
    RUN_TEST(test_verbs_are_case_insensitive);
    RUN_TEST(test_argument_keeps_inner_spaces_and_drops_outer_ones);
    RUN_TEST(test_missing_argument_is_empty);
    RUN_TEST(test_prefixes_and_extensions_of_verbs_are_unknown);
    RUN_TEST(test_blank_lines);
    RUN_TEST(test_bad_bytes_are_refused);
    RUN_TEST(test_names_for_the_log);
    RUN_TEST(test_passwords_auth_could_never_match_are_named);
    return check_summary();
}
