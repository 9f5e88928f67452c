/* transport_tls.h - the TLS transport: Schannel (schanctx.c, schancred.c) over sockio,
 * with tlsrec.c gathering the records, behind the interface of transport.h.
 * The handshake is its start operation, run on the client thread. */
#ifndef MTS_TRANSPORT_TLS_H
#define MTS_TRANSPORT_TLS_H

#include <winsock2.h>

#include "authgate.h"
#include "tlscred.h"
#include "transport.h"

struct transport_tls_params {
    HANDLE stop;                       /* the server's manual-reset stop event */
    HANDLE drain;                      /* its drain event: ends receives only */
    /* The server's credential slot: open takes the credential current then
     * and holds it until the transport ends (a reload swaps the slot's,
     * not this connection's). */
    struct tlscred_slot *slot;
    unsigned handshake_timeout_ms;     /* the whole handshake, from the first byte awaited */
    unsigned min_version;              /* 12: TLS 1.2; anything older negotiated is refused */
    /* The server's cap on handshake steps computing at once (tls_handshakes;
     * NULL: none). Each call into Schannel's handshake holds a slot; a step
     * over the cap waits for one within the handshake's deadline, then the
     * handshake fails as "handshake-busy". */
    struct authgate *gate;
    volatile LONG *waits; /* counts the steps that had to wait (the stats line) */
    unsigned fault_step_ms; /* tests only: a gated step holds its slot this much longer */
};

/* Makes *t a TLS transport over sock, which it then owns, with the
 * credential the slot holds now; no byte moves before transport_start.
 * Returns 0, or -1 (out of memory, no credential) with sock still the
 * caller's. */
int transport_tls_open(struct transport *t, SOCKET sock, const struct transport_tls_params *p,
                       HANDLE io_event);

#endif
