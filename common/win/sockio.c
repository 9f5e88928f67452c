/* sockio.c - overlapped socket I/O with timeouts and a stop event (see sockio.h).
 *
 * No ResetEvent before an operation: starting one resets the OVERLAPPED's
 * event (Windows' I/O manager does so for every overlapped call; Wine's
 * wineserver does in create_async), and under Wine each ResetEvent is a
 * wineserver round trip (bench/RESULTS.md, issue 24). */
#include "sockio.h"

#include "winerr.h"

/* Cancelling, and how long a cancelled operation may take to end before the
 * socket is closed under it. Under Wine 8, CancelIoEx sometimes finds
 * nothing to cancel (ERROR_NOT_FOUND) while the OVERLAPPED still says
 * pending: the operation was running just then, and afterwards it waits on
 * for a client that no longer reads (one stop in six, with such a client,
 * held the whole server's stop). Asking again once it waits ends it. */
#define CANCEL_RETRY_MS 20
#define CANCEL_WAIT_MS 2000

int sockio_cancel(HANDLE handle, OVERLAPPED *ov, DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    DWORD r;

    do {
        CancelIoEx(handle, ov);
        r = WaitForSingleObject(ov->hEvent, CANCEL_RETRY_MS);
    } while (r == WAIT_TIMEOUT && (wait_ms == INFINITE || GetTickCount64() < until));
    /* Done between the last wait and the deadline's look: ended too. */
    return r == WAIT_OBJECT_0 || WaitForSingleObject(ov->hEvent, 0) == WAIT_OBJECT_0;
}

int sockio_init(struct sockio *io, SOCKET sock, HANDLE stop, HANDLE event)
{
    ZeroMemory(io, sizeof *io);
    io->sock = sock;
    io->stop = stop;
    io->own_event = event == NULL;
    io->ov.hEvent = event != NULL ? event : CreateEventW(NULL, TRUE, FALSE, NULL);
    return io->ov.hEvent ? 0 : -1;
}

void sockio_close(struct sockio *io)
{
    if (io->sock != INVALID_SOCKET)
        closesocket(io->sock);
    io->sock = INVALID_SOCKET;
    if (io->ov.hEvent && io->own_event)
        CloseHandle(io->ov.hEvent);
    io->ov.hEvent = NULL;
}

/* What else than the stop event ends a wait (finish's `watch`). */
#define WATCH_DRAIN 1u /* a receive: the drain ends it */
#define WATCH_ENDED 2u /* a receive, or a file's data: the account's end ends it */

/* Waits for the pending operation on io->ov. Returns the bytes it moved, or
 * a sockio_result; a timed-out or stopped operation is cancelled first. The
 * drain and the ended event end it too where watch says so. */
static int finish(struct sockio *io, unsigned timeout_ms, unsigned watch)
{
    HANDLE waits[4];
    DWORD bytes = 0, flags = 0, w, n = 1;
    int outcome = 0;

    waits[0] = io->ov.hEvent;
    if (io->stop != NULL)
        waits[n++] = io->stop;
    if ((watch & WATCH_DRAIN) && io->drain != NULL)
        waits[n++] = io->drain;
    if ((watch & WATCH_ENDED) && io->ended != NULL)
        waits[n++] = io->ended;
    w = WaitForMultipleObjects(n, waits, FALSE, timeout_ms);

    if (w > WAIT_OBJECT_0 && w < WAIT_OBJECT_0 + n)
        outcome = SOCKIO_STOPPED;
    else if (w != WAIT_OBJECT_0)
        outcome = SOCKIO_TIMEOUT;
    if (outcome != 0) {
        if (!sockio_cancel((HANDLE)io->sock, &io->ov, CANCEL_WAIT_MS)) {
            closesocket(io->sock);
            io->sock = INVALID_SOCKET;
            /* The OVERLAPPED belongs to the system until the operation ends. */
            WaitForSingleObject(io->ov.hEvent, INFINITE);
            return outcome;
        }
    }
    /* Wait even after cancelling: the buffers belong to the kernel until then. */
    if (!WSAGetOverlappedResult(io->sock, &io->ov, &bytes, TRUE, &flags)) {
        io->last_error = (unsigned long)WSAGetLastError();
        return outcome != 0 ? outcome : SOCKIO_ERROR;
    }
    return (int)bytes;
}

/* An operation that completed at once (the call returned success): its
 * count, taken without waiting on the event. Under Wine a wait is a
 * wineserver round trip, one per operation (bench/RESULTS.md). */
static int done_at_once(struct sockio *io)
{
    DWORD bytes = 0, flags = 0;

    if (!WSAGetOverlappedResult(io->sock, &io->ov, &bytes, FALSE, &flags)) {
        io->last_error = (unsigned long)WSAGetLastError();
        return SOCKIO_ERROR;
    }
    return (int)bytes;
}

static int started(struct sockio *io, int rc)
{
    int err;

    if (rc == 0)
        return 1;
    err = WSAGetLastError();
    if (winerr_kind((unsigned long)err) == WINERR_PENDING)
        return 1;
    io->last_error = (unsigned long)err;
    return 0;
}

