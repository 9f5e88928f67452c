/* scm.h - what every service command needs from the Service Control Manager:
 * opening it and the service, reading the service's configuration, and
 * saying why a call failed (number and text, and the elevation hint on
 * "access denied"). For the console commands (svcctl.c, svcinstall.c), one
 * command per run on the main thread. */
#ifndef MTS_SCM_H
#define MTS_SCM_H

#include <windows.h>

/* The service commands' exit codes besides 0 (docs/ADMIN.md). */
#define SCM_EXIT_FAILED 1
#define SCM_EXIT_NOT_INSTALLED 3
#define SCM_EXIT_ACCESS 5

/* "mtserver: what: error N: text" on stderr. */
void scm_report(const char *what, DWORD code);

/* Says the command needs an elevated prompt; returns SCM_EXIT_ACCESS. */
int scm_needs_administrator(void);

/* OpenSCManagerW / OpenServiceW (the service mtserver). NULL on failure,
 * which has been reported, with the exit code in *rc. */
SC_HANDLE scm_open_manager(DWORD access, int *rc);
SC_HANDLE scm_open_service(SC_HANDLE scm, DWORD access, int *rc);

/* The service's configuration as the SCM holds it (malloc'd), or NULL. */
QUERY_SERVICE_CONFIGW *scm_service_config(SC_HANDLE svc);

#endif
