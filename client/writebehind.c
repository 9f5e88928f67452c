/* writebehind.c - flushes a download's file behind its writer (see
 * writebehind.h). */
#include "writebehind.h"

#include <process.h>
#ifdef MTS_FAULTS
#include <stdlib.h>
#endif

/* The helper: a flush each time one is asked for, until the end. A request
 * made while a flush runs leaves the event set, so one more follows: the
 * bytes written since that flush began are not forgotten. */
static unsigned __stdcall flusher(void *arg)
{
    struct writebehind *wb = arg;

    while (WaitForSingleObject(wb->wake, INFINITE) == WAIT_OBJECT_0 && !wb->ending) {
        if (!wb->flush(wb->file)) {
            DWORD code = GetLastError();
            InterlockedCompareExchange(&wb->error, (LONG)(code ? code : ERROR_WRITE_FAULT), 0);
        }
    }
    return 0;
}

#ifdef MTS_FAULTS
/* Only in mtsclient-faults.exe, the tests' build (the Makefile's
 * CLIENT_FAULTS_EXE): every flush behind the writing is made, and then
 * fails with the error in MTS_FAULT_FLUSH_BEHIND_ERROR, as a failing
 * disk's would (the tests see the call in Wine's relay trace). */
static DWORD fault_code;

static BOOL WINAPI failing_flush(HANDLE file)
{
    FlushFileBuffers(file);
    SetLastError(fault_code);
    return FALSE;
}
#endif

void writebehind_begin(struct writebehind *wb, HANDLE file, int on)
{
    wb->file = file;
    wb->flush = FlushFileBuffers;
    wb->since = 0;
    wb->wake = NULL;
    wb->thread = NULL;
    wb->ending = 0;
    wb->error = 0;
    wb->off = !on;
#ifdef MTS_FAULTS
    {
        char code[16];
        DWORD n = GetEnvironmentVariableA("MTS_FAULT_FLUSH_BEHIND_ERROR", code, sizeof code);
        fault_code = n > 0 && n < sizeof code ? (DWORD)strtoul(code, NULL, 10) : 0;
        if (fault_code != 0)
            wb->flush = failing_flush;
    }
#endif
}

static int start_helper(struct writebehind *wb)
{
    /* The helper needs no more stack than a flush call takes. */
    wb->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (wb->wake != NULL)
        wb->thread = (HANDLE)_beginthreadex(NULL, 64u << 10, flusher, wb,
                                            STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (wb->thread != NULL)
        return 0;
    if (wb->wake != NULL)
        CloseHandle(wb->wake);
    wb->wake = NULL;
    wb->off = 1;
    return -1;
}

void writebehind_wrote(struct writebehind *wb, size_t n)
{
    wb->since += n;
    if (wb->since < WRITEBEHIND_EVERY || wb->off)
        return;
    wb->since = 0;
    if (wb->thread == NULL && start_helper(wb) != 0)
        return;
    SetEvent(wb->wake);
}

DWORD writebehind_end(struct writebehind *wb)
{
    if (wb->thread != NULL) {
        InterlockedExchange(&wb->ending, 1);
        SetEvent(wb->wake);
        WaitForSingleObject(wb->thread, INFINITE);
        CloseHandle(wb->thread);
        CloseHandle(wb->wake);
        wb->thread = wb->wake = NULL;
    }
    return (DWORD)wb->error;
}
