/* filewriter.h - writes a file on a second thread while the caller receives
 * the next bytes into another buffer.
 *
 * Under Wine a WriteFile of a regular file and a WSARecv both run on the
 * calling thread (an "overlapped" WriteFile completes before it returns), so
 * the only way to have the socket copy and the page-cache copy happen at the
 * same time is a second thread. The caller takes an empty buffer, fills it,
 * hands it back with its length; the writer thread writes the buffers in the
 * order they were handed back, so the file always holds a prefix of what was
 * received (which is what -c relies on).
 *
 * Threads: filewriter_get/put/finish are called by one thread (the client's
 * main thread); the writer thread only calls WriteFile on the file. The file
 * handle must not be used by anyone else until filewriter_finish returns. */
#ifndef MTS_FILEWRITER_H
#define MTS_FILEWRITER_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

struct filewriter;

/* Starts a writer thread for `file` with nbufs buffers of buf_size bytes.
 * Returns NULL (GetLastError() says why) when memory or the thread cannot be
 * had. */
struct filewriter *filewriter_start(HANDLE file, size_t buf_size, unsigned nbufs,
                                    uint64_t flush_every);

/* Waits for an empty buffer and returns it (*cap bytes), or returns NULL
 * when an earlier write failed: stop receiving and call filewriter_finish. */
char *filewriter_get(struct filewriter *w, size_t *cap);

/* Queues the first n bytes of the buffer from the last filewriter_get. */
void filewriter_put(struct filewriter *w, size_t n);

/* Waits until every queued buffer is written, ends the thread and frees w.
 * Returns 0, or the Win32 error of the first write that failed (the buffers
 * after it are not written, so the file still holds a prefix). */
unsigned long filewriter_finish(struct filewriter *w);

#endif
