/* connection.c - the client thread (see connection.h).
 *
 * Everything a connection owns lives in one heap block, struct connection,
 * so a thread's stack stays small and nothing is left behind when the client
 * vanishes: every exit path goes through connection_main's end. All I/O goes
 * through the connection's transport (transport.h); this file opens the plain
 * or the TLS kind, as the port the client came to says. */
#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>

#include "accesslog.h"
#include "folderlist.h"
#include "listsend.h"
#include "session.h"
#include "reply.h"
#include "transport_plain.h"
#include "transport_tls.h"

#define LINGER_MS 1000
/* TransmitFile's nNumberOfBytesPerSend. Measured under Wine (bench/RESULTS.md):
 * with the default 64 KiB it copies through a small buffer and reaches a
 * fifth of the loopback speed. */
#define CONNECTION_BYTES_PER_SEND (1u << 20)

struct connection {
    const struct connection_context *cx;
    struct transport tr;  /* the byte stream, plain or TLS */
    int tls;              /* came to the TLS port */
    struct tlscred *cred; /* TLS: the credential taken at the start, held to the end */
    char tls_info[96];    /* after the handshake: protocol and suite (63 at most), for the log */
    struct session session;
    char peer[64];
    struct throttle_key key;
    int keyed;    /* key is counted in the server's address guard */
    int graceful; /* close with FIN and a short linger, not a reset */
    ULONGLONG started;
    char inbuf[4096];
    char log_line[ACCESSLOG_LINE_MAX];
};

enum step { CONTINUE, CLOSE };

static int draining(const struct connection *c)
{
    return WaitForSingleObject(c->cx->drain_event, 0) == WAIT_OBJECT_0;
}

static void log_request(struct connection *c, const struct session_action *act, const char *path,
                        size_t path_len, uint64_t bytes, enum outcome result)
{
    struct logsink_request req;

    req.peer = c->peer;
    req.command = command_name(act->verb);
    req.path = path;
    req.path_len = path_len;
    req.bytes = bytes;
    req.result = result;
    req.started_ms = c->started;
    req.tls = c->tls ? c->tls_info : NULL;
    logsink_request(c->cx->log, &req, c->log_line);
}

static unsigned send_timeout_ms(const struct connection *c)
{
    return c->cx->settings->send_timeout * 1000u;
}

static enum step say(struct connection *c, const char *text, size_t len)
{
    return transport_send_all(&c->tr, text, len, send_timeout_ms(c)) == 0 ? CONTINUE : CLOSE;
}

static enum outcome open_failure(int rc)
{
    switch (rc) {
    case ROOTFS_DENIED: return OUTCOME_DENIED;
    case ROOTFS_MISSING: return OUTCOME_MISSING;
    default: return OUTCOME_FAILED;
    }
}

/* Carries out a reply or close the session decided on, without logging:
 * the caller has logged the request already. */
static enum step answer(struct connection *c, const struct session_action *act)
{
    switch (act->kind) {
    case SA_NONE: return CONTINUE;
    case SA_REPLY: return say(c, act->text, act->text_len);
    case SA_REPLY_CLOSE:
    case SA_REFUSE:
        say(c, act->text, act->text_len);
        c->graceful = 1;
        return CLOSE;
    default: return CLOSE;
    }
}

static enum step serve_file(struct connection *c, const struct session_action *act)
{
    const char *path = act->arg;
    size_t path_len = act->arg_len;
    uint64_t offset = act->offset, size = 0, sent = 0;
    struct session_action next;
    HANDLE file = INVALID_HANDLE_VALUE;
    LARGE_INTEGER after;
    /* Two kinds of outcome, kept apart: a rootfs_result, then a transport_result. */
    int opened = rootfs_open(c->cx->root, path, path_len, &file, &size);
    int sent_rc;
    enum step step;

    if (!session_file_opened(&c->session, opened == ROOTFS_OK, size, &next)) {
        log_request(c, act, path, path_len, 0,
                    opened == ROOTFS_OK ? OUTCOME_BAD_OFFSET : open_failure(opened));
        step = answer(c, &next);
        goto out;
    }
    if (next.kind == SA_REPLY && say(c, next.text, next.text_len) == CLOSE) {
        step = CLOSE;
        goto out;
    }
    sent_rc = transport_send_file(&c->tr, file, offset, size - offset, send_timeout_ms(c), &sent);
    /* A file that changed size while it went out was not sent as it is now. */
    if (sent_rc == 0 && (!GetFileSizeEx(file, &after) || (uint64_t)after.QuadPart != size))
        sent_rc = TRANSPORT_ERROR;
    log_request(c, act, path, path_len, sent, sent_rc == 0 ? OUTCOME_OK : OUTCOME_ABORTED);
    session_file_done(&c->session, sent_rc == 0, &next);
    step = answer(c, &next);
out:
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    return step;
}

