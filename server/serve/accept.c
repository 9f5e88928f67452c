/* accept.c - the accept thread: takes each new connection, applies
 * allow/deny, max_clients and the address guard, and hands it to a client
 * thread; refusals are logged in summary; the stats line comes from here.
 * Its state is the struct server of srvstate.h. */
#include "srvstate.h"

#include <stdio.h>
#include <string.h>

#include "accesslog.h"
#include "listener.h"
#include "procstats.h"
#include "reply.h"
#include "sockio.h"
#include "winerr.h"

#define ACCEPT_RECHECK_MS 100
/* After a wake-up that found no client, look again this soon, then twice
 * as late each time up to ACCEPT_RECHECK_MS (see accept_thread_main). */
#define ACCEPT_STALE_RECHECK_MS 2
/* A failing accept() waits 10 ms, doubling up to 1 s, on the stop event. */
#define ACCEPT_BACKOFF_MIN_MS 10
#define ACCEPT_BACKOFF_MAX_MS 1000
/* Accepts per wake-up at most, so that the stop event is looked at. */
#define ACCEPT_BATCH 256

/* Only the accept thread writes log lines through this buffer. */
static char accept_log_line[ACCESSLOG_LINE_MAX];

/* A client thread has ended, or a client was refused after being counted. */
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
 * them cannot rotate the log's history away. */
static void log_refusal(struct server *srv, const char *peer, const char *addr, enum outcome why)
{
    struct logsink_request req = {NULL, "CONNECT", NULL, 0, 0, OUTCOME_OK, 0, NULL};

    req.peer = peer;
    req.result = why;
    req.started_ms = GetTickCount64();
    logsink_refused(srv->log, addr, &req, accept_log_line);
}

/* Tells a client we cannot serve it, without ever blocking the accept loop
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

/* Lets the client in on snap's settings, or refuses it; 0 when a
 * connection took it, and with it the snapshot. */
static int admit(struct server *srv, struct settingsnap *snap, SOCKET s,
                 const struct sockaddr *peer_addr, int tls)
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
    /* An accepted socket inherits the listener's event selection (FD_ACCEPT
     * only, which a connected socket never raises) and so its non-blocking
     * mode. Both are left as they are: a client thread makes only
     * overlapped calls, which neither affects, and undoing them costs four
     * wineserver requests a client under Wine (issue 24). */
    if (connection_start(&srv->conn, snap, s, peer, keyed ? &key : NULL, tls) != 0) {
        if (keyed)
            addrguard_disconnect(&srv->guard, &key);
        accept_client_ended(srv);
        refuse(srv, s, tls, peer, addr, REPLY_SERVER_BUSY, OUTCOME_BUSY_THREAD);
        return -1;
    }
    return 0;
}

static void take_client(struct server *srv, SOCKET s, const struct sockaddr *peer_addr, int tls)
{
    /* The settings this client is judged by and, once let in, served
     * with: one snapshot for both, whatever a reload does meanwhile. */
    struct settingsnap *snap = settingsnap_take(&srv->settings);

    if (admit(srv, snap, s, peer_addr, tls) != 0)
        settingsnap_release(snap);
}

static void log_stats(struct server *srv)
{
    struct procstats ps;
    char line[200];

    procstats_read(&ps);
    /* parked: client threads kept for the next client (server/workers.c),
     * each holding two events (its wake-up and the one its connections'
     * socket I/O uses); read without the lock, as a snapshot. */
    snprintf(line, sizeof line,
             "stats threads=%lu handles=%lu private=%llu clients=%ld parked=%u denied=%ld "
             "tls_waits=%ld",
             ps.threads, ps.handles, (unsigned long long)ps.private_bytes, (long)srv->active,
             srv->workers.parked_count, (long)srv->denied, (long)srv->tls_gate_waits);
    logsink_text(srv->log, line);
}

static SOCKET accept_one(struct server *srv, int which, struct sockaddr_storage *ss, int *len)
{
    if (srv->accept_fault != 0) {
        WSASetLastError(srv->accept_fault);
        return INVALID_SOCKET;
    }
    return accept(srv->listener[which], (struct sockaddr *)ss, len);
}

/* An accept() that failed for reasons of the whole listener or system (no
 * buffers or handles, network down, a listener gone bad): log it once, then
 * wait on the stop event, longer each time, so a lasting failure neither
 * spins a core nor holds up a stop. *backoff_ms is 0 while accepts work. */
static void accept_failed(struct server *srv, int e, DWORD *backoff_ms)
{
    if (*backoff_ms == 0) {
        char why[200], line[300];
        snprintf(line, sizeof line, "accept: %s; retrying, less often while it lasts",
                 winerr_text((unsigned long)e, why, sizeof why));
        logsink_text(srv->log, line);
        *backoff_ms = ACCEPT_BACKOFF_MIN_MS;
    } else if (*backoff_ms < ACCEPT_BACKOFF_MAX_MS) {
        *backoff_ms =
            *backoff_ms * 2 < ACCEPT_BACKOFF_MAX_MS ? *backoff_ms * 2 : ACCEPT_BACKOFF_MAX_MS;
    }
    WaitForSingleObject(srv->drain_event, *backoff_ms);
}

