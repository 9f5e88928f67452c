/* sockio.h - socket I/O that can time out and be told to stop.
 *
 * Every operation is overlapped and then waited for together with a stop
 * event, so that a silent peer, a peer that stops reading, or a shutdown of
 * the whole server never leaves a thread blocked forever: on timeout or stop
 * the operation is cancelled (CancelIoEx) and its completion awaited before
 * the buffers are given back. One sockio belongs to one thread. */
#ifndef MTS_SOCKIO_H
#define MTS_SOCKIO_H

#include <stddef.h>
#include <stdint.h>
#include <winsock2.h>
#include <mswsock.h>

#define SOCKIO_INFINITE 0xFFFFFFFFu

enum sockio_result {
    SOCKIO_CLOSED = 0,   /* recv: the peer closed its side */
    SOCKIO_ERROR = -1,   /* see last_error */
    SOCKIO_TIMEOUT = -2, /* nothing happened within the time given */
    SOCKIO_STOPPED = -3, /* the stop event was set */
};

struct sockio {
    SOCKET sock;
    HANDLE stop; /* manual-reset event shared by the server; may be NULL */
    /* Manual-reset event that ends a wait to receive only (sends go on), so
     * that a stopping server can close sessions waiting for a command while
     * transfers finish; NULL (sockio_init's choice) when there is none. */
    HANDLE drain;
    /* Manual-reset event of the connection's own that ends a wait to
     * receive as drain does, and a wait to send a file's data too (a
     * download in flight is cut, cancelled with CancelIoEx): its account
     * was removed, disabled or changed (server/acctlive.h). NULL when there
     * is none. */
    HANDLE ended;
    OVERLAPPED ov;
    int own_event; /* ov.hEvent was made here, and goes with the socket */
    unsigned long last_error;
};

/* Takes ownership of sock. event: a manual-reset event for the operations,
 * lent by the caller (no operation is left pending on it when the socket
 * is closed, so it may serve the next one), or NULL to make one of its
 * own. Returns 0, or -1 when no event could be made. */
int sockio_init(struct sockio *io, SOCKET sock, HANDLE stop, HANDLE event);
/* Closes the socket (abruptly), and the event if it was made here. */
void sockio_close(struct sockio *io);

/* Sends FIN, reads and drops what the peer still sends for up to linger_ms so
 * that our last line is not destroyed by a reset, then closes. */
void sockio_close_gracefully(struct sockio *io, unsigned linger_ms);

/* For a peer that has said its last word (the protocol's QUIT): closes at
 * once, so that no thread waits a round trip for its FIN, unless bytes of
 * its still wait to be read. Then it went on sending after its last word,
 * and closing over unread bytes would reset the connection and could
 * destroy what is still on its way to it: as sockio_close_gracefully. */
void sockio_close_after_last_word(struct sockio *io, unsigned linger_ms);

/* Bytes received (> 0) or a sockio_result; SOCKIO_STOPPED also when the
 * drain or the ended event is set. */
int sockio_recv(struct sockio *io, char *buf, int len, unsigned timeout_ms);
/* 0 when all of buf went out, else a sockio_result. */
int sockio_send_all(struct sockio *io, const char *buf, size_t len, unsigned timeout_ms);
/* As sockio_send_all, for a file's data (TLS records): the ended event
 * ends the wait too (SOCKIO_STOPPED). */
int sockio_send_file_data(struct sockio *io, const char *buf, size_t len, unsigned timeout_ms);
/* Sends len bytes of file from offset with TransmitFile (len fits one call:
 * at most 2,147,483,646). 0 when all went out, else a sockio_result;
 * SOCKIO_STOPPED also when the ended event is set meanwhile. */
int sockio_transmit(struct sockio *io, LPFN_TRANSMITFILE transmit_file, HANDLE file,
                    uint64_t offset, DWORD len, DWORD bytes_per_send, unsigned timeout_ms);

/* Asks the overlapped operation on ov (started on handle, with ov->hEvent
 * manual-reset) to end, and waits up to wait_ms (INFINITE: for as long as
 * it takes) until it has; 1 when it has ended (cancelled, or done first),
 * 0 when it still runs: then ov and its buffers are still the system's.
 * Under Wine 8 CancelIoEx sometimes finds nothing to cancel while the
 * operation still waits (it was being started just then), so the cancel
 * is asked again every 20 ms. */
int sockio_cancel(HANDLE handle, OVERLAPPED *ov, DWORD wait_ms);

/* Looks up TransmitFile for this kind of socket; NULL on failure. */
LPFN_TRANSMITFILE sockio_find_transmitfile(SOCKET sock);

#endif
