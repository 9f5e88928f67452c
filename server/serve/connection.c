/* connection.c - the client thread (see connection.h).
 *
 * Everything a connection owns lives in one heap block, struct connection,
 * so a thread's stack stays small and nothing is left behind when the client
 * vanishes: every exit path goes through connection_main's end. All I/O goes
 * through the connection's transport (transport.h); this file opens the plain
 * or the TLS kind, as the port the client came to says. */
#include "connection.h"
#include "connstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>

#include "accesslog.h"
#include "listener.h"
#include "session.h"
#include "reply.h"

#define LINGER_MS 1000

static int draining(const struct connection *c)
{
    return *c->cx->draining != 0;
}

static int stopping(const struct connection *c)
{
    return *c->cx->stopping != 0;
}

void connection_log_request(struct connection *c, const struct session_action *act,
                            const char *path, size_t path_len, uint64_t bytes, enum outcome result)
{
    struct logsink_request req;

    /* A session logged in as an account names it on each of its lines. */
    req.peer = c->in_account ? c->who : c->peer;
    req.command = command_name(act->verb);
    req.path = path;
    req.path_len = path_len;
    req.bytes = bytes;
    req.result = result;
    req.started_ms = c->started;
    req.tls = c->tls ? c->tls_info : NULL;
    logsink_request(c->cx->log, &req, c->log_line);
}

enum step connection_say(struct connection *c, const char *text, size_t len)
{
    return transport_send_all(&c->tr, text, len, connection_send_timeout_ms(c)) == 0 ? CONTINUE
                                                                                     : CLOSE;
}

enum outcome connection_open_failure(int rc)
{
    switch (rc) {
    case ROOTFS_DENIED: return OUTCOME_DENIED;
    case ROOTFS_MISSING: return OUTCOME_MISSING;
    default: return OUTCOME_FAILED;
    }
}

/* Carries out a reply or close the session decided on, without logging:
 * the caller has logged the request already. */
enum step connection_answer(struct connection *c, const struct session_action *act)
{
    switch (act->kind) {
    case SA_NONE: return CONTINUE;
    case SA_REPLY: return connection_say(c, act->text, act->text_len);
    case SA_REPLY_CLOSE:
    case SA_REFUSE:
        connection_say(c, act->text, act->text_len);
        c->graceful = 1;
        return CLOSE;
    default: return CLOSE;
    }
}

static void log_ban(struct connection *c, int which)
{
    char addr[64], line[200];
    const struct throttle_config *cfg = c->cx->throttle;
    struct throttle_key group;

    if (which == THROTTLE_BAN_PREFIX && throttle_key_group(&c->key, &group))
        throttle_key_format(&group, addr, sizeof addr);
    else
        throttle_key_format(&c->key, addr, sizeof addr);
    snprintf(line, sizeof line, "throttle: %s banned for %llu s after %u AUTH failures", addr,
             (unsigned long long)(cfg->ban_ms / 1000u),
             which == THROTTLE_BAN_PREFIX ? cfg->prefix_ban_failures : cfg->ban_failures);
    logsink_text(c->cx->log, line);
}

/* Whether a right password ends the address's streak of failures. Not
 * where accounts are served: one known password (an account's own, or the
 * shared one) would otherwise wipe out the failures an address counted
 * guessing another account's, and let it guess without end (a server
 * without accounts keeps the old rule). */
static int ends_streak(const struct connection *c, const struct session_action *act)
{
    struct acctsnap *snap;
    int none;

    if (act->user != NULL)
        return 0;
    if (c->cx->accounts == NULL)
        return 1;
    snap = acctlive_take(c->cx->accounts);
    none = accounts_count(snap->table) == 0;
    acctlive_release(snap);
    return none;
}

static enum step check_password(struct connection *c, const struct session_action *act)
{
    struct session_action next;
    uint64_t waited = 0;
    enum throttle_verdict gate = THROTTLE_ALLOW;
    enum authgate_result turn;
    enum outcome login;
    int ok, banned;

