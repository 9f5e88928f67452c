/* transport_open.c - a transport by kind (see transport_open.h). */
#include "transport_open.h"

/* TransmitFile's nNumberOfBytesPerSend. Measured under Wine (bench/RESULTS.md):
 * with the default 64 KiB it copies through a small buffer and reaches a
 * fifth of the loopback speed. */
#define BYTES_PER_SEND (1u << 20)

void transport_params_init(struct transport_params *p, HANDLE stop, HANDLE drain,
                           unsigned handshake_timeout_ms, unsigned min_version,
                           struct tlscred_slot *slot, struct authgate *gate,
                           volatile LONG *gate_waits)
{
    p->plain.stop = p->tls.stop = stop;
    p->plain.drain = p->tls.drain = drain;
    p->plain.bytes_per_send = BYTES_PER_SEND;
    p->tls.slot = slot;
    p->tls.handshake_timeout_ms = handshake_timeout_ms;
    p->tls.min_version = min_version;
    p->tls.gate = gate;
    p->tls.waits = gate_waits;
}

int transport_open(struct transport *t, enum transport_kind kind, SOCKET sock,
                   const struct transport_params *p, HANDLE io_event)
{
    switch (kind) {
    case TRANSPORT_KIND_PLAIN: return transport_plain_open(t, sock, &p->plain, io_event);
    case TRANSPORT_KIND_TLS: return transport_tls_open(t, sock, &p->tls, io_event);
    }
    t->ops = NULL;
    t->ctx = NULL;
    return -1;
}
