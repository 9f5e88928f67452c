/* transport_tls.h - the TLS transport: Schannel (schannel.c) over sockio,
 * with tlsrec.c gathering the records, behind the interface of transport.h.
 * The handshake is its start operation, run on the client thread. */
#ifndef MTS_TRANSPORT_TLS_H
#define MTS_TRANSPORT_TLS_H

#include <winsock2.h>

#include "schannel.h"
#include "transport.h"

struct transport_tls_params {
    HANDLE stop;                       /* the server's manual-reset stop event */
    HANDLE drain;                      /* its drain event: ends receives only */
    const struct schannel_cred *cred;  /* shared, outlives the connection */
    unsigned handshake_timeout_ms;     /* the whole handshake, from the first byte awaited */
    unsigned min_version;              /* 12: TLS 1.2; anything older negotiated is refused */
};

/* Makes *t a TLS transport over sock, which it then owns; no byte moves
 * before transport_start. Returns 0, or -1 (out of memory, no event) with
 * sock still the caller's. */
int transport_tls_open(struct transport *t, SOCKET sock, const struct transport_tls_params *p);

/* Undoes transport_tls_open before any use, leaving the socket the caller's. */
void transport_tls_disown(struct transport *t);

#endif
