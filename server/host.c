/* host.c - one bring-up for console and service mode (see host.h).
 *
 * Order: configuration and credential first (no system set-up is needed to
 * refuse a bad file), then Winsock, then the log; host_close undoes them in
 * the opposite order, and only what was done. */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>

#include "config.h"
#include "confowner.h"
#include "credential.h"
#include "listener.h"
#include "server.h"
#include "settings.h"
#include "srvopen.h"
#include "winerr.h"

struct host {
    enum host_mode mode;
    struct server_options opts; /* its strings may point into cfg */
    struct server_options given; /* the command line's, for reading the file again */
    struct config cfg;          /* several KiB: one reason the host is on the heap */
    char config_path[MAX_PATH * 3]; /* "" when no file was read */
    struct credential credential;
    int generated; /* the credential is a random password made for this run */
    int have_credential, wsa_started, log_open;
    /* accounts.ini beside config_path (acctfile.h); accounts.path NULL
     * without a configuration file. The table goes to the server. */
    char accounts_path[MAX_PATH * 3];
    struct server_accounts accounts;
    int accounts_present; /* the file was there at start */
    struct logsink log;
    struct server *server; /* NULL until started, and after a clean stop */
    long left;             /* client threads that outlived host_stop */
};

/* Reads the configuration file at path into cfg and o. In service mode its
 * owner and its folder's are checked first, on every read (the start and
 * each PARAMCHANGE): a file a user planted or was given after the start is
 * refused before a word of it is believed. Console mode reads only a file
 * the user named, and checks no owner (ADMIN.md). */
static int read_config(const struct host *h, const char *path, struct config *cfg,
                       struct server_options *o, char *err, size_t errcap)
{
    if (h->mode == HOST_SERVICE &&
        confowner_check_config(path, CONFOWNER_CHECK, err, errcap) != 0)
        return -1;
    return settings_load(path, cfg, o, err, errcap);
}

/* The account store beside the configuration file, when one was read:
 * absent is no accounts (and a later one is read live); one that cannot
 * be read or does not parse stops the start, naming its line. In service
 * mode its owner and its folder's are checked as the configuration's. */
static int read_accounts(struct host *h, char *err, size_t errcap)
{
    if (h->config_path[0] == '\0')
        return 0;
    if (accounts_path_beside(h->config_path, h->accounts_path, sizeof h->accounts_path) != 0) {
        snprintf(err, errcap, "the configuration's folder name is too long for accounts.ini");
        return HOST_FAIL_CONFIG;
    }
    h->accounts.path = h->accounts_path;
    h->accounts.service = h->mode == HOST_SERVICE;
    if (h->mode == HOST_SERVICE &&
        confowner_check_config(h->accounts_path, CONFOWNER_CHECK, err, errcap) != 0)
        return HOST_FAIL_CONFIG;
    switch (acctfile_read(h->accounts_path, &h->accounts.table, &h->accounts.windows,
                          &h->accounts.stamp, err, errcap)) {
    case ACCTFILE_OK: h->accounts_present = 1; return 0;
    case ACCTFILE_ABSENT: return 0;
    case ACCTFILE_BAD: break;
    }
    return HOST_FAIL_CONFIG;
}

/* Service mode: the file is required, the password comes from its
 * password_hash only (never a default or generated one), and the root must
 * be given and exist, since a service's current folder is System32. */
static int prepare_service(struct host *h, char *err, size_t errcap)
{
    const char *path = h->config_path;
    char why[400];
    int rc;

    if (settings_config_path_of(&h->opts, h->config_path, sizeof h->config_path, err,
                             errcap) != 0)
        return HOST_FAIL_CONFIG;
    if (read_config(h, path, &h->cfg, &h->opts, err, errcap) != 0)
        return HOST_FAIL_CONFIG;
    rc = read_accounts(h, err, errcap);
    if (rc != 0)
        return rc;
    /* Accounts may stand in for the shared password: then a bare AUTH is
     * refused (PROTOCOL.md, Accounts). */
    if (!(h->cfg.set & SETTING_BIT(password_hash)) && h->accounts_present) {
        h->accounts.only = 1;
    } else if (!(h->cfg.set & SETTING_BIT(password_hash))) {
        snprintf(err, errcap,
                 "%s has no password_hash: set one with 'mtserver passwd' (or add accounts: "
                 "there is no %s)",
                 path, h->accounts_path);
        return HOST_FAIL_PASSWORD;
    } else if (credential_from_hash(&h->credential, h->cfg.password_hash, why, sizeof why) != 0) {
        snprintf(err, errcap, "%s: %s", path, why);
        return HOST_FAIL_PASSWORD;
    } else {
        h->have_credential = 1;
    }
    if (srvopen_check_root(&h->opts, path, err, errcap) != 0)
        return HOST_FAIL_ROOT;
    return 0;
}

