/* server.c - start, stop and reload (see server.h); what becomes of each
 * accepted client is accept.c, the state both share srvstate.h. */
#include "server.h"
#include "srvstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listener.h"
#include "pbkdf2.h"
#include "sockio.h"
#include "srvopen.h"
#include "winerr.h"

/* Client threads kept waiting on each listener for the next client, and
 * for how long (the last one on a listener stays). */
#define PARKED_MAX 64
#define PARKED_MS 30000
/* How long a stop waits for the accepts in flight to end before it closes
 * the listeners anyway (which ends them). */
#define STOP_ACCEPTING_MS 2000

/* The per-address rules of these settings. Every address with a
 * connection needs a slot (an IPv6 one two: its host's and its /64's), plus
 * room to remember failures from addresses that have none. */
static void throttle_from_settings(struct throttle_config *t, const struct server_options *s)
{
    throttle_config_defaults(t);
    t->max_per_address = s->max_per_address;
    t->free_failures = s->auth_free_failures;
    t->window_ms = (uint64_t)s->auth_window * 1000u;
    t->delay_max_ms = (uint64_t)s->auth_delay_max * 1000u;
    t->ban_failures = s->auth_ban_failures;
    t->ban_ms = (uint64_t)s->auth_ban_time * 1000u;
    t->max_per_prefix = s->max_per_prefix;
    t->prefix_ban_failures = s->auth_prefix_ban_failures;
    t->connect_rate = s->connect_rate;
    t->connect_burst = s->connect_burst;
    t->max_entries = (size_t)s->max_clients * 2u + THROTTLE_DEFAULT_ENTRIES;
    /* Without a random key the index still works; only its spread could be
     * worked out from outside (see throttle.h). */
    if (pbkdf2_random_bytes(&t->hash_seed, sizeof t->hash_seed) != 0)
        t->hash_seed = 0;
}

/* "what: error N: text", for a Win32 failure whose code was just read. */
static void fail_with(char *err, size_t errcap, const char *what, unsigned long code)
{
    char why[300];

    snprintf(err, errcap, "%s: %s", what, winerr_text(code, why, sizeof why));
}

/* tls_handshakes: 0 is two per processor. A handshake step is a burst of
 * CPU (the RSA private-key operation) between waits for the network, so
 * twice the processors keeps every core busy with handshakes when clients
 * queue, and no more: beyond that they would only share the cores. */
static int tls_gate_open(struct server *srv, unsigned slots)
{
    SYSTEM_INFO si;

    if (slots == 0) {
        GetSystemInfo(&si);
        slots = 2u * (si.dwNumberOfProcessors > 0 ? si.dwNumberOfProcessors : 1u);
    }
    return authgate_init(&srv->tls_gate, slots);
}

/* The TLS start lines: the certificate and versions, the cipher-suite
 * policy and what Schannel lists, and how the certificate was chosen. The
 * credential is taken from the slot as any reader takes it (its lock). */
static void log_tls_start(struct server *srv)
{
    struct tlscred *c = tlscred_take(&srv->tls);
    const struct schannel_cred *cred = &c->cred;
    char line[sizeof cred->offered + sizeof cred->policy + sizeof cred->algorithms + 80];

    /* Which versions, and why: Schannel decides what it can offer. */
    snprintf(line, sizeof line, "tls: certificate %s, serving %s", cred->thumbprint, cred->offered);
    logsink_text(srv->log, line);
    /* The suites: what was asked, whether Schannel took it, what it lists. */
    snprintf(line, sizeof line, "tls: %s; %s", cred->policy, cred->algorithms);
    logsink_text(srv->log, line);
    if (cred->chosen[0] != '\0') {
        snprintf(line, sizeof line, "tls: %s", cred->chosen);
        logsink_text(srv->log, line);
    }
    tlscred_release(c);
}

int server_start(struct server **out, const struct server_options *settings,
                 const struct credential *credential, struct server_accounts *accounts,
                 struct logsink *log, char *err, size_t errcap)
{
    struct tlscred *first = NULL;
    char *where[2];
    int rc = -1;
    struct server *srv = calloc(1, sizeof *srv);
    struct settingsnap *snap;

