/* sccontrol.c - test helper: `sc control NAME paramchange` for Wine, whose
 * sc.exe has no control command. Sends SERVICE_CONTROL_PARAMCHANGE to the
 * service NAME through ControlService, as sc does on Windows.
 *
 * "sccontrol NAME paramchange". Exit 0 when the service took the control,
 * else the Win32 error's low byte (1 when that is 0), with the error printed. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv)
{
    SC_HANDLE scm, svc;
    SERVICE_STATUS status;
    DWORD e = 0;

    if (argc != 3 || strcmp(argv[2], "paramchange") != 0) {
        fprintf(stderr, "usage: sccontrol NAME paramchange\n");
        return 2;
    }
    scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
    svc = scm != NULL ? OpenServiceA(scm, argv[1], SERVICE_PAUSE_CONTINUE) : NULL;
    if (svc == NULL || !ControlService(svc, SERVICE_CONTROL_PARAMCHANGE, &status))
        e = GetLastError();
    if (svc != NULL)
        CloseServiceHandle(svc);
    if (scm != NULL)
        CloseServiceHandle(scm);
    if (e != 0) {
        fprintf(stderr, "sccontrol: error %lu\n", (unsigned long)e);
        return (e & 0xff) != 0 ? (int)(e & 0xff) : 1;
    }
    return 0;
}