/* Console mode: a file only when named; MTS_PASSWORD first (tests and
 * one-off runs), then the file's password_hash, then accounts alone (an
 * accounts.ini beside the file), else a random password. */
static int prepare_console(struct host *h, char *err, size_t errcap)
{
    int rc;

    if (settings_config_named(&h->opts)) {
        if (settings_config_path_of(&h->opts, h->config_path, sizeof h->config_path, err,
                                 errcap) != 0 ||
            settings_load(h->config_path, &h->cfg, &h->opts, err, errcap) != 0)
            return HOST_FAIL_CONFIG;
    }
    rc = read_accounts(h, err, errcap);
    if (rc != 0)
        return rc;
    if (!credential_environment_has_password() && !(h->cfg.set & SETTING_BIT(password_hash)) &&
        h->accounts_present) {
        h->accounts.only = 1;
        return 0;
    }
    if (!credential_environment_has_password() && (h->cfg.set & SETTING_BIT(password_hash))) {
        char why[400];
        if (credential_from_hash(&h->credential, h->cfg.password_hash, why, sizeof why) != 0) {
            /* As the service says it: the file first (ADMIN.md). */
            snprintf(err, errcap, "%s: %s", h->config_path, why);
            return HOST_FAIL_PASSWORD;
        }
    } else if (credential_from_environment(&h->credential, &h->generated, err, errcap) != 0) {
        return HOST_FAIL_PASSWORD;
    }
    h->have_credential = 1;
    return 0;
}

/* A bind address from the file that is not numeric is the file's error,
 * named with its line, found before anything listens (listener.c tells the
 * same of --bind). Needs Winsock started. */
static int check_bind(const struct host *h, char *err, size_t errcap)
{
    if (h->opts.bind == NULL || (h->opts.set & SETTING_BIT(bind)) ||
        !(h->cfg.set & SETTING_BIT(bind)) || listener_address_ok(h->opts.bind))
        return 0;
    snprintf(err, errcap,
             "%s line %u: bind = %s is not a numeric IPv4 or IPv6 address: give one such as "
             "127.0.0.1 or ::1 (host names are not resolved), or leave bind out to listen on "
             "every address",
             h->config_path, h->cfg.line[SETTING_ID_bind], h->opts.bind);
    return HOST_FAIL_CONFIG;
}

static struct host *host_new(const struct server_options *opts, enum host_mode mode)
{
    struct host *h = calloc(1, sizeof *h);

    if (h == NULL)
        return NULL;
    h->mode = mode;
    h->opts = *opts;
    h->given = *opts;
    config_init(&h->cfg);
    return h;
}

int host_open(struct host **out, const struct server_options *opts, enum host_mode mode,
              void (*alert)(const char *text), char *err, size_t errcap)
{
    struct host *h = host_new(opts, mode);
    WSADATA wsa;
    char why[300];
    int rc, e;

    *out = NULL;
    if (h == NULL) {
        snprintf(err, errcap, "out of memory");
        return HOST_FAIL_SYSTEM;
    }
    rc = mode == HOST_SERVICE ? prepare_service(h, err, errcap) : prepare_console(h, err, errcap);
    if (rc != 0)
        goto fail;
    /* WSAStartup returns its error rather than setting the last error. */
    e = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (e != 0) {
        snprintf(err, errcap, "WSAStartup failed: %s", winerr_text((unsigned long)e, why, sizeof why));
        rc = HOST_FAIL_SYSTEM;
        goto fail;
    }
    h->wsa_started = 1;
    rc = check_bind(h, err, errcap);
    if (rc != 0)
        goto fail;
    if (logsink_open(&h->log, mode == HOST_CONSOLE, h->opts.log_file, err, errcap) != 0) {
        rc = HOST_FAIL_LOG;
        goto fail;
    }
    h->log_open = 1;
    logsink_set_rotation(&h->log, h->cfg.log_max_bytes, h->opts.log_keep);
    if (alert != NULL)
        logsink_set_alert(&h->log, alert);
    *out = h;
    return 0;
fail:
    host_close(h);
    return rc;
}