    *out = NULL;
    if (srv == NULL) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    settingsnap_slot_init(&srv->settings);
    srv->credential = credential;
    srv->log = log;
    srv->listener[0] = srv->listener[1] = INVALID_SOCKET;
    workers_init(&srv->workers, CONNECTION_STACK, PARKED_MAX, PARKED_MS);
    tlscred_slot_init(&srv->tls, NULL);

    /* From here every failure takes the one way out, `fail:`, where
     * server_finish frees what was made: each part is NULL (or zero) until
     * made, and no client thread runs before the last step. */
    /* Its texts copied and allow/deny parsed (options and config checked
     * them already, so a failure here is a caller that skipped them). */
    snap = settingsnap_make(settings, err, errcap);
    if (snap == NULL)
        goto fail;
    settingsnap_replace(&srv->settings, snap); /* the slot was made empty above */
    /* Empty until the listeners are open: the table is the host's until
     * no failure can be tried again (LISTENER_NOT_YET). */
    if (accounts->path != NULL) {
        if (acctlive_init(&srv->accounts, NULL) != 0) {
            snprintf(err, errcap, "out of memory for the accounts");
            goto fail;
        }
        srv->accounts_ready = 1;
    }
    /* Only hashed passwords cost a PBKDF2 (every account's is one); a
     * clear one needs no gate. */
    if ((credential->mode == CREDENTIAL_PBKDF2 || srv->accounts_ready) &&
        authgate_init(&srv->auth_gate, settings->auth_concurrency) != 0) {
        fail_with(err, errcap, "cannot create the password-check semaphore", GetLastError());
        goto fail;
    }
    if (srvopen_root(&srv->root, settings, err, errcap) != 0)
        goto fail;
    throttle_from_settings(&srv->throttle, settings);
    if (addrguard_init(&srv->guard, &srv->throttle) != 0) {
        snprintf(err, errcap, "cannot set up the per-address limits");
        goto fail;
    }
    srv->guard_ready = 1;
    if (filehash_init(&srv->hashes, settings->max_hashes) != 0) {
        fail_with(err, errcap, "cannot create the hashing slots", GetLastError());
        goto fail;
    }
    srv->list_slots =
        CreateSemaphoreW(NULL, (LONG)settings->max_lists, (LONG)settings->max_lists, NULL);
    if (srv->list_slots == NULL) {
        fail_with(err, errcap, "cannot create the listing slots", GetLastError());
        goto fail;
    }
    srv->stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    srv->drain_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    srv->idle_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (srv->stop_event == NULL || srv->drain_event == NULL || srv->idle_event == NULL) {
        fail_with(err, errcap, "cannot create events", GetLastError());
        goto fail;
    }
    /* The certificate before any port: a TLS set-up that cannot work stops
     * the start, never leaving a plain-only server behind. */
    if (srvopen_certificate(settings, &first, err, errcap) != 0) {
        rc = SERVER_FAIL_CERTIFICATE;
        goto fail;
    }
    if (first != NULL) {
        tlscred_slot_init(&srv->tls, first);
        srv->tls_ready = 1;
        if (tls_gate_open(srv, settings->tls_handshakes) != 0) {
            fail_with(err, errcap, "cannot create the TLS handshake semaphore", GetLastError());
            goto fail;
        }
    }
    where[0] = srv->where;
    where[1] = srv->tls_where;
    rc = srvopen_listeners(settings, srv->tls_ready, srv->listener, where, sizeof srv->where, err,
                           errcap);
    if (rc != 0)
        goto fail;
    rc = -1; /* what the failures below return */
    if (srv->tls_ready) {
        log_tls_start(srv);
        if (tlswatch_start(&srv->tls_watch, &srv->tls, srv->log, settings->tls_min_version,
                           settings->tls_policy, srv->drain_event) != 0) {
            fail_with(err, errcap, "cannot start the certificate watch", GetLastError());
            goto fail;
        }
    }
    if (srv->accounts_ready) {
        struct accounts *table = accounts->table;
        struct winacct_table *windows = accounts->windows;
        accounts->table = NULL; /* the server's from here, whatever happens */
        accounts->windows = NULL;
        char line[MAX_PATH * 3 + 500];
        acctwatch_describe(accounts->path, table, windows,
                           accounts->only ? "no shared password: AUTH needs USER" : NULL, line,
                           sizeof line);
        if (acctlive_swap(&srv->accounts, table, windows) < 0) {
            snprintf(err, errcap, "out of memory for the accounts");
            goto fail;
        }
        logsink_text(srv->log, line);
    }
    /* Without it `mtserver status` cannot count the sessions; serving
     * goes on, and the log says why. */
    if (srv->accounts_ready && accounts->service && sessmap_open(&srv->sessions_published) != 0) {
        char line[400];
        fail_with(line, sizeof line,
                  "accounts: the session counts for 'mtserver status' cannot be published",
                  GetLastError());
        logsink_text(srv->log, line);
    }
    if (srv->accounts_ready &&
        acctwatch_start(&srv->acct_watch, accounts->path, &accounts->stamp, &srv->accounts,
                        srv->sessions_published.mapping != NULL ? &srv->sessions_published
                                                                : NULL,
                        accounts->service, srv->log, srv->drain_event) != 0) {
        fail_with(err, errcap, "cannot start the account watch", GetLastError());
        goto fail;
    }
    if (srv->listener[0] != INVALID_SOCKET) {
        srv->conn.transport.plain.transmit_file = sockio_find_transmitfile(srv->listener[0]);
        if (srv->conn.transport.plain.transmit_file == NULL) {
            fail_with(err, errcap, "TransmitFile is not available on this system",
                      (unsigned long)WSAGetLastError());
            goto fail;
        }
    }
    srv->conn.throttle = &srv->throttle;
    srv->conn.root = &srv->root;
    srv->conn.credential = srv->credential;
    srv->conn.accounts = srv->accounts_ready ? &srv->accounts : NULL;
    srv->conn.accounts_only = srv->accounts_ready && accounts->only;
    srv->conn.winlogon = &winlogon_system_ops;
    srv->conn.hashes = &srv->hashes;
    srv->conn.list_slots = srv->list_slots;
    srv->conn.log = srv->log;
    srv->conn.guard = &srv->guard;
    srv->conn.auth_gate = &srv->auth_gate;
    srv->conn.stop_event = srv->stop_event;
    srv->conn.drain_event = srv->drain_event;
    srv->conn.draining = &srv->draining;
    srv->conn.stopping = &srv->stopping;
    srv->conn.ended = accept_client_ended;
    srv->conn.ended_arg = srv;
    transport_params_init(&srv->conn.transport, srv->stop_event, srv->drain_event,
                          0 /* each connection's own */, settings->tls_min_version,
                          srv->tls_ready ? &srv->tls : NULL, srv->tls_ready ? &srv->tls_gate : NULL,
                          &srv->tls_gate_waits);
    srv->conn.tls_open = srv->tls_ready;
    srv->conn.tls_port = srv->tls_ready ? listener_port(srv->listener[1]) : 0;
#ifdef MTS_FAULTS
    /* Only in mtserver-faults.exe, the tests' build (the Makefile's
     * FAULTS_EXE): a shipped server reads no fault switch. */
    {
        char fault[16];
        DWORD n = GetEnvironmentVariableA("MTS_FAULT_ACCEPT_ERROR", fault, sizeof fault);
        srv->workers.fault = n > 0 && n < sizeof fault ? atoi(fault) : 0;
        n = GetEnvironmentVariableA("MTS_FAULT_THREAD_START_ERROR", fault, sizeof fault);
        srv->workers.thread_fault = n > 0 && n < sizeof fault ? (DWORD)atoi(fault) : 0;
        n = GetEnvironmentVariableA("MTS_FAULT_THREAD_START_FAILURES", fault, sizeof fault);
        srv->workers.thread_faults_left = n > 0 && n < sizeof fault ? atoi(fault) : -1;
        /* How long a waiting thread beyond the first waits before it goes
         * (PARKED_MS), shortened so that a test sees it go. */
        n = GetEnvironmentVariableA("MTS_FAULT_PARK_MS", fault, sizeof fault);
        if (n > 0 && n < sizeof fault)
            srv->workers.park_ms = (DWORD)atoi(fault);
        /* Tests only (tests/tls/test_tls_handshake_gate.py): each handshake
         * step holds its tls_handshakes slot this many ms longer, as a slow
         * processor would; unset (0) in every real run. */
        n = GetEnvironmentVariableA("MTS_FAULT_HANDSHAKE_STEP_MS", fault, sizeof fault);
        srv->conn.transport.tls.fault_step_ms =
            n > 0 && n < sizeof fault ? (unsigned)atoi(fault) : 0;
    }
#endif
    /* A restart's setting: the one the server started with stays. */
    srv->stats_every_ms = (ULONGLONG)settings->stats_interval * 1000u;
    srv->next_stats_ms = GetTickCount64() + srv->stats_every_ms;
    if (workers_start(&srv->workers, srv->listener, accept_serve, srv, srv->drain_event,
                      &srv->draining, srv->log, err, errcap) != 0)
        goto fail;
    if (lookthread_start(&srv->look, accept_look, srv, ACCEPT_LOOK_MS, ACCEPT_LOOK_MS,
                         srv->drain_event) != 0) {
        fail_with(err, errcap, "cannot start the look thread", GetLastError());
        goto fail;
    }
    *out = srv;
    return 0;
fail:
    server_finish(srv, 0);
    return rc;
}