static int send_listing(void *arg, const char *buf, size_t len)
{
    struct connection *c = arg;

    return say(c, buf, len) == CONTINUE ? 0 : -1;
}

static enum step serve_list(struct connection *c, const struct session_action *act)
{
    struct folderlist *f = NULL;
    struct session_action next;
    uint64_t entries = 0, bytes = 0;
    /* A LIST is work for the server's disk and CPU, not a transfer that the
     * drain period lets finish: either event ends it. */
    HANDLE stops[2];
    /* Two kinds of outcome, kept apart: a rootfs_result, then folderlist_send's. */
    int opened = folderlist_open(c->cx->root, act->arg, act->arg_len, c->cx->settings->list_hidden != 0, &f);
    int sent = LISTSEND_UNREADABLE;

    stops[0] = c->cx->stop_event;
    stops[1] = c->cx->drain_event;
    if (opened == ROOTFS_OK) {
        /* Wait for one of the max_lists turns, or for the server to stop. */
        HANDLE waits[3] = {stops[0], stops[1], c->cx->list_slots};
        if (WaitForMultipleObjects(3, waits, FALSE, INFINITE) != WAIT_OBJECT_0 + 2) {
            sent = LISTSEND_STOPPED;
        } else {
            sent = folderlist_send(f, stops, 2, send_listing, c, &entries, &bytes);
            ReleaseSemaphore(c->cx->list_slots, 1, NULL);
        }
    }
    folderlist_close(f);
    if (sent == LISTSEND_OK) {
        log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_OK);
        return CONTINUE;
    }
    if (sent == LISTSEND_STOPPED) {
        log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_SERVER_STOPPING);
        return CLOSE;
    }
    if (sent == LISTSEND_BROKEN) {
        log_request(c, act, act->arg, act->arg_len, bytes, OUTCOME_ABORTED);
        return CLOSE;
    }
    /* Missing, forbidden or unreadable: the log tells which, the client
     * gets one answer for all. */
    log_request(c, act, act->arg, act->arg_len, 0,
                opened == ROOTFS_OK ? OUTCOME_FAILED : open_failure(opened));
    session_list_failed(&c->session, &next);
    return answer(c, &next);
}

static enum step serve_hash(struct connection *c, const struct session_action *act)
{
    struct filehash_result res;
    struct session_action next;
    enum outcome word = OUTCOME_OK;

    filehash_file(c->cx->hashes, c->cx->root, act->arg, act->arg_len, c->cx->stop_event, &res);
    if (res.rootfs_rc != ROOTFS_OK)
        word = open_failure(res.rootfs_rc);
    else if (res.outcome == SESSION_HASH_CHANGED)
        word = OUTCOME_CHANGED;
    else if (res.outcome != SESSION_HASH_OK)
        word = OUTCOME_FAILED;
    else if (res.cached)
        word = OUTCOME_CACHED;
    log_request(c, act, act->arg, act->arg_len, res.bytes, word);
    session_hash_result(&c->session, res.outcome, res.hex, &next);
    return answer(c, &next);
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

static enum step check_password(struct connection *c, const struct session_action *act)
{
    struct session_action next;
    uint64_t waited = 0;
    enum throttle_verdict gate = THROTTLE_ALLOW;
    enum authgate_result turn;
    int ok, banned;

