/* transfer.c - the file-sending loop (see transfer.h).
 *
 * TransmitFile sends at most 2,147,483,646 bytes per call, so bigger files go
 * in pieces. Pieces are also what makes a stuck reader visible: each piece
 * must finish within the timeout. Piece sizes follow the client's speed,
 * doubling while a piece takes under a quarter second and halving when one
 * takes over a second, so a fast client gets big efficient calls and a slow
 * but steady one is never mistaken for a stuck one. */
#include "transfer.h"

#define TRANSMITFILE_CALL_MAX 2147483646u
#define PIECE_FIRST (1u << 20)
#define PIECE_MIN (64u << 10)
#define PIECE_MAX (256u << 20)

int transfer_send_file(struct sockio *io, const struct transfer_params *p, HANDLE file,
                       uint64_t offset, uint64_t len, uint64_t *sent)
{
    DWORD piece = PIECE_FIRST;

    *sent = 0;
    while (*sent < len) {
        uint64_t left = len - *sent;
        DWORD n = left < piece ? (DWORD)left : piece;
        ULONGLONG began = GetTickCount64(), took;
        int rc;

        if (n > TRANSMITFILE_CALL_MAX)
            n = TRANSMITFILE_CALL_MAX;
        rc = sockio_transmit(io, p->transmit_file, file, offset + *sent, n,
                             p->bytes_per_send < n ? p->bytes_per_send : n, p->timeout_ms);
        if (rc != 0)
            return rc;
        *sent += n;
        took = GetTickCount64() - began;
        if (took < 250 && piece < PIECE_MAX)
            piece *= 2;
        else if (took > 1000 && piece > PIECE_MIN)
            piece /= 2;
    }
    return 0;
}
