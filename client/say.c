/* say.c - console-aware output (see say.h). */
#include "say.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "termsafe.h"
#include "wstr.h"

#define SAY_MAX 16384 /* a message holds at most one protocol path (8 KiB) */

static size_t progress_shown; /* characters of progress line now on screen */

static int is_console(HANDLE h)
{
    DWORD mode;

    return h != NULL && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

static void write_text(HANDLE h, const char *text, size_t len)
{
    DWORD done;

    if (is_console(h)) {
        wchar_t *w = wstr_from_utf8(text, len);
        if (w != NULL) {
            WriteConsoleW(h, w, (DWORD)wcslen(w), &done, NULL);
            free(w);
            return;
        }
    }
    WriteFile(h, text, (DWORD)len, &done, NULL);
}

/* Every message goes out through termsafe_escape(): text from the server
 * (its refusals, the names it confirms) can hold escape sequences or bidi
 * controls, and so can a name the user typed; shown raw they could rewrite
 * the terminal or make a name read backwards. */
static void vsay(DWORD which, const char *fmt, va_list ap)
{
    static char text[SAY_MAX], safe[TERMSAFE_GROWTH * SAY_MAX + 1],
        crlf[2 * (TERMSAFE_GROWTH * SAY_MAX + 1)];
    HANDLE h = GetStdHandle(which);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    size_t len, out = 0;

    if (n < 0)
        return;
    len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    len = termsafe_escape(text, len, safe, sizeof safe);
    if (which == STD_ERROR_HANDLE && progress_shown > 0)
        say_progress_clear();
    for (size_t i = 0; i < len; i++) {
        if (safe[i] == '\n')
            crlf[out++] = '\r';
        crlf[out++] = safe[i];
    }
    write_text(h, crlf, out);
}

void say_out(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(STD_OUTPUT_HANDLE, fmt, ap);
    va_end(ap);
}

void say_err(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsay(STD_ERROR_HANDLE, fmt, ap);
    va_end(ap);
}

int say_err_is_console(void)
{
    return is_console(GetStdHandle(STD_ERROR_HANDLE));
}

void say_progress(const char *text)
{
    HANDLE h = GetStdHandle(STD_ERROR_HANDLE);
    char line[256];
    size_t len = strlen(text);
    int n;

    if (!is_console(h))
        return;
    /* Pad with spaces over whatever a longer previous line left behind. */
    n = snprintf(line, sizeof line, "\r%s%*s", text,
                 len < progress_shown ? (int)(progress_shown - len) : 0, "");
    if (n > 0)
        write_text(h, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    progress_shown = len;
}

void say_progress_clear(void)
{
    HANDLE h = GetStdHandle(STD_ERROR_HANDLE);
    char line[256];
    size_t n = progress_shown < sizeof line - 3 ? progress_shown : sizeof line - 3;

    if (progress_shown == 0)
        return;
    progress_shown = 0;
    line[0] = '\r';
    memset(line + 1, ' ', n);
    line[n + 1] = '\r';
    write_text(h, line, n + 2);
}
