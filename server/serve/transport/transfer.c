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
 * Wine (fewer calls), hence 2 MiB/s rather than less (bench/RESULTS.md).
 * A file of SMALL_SEND bytes or less goes by ReadFile and one send instead:
 * under Wine an overlapped TransmitFile is about ten wineserver requests
 * (its start, the APCs that run its copy, the wait), a send that the
 * socket's buffer takes at once three, and a read of a file none
 * (issue 24). */
#include "transfer.h"

#include <stdlib.h>

#define PIECE_FIRST (1u << 20)
#define PIECE_MIN (64u << 10)
#define PIECE_MAX (256u << 20)
#define SLOWEST_STEADY_RATE (2u << 20) /* bytes per second */
#define SMALL_SEND (64u << 10)

/* TransmitFile sends at most 2,147,483,646 bytes per call. */
_Static_assert(PIECE_MAX <= 2147483646u, "a piece must fit one TransmitFile call");

static DWORD largest_piece(unsigned timeout_ms)
{
    uint64_t n = (uint64_t)SLOWEST_STEADY_RATE * timeout_ms / 2000;

    if (n < PIECE_MIN)
        return PIECE_MIN;
    return n > PIECE_MAX ? PIECE_MAX : (DWORD)n;
}

/* len bytes of file from offset, read whole and sent (0 < len <= SMALL_SEND). */
static int send_small(struct sockio *io, HANDLE file, uint64_t offset, DWORD len,
                      unsigned timeout_ms)
{
    char *buf = malloc(len);
    LARGE_INTEGER pos;
    DWORD got = 0;
    int rc;

    if (buf == NULL) {
        io->last_error = ERROR_NOT_ENOUGH_MEMORY;
        return SOCKIO_ERROR;
    }
    /* The file pointer, not an OVERLAPPED's offset: under Wine a read with
     * an OVERLAPPED posts a completion, one more wineserver request. */
    pos.QuadPart = (LONGLONG)offset;
    if (!SetFilePointerEx(file, pos, NULL, FILE_BEGIN) || !ReadFile(file, buf, len, &got, NULL)) {
        io->last_error = GetLastError();
        rc = SOCKIO_ERROR;
    } else if (got != len) {
        io->last_error = ERROR_HANDLE_EOF; /* the file shrank under us */
        rc = SOCKIO_ERROR;
    } else {
        rc = sockio_send_file_data(io, buf, len, timeout_ms);
    }
    free(buf);
    return rc;
}

int transfer_send_file(struct sockio *io, const struct transfer_params *p, HANDLE file,
                       uint64_t offset, uint64_t len, uint64_t *sent)
{
    DWORD largest = largest_piece(p->timeout_ms);
    DWORD piece = PIECE_FIRST < largest ? PIECE_FIRST : largest;

    *sent = 0;
    if (len > 0 && len <= SMALL_SEND) {
        int rc = send_small(io, file, offset, (DWORD)len, p->timeout_ms);
        if (rc == 0)
            *sent = len;
        return rc;
    }
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
