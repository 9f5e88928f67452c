/* clientlogin.c - the greeting and the AUTH answer, as the client reads them
 * (see clientlogin.h). */
#include "clientlogin.h"

#include "replyparse.h"

enum clientlogin_outcome clientlogin_greeting(const char *line, size_t len)
{
    struct replyparse_reply r;

    replyparse_line(line, len, &r);
    if (r.type == REPLY_T_SERVER_BUSY)
        return CLIENTLOGIN_BUSY;
    return r.type == REPLY_T_READY ? CLIENTLOGIN_GO_ON : CLIENTLOGIN_NOT_MTSERVER;
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
    default: return CLIENTLOGIN_REFUSED;
    }
}
