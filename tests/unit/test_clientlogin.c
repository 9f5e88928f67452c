/* test_clientlogin.c - the greeting and the AUTH answer as the client reads
 * them, with the server's own reply texts. */
#include "check.h"
#include "clientlogin.h"
#include "reply.h"

/* A reply as the connection hands it over: without CR LF. */
static size_t bare(const char *text)
{
    size_t len = strlen(text);

    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    return len;
}

static enum clientlogin_outcome greet(const char *line, size_t len)
{
    const char *said;
    size_t said_len;

    return clientlogin_greeting(line, len, &said, &said_len);
}

static void test_greetings(void)
{
    CHECK_INT(greet(REPLY_READY, bare(REPLY_READY)), CLIENTLOGIN_GO_ON);
    CHECK_INT(greet(REPLY_SERVER_BUSY, bare(REPLY_SERVER_BUSY)), CLIENTLOGIN_BUSY);
    CHECK_INT(greet("SSH-2.0-OpenSSH", 15), CLIENTLOGIN_NOT_MTSERVER);
    CHECK_INT(greet("", 0), CLIENTLOGIN_NOT_MTSERVER);
    CHECK_INT(greet(REPLY_LOGGED_IN, bare(REPLY_LOGGED_IN)),
              CLIENTLOGIN_NOT_MTSERVER);
}

/* Every '!' line the server can open a connection with (server/serve/server.c's
 * refusals, server/serve/connection.c's stop) means something of its own, and
 * none of them is "not an mtserver" (issue 21 item 2). */
static void test_refusing_greetings_are_told_apart(void)
{
    const char *said;
    size_t len;

    CHECK_INT(greet(REPLY_TOO_MANY_FAILURES, bare(REPLY_TOO_MANY_FAILURES)),
              CLIENTLOGIN_BANNED);
    CHECK_INT(greet(REPLY_SERVER_STOPPING, bare(REPLY_SERVER_STOPPING)),
              CLIENTLOGIN_STOPPING);
    /* A refusal this client does not know yet (a newer server's) is still
     * a refusal, shown with its text, not a foreign server. */
    CHECK_INT(greet("!Go away.", 9), CLIENTLOGIN_REFUSED);
    CHECK_INT(clientlogin_greeting("!Go away.", 9, &said, &len), CLIENTLOGIN_REFUSED);
    CHECK_MEM_STR(said, len, "Go away.");
    CHECK_INT(greet("!", 1), CLIENTLOGIN_REFUSED);
    CHECK_INT(greet("#Hello.", 7), CLIENTLOGIN_NOT_MTSERVER);
}

/* a starts with b: shown as both texts when it does not. */
#define CHECK_STR_PREFIX(a, b)                                                                     \
    CHECK_MEM_STR((a), strlen(a) < strlen(b) ? strlen(a) : strlen(b), (b))

/* The words for each outcome, decided here rather than in client/main.c:
 * CLIENT.md promises "too many failed passwords; ..." for a ban. */
static void test_descriptions(void)
{
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_BANNED), "too many failed passwords; ");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_TOO_MANY), "too many failed passwords; ");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_BUSY), "the server is busy");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_STOPPING), "the server is stopping");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_BAD_PASSWORD), "bad password");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_CLOSED), "the server closed the connection");
    CHECK_STR_PREFIX(clientlogin_describe(CLIENTLOGIN_NOT_MTSERVER), "does not greet like");
}

static void test_answers(void)
{
    const char *said;
    size_t len;

    CHECK_INT(clientlogin_answer(REPLY_LOGGED_IN, bare(REPLY_LOGGED_IN), &said, &len),
              CLIENTLOGIN_GO_ON);
    CHECK_INT(clientlogin_answer(REPLY_BAD_PASSWORD, bare(REPLY_BAD_PASSWORD), &said, &len),
              CLIENTLOGIN_BAD_PASSWORD);
    CHECK_INT(clientlogin_answer(REPLY_TOO_MANY_FAILURES, bare(REPLY_TOO_MANY_FAILURES), &said,
                                 &len),
              CLIENTLOGIN_TOO_MANY);
    CHECK_INT(clientlogin_answer(REPLY_IDLE_TIMEOUT, bare(REPLY_IDLE_TIMEOUT), &said, &len),
              CLIENTLOGIN_REFUSED);
    CHECK_MEM_STR(said, len, "Idle timeout.");
    /* Waiting for a PBKDF2 turn too long, or a stop, answers AUTH too. */
    CHECK_INT(clientlogin_answer(REPLY_SERVER_BUSY, bare(REPLY_SERVER_BUSY), &said, &len),
              CLIENTLOGIN_BUSY);
    CHECK_INT(clientlogin_answer(REPLY_SERVER_STOPPING, bare(REPLY_SERVER_STOPPING), &said, &len),
              CLIENTLOGIN_STOPPING);
}