int sockio_recv(struct sockio *io, char *buf, int len, unsigned timeout_ms)
{
    WSABUF wb;
    DWORD flags = 0;
    int rc;

    wb.len = (ULONG)len;
    wb.buf = buf;
    rc = WSARecv(io->sock, &wb, 1, NULL, &flags, &io->ov, NULL);
    if (rc == 0)
        return done_at_once(io); /* the bytes were there */
    if (!started(io, rc))
        return SOCKIO_ERROR;
    return finish(io, timeout_ms, WATCH_DRAIN | WATCH_ENDED);
}

static int send_all(struct sockio *io, const char *buf, size_t len, unsigned timeout_ms,
                    unsigned watch)
{
    while (len > 0) {
        ULONG part = len > 0x10000000u ? 0x10000000u : (ULONG)len;
        WSABUF wb;
        int n, rc;

        wb.len = part;
        wb.buf = (char *)buf;
        rc = WSASend(io->sock, &wb, 1, NULL, 0, &io->ov, NULL);
        if (rc == 0)
            n = done_at_once(io); /* the socket's buffer took it: the usual case for a line */
        else if (!started(io, rc))
            return SOCKIO_ERROR;
        else
            n = finish(io, timeout_ms, watch);
        if (n <= 0)
            return n == 0 ? SOCKIO_ERROR : n;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A line goes out whatever the account's state: the goodbye to a session
 * whose account ended is one. */
int sockio_send_all(struct sockio *io, const char *buf, size_t len, unsigned timeout_ms)
{
    return send_all(io, buf, len, timeout_ms, 0);
}

int sockio_send_file_data(struct sockio *io, const char *buf, size_t len, unsigned timeout_ms)
{
    return send_all(io, buf, len, timeout_ms, WATCH_ENDED);
}

int sockio_transmit(struct sockio *io, LPFN_TRANSMITFILE transmit_file, HANDLE file,
                    uint64_t offset, DWORD len, DWORD bytes_per_send, unsigned timeout_ms)
{
    LARGE_INTEGER pos;
    int n;

    /* TransmitFile takes the offset from the OVERLAPPED; a handle opened for
     * synchronous I/O reads from its file pointer, so set both. */
    pos.QuadPart = (LONGLONG)offset;
    if (!SetFilePointerEx(file, pos, NULL, FILE_BEGIN)) {
        io->last_error = GetLastError();
        return SOCKIO_ERROR;
    }
    io->ov.Offset = (DWORD)offset;
    io->ov.OffsetHigh = (DWORD)(offset >> 32);
    if (transmit_file(io->sock, file, len, bytes_per_send, &io->ov, NULL, 0)) {
        n = done_at_once(io);
    } else if (!started(io, SOCKET_ERROR)) {
        io->ov.Offset = io->ov.OffsetHigh = 0;
        return SOCKIO_ERROR;
    } else {
        /* A removed or disabled account's download ends here, mid-call,
         * not when a slow reader has taken the whole piece (sockio.h). */
        n = finish(io, timeout_ms, WATCH_ENDED);
    }
    io->ov.Offset = io->ov.OffsetHigh = 0;
    if (n < 0)
        return n;
    if ((DWORD)n != len) {
        io->last_error = ERROR_HANDLE_EOF; /* the file shrank under us */
        return SOCKIO_ERROR;
    }
    return 0;
}

void sockio_close_gracefully(struct sockio *io, unsigned linger_ms)
{
    char sink[512];
    ULONGLONG until = GetTickCount64() + linger_ms;

    /* The linger reads what the peer still sends: a drain must not cut it. */
    io->drain = NULL;
    io->ended = NULL;
    if (io->sock != INVALID_SOCKET && shutdown(io->sock, SD_SEND) == 0) {
        for (;;) {
            ULONGLONG now = GetTickCount64();
            if (now >= until || sockio_recv(io, sink, sizeof sink, (unsigned)(until - now)) <= 0)
                break;
        }
    }
    sockio_close(io);
}

void sockio_close_after_last_word(struct sockio *io, unsigned linger_ms)
{
    u_long waiting = 1;

    /* A failed query counts as bytes waiting: the linger is the safe side.
     * FIONREAD waits for nothing (under Wine it costs one wineserver
     * request: ntdll sets ws2_32's per-thread event, not io->ov's, as the
     * call completes). */
    if (io->sock != INVALID_SOCKET && ioctlsocket(io->sock, FIONREAD, &waiting) == 0 &&
        waiting == 0)
        sockio_close(io);
    else
        sockio_close_gracefully(io, linger_ms);
}

LPFN_TRANSMITFILE sockio_find_transmitfile(SOCKET sock)
{
    GUID guid = WSAID_TRANSMITFILE;
    LPFN_TRANSMITFILE fn = NULL;
    DWORD bytes = 0;

    if (WSAIoctl(sock, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, &fn, sizeof fn,
                 &bytes, NULL, NULL) != 0)
        return NULL;
    return fn;
}