void server_drain(struct server *srv)
{
    InterlockedExchange(&srv->draining, 1);
    if (srv->drain_event != NULL)
        SetEvent(srv->drain_event);
    if (workers_stop_accepting(&srv->workers, STOP_ACCEPTING_MS) > 0)
        logsink_text(srv->log, "stop: an accept did not end in time; the listeners are closed "
                               "under it");
    lookthread_stop(&srv->look); /* the drain event ends it */
    tlswatch_stop(&srv->tls_watch); /* the drain event ends it */
    acctwatch_stop(&srv->acct_watch); /* so does it this one */
    /* Closed, not just no longer watched: a new client is refused by the
     * system at once instead of waiting in the backlog for nobody. */
    for (int i = 0; i < 2; i++) {
        if (srv->listener[i] != INVALID_SOCKET)
            closesocket(srv->listener[i]);
        srv->listener[i] = INVALID_SOCKET;
    }
}

long server_wait_idle(struct server *srv, DWORD wait_ms, HANDLE hurry)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    HANDLE waits[2];

    waits[0] = srv->idle_event;
    waits[1] = hurry;
    /* After server_drain no thread is accepting, so `active` only falls
     * (a client taken just before aside). The idle event is set by the
     * client that ends last once `draining` is; reset here, then `active`
     * read again, so that a set in between is not lost, and the re-check
     * in short steps covers a client counted late. */
    while (srv->active > 0) {
        ULONGLONG now = GetTickCount64();
        if (now >= until)
            break;
        ResetEvent(srv->idle_event);
        if (srv->active == 0)
            break;
        if (WaitForMultipleObjects(hurry != NULL ? 2 : 1, waits, FALSE,
                                   (DWORD)(until - now < 100 ? until - now : 100)) ==
            WAIT_OBJECT_0 + 1)
            break;
    }
    return srv->active;
}

