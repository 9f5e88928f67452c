/* workers.c - the client threads, each accepting its own next client (see
 * workers.h).
 *
 * A port's `waiting` counts the threads with an accept in flight on its
 * listener (counted just before the call, uncounted when it has taken a
 * client or the thread leaves). Whoever takes the count to 0 by taking a
 * client starts another thread, so a listener is never left without one
 * for longer than a thread takes to start. A thread being started is not
 * counted: in a burst every thread that finds none waiting starts one, so
 * the threads grow as a tree, not one after another (1,000 clients at once
 * waited on a chain of thread starts, each behind the busy threads of the
 * ones before). The threads started beyond the need wait, and go after
 * park_ms or beyond max_parked. */
#include "workers.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winerr.h"

/* A failing accept waits 10 ms, doubling up to 1 s, on the drain event. */
#define ACCEPT_BACKOFF_MIN_MS 10
#define ACCEPT_BACKOFF_MAX_MS 1000

struct worker {
    struct workers *owner;
    int which;       /* the listener it accepts on */
    HANDLE io_event; /* manual reset: the accept's, then the connection's */
    DWORD backoff_ms;
    struct acceptex ax;
};

void workers_init(struct workers *w, unsigned stack, unsigned max_parked, DWORD park_ms)
{
    memset(w, 0, sizeof *w);
    w->port[0].listener = w->port[1].listener = INVALID_SOCKET;
    w->max_parked = max_parked;
    w->park_ms = park_ms;
    w->stack = stack;
}

static unsigned __stdcall worker_main(void *arg);

/* Starts a thread on listener `which`; 0, or -1 with the last error set.
 * first: the listener's first thread, which the test fault spares. */
