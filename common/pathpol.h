/* pathpol.h - path policy: which requested paths may be served from the root.
 *
 * A purely lexical first gate, before the OS is asked anything. A request is
 * turned into a path relative to the served root, or refused. Refused:
 * ".." components, drive-relative ("C:x") and rooted ("\x") forms, absolute
 * paths outside the root, UNC, "\\?\" and "\\.\" paths, alternate data
 * streams (any ':' after the drive), wildcard and quote characters, reserved
 * device names (CON, NUL, COM1, LPT1, ...) with or without an extension, and
 * components ending in a dot or space (Windows would strip them, making
 * another name). The platform still checks the opened handle, since links
 * and junctions can only be seen there. */
#ifndef MTS_PATHPOL_H
#define MTS_PATHPOL_H

#include <stddef.h>

/* root: the served folder as an absolute Windows path ("C:\srv", UTF-8).
 * path: the path as requested. On success writes the relative path with '\'
 * separators, NUL-terminated, to out and returns 0; else MTS_EPATH (or
 * MTS_ENOSPC when out is too small). */
int pathpol_resolve(const char *root, const char *path, size_t path_len, char *out, size_t cap);

/* The served root as the administrator gave it, in the plain form the rest
 * of the server works with: "\\?\C:\srv" and "\\.\C:\srv" become "C:\srv",
 * "\\?\UNC\server\share\x" becomes "\\server\share\x"; any other root is
 * copied as it is. A "\\?\" or "\\.\" root naming anything but a drive
 * folder or a share (a volume GUID, a device, a pipe, a bare "\\.\C:" which
 * is the raw volume) has no plain form and is refused: MTS_EPATH with the
 * reason in err. Returns 0, MTS_EPATH, or MTS_ENOSPC. */
int pathpol_root_plain(const char *root, char *out, size_t cap, char *err, size_t errcap);

#endif
