/* session.h - the per-connection protocol state machine, free of I/O.
 *
 * The connection's thread feeds it the bytes it receives; the session answers
 * with one action at a time for the thread to carry out: send a reply, check
 * a password, send a file, close. Checking passwords and opening files need
 * the OS, so the session hands them out and takes the outcome back through
 * session_auth_result(), session_file_opened() and session_file_done().
 * Strings in an action point into the session and stay valid until the next
 * call of session_feed(). One session belongs to one thread. */
#ifndef MTS_SESSION_H
#define MTS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "accounts.h"
#include "command.h"
#include "linebuf.h"
#include "reply.h"
#include "winacct.h"

#define SESSION_MAX_AUTH_FAILURES 3
/* The longest name USER takes: a Windows account's (windows_accounts = 1;
 * winacct.h: a domain of up to 255 and a user name of up to 104 characters
 * fit); a store account's is at most ACCOUNTS_NAME_MAX. */
#define SESSION_USER_MAX WINACCT_NAME_MAX

enum session_action_kind {
    SA_NONE,        /* nothing to do: feed more bytes */
    SA_REPLY,       /* send text */
    SA_REPLY_CLOSE, /* send text, then close the connection */
    SA_CLOSE,       /* close the connection without a word (QUIT) */
    SA_AUTH,        /* check arg as the password (of account user, when USER named
                       one), then session_auth_result() */
    SA_SEND_FILE,   /* open arg (the path as sent), then session_file_opened() */
    SA_LIST,        /* stream the listing of folder arg ("": the root; listing.h),
                       or on failure session_list_failed() */
    SA_HASH,        /* hash file arg, then session_hash_result() */
    SA_REFUSE,      /* send text, then close; the connection came to the wrong
                       port (a TLS ClientHello on the plain one), and is logged
                       as a refused connection (the refusal summary counts it) */
};

enum session_hash_outcome {
    SESSION_HASH_OK,      /* hex holds the digest */
    SESSION_HASH_FAILED,  /* missing, forbidden or unreadable: one answer for all */
    SESSION_HASH_CHANGED, /* the file changed while it was read */
};

struct session_action {
    enum session_action_kind kind;
    enum command_verb verb; /* the command behind it, for the access log */
    const char *text;       /* SA_REPLY, SA_REPLY_CLOSE, SA_REFUSE */
    size_t text_len;
    const char *arg; /* SA_AUTH: the password (never log it); SA_SEND_FILE, SA_LIST,
                        SA_HASH: the path */
    size_t arg_len;  /* arg is NUL-terminated as well */
    uint64_t offset; /* SA_SEND_FILE: first byte to send, set by REST */
    const char *user; /* SA_AUTH: the account USER named, NUL-terminated; NULL for
                         the shared password */
    size_t user_len;
};

struct session {
    struct linebuf lb;
    int logged_in;
    unsigned auth_failures;
    uint64_t rest_offset;
    enum command_verb pending; /* AUTH, FILE, GET, LIST or HASH waiting for its outcome */
    const char *path;          /* the pending command's path, in lb */
    size_t path_len;
    uint64_t file_offset;
    unsigned tls_port;   /* the server's TLS port, 0 when it has none */
    int head_judged;     /* the first bytes need no look (a TLS session), or were
                            found not to be TLS */
    char head;           /* its first byte, while it alone has come */
    size_t head_len;
    /* The account USER named (user_len 0: none). Once logged in, it is the
     * session's account for good: USER is refused after login. */
    char user[SESSION_USER_MAX + 1];
    size_t user_len;
    int accounts_only; /* no shared password: a bare AUTH is refused */
    int windows_names; /* USER takes DOMAIN\name and name@domain as well */
    char out[REPLY_MAX];
};

void session_init(struct session *s);

/* The session is on the plain port: a client that opens it with a TLS
 * ClientHello is answered with one line naming tls_port (0: the server has
 * none), SA_REFUSE. Call before the first session_feed. (On the TLS port
 * the first bytes are the decrypted ones, and are not looked at.) */
void session_on_plain_port(struct session *s, unsigned tls_port);

/* The server has accounts and no shared password: AUTH without USER is
 * answered REPLY_USER_FIRST, not checked. Call before the first session_feed. */
void session_set_accounts_only(struct session *s);

/* The server logs Windows accounts on (windows_accounts = 1): USER takes
 * their names too (winacct_check_user_name). Call before the first
 * session_feed. */
void session_allow_windows_names(struct session *s);

/* The account the session is logged in as, NUL-terminated; NULL when it is
 * not logged in, or logged in with the shared password. */
const char *session_account(const struct session *s);

/* The greeting to send when the connection opens. */
const char *session_greeting(size_t *len);

/* Consumes bytes from buf[0..len) (at most one line) and returns how many;
 * *act says what to do next. */
size_t session_feed(struct session *s, const char *buf, size_t len, struct session_action *act);

/* 1 while part of a line has arrived and its end has not: the connection
 * times each line from its first byte, not each read. */
int session_has_partial_line(const struct session *s);

/* The outcome of SA_AUTH: ok is 1 when the password was right. */
void session_auth_result(struct session *s, int ok, struct session_action *act);

/* Why a right password did not log in (session_auth_refused). */
enum session_refusal {
    SESSION_ACCOUNT_FULL,    /* the account has max_sessions sessions already */
    SESSION_ACCOUNT_NO_ROOT, /* the account's folder cannot be served */
};

/* The outcome of SA_AUTH when the password was right and the server still
 * does not log the session in: act holds the '!' line; the session stays
 * logged out, and it is not counted as a failure. */
void session_auth_refused(struct session *s, enum session_refusal why, struct session_action *act);

/* The outcome of opening SA_SEND_FILE's file: ok, and its size when ok.
 * Returns 1 when the file is to be sent (after act's reply, if any), 0 when
 * not (act then holds the error reply). */
int session_file_opened(struct session *s, int ok, uint64_t size, struct session_action *act);

/* The outcome of sending the file: ok is 1 when every byte went out.
 * On failure the stream is out of step, so the action is SA_CLOSE. */
void session_file_done(struct session *s, int ok, struct session_action *act);

/* LIST's folder could not be listed (missing, forbidden or not a folder:
 * one answer for all, so the reply reveals nothing). act holds the reply. */
void session_list_failed(struct session *s, struct session_action *act);

/* The outcome of SA_HASH; hex is the digest's 64 lowercase hex digits when
 * outcome is SESSION_HASH_OK. act holds the reply. A pending REST is left
 * for the next FILE or GET: HASH always covers the whole file. */
void session_hash_result(struct session *s, enum session_hash_outcome outcome, const char *hex,
                         struct session_action *act);

#endif
