/* acceptex.h - one accept in flight on a listener, by AcceptEx.
 *
 * Why not accept(): a thread that blocks in accept() cannot also wait for
 * the server's drain or time out when idle, and the event-selected,
 * non-blocking accept() the server used before cost a wake-up of its own
 * and a hand-off to another thread per client (bench/RESULTS.md, issue
 * 24). AcceptEx is an overlapped call: the waiting thread is the one that
 * then serves the client, the socket is made before the client comes, and
 * the client's address arrives in the buffer with it (no getpeername).
 *
 * One struct acceptex belongs to one thread; its OVERLAPPED uses the event
 * the thread lends it. */
#ifndef MTS_ACCEPTEX_H
#define MTS_ACCEPTEX_H

#include <winsock2.h>
#include <mswsock.h>

/* The two extension functions, looked up once per listener. */
struct acceptex_fns {
    LPFN_ACCEPTEX accept;
    LPFN_GETACCEPTEXSOCKADDRS addresses;
    int family; /* the listener's: the accepted socket must be the same */
};

/* AcceptEx wants room for each address 16 bytes beyond its largest size. */
#define ACCEPTEX_ADDRESS_ROOM (sizeof(struct sockaddr_storage) + 16)

struct acceptex {
    SOCKET listener;
    SOCKET next; /* made for the next client; INVALID_SOCKET until made */
    OVERLAPPED ov;
    char addresses[2 * ACCEPTEX_ADDRESS_ROOM];
};

/* Looks the functions up for listener; 0, or a Winsock error. */
int acceptex_find(SOCKET listener, struct acceptex_fns *fns);

enum acceptex_result {
    ACCEPTEX_CLIENT,  /* a client was taken: acceptex_take it */
    ACCEPTEX_PENDING, /* the accept waits for a client on ax->ov.hEvent */
    ACCEPTEX_FAILED,  /* *error says why (nothing is pending) */
};

/* Starts an accept with ax->ov.hEvent set by the caller (a manual-reset
 * event; starting the call resets it). */
enum acceptex_result acceptex_start(struct acceptex *ax, const struct acceptex_fns *fns,
                                    int *error);

/* After the event was set: how the accept ended. */
enum acceptex_result acceptex_result(struct acceptex *ax, int *error);

/* Asks a pending accept to end, and waits until it has; ACCEPTEX_CLIENT
 * when a client came first (it must still be taken or dropped). Never
 * returns ACCEPTEX_PENDING. */
enum acceptex_result acceptex_cancel(struct acceptex *ax, int *error);

/* The socket of the client taken (the caller's from here), with its
 * connected state brought in from the listener (shutdown and getpeername
 * need it), and its address copied to *peer. */
SOCKET acceptex_take(struct acceptex *ax, const struct acceptex_fns *fns,
                     struct sockaddr_storage *peer);

/* Closes the socket made for the next client, if one was (after a failed
 * accept, and when the thread leaves). */
void acceptex_drop_next(struct acceptex *ax);

#endif
