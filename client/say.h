/* say.h - the client's messages on stdout and stderr, and its progress bar.
 *
 * Text is UTF-8 inside the program. On a console it is written as UTF-16
 * with WriteConsoleW, so names show right whatever the code page; to a pipe
 * or file it goes as UTF-8 bytes with CRLF line ends. The progress bar is
 * drawn only on a console. One thread of the client speaks (the other,
 * writebehind.h's, only flushes a file), so this has no lock. */
#ifndef MTS_SAY_H
#define MTS_SAY_H

#include <stdint.h>

/* printf-like; "\n" in fmt becomes CRLF when redirected. */
void say_out(const char *fmt, ...);
void say_err(const char *fmt, ...);

/* 1 when stderr is a console (where the progress bar may be drawn). */
int say_err_is_console(void);

/* Redraws the progress line in place on stderr; say_progress_clear() wipes it. */
void say_progress(const char *text);
void say_progress_clear(void);

#endif
