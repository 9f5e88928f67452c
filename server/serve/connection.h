/* connection.h - one client thread: drives a session over a socket.
 *
 * A connection knows nothing of struct server: what it needs comes in a
 * struct connection_context that its owner (server.c) fills in before the
 * first client and keeps unchanged, and alive, for as long as any client
 * thread runs. Client threads only read it; the log, the address guard and
 * the workers it points to have locks of their own. */
#ifndef MTS_CONNECTION_H
#define MTS_CONNECTION_H

#include <winsock2.h>
#include <mswsock.h>

#include "acctlive.h"
#include "addrguard.h"
#include "authgate.h"
#include "credential.h"
#include "filehash.h"
#include "logsink.h"
#include "options.h"
#include "rootfs.h"
#include "settingsnap.h"
#include "throttle.h"
#include "transport_open.h"
#include "winlogon.h"

/* Reserve, not commit: a client thread's stack grows on demand up to this. */
#define CONNECTION_STACK (256u << 10)

struct connection_context {
    /* What each connection's transport is opened with, by kind: the stop
     * and drain events, TransmitFile, and for TLS the credential slot (a
     * reload may refill it; each connection keeps the credential it took),
     * the oldest version served and the gate; the handshake's bound is the
     * connection's settings' (tls_handshake_timeout). */
    struct transport_params transport;
    const struct throttle_config *throttle; /* named in the ban's log line */
    /* The served folder; a connection serves from a copy of it that
     * refuses hard links as its settings say (refuse_hard_links). */
    const struct rootfs *root;
    const struct credential *credential;
    /* The accounts (acctlive.h; own lock), NULL when the server has no
     * account store; accounts_only: it has no shared password either, so
     * a bare AUTH is refused (session_set_accounts_only). */
    struct acctlive *accounts;
    int accounts_only;
    /* Windows accounts' logons and file opens (windows_accounts = 1):
     * &winlogon_system_ops. */
    const struct winlogon_ops *winlogon;
    struct filehash *hashes; /* HASH's slots and cache (own lock) */
    /* Semaphore of max_lists: a LIST beyond it waits for a turn (or for
     * the stop or drain event), so that listing huge folders cannot take
     * every core. */
    HANDLE list_slots;
    struct logsink *log;
    struct addrguard *guard;
    struct authgate *auth_gate; /* PBKDF2 checks at once */
    HANDLE stop_event; /* manual reset: set once when the server stops */
    /* Manual reset: set once when a stop begins. A session waiting for a
     * command is then closed with "!Server is stopping."; a transfer in
     * flight goes on until stop_event (the end of the drain period). */
    HANDLE drain_event;
    /* Nonzero once drain_event, or stop_event, is set (each set first): the
     * checks between commands read these instead of polling the events,
     * since under Wine each poll is a wineserver round trip (issue 24). */
    const volatile LONG *draining;
    const volatile LONG *stopping;
    /* A TLS port is open: then, without plain_logins (the connection's
     * settings), AUTH over plain TCP is refused (not checked, not counted)
     * naming the TLS port, the one listened on (the setting may be 0: the
     * OS chooses). */
    int tls_open;
    unsigned tls_port;
    /* The last thing each client thread does, after it has let go of
     * everything of its own; ended_arg is handed back. */
    void (*ended)(void *ended_arg);
    void *ended_arg;
};

/* Serves the accepted socket on the calling client thread (workers.h) with
 * the settings of snap (settingsnap.h), kept to the session's end, and
 * returns when the session has ended; peer is its address as text, key what
 * the address guard counts it under (NULL: not counted); tls: the socket
 * came to the TLS port (the handshake comes first); io_event: the thread's
 * event for the socket's overlapped I/O (workers_serve). It owns sock, the
 * guard's count and snap's reference, and calls cx->ended when it is done.
 * Returns 0, or -1 when no memory could be had (then the caller still owns
 * sock, the counts and the reference, and ended is not called). */
int connection_serve(const struct connection_context *cx, struct settingsnap *snap, SOCKET sock,
                     const char *peer, const struct throttle_key *key, int tls, HANDLE io_event);

#endif
