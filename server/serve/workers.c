/* workers.c - client threads kept for the next client (see workers.h).
 *
 * A worker is parked when it is on w->parked. Only two parties ever take it
 * off: workers_run(), which then hands it a job and sets its event, and the
 * worker itself when it gives up waiting. Both do so under the lock, so
 * exactly one of them wins; a worker that finds itself already taken knows a
 * job is on its way and waits for it. */
#include "workers.h"

#include <process.h>
#include <stdlib.h>

struct worker {
    struct worker *next;
    struct workers *owner;
    HANDLE wake;     /* auto-reset: set once per job handed over */
    HANDLE io_event; /* manual-reset: lent to each job (workers.h) */
    workers_job job;
    void *arg;
};

void workers_init(struct workers *w, HANDLE stop, unsigned stack, unsigned max_parked,
                  DWORD park_ms)
{
    InitializeCriticalSection(&w->lock);
    w->parked = NULL;
    w->parked_count = 0;
    w->max_parked = max_parked;
    w->park_ms = park_ms;
    w->stack = stack;
    w->stop = stop;
    w->threads = 0;
}

/* Takes me off the parked list if it is still there; 1 when it was. */
static int unpark(struct workers *w, struct worker *me)
{
    struct worker **p;

    for (p = &w->parked; *p != NULL; p = &(*p)->next) {
        if (*p == me) {
            *p = me->next;
            w->parked_count--;
            return 1;
        }
    }
    return 0;
}

/* Parks the calling worker until it gets a job (returns 1) or should exit
 * (returns 0). */
static int park(struct workers *w, struct worker *me)
{
    HANDLE waits[2];
    DWORD r;

    EnterCriticalSection(&w->lock);
    /* A stop is not polled for here (a wineserver round trip under Wine):
     * the wait below ends at once when it is set, and the worker leaves. */
    if (w->parked_count >= w->max_parked) {
        LeaveCriticalSection(&w->lock);
        return 0;
    }
    me->next = w->parked;
    w->parked = me;
    w->parked_count++;
    LeaveCriticalSection(&w->lock);

    waits[0] = me->wake;
    waits[1] = w->stop;
    r = WaitForMultipleObjects(2, waits, FALSE, w->park_ms);
    if (r == WAIT_OBJECT_0)
        return 1;
    EnterCriticalSection(&w->lock);
    if (unpark(w, me)) {
        LeaveCriticalSection(&w->lock);
        return 0;
    }
    LeaveCriticalSection(&w->lock);
    /* workers_run() took us off the list just now: its job is on the way. */
    WaitForSingleObject(me->wake, INFINITE);
    return 1;
}

static unsigned __stdcall worker_main(void *arg)
{
    struct worker *me = arg;
    struct workers *w = me->owner;

    do
        me->job(me->arg, me->io_event);
    while (park(w, me));
    CloseHandle(me->io_event);
    CloseHandle(me->wake);
    free(me);
    /* The last thing this thread does with w: workers_finish() may free it next. */
    InterlockedDecrement(&w->threads);
    return 0;
}

int workers_run(struct workers *w, workers_job job, void *arg)
{
    struct worker *me;
    HANDLE thread;

    EnterCriticalSection(&w->lock);
    me = w->parked;
    if (me != NULL) {
        w->parked = me->next;
        w->parked_count--;
    }
    LeaveCriticalSection(&w->lock);
    if (me != NULL) {
        me->job = job;
        me->arg = arg;
        SetEvent(me->wake);
        return 0;
    }

    me = malloc(sizeof *me);
    if (me == NULL)
        return -1;
    me->owner = w;
    me->next = NULL;
    me->job = job;
    me->arg = arg;
    me->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    me->io_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (me->wake == NULL || me->io_event == NULL) {
        if (me->wake != NULL)
            CloseHandle(me->wake);
        if (me->io_event != NULL)
            CloseHandle(me->io_event);
        free(me);
        return -1;
    }
    InterlockedIncrement(&w->threads);
    /* Reserve, not commit: the thread's stack grows on demand up to w->stack. */
    thread = (HANDLE)_beginthreadex(NULL, w->stack, worker_main, me,
                                    STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (thread == NULL) {
        InterlockedDecrement(&w->threads);
        CloseHandle(me->io_event);
        CloseHandle(me->wake);
        free(me);
        return -1;
    }
    CloseHandle(thread);
    return 0;
}

long workers_finish(struct workers *w, DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;

    /* Parked workers wake on the stop event; busy ones end with their client. */
    while (w->threads > 0 && GetTickCount64() < until)
        Sleep(10);
    if (w->threads > 0)
        return w->threads;
    DeleteCriticalSection(&w->lock);
    return 0;
}
