/* transfer.c - the file-sending loop (see transfer.h).
 *
 * Files go in pieces, each one TransmitFile call that must finish within the
 * send timeout: that is what makes a stuck reader visible. Piece sizes follow
 * the client's speed, doubling while a piece takes under a quarter second
 * and halving when one takes over a second, so a fast client gets big
 * efficient calls. They never exceed what SLOWEST_STEADY_RATE moves in half
 * the timeout, so a reader that slows down suddenly (a client whose disk
 * cache fills) is cut off only when it falls under half that rate, not when
 * it falls under the rate of its fast start. Larger pieces are faster under
 * Wine (fewer calls), hence 2 MiB/s rather than less (bench/RESULTS.md). */
#include "transfer.h"

#define PIECE_FIRST (1u << 20)
#define PIECE_MIN (64u << 10)
#define PIECE_MAX (256u << 20)
#define SLOWEST_STEADY_RATE (2u << 20) /* bytes per second */

/* TransmitFile sends at most 2,147,483,646 bytes per call. */
_Static_assert(PIECE_MAX <= 2147483646u, "a piece must fit one TransmitFile call");

static DWORD largest_piece(unsigned timeout_ms)
{
    uint64_t n = (uint64_t)SLOWEST_STEADY_RATE * timeout_ms / 2000;

    if (n < PIECE_MIN)
        return PIECE_MIN;
    return n > PIECE_MAX ? PIECE_MAX : (DWORD)n;
}

int transfer_send_file(struct sockio *io, const struct transfer_params *p, HANDLE file,
                       uint64_t offset, uint64_t len, uint64_t *sent)
{
    DWORD largest = largest_piece(p->timeout_ms);
    DWORD piece = PIECE_FIRST < largest ? PIECE_FIRST : largest;

    *sent = 0;
    while (*sent < len) {
        uint64_t left = len - *sent;
        DWORD n = left < piece ? (DWORD)left : piece;
        ULONGLONG began = GetTickCount64(), took;
        int rc;

        rc = sockio_transmit(io, p->transmit_file, file, offset + *sent, n,
                             p->bytes_per_send < n ? p->bytes_per_send : n, p->timeout_ms);
        if (rc != 0)
            return rc;
        *sent += n;
        took = GetTickCount64() - began;
        if (took < 250 && piece <= largest / 2)
            piece *= 2;
        else if (took > 1000 && piece > PIECE_MIN)
            piece /= 2;
    }
    return 0;
}
