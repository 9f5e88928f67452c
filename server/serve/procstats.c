/* procstats.c - thread, handle and private-memory counts of this process (see procstats.h). */
#include "procstats.h"

#include <windows.h>
#include <tlhelp32.h>

/* Handle values are multiples of 4 handed out lowest-free first, so after a
 * long enough run of invalid values there are no more. */
#define PROBE_GAP 1024

static unsigned long count_threads(void)
{
    DWORD self = GetCurrentProcessId();
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    unsigned long n = 0;

    if (snap == INVALID_HANDLE_VALUE)
        return 0;
    te.dwSize = sizeof te;
    if (Thread32First(snap, &te)) {
        do {
            if (te.th32OwnerProcessID == self)
                n++;
        } while (Thread32Next(snap, &te));
    }
    CloseHandle(snap);
    return n;
}

static unsigned long probe_handles(void)
{
    unsigned long n = 0, miss = 0;
    DWORD flags;

    for (ULONG_PTR v = 4; miss < PROBE_GAP; v += 4) {
        if (GetHandleInformation((HANDLE)v, &flags)) {
            n++;
            miss = 0;
        } else {
            miss++;
        }
    }
    return n;
}

static uint64_t private_committed(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    SYSTEM_INFO si;
    const char *p;
    uint64_t sum = 0;

    GetSystemInfo(&si);
    p = si.lpMinimumApplicationAddress;
    while ((ULONG_PTR)p < (ULONG_PTR)si.lpMaximumApplicationAddress &&
           VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE)
            sum += mbi.RegionSize;
        p = (const char *)mbi.BaseAddress + mbi.RegionSize;
    }
    return sum;
}

void procstats_read(struct procstats *ps)
{
    DWORD handles = 0;

    ps->threads = count_threads();
    if (!GetProcessHandleCount(GetCurrentProcess(), &handles) || handles == 0)
        handles = probe_handles();
    ps->handles = handles;
    ps->private_bytes = private_committed();
}
