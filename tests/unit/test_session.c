/* test_session.c - the state machine, driven as the server drives it. */
#include "check.h"
#include "session.h"

static struct session s;
static struct session_action act;

/* Feeds a whole line and returns the first action that is not SA_NONE. */
static void line(const char *text)
{
    size_t len = strlen(text), used = 0;

    act.kind = SA_NONE;
    while (used < len) {
        used += session_feed(&s, text + used, len - used, &act);
        if (act.kind != SA_NONE)
            return;
    }
}

#define CHECK_REPLY(kind_, text_)                                                                  \
    do {                                                                                           \
        CHECK_INT(act.kind, kind_);                                                                \
        CHECK_MEM_STR(act.text, act.text_len, text_);                                              \
    } while (0)

static void login(void)
{
    session_init(&s);
    line("AUTH pw\r\n");
    session_auth_result(&s, 1, &act);
}

static void test_greeting(void)
{
    size_t len;
    const char *g = session_greeting(&len);

    CHECK_MEM_STR(g, len, "#Server Ready.\r\n");
}

static void test_file_before_login_is_refused(void)
{
    session_init(&s);
    line("file c:\\config.sys\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
    line("GET x\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
    line("REST 5\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
}

static void test_auth_hands_out_the_password_then_takes_the_verdict(void)
{
    session_init(&s);
    line("auth  yellow  \r\n");
    CHECK_INT(act.kind, SA_AUTH);
    CHECK_MEM_STR(act.arg, act.arg_len, "yellow");
    CHECK_INT(act.arg[act.arg_len], '\0');
    session_auth_result(&s, 0, &act);
    CHECK_REPLY(SA_REPLY, "!Bad password.\r\n");
    line("AUTH passwd\r\n");
    session_auth_result(&s, 1, &act);
    CHECK_REPLY(SA_REPLY, "#You are logged in.\r\n");
    CHECK_INT(s.logged_in, 1);
}

static void test_third_bad_password_closes(void)
{
    session_init(&s);
    for (int i = 1; i <= SESSION_MAX_AUTH_FAILURES; i++) {
        line("AUTH nope\n");
        CHECK_INT(act.kind, SA_AUTH);
        session_auth_result(&s, 0, &act);
        if (i < SESSION_MAX_AUTH_FAILURES)
            CHECK_REPLY(SA_REPLY, "!Bad password.\r\n");
    }
    CHECK_REPLY(SA_REPLY_CLOSE, "!Too many failures.\r\n");
}

static void test_verdict_without_pending_auth_is_ignored(void)
{
    session_init(&s);
    session_auth_result(&s, 1, &act);
    CHECK_INT(act.kind, SA_NONE);
    CHECK_INT(s.logged_in, 0);
    line("HELP\n");
    session_auth_result(&s, 1, &act);
    CHECK_INT(s.logged_in, 0);
}

static void test_file_success_and_failure(void)
{
    login();
    line("FILE a b.txt\r\n");
    CHECK_INT(act.kind, SA_SEND_FILE);
    CHECK_MEM_STR(act.arg, act.arg_len, "a b.txt");
    CHECK_INT(act.offset, 0);
    CHECK_INT(session_file_opened(&s, 1, 10, &act), 1);
    CHECK_INT(act.kind, SA_NONE); /* FILE announces nothing before the bytes */
    session_file_done(&s, 1, &act);
    CHECK_REPLY(SA_REPLY, "#File a b.txt sent successfully.\r\n");

    line("FILE d:\\g5.doc\r\n");
    CHECK_INT(session_file_opened(&s, 0, 0, &act), 0);
    CHECK_REPLY(SA_REPLY, "!File d:\\g5.doc could not be opened.\r\n");
}

static void test_failed_send_closes(void)
{
    login();
    line("FILE a\n");
    CHECK_INT(session_file_opened(&s, 1, 10, &act), 1);
    session_file_done(&s, 0, &act);
    CHECK_INT(act.kind, SA_CLOSE);
}

static void test_get_announces_size_and_rest_applies_once(void)
{
    login();
    line("REST 4\n");
    CHECK_REPLY(SA_REPLY, "#Restarting at 4.\r\n");
    line("GET x\n");
    CHECK_INT(act.kind, SA_SEND_FILE);
    CHECK_INT(act.offset, 4);
    CHECK_INT(session_file_opened(&s, 1, 10, &act), 1);
    CHECK_REPLY(SA_REPLY, "#Sending 6 bytes.\r\n");
    session_file_done(&s, 1, &act);
    CHECK_REPLY(SA_REPLY, "#File x sent successfully.\r\n");
    line("GET x\n");
    CHECK_INT(act.offset, 0);
    /* A GET without its path still uses up the offset. */
    line("REST 4\n");
    line("GET\n");
    CHECK_REPLY(SA_REPLY, "!Usage: FILE <path> or GET <path>.\r\n");
    line("GET x\n");
    CHECK_INT(act.kind, SA_SEND_FILE);
    CHECK_INT(act.offset, 0);
}

static void test_rest_past_end_and_bad_offsets(void)
{
    login();
    line("REST 11\n");
    line("FILE x\n");
    CHECK_INT(session_file_opened(&s, 1, 10, &act), 0);
    CHECK_REPLY(SA_REPLY, "!Offset is past the end of the file.\r\n");
    line("REST 10\n");
    line("GET x\n");
    CHECK_INT(session_file_opened(&s, 1, 10, &act), 1);
    CHECK_REPLY(SA_REPLY, "#Sending 0 bytes.\r\n");
    line("REST -1\n");
    CHECK_REPLY(SA_REPLY, "!Invalid offset.\r\n");
    line("REST\n");
    CHECK_REPLY(SA_REPLY, "!Invalid offset.\r\n");
    line("REST 99999999999999999999\n");
    CHECK_REPLY(SA_REPLY, "!Invalid offset.\r\n");
}

static void test_missing_arguments(void)
{
    session_init(&s);
    line("AUTH\n");
    CHECK_REPLY(SA_REPLY, "!Usage: AUTH <password>.\r\n");
    login();
    line("FILE   \n");
    CHECK_REPLY(SA_REPLY, "!Usage: FILE <path> or GET <path>.\r\n");
    line("GET\n");
    CHECK_REPLY(SA_REPLY, "!Usage: FILE <path> or GET <path>.\r\n");
}

static void test_bad_lines(void)
{
    static char big[LINEBUF_MAX + 10];

    session_init(&s);
    line("BOGUS\n");
    CHECK_REPLY(SA_REPLY, "!Invalid command.\r\n");
    line("FILE \xff\n");
    CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
    {
        size_t used = session_feed(&s, "A\0B\n", 4, &act);
        CHECK_INT(used, 4);
        CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
    }
    memset(big, 'z', sizeof big - 1);
    line(big);
    CHECK_REPLY(SA_REPLY, "!Line too long.\r\n");
    line("\nQUIT\n"); /* the end of the long line, then a real command */
    CHECK_INT(act.kind, SA_CLOSE);
    CHECK_INT(act.verb, CMD_QUIT);
}

static void test_blank_lines_are_ignored_and_pipelining_works(void)
{
    const char *text = "\r\n  \r\nHELP\r\nQUIT\r\n";
    size_t len = strlen(text), used = 0;
    int replies = 0, closes = 0;

    session_init(&s);
    while (used < len) {
        used += session_feed(&s, text + used, len - used, &act);
        replies += act.kind == SA_REPLY;
        closes += act.kind == SA_CLOSE;
    }
    CHECK_INT(replies, 1);
    CHECK_INT(closes, 1);
}

static void test_partial_line_is_reported_until_its_end(void)
{
    session_init(&s);
    CHECK_INT(session_has_partial_line(&s), 0);
    session_feed(&s, "QU", 2, &act);
    CHECK_INT(act.kind, SA_NONE);
    CHECK_INT(session_has_partial_line(&s), 1);
    session_feed(&s, "IT\r\n", 4, &act);
    CHECK_INT(act.kind, SA_CLOSE);
    CHECK_INT(session_has_partial_line(&s), 0);
}

static void test_list_and_hash_need_login(void)
{
    session_init(&s);
    line("LIST\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
    line("HASH a.txt\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
}

static void test_list_hands_out_the_folder_or_the_root(void)
{
    login();
    line("list\r\n");
    CHECK_INT(act.kind, SA_LIST);
    CHECK_INT(act.verb, CMD_LIST);
    CHECK_INT(act.arg_len, 0);
    CHECK_INT(act.arg[0], '\0');
    line("LIST  #odd folder  \r\n");
    CHECK_INT(act.kind, SA_LIST);
    CHECK_MEM_STR(act.arg, act.arg_len, "#odd folder");
    CHECK_INT(act.arg[act.arg_len], '\0');
    session_list_failed(&s, &act);
    CHECK_REPLY(SA_REPLY, "!Folder #odd folder could not be listed.\r\n");
    line("LIST\r\n");
    session_list_failed(&s, &act);
    CHECK_REPLY(SA_REPLY, "!Folder . could not be listed.\r\n");
    /* Nothing pending: no answer. */
    session_list_failed(&s, &act);
    CHECK_INT(act.kind, SA_NONE);
}

static void test_hash_outcomes_and_rest_left_alone(void)
{
    static const char hex[] = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    login();
    line("HASH\r\n");
    CHECK_REPLY(SA_REPLY, "!Usage: HASH <path>.\r\n");
    line("REST 3\r\n");
    line("HASH a b.txt\r\n");
    CHECK_INT(act.kind, SA_HASH);
    CHECK_MEM_STR(act.arg, act.arg_len, "a b.txt");
    session_hash_result(&s, SESSION_HASH_OK, hex, &act);
    CHECK_REPLY(SA_REPLY, "#SHA-256 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 "
                          "a b.txt\r\n");
    line("HASH x\r\n");
    session_hash_result(&s, SESSION_HASH_CHANGED, NULL, &act);
    CHECK_REPLY(SA_REPLY, "!File x changed while it was hashed.\r\n");
    line("HASH x\r\n");
    session_hash_result(&s, SESSION_HASH_FAILED, NULL, &act);
    CHECK_REPLY(SA_REPLY, "!File x could not be hashed.\r\n");
    /* A digest of the wrong length is no digest. */
    line("HASH x\r\n");
    session_hash_result(&s, SESSION_HASH_OK, "abc", &act);
    CHECK_REPLY(SA_REPLY, "!File x could not be hashed.\r\n");
    /* The REST given before the HASHes still applies to the next GET. */
    line("GET x\r\n");
    CHECK_INT(act.kind, SA_SEND_FILE);
    CHECK_INT(act.offset, 3);
}

/* A TLS ClientHello on the plain port, whole or a byte at a time: one
 * line naming the TLS port (or saying there is none), then close; the
 * rest of the ClientHello is not read as lines (issue 20 item 9). */
static void test_client_hello_on_the_plain_port_is_told_where_tls_is(void)
{
    static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\nAB";
    size_t used;

    session_init(&s);
    session_on_plain_port(&s, 2122);
    used = session_feed(&s, hello, sizeof hello - 1, &act);
    CHECK_INT(used, sizeof hello - 1);
    CHECK_REPLY(SA_REFUSE, "!This port speaks plain text, not TLS: TLS is on port 2122.\r\n");

    session_init(&s);
    session_on_plain_port(&s, 0);
    CHECK_INT(session_feed(&s, hello, 1, &act), 1); /* 22 alone cannot tell */
    CHECK_INT(act.kind, SA_NONE);
    CHECK_INT(session_feed(&s, hello + 1, 1, &act), 1);
    CHECK_REPLY(SA_REFUSE, "!This port speaks plain text, and this server has no TLS port.\r\n");

    /* 22 then not 3 is a bad line, as before; so is 22 after the first byte. */
    session_init(&s);
    session_on_plain_port(&s, 2122);
    line("\x16\x04\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
    line("\x16\x03\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
    session_init(&s);
    session_on_plain_port(&s, 2122);
    line("HELP\r\n");
    CHECK_INT(act.kind, SA_REPLY);
    line("\x16\x03\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
    /* A session on the TLS port never looks. */
    session_init(&s);
    line("\x16\x03\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid characters.\r\n");
}

static void test_user_names_the_account_for_auth(void)
{
    session_init(&s);
    line("USER  Alice@corp.example  \r\n");
    CHECK_REPLY(SA_REPLY, "#User accepted; send AUTH <password>.\r\n");
    line("AUTH secret\r\n");
    CHECK_INT(act.kind, SA_AUTH);
    CHECK_MEM_STR(act.arg, act.arg_len, "secret");
    CHECK_MEM_STR(act.user, act.user_len, "Alice@corp.example");
    CHECK_INT(act.user[act.user_len], '\0');
    CHECK(session_account(&s) == NULL);
    session_auth_result(&s, 1, &act);
    CHECK_REPLY(SA_REPLY, "#You are logged in.\r\n");
    CHECK_STR(session_account(&s), "Alice@corp.example");
    /* The account is the session's for good. */
    line("USER bob\r\n");
    CHECK_REPLY(SA_REPLY, "!You are already logged in.\r\n");
    CHECK_STR(session_account(&s), "Alice@corp.example");
}

static void test_right_password_refused_by_the_account(void)
{
    session_init(&s);
    line("USER alice\r\n");
    CHECK_MEM_STR(act.arg, act.arg_len, "alice");
    line("AUTH pw\r\n");
    session_auth_refused(&s, SESSION_ACCOUNT_FULL, &act);
    CHECK_REPLY(SA_REPLY, "!Too many sessions for this account.\r\n");
    CHECK(session_account(&s) == NULL);
    line("FILE x\r\n");
    CHECK_REPLY(SA_REPLY, "!You are not logged in.\r\n");
    line("AUTH pw\r\n");
    session_auth_refused(&s, SESSION_ACCOUNT_NO_ROOT, &act);
    CHECK_REPLY(SA_REPLY, "!This account's folder cannot be served.\r\n");
    /* Not failures: three of them do not close the session. */
    line("AUTH pw\r\n");
    session_auth_refused(&s, SESSION_ACCOUNT_FULL, &act);
    CHECK_INT(act.kind, SA_REPLY);
    CHECK_INT(s.auth_failures, 0);
    /* Without a pending AUTH there is nothing to refuse. */
    session_auth_refused(&s, SESSION_ACCOUNT_FULL, &act);
    CHECK_INT(act.kind, SA_NONE);
}

static void test_bare_auth_is_the_shared_password(void)
{
    session_init(&s);
    line("AUTH pw\r\n");
    CHECK_INT(act.kind, SA_AUTH);
    CHECK(act.user == NULL);
    CHECK_INT(act.user_len, 0);
    session_auth_result(&s, 1, &act);
    CHECK(session_account(&s) == NULL);
}

static void test_user_answers_alike_and_refuses_bad_names(void)
{
    char longest[ACCOUNTS_NAME_MAX + 8];

    session_init(&s);
    line("USER\r\n");
    CHECK_REPLY(SA_REPLY, "!Usage: USER <name>.\r\n");
    line("USER a b\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    line("USER caf\xc3\xa9\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    line("USER ..\\x\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    memset(longest, 'n', sizeof longest);
    memcpy(longest, "USER ", 5);
    memcpy(longest + 5 + ACCOUNTS_NAME_MAX, "\r\n", 3);
    line(longest);
    CHECK_REPLY(SA_REPLY, "#User accepted; send AUTH <password>.\r\n");
    longest[5 + ACCOUNTS_NAME_MAX] = 'n';
    memcpy(longest + 6 + ACCOUNTS_NAME_MAX, "\n", 2);
    line(longest);
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    /* A refused name leaves the one named before. */
    line("AUTH pw\r\n");
    CHECK_INT(act.kind, SA_AUTH);
    CHECK_INT(act.user_len, ACCOUNTS_NAME_MAX);
}

/* With windows_accounts = 1, USER takes DOMAIN\name and name@domain up to
 * SESSION_USER_MAX bytes, and hands them to AUTH intact; without it, a
 * backslash is refused as before, and a store name keeps its 64. */
static void test_windows_names_only_where_the_server_takes_them(void)
{
    char longest[SESSION_USER_MAX + 8];

    session_init(&s);
    line("USER CORP\\alice\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    session_init(&s);
    session_allow_windows_names(&s);
    line("USER CORP\\J\xc3\xbcrgen Meier\r\n");
    CHECK_REPLY(SA_REPLY, "#User accepted; send AUTH <password>.\r\n");
    line("AUTH pw\r\n");
    CHECK_MEM_STR(act.user, act.user_len, "CORP\\J\xc3\xbcrgen Meier"); /* intact, as sent */
    session_auth_result(&s, 0, &act);
    line("USER alice@corp.example\r\n");
    CHECK_REPLY(SA_REPLY, "#User accepted; send AUTH <password>.\r\n");
    line("USER CORP\\al:ice\r\n");
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    line("USER caf\xc3\xa9\r\n"); /* neither a store's name nor a Windows one */
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n");
    /* The longest: a domain, '\', then user name bytes up to the bound. */
    memset(longest, 'n', sizeof longest);
    memcpy(longest, "USER D\\", 7);
    memcpy(longest + 5 + SESSION_USER_MAX, "\r\n", 3);
    line(longest);
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n"); /* 510 user bytes: over 416 */
    /* 95 domain bytes and a '\\': 416 user bytes fill the 512. */
    memset(longest + 5, 'D', 95);
    longest[5 + 95] = '\\';
    line(longest);
    CHECK_REPLY(SA_REPLY, "#User accepted; send AUTH <password>.\r\n");
    line("AUTH pw\r\n");
    CHECK_INT(act.user_len, SESSION_USER_MAX);
    session_auth_result(&s, 0, &act);
    longest[5 + SESSION_USER_MAX] = 'n';
    memcpy(longest + 6 + SESSION_USER_MAX, "\n", 2);
    line(longest);
    CHECK_REPLY(SA_REPLY, "!Invalid user name.\r\n"); /* one byte over */
}

static void test_accounts_only_refuses_a_bare_auth_without_counting(void)
{
    session_init(&s);
    session_set_accounts_only(&s);
    for (int i = 0; i < SESSION_MAX_AUTH_FAILURES + 1; i++) {
        line("AUTH pw\r\n");
        CHECK_REPLY(SA_REPLY, "!Send USER <name> before AUTH.\r\n");
    }
    line("AUTH\r\n");
    CHECK_REPLY(SA_REPLY, "!Usage: AUTH <password>.\r\n");
    line("USER carol\r\n");
    line("AUTH pw\r\n");
    CHECK_INT(act.kind, SA_AUTH);
    CHECK_MEM_STR(act.user, act.user_len, "carol");
    session_auth_result(&s, 0, &act);
    CHECK_REPLY(SA_REPLY, "!Bad password.\r\n");
    CHECK(session_account(&s) == NULL);
}

int main(void)
{
    RUN_TEST(test_user_names_the_account_for_auth);
    RUN_TEST(test_bare_auth_is_the_shared_password);
    RUN_TEST(test_right_password_refused_by_the_account);
    RUN_TEST(test_user_answers_alike_and_refuses_bad_names);
    RUN_TEST(test_windows_names_only_where_the_server_takes_them);
    RUN_TEST(test_accounts_only_refuses_a_bare_auth_without_counting);
    RUN_TEST(test_list_and_hash_need_login);
    RUN_TEST(test_list_hands_out_the_folder_or_the_root);
    RUN_TEST(test_hash_outcomes_and_rest_left_alone);
    RUN_TEST(test_greeting);
    RUN_TEST(test_file_before_login_is_refused);
    RUN_TEST(test_auth_hands_out_the_password_then_takes_the_verdict);
    RUN_TEST(test_third_bad_password_closes);
    RUN_TEST(test_verdict_without_pending_auth_is_ignored);
    RUN_TEST(test_file_success_and_failure);
    RUN_TEST(test_failed_send_closes);
    RUN_TEST(test_get_announces_size_and_rest_applies_once);
    RUN_TEST(test_rest_past_end_and_bad_offsets);
    RUN_TEST(test_missing_arguments);
    RUN_TEST(test_bad_lines);
    RUN_TEST(test_blank_lines_are_ignored_and_pipelining_works);
    RUN_TEST(test_partial_line_is_reported_until_its_end);
    RUN_TEST(test_client_hello_on_the_plain_port_is_told_where_tls_is);
    return check_summary();
}
