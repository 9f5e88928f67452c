/* args.c - UTF-8 argv from a wide command line (see args.h).
 *
 * The line is split here, by the rules of shell32's CommandLineToArgvW,
 * rather than by that call: shell32 brings user32 and gdi32 with it, which
 * under Wine made a program's start about 35 ms slower; without it and
 * with secur32 and crypt32 loaded later (client/tlslib.h) mtsclient starts
 * in 64 ms instead of 120 (bench/RESULTS.md, issue 24).
 * tests/unit/test_args.c holds the two splitters to the same answers.
 *
 * The rules, as Microsoft documents them and Wine's conformance tests pin
 * down the rest:
 * - The program's name, first, ends at the next quote when it starts with
 *   one, else at the first space or tab; backslashes mean nothing in it.
 * - After it, arguments are separated by spaces and tabs outside quotes.
 * - Backslashes followed by a quote: 2n give n backslashes and the quote is
 *   unescaped; 2n+1 give n backslashes and a literal quote. Backslashes
 *   followed by anything else are themselves.
 * - A run of k unescaped quotes, entered inside quotes (q = 1) or outside
 *   (q = 0), gives (q + k) / 3 literal quotes and leaves the text inside
 *   quotes exactly when (q + k) % 3 is 1. So `"a b"` is one argument, `""`
 *   alone an empty one, and `"a""b"` is a"b. */
#include "args.h"

#include <stdlib.h>
#include <windows.h>

#include "wstr.h"

static int blank(wchar_t c)
{
    return c == L' ' || c == L'\t';
}

/* The program's name from *s into out (room for all of s); *s moves past it. */
static size_t program_name(const wchar_t **s, wchar_t *out)
{
    const wchar_t *p = *s;
    size_t n = 0;

    if (*p == L'"') {
        for (p++; *p != L'\0' && *p != L'"'; p++)
            out[n++] = *p;
        if (*p == L'"')
            p++;
    } else {
        for (; *p != L'\0' && !blank(*p); p++)
            out[n++] = *p;
    }
    *s = p;
    return n;
}

/* One argument from *s (not at a blank or the end) into out (room for all
 * of s); *s moves past it. */
static size_t argument(const wchar_t **s, wchar_t *out)
{
    const wchar_t *p = *s;
    size_t n = 0;
    unsigned quoted = 0;

    while (*p != L'\0' && !(blank(*p) && !quoted)) {
        size_t slashes = 0, run = 0;

        if (*p != L'\\' && *p != L'"') {
            out[n++] = *p++;
            continue;
        }
        while (*p == L'\\') {
            slashes++;
            p++;
        }
        if (*p != L'"') {
            while (slashes-- > 0)
                out[n++] = L'\\';
            continue;
        }
        for (size_t i = 0; i < slashes / 2; i++)
            out[n++] = L'\\';
        if (slashes % 2 == 1) {
            out[n++] = L'"'; /* escaped: not part of the run after it */
            p++;
        }
        while (*p == L'"') {
            run++;
            p++;
        }
        for (size_t i = 0; i < (quoted + run) / 3; i++)
            out[n++] = L'"';
        quoted = (quoted + run) % 3 == 1;
    }
    *s = p;
    return n;
}

/* The UTF-8 copy of w[0..n). */
static char *utf8_of(wchar_t *w, size_t n)
{
    w[n] = L'\0';
    return wstr_to_utf8(w);
}

int args_utf8_from(const wchar_t *cmdline, int *argc, char ***argv)
{
    size_t len = wcslen(cmdline), most = len / 2 + 2, count = 0;
    wchar_t *piece = malloc((len + MAX_PATH + 1) * sizeof *piece);
    char **out = calloc(most + 1, sizeof *out);
    const wchar_t *s = cmdline;

    if (piece == NULL || out == NULL)
        goto fail;
    if (len == 0) {
        /* An empty line: the program's own path, as CommandLineToArgvW gives. */
        DWORD n = GetModuleFileNameW(NULL, piece, MAX_PATH + 1);
        if (n == 0 || n > MAX_PATH || (out[count++] = utf8_of(piece, n)) == NULL)
            goto fail;
    } else if ((out[count++] = utf8_of(piece, program_name(&s, piece))) == NULL) {
        goto fail;
    }
    for (;;) {
        while (blank(*s))
            s++;
        if (*s == L'\0')
            break;
        /* m arguments after the name take at least 2m - 1 characters. */
        if (count >= most || (out[count++] = utf8_of(piece, argument(&s, piece))) == NULL)
            goto fail;
    }
    free(piece);
    *argc = (int)count;
    *argv = out;
    return 0;
fail:
    for (size_t i = 0; out != NULL && i < count; i++)
        free(out[i]);
    free(out);
    free(piece);
    return -1;
}

int args_utf8(int *argc, char ***argv)
{
    return args_utf8_from(GetCommandLineW(), argc, argv);
}
