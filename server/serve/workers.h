/* workers.h - client threads that are kept for the next client.
 *
 * Still one thread per client at a time: a thread serves one connection from
 * start to end, and only then, instead of exiting, parks for a while and can
 * be handed the next connection. Starting a thread costs about 0.7 ms under
 * Wine 8 (bench/RESULTS.md), more than the rest of a short session, so a
 * busy server mostly reuses threads and a quiet one lets them go.
 *
 * Threads: workers_run() is called by the accept thread only; workers take
 * and leave the parked list under `lock`. A parked worker waits on its own
 * auto-reset event and on the server's stop event. */
#ifndef MTS_WORKERS_H
#define MTS_WORKERS_H

#include <windows.h>

/* io_event: a manual-reset event of the thread's own, for the job's
 * overlapped I/O (one connection at a time per thread, so one event serves
 * them all, where making one per connection was two wineserver requests
 * under Wine, bench/RESULTS.md). It outlives the job: the job must leave no
 * operation pending on it, and must not close it. */
typedef void (*workers_job)(void *arg, HANDLE io_event);

struct worker;

struct workers {
    CRITICAL_SECTION lock;
    struct worker *parked; /* LIFO: the most recently used thread goes first */
    unsigned parked_count;
    unsigned max_parked;
    DWORD park_ms;    /* a parked thread exits after this long without work */
    unsigned stack;   /* reserve for each thread's stack */
    HANDLE stop;      /* the server's manual-reset stop event */
    volatile LONG threads; /* worker threads alive */
};

/* Never fails; workers_finish() undoes it. */
void workers_init(struct workers *w, HANDLE stop, unsigned stack, unsigned max_parked,
                  DWORD park_ms);

/* Runs job(arg, the thread's io_event) on a parked thread, or on a new
 * one. Returns 0, or -1 when no thread could be made (job was not run). */
int workers_run(struct workers *w, workers_job job, void *arg);

/* After the stop event is set: waits up to wait_ms for every worker thread
 * to end. Returns the number still alive (then nothing is freed). */
long workers_finish(struct workers *w, DWORD wait_ms);

#endif
