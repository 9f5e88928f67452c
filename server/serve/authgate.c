/* authgate.c - a cap on the password checks (and TLS handshake steps) that
 * run at once (see authgate.h).
 *
 * `free` counts the slots nobody holds, less the threads waiting for one;
 * the semaphore only carries a slot from a thread that leaves to one that
 * waits. So a gate with a free slot is entered and left with two
 * interlocked operations and no kernel object: under Wine each
 * WaitForMultipleObjects and ReleaseSemaphore is a round trip to the
 * wineserver, and a TLS handshake's two steps paid four (issue 24). A
 * thread that waits and gives up (time-out, stop) takes itself out of the
 * count again, unless a leaver has already counted a slot out to it; then
 * the slot is its own and is taken from the semaphore. */
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
    g->free = g->size;
    /* Starts empty: a count in it is a slot handed to a waiting thread, and
     * there are never more of those than threads (the maximum is only a
     * bound Windows asks for). */
    g->slots = CreateSemaphoreW(NULL, 0, 0x7fffffff, NULL);
    return g->slots != NULL ? 0 : -1;
}

void authgate_free(struct authgate *g)
{
    if (g->slots != NULL)
        CloseHandle(g->slots);
    g->slots = NULL;
}

/* Takes a waiting thread out of the count; 0 when a leaver has already
 * counted a slot out to it (free no longer below zero: no thread waits
 * without one), which it must then take from the semaphore. */
static int withdraw(struct authgate *g)
{
    LONG seen = g->free;

    while (seen < 0) {
        LONG was = InterlockedCompareExchange(&g->free, seen + 1, seen);
        if (was == seen)
            return 1;
        seen = was;
    }
    return 0;
}

enum authgate_result authgate_enter(struct authgate *g, HANDLE stop, DWORD wait_ms)
{
    HANDLE waits[2];
    DWORD w;

    if (g->slots == NULL)
        return AUTHGATE_ENTERED;
    /* A stopping server never starts another check; without a stop handle
     * the caller watches for the stop itself (transport/tlshandshake.c). */
    if (stop != NULL && WaitForSingleObject(stop, 0) == WAIT_OBJECT_0)
        return AUTHGATE_STOPPED;
    if (InterlockedDecrement(&g->free) >= 0)
        return AUTHGATE_ENTERED;
    w = WAIT_TIMEOUT;
    if (wait_ms != 0) {
        /* Stop first: with both signalled, WaitForMultipleObjects reports
         * the lowest index. */
        waits[0] = stop;
        waits[1] = g->slots;
        w = stop != NULL ? WaitForMultipleObjects(2, waits, FALSE, wait_ms)
                         : WaitForSingleObject(g->slots, wait_ms);
        if (w == (stop != NULL ? WAIT_OBJECT_0 + 1 : WAIT_OBJECT_0))
            return AUTHGATE_ENTERED;
    }
    if (withdraw(g))
        return w == WAIT_TIMEOUT ? AUTHGATE_TIMEOUT : AUTHGATE_STOPPED;
    /* A slot was counted out to this thread as it gave up: it is on its
     * way into the semaphore, if not there yet. */
    WaitForSingleObject(g->slots, INFINITE);
    if (w == WAIT_TIMEOUT)
        return AUTHGATE_ENTERED;
    authgate_leave(g);
    return AUTHGATE_STOPPED;
}

void authgate_leave(struct authgate *g)
{
    /* Up to zero or below: a thread was waiting, and the slot is its. */
    if (g->slots != NULL && InterlockedIncrement(&g->free) <= 0)
        ReleaseSemaphore(g->slots, 1, NULL);
}