/* Accepts what the listener has; returns how many clients it took (a peer
 * gone before its accept is not one: it re-arms nothing under Wine). */
static int accept_pending(struct server *srv, int which, DWORD *backoff_ms)
{
    int taken = 0;

    for (int n = 0; n < ACCEPT_BATCH; n++) {
        struct sockaddr_storage ss;
        int len = (int)sizeof ss;
        SOCKET s = accept_one(srv, which, &ss, &len);
        if (s == INVALID_SOCKET) {
            int e = WSAGetLastError();
            if (winerr_kind((unsigned long)e) == WINERR_WOULD_BLOCK)
                return taken; /* drained */
            /* A peer that reset or gave up before we got to it concerns
             * that client only; the next one may be waiting behind it. */
            if (winerr_kind((unsigned long)e) == WINERR_PEER_GONE)
                continue;
            accept_failed(srv, e, backoff_ms);
            return taken;
        }
        if (*backoff_ms != 0) {
            logsink_text(srv->log, "accept: working again");
            *backoff_ms = 0;
        }
        take_client(srv, s, (struct sockaddr *)&ss, which == 1);
        taken++;
    }
    return taken;
}

/* How long the next wait may sleep before the listeners are looked at
 * again, given what this wake-up found. Under Wine 8 a listener's
 * FD_ACCEPT is re-armed only by an accept() that takes a client, not by
 * one that fails with WSAEWOULDBLOCK (Windows re-arms on either); and a
 * readiness Wine saw before a client was taken can still set the event
 * after it, so the wake finds nobody, and the next client sets nothing:
 * it waited for the 100 ms look-again. Every such stall followed a
 * wake-up that found no client (bench/RESULTS.md), so after one the next
 * look comes in 2 ms, then 4, 8 ... back to 100 ms: a client arriving
 * t ms later waits about t ms at most, and an idle server costs six more
 * wake-ups. A wake that takes a client re-arms the event; the full
 * interval applies again. */
static DWORD next_recheck(DWORD recheck_ms, int signalled, int taken)
{
    if (taken > 0)
        return ACCEPT_RECHECK_MS;
    if (signalled)
        return ACCEPT_STALE_RECHECK_MS;
    return recheck_ms * 2 < ACCEPT_RECHECK_MS ? recheck_ms * 2 : ACCEPT_RECHECK_MS;
}

unsigned __stdcall accept_thread_main(void *arg)
{
    struct server *srv = arg;
    HANDLE waits[3];
    int which[3];
    DWORD n = 1;
    struct settingsnap *start = settingsnap_take(&srv->settings);
    /* A restart's setting: the one the server started with stays. */
    const ULONGLONG every = (ULONGLONG)start->s.stats_interval * 1000u;
    ULONGLONG next_stats = GetTickCount64() + every;
    DWORD backoff_ms = 0, recheck_ms = ACCEPT_RECHECK_MS;

    settingsnap_release(start);
    /* A stop sets the drain event first, and accepting ends with it. */
    waits[0] = srv->drain_event;
    for (int i = 0; i < 2; i++) {
        if (srv->listener[i] == INVALID_SOCKET)
            continue;
        waits[n] = srv->accept_event[i];
        which[n++] = i;
    }
    for (;;) {
        ULONGLONG now = GetTickCount64();
        /* The timeout is a safety net: under Wine 8 the FD_ACCEPT signal
         * can go missing (next_recheck), leaving clients in the backlog
         * with the thread asleep; looking again bounds such a stall. It
         * also paces the stats line. */
        DWORD timeout = recheck_ms, w;
        int taken = 0;

        if (every != 0 && next_stats - now < timeout)
            timeout = next_stats > now ? (DWORD)(next_stats - now) : 0;
        w = WaitForMultipleObjects(n, waits, FALSE, timeout);
        if (w != WAIT_TIMEOUT && (w < WAIT_OBJECT_0 + 1 || w >= WAIT_OBJECT_0 + n))
            break; /* stop, or a wait that failed */
        if (every != 0 && GetTickCount64() >= next_stats) {
            log_stats(srv);
            next_stats = GetTickCount64() + every;
        }
        /* Both listeners are looked at each time: one signal may hide
         * another. Their events reset themselves (server.c). */
        for (DWORD i = 1; i < n; i++)
            taken += accept_pending(srv, which[i], &backoff_ms);
        recheck_ms = next_recheck(recheck_ms, w != WAIT_TIMEOUT, taken);
        logsink_tick(srv->log); /* refusal summaries whose minute is up */
    }
    return 0;
}
