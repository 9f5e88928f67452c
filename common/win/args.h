/* args.h - the process's command line as UTF-8, whatever the console code page. */
#ifndef MTS_ARGS_H
#define MTS_ARGS_H

/* Fills *argc and *argv from GetCommandLineW(). Returns 0, or -1 when out of
 * memory. The strings live until the process ends. */
int args_utf8(int *argc, char ***argv);

#endif