static int start_thread(struct workers *w, int which, int first)
{
    struct worker *me = calloc(1, sizeof *me);
    HANDLE thread = NULL;
    DWORD e;

    if (me == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return -1;
    }
    me->owner = w;
    me->which = which;
    me->ax.listener = w->port[which].listener;
    me->ax.next = INVALID_SOCKET;
    me->io_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (me->io_event == NULL) {
        e = GetLastError();
        free(me);
        SetLastError(e);
        return -1;
    }
    me->ax.ov.hEvent = me->io_event;
    InterlockedIncrement(&w->threads);
    if (w->thread_fault != 0 && !first &&
        (w->thread_faults_left < 0 || InterlockedDecrement(&w->thread_faults_left) >= 0)) {
        SetLastError(w->thread_fault);
    } else {
        /* Reserve, not commit: the stack grows on demand up to w->stack. */
        thread = (HANDLE)_beginthreadex(NULL, w->stack, worker_main, me,
                                        STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    }
    if (thread == NULL) {
        e = GetLastError();
        InterlockedDecrement(&w->threads);
        CloseHandle(me->io_event);
        free(me);
        SetLastError(e);
        return -1;
    }
    CloseHandle(thread);
    if (w->starts_failing && InterlockedExchange(&w->starts_failing, 0) == 1)
        logsink_text(w->log, "client threads: starting again");
    return 0;
}

/* Starts another thread on the listener, saying once, while it lasts, that
 * none could be started: then new clients wait in the backlog until a
 * thread comes back from its client, or the look (workers_look) starts one. */
static void start_another(struct workers *w, int which)
{
    if (*w->draining)
        return;
    if (start_thread(w, which, 0) != 0) {
        char why[200], line[300];
        winerr_text(GetLastError(), why, sizeof why);
        if (InterlockedExchange(&w->starts_failing, 1) == 0) {
            snprintf(line, sizeof line,
                     "cannot start a client thread: %s; new clients wait until one is free", why);
            logsink_text(w->log, line);
        }
    }
}

void workers_look(struct workers *w)
{
    /* Not while accepts fail: those threads back off uncounted, and a new
     * one would only fail too. */
    if (w->failing)
        return;
    for (int i = 0; i < 2; i++)
        if (w->port[i].listener != INVALID_SOCKET && w->port[i].waiting <= 0)
            start_another(w, i);
}

/* An accept that failed for reasons of the whole listener or system (no
 * buffers or handles, network down, a listener gone bad): said once while
 * it lasts, then a wait on the drain event, longer each time, so that a
 * lasting failure neither spins a core nor holds up a stop. */
static void accept_failed(struct worker *me, int e)
{
    struct workers *w = me->owner;

    if (InterlockedExchange(&w->failing, 1) == 0) {
        char why[200], line[300];
        snprintf(line, sizeof line, "accept: %s; retrying, less often while it lasts",
                 winerr_text((unsigned long)e, why, sizeof why));
        logsink_text(w->log, line);
    }
    if (me->backoff_ms == 0)
        me->backoff_ms = ACCEPT_BACKOFF_MIN_MS;
    else if (me->backoff_ms < ACCEPT_BACKOFF_MAX_MS)
        me->backoff_ms =
            me->backoff_ms * 2 < ACCEPT_BACKOFF_MAX_MS ? me->backoff_ms * 2 : ACCEPT_BACKOFF_MAX_MS;
    WaitForSingleObject(w->drain, me->backoff_ms);
}

static void accept_worked(struct worker *me)
{
    me->backoff_ms = 0;
    if (me->owner->failing && InterlockedExchange(&me->owner->failing, 0) == 1)
        logsink_text(me->owner->log, "accept: working again");
}

/* Waits for the pending accept to take a client. Ends it instead on the
 * drain, or when the thread has waited park_ms and is not the listener's
 * last waiting one (then *counted becomes 0: it has left the count);
 * *leave says the thread is to end. A client that came just as the accept
 * was ended is still returned (ACCEPTEX_CLIENT). */
static enum acceptex_result wait_for_client(struct worker *me, int *error, int *counted, int *leave)
{
    struct workers *w = me->owner;
    volatile LONG *waiting = &w->port[me->which].waiting;
    HANDLE waits[2];

    waits[0] = me->io_event;
    waits[1] = w->drain;
    for (;;) {
        DWORD r = WaitForMultipleObjects(2, waits, FALSE, w->park_ms);
        if (r == WAIT_OBJECT_0)
            return acceptex_result(&me->ax, error);
        if (r == WAIT_TIMEOUT) {
            if (InterlockedDecrement(waiting) < 1) {
                InterlockedIncrement(waiting); /* the last one here stays */
                continue;
            }
            *counted = 0;
        }
        *leave = 1;
        return acceptex_cancel(&me->ax, error);
    }
}

/* Counts one more thread waiting on port unless max are; 1 when counted.
 * Never above max even for an instant: a waiting thread that times out
 * reads the count to know whether another waits (wait_for_client). */
static int count_in(struct workers_port *port, unsigned max)
{
    for (;;) {
        LONG n = port->waiting;
        if ((unsigned)n >= max)
            return 0;
        if (InterlockedCompareExchange(&port->waiting, n + 1, n) == n)
            return 1;
    }
}

/* Accepts the next client on me's listener: 1 with *s and *peer, or 0 when
 * the thread is to end (the drain, enough threads waiting there already, or
 * idle for park_ms while another waits). */
static int accept_next(struct worker *me, SOCKET *s, struct sockaddr_storage *peer)
{
    struct workers *w = me->owner;
    struct workers_port *port = &w->port[me->which];

    for (;;) {
        enum acceptex_result r;
        int error = 0, counted = 1, leave = 0;

        /* Counted before the draining flag is read, as server_drain sets the
         * flag before it reads the count: one of the two sees the other. */
        InterlockedIncrement(&w->accepting);
        if (*w->draining) {
            InterlockedDecrement(&w->accepting);
            return 0;
        }
        if (!count_in(port, w->max_parked)) {
            InterlockedDecrement(&w->accepting);
            return 0;
        }
        if (w->fault != 0) {
            error = w->fault;
            r = ACCEPTEX_FAILED;
        } else {
            r = acceptex_start(&me->ax, &port->fns, &error);
        }
        if (r == ACCEPTEX_PENDING)
            r = wait_for_client(me, &error, &counted, &leave);
        if (r == ACCEPTEX_CLIENT && !(leave && counted)) {
            /* A client: also when the thread was leaving for being idle
             * (not the drain, which leaves `counted`). */
            LONG left = counted ? InterlockedDecrement(&port->waiting) : port->waiting;
            *s = acceptex_take(&me->ax, &port->fns, peer);
            InterlockedDecrement(&w->accepting);
            accept_worked(me);
            if (left <= 0)
                start_another(w, me->which);
            return 1;
        }
        if (counted)
            InterlockedDecrement(&port->waiting);
        /* A client taken as the drain ended accepting is closed, as the
         * clients still in the backlog are when the listener closes (not
         * taken: that would ask the listener, which may be closed once
         * `accepting` falls); a failed accept may leave its socket unfit
         * for another. */
        acceptex_drop_next(&me->ax);
        InterlockedDecrement(&w->accepting);
        if (leave)
            return 0;
        /* A peer that reset or gave up before it was taken concerns that
         * client only; the next one may be waiting behind it. */
        if (winerr_kind((unsigned long)error) != WINERR_PEER_GONE)
            accept_failed(me, error);
    }
}

static unsigned __stdcall worker_main(void *arg)
{
    struct worker *me = arg;
    struct workers *w = me->owner;
    SOCKET s;
    struct sockaddr_storage peer;

    while (accept_next(me, &s, &peer))
        w->serve(w->serve_arg, me->which, s, (const struct sockaddr *)&peer, me->io_event);
    acceptex_drop_next(&me->ax);
    CloseHandle(me->io_event);
    free(me);
    /* The last thing this thread does with w: workers_finish() may free it next. */
    InterlockedDecrement(&w->threads);
    return 0;
}

int workers_start(struct workers *w, const SOCKET listeners[2], workers_serve serve,
                  void *serve_arg, HANDLE drain, const volatile LONG *draining, struct logsink *log,
                  char *err, size_t errcap)
{
    char why[200];

    w->serve = serve;
    w->serve_arg = serve_arg;
    w->drain = drain;
    w->draining = draining;
    w->log = log;
    for (int i = 0; i < 2; i++) {
        int e;
        w->port[i].listener = listeners[i];
        if (listeners[i] == INVALID_SOCKET)
            continue;
        e = acceptex_find(listeners[i], &w->port[i].fns);
        if (e != 0) {
            snprintf(err, errcap, "AcceptEx is not available on this system: %s",
                     winerr_text((unsigned long)e, why, sizeof why));
            return -1;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (listeners[i] != INVALID_SOCKET && start_thread(w, i, 1) != 0) {
            snprintf(err, errcap, "cannot start a client thread: %s",
                     winerr_text(GetLastError(), why, sizeof why));
            return -1;
        }
    }
    return 0;
}

unsigned workers_parked(const struct workers *w)
{
    LONG n = w->port[0].waiting + w->port[1].waiting;

    return n > 0 ? (unsigned)n : 0u;
}

/* Waits up to wait_ms, looking every step_ms, for *count to reach 0;
 * returns what it is then. */
static long wait_for_none(const volatile LONG *count, DWORD wait_ms, DWORD step_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;

    while (*count > 0 && GetTickCount64() < until)
        Sleep(step_ms);
    return *count;
}

long workers_stop_accepting(struct workers *w, DWORD wait_ms)
{
    /* The draining flag and the drain event, set before this, end every
     * wait for a client and keep any new accept from starting. */
    return wait_for_none(&w->accepting, wait_ms, 5);
}

long workers_finish(struct workers *w, DWORD wait_ms)
{
    /* Waiting threads end with the drain; busy ones end with their client. */
    return wait_for_none(&w->threads, wait_ms, 10);
}
