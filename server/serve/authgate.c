/* authgate.c - a cap on the password checks that run at once (see authgate.h). */
#include "authgate.h"

#define AUTHGATE_MAX 1024

int authgate_init(struct authgate *g, unsigned slots)
{
    SYSTEM_INFO si;

    if (slots == 0) {
        GetSystemInfo(&si);
        slots = si.dwNumberOfProcessors > 0 ? si.dwNumberOfProcessors : 1;
    }
    if (slots > AUTHGATE_MAX)
        slots = AUTHGATE_MAX;
    g->size = (LONG)slots;
    g->slots = CreateSemaphoreW(NULL, g->size, g->size, NULL);
    return g->slots != NULL ? 0 : -1;
}

void authgate_free(struct authgate *g)
{
    if (g->slots != NULL)
        CloseHandle(g->slots);
    g->slots = NULL;
}

enum authgate_result authgate_enter(struct authgate *g, HANDLE stop, DWORD wait_ms)
{
    HANDLE waits[2];
    DWORD w;

    if (g->slots == NULL)
        return AUTHGATE_ENTERED;
    /* Stop first: with both signalled, WaitForMultipleObjects reports the
     * lowest index, so a stopping server never starts another check. */
    waits[0] = stop;
    waits[1] = g->slots;
    w = WaitForMultipleObjects(2, waits, FALSE, wait_ms);
    if (w == WAIT_OBJECT_0 + 1)
        return AUTHGATE_ENTERED;
    return w == WAIT_TIMEOUT ? AUTHGATE_TIMEOUT : AUTHGATE_STOPPED;
}

void authgate_leave(struct authgate *g)
{
    if (g->slots != NULL)
        ReleaseSemaphore(g->slots, 1, NULL);
}
