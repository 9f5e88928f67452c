/* transport.h - the byte stream a connection talks over.
 *
 * The connection (serve/connection.c) reads and writes only through this
 * interface, so the session cannot tell a plain socket from an encrypted
 * stream, and opens its transport by kind (transport_open.h), so that it
 * names neither. transport_plain.c is the plain TCP kind, over sockio and
 * transfer; transport_tls.c the TLS kind (Schannel), a second
 * implementation of the same operations, which holds its own reference to
 * the credential it was opened with.
 *
 * Every wait in every operation also ends when the server's stop event is
 * set (TRANSPORT_STOPPED); a wait to receive ends too when its drain event
 * is set (a stop has begun: sessions waiting for a command go, transfers in
 * flight go on until the stop event). A transport belongs to one thread, the client
 * thread that serves it; shut_down or cancel ends it and frees its context. */
#ifndef MTS_TRANSPORT_H
#define MTS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <windows.h>

enum transport_result {
    TRANSPORT_CLOSED = 0,   /* receive: the peer closed its side */
    TRANSPORT_ERROR = -1,   /* the stream failed */
    TRANSPORT_TIMEOUT = -2, /* nothing happened within the time given */
    TRANSPORT_STOPPED = -3, /* the stop event was set */
    /* start only (TLS): refusals the connection logs as such. */
    TRANSPORT_BUSY = -4,         /* the handshake found no slot until its deadline */
    TRANSPORT_NOT_TLS = -5,      /* the first bytes were not TLS; nothing was sent */
    TRANSPORT_NOT_TLS_TOLD = -6, /* not TLS, and a line said so in clear: close
                                  * gracefully, so that it arrives */
};

struct transport_ops {
    /* Makes the stream ready before the first byte of the protocol (TLS:
     * the handshake, bounded by its own timeout). 0, with a short text for
     * the log in info ("" for plain, "TLSv1.2/TLS_..."), or a
     * transport_result with the reason in info. */
    int (*start)(void *ctx, char *info, size_t cap);
    /* Bytes received (> 0) into buf[0..cap), or a transport_result
     * (TRANSPORT_STOPPED on the stop or the drain event). */
    int (*receive)(void *ctx, char *buf, size_t cap, unsigned timeout_ms);
    /* 0 when all of buf went out, else a transport_result. */
    int (*send_all)(void *ctx, const char *buf, size_t len, unsigned timeout_ms);
    /* Sends len bytes of file from offset; timeout_ms bounds each wait for
     * progress. 0 when all went out, else a transport_result; *sent tells
     * how far it got. */
    int (*send_file)(void *ctx, HANDLE file, uint64_t offset, uint64_t len, unsigned timeout_ms,
                     uint64_t *sent);
    /* Ends the stream in order: our side closed, what the peer still sends
     * read and dropped for up to linger_ms (so our last line is not lost to
     * a reset), then closed. last_word: the peer has said it is done (QUIT,
     * with nothing after it), so the linger is skipped unless bytes of its
     * are still unread, here or in the socket (sockio.h,
     * sockio_close_after_last_word). Frees ctx. */
    void (*shut_down)(void *ctx, unsigned linger_ms, int last_word);
    /* Ends the stream at once, whatever is in flight. Frees ctx. */
    void (*cancel)(void *ctx);
    /* Why the last operation returned TRANSPORT_ERROR, for the log
     * ("renegotiation-refused"); "" when there is nothing to add to it. */
    const char *(*failure)(void *ctx);
    /* From now on a wait to receive ends (TRANSPORT_STOPPED) also when
     * `ended` is set, as on the drain event: the session's account was
     * removed or disabled. NULL: no longer. */
    void (*watch)(void *ctx, HANDLE ended);
};

struct transport {
    const struct transport_ops *ops;
    void *ctx;
};

static inline int transport_start(struct transport *t, char *info, size_t cap)
{
    return t->ops->start(t->ctx, info, cap);
}

static inline int transport_receive(struct transport *t, char *buf, size_t cap,
                                    unsigned timeout_ms)
{
    return t->ops->receive(t->ctx, buf, cap, timeout_ms);
}

static inline void transport_watch(struct transport *t, HANDLE ended)
{
    t->ops->watch(t->ctx, ended);
}

static inline int transport_send_all(struct transport *t, const char *buf, size_t len,
                                     unsigned timeout_ms)
{
    return t->ops->send_all(t->ctx, buf, len, timeout_ms);
}

static inline int transport_send_file(struct transport *t, HANDLE file, uint64_t offset,
                                      uint64_t len, unsigned timeout_ms, uint64_t *sent)
{
    return t->ops->send_file(t->ctx, file, offset, len, timeout_ms, sent);
}

static inline const char *transport_failure(struct transport *t)
{
    return t->ops->failure(t->ctx);
}

static inline void transport_shut_down(struct transport *t, unsigned linger_ms, int last_word)
{
    t->ops->shut_down(t->ctx, linger_ms, last_word);
    t->ctx = NULL;
}

static inline void transport_cancel(struct transport *t)
{
    t->ops->cancel(t->ctx);
    t->ctx = NULL;
}

#endif
