/* floor_server.c - the floor: the plainest fast Windows design of the
 * article's server, built with MinGW and run under the same Wine as
 * mtserver, so that every bench run can say how far mtserver is from what
 * Wine allows (issue 24's target: session rate >= 0.9 of this, 1,000 at once
 * with p99 <= 1.2x).
 *
 * Threads are made once and never end: one accepts and queues each client
 * for a thread that waits (a semaphore), or makes a new thread when none
 * waits, so 2,000 idle clients get 2,000 threads and a burst never waits
 * for a thread's start. Blocking calls only, with SO_RCVTIMEO/SO_SNDTIMEO as
 * the timeouts (no events, no overlapped I/O), TCP_NODELAY as mtserver, and
 * TransmitFile with mtserver's 1 MiB per send. The protocol is the
 * article's, with its texts and its password "passwd": one AUTH, FILE NAME
 * (relative to the current folder), QUIT; lines end in LF.
 *
 * Usage: floor_server.exe [PORT]   (0 or absent: any free port). Prints
 * "listening on 127.0.0.1:PORT"; stdin's end or an ESC byte stops it. */
#include <winsock2.h>
#include <mswsock.h>
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MS 60000
#define BYTES_PER_SEND (1u << 20)
#define THREAD_STACK (64u << 10)
#define QUEUE_MAX 4096

static SOCKET listener = INVALID_SOCKET;
/* Threads free for a client, less the clients queued for one. */
static volatile LONG idle;

static int say(SOCKET s, const char *text)
{
    int len = (int)strlen(text);
    return send(s, text, len, 0) == len ? 0 : -1;
}

/* One command line; 1 when the session goes on. */
static int command(SOCKET s, char *line, int *authed)
{
    char reply[700];
    HANDLE f;

    if (_strnicmp(line, "QUIT", 4) == 0 && line[4] == '\0')
        return 0;
    if (_strnicmp(line, "AUTH ", 5) == 0) {
        *authed = strcmp(line + 5, "passwd") == 0;
        return say(s, *authed ? "#You are logged in.\r\n" : "!Bad password.\r\n") == 0;
    }
    if (_strnicmp(line, "FILE ", 5) != 0)
        return say(s, "!Invalid command.\r\n") == 0;
    if (!*authed)
        return say(s, "!You are not logged in.\r\n") == 0;
    f = CreateFileA(line + 5, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                    OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        snprintf(reply, sizeof reply, "!File %s could not be opened.\r\n", line + 5);
        return say(s, reply) == 0;
    }
    /* One call sends it all (TransmitFile takes up to 2,147,483,646 bytes). */
    if (!TransmitFile(s, f, 0, BYTES_PER_SEND, NULL, NULL, 0)) {
        CloseHandle(f);
        return 0;
    }
    CloseHandle(f);
    snprintf(reply, sizeof reply, "#File %s sent successfully.\r\n", line + 5);
    return say(s, reply) == 0;
}

static void serve(SOCKET s)
{
    char buf[1024];
    int have = 0, n, authed = 0;
    DWORD ms = TIMEOUT_MS;
    BOOL one = TRUE;

    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof ms);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
    if (say(s, "#Server Ready.\r\n") != 0)
        return;
    while ((n = recv(s, buf + have, (int)sizeof buf - 1 - have, 0)) > 0) {
        char *lf, *line = buf;
        have += n;
        buf[have] = '\0';
        while ((lf = memchr(line, '\n', (size_t)(buf + have - line))) != NULL) {
            *lf = '\0';
            if (lf > line && lf[-1] == '\r')
                lf[-1] = '\0';
            if (!command(s, line, &authed))
                return;
            line = lf + 1;
        }
        have -= (int)(line - buf);
        memmove(buf, line, (size_t)have);
        if (have == (int)sizeof buf - 1)
            return; /* a line longer than the buffer */
    }
}

/* The sockets accepted and not yet taken, and the threads waiting for one. */
static CRITICAL_SECTION lock;
static HANDLE ready; /* a semaphore: one count per socket queued */
static SOCKET queue[QUEUE_MAX];
static unsigned head, count;

static void serve_forever(void)
{
    for (;;) {
        SOCKET s;
        WaitForSingleObject(ready, INFINITE);
        EnterCriticalSection(&lock);
        s = queue[head];
        head = (head + 1) % QUEUE_MAX;
        count--;
        LeaveCriticalSection(&lock);
        serve(s);
        closesocket(s);
        InterlockedIncrement(&idle);
    }
}

static unsigned __stdcall worker(void *arg)
{
    (void)arg;
    serve_forever();
    return 0;
}

/* The accept loop: each client to a waiting thread, or to a new one when
 * none waits (made here, so that serving never waits for a thread's start). */
static void accept_forever(void)
{
    for (;;) {
        SOCKET s = accept(listener, NULL, NULL);
        if (s == INVALID_SOCKET)
            continue;
        EnterCriticalSection(&lock);
        if (count == QUEUE_MAX) {
            LeaveCriticalSection(&lock);
            closesocket(s);
            continue;
        }
        queue[(head + count++) % QUEUE_MAX] = s;
        LeaveCriticalSection(&lock);
        if (InterlockedDecrement(&idle) < 0) {
            HANDLE t = (HANDLE)_beginthreadex(NULL, THREAD_STACK, worker, NULL,
                                              STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
            InterlockedIncrement(&idle);
            if (t != NULL)
                CloseHandle(t);
        }
        ReleaseSemaphore(ready, 1, NULL);
    }
}

static unsigned __stdcall acceptor(void *arg)
{
    (void)arg;
    accept_forever();
    return 0;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    int alen = sizeof a, ch;
    WSADATA wsa;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0));
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    listener = socket(AF_INET, SOCK_STREAM, 0);
    if (listener == INVALID_SOCKET || bind(listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(listener, SOMAXCONN) != 0 || getsockname(listener, (struct sockaddr *)&a, &alen))
        return 1;
    InitializeCriticalSection(&lock);
    ready = CreateSemaphoreW(NULL, 0, QUEUE_MAX, NULL);
    _beginthreadex(NULL, THREAD_STACK, acceptor, NULL, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    printf("listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
    fflush(stdout);
    while ((ch = getchar()) != EOF && ch != 27)
        ;
    return 0;
}
