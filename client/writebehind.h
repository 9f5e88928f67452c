/* writebehind.h - has the disk write a download while it still arrives,
 * where the system does not.
 *
 * mtsclient makes a file durable (FlushFileBuffers) before it gives it its
 * final name. Windows' cache manager writes a file's data behind the writer
 * on its own, so that flush finds part of the work done. Under Wine the
 * pages are Linux's, which starts nothing until 30 s have passed or a tenth
 * of memory waits: a 1 GiB download spent about half a second after its
 * last byte waiting for the disk (issue 24, docs/WINE.md). There a helper
 * thread asks for a flush after every WRITEBEHIND_EVERY bytes written,
 * while the receiving goes on; the final flush then has the last few MiB
 * left. On Windows the helper is not started: a flush through the same
 * handle would hold the writer's next write up until it ended (one I/O at
 * a time through a file object opened for synchronous I/O), and a second
 * handle would need the file shared for writing.
 *
 * Used by one thread (the one writing the file); the helper only flushes,
 * and is started at the first WRITEBEHIND_EVERY bytes, so a small file
 * never has one. A flush that fails in the background is not lost: its
 * error is what writebehind_end returns (a failed fsync reports an error
 * once, so the final flush could succeed after it). */
#ifndef MTS_WRITEBEHIND_H
#define MTS_WRITEBEHIND_H

#include <stdint.h>
#include <windows.h>

#define WRITEBEHIND_EVERY (32u << 20)

struct writebehind {
    HANDLE file;
    BOOL(WINAPI *flush)(HANDLE); /* FlushFileBuffers; a unit test's fake */
    uint64_t since;              /* bytes written since the last request */
    HANDLE wake;                 /* auto-reset: a flush is wanted */
    HANDLE thread;               /* NULL until the first request */
    volatile LONG ending;
    volatile LONG error; /* the first failed flush's GetLastError, 0 if none */
    int off;             /* not wanted, or no helper could be started: the final flush does all */
};

/* on: whether to flush behind at all (download.c: under Wine only). */
void writebehind_begin(struct writebehind *wb, HANDLE file, int on);

/* Counts n bytes just written to the file; at each WRITEBEHIND_EVERY asks
 * the helper for a flush (at most one waits behind the one running). */
void writebehind_wrote(struct writebehind *wb, size_t n);

/* Ends the helper after the flush it is doing, if any; the file may then be
 * flushed, closed or deleted. 0, or the error of a flush that failed. */
DWORD writebehind_end(struct writebehind *wb);

#endif
