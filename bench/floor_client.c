/* floor_client.c - the client floor (issue 24, target 5): the plainest
 * Windows downloader of one file to disk, built with MinGW and run under
 * the same Wine as mtsclient in figure 5 (bench/run.py), so that
 * floor/cp says how much of the gap to cp is Wine's (and the sender's,
 * which both share) and mtsclient/floor what mtsclient's design adds or
 * takes: it flushes behind its writing (client/writebehind.h), the floor
 * only at the end. Not part of the product.
 *
 * Connect, greeting, AUTH, GET NAME ("#Sending N bytes."), then recv into
 * one 1 MiB buffer and WriteFile each piece to OUT as it comes (created
 * with FILE_FLAG_SEQUENTIAL_SCAN, as mtsclient's .mtspart), the trailer
 * line, QUIT, FlushFileBuffers, close. No part file, rename, progress or
 * checks beyond the byte count.
 *
 * Usage: floor_client.exe HOST PORT NAME OUT [TRIES]   (password in
 * MTS_PASSWORD). TRIES, the preallocation tries of RESULTS.md: "p" sets
 * the file's end to N before writing (FileEndOfFileInfo), "a" reserves N
 * bytes without moving the end (FileAllocationInfo); and "w", the same
 * write-behind as mtsclient's (client/writebehind.h): a second thread
 * flushes the file after every WRITEBEHIND_EVERY bytes written, while the
 * receiving goes on. Figure 5 runs the floor plain and with "w", so that
 * mtsclient is compared with the plainest client of its own design too.
 * Exit code 0 when all N bytes are written. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winfail.h"
#include "writebehind.h" /* WRITEBEHIND_EVERY only: the floor has its own flusher */

#define BUF (1u << 20)

static SOCKET s = INVALID_SOCKET;
static char *buf;
static size_t have; /* bytes in buf not yet used */

/* "w": the flusher thread, woken (auto-reset event) at every WRITEBEHIND_EVERY
 * bytes; a wake while it flushes leaves the event set, so one more flush
 * follows. */
static HANDLE flush_wake;
static volatile LONG flush_ending, flush_failed;

static unsigned __stdcall flusher(void *file)
{
    while (WaitForSingleObject(flush_wake, INFINITE) == WAIT_OBJECT_0 && !flush_ending)
        if (!FlushFileBuffers(file))
            InterlockedExchange(&flush_failed, (LONG)GetLastError());
    return 0;
}

static int fail(const char *what, unsigned long code)
{
    return winfail("floor_client", what, code);
}

/* One reply line into line (CR LF taken off); the bytes after it stay in
 * buf. 0, or -1 when the connection ends first. */
static int read_line(char *line, size_t cap)
{
    for (;;) {
        char *lf = memchr(buf, '\n', have);
        int n;
        if (lf != NULL) {
            size_t len = (size_t)(lf - buf);
            if (len >= cap)
                return -1;
            memcpy(line, buf, len);
            line[len > 0 && line[len - 1] == '\r' ? len - 1 : len] = '\0';
            have -= len + 1;
            memmove(buf, lf + 1, have);
            return 0;
        }
        n = recv(s, buf + have, (int)(BUF - have), 0);
        if (n <= 0)
            return -1;
        have += (size_t)n;
    }
}

static int say(const char *text)
{
    int len = (int)strlen(text);
    return send(s, text, len, 0) == len ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct addrinfo hints, *ai = NULL;
    const char *password = getenv("MTS_PASSWORD");
    char line[1200], greeting[200];
    unsigned long long size, left, since_flush = 0;
    HANDLE f, flush_thread = NULL;
    WSADATA wsa;

    if (argc < 5 || password == NULL) {
        fprintf(stderr, "usage: floor_client.exe HOST PORT NAME OUT [pa] (MTS_PASSWORD set)\n");
        return 2;
    }
    buf = malloc(BUF);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if (buf == NULL || WSAStartup(MAKEWORD(2, 2), &wsa) != 0 ||
        getaddrinfo(argv[1], argv[2], &hints, &ai) != 0)
        return fail("resolve", (unsigned long)WSAGetLastError());
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s == INVALID_SOCKET || connect(s, ai->ai_addr, (int)ai->ai_addrlen) != 0)
        return fail("connect", (unsigned long)WSAGetLastError());
    snprintf(line, sizeof line, "AUTH %s\r\n", password);
    if (read_line(greeting, sizeof greeting) != 0 || say(line) != 0 ||
        read_line(line, sizeof line) != 0 || line[0] != '#')
        return fail("login", (unsigned long)WSAGetLastError());
    snprintf(line, sizeof line, "GET %s\r\n", argv[3]);
    if (say(line) != 0 || read_line(line, sizeof line) != 0 || strncmp(line, "#Sending ", 9) != 0)
        return fail("GET", (unsigned long)WSAGetLastError());
    size = strtoull(line + 9, NULL, 10);
    f = CreateFileA(argv[4], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return fail("CreateFile", GetLastError());
    if (argc > 5 && strchr(argv[5], 'p') != NULL) {
        FILE_END_OF_FILE_INFO eof;
        eof.EndOfFile.QuadPart = (LONGLONG)size;
        if (!SetFileInformationByHandle(f, FileEndOfFileInfo, &eof, sizeof eof))
            return fail("SetFileInformationByHandle", GetLastError());
    }
    if (argc > 5 && strchr(argv[5], 'a') != NULL) {
        FILE_ALLOCATION_INFO alloc;
        alloc.AllocationSize.QuadPart = (LONGLONG)size;
        if (!SetFileInformationByHandle(f, FileAllocationInfo, &alloc, sizeof alloc))
            return fail("SetFileInformationByHandle", GetLastError());
    }
    if (argc > 5 && strchr(argv[5], 'w') != NULL) {
        flush_wake = CreateEventW(NULL, FALSE, FALSE, NULL);
        if (flush_wake == NULL ||
            (flush_thread = (HANDLE)_beginthreadex(NULL, 64u << 10, flusher, f, 0, NULL)) == NULL)
            return fail("the flusher thread", GetLastError());
    }
    for (left = size; left > 0;) {
        DWORD wrote;
        DWORD n = (DWORD)(have < left ? have : left);
        if (n == 0) {
            int got = recv(s, buf, (int)(left < BUF ? left : BUF), 0);
            if (got <= 0)
                return fail("recv", (unsigned long)WSAGetLastError());
            have = (size_t)got;
            continue;
        }
        if (!WriteFile(f, buf, n, &wrote, NULL) || wrote != n)
            return fail("WriteFile", GetLastError());
        since_flush += n;
        if (flush_thread != NULL && since_flush >= WRITEBEHIND_EVERY) {
            since_flush = 0;
            SetEvent(flush_wake);
        }
        left -= n;
        have -= n;
        memmove(buf, buf + n, have);
    }
    if (read_line(line, sizeof line) != 0 || line[0] != '#' || say("QUIT\r\n") != 0)
        return fail("the trailer line", (unsigned long)WSAGetLastError());
    if (flush_thread != NULL) {
        InterlockedExchange(&flush_ending, 1);
        SetEvent(flush_wake);
        WaitForSingleObject(flush_thread, INFINITE);
        if (flush_failed != 0)
            return fail("FlushFileBuffers behind the writing", (unsigned long)flush_failed);
    }
    if (!FlushFileBuffers(f) || !CloseHandle(f))
        return fail("FlushFileBuffers", GetLastError());
    closesocket(s);
    return 0;
}