    if (!c->tls && c->plain_auth_refused) {
        /* Neither checked nor counted: the password crossed in clear, and
         * the answer must not tell whether it was right. */
        char line[128];
        int n = snprintf(line, sizeof line, REPLY_AUTH_NEEDS_TLS_FMT, c->cx->tls_port);
        connection_log_request(c, act, NULL, 0, 0, OUTCOME_NEEDS_TLS);
        return connection_say(c, line, (size_t)n);
    }
    /* A delayed AUTH is not a transfer: a stop's drain ends its wait. */
    if (c->keyed &&
        addrguard_before_auth(c->cx->guard, &c->key, c->cx->drain_event, &gate, &waited) != 0)
        return CLOSE; /* the server is stopping */
    if (gate == THROTTLE_BANNED) {
        connection_log_request(c, act, NULL, 0, 0, OUTCOME_BANNED);
        connection_say(c, REPLY_TOO_MANY_FAILURES, sizeof REPLY_TOO_MANY_FAILURES - 1);
        c->graceful = 1;
        return CLOSE;
    }
    if (gate != THROTTLE_ALLOW)
        return CLOSE; /* no other verdict comes before AUTH; refuse what is not understood */
    /* At most auth_concurrency PBKDF2 checks at once; the rest wait their
     * turn up to the idle timeout, then are told the server is busy. */
    turn =
        authgate_enter(c->cx->auth_gate, c->cx->stop_event, c->settings->idle_timeout * 1000u);
    if (turn == AUTHGATE_STOPPED)
        return CLOSE;
    if (turn == AUTHGATE_TIMEOUT) {
        connection_log_request(c, act, NULL, 0, 0, OUTCOME_BUSY_AUTH);
        connection_say(c, REPLY_SERVER_BUSY, sizeof REPLY_SERVER_BUSY - 1);
        c->graceful = 1;
        return CLOSE;
    }
    /* With USER, the account's password (an unknown or disabled account's
     * costs the same); without, the shared one. */
    ok = act->user != NULL ? connacct_password(c, act)
                           : credential_check(c->cx->credential, act->arg, act->arg_len);
    authgate_leave(c->cx->auth_gate);
    banned = c->keyed && (!ok || ends_streak(c, act))
                 ? addrguard_after_auth(c->cx->guard, &c->key, ok)
                 : 0;
    if (banned)
        log_ban(c, banned);
    /* A second AUTH of a session logged in as its account only checks the
     * password again (PROTOCOL.md); the login is done once. */
    if (ok && act->user != NULL && !c->in_account) {
        login = connacct_login(c, act);
        ok = login == OUTCOME_OK;
        if (!ok && login != OUTCOME_BAD_PASSWORD) {
            session_auth_refused(&c->session,
                                 login == OUTCOME_ACCOUNT_FULL ? SESSION_ACCOUNT_FULL
                                                               : SESSION_ACCOUNT_NO_ROOT,
                                 &next);
            connection_log_request(c, act, act->user, act->user_len, 0, login);
            return connection_answer(c, &next);
        }
    }
    /* The password itself never reaches the log, right or wrong; the
     * account USER named does, as the request's path. The request's time
     * in the log includes any throttling delay. */
    session_auth_result(&c->session, ok, &next);
    /* A login names the account as the store spells it, as its later
     * lines do; a failed one, as it was typed (there may be none). */
    connection_log_request(
        c, act, ok && c->in_account ? c->acct.name : act->user,
        ok && c->in_account ? c->acct.name_len : act->user_len, 0,
        ok ? OUTCOME_OK
           : (next.kind == SA_REPLY_CLOSE
                  ? OUTCOME_TOO_MANY_FAILURES
                  : (waited > 0 ? OUTCOME_BAD_PASSWORD_DELAYED : OUTCOME_BAD_PASSWORD)));
    return connection_answer(c, &next);
}

/* A connection turned away before its session began, as one over
 * max_clients is: a transport that could not be opened ("busy-thread", as
 * at the accept), a handshake that found the tls_handshakes gate full until
 * its deadline ("busy-tls"), bytes that are not TLS on the TLS port
 * ("not-tls"), a TLS ClientHello on the plain port ("tls-on-plain"). It
 * goes into the refusal summary (logsink_refused), so that a flood of them
 * cannot fill the log. */
static void log_refused_connection(struct connection *c, enum outcome why)
{
    struct logsink_request req = {NULL, "CONNECT", NULL, 0, 0, OUTCOME_OK, 0, NULL};
    char addr[64];

    if (c->keyed)
        throttle_key_format(&c->key, addr, sizeof addr);
    else
        snprintf(addr, sizeof addr, "%s", c->peer);
    req.peer = c->peer;
    req.result = why;
    req.started_ms = c->started;
    c->tls_info[0] = '\0';
    logsink_refused(c->cx->log, addr, &req, c->log_line);
}

