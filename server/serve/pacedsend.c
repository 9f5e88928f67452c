/* pacedsend.c - a file sent at most at a rate (see pacedsend.h).
 *
 * A thin shell around common/pace.c, which decides each slice's size and
 * when the next is due: this file reads the clock, hands each slice to the
 * transport as one send_file over its own offset and length, and between
 * slices sleeps in WaitForMultipleObjects on the stop event (and the
 * account's end), so a paced transfer costs no CPU while it waits and a
 * stop, or its account's removal, ends the wait at once.
 * The drain event does not end it: a paced download is a transfer in
 * flight, which the drain period lets go on until the stop event. Runs on
 * the client thread that owns the transport. */
#include "pacedsend.h"

#include "pace.h"

int pacedsend_file(struct transport *t, HANDLE file, uint64_t offset, uint64_t len, uint64_t rate,
                   unsigned timeout_ms, HANDLE stop, HANDLE ended, uint64_t *sent)
{
    HANDLE waits[2] = {stop, ended};
    struct pace pace;

    *sent = 0;
    /* A rate pace refuses cannot come from a 32-bit setting; unpaced is the
     * only other answer. */
    if (rate == 0 || pace_init(&pace, rate, PACE_TICK_MS, GetTickCount64()) != 0)
        return transport_send_file(t, file, offset, len, timeout_ms, sent);
    while (*sent < len) {
        ULONGLONG now = GetTickCount64();
        uint64_t due, got = 0;
        uint64_t n = pace_take(&pace, now, len - *sent, &due);
        int rc;

        if (n == 0) {
            /* pace.h's waits end within a window; the bound only keeps the cast safe. */
            DWORD ms = due - now > PACE_WINDOW_MS ? PACE_WINDOW_MS : (DWORD)(due - now);
            /* A removed account's paced download ends here, within a
             * slice's wait, not when the file is through. */
            if (WaitForMultipleObjects(ended != NULL ? 2 : 1, waits, FALSE, ms) != WAIT_TIMEOUT)
                return TRANSPORT_STOPPED;
            continue;
        }
        rc = transport_send_file(t, file, offset + *sent, n, timeout_ms, &got);
        *sent += got;
        if (rc != 0)
            return rc;
    }
    return 0;
}
