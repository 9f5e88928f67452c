/* console.h - console mode: serve until ESC, Ctrl+C, Ctrl+Break or the window closes. */
#ifndef MTS_CONSOLE_H
#define MTS_CONSOLE_H

#include "options.h"

/* Runs the server in the foreground. Returns the process exit code: 0 after
 * a clean stop, 1 when the server could not start. */
int console_run(const struct server_options *opts);

#endif