static enum step perform(struct connection *c, const struct session_action *act)
{
    switch (act->kind) {
    case SA_NONE: return CONTINUE;
    case SA_REPLY:
    case SA_REPLY_CLOSE:
        /* USER's line carries the name it took (act->arg; NULL otherwise). */
        connection_log_request(c, act, act->verb == CMD_USER ? act->arg : NULL,
                               act->verb == CMD_USER ? act->arg_len : 0, 0,
                               act->text[0] == '#' ? OUTCOME_OK : OUTCOME_REFUSED);
        return connection_answer(c, act);
    case SA_CLOSE:
        if (act->verb == CMD_QUIT) {
            connection_log_request(c, act, NULL, 0, 0, OUTCOME_OK);
            c->graceful = 1;
        }
        return CLOSE;
    case SA_REFUSE:
        /* A ClientHello on the plain port: told where TLS is, then closed,
         * and counted as a refused connection, not logged line by line. */
        log_refused_connection(c, OUTCOME_TLS_ON_PLAIN);
        return connection_answer(c, act);
    case SA_AUTH: return check_password(c, act);
    case SA_SEND_FILE: return connfiles_serve_file(c, act);
    case SA_LIST: return connfiles_serve_list(c, act);
    case SA_HASH: return connfiles_serve_hash(c, act);
    }
    return CLOSE;
}

/* A session between commands that must go at once, with a line that says
 * why (logged as why): the server is stopping, the session's account was
 * removed or disabled (a transfer in flight has finished), or the client
 * was silent too long. */
static void close_saying(struct connection *c, enum outcome why, const char *text, size_t len)
{
    struct session_action act = {SA_REPLY_CLOSE, CMD_BLANK, NULL, 0, NULL, 0, 0, NULL, 0};

    c->started = GetTickCount64();
    connection_log_request(c, &act, NULL, 0, 0, why);
    connection_say(c, text, len);
    c->graceful = 1;
}

#define CLOSE_SAYING(c, why, literal) close_saying((c), (why), (literal), sizeof(literal) - 1)

/* 1 when the session must go before its next command (close_saying said so). */
static int must_go(struct connection *c)
{
    if (draining(c))
        CLOSE_SAYING(c, OUTCOME_SERVER_STOPPING, REPLY_SERVER_STOPPING);
    else if (connacct_ended(c))
        CLOSE_SAYING(c, OUTCOME_ACCOUNT_ENDED, REPLY_ACCOUNT_ENDED);
    else
        return 0;
    return 1;
}

/* Feeds what arrived to the session and carries out each action in turn.
 * *line_began moves on whenever a whole line has been dealt with, so the idle
 * timeout bounds each line, however slowly its bytes trickle in. Once a stop
 * has begun, no further command starts (a pipelined GET behind a finished
 * one included). */
static enum step consume(struct connection *c, int n, ULONGLONG *line_began)
{
    int used = 0;

    while (used < n) {
        struct session_action act;
        if (must_go(c))
            return CLOSE;
        c->started = GetTickCount64();
        used += (int)session_feed(&c->session, c->inbuf + used, (size_t)(n - used), &act);
        if (perform(c, &act) == CLOSE) {
            /* A QUIT with bytes after it in this read is not the last word:
             * the close lingers for them as after an error line. */
            c->quit_was_last = act.kind == SA_CLOSE && act.verb == CMD_QUIT && used == n;
            return CLOSE;
        }
        if (!session_has_partial_line(&c->session))
            *line_began = GetTickCount64();
    }
    return CONTINUE;
}

/* A transport that failed and can say why (only TLS's can: a handshake
 * refused, a renegotiation refused) gets a line: "tls: <peer> <why>". */
static void log_transport_failure(struct connection *c, const char *why)
{
    char line[200];

    if (why[0] == '\0')
        return;
    snprintf(line, sizeof line, "tls: %s %s", c->peer, why);
    logsink_text(c->cx->log, line);
}

