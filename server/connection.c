/* connection.c - the client thread (see connection.h).
 *
 * Everything a connection owns lives in one heap block, struct connection,
 * so a thread's stack stays small and nothing is left behind when the client
 * vanishes: every exit path goes through connection_main's end. */
#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ws2tcpip.h>

#include "accesslog.h"
#include "server.h"
#include "session.h"
#include "transfer.h"

#define LINGER_MS 1000

struct connection {
    struct server *srv;
    struct sockio io;
    struct session session;
    char peer[64];
    struct throttle_key key;
    int keyed; /* key is counted in the server's address guard */
    int graceful; /* close with FIN and a short linger, not a reset */
    ULONGLONG started;
    char inbuf[4096];
    char log_line[ACCESSLOG_LINE_MAX];
};

enum step { CONTINUE, CLOSE };

static void log_request(struct connection *c, const struct session_action *act, const char *path,
                        size_t path_len, uint64_t bytes, const char *result)
{
    struct logsink_request req;

    req.peer = c->peer;
    req.command = command_name(act->verb);
    req.path = path;
    req.path_len = path_len;
    req.bytes = bytes;
    req.result = result;
    req.started_ms = c->started;
    logsink_request(c->srv->log, &req, c->log_line);
}

static unsigned send_timeout_ms(const struct connection *c)
{
    return c->srv->settings.send_timeout_s * 1000u;
}

static enum step say(struct connection *c, const char *text, size_t len)
{
    return sockio_send_all(&c->io, text, len, send_timeout_ms(c)) == 0 ? CONTINUE : CLOSE;
}

static const char *open_failure_word(int rc)
{
    switch (rc) {
    case ROOTFS_DENIED: return "denied";
    case ROOTFS_MISSING: return "missing";
    default: return "failed";
    }
}

/* Carries out a reply or close the session decided on, without logging:
 * the caller has logged the request already. */
static enum step answer(struct connection *c, const struct session_action *act)
{
    switch (act->kind) {
    case SA_NONE:
        return CONTINUE;
    case SA_REPLY:
        return say(c, act->text, act->text_len);
    case SA_REPLY_CLOSE:
        say(c, act->text, act->text_len);
        c->graceful = 1;
        return CLOSE;
    default:
        return CLOSE;
    }
}

static enum step serve_file(struct connection *c, const struct session_action *act)
{
    const char *path = act->arg;
    size_t path_len = act->arg_len;
    uint64_t offset = act->offset, size = 0, sent = 0;
    struct session_action next;
    struct transfer_params tp;
    HANDLE file = INVALID_HANDLE_VALUE;
    LARGE_INTEGER after;
    int rc = rootfs_open(&c->srv->root, path, path_len, &file, &size);
    enum step step;

    if (!session_file_opened(&c->session, rc == ROOTFS_OK, size, &next)) {
        log_request(c, act, path, path_len, 0,
                    rc == ROOTFS_OK ? "bad-offset" : open_failure_word(rc));
        step = answer(c, &next);
        goto out;
    }
    if (next.kind == SA_REPLY && say(c, next.text, next.text_len) == CLOSE) {
        step = CLOSE;
        goto out;
    }
    tp.transmit_file = c->srv->transmit_file;
    tp.bytes_per_send = c->srv->settings.bytes_per_send;
    tp.timeout_ms = send_timeout_ms(c);
    rc = transfer_send_file(&c->io, &tp, file, offset, size - offset, &sent);
    /* A file that changed size while it went out was not sent as it is now. */
    if (rc == 0 && (!GetFileSizeEx(file, &after) || (uint64_t)after.QuadPart != size))
        rc = SOCKIO_ERROR;
    log_request(c, act, path, path_len, sent, rc == 0 ? "ok" : "aborted");
    session_file_done(&c->session, rc == 0, &next);
    step = answer(c, &next);
out:
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    return step;
}

static void log_ban(struct connection *c, int which)
{
    char addr[64], line[200];
    const struct throttle_config *cfg = &c->srv->settings.throttle;
    struct throttle_key group;

    if (which == THROTTLE_BAN_PREFIX && throttle_key_group(&c->key, &group))
        throttle_key_format(&group, addr, sizeof addr);
    else
        throttle_key_format(&c->key, addr, sizeof addr);
    snprintf(line, sizeof line, "throttle: %s banned for %llu s after %u AUTH failures", addr,
             (unsigned long long)(cfg->ban_ms / 1000u),
             which == THROTTLE_BAN_PREFIX ? cfg->prefix_ban_failures : cfg->ban_failures);
    logsink_text(c->srv->log, line);
}

static enum step check_password(struct connection *c, const struct session_action *act)
{
    struct session_action next;
    uint64_t waited = 0;
    int ok, banned, gate = c->keyed ? addrguard_before_auth(&c->srv->guard, &c->key,
                                                    c->srv->stop_event, &waited)
                            : THROTTLE_ALLOW;

