/* addrguard.h - the server's per-address defences: AUTH throttling, bans,
 * the connection limit and the rate of new connections per address, around
 * the portable rules in throttle.h.
 *
 * One addrguard is shared by every client thread; a
 * slim reader/writer lock, taken exclusively and only for the table lookup,
 * serialises them. Waits (the AUTH delay) happen outside the lock, so a
 * throttled address never slows another one. */
#ifndef MTS_ADDRGUARD_H
#define MTS_ADDRGUARD_H

#include <stdint.h>
#include <winsock2.h>

#include "throttle.h"

struct addrguard {
    SRWLOCK lock;
    struct throttle table;
};

/* Returns 0, or -1 when the table cannot be made. */
int addrguard_init(struct addrguard *g, const struct throttle_config *cfg);
void addrguard_free(struct addrguard *g);

/* The key an accepted peer address is counted under. Returns 0, or -1 for an
 * address family the guard does not know (then the peer is not limited). */
int addrguard_key(const struct sockaddr *sa, struct throttle_key *k);

/* A new connection; on THROTTLE_ALLOW call addrguard_disconnect() at its end. */
enum throttle_verdict addrguard_connect(struct addrguard *g, const struct throttle_key *k);
void addrguard_disconnect(struct addrguard *g, const struct throttle_key *k);

/* Before an AUTH is answered: waits the address's delay, waking early when
 * stop is set. Returns 0 with the verdict in *verdict (THROTTLE_ALLOW: go on
 * and check the password; THROTTLE_BANNED), or -1 when stop was set first.
 * *waited_ms tells the delay. */
int addrguard_before_auth(struct addrguard *g, const struct throttle_key *k, HANDLE stop,
                          enum throttle_verdict *verdict, uint64_t *waited_ms);

/* The AUTH's outcome. Returns THROTTLE_BAN_HOST or THROTTLE_BAN_PREFIX when
 * this failure banned the address or its /64, else 0. */
int addrguard_after_auth(struct addrguard *g, const struct throttle_key *k, int ok);

#endif
