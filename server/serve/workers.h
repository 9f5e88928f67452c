/* workers.h - the client threads: each accepts its own next client.
 *
 * Still one thread per client at a time: a thread takes a connection from
 * a listener (AcceptEx, acceptex.h) and serves it from start to end on
 * the same thread, then goes back to waiting on that listener for the
 * next. No accept thread hands clients over: under Wine each hand-off and
 * each wake-up of a second thread was a round trip to the wineserver and
 * a context switch or two per client (bench/RESULTS.md, issue 24), and
 * Windows' own pattern for a server of many clients is AcceptEx posted
 * ahead of them.
 *
 * While the server accepts, a thread waits on each listener: the thread
 * that takes the last waiting place of its listener starts another before
 * it serves its client. A client that connects while none waits (every
 * thread busy and a new one not started yet, or none could be started: the
 * look every second tries again) waits in the listener's backlog, as it
 * would for an accept thread. At most max_parked threads
 * wait on a listener; beyond that a thread that has served its client
 * ends, and one that has waited park_ms for a client ends when another
 * waits there too.
 *
 * Threads: workers_start, workers_stop_accepting and workers_finish are
 * called by the server's owner (server.c); everything else happens on the
 * client threads, which share only the Interlocked counts below. */
#ifndef MTS_WORKERS_H
#define MTS_WORKERS_H

#include <stddef.h>
#include <winsock2.h>
#include <windows.h>

#include "acceptex.h"
#include "logsink.h"

/* Serves the accepted socket s (the job's from here: it closes it) on the
 * calling thread, from listener `which`; peer is its address; io_event: a
 * manual-reset event of the thread's own for the connection's overlapped
 * I/O (one connection at a time per thread, so one event serves them all,
 * where making one per connection was two wineserver requests under Wine).
 * It outlives the job: the job must leave no operation pending on it, and
 * must not close it. */
typedef void (*workers_serve)(void *arg, int which, SOCKET s, const struct sockaddr *peer,
                              HANDLE io_event);

struct workers_port {
    SOCKET listener; /* INVALID_SOCKET: no such port */
    struct acceptex_fns fns;
    volatile LONG waiting; /* threads with an accept in flight here */
};

struct workers {
    struct workers_port port[2];
    workers_serve serve;
    void *serve_arg;
    struct logsink *log;           /* an accept failure, and its end */
    HANDLE drain;                  /* manual reset: accepting ends when it is set */
    const volatile LONG *draining; /* the owner's: set (Interlocked) before drain */
    unsigned max_parked;           /* threads waiting on one listener at most */
    DWORD park_ms;                 /* a waiting thread ends after this long, if not the last */
    unsigned stack;                /* reserve for each thread's stack */
    volatile LONG threads;         /* client threads alive */
    volatile LONG accepting;       /* threads with an accept in flight, or about to start one */
    volatile LONG failing;         /* an accept failure is being waited out (said once) */
    volatile LONG starts_failing;  /* a thread could not be started (said once) */
    /* Tests only (mtserver-faults.exe): MTS_FAULT_ACCEPT_ERROR makes every
     * accept fail with this Winsock error, MTS_FAULT_THREAD_START_ERROR
     * the thread starts after the first on each listener with this Win32
     * error (all of them, or the next MTS_FAULT_THREAD_START_FAILURES);
     * 0 in every real run. (MTS_FAULT_PARK_MS sets park_ms.) */
    int fault;
    DWORD thread_fault;
    volatile LONG thread_faults_left; /* < 0: no end */
};

/* Never fails; nothing to undo. */
void workers_init(struct workers *w, unsigned stack, unsigned max_parked, DWORD park_ms);

/* Starts one thread on each open listener (listeners[i] != INVALID_SOCKET)
 * calling serve(serve_arg, ...) for each client; accepting ends with the
 * owner's *draining, set before the drain event. Returns 0, or -1 with err
 * filled (some threads may run: stop them as after a start). */
int workers_start(struct workers *w, const SOCKET listeners[2], workers_serve serve,
                  void *serve_arg, HANDLE drain, const volatile LONG *draining, struct logsink *log,
                  char *err, size_t errcap);

/* The server's look every second: on a listener where no thread waits
 * (every one busy, and the one that should have come could not be
 * started), starts one. */
void workers_look(struct workers *w);

/* Threads waiting for a client now (the stats line's `parked`), read
 * without a lock, as a snapshot. */
unsigned workers_parked(const struct workers *w);

/* After the owner's draining flag and the drain event are set: waits up to
 * wait_ms until no thread has an accept in flight, so that the listeners
 * may be closed; 0 when none has. */
long workers_stop_accepting(struct workers *w, DWORD wait_ms);

/* After the stop: waits up to wait_ms for every client thread to end.
 * Returns the number still alive (then nothing may be freed). */
long workers_finish(struct workers *w, DWORD wait_ms);

#endif
