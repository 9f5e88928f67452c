/* accept.c - what becomes of each accepted connection, on the client
 * thread that accepted it (workers.h): allow/deny, max_clients and the
 * address guard, then the session (connection.h) or a refusal, logged in
 * summary. And the server's look every second: the stats line and the
 * refusal summaries whose minute is up. Its state is the struct server of
 * srvstate.h. */
#include "srvstate.h"

#include <stdio.h>
#include <stdlib.h>

#include "accesslog.h"
#include "listener.h"
#include "procstats.h"
#include "reply.h"

/* A client's session has ended, or a client was refused after being counted. */
void accept_client_ended(void *arg)
{
    struct server *srv = arg;

    /* Only a stop waits for the idle event (server_wait_idle): setting it
     * for every last client, and resetting it for every first, would be two
     * wineserver round trips a session under Wine. */
    if (InterlockedDecrement(&srv->active) == 0 && srv->draining)
        SetEvent(srv->idle_event);
}

/* Refusals are summarised per address (logsink_refused), so that a flood of
 * them cannot rotate the log's history away. The line's room is taken for
 * the refusal only (most are only counted, but which is the log's to say):
 * kept with every client thread it would be its largest part. */
static void log_refusal(struct server *srv, const char *peer, const char *addr, enum outcome why)
{
    struct logsink_request req = {NULL, "CONNECT", NULL, 0, 0, OUTCOME_OK, 0, NULL};
    char *line = malloc(ACCESSLOG_LINE_MAX);

    req.peer = peer;
    req.result = why;
    req.started_ms = GetTickCount64();
    if (line != NULL)
        logsink_refused(srv->log, addr, &req, line);
    free(line);
}

/* Tells a client we cannot serve it, without ever blocking
 * (listener_turn_away), and logs why. */
static void refuse(struct server *srv, SOCKET s, int tls, const char *peer, const char *addr,
                   const char *reply, enum outcome why)
{
    listener_turn_away(s, tls, reply);
    log_refusal(srv, peer, addr, why);
}

static enum outcome verdict_outcome(enum throttle_verdict v)
{
    switch (v) {
    case THROTTLE_BANNED: return OUTCOME_BANNED;
    case THROTTLE_TOO_MANY: return OUTCOME_BUSY_ADDRESS;
    case THROTTLE_TOO_FAST: return OUTCOME_BUSY_RATE;
    default: return OUTCOME_BUSY_TABLE;
    }
}

/* Lets the client in on snap's settings and serves it, or refuses it; 0
 * when a connection took it, and with it the snapshot. */
static int admit(struct server *srv, struct settingsnap *snap, SOCKET s,
                 const struct sockaddr *peer_addr, int tls, HANDLE io_event)
{
    char peer[64], addr[64];
    struct throttle_key key;
    int keyed = addrguard_key(peer_addr, &key) == 0;
    enum throttle_verdict v;

    listener_format_address(peer_addr, peer, sizeof peer);
    if (keyed)
        throttle_key_format(&key, addr, sizeof addr);
    else
        snprintf(addr, sizeof addr, "%s", peer);
    /* allow/deny: closed before the greeting, with no word to the client. */
    if (keyed ? !ipacl_admits(&snap->allow, &snap->deny, key.b) : snap->allow.count != 0) {
        closesocket(s);
        InterlockedIncrement(&srv->denied);
        log_refusal(srv, peer, addr, OUTCOME_DENIED);
        return -1;
    }
    if (InterlockedIncrement(&srv->active) > (LONG)snap->s.max_clients) {
        accept_client_ended(srv);
        refuse(srv, s, tls, peer, addr, REPLY_SERVER_BUSY, OUTCOME_BUSY);
        return -1;
    }
    v = keyed ? addrguard_connect(&srv->guard, &key) : THROTTLE_ALLOW;
    if (v != THROTTLE_ALLOW) {
        accept_client_ended(srv);
        refuse(srv, s, tls, peer, addr,
               v == THROTTLE_BANNED ? REPLY_TOO_MANY_FAILURES : REPLY_SERVER_BUSY,
               verdict_outcome(v));
        return -1;
    }
    if (connection_serve(&srv->conn, snap, s, peer, keyed ? &key : NULL, tls, io_event) != 0) {
        if (keyed)
            addrguard_disconnect(&srv->guard, &key);
        accept_client_ended(srv);
        refuse(srv, s, tls, peer, addr, REPLY_SERVER_BUSY, OUTCOME_BUSY_THREAD);
        return -1;
    }
    return 0;
}

void accept_serve(void *arg, int which, SOCKET s, const struct sockaddr *peer, HANDLE io_event)
{
    struct server *srv = arg;
    /* The settings this client is judged by and, once let in, served
     * with: one snapshot for both, whatever a reload does meanwhile. */
    struct settingsnap *snap = settingsnap_take(&srv->settings);

    if (admit(srv, snap, s, peer, which == 1, io_event) != 0)
        settingsnap_release(snap);
}

static void log_stats(struct server *srv)
{
    struct procstats ps;
    char line[200];

    procstats_read(&ps);
    /* parked: client threads waiting for the next client (workers.h), each
     * holding an event (its accept's, then its connections' socket I/O's)
     * and the socket made for that client; a snapshot. */
    snprintf(line, sizeof line,
             "stats threads=%lu handles=%lu private=%llu clients=%ld parked=%u denied=%ld "
             "tls_waits=%ld",
             ps.threads, ps.handles, (unsigned long long)ps.private_bytes, (long)srv->active,
             workers_parked(&srv->workers), (long)srv->denied, (long)srv->tls_gate_waits);
    logsink_text(srv->log, line);
}

void accept_look(void *arg, int asked)
{
    struct server *srv = arg;
    ULONGLONG now = GetTickCount64();

    (void)asked;
    /* Half a look early counts: a wake-up a tick before its second would
     * otherwise put the line off by a whole one. */
    if (srv->stats_every_ms != 0 && now + ACCEPT_LOOK_MS / 2 >= srv->next_stats_ms) {
        log_stats(srv);
        srv->next_stats_ms = now + srv->stats_every_ms;
    }
    logsink_tick(srv->log); /* refusal summaries whose minute is up */
    workers_look(&srv->workers);
}
