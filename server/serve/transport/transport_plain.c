/* transport_plain.c - the plain TCP transport (see transport_plain.h).
 *
 * One heap block per connection holds the sockio and the file-sending
 * parameters; it belongs to the client thread and goes with shut_down or
 * cancel. The results are sockio's, which transport.h's match one for one. */
#include "transport_plain.h"

#include <stdlib.h>

#include "sockio.h"
#include "transfer.h"

_Static_assert((int)TRANSPORT_CLOSED == (int)SOCKIO_CLOSED &&
                   (int)TRANSPORT_ERROR == (int)SOCKIO_ERROR &&
                   (int)TRANSPORT_TIMEOUT == (int)SOCKIO_TIMEOUT &&
                   (int)TRANSPORT_STOPPED == (int)SOCKIO_STOPPED,
               "the plain transport hands sockio's results on unchanged");

/* One read is at most INT_MAX bytes (recv's length is an int). */
#define RECEIVE_MAX 0x7fffffffu

struct plain {
    struct sockio io;
    struct transfer_params tp;
};

static int plain_start(void *ctx, char *info, size_t cap)
{
    (void)ctx;
    if (cap > 0)
        info[0] = '\0';
    return 0;
}

static int plain_receive(void *ctx, char *buf, size_t cap, unsigned timeout_ms)
{
    struct plain *p = ctx;

    return sockio_recv(&p->io, buf, (int)(cap < RECEIVE_MAX ? cap : RECEIVE_MAX), timeout_ms);
}

static int plain_send_all(void *ctx, const char *buf, size_t len, unsigned timeout_ms)
{
    struct plain *p = ctx;

    return sockio_send_all(&p->io, buf, len, timeout_ms);
}

static int plain_send_file(void *ctx, HANDLE file, uint64_t offset, uint64_t len,
                           unsigned timeout_ms, uint64_t *sent)
{
    struct plain *p = ctx;

    p->tp.timeout_ms = timeout_ms;
    return transfer_send_file(&p->io, &p->tp, file, offset, len, sent);
}

static void plain_shut_down(void *ctx, unsigned linger_ms, int last_word)
{
    struct plain *p = ctx;

    if (last_word)
        sockio_close_after_last_word(&p->io, linger_ms);
    else
        sockio_close_gracefully(&p->io, linger_ms);
    free(p);
}

static void plain_cancel(void *ctx)
{
    struct plain *p = ctx;

    sockio_close(&p->io);
    free(p);
}

/* A socket's failures are the socket's: nothing to add. */
static const char *plain_failure(void *ctx)
{
    (void)ctx;
    return "";
}

static void plain_watch(void *ctx, HANDLE ended)
{
    ((struct plain *)ctx)->io.ended = ended;
}

static const struct transport_ops plain_ops = {
    plain_start,  plain_receive, plain_send_all, plain_send_file, plain_shut_down,
    plain_cancel, plain_failure, plain_watch,
};

int transport_plain_open(struct transport *t, SOCKET sock, const struct transport_plain_params *pp,
                         HANDLE io_event)
{
    struct plain *p = malloc(sizeof *p);

    t->ops = &plain_ops;
    t->ctx = NULL;
    if (p == NULL)
        return -1;
    if (sockio_init(&p->io, sock, pp->stop, io_event) != 0) {
        free(p);
        return -1;
    }
    p->io.drain = pp->drain;
    p->tp.transmit_file = pp->transmit_file;
    p->tp.bytes_per_send = pp->bytes_per_send;
    p->tp.timeout_ms = 0;
    t->ctx = p;
    return 0;
}
