/* transport_plain.h - the plain TCP transport: today's sockio calls and the
 * transfer loop (TransmitFile) behind the interface of transport.h. */
#ifndef MTS_TRANSPORT_PLAIN_H
#define MTS_TRANSPORT_PLAIN_H

#include <winsock2.h>
#include <mswsock.h>

#include "transport.h"

struct transport_plain_params {
    HANDLE stop;                     /* the server's manual-reset stop event */
    HANDLE drain;                    /* its drain event: ends receives only */
    LPFN_TRANSMITFILE transmit_file; /* looked up once for the listener's kind of socket */
    DWORD bytes_per_send;            /* TransmitFile's nNumberOfBytesPerSend */
};

/* Makes *t a plain transport over sock, which it then owns; its operations
 * use io_event (sockio_init). Returns 0, or -1 (out of memory) with sock
 * still the caller's. */
int transport_plain_open(struct transport *t, SOCKET sock, const struct transport_plain_params *p,
                         HANDLE io_event);

#endif
