/* svcctl.c - uninstall, start, stop and status (see svcctl.h).
 *
 * Runs on the main thread of a console process, one command per run.
 * Installing is svcinstall.c's; opening the SCM is scm.c's. */
#include "svcctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "args.h"
#include "certstore.h"
#include "eventlog.h"
#include "host.h"
#include "options.h"
#include "schan.h"
#include "scm.h"
#include "service.h"
#include "sessmap.h"
#include "settings.h"
#include "winerr.h"

#define WAIT_LIMIT_MS 60000
#define POLL_MS 250
#define WAIT_SLACK_MS 5000 /* beyond a STOP_PENDING wait hint */
#define PROGRESS_MS 3000   /* between "still starting" lines */

static const char *state_name(DWORD state)
{
    switch (state) {
    case SERVICE_STOPPED: return "STOPPED";
    case SERVICE_START_PENDING: return "START_PENDING";
    case SERVICE_STOP_PENDING: return "STOP_PENDING";
    case SERVICE_RUNNING: return "RUNNING";
    case SERVICE_CONTINUE_PENDING: return "CONTINUE_PENDING";
    case SERVICE_PAUSE_PENDING: return "PAUSE_PENDING";
    case SERVICE_PAUSED: return "PAUSED";
    }
    return "UNKNOWN";
}

static int query(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    DWORD need;

    return QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (LPBYTE)st, sizeof *st, &need) ? 0
                                                                                           : -1;
}

/* Polls until the service leaves `pending` (or the time limit passes).
 * Returns 0 with the last status in *st, or -1 when it could not ask. */
static int wait_while(SC_HANDLE svc, DWORD pending, SERVICE_STATUS_PROCESS *st)
{
    ULONGLONG until = GetTickCount64() + WAIT_LIMIT_MS;

    for (;;) {
        if (query(svc, st) != 0)
            return -1;
        if (st->dwCurrentState != pending || GetTickCount64() >= until)
            return 0;
        Sleep(POLL_MS);
    }
}

static const char *exit_meaning(DWORD code)
{
    switch (code) {
    case HOST_FAIL_CONFIG: return "the configuration file is missing or invalid";
    case HOST_FAIL_PASSWORD: return "password_hash is missing or invalid";
    case HOST_FAIL_ROOT: return "the root folder is not set or does not exist";
    case HOST_FAIL_LOG: return "the access log file cannot be opened";
    case HOST_FAIL_START: return "the server could not start listening";
    case HOST_FAIL_SYSTEM: return "a system call failed";
    case HOST_FAIL_CERTIFICATE: return "the TLS certificate cannot be used";
    }
    return "unknown";
}

