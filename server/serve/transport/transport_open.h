/* transport_open.h - a transport of the kind a port calls for.
 *
 * The one place that knows every kind of transport: the connection asks
 * for a kind and gets a struct transport (transport.h), which it then
 * drives and ends through its operations alone. A new kind is a
 * value here, its parameters below, and its case in transport_open. */
#ifndef MTS_TRANSPORT_OPEN_H
#define MTS_TRANSPORT_OPEN_H

#include <winsock2.h>

#include "transport.h"
#include "transport_plain.h"
#include "transport_tls.h"

enum transport_kind {
    TRANSPORT_KIND_PLAIN, /* the plain port: TCP, files by TransmitFile */
    TRANSPORT_KIND_TLS,   /* the TLS port: Schannel */
};

/* What every kind may need; each takes its own part. */
struct transport_params {
    struct transport_plain_params plain;
    struct transport_tls_params tls;
};

/* The parameters every connection's transports are opened with, made once
 * at the server's start: its stop and drain events, the TLS handshake's
 * bound and the oldest version served (12 or 13), and for TLS the
 * credential slot and the handshake gate (NULL: no TLS port). TransmitFile
 * (plain.transmit_file) is the caller's to find for its listener. */
void transport_params_init(struct transport_params *p, HANDLE stop, HANDLE drain,
                           unsigned handshake_timeout_ms, unsigned min_version,
                           struct tlscred_slot *slot, struct authgate *gate,
                           volatile LONG *gate_waits);

/* Makes *t a transport of kind over sock, which it then owns; its
 * overlapped operations use io_event, the client thread's (workers.h),
 * which it does not close. Returns 0, or -1 with sock still the caller's. */
int transport_open(struct transport *t, enum transport_kind kind, SOCKET sock,
                   const struct transport_params *p, HANDLE io_event);

#endif
