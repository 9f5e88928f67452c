/* server.h - one running server: the listeners and the client threads that
 * accept on them, started by the host (host.c) in console and service mode.
 *
 * Threads: each client thread accepts its next client on a listener
 * (workers.h) and owns that connection. They share the struct server read-only, except for
 * the count of active clients (Interlocked*), the log (its own lock), the
 * address guard (its own lock) and the settings and TLS credential slots
 * (each its own lock: a reload replaces what they hold, settingsnap.h,
 * tlscred.h).
 *
 * Stopping happens in two steps. server_drain sets the drain event: the
 * listener closes (new clients are refused by the system), and sessions
 * waiting for a command are closed with "!Server is stopping.", while
 * transfers in flight go on; server_wait_idle waits for them. Then
 * server_request_stop (or server_finish) sets the stop event, on which every
 * wait in every thread wakes: what is left is cancelled, each aborted
 * transfer logged as such. */
#ifndef MTS_SERVER_H
#define MTS_SERVER_H

#include <stddef.h>
#include <winsock2.h>
#include <windows.h>

#include "credential.h"
#include "logsink.h"
#include "acctfile.h"
#include "options.h"

struct server; /* opaque: server.c alone knows what is inside */

/* What server_start returns when the TLS certificate cannot be used: a
 * cause of its own (the service's exit code 7), beside -1 and
 * LISTENER_NOT_YET (-2). */
#define SERVER_FAIL_CERTIFICATE (-3)

/* What server_reload returns for a server without a TLS port whose file
 * names no certificate either: no TLS to reload, and nothing wrong. */
#define SERVER_RELOAD_NO_TLS 1

/* The account store a server starts with, read by the host (acctfile.h). */
struct server_accounts {
    const char *path;            /* accounts.ini; NULL: no store (no configuration file) */
    /* Taken over (and set to NULL) by server_start once a failure can no
     * longer be LISTENER_NOT_YET, so that a start tried again still has
     * it; NULL: no accounts yet. */
    struct accounts *table;
    struct winacct_table *windows; /* its [windows] sections; taken over with table */
    struct acctfile_stamp stamp; /* of what was read */
    int only;                    /* no shared password: a bare AUTH is refused */
    int service; /* in the service: publish the sessions (sessmap.h), check owners at each read */
};

/* Opens the root and the listener and starts accepting; *out is the running
 * server, which serves with a snapshot of settings (settingsnap.h: its own
 * copy, texts included; credential and log must outlive every client
 * thread). Returns 0, or
 * -1, LISTENER_NOT_YET (listener.h: trying again later may work) or
 * SERVER_FAIL_CERTIFICATE with a message in err; nothing is left running or
 * allocated then. */
int server_start(struct server **out, const struct server_options *settings,
                 const struct credential *credential, struct server_accounts *accounts,
                 struct logsink *log, char *err, size_t errcap);

/* Begins a stop: closes the listener and the sessions between commands;
 * transfers in flight go on. Returns once nothing accepts any more. Called
 * by the thread that stops the server (not a client thread). */
void server_drain(struct server *srv);

/* Waits up to wait_ms, or until hurry (an event; may be NULL) is set, for
 * every client thread to end; returns how many still run. */
long server_wait_idle(struct server *srv, DWORD wait_ms, HANDLE hurry);

/* Client threads running now (a snapshot). */
long server_active(const struct server *srv);

/* Asks every thread to stop at once, cancelling what is in flight; returns
 * at once. Safe from any thread. */
void server_request_stop(struct server *srv);

/* Drains if not yet done, stops (server_request_stop), waits up to wait_ms for client threads to finish, and
 * frees what server_start made, srv included. Returns the number of client
 * threads still running when it gave up (0 when all ended); then nothing is
 * freed, since they still use it, and the process exit ends them. */
long server_finish(struct server *srv, DWORD wait_ms);

/* The address listened on ("[::]:20248"; "" when the plain port is off),
 * the TLS one ("" without a certificate) and the folder served, as UTF-8;
 * valid until server_finish frees srv. */
const char *server_where(const struct server *srv);
const char *server_tls_where(const struct server *srv);
const char *server_root_display(const struct server *srv);

/* A reload (paramchange), given file: the settings as the configuration
 * file gives them now. New sessions get a new settings snapshot in which
 * the settings a reload may change (SETTING_RELOAD) are file's and every
 * other one is kept; sessions running keep the snapshot they began with.
 * The TLS certificate new connections get is replaced too: file's
 * tls_certificate (a thumbprint or a PFX file, with tls_pfx_password)
 * opened with the checks of server_start; sessions running keep the
 * credential they began with. Returns 0 with what changed in info, or -1
 * with the reason in info and the old certificate kept (also when no TLS
 * port is open but the file names a certificate, or when tls_certificate
 * is NULL with a TLS port open), or SERVER_RELOAD_NO_TLS when no TLS port
 * is open and the file names none (info says so); either way taken gets
 * the INI keys of the settings new sessions now serve with changed
 * (options_reload_taken; "" for none). From the thread that started the
 * server. */
int server_reload(struct server *srv, const struct server_options *file, char *info, size_t cap,
                  char *taken, size_t taken_cap);

/* The thumbprint of the certificate new connections get, "" without TLS. */
void server_tls_thumbprint(struct server *srv, char out[41]);

/* Asks the account watch (acctwatch.h) to read accounts.ini now, changed
 * or not (PARAMCHANGE). Does nothing without an account store. */
void server_reload_accounts(struct server *srv);

/* The account sessions open now ("alice=2 bob=1", acctlive_describe) into
 * out; returns how many. 0 and "" without an account store. */
unsigned server_account_sessions(struct server *srv, char *out, size_t cap);

/* Asks the certificate watch (tlswatch.h) for its hourly look now: the
 * console's R. Does nothing without a TLS port. */
void server_tls_recheck(struct server *srv);

#endif