static void describe_exit(const SERVICE_STATUS_PROCESS *st)
{
    if (st->dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
        printf("mtserver: last exit: service-specific error %lu (%s)\n",
               (unsigned long)st->dwServiceSpecificExitCode,
               exit_meaning(st->dwServiceSpecificExitCode));
    else if (st->dwWin32ExitCode != NO_ERROR) {
        char why[300];
        printf("mtserver: last exit: %s\n", winerr_text(st->dwWin32ExitCode, why, sizeof why));
    }
}

/* The options the installed service runs with: its command line as the SCM
 * holds it, parsed as main() would. The strings live until the process ends. */
static int service_options(SC_HANDLE svc, struct server_options *o)
{
    QUERY_SERVICE_CONFIGW *qc = scm_service_config(svc);
    char **argv = NULL, err[300];
    int argc = 0, rc = -1;

    options_init(o);
    if (qc != NULL && args_utf8_from(qc->lpBinaryPathName, &argc, &argv) == 0)
        rc = options_parse(o, argc, argv, err, sizeof err) == 0 ? 0 : -1;
    free(qc);
    return rc;
}

/* After a failed start, repeats the service's own checks here, where a
 * person can read the answer (the Event Log has it too, on Windows). */
static void diagnose(SC_HANDLE svc)
{
    struct server_options o;
    char err[1024];

    if (service_options(svc, &o) != 0)
        return;
    if (host_check(&o, err, sizeof err) != 0)
        fprintf(stderr, "mtserver: %s\n", err);
    else
        /* The service's account may lack a right this one has (a key, a
         * log folder): then only the service's own event has the cause. */
        fprintf(stderr, "mtserver: the service's checks pass for this account; the cause is in "
                        "the service's error event (Application log, source mtserver, event 3)\n");
}

/* Asks the service to stop and waits. Returns 0 when it is stopped, -1
 * when it is not (its last state in *st), or -2 when its state could not
 * even be read (said, with the error; *st is then not filled in). */
static int stop_and_wait(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    SERVICE_STATUS ss;
    ULONGLONG until;
    DWORD checkpoint;

    if (query(svc, st) != 0) {
        scm_report("cannot query the service", GetLastError());
        return -2;
    }
    if (st->dwCurrentState == SERVICE_STOPPED)
        return 0;
    /* A starting service accepts no controls yet. */
    if (st->dwCurrentState == SERVICE_START_PENDING &&
        wait_while(svc, SERVICE_START_PENDING, st) != 0)
        return -1;
    if (st->dwCurrentState != SERVICE_STOPPED && st->dwCurrentState != SERVICE_STOP_PENDING &&
        !ControlService(svc, SERVICE_CONTROL_STOP, &ss) &&
        winerr_kind(GetLastError()) != WINERR_NOT_RUNNING) {
        scm_report("cannot stop the service", GetLastError());
        return -1;
    }
    /* A service that lets transfers finish (stop_drain) stays STOP_PENDING
     * for as long as that takes; while its checkpoint moves on, it is
     * alive, and its wait hint says how long to give it from there. */
    until = GetTickCount64() + WAIT_LIMIT_MS;
    checkpoint = 0;
    while (query(svc, st) == 0 && st->dwCurrentState != SERVICE_STOPPED &&
           GetTickCount64() < until) {
        if (st->dwCheckPoint != checkpoint) {
            ULONGLONG hinted = GetTickCount64() + st->dwWaitHint + WAIT_SLACK_MS;
            checkpoint = st->dwCheckPoint;
            if (hinted > until)
                until = hinted;
        }
        Sleep(POLL_MS);
    }
    return st->dwCurrentState == SERVICE_STOPPED ? 0 : -1;
}

/* Opens the service with `access`, runs the command on it and closes both
 * handles: the part every command but install shares. */
static int on_service(DWORD access, int (*command)(SC_HANDLE svc))
{
    SC_HANDLE scm, svc;
    int rc = SCM_EXIT_FAILED;

    scm = scm_open_manager(SC_MANAGER_CONNECT, &rc);
    if (scm == NULL)
        return rc;
    svc = scm_open_service(scm, access, &rc);
    if (svc != NULL) {
        rc = command(svc);
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    return rc;
}

static int uninstall(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;
    long reg;

    if (stop_and_wait(svc, &st) != 0) {
        fprintf(stderr, "mtserver: the service did not stop; not removed\n");
        return SCM_EXIT_FAILED;
    }
    if (!DeleteService(svc)) {
        scm_report("cannot remove the service", GetLastError());
        return SCM_EXIT_FAILED;
    }
    reg = eventlog_uninstall();
    if (reg != 0)
        scm_report("warning: cannot remove the event source", (DWORD)reg);
    printf("mtserver: removed the service mtserver (its configuration and logs are kept)\n");
    return 0;
}

/* wait_while for a start, saying every PROGRESS_MS that it is still
 * pending: a service whose port is taken keeps trying for 30 s, and that
 * must not look like a hung command. It ends as soon as the service leaves
 * START_PENDING, STOPPED included. */
static int wait_start(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    ULONGLONG begun = GetTickCount64(), until = begun + WAIT_LIMIT_MS, next = begun + PROGRESS_MS;

    for (;;) {
        ULONGLONG now;
        if (query(svc, st) != 0)
            return -1;
        now = GetTickCount64();
        if (st->dwCurrentState != SERVICE_START_PENDING || now >= until)
            return 0;
        if (now >= next) {
            printf("mtserver: START_PENDING for %lu s; the service keeps trying for up to 30 s "
                   "while its address or port cannot be had (its access log names the cause)\n",
                   (unsigned long)((now - begun) / 1000));
            fflush(stdout); /* a pipe would hold it back until the end */
            next = now + PROGRESS_MS;
        }
        Sleep(POLL_MS);
    }
}

/* Whether a failed StartService is a service that began and then stopped
 * with a code of its own (a missing password_hash, say), so that its own
 * reason can be told rather than the SCM's. Wine's SCM answers 1053 when
 * the service has already stopped by the time it looks at its first status
 * (programs/services/services.c, service_wait_for_startup), as a service
 * that fails its checks at once does on a busy machine. */
static int stopped_with_its_own_code(SC_HANDLE svc, DWORD e)
{
    SERVICE_STATUS_PROCESS st;

    return winerr_kind(e) == WINERR_TIMED_OUT && query(svc, &st) == 0 &&
           st.dwCurrentState == SERVICE_STOPPED &&
           st.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR;
}

static int start(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;

    if (!StartServiceW(svc, 0, NULL)) {
        DWORD e = GetLastError();
        if (winerr_kind(e) != WINERR_RUNNING && !stopped_with_its_own_code(svc, e)) {
            scm_report("cannot start the service", e);
            return SCM_EXIT_FAILED;
        }
    }
    /* The SCM may still show STOPPED for a moment after StartService. */
    for (int i = 0; i < 8 && query(svc, &st) == 0 && st.dwCurrentState == SERVICE_STOPPED &&
                    st.dwWin32ExitCode == NO_ERROR;
         i++)
        Sleep(POLL_MS);
    if (wait_start(svc, &st) != 0) {
        scm_report("cannot query the service", GetLastError());
        return SCM_EXIT_FAILED;
    }
    printf("mtserver: %s", state_name(st.dwCurrentState));
    if (st.dwCurrentState == SERVICE_RUNNING) {
        printf(" (process %lu)\n", (unsigned long)st.dwProcessId);
        return 0;
    }
    printf("\n");
    describe_exit(&st);
    if (st.dwCurrentState == SERVICE_STOPPED)
        diagnose(svc);
    return SCM_EXIT_FAILED;
}

static int stop(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;
    int rc = stop_and_wait(svc, &st);

    if (rc != -2)
        printf("mtserver: %s\n", state_name(st.dwCurrentState));
    return rc == 0 ? 0 : SCM_EXIT_FAILED;
}

/* The configuration file the service runs with (its --config, else the
 * default) and the certificate that file's tls_certificate names, as the
 * service would find them now (subject:'s newest, a thumbprint's renewal):
 * what it serves unless the file changed since its start or last
 * PARAMCHANGE, or a renewal came since its last hourly look (tlswatch.h). */
static void describe_configuration(SC_HANDLE svc)
{
    struct server_options o;
    struct config cfg;
    char path[MAX_PATH * 3], err[1024], cert[1600];
    const char *name;

    if (service_options(svc, &o) != 0)
        return;
    if (settings_config_path_of(&o, path, sizeof path, err, sizeof err) != 0) {
        printf("mtserver: configuration: %s\n", err);
        return;
    }
    printf("mtserver: configuration %s%s\n", path,
           settings_config_named(&o) ? "" : " (the default)");
    config_init(&cfg);
    if (settings_load(path, &cfg, &o, err, sizeof err) != 0) {
        printf("mtserver: %s\n", err);
        return;
    }
    if (options_certificate(&o, &name, NULL) == OPTIONS_CERT_NONE) {
        printf("mtserver: certificate: none (no tls_certificate)\n");
        return;
    }
    certstore_describe(name, cert, sizeof cert);
    printf("mtserver: certificate %s\n", cert);
}

static int status(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;
    char sessions[SESSMAP_TEXT_MAX];

    if (query(svc, &st) != 0) {
        scm_report("cannot query the service", GetLastError());
        return SCM_EXIT_FAILED;
    }
    printf("mtserver: %s", state_name(st.dwCurrentState));
    if (st.dwProcessId != 0)
        printf(" (process %lu)", (unsigned long)st.dwProcessId);
    printf("\n");
    /* Published by a running service with accounts (sessmap.h), at most
     * 2 s old. */
    if (st.dwCurrentState == SERVICE_RUNNING && sessmap_read(sessions, sizeof sessions) == 0)
        printf("mtserver: account sessions: %s\n", sessions[0] != '\0' ? sessions : "none");
    if (st.dwCurrentState == SERVICE_STOPPED)
        describe_exit(&st);
    describe_configuration(svc);
    return st.dwCurrentState == SERVICE_RUNNING ? 0 : SCM_EXIT_FAILED;
}

int svcctl_uninstall(void)
{
    return on_service(DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, uninstall);
}

int svcctl_start(void)
{
    return on_service(SERVICE_START | SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, start);
}

int svcctl_stop(void)
{
    return on_service(SERVICE_STOP | SERVICE_QUERY_STATUS, stop);
}

int svcctl_status(void)
{
    return on_service(SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, status);
}

int svcctl_use_service_config(struct server_options *o)
{
    struct server_options svc_opts;
    SC_HANDLE scm, svc;
    int set = 0;

    if (settings_config_named(o))
        return 0;
    /* Opened here, not through scm_open_*: a missing service or SCM is no
     * error for these commands, and must print nothing. */
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (scm == NULL)
        return 0;
    svc = OpenServiceW(scm, MTS_SERVICE_NAME, SERVICE_QUERY_CONFIG);
    if (svc != NULL) {
        /* svc_opts' texts live until the process ends. */
        if (service_options(svc, &svc_opts) == 0)
            set = settings_config_inherit(o, &svc_opts);
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    return set;
}
