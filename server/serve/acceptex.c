/* acceptex.c - one accept in flight by AcceptEx (see acceptex.h). */
#include "acceptex.h"

#include <string.h>

#include "sockio.h"
#include "winerr.h"

int acceptex_find(SOCKET listener, struct acceptex_fns *fns)
{
    GUID accept_guid = WSAID_ACCEPTEX, addresses_guid = WSAID_GETACCEPTEXSOCKADDRS;
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    DWORD bytes = 0;

    memset(fns, 0, sizeof *fns);
    if (getsockname(listener, (struct sockaddr *)&ss, &len) != 0 ||
        WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_guid, sizeof accept_guid,
                 &fns->accept, sizeof fns->accept, &bytes, NULL, NULL) != 0 ||
        WSAIoctl(listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &addresses_guid,
                 sizeof addresses_guid, &fns->addresses, sizeof fns->addresses, &bytes, NULL,
                 NULL) != 0)
        return WSAGetLastError();
    fns->family = ss.ss_family;
    return 0;
}

enum acceptex_result acceptex_start(struct acceptex *ax, const struct acceptex_fns *fns, int *error)
{
    HANDLE event = ax->ov.hEvent;
    DWORD got = 0;

    if (ax->next == INVALID_SOCKET) {
        /* Not inherited: a child process must not hold a client's connection open. */
        ax->next = WSASocketW(fns->family, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                              WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
        if (ax->next == INVALID_SOCKET) {
            *error = WSAGetLastError();
            return ACCEPTEX_FAILED;
        }
    }
    memset(&ax->ov, 0, sizeof ax->ov);
    ax->ov.hEvent = event;
    /* No bytes asked for with the connection: the server speaks first. */
    if (fns->accept(ax->listener, ax->next, ax->addresses, 0, ACCEPTEX_ADDRESS_ROOM,
                    ACCEPTEX_ADDRESS_ROOM, &got, &ax->ov))
        return ACCEPTEX_CLIENT;
    *error = WSAGetLastError();
    if (winerr_kind((unsigned long)*error) == WINERR_PENDING)
        return ACCEPTEX_PENDING;
    return ACCEPTEX_FAILED;
}

enum acceptex_result acceptex_result(struct acceptex *ax, int *error)
{
    DWORD got = 0, flags = 0;

    if (WSAGetOverlappedResult(ax->listener, &ax->ov, &got, TRUE, &flags))
        return ACCEPTEX_CLIENT;
    *error = WSAGetLastError();
    return ACCEPTEX_FAILED;
}

enum acceptex_result acceptex_cancel(struct acceptex *ax, int *error)
{
    /* The OVERLAPPED and the buffer are the system's until the call ends,
     * so this waits for that, however long (server_drain closes the
     * listener after a while, which ends every accept on it). */
    sockio_cancel((HANDLE)ax->listener, &ax->ov, INFINITE);
    return acceptex_result(ax, error);
}

SOCKET acceptex_take(struct acceptex *ax, const struct acceptex_fns *fns,
                     struct sockaddr_storage *peer)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int local_len = 0, remote_len = 0;
    SOCKET s = ax->next;

    ax->next = INVALID_SOCKET;
    setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&ax->listener,
               sizeof ax->listener);
    fns->addresses(ax->addresses, 0, ACCEPTEX_ADDRESS_ROOM, ACCEPTEX_ADDRESS_ROOM, &local,
                   &local_len, &remote, &remote_len);
    memset(peer, 0, sizeof *peer);
    if (remote != NULL && remote_len > 0 && remote_len <= (int)sizeof *peer)
        memcpy(peer, remote, (size_t)remote_len);
    return s;
}

void acceptex_drop_next(struct acceptex *ax)
{
    if (ax->next != INVALID_SOCKET)
        closesocket(ax->next);
    ax->next = INVALID_SOCKET;
}
