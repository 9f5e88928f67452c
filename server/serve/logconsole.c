/* logconsole.c - the access log's stdout writer (see logconsole.h). */
#include "logconsole.h"

#include <process.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSOLE_QUEUE_BYTES (256u << 10)
#define CONSOLE_CHUNK (16u << 10)
#define CONSOLE_STOP_WAIT_MS 2000
/* How long the writer, woken by a line, lets more come before it writes:
 * the lines of the sessions meanwhile go out in the same write and cost no
 * wake-up of their own. Looking every millisecond instead cost 0.25 ms of
 * a TLS session's 2.1 ms of CPU at a few hundred sessions a second (issue
 * 24, bench/RESULTS.md). A line that wakes the writer goes out this much
 * later (on Windows, at least a timer tick). */
#define CONSOLE_GATHER_MS 10

/* The stdout queue: a ring of bytes. Client threads and the look thread
 * put lines in under `lock` (never waiting for stdout); the writer thread
 * takes them out under `lock` and writes them with no lock held.
 *
 * The writer sleeps on a condition variable, not an event: under Wine an
 * event's SetEvent and the wait it ends are two wineserver round trips (two
 * of the 35 of a TLS session that wakes the writer), where a condition
 * variable wakes its sleeper through a futex, without the wineserver
 * (bench/RESULTS.md, issue 24). */
struct logconsole {
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE wake; /* bytes came, or stop */
    HANDLE out;
    HANDLE thread;
    char ring[CONSOLE_QUEUE_BYTES];
    char chunk[CONSOLE_CHUNK]; /* the writer's copy of what it writes */
    size_t head, used;         /* the queued bytes: ring[head..], wrapping round */
    uint64_t dropped;          /* lines that did not fit, not yet reported */
    int writing;               /* the writer holds bytes it has not written yet */
    int stop;
};

static int console_idle(struct logconsole *c)
{
    return c->used == 0 && c->dropped == 0 && !c->stop;
}

/* The writer found the queue empty: it sleeps until a line or the stop
 * wakes it, then gathers for CONSOLE_GATHER_MS unless it is stopping. */
static void console_rest(struct logconsole *c)
{
    int slept = 0, stop;

    EnterCriticalSection(&c->lock);
    while (console_idle(c)) {
        SleepConditionVariableCS(&c->wake, &c->lock, INFINITE);
        slept = 1;
    }
    stop = c->stop;
    LeaveCriticalSection(&c->lock);
    if (slept && !stop)
        Sleep(CONSOLE_GATHER_MS);
}

static unsigned __stdcall console_main(void *arg)
{
    struct logconsole *c = arg;
    char *chunk = c->chunk;

    for (;;) {
        size_t take = 0;
        uint64_t dropped;
        int stop;

        EnterCriticalSection(&c->lock);
        take = c->used < CONSOLE_QUEUE_BYTES - c->head ? c->used : CONSOLE_QUEUE_BYTES - c->head;
        if (take > CONSOLE_CHUNK)
            take = CONSOLE_CHUNK;
        memcpy(chunk, c->ring + c->head, take);
        c->head = (c->head + take) % CONSOLE_QUEUE_BYTES;
        c->used -= take;
        dropped = c->dropped;
        c->dropped = 0;
        c->writing = take > 0 || dropped > 0;
        stop = c->stop;
        LeaveCriticalSection(&c->lock);
        if (take > 0)
            logconsole_write_all(c->out, chunk, take);
        if (dropped > 0) {
            char note[128];
            int n = snprintf(note, sizeof note,
                             "%llu console line(s) dropped: stdout did not keep up\r\n",
                             (unsigned long long)dropped);
            if (n > 0 && (size_t)n < sizeof note)
                logconsole_write_all(c->out, note, (size_t)n);
        }
        if (take == 0 && dropped == 0) {
            if (stop)
                return 0;
            console_rest(c);
        }
    }
}

void logconsole_put(struct logconsole *c, const char *line, size_t len)
{
    EnterCriticalSection(&c->lock);
    if (CONSOLE_QUEUE_BYTES - c->used < len) {
        c->dropped++;
    } else {
        size_t at = (c->head + c->used) % CONSOLE_QUEUE_BYTES;
        size_t first = CONSOLE_QUEUE_BYTES - at < len ? CONSOLE_QUEUE_BYTES - at : len;
        memcpy(c->ring + at, line, first);
        memcpy(c->ring, line + first, len - first);
        c->used += len;
    }
    LeaveCriticalSection(&c->lock);
    /* Costs nothing when the writer is not asleep (busy, or gathering). */
    WakeConditionVariable(&c->wake);
}

struct logconsole *logconsole_start(HANDLE out)
{
    struct logconsole *c = calloc(1, sizeof *c);

    if (c == NULL)
        return NULL;
    InitializeCriticalSection(&c->lock);
    InitializeConditionVariable(&c->wake);
    c->out = out;
    c->thread = (HANDLE)_beginthreadex(NULL, 64u << 10, console_main, c,
                                       STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (c->thread == NULL) {
        DeleteCriticalSection(&c->lock);
        free(c);
        return NULL;
    }
    return c;
}

int logconsole_drain(struct logconsole *c, DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;

    for (;;) {
        int idle;
        EnterCriticalSection(&c->lock);
        idle = c->used == 0 && c->dropped == 0 && !c->writing;
        LeaveCriticalSection(&c->lock);
        if (idle)
            return 0;
        if (GetTickCount64() >= until)
            return -1;
        Sleep(10);
    }
}

/* Writes out what is queued (for up to CONSOLE_STOP_WAIT_MS) and ends the
 * writer. A writer stuck in WriteFile on a stdout nobody reads is
 * cancelled; if even that fails, it and its queue are left to the process
 * exit rather than freed under it. */
void logconsole_stop(struct logconsole *c)
{
    EnterCriticalSection(&c->lock);
    c->stop = 1;
    LeaveCriticalSection(&c->lock);
    WakeConditionVariable(&c->wake);
    if (WaitForSingleObject(c->thread, CONSOLE_STOP_WAIT_MS) != WAIT_OBJECT_0) {
        CancelSynchronousIo(c->thread);
        if (WaitForSingleObject(c->thread, CONSOLE_STOP_WAIT_MS) != WAIT_OBJECT_0)
            return;
    }
    CloseHandle(c->thread);
    DeleteCriticalSection(&c->lock);
    free(c);
}

void logconsole_write_all(HANDLE h, const char *text, size_t len)
{
    DWORD done;

    while (len > 0 && WriteFile(h, text, (DWORD)len, &done, NULL) && done > 0) {
        text += done;
        len -= done;
    }
}
