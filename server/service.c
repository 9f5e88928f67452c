/* service.c - service mode (see service.h): the SCM protocol and the policy
 * of trying to bind again; the bring-up itself is the host's (host.c).
 *
 * Threads: the process's main thread sits in StartServiceCtrlDispatcherW and
 * runs the control handler; the SCM starts service_main on a thread of its
 * own, which does all the work: it has the host read the configuration and
 * start the server, waits for the stop event, stops the host and reports
 * STOPPED.
 * The handler only reports STOP_PENDING and signals; a PARAMCHANGE it
 * passes on through reload_requested, since reading the file and acquiring
 * a credential are too slow for a handler. Both report status, so
 * status_lock guards the SERVICE_STATUS and the "stopped once" rule. */
#include "service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>

#include "eventlog.h"
#include "host.h"
#include "listener.h"
#include "version.h"
#include "winerr.h"

#define START_WAIT_HINT_MS 15000
/* At boot an automatic service can start before its address is assigned, and
 * after a restart the old process may still hold the port: binding is tried
 * again each BIND_RETRY_MS for this long, with START_PENDING reported. */
#define BIND_TRYING_MS 30000
#define BIND_RETRY_MS 1000
/* A system shutdown gives services little time (SHUTDOWN: about 5 s in
 * all; PRESHUTDOWN, which is sent first to services that accept it, waits
 * for the service but the system's budget is also short since Windows 10
 * 1703), so its drain is at most this, whatever stop_drain says. */
#define SHUTDOWN_DRAIN_MS 2000
/* What a STOP_PENDING wait hint adds to the time left of the drain: the
 * cancel (host.h) and the clean-up after it. */
#define STOP_MARGIN_MS (HOST_CANCEL_WAIT_MS + 2000)

static struct server_options process_opts; /* the service's own command line */
static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static CRITICAL_SECTION status_lock;
static HANDLE stop_requested; /* manual reset: the SCM asked us to stop */
static HANDLE reload_requested; /* auto reset: PARAMCHANGE, read the file and accounts again */
static volatile LONG shutting_down; /* the stop came with the system's shutdown */

/* Reports a state; checkpoints count up within a pending state. */
static void report(DWORD state, DWORD wait_hint)
{
    EnterCriticalSection(&status_lock);
    if (status.dwCurrentState == SERVICE_STOPPED) {
        LeaveCriticalSection(&status_lock); /* STOPPED is final and reported once */
        return;
    }
    if (state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING)
        status.dwCheckPoint = status.dwCurrentState == state ? status.dwCheckPoint + 1 : 1;
    else
        status.dwCheckPoint = 0;
    status.dwCurrentState = state;
    status.dwWaitHint = wait_hint;
    /* Controls are accepted only while running: a stop that came during
     * START_PENDING would race the start-up. */
    status.dwControlsAccepted = state == SERVICE_RUNNING
                                    ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_PRESHUTDOWN |
                                          SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
                                    : 0;
    SetServiceStatus(status_handle, &status);
    LeaveCriticalSection(&status_lock);
}

static void report_stopped(DWORD service_exit)
{
    EnterCriticalSection(&status_lock);
    if (status.dwCurrentState != SERVICE_STOPPED) {
        status.dwCurrentState = SERVICE_STOPPED;
        status.dwControlsAccepted = 0;
        status.dwCheckPoint = 0;
        status.dwWaitHint = 0;
        status.dwWin32ExitCode = service_exit != 0 ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
        status.dwServiceSpecificExitCode = service_exit;
        SetServiceStatus(status_handle, &status);
    }
    LeaveCriticalSection(&status_lock);
}

