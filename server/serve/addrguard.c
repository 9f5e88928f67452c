/* addrguard.c - throttle.c behind a lock, with the Win32 clock and waits (see addrguard.h). */
#include "addrguard.h"

#include <string.h>
#include <ws2tcpip.h>

int addrguard_init(struct addrguard *g, const struct throttle_config *cfg)
{
    InitializeSRWLock(&g->lock);
    return throttle_init(&g->table, cfg) == 0 ? 0 : -1;
}

void addrguard_free(struct addrguard *g)
{
    throttle_free(&g->table);
}

int addrguard_key(const struct sockaddr *sa, struct throttle_key *k)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
        throttle_key_ipv4(k, (const unsigned char *)&in4->sin_addr);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        throttle_key_ipv6(k, (const unsigned char *)&in6->sin6_addr);
        return 0;
    }
    memset(k, 0, sizeof *k);
    return -1;
}

enum throttle_verdict addrguard_connect(struct addrguard *g, const struct throttle_key *k)
{
    enum throttle_verdict v;

    AcquireSRWLockExclusive(&g->lock);
    v = throttle_connect(&g->table, k, GetTickCount64());
    ReleaseSRWLockExclusive(&g->lock);
    return v;
}

void addrguard_disconnect(struct addrguard *g, const struct throttle_key *k)
{
    AcquireSRWLockExclusive(&g->lock);
    throttle_disconnect(&g->table, k, GetTickCount64());
    ReleaseSRWLockExclusive(&g->lock);
}

int addrguard_before_auth(struct addrguard *g, const struct throttle_key *k, HANDLE stop,
                          enum throttle_verdict *verdict, uint64_t *waited_ms)
{
    uint64_t delay = 0;

    AcquireSRWLockExclusive(&g->lock);
    *verdict = throttle_auth_delay(&g->table, k, GetTickCount64(), &delay);
    ReleaseSRWLockExclusive(&g->lock);
    *waited_ms = delay;
    if (*verdict != THROTTLE_ALLOW || delay == 0)
        return 0;
    /* The wait is on the stop event, so a server shutdown is never held up
     * by a throttled client. Options cap the delay far below INFINITE. */
    if (delay >= INFINITE)
        delay = INFINITE - 1;
    if (WaitForSingleObject(stop, (DWORD)delay) != WAIT_TIMEOUT)
        return -1;
    return 0;
}

int addrguard_after_auth(struct addrguard *g, const struct throttle_key *k, int ok)
{
    int banned;

    AcquireSRWLockExclusive(&g->lock);
    banned = throttle_auth_result(&g->table, k, ok, GetTickCount64());
    ReleaseSRWLockExclusive(&g->lock);
    return banned;
}
