/* host.h - brings a server up and down, the same way in console mode and in
 * service mode: configuration, credential, Winsock, access log, server.
 *
 * The host owns all five and their lifetimes. The modes differ only in the
 * rules host_open applies (enum host_mode) and in who says stop: console.c
 * (ESC, Ctrl+C) and service.c (the SCM) keep just that part.
 *
 * Lifetime: the host is one heap block. host_close frees it, and everything
 * in it, only when host_stop saw every client thread end; when some did not,
 * they may still write to the log or check a password, so host_close leaves
 * the whole block, log and credential included, for the process exit to
 * reclaim. Threads: one thread (console's main thread, the service's
 * service_main) calls everything here. */
#ifndef MTS_HOST_H
#define MTS_HOST_H

#include <stddef.h>
#include <windows.h>

#include "logsink.h"
#include "options.h"

enum host_mode {
    /* The configuration file only when --config names one; the password from
     * MTS_PASSWORD, else password_hash, else a random one; the log also on
     * stdout. */
    HOST_CONSOLE,
    /* The configuration file always (--config, else the default), which
     * must hold a password_hash and name an existing root folder; the log
     * in its file only. */
    HOST_SERVICE,
};

/* Why host_open or host_check failed. The service reports these numbers as
 * its service-specific exit code (docs/ADMIN.md), so they never change. */
enum host_failure {
    HOST_FAIL_CONFIG = 1,   /* configuration file missing, unreadable or invalid */
    HOST_FAIL_PASSWORD = 2, /* password_hash missing or invalid */
    HOST_FAIL_ROOT = 3,     /* root not set or not a folder */
    HOST_FAIL_LOG = 4,      /* the access log cannot be opened */
    HOST_FAIL_START = 5,    /* the server could not start (bind failed, ...) */
    HOST_FAIL_SYSTEM = 6,   /* Winsock or another system call failed */
    HOST_FAIL_CERTIFICATE = 7, /* tls_certificate cannot be opened or served */
};

struct host;

/* Everything before listening: reads the configuration (over opts, which
 * are copied), chooses the credential, starts Winsock and opens the access
 * log; alert (may be NULL) also gets the log's repeated-failure alerts.
 * Returns 0 with *out set, or a host_failure with the reason in err and
 * nothing left behind. */
int host_open(struct host **out, const struct server_options *opts, enum host_mode mode,
              void (*alert)(const char *text), char *err, size_t errcap);

/* Starts the server once. Returns 0, or -1, LISTENER_NOT_YET (listener.h:
 * the address or port is not to be had yet) or HOST_FAIL_CERTIFICATE (the
 * TLS certificate cannot be used) with the reason in err. */
int host_start(struct host *h, char *err, size_t errcap);

/* Stops the server at once, cancelling what is in flight, and waits up to
 * wait_ms for client threads to finish. Returns how many did not (0: all
 * ended). */
long host_stop(struct host *h, DWORD wait_ms);

/* How long host_stop_gracefully waits, at most, for cancelled client
 * threads after the drain period: callers add it to what they promise. */
#define HOST_CANCEL_WAIT_MS 5000u

/* The graceful stop: stops listening and closes the sessions between
 * commands at once, lets transfers in flight finish for up to drain_ms (less
 * when hurry, an event that may be NULL, is set), then cancels what is left
 * (host_stop with HOST_CANCEL_WAIT_MS). Each step is logged. While it waits,
 * tick (may be NULL) is called about once a second with the milliseconds
 * left of the drain period, for the service's STOP_PENDING checkpoints.
 * Returns what host_stop returns. */
long host_stop_gracefully(struct host *h, DWORD drain_ms, HANDLE hurry,
                          void (*tick)(void *arg, DWORD left_ms), void *arg);

/* The stop_drain setting in milliseconds. */
DWORD host_drain_ms(const struct host *h);

/* Frees the host (see the lifetime rule above). Safe after a failed or
 * missing host_start. */
void host_close(struct host *h);

/* The service's checks (HOST_SERVICE's configuration, password_hash, root
 * folder and bind address), then the access log, the TLS certificate and the
 * listener opened and closed again, for `mtserver start` to say why the service did not start.
 * Run by an administrator, it sees the files with the administrator's
 * rights, not the service account's. Returns 0, or a host_failure with the
 * reason in err. */
int host_check(const struct server_options *opts, char *err, size_t errcap);

struct logsink *host_log(struct host *h);
/* The configuration file read, or NULL when none was. */
const char *host_config_path(const struct host *h);
/* The random password made for this run, or NULL when there is none. */
const char *host_generated_password(const struct host *h);
/* While started: the address listened on and the folder served. */
const char *host_where(const struct host *h);
/* The TLS port's address, "" when no certificate is configured. */
const char *host_tls_where(const struct host *h);
const char *host_root_display(const struct host *h);

/* While started: "listening on ADDR", "listening for TLS on ADDR
 * (certificate THUMBPRINT)", or both joined by a comma, for the start
 * messages. */
void host_describe(struct host *h, char *out, size_t cap);

/* Reads the configuration file again and gives the running server what a
 * reload may change (server_reload): the settings new sessions get and the
 * TLS certificate new connections get; the service's paramchange. Returns
 * 0 with what changed of the certificate in info, -1 with the reason in
 * info ("the TLS certificate was not reloaded: ...; keeping certificate
 * ..." with a TLS port, "the file was not read again: ..." without one:
 * nothing changed), or SERVER_RELOAD_NO_TLS (server.h:
 * no TLS port, none asked for). taken gets the keys of the settings
 * new sessions now get changed; waiting the keys of the other settings the
 * file now gives differently, which wait for a restart
 * (options_restart_needed); each "" when none, or when the file could not
 * be read. */
int host_reload(struct host *h, char *info, size_t cap, char *taken, size_t taken_cap,
                char *waiting, size_t waiting_cap);

/* Asks for the hourly certificate look now (server_tls_recheck): the
 * console's R. Its outcome goes to the log. */
void host_recheck_tls(struct host *h);

/* Asks the running server to read accounts.ini again now (PARAMCHANGE),
 * changed or not; its watch thread logs what it found. Does nothing
 * without an account store. */
void host_reload_accounts(struct host *h);

#endif
