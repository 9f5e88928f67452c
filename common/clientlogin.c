/* clientlogin.c - the greeting and the AUTH answer, as the client reads them
 * (see clientlogin.h). */
#include "clientlogin.h"

#include <string.h>

#include "replyparse.h"
#include "request.h"
#include "winacct.h"

/* The refusals the server may open a connection with, or answer AUTH
 * with, and what they mean to the client: server/server.c's refuse()
 * (busy, banned), server/connection.c's AUTH (banned, busy-auth) and stop. */
static enum clientlogin_outcome refusal(const struct replyparse_reply *r)
{
    switch (r->type) {
    case REPLY_T_SERVER_BUSY: return CLIENTLOGIN_BUSY;
    case REPLY_T_SERVER_STOPPING: return CLIENTLOGIN_STOPPING;
    default: return CLIENTLOGIN_REFUSED;
    }
}

enum clientlogin_outcome clientlogin_greeting(const char *line, size_t len, const char **said,
                                              size_t *said_len)
{
    struct replyparse_reply r;

    replyparse_line(line, len, &r);
    *said = r.text;
    *said_len = r.text_len;
    if (r.type == REPLY_T_READY)
        return CLIENTLOGIN_GO_ON;
    if (r.kind != REPLY_KIND_ERROR)
        return CLIENTLOGIN_NOT_MTSERVER;
    /* As a greeting, "!Too many failures." is the ban itself, said before
     * any password of this connection was tried. */
    return r.type == REPLY_T_TOO_MANY_FAILURES ? CLIENTLOGIN_BANNED : refusal(&r);
}

enum clientlogin_outcome clientlogin_answer(const char *line, size_t len, const char **said,
                                            size_t *said_len)
{
    struct replyparse_reply r;

    replyparse_line(line, len, &r);
    *said = r.text;
    *said_len = r.text_len;
    switch (r.type) {
    case REPLY_T_LOGGED_IN: return CLIENTLOGIN_GO_ON;
    case REPLY_T_BAD_PASSWORD: return CLIENTLOGIN_BAD_PASSWORD;
    case REPLY_T_TOO_MANY_FAILURES: return CLIENTLOGIN_TOO_MANY;
    default: return r.kind == REPLY_KIND_ERROR ? refusal(&r) : CLIENTLOGIN_REFUSED;
    }
}

int clientlogin_user_problem(const char *name, char *err, size_t errcap)
{
    /* Windows names too: whether the server takes them is its setting
     * (windows_accounts), which it says in its answer to USER. */
    return winacct_check_user_name(name, strlen(name), 1, err, errcap) == 0 ? 0 : -1;
}

size_t clientlogin_user_line(const char *name, char *out, size_t cap)
{
    char why[120];

    if (clientlogin_user_problem(name, why, sizeof why) != 0)
        return 0;
    return request_format(CMD_USER, name, strlen(name), out, cap);
}

size_t clientlogin_auth_line(const char *password, size_t len, char *out, size_t cap)
{
    /* The server trims blanks around AUTH's argument, so a password typed
     * with them has always logged in as the password without them: they
     * go, so that the line reads back as what is sent (request.h). */
    while (len > 0 && (password[0] == ' ' || password[0] == '\t')) {
        password++;
        len--;
    }
    while (len > 0 && (password[len - 1] == ' ' || password[len - 1] == '\t'))
        len--;
    return request_format(CMD_AUTH, password, len, out, cap);
}

enum clientlogin_outcome clientlogin_user_answer(const char *line, size_t len, const char **said,
                                                 size_t *said_len)
{
    if (len > 0 && line[0] == '#') {
        *said = line + 1;
        *said_len = len - 1;
        return CLIENTLOGIN_GO_ON;
    }
    return clientlogin_answer(line, len, said, said_len);
}

const char *clientlogin_describe(enum clientlogin_outcome outcome)
{
    switch (outcome) {
    case CLIENTLOGIN_GO_ON: return "logged in";
    case CLIENTLOGIN_BUSY: return "the server is busy; try again later";
    case CLIENTLOGIN_BANNED:
        return "too many failed passwords; the server turns this address away for a while";
    case CLIENTLOGIN_STOPPING: return "the server is stopping; try again later";
    case CLIENTLOGIN_NOT_MTSERVER: return "does not greet like an mtserver";
    case CLIENTLOGIN_CLOSED:
        return "the server closed the connection before greeting (its allow/deny rules may "
               "refuse this address)";
    case CLIENTLOGIN_BAD_PASSWORD: return "bad password";
    case CLIENTLOGIN_TOO_MANY:
        return "too many failed passwords; the server closed the connection";
    case CLIENTLOGIN_REFUSED: return "the server refused the connection";
    }
    return "the server refused the connection";
}