long server_active(const struct server *srv)
{
    return srv->active;
}

void server_request_stop(struct server *srv)
{
    InterlockedExchange(&srv->draining, 1);
    if (srv->drain_event != NULL)
        SetEvent(srv->drain_event);
    InterlockedExchange(&srv->stopping, 1);
    if (srv->stop_event != NULL)
        SetEvent(srv->stop_event);
}

long server_finish(struct server *srv, DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    long left;

    server_drain(srv);
    server_request_stop(srv);
    left = server_wait_idle(srv, wait_ms, NULL);
    if (left == 0) {
        ULONGLONG now = GetTickCount64();
        left = workers_finish(&srv->workers, now < until ? (DWORD)(until - now) : 0);
    }
    if (left > 0)
        return left; /* threads still use what follows; the process exit frees it */

    if (srv->stop_event != NULL)
        CloseHandle(srv->stop_event);
    if (srv->drain_event != NULL)
        CloseHandle(srv->drain_event);
    if (srv->idle_event != NULL)
        CloseHandle(srv->idle_event);
    srv->stop_event = srv->drain_event = srv->idle_event = NULL;
    tlscred_slot_free(&srv->tls);
    settingsnap_slot_free(&srv->settings);
    if (srv->accounts_ready)
        acctlive_free(&srv->accounts);
    sessmap_close(&srv->sessions_published);
    rootfs_free(&srv->root);
    authgate_free(&srv->auth_gate);
    authgate_free(&srv->tls_gate);
    if (srv->guard_ready)
        addrguard_free(&srv->guard);
    filehash_free(&srv->hashes);
    if (srv->list_slots != NULL)
        CloseHandle(srv->list_slots);
    free(srv);
    return 0;
}

