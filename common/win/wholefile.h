/* wholefile.h - a small file read whole, and a file replaced whole so that
 * a crash leaves the old text or the new, never half of one.
 *
 * For the files mtserver reads at start and its commands edit (the
 * configuration, accounts.ini): read with every sharing mode, so that an
 * editor saving at that moment does not fail, and written beside the file
 * as FILE.new, then put in its place. Each call stands alone; any thread. */
#ifndef MTS_WHOLEFILE_H
#define MTS_WHOLEFILE_H

#include <stddef.h>

/* Reads the file path (UTF-8), at most max bytes, into a malloc'd,
 * NUL-terminated *buf of *len bytes. Returns 0, or -1 with "cannot read
 * PATH: error N: text" (or why else) in err and the Win32 error as the last
 * error, for a caller's hint; *missing says the file (or its folder) is not
 * there, which a caller may take for "use the defaults". */
int wholefile_read(const char *path, unsigned max, char **buf, size_t *len, int *missing, char *err,
                   size_t errcap);

/* Puts data (len bytes) in place of the file path (UTF-8): written to
 * path.new and flushed, then ReplaceFileW over the file (existed: it was
 * there when read, and keeps its permissions) or a move to a new name that
 * fails rather than replace a file that appeared meanwhile. Returns 0, or
 * -1 with err set, path.new gone and the failing call's Win32 error as the
 * last error. */
int wholefile_replace(const char *path, int existed, const char *data, size_t len, char *err,
                      size_t errcap);

#endif