static DWORD WINAPI on_control(DWORD control, DWORD type, LPVOID data, LPVOID context)
{
    (void)type;
    (void)data;
    (void)context;
    switch (control) {
    case SERVICE_CONTROL_SHUTDOWN:
    case SERVICE_CONTROL_PRESHUTDOWN:
        InterlockedExchange(&shutting_down, 1);
        /* fall through */
    case SERVICE_CONTROL_STOP:
        /* STOP_PENDING goes out before the stop is signalled: once signalled,
         * service_main may report STOPPED at any moment, and a late
         * STOP_PENDING after it would be refused. */
        report(SERVICE_STOP_PENDING, STOP_MARGIN_MS);
        SetEvent(stop_requested); /* service_main wakes and stops the server */
        return NO_ERROR;
    case SERVICE_CONTROL_PARAMCHANGE:
        SetEvent(reload_requested); /* service_main reloads settings and certificate */
        return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
        EnterCriticalSection(&status_lock);
        SetServiceStatus(status_handle, &status);
        LeaveCriticalSection(&status_lock);
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

static void alert_to_eventlog(const char *text)
{
    eventlog_write(EVENTLOG_WARNING, EVENTLOG_ID_AUTH_FAILURES, text);
}

/* Ends a failed start: an event naming the cause, then STOPPED. */
static void fail_start(DWORD code, const char *why)
{
    char text[1200];

    snprintf(text, sizeof text, "mtserver could not start: %s", why);
    eventlog_write(EVENTLOG_ERROR, EVENTLOG_ID_START_FAILED, text);
    report_stopped(code);
}

/* host_start, tried again while the address or port is not to be had yet
 * (LISTENER_NOT_YET), for at most BIND_TRYING_MS; the first such failure
 * goes to the access log so that a slow start can be explained. */
static int start_when_bound(struct host *h, char *err, size_t errcap)
{
    ULONGLONG until = GetTickCount64() + BIND_TRYING_MS;
    int rc, tries = 0;
    char text[1200];

    while ((rc = host_start(h, err, errcap)) == LISTENER_NOT_YET && GetTickCount64() < until) {
        if (tries++ == 0) {
            snprintf(text, sizeof text, "mtserver cannot listen yet (%s); trying again for %u s",
                     err, BIND_TRYING_MS / 1000);
            logsink_text(host_log(h), text);
        }
        report(SERVICE_START_PENDING, START_WAIT_HINT_MS);
        if (WaitForSingleObject(stop_requested, BIND_RETRY_MS) == WAIT_OBJECT_0)
            break;
    }
    return rc;
}

/* Called about once a second while transfers drain: a new checkpoint, and a
 * wait hint that covers the rest of the drain and the cancel after it. */
static void report_draining(void *arg, DWORD left_ms)
{
    (void)arg;
    report(SERVICE_STOP_PENDING, left_ms + STOP_MARGIN_MS);
}

/* PARAMCHANGE: the configuration is read again, for the settings a reload
 * takes and the certificate; the certificate's outcome goes to the access
 * log and the Event Log (a failure as a warning: the old certificate still
 * serves), the settings' to the access log. */
static void reload_settings(struct host *h)
{
    char info[1200], text[1300], taken[600], waiting[600];
    int rc = host_reload(h, info, sizeof info, taken, sizeof taken, waiting, sizeof waiting);

    snprintf(text, sizeof text, "mtserver paramchange: %s", info);
    logsink_text(host_log(h), text);
    eventlog_write(rc < 0 ? EVENTLOG_WARNING : EVENTLOG_INFO, EVENTLOG_ID_TLS_RELOAD, text);
    /* An edit a running server does not take is said, not silently kept
     * for the next start. */
    if (waiting[0] != '\0') {
        snprintf(text, sizeof text,
                 "mtserver paramchange: changed in the file, taken at the next start: %s",
                 waiting);
        logsink_text(host_log(h), text);
    }
    if (taken[0] != '\0') {
        snprintf(text, sizeof text,
                 "mtserver paramchange: changed in the file, taken for new sessions: %s", taken);
        logsink_text(host_log(h), text);
    }
}

static void run_service(void)
{
    struct host *h = NULL;
    char err[1024], text[1200], where[300];
    HANDLE waits[2];
    DWORD drain_ms;
    long left;
    int rc;

    report(SERVICE_START_PENDING, START_WAIT_HINT_MS);
    rc = host_open(&h, &process_opts, HOST_SERVICE, alert_to_eventlog, err, sizeof err);
    if (rc != 0) {
        fail_start((DWORD)rc, err);
        return;
    }
    report(SERVICE_START_PENDING, START_WAIT_HINT_MS);
    rc = start_when_bound(h, err, sizeof err);
    if (rc != 0) {
        host_close(h);
        fail_start(rc == HOST_FAIL_CERTIFICATE ? HOST_FAIL_CERTIFICATE : HOST_FAIL_START, err);
        return;
    }
    report(SERVICE_RUNNING, 0);
    host_describe(h, where, sizeof where);
    snprintf(text, sizeof text, "mtserver %s started: %s, serving %s (configuration %s)",
             MTS_VERSION, where, host_root_display(h), host_config_path(h));
    eventlog_write(EVENTLOG_INFO, EVENTLOG_ID_STARTED, text);
    logsink_text(host_log(h), text);

    /* The stop first: a stop and a reload signalled together is a stop. */
    waits[0] = stop_requested;
    waits[1] = reload_requested;
    while (WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1) {
        reload_settings(h);
        host_reload_accounts(h); /* read by the account watch's thread */
    }
    drain_ms = host_drain_ms(h);
    if (shutting_down && drain_ms > SHUTDOWN_DRAIN_MS)
        drain_ms = SHUTDOWN_DRAIN_MS;
    report(SERVICE_STOP_PENDING, drain_ms + STOP_MARGIN_MS);
    left = host_stop_gracefully(h, drain_ms, NULL, report_draining, NULL);
    if (left > 0)
        snprintf(text, sizeof text, "mtserver stopped; %ld client(s) did not finish in time", left);
    else
        snprintf(text, sizeof text, "mtserver stopped");
    logsink_text(host_log(h), text);
    eventlog_write(EVENTLOG_INFO, EVENTLOG_ID_STOPPED, text);
    /* Clean up before STOPPED: after it the process may end at any time.
     * With clients left, host_close leaves the log and the credential to
     * the process exit (host.h). */
    host_close(h);
    report_stopped(0);
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
    (void)argc;
    (void)argv; /* "sc start mtserver ARGS": the configuration file is the place for settings */
    /* Register at once: the SCM waits for this, and nothing may come before. */
    status_handle = RegisterServiceCtrlHandlerExW(MTS_SERVICE_NAME, on_control, NULL);
    if (status_handle == NULL)
        return;
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = SERVICE_START_PENDING;
    eventlog_open();
    run_service();
    eventlog_close();
}

int service_dispatch(const struct server_options *opts)
{
    SERVICE_TABLE_ENTRYW table[] = {{(LPWSTR)MTS_SERVICE_NAME, service_main}, {NULL, NULL}};
    DWORD mode;

    /* A process with a console was started by a person: the SCM gives its
     * services none. Asking the dispatcher would also tell, but Wine's takes
     * ten seconds to give up (it waits for a control pipe). */
    if (GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) ||
        GetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), &mode))
        return -1;
    process_opts = *opts;
    InitializeCriticalSection(&status_lock);
    stop_requested = CreateEventW(NULL, TRUE, FALSE, NULL);
    reload_requested = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (stop_requested == NULL || reload_requested == NULL) {
        char why[300];
        fprintf(stderr, "mtserver: cannot create an event: %s\n",
                winerr_text(GetLastError(), why, sizeof why));
        return 1;
    }
    if (!StartServiceCtrlDispatcherW(table)) {
        DWORD e = GetLastError();
        CloseHandle(stop_requested);
        CloseHandle(reload_requested);
        DeleteCriticalSection(&status_lock);
        /* 1063: not started by the SCM, so a person ran it from a console. */
        if (e == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
            return -1;
        char why[300];
        fprintf(stderr, "mtserver: StartServiceCtrlDispatcher failed: %s\n",
                winerr_text(e, why, sizeof why));
        return 1;
    }
    return 0;
}
