/* winerr.c - Win32 error texts (see winerr.h). */
#include "winerr.h"

#include <stdio.h>
#include <windows.h>

const char *winerr_text(unsigned long code, char *buf, size_t cap)
{
    wchar_t text[256];
    char utf8[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             code, 0, text, sizeof text / sizeof text[0], NULL);

    /* FormatMessage ends its text with CR LF; a log line wants neither. */
    while (n > 0 && (text[n - 1] == L'\n' || text[n - 1] == L'\r' || text[n - 1] == L' '))
        n--;
    text[n] = L'\0';
    if (n == 0 ||
        WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, (int)sizeof utf8, NULL, NULL) <= 0)
        snprintf(utf8, sizeof utf8, "unknown error");
    snprintf(buf, cap, "error %lu: %s", code, utf8);
    return buf;
}