    if (!c->tls && c->cx->plain_auth_refused) {
        /* Neither checked nor counted: the password crossed in clear, and
         * the answer must not tell whether it was right. */
        char line[128];
        int n = snprintf(line, sizeof line, REPLY_AUTH_NEEDS_TLS_FMT, c->cx->tls_port);
        log_request(c, act, NULL, 0, 0, OUTCOME_NEEDS_TLS);
        return say(c, line, (size_t)n);
    }
    /* A delayed AUTH is not a transfer: a stop's drain ends its wait. */
    if (c->keyed &&
        addrguard_before_auth(c->cx->guard, &c->key, c->cx->drain_event, &gate, &waited) != 0)
        return CLOSE; /* the server is stopping */
    if (gate == THROTTLE_BANNED) {
        log_request(c, act, NULL, 0, 0, OUTCOME_BANNED);
        say(c, REPLY_TOO_MANY_FAILURES, sizeof REPLY_TOO_MANY_FAILURES - 1);
        c->graceful = 1;
        return CLOSE;
    }
    if (gate != THROTTLE_ALLOW)
        return CLOSE; /* no other verdict comes before AUTH; refuse what is not understood */
    /* At most auth_concurrency PBKDF2 checks at once; the rest wait their
     * turn up to the idle timeout, then are told the server is busy. */
    turn = authgate_enter(c->cx->auth_gate, c->cx->stop_event, c->cx->settings->idle_timeout * 1000u);
    if (turn == AUTHGATE_STOPPED)
        return CLOSE;
    if (turn == AUTHGATE_TIMEOUT) {
        log_request(c, act, NULL, 0, 0, OUTCOME_BUSY_AUTH);
        say(c, REPLY_SERVER_BUSY, sizeof REPLY_SERVER_BUSY - 1);
        c->graceful = 1;
        return CLOSE;
    }
    ok = credential_check(c->cx->credential, act->arg, act->arg_len);
    authgate_leave(c->cx->auth_gate);
    banned = c->keyed ? addrguard_after_auth(c->cx->guard, &c->key, ok) : 0;
    if (banned)
        log_ban(c, banned);
    /* The password itself never reaches the log, right or wrong. The
     * request's time in the log includes any throttling delay. */
    session_auth_result(&c->session, ok, &next);
    log_request(c, act, NULL, 0, 0,
                ok ? OUTCOME_OK
                   : (next.kind == SA_REPLY_CLOSE
                          ? OUTCOME_TOO_MANY_FAILURES
                          : (waited > 0 ? OUTCOME_BAD_PASSWORD_DELAYED : OUTCOME_BAD_PASSWORD)));
    return answer(c, &next);
}

/* A connection turned away before its session began, as one over
 * max_clients is: a handshake that found the tls_handshakes gate full until
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
        log_request(c, act, NULL, 0, 0, act->text[0] == '#' ? OUTCOME_OK : OUTCOME_REFUSED);
        return answer(c, act);
    case SA_CLOSE:
        if (act->verb == CMD_QUIT) {
            log_request(c, act, NULL, 0, 0, OUTCOME_OK);
            c->graceful = 1;
        }
        return CLOSE;
    case SA_REFUSE:
        /* A ClientHello on the plain port: told where TLS is, then closed,
         * and counted as a refused connection, not logged line by line. */
        log_refused_connection(c, OUTCOME_TLS_ON_PLAIN);
        return answer(c, act);
    case SA_AUTH: return check_password(c, act);
    case SA_SEND_FILE: return serve_file(c, act);
    case SA_LIST: return serve_list(c, act);
    case SA_HASH: return serve_hash(c, act);
    }
    return CLOSE;
}

/* The server is stopping and this session is between commands: it goes at
 * once, with a line that says why. */
static void close_for_stop(struct connection *c)
{
    struct session_action act = {SA_REPLY_CLOSE, CMD_BLANK, NULL, 0, NULL, 0, 0};

    c->started = GetTickCount64();
    log_request(c, &act, NULL, 0, 0, OUTCOME_SERVER_STOPPING);
    say(c, REPLY_SERVER_STOPPING, sizeof REPLY_SERVER_STOPPING - 1);
    c->graceful = 1;
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
        if (draining(c)) {
            close_for_stop(c);
            return CLOSE;
        }
        c->started = GetTickCount64();
        used += (int)session_feed(&c->session, c->inbuf + used, (size_t)(n - used), &act);
        if (perform(c, &act) == CLOSE)
            return CLOSE;
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
    const ULONGLONG idle_ms = (ULONGLONG)c->cx->settings->idle_timeout * 1000u;
    ULONGLONG line_began = GetTickCount64();

    c->started = GetTickCount64();
    switch (transport_start(&c->tr, c->tls_info, sizeof c->tls_info)) {
    case 0:
        break;
    case TRANSPORT_BUSY:
        log_refused_connection(c, OUTCOME_BUSY_TLS);
        return;
    case TRANSPORT_NOT_TLS_TOLD:
        c->graceful = 1; /* a line told the client why: let it arrive */
        log_refused_connection(c, OUTCOME_NOT_TLS);
        return;
    case TRANSPORT_NOT_TLS:
        log_refused_connection(c, OUTCOME_NOT_TLS);
        return;
    default:
        log_transport_failure(c, c->tls_info);
        return;
    }
    if (say(c, greeting, greeting_len) == CLOSE)
        return;
    for (;;) {
        ULONGLONG waited = GetTickCount64() - line_began;
        int n;

        if (draining(c)) {
            close_for_stop(c);
            return;
        }
        n = waited >= idle_ms ? TRANSPORT_TIMEOUT
                              : transport_receive(&c->tr, c->inbuf, sizeof c->inbuf,
                                                  (unsigned)(idle_ms - waited));
        if (n == TRANSPORT_TIMEOUT) {
            struct session_action act = {SA_REPLY_CLOSE, CMD_BLANK, NULL, 0, NULL, 0, 0};
            c->started = GetTickCount64();
            log_request(c, &act, NULL, 0, 0, OUTCOME_IDLE_TIMEOUT);
            say(c, REPLY_IDLE_TIMEOUT, sizeof REPLY_IDLE_TIMEOUT - 1);
            c->graceful = 1;
            return;
        }
        if (n == TRANSPORT_STOPPED && WaitForSingleObject(c->cx->stop_event, 0) != WAIT_OBJECT_0)
            continue; /* the drain event: the check above says goodbye */
        if (n == TRANSPORT_ERROR)
            log_transport_failure(c, transport_failure(&c->tr));
        if (n <= 0 || consume(c, n, &line_began) == CLOSE)
            return;
    }
}

