/* args.h - a command line as UTF-8 argv, whatever the console code page. */
#ifndef MTS_ARGS_H
#define MTS_ARGS_H

#include <wchar.h>

/* Fills *argc and *argv from GetCommandLineW(). Returns 0, or -1 when out of
 * memory or an argument is not valid UTF-16 (an unpaired surrogate). The
 * strings live until the process ends. */
int args_utf8(int *argc, char ***argv);

/* The same for another command line (a service's, as the SCM holds it),
 * split as CommandLineToArgvW splits it. */
int args_utf8_from(const wchar_t *cmdline, int *argc, char ***argv);

#endif
