/* eventlog.c - writing to and registering with the Event Log (see eventlog.h). */
#include "eventlog.h"

#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "winerr.h"
#include "wstr.h"

#define SOURCE_KEY L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\mtserver"

static HANDLE source;

void eventlog_open(void)
{
    if (source == NULL)
        source = RegisterEventSourceW(NULL, EVENTLOG_SOURCE);
}

void eventlog_close(void)
{
    if (source != NULL)
        DeregisterEventSource(source);
    source = NULL;
}

void eventlog_write(enum eventlog_level level, enum eventlog_id id, const char *text)
{
    static const WORD types[] = {EVENTLOG_INFORMATION_TYPE, EVENTLOG_WARNING_TYPE,
                                 EVENTLOG_ERROR_TYPE};
    wchar_t *w;
    LPCWSTR strings[1];

    if (source == NULL)
        return;
    w = wstr_from_utf8(text, strlen(text));
    strings[0] = w != NULL ? w : L"(the event text was not valid UTF-8)";
    ReportEventW(source, types[level], 0, (DWORD)id, NULL, 1, 0, strings, NULL);
    free(w);
}

long eventlog_install(const wchar_t *exe_path)
{
    HKEY key = NULL;
    DWORD types = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE;
    LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, SOURCE_KEY, 0, NULL, REG_OPTION_NON_VOLATILE,
                              KEY_SET_VALUE, NULL, &key, NULL);

    if (rc != ERROR_SUCCESS)
        return rc;
    rc = RegSetValueExW(key, L"EventMessageFile", 0, REG_EXPAND_SZ, (const BYTE *)exe_path,
                        (DWORD)((wcslen(exe_path) + 1) * sizeof(wchar_t)));
    if (rc == ERROR_SUCCESS)
        rc = RegSetValueExW(key, L"TypesSupported", 0, REG_DWORD, (const BYTE *)&types,
                            sizeof types);
    RegCloseKey(key);
    return rc;
}

long eventlog_uninstall(void)
{
    LONG rc = RegDeleteKeyW(HKEY_LOCAL_MACHINE, SOURCE_KEY);

    return winerr_kind((unsigned long)rc) == WINERR_NOT_FOUND ? 0 : rc;
}
