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

static void test_greetings(void)
{
    CHECK_INT(clientlogin_greeting(REPLY_READY, bare(REPLY_READY)), CLIENTLOGIN_GO_ON);
    CHECK_INT(clientlogin_greeting(REPLY_SERVER_BUSY, bare(REPLY_SERVER_BUSY)), CLIENTLOGIN_BUSY);
    CHECK_INT(clientlogin_greeting("SSH-2.0-OpenSSH", 15), CLIENTLOGIN_NOT_MTSERVER);
    CHECK_INT(clientlogin_greeting("", 0), CLIENTLOGIN_NOT_MTSERVER);
    CHECK_INT(clientlogin_greeting(REPLY_LOGGED_IN, bare(REPLY_LOGGED_IN)),
              CLIENTLOGIN_NOT_MTSERVER);
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
}

int main(void)
{
    RUN_TEST(test_greetings);
    RUN_TEST(test_answers);
    return check_summary();
}
