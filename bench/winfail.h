/* winfail.h - how the bench's Windows programs (floor_client.c,
 * socket_reuse.c, tls/floor_tls.c) say what failed: the program, the step, Windows' number
 * and its text, on stderr. Returns 1, their exit code. */
#ifndef MTS_BENCH_WINFAIL_H
#define MTS_BENCH_WINFAIL_H

#include <windows.h>
#include <stdio.h>

static int winfail(const char *program, const char *what, unsigned long code)
{
    char text[256] = "";

    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code, 0,
                   text, sizeof text, NULL);
    fprintf(stderr, "%s: %s: error %lu (0x%08lx): %s\n", program, what, code, code, text);
    return 1;
}

#endif