static void serve(struct connection *c)
{
    size_t greeting_len;
    const char *greeting = session_greeting(&greeting_len);
    const ULONGLONG idle_ms = (ULONGLONG)c->settings->idle_timeout * 1000u;
    ULONGLONG line_began = GetTickCount64();

    c->started = GetTickCount64();
    switch (transport_start(&c->tr, c->tls_info, sizeof c->tls_info)) {
    case 0: break;
    case TRANSPORT_BUSY: log_refused_connection(c, OUTCOME_BUSY_TLS); return;
    case TRANSPORT_NOT_TLS_TOLD:
        c->graceful = 1; /* a line told the client why: let it arrive */
        log_refused_connection(c, OUTCOME_NOT_TLS);
        return;
    case TRANSPORT_NOT_TLS: log_refused_connection(c, OUTCOME_NOT_TLS); return;
    default: log_transport_failure(c, c->tls_info); return;
    }
    if (connection_say(c, greeting, greeting_len) == CLOSE)
        return;
    for (;;) {
        ULONGLONG waited = GetTickCount64() - line_began;
        int n;

        if (must_go(c))
            return;
        n = waited >= idle_ms ? TRANSPORT_TIMEOUT
                              : transport_receive(&c->tr, c->inbuf, sizeof c->inbuf,
                                                  (unsigned)(idle_ms - waited));
        if (n == TRANSPORT_TIMEOUT) {
            CLOSE_SAYING(c, OUTCOME_IDLE_TIMEOUT, REPLY_IDLE_TIMEOUT);
            return;
        }
        if (n == TRANSPORT_STOPPED && !stopping(c))
            continue; /* the drain or the account's ended event: the checks above say goodbye */
        if (n == TRANSPORT_ERROR)
            log_transport_failure(c, transport_failure(&c->tr));
        if (n <= 0 || consume(c, n, &line_began) == CLOSE)
            return;
    }
}

/* The client's transport, opened here on its own thread with the thread's
 * event; 0, or -1 with the socket closed and the refusal logged (no memory,
 * or no TLS credential), the client turned away as at the accept
 * (listener_turn_away). */
static int open_transport(struct connection *c, HANDLE io_event)
{
    /* The transport copies what it needs: params may go when it is open. */
    struct transport_params params = c->cx->transport;

    params.tls.handshake_timeout_ms = c->settings->tls_handshake_timeout * 1000u;
    if (transport_open(&c->tr, c->tls ? TRANSPORT_KIND_TLS : TRANSPORT_KIND_PLAIN, c->sock, &params,
                       io_event) == 0)
        return 0;
    listener_turn_away(c->sock, c->tls, REPLY_SERVER_BUSY);
    c->started = GetTickCount64();
    log_refused_connection(c, OUTCOME_BUSY_THREAD);
    return -1;
}

static void connection_main(struct connection *c, HANDLE io_event)
{
    const struct connection_context *cx = c->cx;
    int opened = open_transport(c, io_event) == 0;

    if (opened)
        serve(c);
    if (c->keyed)
        addrguard_disconnect(cx->guard, &c->key);
    if (opened && c->graceful && !stopping(c))
        transport_shut_down(&c->tr, LINGER_MS, c->quit_was_last);
    else if (opened)
        transport_cancel(&c->tr);
    /* After the transport, which waits on the account's ended event. */
    connacct_leave(c);
    settingsnap_release(c->snap);
    free(c);
    cx->ended(cx->ended_arg);
}

int connection_serve(const struct connection_context *cx, struct settingsnap *snap, SOCKET sock,
                     const char *peer, const struct throttle_key *key, int tls, HANDLE io_event)
{
    struct connection *c = malloc(sizeof *c);
    BOOL nodelay = TRUE;

    if (c == NULL)
        return -1;
    c->cx = cx;
    c->snap = snap;
    c->settings = &snap->s;
    c->graceful = 0;
    c->quit_was_last = 0;
    c->rate_limit = c->settings->rate_limit;
    c->plain_auth_refused = cx->tls_open && !c->settings->plain_logins;
    c->keyed = key != NULL;
    if (key != NULL)
        c->key = *key;
    session_init(&c->session);
    if (!tls)
        session_on_plain_port(&c->session, cx->tls_port);
    if (cx->accounts_only)
        session_set_accounts_only(&c->session);
    c->served_root = *cx->root;
    c->served_root.single_link = c->settings->refuse_hard_links != 0;
    c->root = &c->served_root;
    connacct_begin(c);
    strncpy(c->peer, peer, sizeof c->peer - 1);
    c->peer[sizeof c->peer - 1] = '\0';
    c->tls = tls;
    c->tls_info[0] = '\0';
    c->sock = sock; /* the transport's, once connection_main opens it */
    /* Reply lines are small and each one is awaited; Nagle would hold them back. */
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof nodelay);
    connection_main(c, io_event);
    return 0;
}
