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
    CLIENTLOGIN_BUSY,           /* greeting: "!Server busy." */
    CLIENTLOGIN_NOT_MTSERVER,   /* greeting: anything else */
    CLIENTLOGIN_BAD_PASSWORD,   /* answer: "!Bad password." */
    CLIENTLOGIN_TOO_MANY,       /* answer: the server closes after failures */
    CLIENTLOGIN_REFUSED,        /* answer: anything else (its text for the message) */
};

/* The first line the server sent, without its line end. */
enum clientlogin_outcome clientlogin_greeting(const char *line, size_t len);

/* The line that answered AUTH; for CLIENTLOGIN_REFUSED, *said and *said_len
 * are the reply's text (without '#'/'!'), pointing into line. */
enum clientlogin_outcome clientlogin_answer(const char *line, size_t len, const char **said,
                                            size_t *said_len);

#endif
