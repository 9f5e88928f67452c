/* wstr.c - UTF-8 <-> UTF-16 conversion (see wstr.h). */
#include "wstr.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

wchar_t *wstr_from_utf8(const char *s, size_t len)
{
    wchar_t *w;
    int n;

    if (len > INT_MAX / 2)
        return NULL;
    if (len == 0)
        return calloc(1, sizeof(wchar_t));
    /* MB_ERR_INVALID_CHARS: refuse bad bytes rather than invent U+FFFD names. */
    n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)len, NULL, 0);
    if (n <= 0)
        return NULL;
    w = malloc(((size_t)n + 1) * sizeof *w);
    if (w == NULL)
        return NULL;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)len, w, n);
    w[n] = L'\0';
    return w;
}

char *wstr_to_utf8(const wchar_t *w)
{
    char *s;
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, NULL, 0, NULL, NULL);

    if (n <= 0)
        return NULL;
    s = malloc((size_t)n);
    if (s == NULL)
        return NULL;
    WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, s, n, NULL, NULL);
    return s;
}

int wstr_full_path(const char *utf8, wchar_t *out, unsigned long cap)
{
    wchar_t *w = wstr_from_utf8(utf8, strlen(utf8));
    DWORD n = w != NULL ? GetFullPathNameW(w, (DWORD)cap, out, NULL) : 0;

    free(w);
    if (w == NULL)
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
    else if (n >= cap)
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
    return n > 0 && n < cap ? 0 : -1;
}

void wstr_to_utf8_buf(const wchar_t *w, char *out, size_t cap)
{
    char *u = wstr_to_utf8(w);

    snprintf(out, cap, "%s", u != NULL ? u : "?");
    free(u);
}
