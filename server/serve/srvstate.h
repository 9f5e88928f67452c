/* srvstate.h - what a running server holds: struct server, shared by
 * server.c (start, stop, reload) and accept.c (each accepted client's
 * admission, on its client thread, and the look every second) and by no
 * other file (server.h keeps it opaque).
 *
 * The client threads take the current settings snapshot (its slot's lock)
 * for each client they accept, to check allow and deny and to serve the
 * client with; what they change here is `active` and `denied`
 * (Interlocked), the address guard and the log (each with its own lock).
 * The look thread reads the stats fields, which only it writes. */
#ifndef MTS_SRVSTATE_H
#define MTS_SRVSTATE_H

#include <winsock2.h>
#include <windows.h>

#include "acctlive.h"
#include "acctwatch.h"
#include "addrguard.h"
#include "authgate.h"
#include "connection.h"
#include "filehash.h"
#include "options.h"
#include "rootfs.h"
#include "settingsnap.h"
#include "tlscred.h"
#include "lookthread.h"
#include "tlswatch.h"
#include "workers.h"

struct server {
    /* The settings new clients get: the start's, then each reload's
     * (server_reload); allow and deny parsed with them. */
    struct settingsnap_slot settings;
    struct throttle_config throttle; /* the per-address rules, made at start */
    struct rootfs root;
    const struct credential *credential;
    struct logsink *log;
    struct addrguard guard;
    int guard_ready;
    struct authgate auth_gate;    /* PBKDF2 checks at once (password_hash only) */
    struct authgate tls_gate;     /* TLS handshake steps at once (with a certificate only) */
    volatile LONG tls_gate_waits; /* handshake steps that waited for tls_gate */
    volatile LONG denied;         /* connections refused by allow/deny */
    struct filehash hashes;       /* HASH's slots and cache; its semaphore NULL until made */
    /* The listeners: [0] plain, [1] TLS; INVALID_SOCKET when not open. */
    SOCKET listener[2];
    struct tlscred_slot tls; /* its credential: when the settings name a certificate */
    int tls_ready;
    struct tlswatch tls_watch; /* the hourly look at it; thread NULL when not running */
    struct acctlive accounts;  /* with an account store (accounts_ready) */
    int accounts_ready;
    struct acctwatch acct_watch; /* the look at accounts.ini; thread NULL when not running */
    struct sessmap sessions_published; /* for `mtserver status`; mapping NULL when not */
    HANDLE stop_event;         /* manual reset: set once to stop everything */
    HANDLE drain_event;        /* manual reset: set once when a stop begins (server.h) */
    HANDLE list_slots;         /* semaphore of max_lists (connection.h) */
    /* Manual reset: set when the last client thread ends after a stop
     * began (server_wait_idle resets it before each wait). */
    HANDLE idle_event;
    volatile LONG draining; /* set (Interlocked) just before drain_event */
    volatile LONG stopping; /* set (Interlocked) just before stop_event */
    /* The stats line every stats_every_ms (0: none, the setting at start),
     * the refusal summaries and the listeners' threads, each second
     * (accept_look). */
    struct lookthread look;
    ULONGLONG stats_every_ms, next_stats_ms;
    volatile LONG active;           /* clients being served (Interlocked*) */
    struct workers workers;         /* the client threads, each accepting its next */
    struct connection_context conn; /* what client threads are given; fixed once started */
    char where[64];                 /* the address listened on, "[::]:20248" */
    char tls_where[64];
};

/* Admits and serves one accepted client on the calling client thread
 * (workers_serve, arg the server; listener 1 is the TLS port). */
void accept_serve(void *arg, int which, SOCKET s, const struct sockaddr *peer, HANDLE io_event);

/* The look every ACCEPT_LOOK_MS (lookthread.h, arg the server): the stats
 * line when due, the refusal summaries whose minute is up, and a thread
 * for a listener none waits on (workers_look). */
#define ACCEPT_LOOK_MS 1000
void accept_look(void *arg, int asked);

/* A client thread has ended, or a client was refused after being counted
 * (connection_context.ended). */
void accept_client_ended(void *arg);

#endif
