/* socket_reuse.c - can an accepted socket take the next client? (issue 24, target 4)
 *
 * Each client thread makes a socket before its AcceptEx (server/serve/
 * acceptex.c): three wineserver requests a session under Wine. Windows can
 * hand a socket back for the next AcceptEx once DisconnectEx with
 * TF_REUSE_SOCKET has ended its connection. This probe asks the Wine it
 * runs under whether that works, on loopback:
 *
 *     socket_reuse.exe
 *
 * It accepts a first client into socket s and sends it a byte, disconnects
 * s with TF_REUSE_SOCKET, accepts a second client into the same s and sends
 * again. Each step prints one line; the last says "reuse: works" or
 * "reuse: does not work" with why. The clients read with a 2 s limit, so a
 * socket that takes a client but cannot serve it shows as a timeout, not a
 * hang. Exit code 0 either way; 1 when the probe itself could not run. */
#include <winsock2.h>
#include <mswsock.h>
#include <stdio.h>

#include "winfail.h"

#define PROGRAM "socket_reuse"
#define STEP_WAIT_MS 2000

static LPFN_ACCEPTEX accept_ex;
static LPFN_DISCONNECTEX disconnect_ex;

static int find_extension(SOCKET s, GUID guid, void *fn, size_t fn_size)
{
    DWORD bytes = 0;
    return WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof guid, fn, (DWORD)fn_size,
                    &bytes, NULL, NULL) == 0;
}

/* Waits for an overlapped call that answered ERROR_IO_PENDING (or ended at
 * once); returns 0 when it succeeded, else Windows' error. A call that
 * takes too long is cancelled and waited for: ov is the system's until it
 * has ended, and it lives on the caller's stack. */
static DWORD finish(SOCKET s, OVERLAPPED *ov, BOOL started)
{
    DWORD bytes = 0, flags = 0;

    if (!started && WSAGetLastError() != ERROR_IO_PENDING)
        return (DWORD)WSAGetLastError();
    if (WaitForSingleObject(ov->hEvent, STEP_WAIT_MS) != WAIT_OBJECT_0) {
        CancelIoEx((HANDLE)s, ov);
        WaitForSingleObject(ov->hEvent, INFINITE);
        return WAIT_TIMEOUT;
    }
    return WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags) ? 0 : (DWORD)WSAGetLastError();
}

static void say(const char *step, DWORD err)
{
    if (err == 0)
        printf("%s: ok\n", step);
    else
        printf("%s: error %lu\n", step, err);
}

/* One round: AcceptEx into s, a client connects, s sends one byte, the
 * client reads it. Returns 1 when the client got its byte. */
static int serve_one(SOCKET listener, SOCKET s, const struct sockaddr_in *at, int round)
{
    char addrs[2 * (sizeof(struct sockaddr_in) + 16)], step[64], got = 0;
    OVERLAPPED ov = {0};
    DWORD received = 0, err, timeout = STEP_WAIT_MS;
    SOCKET client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    BOOL started;
    int n = -1;

    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (client == INVALID_SOCKET || ov.hEvent == NULL)
        return winfail(PROGRAM, "socket or event", GetLastError()), 0;
    started = accept_ex(listener, s, addrs, 0, sizeof(struct sockaddr_in) + 16,
                        sizeof(struct sockaddr_in) + 16, &received, &ov);
    if (connect(client, (const struct sockaddr *)at, sizeof *at) != 0)
        return winfail(PROGRAM, "connect", (DWORD)WSAGetLastError()), 0;
    snprintf(step, sizeof step, "accept %d", round);
    err = finish(s, &ov, started);
    say(step, err);
    if (err == 0) {
        setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&listener,
                   sizeof listener);
        snprintf(step, sizeof step, "send %d", round);
        say(step, send(s, "x", 1, 0) == 1 ? 0 : (DWORD)WSAGetLastError());
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof timeout);
        n = recv(client, &got, 1, 0);
        printf("client %d read: %s\n", round, n == 1 ? "1 byte" : "nothing (timeout or error)");
    }
    closesocket(client);
    CloseHandle(ov.hEvent);
    return n == 1;
}

int main(void)
{
    WSADATA wsa;
    struct sockaddr_in at = {0};
    int len = sizeof at;
    OVERLAPPED ov = {0};
    SOCKET listener, s;
    DWORD err;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return winfail(PROGRAM, "WSAStartup", 0);
    listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener == INVALID_SOCKET || s == INVALID_SOCKET || ov.hEvent == NULL ||
        bind(listener, (struct sockaddr *)&at, sizeof at) != 0 || listen(listener, 4) != 0 ||
        getsockname(listener, (struct sockaddr *)&at, &len) != 0)
        return winfail(PROGRAM, "listener", (DWORD)WSAGetLastError());
    if (!find_extension(listener, (GUID)WSAID_ACCEPTEX, &accept_ex, sizeof accept_ex) ||
        !find_extension(listener, (GUID)WSAID_DISCONNECTEX, &disconnect_ex, sizeof disconnect_ex))
        return winfail(PROGRAM, "extension functions", (DWORD)WSAGetLastError());

    if (!serve_one(listener, s, &at, 1))
        return winfail(PROGRAM, "the first client (no reuse yet)", 0);
    err = finish(s, &ov, disconnect_ex(s, &ov, TF_REUSE_SOCKET, 0));
    say("DisconnectEx with TF_REUSE_SOCKET", err);
    if (err == 0 && serve_one(listener, s, &at, 2))
        puts("reuse: works");
    else
        puts("reuse: does not work (the socket did not serve a second client)");
    return 0;
}