    if (gate == THROTTLE_BANNED) {
        log_request(c, act, NULL, 0, 0, "banned");
        say(c, REPLY_TOO_MANY_FAILURES, sizeof REPLY_TOO_MANY_FAILURES - 1);
        c->graceful = 1;
        return CLOSE;
    }
    if (gate != THROTTLE_ALLOW)
        return CLOSE; /* the server is stopping */
    /* At most auth_concurrency PBKDF2 checks at once; the rest wait their
     * turn up to the idle timeout, then are told the server is busy. */
    gate = authgate_enter(&c->srv->auth_gate, c->srv->stop_event,
                          c->srv->settings.idle_timeout_s * 1000u);
    if (gate == AUTHGATE_STOPPED)
        return CLOSE;
    if (gate == AUTHGATE_TIMEOUT) {
        log_request(c, act, NULL, 0, 0, "busy-auth");
        say(c, REPLY_SERVER_BUSY, sizeof REPLY_SERVER_BUSY - 1);
        c->graceful = 1;
        return CLOSE;
    }
    ok = credential_check(c->srv->credential, act->arg, act->arg_len);
    authgate_leave(&c->srv->auth_gate);
    banned = c->keyed ? addrguard_after_auth(&c->srv->guard, &c->key, ok) : 0;
    if (banned)
        log_ban(c, banned);
    /* The password itself never reaches the log, right or wrong. The
     * request's time in the log includes any throttling delay. */
    session_auth_result(&c->session, ok, &next);
    log_request(c, act, NULL, 0, 0,
                ok ? "ok"
                   : (next.kind == SA_REPLY_CLOSE ? "too-many-failures"
                                                  : (waited > 0 ? "bad-password-delayed"
                                                                : "bad-password")));
    return answer(c, &next);
}

static enum step perform(struct connection *c, const struct session_action *act)
{
    switch (act->kind) {
    case SA_NONE:
        return CONTINUE;
    case SA_REPLY:
    case SA_REPLY_CLOSE:
        log_request(c, act, NULL, 0, 0, act->text[0] == '#' ? "ok" : "refused");
        return answer(c, act);
    case SA_CLOSE:
        if (act->verb == CMD_QUIT) {
            log_request(c, act, NULL, 0, 0, "ok");
            c->graceful = 1;
        }
        return CLOSE;
    case SA_AUTH:
        return check_password(c, act);
    case SA_SEND_FILE:
        return serve_file(c, act);
    }
    return CLOSE;
}

/* Feeds what arrived to the session and carries out each action in turn.
 * *line_began moves on whenever a whole line has been dealt with, so the idle
 * timeout bounds each line, however slowly its bytes trickle in. */
static enum step consume(struct connection *c, int n, ULONGLONG *line_began)
{
    int used = 0;

    while (used < n) {
        struct session_action act;
        c->started = GetTickCount64();
        used += (int)session_feed(&c->session, c->inbuf + used, (size_t)(n - used), &act);
        if (perform(c, &act) == CLOSE)
            return CLOSE;
        if (!linebuf_has_partial(&c->session.lb))
            *line_began = GetTickCount64();
    }
    return CONTINUE;
}

static void serve(struct connection *c)
{
    size_t greeting_len;
    const char *greeting = session_greeting(&greeting_len);
    const ULONGLONG idle_ms = (ULONGLONG)c->srv->settings.idle_timeout_s * 1000u;
    ULONGLONG line_began = GetTickCount64();

    if (say(c, greeting, greeting_len) == CLOSE)
        return;
    for (;;) {
        ULONGLONG waited = GetTickCount64() - line_began;
        int n = waited >= idle_ms ? SOCKIO_TIMEOUT
                                  : sockio_recv(&c->io, c->inbuf, sizeof c->inbuf,
                                                (unsigned)(idle_ms - waited));
        if (n == SOCKIO_TIMEOUT) {
            struct session_action act = {SA_REPLY_CLOSE, CMD_BLANK, NULL, 0, NULL, 0, 0};
            c->started = GetTickCount64();
            log_request(c, &act, NULL, 0, 0, "idle-timeout");
            say(c, REPLY_IDLE_TIMEOUT, sizeof REPLY_IDLE_TIMEOUT - 1);
            c->graceful = 1;
            return;
        }
        if (n <= 0 || consume(c, n, &line_began) == CLOSE)
            return;
    }
}

static void connection_main(void *arg)
{
    struct connection *c = arg;
    struct server *srv = c->srv;

    serve(c);
    if (c->keyed)
        addrguard_disconnect(&srv->guard, &c->key);
    if (c->graceful && WaitForSingleObject(srv->stop_event, 0) != WAIT_OBJECT_0)
        sockio_close_gracefully(&c->io, LINGER_MS);
    else
        sockio_close(&c->io);
    free(c);
    server_client_ended(srv);
}

int connection_start(struct server *srv, SOCKET sock, const char *peer,
                     const struct throttle_key *key)
{
    struct connection *c = malloc(sizeof *c);
    BOOL nodelay = TRUE;

    if (c == NULL)
        return -1;
    c->srv = srv;
    c->graceful = 0;
    c->keyed = key != NULL;
    if (key != NULL)
        c->key = *key;
    session_init(&c->session);
    strncpy(c->peer, peer, sizeof c->peer - 1);
    c->peer[sizeof c->peer - 1] = '\0';
    if (sockio_init(&c->io, sock, srv->stop_event) != 0) {
        free(c);
        return -1;
    }
    /* Reply lines are small and each one is awaited; Nagle would hold them back. */
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof nodelay);
    /* A thread that served an earlier client, or a new one. */
    if (workers_run(&srv->workers, connection_main, c) != 0) {
        /* The caller keeps the socket; only our event goes. */
        c->io.sock = INVALID_SOCKET;
        sockio_close(&c->io);
        free(c);
        return -1;
    }
    return 0;
}
