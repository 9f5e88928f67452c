/* lookthread.c - a thread that looks now and then (see lookthread.h). */
#include "lookthread.h"

#include <process.h>

#define LOOK_STACK (64u << 10)

static unsigned __stdcall look_main(void *arg)
{
    struct lookthread *t = arg;
    HANDLE waits[2];
    DWORD timeout = t->first_ms;

    waits[0] = t->stop;
    waits[1] = t->poke;
    for (;;) {
        DWORD r = WaitForMultipleObjects(2, waits, FALSE, timeout);
        if (r != WAIT_TIMEOUT && r != WAIT_OBJECT_0 + 1)
            break; /* stop, or a wait that failed */
        t->look(t->arg, r == WAIT_OBJECT_0 + 1);
        timeout = t->interval_ms;
    }
    return 0;
}

int lookthread_start(struct lookthread *t, void (*look)(void *arg, int asked), void *arg,
                     DWORD first_ms, DWORD interval_ms, HANDLE stop)
{
    t->look = look;
    t->arg = arg;
    t->first_ms = first_ms;
    t->interval_ms = interval_ms;
    t->stop = stop;
    t->thread = NULL;
    t->poke = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (t->poke == NULL)
        return -1;
    t->thread = (HANDLE)_beginthreadex(NULL, LOOK_STACK, look_main, t,
                                       STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (t->thread == NULL) {
        DWORD e = GetLastError();
        CloseHandle(t->poke);
        t->poke = NULL;
        SetLastError(e);
        return -1;
    }
    return 0;
}

void lookthread_poke(struct lookthread *t)
{
    if (t->thread != NULL)
        SetEvent(t->poke);
}

void lookthread_stop(struct lookthread *t)
{
    if (t->thread != NULL) {
        WaitForSingleObject(t->thread, INFINITE);
        CloseHandle(t->thread);
        t->thread = NULL;
    }
    if (t->poke != NULL)
        CloseHandle(t->poke);
    t->poke = NULL;
}