const char *server_where(const struct server *srv)
{
    return srv->where;
}

const char *server_tls_where(const struct server *srv)
{
    return srv->tls_where;
}

/* The TLS part of a reload: the certificate of next (and its PFX's
 * password), opened as at start; now's versions and policy stay. */
static int reload_tls(struct server *srv, const struct server_options *now,
                      const struct server_options *next, char *info,
                      size_t cap)
{
    if (!srv->tls_ready) {
        const char *named;
        /* A plain-only server reloading its settings: nothing of TLS was
         * asked for, so nothing to warn of. */
        if (options_certificate(next, &named, NULL) == OPTIONS_CERT_NONE) {
            snprintf(info, cap, "no TLS port is open and the file names no certificate");
            return SERVER_RELOAD_NO_TLS;
        }
        snprintf(info, cap,
                 "no TLS port is open (no tls_certificate when the server started): "
                 "restart it to turn TLS on");
        return -1;
    }
    return srvopen_reload_certificate(&srv->tls, now, next, info, cap);
}

int server_reload(struct server *srv, const struct server_options *file, char *info, size_t cap,
                  char *taken, size_t taken_cap)
{
    struct settingsnap *now = settingsnap_take(&srv->settings), *next;
    struct server_options merged;
    char err[300];
    int rc;

    if (taken_cap > 0)
        taken[0] = '\0';
    /* What needs a restart stays as the server started; the rest is the
     * file's (options_merge_reload: setting.h's SETTING_RELOAD). */
    options_merge_reload(&merged, &now->s, file);
    rc = reload_tls(srv, &now->s, &merged, info, cap);
    if (rc != 0)
        srvopen_keep_certificate(&merged, &now->s); /* the snapshot says what serves */
    next = settingsnap_make(&merged, err, sizeof err);
    if (next == NULL) {
        snprintf(taken, taken_cap, "nothing (%s)", err);
    } else {
        options_reload_taken(&now->s, &next->s, taken, taken_cap);
        settingsnap_replace(&srv->settings, next);
    }
    settingsnap_release(now);
    return rc;
}

void server_tls_recheck(struct server *srv)
{
    if (srv->tls_ready)
        tlswatch_poke(&srv->tls_watch);
}

void server_tls_thumbprint(struct server *srv, char out[41])
{
    tlscred_thumbprint(&srv->tls, out);
}

const char *server_root_display(const struct server *srv)
{
    return srv->root.display;
}

void server_reload_accounts(struct server *srv)
{
    if (srv != NULL)
        acctwatch_poke(&srv->acct_watch);
}

unsigned server_account_sessions(struct server *srv, char *out, size_t cap)
{
    if (cap > 0)
        out[0] = '\0';
    return srv != NULL && srv->accounts_ready ? acctlive_describe(&srv->accounts, out, cap) : 0;
}
