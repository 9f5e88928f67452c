/* args.c - UTF-8 argv from a wide command line (see args.h). */
#include "args.h"

#include <stdlib.h>
#include <windows.h>
#include <shellapi.h>

#include "wstr.h"

int args_utf8_from(const wchar_t *cmdline, int *argc, char ***argv)
{
    int n = 0;
    wchar_t **wargv = CommandLineToArgvW(cmdline, &n);
    char **out;

    if (wargv == NULL)
        return -1;
    out = calloc((size_t)n + 1, sizeof *out);
    if (out == NULL) {
        LocalFree(wargv);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        out[i] = wstr_to_utf8(wargv[i]);
        if (out[i] == NULL) {
            LocalFree(wargv);
            return -1; /* the few strings already made live until exit anyway */
        }
    }
    LocalFree(wargv);
    *argc = n;
    *argv = out;
    return 0;
}

int args_utf8(int *argc, char ***argv)
{
    return args_utf8_from(GetCommandLineW(), argc, argv);
}