int host_start(struct host *h, char *err, size_t errcap)
{
    int rc =
        server_start(&h->server, &h->opts, &h->credential, &h->accounts, &h->log, err, errcap);

    return rc == SERVER_FAIL_CERTIFICATE ? HOST_FAIL_CERTIFICATE : rc;
}

/* A reload that failed for why: with a TLS port, the certificate that goes
 * on serving; without one, only that the file was not read. */
static void reload_refused(char *info, size_t cap, const char *why, const char *thumbprint)
{
    if (thumbprint[0] != '\0')
        snprintf(info, cap, "the TLS certificate was not reloaded: %s; keeping certificate %s",
                 why, thumbprint);
    else
        snprintf(info, cap, "the file was not read again: %s", why);
}

int host_reload(struct host *h, char *info, size_t cap, char *taken, size_t taken_cap,
                char *waiting, size_t waiting_cap)
{
    struct config *cfg = NULL;
    struct server_options o = h->given;
    char err[700], old[41], said[1200];
    int rc = -1;

    if (waiting_cap > 0)
        waiting[0] = '\0';
    if (taken_cap > 0)
        taken[0] = '\0';
    if (h->server == NULL) {
        snprintf(info, cap, "the server is not running");
        return -1;
    }
    server_tls_thumbprint(h->server, old);
    if (h->config_path[0] == '\0') {
        reload_refused(info, cap, "no configuration file was read at start", old);
        return -1;
    }
    /* The file as it is now; of it the server takes what a reload may
     * change (SETTING_RELOAD): other settings wait for a restart (ADMIN.md). */
    cfg = malloc(sizeof *cfg);
    if (cfg == NULL) {
        reload_refused(info, cap, "out of memory", old);
        return -1;
    }
    config_init(cfg);
    /* Checked as at the start: the file may have changed hands since. */
    if (read_config(h, h->config_path, cfg, &o, err, sizeof err) != 0) {
        reload_refused(info, cap, err, old);
    } else {
        rc = server_reload(h->server, &o, said, sizeof said, taken, taken_cap);
        snprintf(info, cap, "%s%s", rc < 0 ? "the TLS certificate was not reloaded: " : "", said);
        options_restart_needed(&h->opts, &o, waiting, waiting_cap);
    }
    SecureZeroMemory(cfg, sizeof *cfg); /* the PFX password and the hash */
    free(cfg);
    return rc;
}

void host_reload_accounts(struct host *h)
{
    server_reload_accounts(h->server);
}

void host_recheck_tls(struct host *h)
{
    if (h->server != NULL)
        server_tls_recheck(h->server);
}

long host_stop(struct host *h, DWORD wait_ms)
{
    if (h->server != NULL) {
        h->left = server_finish(h->server, wait_ms);
        if (h->left == 0)
            h->server = NULL; /* server_finish freed it */
    }
    /* The log's queued console lines go out before the caller says
     * "Stopped." (the console writer thread is the log's own). */
    if (h->log_open)
        logsink_drain(&h->log, wait_ms);
    return h->left;
}

