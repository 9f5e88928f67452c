/* lookthread.h - a thread that looks at something now and then.
 *
 * It calls look(arg, asked) first after first_ms, then every interval_ms,
 * and at once when poked (asked 1: a person or a PARAMCHANGE asked, so the
 * look answers even when nothing changed), until `stop` is set. The
 * certificate watch (tlswatch.c, hourly) and the account watch
 * (acctwatch.c, every 2 s) are two. Started and stopped by one thread; any
 * thread may poke. */
#ifndef MTS_LOOKTHREAD_H
#define MTS_LOOKTHREAD_H

#include <windows.h>

struct lookthread {
    void (*look)(void *arg, int asked);
    void *arg;
    DWORD first_ms, interval_ms;
    HANDLE stop;   /* not owned: manual reset, set once */
    HANDLE poke;   /* auto reset: look now */
    HANDLE thread; /* NULL: not running */
};

/* Returns 0, or -1 with the last error set (nothing left running). */
int lookthread_start(struct lookthread *t, void (*look)(void *arg, int asked), void *arg,
                     DWORD first_ms, DWORD interval_ms, HANDLE stop);

/* Asks for a look now; does nothing when the thread is not running. */
void lookthread_poke(struct lookthread *t);

/* After `stop` is set: waits for the thread and frees what it used. */
void lookthread_stop(struct lookthread *t);

#endif
