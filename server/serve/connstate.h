/* connstate.h - a client thread's state, struct connection, shared by
 * connection.c (the thread: transport, session, AUTH) and connfiles.c (the
 * commands that read files and folders: FILE, GET, REST, LIST, HASH) and
 * connacct.c (a session logged in as an account), and by no other file. Only the client thread that owns a connection touches
 * it. */
#ifndef MTS_CONNSTATE_H
#define MTS_CONNSTATE_H

#include "accesslog.h"
#include "acctlive.h"
#include "connection.h"
#include "outcome.h"
#include "pwhash.h"
#include "session.h"
#include "transport.h"

struct connection {
    const struct connection_context *cx;
    /* The settings the session began with (one reference, let go at its
     * end): a reload meanwhile changes nothing here. settings is &snap->s. */
    struct settingsnap *snap;
    const struct server_options *settings;
    struct transport tr;  /* the byte stream, plain or TLS */
    int tls;              /* came to the TLS port */
    SOCKET sock;          /* the client's socket until its transport is opened */
    char tls_info[96];    /* after the handshake: protocol and suite (63 at most), for the log */
    struct session session;
    /* The folder the commands read: served_root, or, once logged in as an
     * account, acct_root (the account's, set up at its login). served_root
     * is the server's root with the session's refuse_hard_links: a copy
     * that shares the server's buffers and is never freed. */
    const struct rootfs *root;
    struct rootfs served_root;
    struct rootfs acct_root;
    int plain_auth_refused; /* a TLS port is open and plain_logins is 0 */
    /* Logged in as an account: its place among the account's sessions
     * (acct.ended its own event, which ends a wait for a command when the
     * account is removed, disabled or changed), and "name@peer" for the log. */
    int in_account;
    struct acctlive_session acct;
    /* A Windows account's logon (windows_accounts), from its right AUTH to
     * the session's end: its token (NULL otherwise), SID, section and
     * root; acct_root opens files as it (rootfs.h, open_as). */
    struct winlogon_login win;
    struct winlogon_as win_as; /* acct_root's open_ctx: win's token */
    char acct_name[ACCOUNTS_NAME_MAX + 1]; /* acct.name: as the store spells it */
    /* The hash the password was checked against (connacct_password), which
     * the login must still find: a change in between is not let in. */
    char acct_hash[PWHASH_TEXT_MAX];
    char who[SESSION_USER_MAX + 1 + 64];
    char peer[64];
    struct throttle_key key;
    int keyed;    /* key is counted in the server's address guard */
    int graceful; /* close with FIN and a short linger, not a reset */
    /* The client's QUIT was the last byte it sent: the close need not
     * linger for its FIN unless more arrives (transport.h, shut_down). */
    int quit_was_last;
    ULONGLONG started;
    /* Bytes per second a file's data may go out at (pacedsend.h; 0: no
     * limit): rate_limit at the start; an account's own may replace it. */
    uint64_t rate_limit;
    char inbuf[4096];
    char log_line[ACCESSLOG_LINE_MAX];
};

enum step { CONTINUE, CLOSE };

/* How long one send may wait for progress (send_timeout). */
static inline unsigned connection_send_timeout_ms(const struct connection *c)
{
    return c->settings->send_timeout * 1000u;
}

/* Logs one request of the session with its outcome. */
void connection_log_request(struct connection *c, const struct session_action *act,
                            const char *path, size_t path_len, uint64_t bytes, enum outcome result);

/* Sends text; CLOSE when the client cannot take it. */
enum step connection_say(struct connection *c, const char *text, size_t len);

/* The outcome a rootfs_* failure is logged as. */
enum outcome connection_open_failure(int rc);

/* Carries out a reply or close the session decided on, without logging. */
enum step connection_answer(struct connection *c, const struct session_action *act);

/* A new session's account state: none yet, and Windows names allowed at
 * USER where windows_accounts is on. Before the session's first command. */
void connacct_begin(struct connection *c);
/* An account's AUTH (connacct.c), in two steps. First its password: 1
 * when it is the right one of an enabled account; an unknown, disabled or
 * wrong one costs the same PBKDF2 (against a dummy hash) and gives 0. A
 * name winacct_route_name sends to Windows is a Windows logon instead
 * (winlogon_logon; its token kept in c->win for the login), and every
 * refusal of it gives 0 too, its reason logged. */
int connacct_password(struct connection *c, const struct session_action *act);

/* Then, after a right password, the login: the account's folder set up and
 * the session entered among the account's (max_sessions). OUTCOME_OK, or
 * OUTCOME_ACCOUNT_FULL / OUTCOME_ACCOUNT_NO_ROOT (the session stays logged
 * out), or OUTCOME_BAD_PASSWORD when the account went meanwhile. */
enum outcome connacct_login(struct connection *c, const struct session_action *act);

/* The session's account was removed, disabled or changed (acct.ended is set). */
int connacct_ended(const struct connection *c);

/* Lets go of what an account's login took. */
void connacct_leave(struct connection *c);

/* The file commands (connfiles.c), each logged and answered. */
enum step connfiles_serve_file(struct connection *c, const struct session_action *act);
enum step connfiles_serve_list(struct connection *c, const struct session_action *act);
enum step connfiles_serve_hash(struct connection *c, const struct session_action *act);

#endif