static void test_request_lines(void)
{
    char out[80], why[120];

    CHECK_INT(clientlogin_user_line("Alice.B-c_d@e", out, sizeof out), 20);
    CHECK_MEM_STR(out, 20, "USER Alice.B-c_d@e\r\n");
    CHECK_INT(clientlogin_auth_line("two words", 9, out, sizeof out), 16);
    CHECK_MEM_STR(out, 16, "AUTH two words\r\n");
    /* Too small a buffer, and names no account could have. */
    CHECK_INT(clientlogin_user_line("alice", out, 11), 0);
    CHECK_INT(clientlogin_user_line("alice", out, 12), 12);
    CHECK_INT(clientlogin_auth_line("pw", 2, out, 8), 0);
    CHECK_INT(clientlogin_user_line("", out, sizeof out), 0);
    CHECK_INT(clientlogin_user_line("a b", out, sizeof out), 0);
    CHECK_INT(clientlogin_user_line("x\r\nAUTH y", out, sizeof out), 0);
    /* The blanks AUTH's server side trims go before sending; a password
     * that cannot make a line is not sent at all (request.h). */
    CHECK_INT(clientlogin_auth_line(" \tpw \t", 6, out, sizeof out), 9);
    CHECK_MEM_STR(out, 9, "AUTH pw\r\n");
    CHECK_INT(clientlogin_auth_line("   ", 3, out, sizeof out), 0);
    CHECK_INT(clientlogin_auth_line("pw\x1b[2J", 7, out, sizeof out), 0);
    CHECK_INT(clientlogin_auth_line("pw\r\nLIST", 8, out, sizeof out), 0);
    CHECK_INT(clientlogin_auth_line("p\tw", 3, out, sizeof out), 10);
    CHECK_INT(clientlogin_user_problem("alice", why, sizeof why), 0);
    CHECK_INT(clientlogin_user_problem("", why, sizeof why), -1);
    CHECK_STR(why, "an account name cannot be empty");
    /* Windows names go as given (the server says whether it takes them). */
    CHECK_INT(clientlogin_user_line("CORP\\alice", out, sizeof out), 17);
    CHECK_MEM_STR(out, 17, "USER CORP\\alice\r\n");
    CHECK_INT(clientlogin_user_problem("alice@corp.example", why, sizeof why), 0);
    CHECK_INT(clientlogin_user_problem("CORP\\al:ice", why, sizeof why), -1);
    CHECK_INT(clientlogin_user_problem("caf\xc3\xa9", why, sizeof why), -1);
    CHECK_STR(why, "an account name is letters, digits, '.', '-', '_' and '@' only (character 4 "
                   "is not)");
}

static void test_user_answers(void)
{
    const char *said;
    size_t said_len;

    CHECK_INT(clientlogin_user_answer(REPLY_USER_ACCEPTED, bare(REPLY_USER_ACCEPTED), &said,
                                      &said_len),
              CLIENTLOGIN_GO_ON);
    CHECK_INT(clientlogin_user_answer(REPLY_INVALID_COMMAND, bare(REPLY_INVALID_COMMAND), &said,
                                      &said_len),
              CLIENTLOGIN_REFUSED);
    CHECK_MEM_STR(said, said_len, "Invalid command.");
    CHECK_INT(clientlogin_user_answer(REPLY_SERVER_STOPPING, bare(REPLY_SERVER_STOPPING), &said,
                                      &said_len),
              CLIENTLOGIN_STOPPING);
}

int main(void)
{
    RUN_TEST(test_request_lines);
    RUN_TEST(test_user_answers);
    RUN_TEST(test_greetings);
    RUN_TEST(test_refusing_greetings_are_told_apart);
    RUN_TEST(test_descriptions);
    RUN_TEST(test_answers);
    return check_summary();
}
