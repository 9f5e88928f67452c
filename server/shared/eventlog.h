/* eventlog.h - the Windows Event Log, source "mtserver" in the Application log.
 *
 * Used by service mode for start, stop, fatal errors and repeated
 * authentication failures; requests go to the access log instead. The
 * handle is opened once by the service thread before the server starts and
 * closed after it has stopped; ReportEventW may be called from any thread
 * in between. Under Wine ReportEventW only prints to the debug channel. */
#ifndef MTS_EVENTLOG_H
#define MTS_EVENTLOG_H

#include <wchar.h>

#define EVENTLOG_SOURCE L"mtserver"

/* Event IDs: the MessageId values of server/messages.mc. */
enum eventlog_id {
    EVENTLOG_ID_STARTED = 1,
    EVENTLOG_ID_STOPPED = 2,
    EVENTLOG_ID_START_FAILED = 3,
    EVENTLOG_ID_AUTH_FAILURES = 4,
    EVENTLOG_ID_TLS_RELOAD = 5, /* paramchange: a new certificate, or why not */
    EVENTLOG_ID_TLS_CERTIFICATE = 6, /* the hourly look: a renewal taken, expiry near or past */
    EVENTLOG_ID_ACCOUNTS = 7, /* accounts.ini changed and does not parse: the old accounts stay */
};

enum eventlog_level { EVENTLOG_INFO, EVENTLOG_WARNING, EVENTLOG_ERROR };

/* Opens the source for writing. Without it, eventlog_write does nothing. */
void eventlog_open(void);
void eventlog_close(void);
/* Writes one event with the UTF-8 text as its only string. */
void eventlog_write(enum eventlog_level level, enum eventlog_id id, const char *text);

/* Registers the source under HKLM\SYSTEM\CurrentControlSet\Services\EventLog\
 * Application\mtserver with exe_path as its message file. Returns 0, or the
 * Win32 error code. */
long eventlog_install(const wchar_t *exe_path);
/* Removes that key. Returns 0 (also when it was not there) or the error. */
long eventlog_uninstall(void);

#endif
