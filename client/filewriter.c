/* filewriter.c - a writer thread behind a ring of buffers (see filewriter.h).
 *
 * Two semaphores count the buffers: `empty` those the caller may fill,
 * `full` those queued for the writer. The caller owns ring[head], the writer
 * ring[tail]; a length of FW_STOP tells the writer to end. After a failed
 * write the writer keeps taking buffers (without writing them) so that the
 * caller never waits forever; `error` is set once by the writer and read by
 * the caller (a LONG read/written with Interlocked calls). */
#include "filewriter.h"

#include <process.h>
#include <stdlib.h>

#define FW_STOP ((size_t)-1)

struct filewriter {
    HANDLE file;
    HANDLE thread;
    HANDLE empty, full; /* semaphores */
    volatile LONG error;
    unsigned nbufs, head, tail;
    size_t buf_size;
    uint64_t flush_every, unflushed;
    char **ring;
    size_t *len;
};

static unsigned __stdcall writer_main(void *arg)
{
    struct filewriter *w = arg;

    for (;;) {
        size_t n;
        const char *p;

        WaitForSingleObject(w->full, INFINITE);
        n = w->len[w->tail];
        p = w->ring[w->tail];
        if (n == FW_STOP)
            break;
        while (n > 0 && InterlockedCompareExchange(&w->error, 0, 0) == 0) {
            DWORD part = n > 0x40000000u ? 0x40000000u : (DWORD)n, written = 0;
            if (!WriteFile(w->file, p, part, &written, NULL) || written == 0) {
                DWORD code = GetLastError();
                InterlockedExchange(&w->error, code != 0 ? (LONG)code : (LONG)ERROR_WRITE_FAULT);
                break;
            }
            p += written;
            n -= written;
            w->unflushed += written;
        }
        if (w->flush_every != 0 && w->unflushed >= w->flush_every &&
            InterlockedCompareExchange(&w->error, 0, 0) == 0) {
            w->unflushed = 0;
            if (!FlushFileBuffers(w->file))
                InterlockedExchange(&w->error, (LONG)GetLastError());
        }
        w->tail = (w->tail + 1) % w->nbufs;
        ReleaseSemaphore(w->empty, 1, NULL);
    }
    return 0;
}

static void free_writer(struct filewriter *w)
{
    if (w->ring != NULL)
        for (unsigned i = 0; i < w->nbufs; i++)
            free(w->ring[i]);
    free(w->ring);
    free(w->len);
    if (w->empty != NULL)
        CloseHandle(w->empty);
    if (w->full != NULL)
        CloseHandle(w->full);
    free(w);
}

struct filewriter *filewriter_start(HANDLE file, size_t buf_size, unsigned nbufs,
                                    uint64_t flush_every)
{
    struct filewriter *w = calloc(1, sizeof *w);
    int ok;

    if (w == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    w->file = file;
    w->nbufs = nbufs;
    w->buf_size = buf_size;
    w->flush_every = flush_every;
    w->ring = calloc(nbufs, sizeof *w->ring);
    w->len = calloc(nbufs, sizeof *w->len);
    ok = w->ring != NULL && w->len != NULL;
    for (unsigned i = 0; ok && i < nbufs; i++)
        ok = (w->ring[i] = malloc(buf_size)) != NULL;
    if (!ok) {
        free_writer(w);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    w->empty = CreateSemaphoreW(NULL, (LONG)nbufs, (LONG)nbufs, NULL);
    w->full = CreateSemaphoreW(NULL, 0, (LONG)nbufs, NULL);
    if (w->empty != NULL && w->full != NULL)
        w->thread = (HANDLE)_beginthreadex(NULL, 64u << 10, writer_main, w, 0, NULL);
    if (w->thread == NULL) {
        DWORD code = GetLastError();
        free_writer(w);
        SetLastError(code);
        return NULL;
    }
    return w;
}

char *filewriter_get(struct filewriter *w, size_t *cap)
{
    WaitForSingleObject(w->empty, INFINITE);
    if (InterlockedCompareExchange(&w->error, 0, 0) != 0) {
        ReleaseSemaphore(w->empty, 1, NULL); /* not taken after all */
        return NULL;
    }
    *cap = w->buf_size;
    return w->ring[w->head];
}

void filewriter_put(struct filewriter *w, size_t n)
{
    w->len[w->head] = n;
    w->head = (w->head + 1) % w->nbufs;
    ReleaseSemaphore(w->full, 1, NULL);
}

unsigned long filewriter_finish(struct filewriter *w)
{
    unsigned long code;

    /* The stop mark takes a slot like any buffer, so it comes after them all. */
    WaitForSingleObject(w->empty, INFINITE);
    filewriter_put(w, FW_STOP);
    WaitForSingleObject(w->thread, INFINITE);
    CloseHandle(w->thread);
    code = (unsigned long)w->error;
    free_writer(w);
    return code;
}
