/* transfer.h - sends a file's bytes over a connection with TransmitFile. */
#ifndef MTS_TRANSFER_H
#define MTS_TRANSFER_H

#include <stdint.h>

#include "sockio.h"

struct transfer_params {
    LPFN_TRANSMITFILE transmit_file;
    DWORD bytes_per_send;  /* TransmitFile's nNumberOfBytesPerSend */
    unsigned timeout_ms;   /* longest wait for one piece before giving up */
};

/* Sends len bytes of file from offset. Returns 0 when all went out, else a
 * sockio_result; *sent tells how far it got. */
int transfer_send_file(struct sockio *io, const struct transfer_params *p, HANDLE file,
                       uint64_t offset, uint64_t len, uint64_t *sent);

#endif
