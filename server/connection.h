/* connection.h - one client thread: drives a session over a socket. */
#ifndef MTS_CONNECTION_H
#define MTS_CONNECTION_H

#include <winsock2.h>

#include "throttle.h"

struct server;

/* Reserve, not commit: a client thread's stack grows on demand up to this. */
#define CONNECTION_STACK (256u << 10)

/* Serves the accepted socket on a client thread of its own (a parked one, or
 * a new one: server/workers.h); peer is its address as text, key what the
 * address guard counts it under (NULL: not counted). On success the thread
 * owns sock and the guard's count, and has been counted in srv->active.
 * Returns 0, or -1 when no thread could be had (the caller still owns sock
 * and the counts). */
int connection_start(struct server *srv, SOCKET sock, const char *peer,
                     const struct throttle_key *key);

#endif
