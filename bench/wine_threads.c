/* wine_threads.c - Wine's own cost of a waiting thread (issue 24, target 6).
 *
 * A Windows program that does nothing but start N threads that wait, each
 * made as mtserver makes a client thread: _beginthreadex with a 256 KiB
 * stack reserve (CONNECTION_STACK in server/serve/connection.h) and
 * STACK_SIZE_PARAM_IS_A_RESERVATION. bench/run.py measures its private
 * resident bytes from Linux before and after, exactly as it measures
 * mtserver's for 2,000 idle connections; the difference per thread is what
 * Wine (and the CRT) charge for a thread, and mtserver's own share of an
 * idle connection is what it costs beyond that.
 *
 *     wine_threads.exe N
 *
 * Prints "ready" and waits for a line on stdin (the "before" measurement is
 * taken then), starts N threads, prints "held=N" (or fewer when a thread
 * could not be had, with the error), and waits for stdin to close; then it
 * wakes the threads and ends. Only the main thread writes to stdout. */
#include <windows.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kept equal to CONNECTION_STACK (server/serve/connection.h); the bench
 * does not include the server's headers, which need the whole server. */
#define THREAD_STACK (256u << 10)

static HANDLE wake_all;

/* "what: error N: text" on stderr, for the call that just failed. */
static void say_failed(const char *what)
{
    DWORD code = GetLastError();
    char text[256] = "";

    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, text,
                   sizeof text, NULL);
    text[strcspn(text, "\r\n")] = '\0';
    fprintf(stderr, "wine_threads: %s: error %lu: %s\n", what, code, text);
}

/* A client thread of mtserver waits in one call for its next command; this
 * one waits in one call for the end. */
static unsigned __stdcall thread_main(void *arg)
{
    (void)arg;
    WaitForSingleObject(wake_all, INFINITE);
    return 0;
}

int main(int argc, char **argv)
{
    HANDLE *threads = NULL;
    char line[64];
    int n, held = 0, i;

    n = argc > 1 ? atoi(argv[1]) : 0;
    if (n <= 0) {
        fprintf(stderr, "usage: wine_threads N (N > 0)\n");
        return 2;
    }
    threads = calloc((size_t)n, sizeof(*threads));
    if (threads == NULL) {
        fprintf(stderr, "wine_threads: out of memory\n");
        return 1;
    }
    wake_all = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (wake_all == NULL) {
        say_failed("CreateEventW");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    if (fgets(line, sizeof(line), stdin) == NULL)
        return 0;
    for (i = 0; i < n; i++) {
        threads[i] = (HANDLE)_beginthreadex(NULL, THREAD_STACK, thread_main, NULL,
                                            STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (threads[i] == NULL) {
            say_failed("_beginthreadex");
            break;
        }
        held++;
    }
    printf("held=%d\n", held);
    fflush(stdout);
    while (fgets(line, sizeof(line), stdin) != NULL)
        ;
    SetEvent(wake_all);
    for (i = 0; i < held; i++) {
        WaitForSingleObject(threads[i], INFINITE);
        CloseHandle(threads[i]);
    }
    CloseHandle(wake_all);
    free(threads);
    return 0;
}
