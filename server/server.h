/* server.h - one running server: the listener, its accept thread and the
 * client threads, shared by console mode and service mode.
 *
 * Threads: the accept thread owns the listening socket; each client thread
 * owns its connection. They share the struct server read-only, except for
 * `active` (Interlocked*), the log (its own lock) and the address guard
 * (its own lock). Stopping: set
 * stop_event; every wait in every thread wakes on it. */
#ifndef MTS_SERVER_H
#define MTS_SERVER_H

#include <stddef.h>
#include <winsock2.h>
#include <mswsock.h>

#include "addrguard.h"
#include "authgate.h"
#include "ipacl.h"
#include "credential.h"
#include "logsink.h"
#include "rootfs.h"
#include "workers.h"

struct server_settings {
    const char *bind; /* NULL: every address */
    unsigned port;
    const char *root; /* NULL: the current folder */
    unsigned max_clients;
    unsigned idle_timeout_s;
    unsigned send_timeout_s;
    DWORD bytes_per_send;
    unsigned stats_interval_s; /* 0: no stats lines */
    unsigned refuse_hard_links; /* 1: refuse files with more than one hard link */
    unsigned auth_concurrency; /* password-hash checks at once; 0: one per processor */
    const char *allow; /* NULL: every address may connect (ipacl.h list) */
    const char *deny;  /* NULL: none is refused (ipacl.h list) */
    /* Per-address defences; throttle.max_entries is derived from max_clients. */
    struct throttle_config throttle;
};

struct server {
    struct server_settings settings;
    struct rootfs root;
    const struct credential *credential;
    struct logsink *log;
    struct addrguard guard;
    int guard_ready;
    struct ipacl allow, deny; /* read-only once the accept thread runs */
    struct authgate auth_gate; /* PBKDF2 checks at once (password_hash only) */
    volatile LONG denied;     /* connections refused by allow/deny */
    SOCKET listener;
    WSAEVENT accept_event;
    HANDLE stop_event;  /* manual reset: set once to stop everything */
    HANDLE idle_event;  /* manual reset: set while no client thread runs */
    HANDLE accept_thread;
    volatile LONG active; /* client threads running */
    struct workers workers; /* the client threads, kept for reuse */
    LPFN_TRANSMITFILE transmit_file;
    char where[64]; /* the address listened on, "[::]:20248" */
};

/* Opens the root and the listener and starts accepting. Returns 0, or -1 or
 * LISTENER_NOT_YET (listener.h: trying again later may work) with a message
 * in err; nothing is left running then. */
int server_start(struct server *srv, const struct server_settings *settings,
                 const struct credential *credential, struct logsink *log, char *err,
                 size_t errcap);

/* Asks every thread to stop; returns at once. Safe from any thread. */
void server_request_stop(struct server *srv);

/* Stops accepting, waits up to wait_ms for client threads to finish, and
 * frees what server_start made. Returns the number of client threads still
 * running when it gave up (0 when all ended). */
long server_finish(struct server *srv, DWORD wait_ms);

/* Called by client threads as they end. */
void server_client_ended(struct server *srv);

#endif