static void connection_main(void *arg)
{
    struct connection *c = arg;
    const struct connection_context *cx = c->cx;

    serve(c);
    if (c->keyed)
        addrguard_disconnect(cx->guard, &c->key);
    if (c->graceful && WaitForSingleObject(cx->stop_event, 0) != WAIT_OBJECT_0)
        transport_shut_down(&c->tr, LINGER_MS);
    else
        transport_cancel(&c->tr);
    /* After the transport: its security context was made with this credential. */
    tlscred_release(c->cred);
    free(c);
    cx->ended(cx->ended_arg);
}

/* Opens the transport the port calls for. 0, or -1 with sock the caller's. */
static int open_transport(struct connection *c, SOCKET sock, int tls)
{
    const struct connection_context *cx = c->cx;
    struct transport_plain_params plain;
    struct transport_tls_params tp;

    if (tls) {
        /* The credential current now: a reload later does not change it. */
        c->cred = tlscred_take(cx->tls_slot);
        if (c->cred == NULL)
            return -1;
        tp.stop = cx->stop_event;
        tp.drain = cx->drain_event;
        tp.cred = &c->cred->cred;
        tp.handshake_timeout_ms = cx->settings->tls_handshake_timeout * 1000u;
        tp.min_version = cx->settings->tls_min_version;
        tp.gate = cx->tls_gate;
        tp.waits = cx->tls_gate_waits;
        tp.fault_step_ms = cx->tls_fault_step_ms;
        return transport_tls_open(&c->tr, sock, &tp);
    }
    plain.stop = cx->stop_event;
    plain.drain = cx->drain_event;
    plain.transmit_file = cx->transmit_file;
    plain.bytes_per_send = CONNECTION_BYTES_PER_SEND;
    return transport_plain_open(&c->tr, sock, &plain);
}

int connection_start(const struct connection_context *cx, SOCKET sock, const char *peer,
                     const struct throttle_key *key, int tls)
{
    struct connection *c = malloc(sizeof *c);
    BOOL nodelay = TRUE;

    if (c == NULL)
        return -1;
    c->cx = cx;
    c->graceful = 0;
    c->keyed = key != NULL;
    if (key != NULL)
        c->key = *key;
    session_init(&c->session);
    if (!tls)
        session_on_plain_port(&c->session, cx->tls_port);
    strncpy(c->peer, peer, sizeof c->peer - 1);
    c->peer[sizeof c->peer - 1] = '\0';
    c->tls = tls;
    c->cred = NULL;
    c->tls_info[0] = '\0';
    if (open_transport(c, sock, tls) != 0) {
        tlscred_release(c->cred);
        free(c);
        return -1;
    }
    /* Reply lines are small and each one is awaited; Nagle would hold them back. */
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof nodelay);
    /* A thread that served an earlier client, or a new one. */
    if (workers_run(cx->workers, connection_main, c) != 0) {
        /* the caller keeps the socket */
        if (tls)
            transport_tls_disown(&c->tr);
        else
            transport_plain_disown(&c->tr);
        tlscred_release(c->cred);
        free(c);
        return -1;
    }
    return 0;
}
