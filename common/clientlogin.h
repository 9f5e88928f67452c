/* clientlogin.h - what the client makes of the server's greeting and of its
 * answer to AUTH, free of I/O (client/main.c sends and reads; fetch.h then
 * takes over, one file at a time).
 *
 * Every outcome but CLIENTLOGIN_GO_ON ends the run: without a login no file
 * can be had. Pure functions: any thread may call them. */
#ifndef MTS_CLIENTLOGIN_H
#define MTS_CLIENTLOGIN_H

#include <stddef.h>

enum clientlogin_outcome {
    CLIENTLOGIN_GO_ON,          /* greeting: send AUTH; answer: logged in */
    CLIENTLOGIN_BUSY,           /* "!Server busy." (greeting, or AUTH waited too long) */
    CLIENTLOGIN_BANNED,         /* greeting "!Too many failures.": this address is banned */
    CLIENTLOGIN_STOPPING,       /* "!Server is stopping." (greeting or answer) */
    CLIENTLOGIN_NOT_MTSERVER,   /* greeting: neither '#Server Ready.' nor a '!' refusal */
    CLIENTLOGIN_CLOSED,         /* no greeting at all: closed at once (allow/deny) */
    CLIENTLOGIN_BAD_PASSWORD,   /* answer: "!Bad password." */
    CLIENTLOGIN_TOO_MANY,       /* answer: the server closes after failures */
    CLIENTLOGIN_REFUSED,        /* any other '!' line (its text for the message) */
};

/* The first line the server sent, without its line end. For
 * CLIENTLOGIN_REFUSED, *said and *said_len are the line's text (without
 * the '!'), pointing into line; a refusal this client does not know (a
 * newer server's) is still a refusal, not a foreign server. */
enum clientlogin_outcome clientlogin_greeting(const char *line, size_t len, const char **said,
                                              size_t *said_len);

/* The line that answered AUTH; for CLIENTLOGIN_REFUSED, *said and *said_len
 * are the reply's text (without '#'/'!'), pointing into line. */
enum clientlogin_outcome clientlogin_answer(const char *line, size_t len, const char **said,
                                            size_t *said_len);

/* The request lines of a login, CRLF-ended, into out: "USER <name>" and
 * "AUTH <password>", made by request_format. Each returns its length, or 0
 * when cap is too small or request_format refuses the argument; the USER
 * line also 0 when name could be no account's (1 to 64 letters, digits,
 * '.', '-', '_' or '@', or a Windows account's DOMAIN\name or name@domain:
 * winacct_check_user_name), so that the user is told before the password
 * is asked for (clientlogin_user_problem). The password loses the blanks at
 * its ends, which the server would trim; one that is then empty or has a
 * control character gives 0 (command_password_problem says why). */
size_t clientlogin_user_line(const char *name, char *out, size_t cap);
size_t clientlogin_auth_line(const char *password, size_t len, char *out, size_t cap);

/* 0 when name could be an account's, else -1 with why not in err, for
 * "mtsclient: -u: <why>" (winacct_check_user_name's words; the name itself
 * is not repeated). */
int clientlogin_user_problem(const char *name, char *err, size_t errcap);

/* The line that answered USER: CLIENTLOGIN_GO_ON for any '#' line (the
 * server says the same whether or not the account exists); else as
 * clientlogin_answer ("!Invalid command." from a server without accounts
 * is CLIENTLOGIN_REFUSED, its text for the message). */
enum clientlogin_outcome clientlogin_user_answer(const char *line, size_t len, const char **said,
                                                 size_t *said_len);

/* What an outcome means, for "mtsclient: <where>: <text>" (NOT_MTSERVER:
 * "mtsclient: <where> <text>"); for a greeting's REFUSED, what the server
 * said follows it (an AUTH answer's is "cannot log in: <said>"). A static
 * string, never NULL. */
const char *clientlogin_describe(enum clientlogin_outcome outcome);

#endif
