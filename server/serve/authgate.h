/* authgate.h - a cap on the password checks that run at once.
 *
 * A check against password_hash is a full PBKDF2 (600,000 iterations by
 * default): with nothing in front but the per-address throttle, a few bytes
 * per AUTH line from many addresses would keep every core busy. The gate
 * lets at most `slots` checks run at once (by default one per processor);
 * the others wait their turn, up to a time the caller gives (the idle
 * timeout), and give up at once when the server stops. Cheap checks of a
 * clear password (console mode's MTS_PASSWORD) need no gate.
 *
 * The same gate caps TLS handshake steps (tls_handshakes, two per processor
 * by default; server/transport_tls.c): a second instance, entered around
 * each call into Schannel's handshake, where the RSA private-key work is.
 *
 * A count of free slots changed with interlocked operations, and a
 * semaphore only for the threads that wait (authgate.c): entering a gate
 * with a free slot and leaving one nobody waits for ask nothing of the
 * kernel. Any thread may enter and leave; nothing else is shared. Made
 * before the server's threads start, freed after they end. */
#ifndef MTS_AUTHGATE_H
#define MTS_AUTHGATE_H

#include <windows.h>

struct authgate {
    HANDLE slots; /* slots handed to waiting threads; NULL: no gate */
    LONG size;
    volatile LONG free; /* slots nobody holds, less the threads waiting */
};

/* slots 0: one per processor. Returns 0, or -1 when the semaphore cannot
 * be made. */
int authgate_init(struct authgate *g, unsigned slots);
void authgate_free(struct authgate *g);

enum authgate_result { AUTHGATE_ENTERED = 0, AUTHGATE_TIMEOUT = 1, AUTHGATE_STOPPED = 2 };

/* Waits for a free slot up to wait_ms, or until stop is set; a set stop
 * is refused even with a free slot. stop NULL: not looked at (the caller
 * watches for the stop itself). On AUTHGATE_ENTERED the caller must call
 * authgate_leave(). */
enum authgate_result authgate_enter(struct authgate *g, HANDLE stop, DWORD wait_ms);
void authgate_leave(struct authgate *g);

#endif
