/* scm.c - opening the Service Control Manager and the service (see scm.h). */
#include "scm.h"

#include <stdio.h>
#include <stdlib.h>

#include "service.h"
#include "winerr.h"

void scm_report(const char *what, DWORD code)
{
    char why[300];

    fprintf(stderr, "mtserver: %s: %s\n", what, winerr_text(code, why, sizeof why));
}

int scm_needs_administrator(void)
{
    fprintf(stderr, "mtserver: this command needs administrator rights "
                    "(run it from an elevated prompt)\n");
    return SCM_EXIT_ACCESS;
}

SC_HANDLE scm_open_manager(DWORD access, int *rc)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, access);

    if (scm == NULL) {
        DWORD e = GetLastError();
        if (winerr_kind(e) == WINERR_DENIED) {
            *rc = scm_needs_administrator();
        } else {
            scm_report("cannot open the Service Control Manager", e);
            *rc = SCM_EXIT_FAILED;
        }
    }
    return scm;
}

SC_HANDLE scm_open_service(SC_HANDLE scm, DWORD access, int *rc)
{
    SC_HANDLE svc = OpenServiceW(scm, MTS_SERVICE_NAME, access);

    if (svc == NULL) {
        DWORD e = GetLastError();
        if (winerr_kind(e) == WINERR_NOT_FOUND) {
            fprintf(stderr, "mtserver: the service mtserver is not installed (see mtserver install)\n");
            *rc = SCM_EXIT_NOT_INSTALLED;
        } else if (winerr_kind(e) == WINERR_DENIED) {
            *rc = scm_needs_administrator();
        } else {
            scm_report("cannot open the service mtserver", e);
            *rc = SCM_EXIT_FAILED;
        }
    }
    return svc;
}

QUERY_SERVICE_CONFIGW *scm_service_config(SC_HANDLE svc)
{
    QUERY_SERVICE_CONFIGW *qc;
    DWORD need = 0;

    QueryServiceConfigW(svc, NULL, 0, &need);
    qc = need > 0 ? malloc(need) : NULL;
    if (qc != NULL && !QueryServiceConfigW(svc, qc, need, &need)) {
        free(qc);
        qc = NULL;
    }
    return qc;
}
