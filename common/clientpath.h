/* clientpath.h - what the client sends for a file, and where it saves it.
 *
 * The request is the path as the user typed it, trimmed of the blanks the
 * server would trim anyway (so the server's "#File <path> sent successfully."
 * can be compared byte for byte), and refused when it could not travel on
 * one protocol line. The local name is the request's last component, checked
 * against the same lexical rules the server applies to its own paths. */
#ifndef MTS_CLIENTPATH_H
#define MTS_CLIENTPATH_H

#include <stddef.h>

#include "linebuf.h"

/* The longest request. Not only "GET <path>" must fit one protocol line, but
 * also the answers that repeat the path ("!File <path> could not be opened."
 * is the longest), since the client reads them with a linebuf too. */
#define CLIENTPATH_MAX (LINEBUF_MAX - 32)

/* Trims spaces and tabs from both ends of path[0..len) and points *start and
 * *out_len at what is left. Returns 0; MTS_EMISSING when nothing is left;
 * MTS_EBADCHAR for control characters or bytes that are not UTF-8;
 * MTS_ETOOLONG when it is longer than CLIENTPATH_MAX. */
int clientpath_trim_request(const char *path, size_t len, const char **start, size_t *out_len);

/* Writes the base name of the request (after its last '\', '/' or drive
 * colon) to out, NUL-terminated. Returns 0; MTS_EPATH when there is no base
 * name or it is not a usable Windows file name ("a\", "..", "CON", "x?",
 * "name."); MTS_ENOSPC when out is too small. */
int clientpath_save_name(const char *path, size_t len, char *out, size_t cap);

/* 0 when a name the server listed (LIST, for -r) may be saved as it is:
 * one component, no '\', '/' or ':' (so no drive, no absolute path, no
 * alternate data stream), no NUL, and a usable Windows file name that
 * clientpath_save_name keeps unchanged (not "", "." or "..", no device
 * name such as CON or COM1, no trailing dot or space, no wildcard, short
 * enough). Else MTS_EPATH: such a name could write outside the folder or
 * somewhere other than where it says. */
int clientpath_check_listed(const char *name, size_t len);

/* 1 when path[0..len) names the served root itself: nothing but "."
 * components and separators, at least one of either (".", "\\", "/",
 * ".\\."). "mtsclient -r ." fetches the root into -o; "" and ".." are not it. */
int clientpath_is_root(const char *path, size_t len);

#endif