long host_stop_gracefully(struct host *h, DWORD drain_ms, HANDLE hurry,
                          void (*tick)(void *arg, DWORD left_ms), void *arg)
{
    ULONGLONG until = GetTickCount64() + drain_ms;
    char line[200];
    long busy;

    if (h->server == NULL)
        return host_stop(h, HOST_CANCEL_WAIT_MS);
    server_drain(h->server);
    busy = server_active(h->server);
    snprintf(line, sizeof line,
             "mtserver stopping: no longer accepting; %ld client(s) connected, transfers may "
             "finish for up to %lu s",
             busy, (unsigned long)(drain_ms / 1000u));
    logsink_text(&h->log, line);
    while (busy > 0) {
        ULONGLONG now = GetTickCount64();
        if (now >= until || (hurry != NULL && WaitForSingleObject(hurry, 0) == WAIT_OBJECT_0))
            break;
        busy = server_wait_idle(h->server, until - now < 1000 ? (DWORD)(until - now) : 1000,
                                hurry);
        now = GetTickCount64();
        if (busy > 0 && tick != NULL)
            tick(arg, now < until ? (DWORD)(until - now) : 0);
    }
    if (busy > 0) {
        snprintf(line, sizeof line, "mtserver stopping: %s; cancelling %ld client(s) still running",
                 GetTickCount64() >= until ? "the drain period is over" : "asked to stop at once",
                 busy);
        logsink_text(&h->log, line);
    }
    return host_stop(h, HOST_CANCEL_WAIT_MS);
}

DWORD host_drain_ms(const struct host *h)
{
    return (DWORD)h->opts.stop_drain * 1000u;
}

void host_close(struct host *h)
{
    if (h == NULL)
        return;
    if (h->server != NULL && host_stop(h, 0) > 0)
        return; /* client threads still use the log and credential: see host.h */
    if (h->log_open)
        logsink_close(&h->log);
    if (h->wsa_started)
        WSACleanup();
    if (h->have_credential)
        credential_free(&h->credential);
    accounts_free(h->accounts.table);
    winacct_free(h->accounts.windows);
    free(h);
}

int host_check(const struct server_options *opts, char *err, size_t errcap)
{
    struct host *h = host_new(opts, HOST_SERVICE);
    WSADATA wsa;
    int rc;

    if (h == NULL) {
        snprintf(err, errcap, "out of memory");
        return HOST_FAIL_SYSTEM;
    }
    rc = prepare_service(h, err, errcap);
    if (rc == 0 && WSAStartup(MAKEWORD(2, 2), &wsa) == 0) {
        h->wsa_started = 1;
        rc = check_bind(h, err, errcap);
    }
    /* The access log, opened and closed again: the cause of exit code 4,
     * as this account sees it. */
    if (rc == 0) {
        if (logsink_open(&h->log, 0, h->opts.log_file, err, errcap) != 0)
            rc = HOST_FAIL_LOG;
        else
            logsink_close(&h->log);
    }
    /* Then what server_start opens, as it opens it (srvopen.h): the
     * certificate (a TLS set-up that cannot work is exit code 7), then
     * each port (exit code 5). */
    if (rc == 0) {
        int opened = srvopen_check(&h->opts, err, errcap);
        if (opened == SERVER_FAIL_CERTIFICATE)
            rc = HOST_FAIL_CERTIFICATE;
        else if (opened != 0)
            rc = HOST_FAIL_START;
    }
    host_close(h);
    return rc;
}

struct logsink *host_log(struct host *h)
{
    return &h->log;
}

const char *host_config_path(const struct host *h)
{
    return h->config_path[0] != '\0' ? h->config_path : NULL;
}

const char *host_generated_password(const struct host *h)
{
    return h->generated ? h->credential.password : NULL;
}

const char *host_where(const struct host *h)
{
    return server_where(h->server);
}

const char *host_tls_where(const struct host *h)
{
    return server_tls_where(h->server);
}

const char *host_root_display(const struct host *h)
{
    return server_root_display(h->server);
}

void host_describe(struct host *h, char *out, size_t cap)
{
    char thumb[41];
    const char *plain = server_where(h->server), *tls = server_tls_where(h->server);
    int n = 0;

    server_tls_thumbprint(h->server, thumb);
    /* Each port only when it is open: plain_port = 0 leaves the TLS one alone. */
    if (plain[0] != '\0')
        n = snprintf(out, cap, "listening on %s", plain);
    if (tls[0] != '\0' && n >= 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, "%slistening for TLS on %s (certificate %s)",
                 n > 0 ? ", " : "", tls, thumb);
}
