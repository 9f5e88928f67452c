/* firstini.h - the first configuration file `mtserver install` writes. */
#ifndef MTS_FIRSTINI_H
#define MTS_FIRSTINI_H

#include <stddef.h>
#include <wchar.h>

#include "options.h"

#define FIRSTINI_PATH_CAP 1024 /* UTF-16 units; the configuration's text values fit too */

/* Writes the file config (which must not exist yet): the install command's
 * options, the defaults for the rest as comments, and root and log folders
 * next to it under base (made, the logs folder with the permissions for
 * sid). Returns 0, or -1 with the reason (and Win32 error) in err. */
int firstini_write(const wchar_t *config, const wchar_t *base, const struct server_options *o,
                   const wchar_t *sid, char *err, size_t errcap);

#endif
